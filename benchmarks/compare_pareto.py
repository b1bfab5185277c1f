"""Side-by-side: Pareto analysis of revenue per customer, custometrics vs its peers.

End to end from in-memory transaction columns of a generated log (default 10,000,000 rows,
1,000,000 customers): revenue total per customer -> ranked curve (rank, cumulative share) ->
ABC classes (A while the cumulative share before the customer is below 80%, B below 95%) ->
Gini, by custometrics (through Python), pandas, polars, DuckDB and numpy, in one run on the
same data. Each tool produces its own table of ranked customers with their class and the
Gini; class counts and Gini are checked against custometrics' before any time is reported.

    python benchmarks/compare_pareto.py [--rows 10000000] [--customers 1000000] [--repeat 9]

Customers whose revenue total is <= 0 are left out of the ranking by every tool (the
custometrics default). Ties are ranked by customer id everywhere. custometrics, polars and
DuckDB use every core (DuckDB set explicitly); pandas and numpy use one. Figures are the
minimum over --repeat runs (pandas: half as many) after one warm-up run.
"""
from __future__ import annotations

import argparse
import os

import numpy as np

from compare_summary import best_of, make_log, print_ratios


def classes_from_cum(cum_before: np.ndarray) -> np.ndarray:
    return np.where(cum_before < 0.8, 0, np.where(cum_before < 0.95, 1, 2))


def gini_desc(v_desc: np.ndarray) -> float:
    n = v_desc.size
    x = v_desc[::-1]
    i = np.arange(1, n + 1, dtype=np.float64)
    return float(2.0 * np.dot(i, x) / (n * x.sum()) - (n + 1) / n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    cores = os.cpu_count() or 1

    import custometrics as cm
    import pandas as pd

    cols = make_log(args.rows, args.customers)
    # Some returns, so that a few customers net to <= 0 and ranking must leave them out.
    rng = np.random.default_rng(7)
    cols["amount"][rng.random(args.rows) < 0.03] *= -1
    df = pd.DataFrame(cols)
    print(f"log: {args.rows:,} rows, {args.customers:,} customers, {cores} cores")

    results = {}

    def run_cm():
        r = cm.pareto(df, by="customer_id", value="amount")
        return np.array([r.class_counts["A"], r.class_counts["B"], r.class_counts["C"]]), r.gini

    results["custometrics"] = best_of(run_cm, args.repeat, warmup=True)
    ref_counts, ref_gini = results["custometrics"][1]

    def run_pandas():
        s = df.groupby("customer_id")["amount"].sum()
        s = s[s > 0].sort_values(ascending=False, kind="stable")  # index ascending: ties by id
        total = s.sum()
        cum = s.cumsum() / total
        out = pd.DataFrame({"value": s, "rank": np.arange(1, len(s) + 1), "cum_share": cum,
                            "abc": classes_from_cum((cum - s / total).to_numpy())})
        return np.bincount(out["abc"].to_numpy(), minlength=3), gini_desc(s.to_numpy())

    def run_numpy():
        totals = np.bincount(cols["customer_id"], weights=cols["amount"])
        ids = np.flatnonzero(totals > 0)
        v = totals[ids]
        order = np.argsort(-v, kind="stable")  # ids ascending: ties by id
        v = v[order]
        cum = np.cumsum(v) / v.sum()
        abc = classes_from_cum(cum - v / v.sum())
        return np.bincount(abc, minlength=3), gini_desc(v)

    results["pandas"] = best_of(run_pandas, max(1, args.repeat // 2), warmup=True)
    # numpy is the fastest peer: as many calls as custometrics, so both get the same chance.
    results["numpy"] = best_of(run_numpy, args.repeat, warmup=True)

    try:
        import polars as pl

        pdf = pl.DataFrame(cols)

        def run_polars():
            t = (pdf.group_by("customer_id").agg(pl.col("amount").sum().alias("value"))
                 .filter(pl.col("value") > 0)
                 .sort(["value", "customer_id"], descending=[True, False]))
            total = pl.col("value").sum()
            n = pl.len().cast(pl.Float64)
            t = t.with_columns(rank=pl.int_range(1, pl.len() + 1),
                               cum_share=pl.col("value").cum_sum() / total)
            t = t.with_columns(abc=pl.when(pl.col("cum_share") - pl.col("value") / total < 0.8).then(0)
                               .when(pl.col("cum_share") - pl.col("value") / total < 0.95).then(1)
                               .otherwise(2))
            g = t.select((2.0 * ((n + 1 - pl.col("rank")) * pl.col("value")).sum() / (n * total)
                          - (n + 1) / n).alias("gini")).item()
            return np.bincount(t["abc"].to_numpy(), minlength=3), g

        results["polars"] = best_of(run_polars, args.repeat, warmup=True)
    except ImportError:
        print("polars: not installed, skipped")

    try:
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET threads = {cores}")
        con.register("log", df)
        query = """
            WITH t AS (SELECT customer_id, sum(amount) AS value FROM log GROUP BY customer_id
                       HAVING sum(amount) > 0),
                 r AS (SELECT customer_id, value,
                              row_number() OVER w AS rank,
                              sum(value) OVER (w ROWS UNBOUNDED PRECEDING) AS cum,
                              sum(value) OVER () AS total, count(*) OVER () AS n
                       FROM t WINDOW w AS (ORDER BY value DESC, customer_id))
            SELECT customer_id, value, rank, cum / total AS cum_share,
                   CASE WHEN (cum - value) / total < 0.8 THEN 0
                        WHEN (cum - value) / total < 0.95 THEN 1 ELSE 2 END AS abc,
                   2.0 * sum((n + 1 - rank) * value) OVER () / (n * total) - (n + 1.0) / n AS gini
            FROM r"""

        def run_duckdb():
            t = con.sql(query).to_arrow_table()
            return np.bincount(t.column("abc").to_numpy(), minlength=3), t.column("gini")[0].as_py()

        results["duckdb"] = best_of(run_duckdb, args.repeat, warmup=True)
    except ImportError:
        print("duckdb: not installed, skipped")

    for name, (_, (counts, g)) in results.items():
        assert np.array_equal(counts, ref_counts), (name, counts, ref_counts)
        assert abs(g - ref_gini) < 1e-9, (name, g, ref_gini)

    print(f"classes A/B/C {ref_counts.tolist()}, Gini {ref_gini:.6f} (all tools agree)")
    print_ratios(results)

if __name__ == "__main__":
    main()
