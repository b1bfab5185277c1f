"""Peer values for tests/cpp/test_retention_selection.cpp (model choice by holdout accuracy).

Run with lifetimes 0.11.3 (bash scripts/deps.sh python VENV) from the repository root:
    VENV/bin/python tests/reference/selection_reference.py ../shared/data/cdnow/CDNOW_sample.txt
It writes tests/reference/selection_cdnow.csv, the CDNOW 1/10th sample split as in Fader, Hardie
& Lee 2005 (calibration to 1997-09-30, holdout to 1998-06-30, weeks = days / 7) by lifetimes'
`calibration_and_holdout_data` (columns x, t_x, T, x_holdout; duration_holdout printed), and
prints for BG/NBD, MBG/NBD and Pareto/NBD lifetimes' unpenalised fit (params, total
log-likelihood of the data in weeks) and, at those params, the holdout predictions' mean absolute error, root mean
square error and total, with 17 significant digits: the values pasted into the test.
"""
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter  # noqa: E402
from lifetimes.utils import calibration_and_holdout_data  # noqa: E402

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cdnow/CDNOW_sample.txt"
raw = pd.read_csv(path, sep=r"\s+", header=None, names=["id", "cohort", "date", "cds", "value"])
raw["date"] = pd.to_datetime(raw["date"].astype(str), format="%Y%m%d")
s = calibration_and_holdout_data(raw, "id", "date", calibration_period_end="1997-09-30",
                                 observation_period_end="1998-06-30", freq="D", freq_multiplier=7)
out = pd.DataFrame(dict(x=s["frequency_cal"], t_x=s["recency_cal"], T=s["T_cal"],
                        x_holdout=s["frequency_holdout"]))
out.to_csv("tests/reference/selection_cdnow.csv", index=False, float_format="%.17g")
duration = float(s["duration_holdout"].iloc[0])
print("customers", len(out), "duration_holdout %.17g" % duration,
      "total actual %.17g" % out["x_holdout"].sum())
x, tx, T, xh = out["x"].values, out["t_x"].values, out["T"].values, out["x_holdout"].values
for name, cls in [("bgnbd", BetaGeoFitter), ("mbgnbd", ModifiedBetaGeoFitter),
                  ("pnbd", ParetoNBDFitter)]:
    m = cls().fit(x, tx, T)
    # Total log-likelihood of the unscaled data at the fitted params (the fitters' own
    # _negative_log_likelihood_ is on lifetimes' rescaled time axis or a mean).
    p = np.array(list(m.params_.values))
    w = np.ones(len(out))
    if cls is ParetoNBDFitter:
        ll = -cls._negative_log_likelihood(p, x, tx, T, w, 0.0)
    else:
        ll = -cls._negative_log_likelihood(np.log(p), x, tx, T, w, 0.0) * len(out)
    pred = np.asarray(m.conditional_expected_number_of_purchases_up_to_time(duration, x, tx, T))
    e = pred - xh
    print(name, {k: "%.17g" % v for k, v in m.params_.items()}, "LL %.17g" % ll,
          "mae %.17g" % np.mean(np.abs(e)), "rmse %.17g" % np.sqrt(np.mean(e * e)),
          "total %.17g" % pred.sum())
