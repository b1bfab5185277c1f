"""lifetimes 0.11.3's values for the Python tests, written as committed fixtures.

lifetimes pins numpy < 2 and pandas < 2, so the test suite cannot import it on today's
releases; the values the tests compare with are computed here once, in the reference
environment, and committed beside this script. Run from the repository root with the
environment of ``bash scripts/deps.sh python VENV`` (lifetimes 0.11.3, pandas 1.5, numpy 1.26):

    VENV/bin/python tests/reference/lifetimes/make_fixtures.py

It reads lifetimes' own data files (``lifetimes.datasets``; the copies committed here are
``cdnow_customers_summary_with_transactions.csv`` verbatim, ``CDNOW_master.txt.gz`` and
``example_transactions.csv.gz`` gzipped, and ../donations.csv) and writes, with every float at
full precision (JSON numbers are Python's shortest round-trip repr):

- retention.json: tests/python/test_retention.py's peer values (fits, predictions at fixed
  parameters on each distinct CDNOW (frequency, recency, T) row, log-likelihoods, Gamma-Gamma
  spend and CLV per repeat buyer);
- bgbb.json: tests/python/test_bgbb.py's BetaGeoBetaBinomFitter fit and predictions on the
  donations data;
- quickstart.json.gz: what lifetimes' quickstart (the code text of
  tests/python/test_lifetimes_compat.py, imported from there, so custometrics and pytest must
  be installed too) records when run with lifetimes: frames and series with their index,
  dtypes and values, numbers with their type, printed text (gzipped: two 5,000-row summaries);
- quickstart_plots.json: the values that the plotting cells of lifetimes' quickstart
  (tests/python/test_plot.py's code text) show when run with lifetimes (matplotlib, Agg);
- checks.json.gz: lifetimes' answers to the checks of tests/python/test_lifetimes_compat.py and
  test_plot.py that call it at values chosen in the test (``lifetimes_reference.recorded``):
  the tests are run here with recording on, so the record is made by the tests' own code;
- summary.json: tests/python/test_summary.py's summaries of the full CDNOW log (23,570
  customers): lifetimes' frames are compared bit for bit, so each column is stored as the
  SHA-256 of its float64 little-endian bytes (customers ascending), with its sum and every
  500th row in full for diagnosis (the full frames would be ~10 MB).

The script checks that it read the data the tests read (row counts) and prints each file's
size. Re-running it reproduces the files byte for byte (the fits are deterministic).
"""

import gzip
import hashlib
import json
import pathlib
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
import lifetimes  # noqa: E402
from lifetimes import utils  # noqa: E402
from lifetimes.datasets import (load_cdnow_summary_data_with_monetary_value,  # noqa: E402
                                load_dataset, load_donations)

OUT = pathlib.Path(__file__).resolve().parent

BGNBD = dict(r=0.243, alpha=4.414, a=0.793, b=2.426)
PNBD = dict(r=0.553, alpha=10.578, s=0.606, beta=11.669)
GG = dict(p=6.25, q=3.74, v=15.44)


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def write(name, data):
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"{path.name}: {path.stat().st_size} bytes")


def lifetimes_model(cls, params):
    f = cls()
    f.params_ = pd.Series(params)
    if hasattr(f, "conditional_expected_number_of_purchases_up_to_time"):
        f.predict = f.conditional_expected_number_of_purchases_up_to_time  # set by lifetimes' fit
    return f


