"""The GGompertz/NBD model (issue 15) against CLVTools 0.12.1: the committed fixtures of
tests/reference/clvtools (apparel, 600 customers, weeks; with and without Gender and Channel on
both processes). CLVTools' fits go to the model's Pareto/NBD limit (b, beta -> 0; its README), so
the fits are compared by log-likelihood and by the identified parameters, and the predictions at
CLVTools' own parameters."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from custometrics.lifetimes_compat import GGompertzNBDFitter

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "reference", "clvtools")
NAMES = ["r", "alpha", "b", "s", "beta"]


def _apparel(fit: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = pd.read_csv(os.path.join(FIXTURES, f"predictions_apparel_{fit}.csv"), dtype={"Id": str})
    summary = pd.DataFrame({"frequency": p["x"].to_numpy(), "recency": p["t.x"].to_numpy(),
                            "T": p["T.cal"].to_numpy()}, index=pd.Index(p["Id"], name="customer_id"))
    return summary, p


def _params(fit: str) -> pd.DataFrame:
    t = pd.read_csv(os.path.join(FIXTURES, "params.csv"))
    return t[(t.dataset == "apparel") & (t.fit == fit)].set_index("parameter")


def _loglik(fit: str) -> float:
    t = pd.read_csv(os.path.join(FIXTURES, "fits.csv"))
    return float(t[(t.dataset == "apparel") & (t.fit == fit)].log_likelihood.iloc[0])


def test_predictions_at_clvtools_parameters():
    summary, p = _apparel("ggomnbd")
    ref = _params("ggomnbd").estimate
    m = cm.GGompertzNBDModel().set_params(**{k: float(ref[k]) for k in NAMES})
    alive = np.asarray(m.conditional_probability_alive(summary))
    assert np.max(np.abs(alive - p["PAlive"].to_numpy())) < 1e-12
    h = float(p["period.length"].iloc[0])
    cet = np.asarray(m.conditional_expected_number_of_purchases_up_to_time(h, summary))
    # CLVTools' CET is off the exact value by up to 2.4e-7 relative here (its GSL-integrated
    # 2F1 terms; tests/reference/ggomnbd_mpmath.py); custometrics' equals 40-digit mpmath.
    assert np.max(np.abs(cet / p["CET"].to_numpy() - 1)) < 1e-6
    assert float(np.sum(m.log_likelihood(summary))) == pytest.approx(_loglik("ggomnbd"),
                                                                        rel=1e-12)


def test_fit_reaches_clvtools_optimum():
    summary, p = _apparel("ggomnbd")
    m = cm.GGompertzNBDModel().fit(summary, time_unit="weeks")
    assert list(m.params_.index) == NAMES
    assert m.log_likelihood_ >= _loglik("ggomnbd")
    ref = _params("ggomnbd")
    for name in ("r", "alpha", "s"):  # b and beta are not identified on the Pareto/NBD ridge
        assert abs(m.params_[name] - ref.estimate[name]) < 0.2 * ref.std_error[name], name
    # The lifetimes-style fitter gives the same fit.
    f = GGompertzNBDFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    assert f.params_.to_numpy() == pytest.approx(m.params_.to_numpy(), rel=1e-9)
    assert np.asarray(f.conditional_probability_alive(1, 50.0, 104.0)).shape == (1,)


def test_covariates_fit_and_predictions():
    summary, p = _apparel("ggomnbd_cov")
    cov = pd.DataFrame({"Gender": p["Gender"].to_numpy(), "Channel": p["Channel"].to_numpy()},
                       index=summary.index)
    m = cm.GGompertzNBDModel().fit(summary, covariates=cov, life=["Gender", "Channel"],
                                   trans=["Gender", "Channel"])
    assert m.log_likelihood_ >= _loglik("ggomnbd_cov")
    ref = _params("ggomnbd_cov")
    got = dict(m.params_)
    for proc in ("life", "trans"):
        for name in ("Gender", "Channel"):
            got[f"{proc}.{name}"] = getattr(m, f"{proc}_coefficients_")[name]
    for name in ("r", "alpha", "s", "life.Gender", "life.Channel", "trans.Gender",
                 "trans.Channel"):
        assert abs(got[name] - ref.estimate[name]) < 0.1 * ref.std_error[name], name
    alive = np.asarray(m.conditional_probability_alive(summary, covariates=cov))
    assert np.max(np.abs(alive - p["PAlive"].to_numpy())) < 1e-3  # other point on the ridge


def test_names_and_select_model():
    assert cm._core.parse_purchase_model("GGompertz/NBD") == cm._core.PurchaseModel.ggomnbd
    summary, _ = _apparel("ggomnbd")
    choice = cm.select_model(summary, by="bic", models=("pnbd", "ggomnbd"))
    assert list(choice.candidates.index) == ["pnbd", "ggomnbd"]
    # One parameter more for (at best) the same likelihood: BIC prefers Pareto/NBD.
    assert choice.chosen == "pnbd"


CDNOW = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "cdnow",
                     "CDNOW_master.txt")


@pytest.mark.skipif(not os.path.exists(CDNOW), reason="the shared CDNOW master is absent")
def test_cdnow_master_fit_reaches_clvtools():
    # The summary of the fixtures' README: one purchase per day, estimation end 1997-09-30
    # (which counts as a time point), weeks; all 23,570 customers.
    d = pd.read_csv(CDNOW, sep=r"\s+", skiprows=1, header=None, names=["id", "date", "q", "amt"],
                    dtype={"id": str, "date": str})
    d["date"] = pd.to_datetime(d["date"], format="%Y%m%d")
    end = pd.Timestamp("1997-09-30")
    g = d[d.date <= end].drop_duplicates(["id", "date"]).groupby("id").date
    x = (g.count() - 1).to_numpy(float)
    tx = ((g.max() - g.min()).dt.days / 7).to_numpy()
    T = ((end - g.min()).dt.days / 7).to_numpy()
    assert x.size == 23570
    t = pd.read_csv(os.path.join(FIXTURES, "params.csv"))
    ref = t[(t.dataset == "cdnow") & (t.fit == "ggomnbd")].set_index("parameter")
    fits = pd.read_csv(os.path.join(FIXTURES, "fits.csv"))
    clv_ll = float(fits[(fits.dataset == "cdnow") & (fits.fit == "ggomnbd")].log_likelihood.iloc[0])
    at_ref = cm.GGompertzNBDModel().set_params(**{k: float(ref.estimate[k]) for k in NAMES})
    assert float(np.sum(at_ref.log_likelihood(x, tx, T))) == pytest.approx(clv_ll, rel=1e-10)
    m = cm.GGompertzNBDModel().fit(x, tx, T)
    assert m.log_likelihood_ >= clv_ll  # -95415.120138675135
    for name in ("r", "alpha", "s"):
        assert abs(m.params_[name] - ref.estimate[name]) < 0.2 * ref.std_error[name], name
