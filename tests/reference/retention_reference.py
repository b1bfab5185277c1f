"""Peer values pasted into the C++ retention tests (test_retention_bg_nbd.cpp,
test_retention_gamma_gamma.cpp, test_retention_clv.cpp, test_retention_sbg.cpp).

Run with lifetimes 0.11.3 (bash scripts/deps.sh python VENV):
    VENV/bin/python tests/reference/retention_reference.py
It prints each value with 17 significant digits; the CDNOW data comes from lifetimes.datasets.
"""
import warnings

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, hyp2f1

warnings.filterwarnings("ignore")
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value  # noqa: E402

d = load_cdnow_summary_data_with_monetary_value()
f, r, T, m = d["frequency"], d["recency"], d["T"], d["monetary_value"]

# BG/NBD fits (unpenalised and penalizer 0.1) and standard errors.
bgf = BetaGeoFitter().fit(f, r, T)
print("bg fit", {k: "%.17g" % v for k, v in bgf.params_.items()})
print("bg se", {k: "%.17g" % v for k, v in bgf.standard_errors_.items()})
print("bg fit pen 0.1", {k: "%.17g" % v for k, v in BetaGeoFitter(penalizer_coef=0.1).fit(f, r, T).params_.items()})

# BG/NBD predictions at the published estimates (FHL 2005).
b = BetaGeoFitter()
b.params_ = pd.Series(dict(r=0.243, alpha=4.414, a=0.793, b=2.426))
b.predict = b.conditional_expected_number_of_purchases_up_to_time
lp = np.log([0.243, 4.414, 0.793, 2.426])
for x, tx, t in [(2, 30.43, 38.86), (1, 1.71, 38.86), (0, 0, 38.86), (5, 20, 38), (40, 30, 38.86),
                 (1, 38.86, 38.86), (500, 38, 38.86), (1000, 38.5, 38.86), (1000, 10, 38.86)]:
    ll = -BetaGeoFitter._negative_log_likelihood(lp, np.array([x]), np.array([tx]), np.array([t]),
                                                  np.array([1]), 0.0)
    print("bg", x, tx, t, "ll %.17g" % ll,
          "palive %.17g" % b.conditional_probability_alive(x, tx, t)[0],
          "cond52 %.17g" % b.conditional_expected_number_of_purchases_up_to_time(52, x, tx, t),
          "cond1 %.17g" % b.conditional_expected_number_of_purchases_up_to_time(1, x, tx, t))
for t in [1, 39, 52, 78, 520]:
    print("bg E[X(%g)] %.17g" % (t, b.expected_number_of_purchases_up_to_time(t)))
for n in [0, 1, 2, 3, 4, 20]:
    print("bg P(X(39)=%d) %.17g" % (n, b.probability_of_n_purchases_up_to_time(39, n)))
print("bg sums over CDNOW: palive %.17g, cond1 %.17g, cond52 %.17g" % (
    b.conditional_probability_alive(f, r, T).sum(),
    b.conditional_expected_number_of_purchases_up_to_time(1, f, r, T).sum(),
    b.conditional_expected_number_of_purchases_up_to_time(52, f, r, T).sum()))

# Gamma-Gamma on the repeat buyers.
rb = d[f > 0]
ggf = GammaGammaFitter().fit(rb["frequency"], rb["monetary_value"])
print("gg fit", {k: "%.17g" % v for k, v in ggf.params_.items()},
      "LL %.17g" % (-ggf._negative_log_likelihood_ * len(rb)))
print("gg se", {k: "%.17g" % v for k, v in ggf.standard_errors_.items()})
print("gg fit pen 0.01", {k: "%.17g" % v for k, v in GammaGammaFitter(penalizer_coef=0.01).fit(
    rb["frequency"], rb["monetary_value"]).params_.items()})
g = GammaGammaFitter()
g.params_ = pd.Series(dict(p=6.25, q=3.74, v=15.44))
for x, mv in [(1, 11.77), (2, 22.35), (10, 50.0), (0, 0.0)]:
    print("gg spend", x, mv, "%.17g" % g.conditional_expected_average_profit(x, mv))
print("gg ll(2, 22.35) %.17g" % -GammaGammaFitter._negative_log_likelihood(
    np.log([6.25, 3.74, 15.44]), np.array([2.0]), np.array([22.35]), np.array([1]), 0.0))

# Lifetime value (GammaGammaFitter.customer_lifetime_value with the BG/NBD above).
c = pd.DataFrame(dict(x=[2, 1, 0, 5, 40], tx=[30.43, 1.71, 0, 20, 30],
                      T=[38.86, 38.86, 38.86, 38, 38.86], m=[22.35, 11.77, 0, 40.0, 15.0]))
for kw in [dict(time=12, discount_rate=0.01, freq="W"), dict(time=3, discount_rate=0.05, freq="D")]:
    v = g.customer_lifetime_value(b, c.x, c.tx, c["T"], c.m, **kw)
    print("clv", kw, ["%.17g" % x for x in v.values])


# sBG (Fader & Hardie 2007): the same log-likelihood by Nelder-Mead, DERL by hyp2f1.
def sbg_ll(p, s):
    a, bb = p
    s = np.asarray(s, float)
    k = len(s) - 1
    t = np.arange(1, k + 1)
    return (np.sum((s[:-1] - s[1:]) * (betaln(a + 1, bb + t - 1) - betaln(a, bb)))
            + s[-1] * (betaln(a, bb + k) - betaln(a, bb)))


for name, s in [("regular", [1000, 631, 468, 382, 326, 289, 262, 241]),
                ("high end", [1000, 869, 743, 653, 593, 551, 517, 491])]:
    res = minimize(lambda q: -sbg_ll(np.exp(q), s), [0, 0], method="Nelder-Mead",
                   options=dict(xatol=1e-12, fatol=1e-12, maxiter=10000))
    a, bb = np.exp(res.x)
    print("sbg", name, "%.10g %.10g LL %.10g S(12) %.15g" % (
        a, bb, sbg_ll([a, bb], s), np.exp(betaln(a, bb + 12) - betaln(a, bb))))
for k in [0, 4]:
    a, bb = 0.704, 1.182
    print("sbg derl(0.1, %d) %.15g" % (k, (bb + k) / (a + bb + k) * hyp2f1(1, bb + k + 1, a + bb + k + 1, 1 / 1.1)))
