"""Side-by-side: RFM scoring and k-means clustering, custometrics vs its peers.

RFM: recency, frequency and monetary values of --customers customers (default 1,000,000:
recency 1..365 days uniform, geometric frequency, lognormal monetary, as bench_rfm.cpp) scored
1..5 by quantiles, recency reversed, equal values split by customer order (the `first` tie
method, the only one the peers have): custometrics.rfm(ties="first") (scores and the named
segment of the default map), pandas `qcut(x.rank(method="first"), 5, labels=False) + 1` per
column, and polars (ordinal rank, then the same equal-size bins in integer arithmetic). Every
peer's scores are checked equal to custometrics' before any time is reported.

k-means: the log1p-standardised RFM values (--customers x 3) clustered into --k clusters by
Lloyd's algorithm from the same initial centres (k rows drawn from the seed), n_init 1, the
same max_iter and tol: custometrics.kmeans(init=...) and scikit-learn's
KMeans(init=centres, n_init=1, algorithm="lloyd"). Inertia and labels are compared.

    python benchmarks/compare_segments.py [--customers 1000000] [--k 5] [--max-iter 100]
                                          [--repeat 3]

custometrics, polars and scikit-learn use every core; pandas uses one. Figures are the
minimum over --repeat runs after one warm-up run.
"""
from __future__ import annotations

import argparse
import os

import numpy as np

from compare_summary import best_of, print_ratios


def rfm_values(n: int, seed: int = 2024):
    rng = np.random.default_rng(seed)
    recency = rng.integers(1, 366, size=n).astype(np.float64)
    frequency = rng.geometric(0.35, size=n).astype(np.float64)
    monetary = np.round(rng.lognormal(4.0, 1.0, size=n), 2)
    return recency, frequency, monetary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--max-iter", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    n = args.customers

    import custometrics as cm
    import pandas as pd

    rec, freq, mon = rfm_values(n)
    print(f"RFM scoring: {n:,} customers, 5 bins, ties 'first', {cores} cores")
    results = {}

    def run_cm():
        r = cm.rfm(recency=rec, frequency=freq, monetary=mon, ties="first")
        return np.column_stack([r["r_score"], r["f_score"], r["m_score"]])

    results["custometrics"] = best_of(run_cm, args.repeat, warmup=True)
    want = results["custometrics"][1]

    df = pd.DataFrame({"recency": rec, "frequency": freq, "monetary": mon})

    def run_pandas():
        q = lambda s: pd.qcut(s.rank(method="first"), 5, labels=False).to_numpy() + 1
        return np.column_stack([6 - q(df["recency"]), q(df["frequency"]), q(df["monetary"])])

    results["pandas"] = best_of(run_pandas, args.repeat, warmup=True)

    try:
        import polars as pl
    except ImportError:
        pl = None
    if pl is not None:
        pdf = pl.DataFrame({"recency": rec, "frequency": freq, "monetary": mon})

        def score(c: str, reverse: bool = False):
            p = pl.col(c).rank("ordinal").cast(pl.Int64) - 1  # ascending position, ties in order
            b = pl.when(p == 0).then(0).otherwise((p * 5 + (n - 2)) // (n - 1) - 1)
            return (5 - b if reverse else b + 1).alias(c)

        def run_polars():
            out = pdf.select(score("recency", True), score("frequency"), score("monetary"))
            return out.to_numpy()

        results["polars"] = best_of(run_polars, args.repeat, warmup=True)
    for name, (_, got) in results.items():
        if not np.array_equal(np.asarray(got, dtype=np.int64), want.astype(np.int64)):
            raise SystemExit(f"{name}: scores differ from custometrics'")
    print_ratios(results)

    # k-means
    x = np.log1p(np.column_stack([rec, freq, mon]))
    x = np.asfortranarray((x - x.mean(axis=0)) / x.std(axis=0))
    rng = np.random.default_rng(11)
    init = x[rng.choice(n, size=args.k, replace=False)]
    print(f"\nk-means: {n:,} x 3, k = {args.k}, max_iter {args.max_iter}, tol 1e-4, "
          "same initial centres, n_init 1")
    results = {}
    results["custometrics"] = best_of(
        lambda: cm.kmeans(x, init=init, max_iter=args.max_iter, tol=1e-4), args.repeat,
        warmup=True)
    ours = results["custometrics"][1]
    try:
        from sklearn.cluster import KMeans
    except ImportError:
        KMeans = None
    if KMeans is not None:
        xc = np.ascontiguousarray(x)  # scikit-learn's preferred layout, made outside the timing
        results["scikit-learn"] = best_of(
            lambda: KMeans(n_clusters=args.k, init=init, n_init=1, max_iter=args.max_iter,
                           tol=1e-4, algorithm="lloyd").fit(xc), args.repeat, warmup=True)
        theirs = results["scikit-learn"][1]
        agree = float(np.mean(ours.labels == theirs.labels_))
        print(f"inertia: custometrics {ours.inertia:.6f} ({ours.iterations} iterations), "
              f"scikit-learn {theirs.inertia_:.6f} ({theirs.n_iter_} iterations); "
              f"labels agree on {agree:.4%} of points")
        if abs(ours.inertia - theirs.inertia_) > 1e-6 * theirs.inertia_:
            raise SystemExit("k-means: inertia differs from scikit-learn's")
    print_ratios(results)


if __name__ == "__main__":
    main()