def distinct_rows(cdnow):
    """The distinct (frequency, recency, T) rows in np.unique's order (1,016 of 2,357)."""
    rows = np.stack([cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T")], axis=1)
    return np.unique(rows, axis=0)


def retention():
    cdnow = load_cdnow_summary_data_with_monetary_value()
    assert len(cdnow) == 2357
    u = distinct_rows(cdnow)
    x, tx, T = u[:, 0], u[:, 1], u[:, 2]
    out = {"distinct_rows": {"frequency": floats(x), "recency": floats(tx), "T": floats(T)}}
    buyers = cdnow[cdnow["frequency"] > 0]
    ggf = lifetimes.GammaGammaFitter().fit(buyers["frequency"], buyers["monetary_value"])
    out["gamma_gamma_fit"] = floats(ggf.params_[["p", "q", "v"]])
    for name, params in (("BetaGeoFitter", BGNBD), ("ModifiedBetaGeoFitter", BGNBD),
                         ("ParetoNBDFitter", PNBD)):
        ref = lifetimes_model(getattr(lifetimes, name), params)
        d = {"conditional_probability_alive": floats(ref.conditional_probability_alive(x, tx, T))}
        for t in (1.0, 10.0, 39.0, 52.0):
            d[f"conditional_expected_{t:g}"] = floats(
                ref.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T))
        d["expected_at"] = floats([0.5, 1.0, 10.0, 39.0, 78.0])
        d["expected"] = floats(ref.expected_number_of_purchases_up_to_time(
            np.array([0.5, 1.0, 10.0, 39.0, 78.0])))
        if name != "ParetoNBDFitter":  # lifetimes' Pareto/NBD has only the conditional form
            d["probability_of_n_at_39"] = floats(
                [ref.probability_of_n_purchases_up_to_time(39.0, n) for n in range(8)])
        out[name] = d
    out["pareto_nbd_log_likelihood"] = floats(lifetimes.ParetoNBDFitter._conditional_log_likelihood(
        tuple(PNBD.values()), x, tx, T))
    xa, txa, Ta = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    out["bgnbd_log_likelihood_total"] = float(-lifetimes.BetaGeoFitter._negative_log_likelihood(
        np.log(list(BGNBD.values())), xa, txa, Ta, np.ones_like(xa), 0.0) * len(xa))
    gg = lifetimes_model(lifetimes.GammaGammaFitter, GG)
    bg = lifetimes_model(lifetimes.BetaGeoFitter, BGNBD)
    out["buyers_customer_id"] = [int(i) for i in buyers.index]
    out["gamma_gamma_average_profit"] = floats(gg.conditional_expected_average_profit(
        buyers["frequency"], buyers["monetary_value"]))
    args = [buyers[c] for c in ("frequency", "recency", "T", "monetary_value")]
    for time, rate, freq in ((12, 0.01, "W"), (3, 0.0, "W"), (24, 0.02, "M")):
        out[f"clv_{time}_{rate:g}_{freq}"] = floats(gg.customer_lifetime_value(
            bg, *args, time=time, discount_rate=rate, freq=freq))
    pen = lifetimes.BetaGeoFitter(penalizer_coef=0.1).fit(cdnow["frequency"], cdnow["recency"],
                                                          cdnow["T"])
    out["bgnbd_penalized_0.1_fit"] = floats(pen.params_[["r", "alpha", "a", "b"]])
    mbg = lifetimes.ModifiedBetaGeoFitter().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    out["mbgnbd_fit"] = floats(mbg.params_[["r", "alpha", "a", "b"]])
    write("retention", out)


def bgbb():
    d = load_donations()
    assert len(d) == 22
    peer = lifetimes.BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"],
                                                  weights=d["weights"])
    n = d["weights"].sum()
    params = peer.params_[["alpha", "beta", "gamma", "delta"]]
    out = {"params": floats(params), "params_names": list(params.index),
           "log_likelihood": float(-peer._negative_log_likelihood_ * n),
           "standard_errors": floats(peer.standard_errors_[list(params.index)])}
    x, tx, per = (d[c].to_numpy(float) for c in ("frequency", "recency", "periods"))
    for future in (1, 5, 10):
        out[f"conditional_expected_{future}"] = floats(
            peer.conditional_expected_number_of_purchases_up_to_time(future, x, tx, per))
    for ahead in (1, 3):
        out[f"conditional_probability_alive_{ahead}"] = floats(
            peer.conditional_probability_alive(ahead, x, tx, per))
    out["first_6_periods_model"] = floats(
        peer.expected_number_of_transactions_in_first_n_periods(6)["model"])
    write("bgbb", out)


