"""Peer values pasted into tests/cpp/test_retention_bg_bb.cpp (the BG/BB model of Fader, Hardie
& Shang 2010, "Customer-base analysis in a discrete-time noncontractual setting", Marketing
Science 29(6), 1086-1108).

Run with lifetimes 0.11.3 (bash scripts/deps.sh python VENV):
    VENV/bin/python tests/reference/bg_bb_reference.py
It prints each value with 17 significant digits, as C++ initialisers. The donation data
(22 patterns of (x, t_x, n) with counts, 11,104 donors, n = 6) comes from lifetimes.datasets
(lifetimes is MIT-licensed); the test carries the same 22 rows inline.

lifetimes' BetaGeoBetaBinomFitter gives the fit, the log-likelihood of a pattern, P(alive at
n + 1) and n + 3
(conditional_probability_alive with m = 1, 3), the conditional expectation (its eq. 13) and
N P(X(n) = x) (expected_number_of_transactions_in_first_n_periods, FHS eq. 7). lifetimes has no
DERT nor E[X(n)]: those come from the paper's closed forms with scipy (hyp2f1, gammaln), written
here independently of the C++ code (which sums series term by term).
Note: lifetimes adds 1e-15 to the sum over i of the likelihood (eq. 5) before its logarithm, so
its L is too large by 1e-15 / (B(a,b) B(g,d)): negligible for the donation patterns (n = 6),
but 0.3% for (10, 40, 50) and a factor 21 for (30, 49, 50), where the terms of the sum are near
1e-15 themselves. The fixture therefore holds log L from eq. 5 evaluated with scipy's betaln
and logsumexp (no floor), and lifetimes' P(alive) and conditional expectations multiplied by
L_lifetimes / L (all three are proportional to 1/L); lifetimes' own log L is printed alongside.
"""
import warnings

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln, hyp2f1, logsumexp

warnings.filterwarnings("ignore")
from lifetimes import BetaGeoBetaBinomFitter  # noqa: E402
from lifetimes.datasets import load_donations  # noqa: E402

d = load_donations()
f, r, n, w = d["frequency"], d["recency"], d["periods"], d["weights"]
N = w.sum()

# The fit (lifetimes' default start: all log-parameters 0.1; tol 1e-7).
bb = BetaGeoBetaBinomFitter().fit(f, r, n, weights=w)
print("// lifetimes fit on the donation data (N = %d)" % N)
print("fit params {%s}" % ", ".join("%.17g" % v for v in bb.params_.values))
print("fit se {%s}" % ", ".join("%.17g" % v for v in bb.standard_errors_.values))
print("fit LL %.17g" % (-bb._negative_log_likelihood_ * N))
pen = BetaGeoBetaBinomFitter(penalizer_coef=0.01).fit(f, r, n, weights=w)
print("fit pen 0.01 params {%s}" % ", ".join("%.17g" % v for v in pen.params_.values))

# Predictions at the published estimates.
p = (1.204, 0.750, 0.657, 2.783)
a, b, g, dl = p
m = BetaGeoBetaBinomFitter()
m.params_ = pd.Series(dict(alpha=a, beta=b, gamma=g, delta=dl))
patterns = [(0, 0, 1), (0, 0, 6), (1, 1, 6), (3, 4, 6), (6, 6, 6), (2, 6, 6), (5, 5, 6),
            (0, 0, 40), (10, 40, 50), (10, 12, 50), (30, 49, 50)]


def loglik(x, tx, nn):
    # FHS 2010 eq. 5 without lifetimes' 1e-15 floor.
    i = np.arange(nn - tx)
    terms = np.concatenate([[betaln(a + x, b + nn - x) + betaln(g, dl + nn)],
                            betaln(a + x, b + tx - x + i) + betaln(g + 1, dl + tx + i)])
    return logsumexp(terms) - betaln(a, b) - betaln(g, dl)


def dert(x, tx, nn, disc):
    # FHS 2010 eq. 14 with scipy's 2F1.
    ll = loglik(x, tx, nn)
    return (np.exp(betaln(a + x + 1, b + nn - x) - betaln(a, b) + betaln(g, dl + nn + 1)
                   - betaln(g, dl) - ll) / (1 + disc)
            * hyp2f1(1, dl + nn + 1, g + dl + nn + 1, 1 / (1 + disc)))


print("// {x, t_x, n, log L, P(alive at n+1), P(alive at n+3), E[X(n, n+1)], E[X(n, n+5)], E[X(n, n+30)], "
      "DERT(0.1), DERT(0.01)}")
for x, tx, nn in patterns:
    X, TX, NN = np.array([x]), np.array([tx]), np.array([nn])
    ll_lifetimes = BetaGeoBetaBinomFitter._loglikelihood(p, X, TX, NN)[0]
    ll = loglik(x, tx, nn)
    corr = np.exp(ll_lifetimes - ll)
    print("// lifetimes' log L %.17g, its P(alive) and E[X] times %.17g" % (ll_lifetimes, corr))
    pa = m.conditional_probability_alive(1, X, TX, NN)[0] * corr
    pa3 = m.conditional_probability_alive(3, X, TX, NN)[0] * corr
    c = [m.conditional_expected_number_of_purchases_up_to_time(k, X, TX, NN)[0] * corr
         for k in (1, 5, 30)]
    vals = [ll, pa, pa3] + c + [dert(x, tx, nn, 0.1), dert(x, tx, nn, 0.01)]
    print("{%d, %d, %d, %s}," % (x, tx, nn, ", ".join("%.17g" % v for v in vals)))

# E[X(n)] (FHS 2010 eq. 8) by its closed form.
print("// {n, E[X(n)]}")
for nn in (1, 6, 11, 50):
    e = (a / (a + b) * dl / (g - 1)
         * (1 - np.exp(gammaln(g + dl) - gammaln(g + dl + nn) + gammaln(1 + dl + nn) - gammaln(1 + dl))))
    print("{%d, %.17g}," % (nn, e))

# P(X(n) = x) for x = 0..n from lifetimes (it evaluates eq. 7 at the x of its data: give it
# every x once with weight 1, so the result is P(X(n) = x) times 1... times the weights' sum).
print("// {n, x, P(X(n) = x)}")
for nn in (6, 11):
    xs = np.arange(nn + 1)
    m.data = pd.DataFrame(dict(frequency=xs, recency=xs, n_periods=nn, weights=1.0))
    probs = m.expected_number_of_transactions_in_first_n_periods(nn)["model"].values / len(xs)
    for x, pr in zip(xs, probs):
        print("{%d, %d, %.17g}," % (nn, x, pr))
    print("// sum over x: %.17g, sum x P: %.17g" % (probs.sum(), (xs * probs).sum()))
