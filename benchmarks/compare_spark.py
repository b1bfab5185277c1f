"""Per-customer summary on Spark: custometrics.spark.summarize against the same computation in
plain Spark SQL, in one session, on a generated log (benchmarks/spark_data.py), and the
scaling of custometrics-on-Spark from one to two executor cores.

    .venv-test/bin/python benchmarks/compare_spark.py --rows 20000000

(.venv-test is the environment scripts/test.sh makes, with pyspark 3.5 and pyarrow.)

The log is written once to a parquet directory (``--parquet``, reused when present), and both
sides read it. The SQL side is what one would write by hand for the default options (days,
returns excluded, observation end = last row): purchase rows grouped by customer and day, then
by customer, joined with the totals of every row. Before timing, both run on a sample of the
customers (``customer % 500 = 0``) and must agree (monetary values to 1e-9 relative: the SQL
subtracts the first day's value from the total, the core sums the repeat days). Each side runs
once (``--repeat`` for more), its result written to Spark's ``noop`` sink so that every row is
computed. custometrics' time includes its checking pass (nulls, time range) and the driver's
window check. The scaling runs each side again in a child process per master (``local[1]``,
``local[2]``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import spark_data  # noqa: E402
from compare_summary import print_ratios  # noqa: E402

SQL = """
WITH rows AS (
    SELECT customer, date, to_date(CAST(date AS timestamp_ntz)) AS day, amount FROM log
),
per_day AS (
    SELECT customer, day, SUM(amount) AS value, MIN(date) AS first_t, MAX(date) AS last_t
    FROM rows WHERE amount >= 0 GROUP BY customer, day
),
model AS (
    SELECT customer, COUNT(*) - 1 AS frequency, MIN(day) AS first_day, MAX(day) AS last_day,
           SUM(value) AS total, MIN_BY(value, day) AS first_value,
           MIN(first_t) AS first_purchase, MAX(last_t) AS last_purchase
    FROM per_day GROUP BY customer
),
totals AS (
    SELECT customer, SUM(amount) AS revenue,
           -SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END) AS returns,
           COUNT_IF(amount >= 0) AS n_purchases, COUNT_IF(amount < 0) AS n_returns
    FROM rows GROUP BY customer
),
bounds AS (SELECT MAX(day) AS end_day FROM rows)
SELECT m.customer,
       CAST(m.frequency AS DOUBLE) AS frequency,
       CAST(datediff(m.last_day, m.first_day) AS DOUBLE) AS recency,
       CAST(datediff(b.end_day, m.first_day) AS DOUBLE) AS T,
       CASE WHEN m.frequency > 0 THEN (m.total - m.first_value) / m.frequency ELSE 0.0 END
           AS monetary_value,
       t.revenue, t.returns, t.n_purchases, t.n_returns, t.n_purchases AS orders,
       m.first_purchase, m.last_purchase
FROM model m JOIN totals t ON m.customer = t.customer CROSS JOIN bounds b
"""


def session(master: str, partitions: int):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(master).appName("custometrics-compare-spark")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", str(partitions))
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.driver.memory", "6g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def custometrics_side(log, partitions: int):
    from custometrics.spark import summarize

    return summarize(log, customer="customer", date="date", amount="amount",
                     partitions=partitions)


def sql_side(spark, log):
    log.createOrReplaceTempView("log")
    return spark.sql(SQL)


def run_noop(df) -> float:
    t0 = time.perf_counter()
    df.write.format("noop").mode("overwrite").save()
    return time.perf_counter() - t0


def check_sample(spark, log, partitions: int) -> int:
    sample = log.filter("customer % 500 = 0")
    a = custometrics_side(sample, partitions).toPandas().set_index("customer").sort_index()
    b = sql_side(spark, sample).toPandas().set_index("customer").sort_index()
    assert list(a.index) == list(b.index), "the two sides list different customers"
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if col == "monetary_value":
            np.testing.assert_allclose(x, y, rtol=1e-9, err_msg=col)
        elif np.issubdtype(x.dtype, np.floating):
            np.testing.assert_allclose(x, y, rtol=1e-12, err_msg=col)
        else:
            assert (x == y).all(), col
    return len(a)


def ensure_log(spark, path: str, rows: int) -> None:
    if os.path.exists(os.path.join(path, "_SUCCESS")):
        return
    t0 = time.perf_counter()
    spark_data.write_parquet(spark, path, rows)
    print(f"generated {rows:,} rows into {path} in {time.perf_counter() - t0:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--parquet", default="/tmp/custometrics_spark_log")
    ap.add_argument("--partitions", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--only", choices=["custometrics", "spark-sql"],
                    help="time one side alone (the scaling runs)")
    ap.add_argument("--no-scaling", action="store_true")
    args = ap.parse_args()
    path = f"{args.parquet}_{args.rows}"

    spark = session(args.master, args.partitions)
    ensure_log(spark, path, args.rows)
    log = spark.read.parquet(path)
    if args.only:
        def side():
            if args.only == "custometrics":
                return custometrics_side(log, args.partitions)
            return sql_side(spark, log)

        secs = min(run_noop(side()) for _ in range(args.repeat))
        print(f"{args.only} {args.master}: {secs:.2f} s")
        spark.stop()
        return

    n = check_sample(spark, log, args.partitions)
    print(f"sample: {n} customers, the two sides agree")
    results = {}
    results["custometrics"] = (min(run_noop(custometrics_side(log, args.partitions))
                                   for _ in range(args.repeat)), None)
    results["spark-sql"] = (min(run_noop(sql_side(spark, log)) for _ in range(args.repeat)), None)
    customers = log.select("customer").distinct().count()
    print(f"{args.rows:,} rows, {customers:,} customers, {args.master}, "
          f"{args.partitions} shuffle partitions")
    print_ratios(results)
    spark.stop()

    if not args.no_scaling:
        print("\nscaling from one to two executor cores (a fresh process per run):")
        for side in ("custometrics", "spark-sql"):
            for master in ("local[1]", "local[2]"):
                out = subprocess.run([sys.executable, __file__, "--rows", str(args.rows),
                                      "--parquet", args.parquet, "--partitions",
                                      str(args.partitions), "--master", master,
                                      "--only", side, "--repeat", str(args.repeat)],
                                     capture_output=True, text=True, check=True)
                print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