def digest(frame):
    """Per column: SHA-256 of the float64 bytes, the sum, and every 500th row."""
    frame = frame.sort_index()
    d = {"index_sha256": hashlib.sha256(
            np.ascontiguousarray(frame.index.to_numpy(), dtype="<i8").tobytes()).hexdigest(),
         "rows": len(frame), "columns": list(frame.columns), "index_name": frame.index.name,
         "sample_positions": list(range(0, len(frame), 500)),
         "sample_index": [int(i) for i in frame.index[::500]]}
    for c in frame.columns:
        v = np.ascontiguousarray(frame[c].to_numpy(), dtype="<f8")
        d[c] = {"sha256": hashlib.sha256(v.tobytes()).hexdigest(), "sum": float(v.sum()),
                "sample": floats(v[::500])}
    return d


def summary():
    tx = load_dataset("CDNOW_master.txt", sep=r"\s+")
    tx.columns = ["customer_id", "date", "n", "amount"]
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    assert len(tx) == 69659 and tx["customer_id"].nunique() == 23570
    out = {}
    for freq, multiplier in (("D", 1), ("W", 1), ("D", 7)):
        for first in (False, True):
            key = f"{freq}_{multiplier}_{'first' if first else 'repeat'}"
            out["summary_" + key] = digest(utils.summary_data_from_transaction_data(
                tx, "customer_id", "date", monetary_value_col="amount", freq=freq,
                freq_multiplier=multiplier, include_first_transaction=first))
            out["calibration_" + key] = digest(utils.calibration_and_holdout_data(
                tx, "customer_id", "date", calibration_period_end="1997-09-30",
                observation_period_end="1998-06-30", freq=freq, freq_multiplier=multiplier,
                monetary_value_col="amount", include_first_transaction=first))
    out["summary_observation_end_1997-12-31"] = digest(utils.summary_data_from_transaction_data(
        tx, "customer_id", "date", monetary_value_col="amount",
        observation_period_end="1997-12-31"))
    write("summary", out)


def quickstart():
    from lifetimes_reference import encode
    from test_lifetimes_compat import LIFETIMES_IMPORTS, QUICKSTART, run

    results, _, _ = run(LIFETIMES_IMPORTS, QUICKSTART)
    data = {"names": list(results), "results": {k: encode(v) for k, v in results.items()}}
    path = OUT / "quickstart.json.gz"
    text = json.dumps(data, sort_keys=True).encode()
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as z:
        z.write(text)
    print(f"{path.name}: {path.stat().st_size} bytes ({len(text)} uncompressed)")


def quickstart_plots():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from test_plot import run_quickstart_plots

    r = run_quickstart_plots(plt, "lifetimes")
    out = {k: (floats(v) if k != "holdout" and k != "frequency_recency" and k != "p_alive"
               else None) for k, v in r.items()}
    out["frequency_recency"] = [floats(row) for row in r["frequency_recency"]]
    out["p_alive"] = [floats(row) for row in r["p_alive"]]
    out["holdout"] = [floats(y) for y in r["holdout"]]
    write("quickstart_plots", out)


def checks():
    """Runs test_lifetimes_compat.py and test_plot.py with lifetimes_reference.RECORDING set:
    every ``recorded(name, live)`` of the tests stores lifetimes' live answer under ``name``."""
    import pytest

    import lifetimes_reference

    lifetimes_reference.RECORDING = {}
    tests = OUT.parents[1] / "python"
    code = pytest.main(["-q", "-p", "no:cacheprovider", str(tests / "test_lifetimes_compat.py"),
                        str(tests / "test_plot.py")])
    assert code == 0, "the tests failed while recording"
    path = lifetimes_reference.CHECKS
    text = json.dumps(lifetimes_reference.RECORDING, sort_keys=True).encode()
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as z:
        z.write(text)
    print(f"{path.name}: {path.stat().st_size} bytes ({len(text)} uncompressed, "
          f"{len(lifetimes_reference.RECORDING)} checks)")


if __name__ == "__main__":
    sys.path.insert(0, str(OUT.parents[1] / "python"))
    retention()
    bgbb()
    summary()
    quickstart()
    quickstart_plots()
    checks()
