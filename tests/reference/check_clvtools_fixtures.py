"""Cross-check of the CLVTools fixtures (tests/reference/clvtools) against lifetimes.

Recomputes, with lifetimes' Pareto/NBD and BG/NBD formulas, the log-likelihood of every
Pareto/NBD and BG/NBD fit at CLVTools' parameters (covariate fits with alpha_i, beta_i, a_i, b_i
built as CLVTools does, see the fixtures' README) and PAlive and CET for every fixture row, and
the CDNOW summary (x, t.x, T.cal) from the raw transactions. An independent check of the
fixtures, not a custometrics test. Run from the repository root:
    /work/main/.venv-test/bin/python tests/reference/check_clvtools_fixtures.py [DATA_DIR]
"""

import sys
import warnings

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data
from scipy.special import betaln, gammaln

warnings.filterwarnings("ignore")
REF = "tests/reference/clvtools/"
DATA = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
params = pd.read_csv(REF + "params.csv")
fits = pd.read_csv(REF + "fits.csv")


def bgnbd_ll(r, alpha, a, b, x, tx, T):
    """BG/NBD individual log-likelihood (Fader, Hardie & Lee 2005, eq. 6), vectorised."""
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + tx), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def check(dataset, fit):
    q = params[(params.dataset == dataset) & (params.fit == fit)]
    q = dict(zip(q.parameter, q.estimate))
    pr = pd.read_csv(REF + f"predictions_{dataset}_{fit}.csv", dtype={"Id": str})
    x, tx, T, t = (pr[c].to_numpy() for c in ("x", "t.x", "T.cal", "period.length"))
    zg = pr["Gender"].to_numpy() if "Gender" in pr else np.zeros_like(x)
    zc = pr["Channel"].to_numpy() if "Channel" in pr else np.zeros_like(x)
    lin = lambda proc: q.get(proc + ".Gender", 0.0) * zg + q.get(proc + ".Channel", 0.0) * zc
    alpha = q["alpha"] * np.exp(-lin("trans")) * np.ones_like(x, dtype=float)
    if fit.startswith("pnbd"):
        beta = q["beta"] * np.exp(-lin("life")) * np.ones_like(x, dtype=float)
        ll, cet, pa = (np.empty(len(x)) for _ in range(3))
        for i in range(len(x)):  # lifetimes' Pareto/NBD takes scalar parameters
            p = (q["r"], alpha[i], q["s"], beta[i])
            ll[i] = ParetoNBDFitter._conditional_log_likelihood(p, x[i : i + 1], tx[i : i + 1], T[i : i + 1])[0]
            m = ParetoNBDFitter()
            m.params_ = pd.Series(dict(r=p[0], alpha=p[1], s=p[2], beta=p[3]))
            cet[i] = m.conditional_expected_number_of_purchases_up_to_time(t[i], x[i], tx[i], T[i])
            pa[i] = m.conditional_probability_alive(x[i], tx[i], T[i])
    else:
        e = np.exp(lin("life"))
        a, b = q["a"] * e, q["b"] * e
        ll = bgnbd_ll(q["r"], alpha, a, b, x, tx, T)
        m = BetaGeoFitter()
        m.params_ = pd.Series(dict(r=q["r"], alpha=alpha, a=a, b=b))
        cet = m.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)
        pa = m.conditional_probability_alive(x, tx, T)
    row = fits[(fits.dataset == dataset) & (fits.fit == fit)].iloc[0]
    # The LL check needs every customer; CDNOW predictions keep only every 10th.
    ll_txt = "LL (subsample)"
    if len(x) == row.n_customers:
        ll_txt = f"LL {ll.sum():.10f} vs {row.log_likelihood:.10f}"
        assert abs(ll.sum() - row.log_likelihood) < 1e-9 * abs(row.log_likelihood)
    print(f"{dataset} {fit}: {ll_txt}; max|dCET| {np.abs(cet - pr.CET).max():.2e}; max|dPAlive| {np.abs(pa - pr.PAlive).max():.2e}")
    assert np.abs(cet - pr.CET).max() < 1e-9 and np.abs(pa - pr.PAlive).max() < 1e-9
    return pr


for fit in ("pnbd", "bgnbd", "pnbd_cov", "bgnbd_cov"):
    check("apparel", fit)
# CDNOW: summary from the raw data, full-sample LL with lifetimes' own likelihoods.
d = pd.read_csv(DATA + "/cdnow/CDNOW_master.txt", sep=r"\s+", skiprows=1, header=None,
                names=["id", "date", "q", "amt"], dtype={"id": str, "date": str})
d["date"] = pd.to_datetime(d["date"], format="%Y%m%d")
s = summary_data_from_transaction_data(d, "id", "date", observation_period_end="1997-09-30", freq="D")
x, tx, T = s.frequency.to_numpy(), s.recency.to_numpy() / 7, s["T"].to_numpy() / 7
for fit, keys in (("pnbd", ["r", "alpha", "s", "beta"]), ("bgnbd", ["r", "alpha", "a", "b"])):
    q = params[(params.dataset == "cdnow") & (params.fit == fit)].set_index("parameter").estimate
    p = np.array([q[k] for k in keys])
    ll = (ParetoNBDFitter._conditional_log_likelihood(p, x, tx, T).sum() if fit == "pnbd"
          else bgnbd_ll(*p, x, tx, T).sum())
    ref_ll = fits[(fits.dataset == "cdnow") & (fits.fit == fit)].log_likelihood.iloc[0]
    print(f"cdnow {fit}: LL {ll:.10f} vs {ref_ll:.10f}")
    assert abs(ll - ref_ll) < 1e-6 * abs(ref_ll)
    pr = check("cdnow", fit)
    m = s.loc[pr.Id]
    assert np.allclose(m.frequency, pr.x) and np.allclose(m.recency / 7, pr["t.x"]) and np.allclose(m["T"] / 7, pr["T.cal"])
print("ok")
