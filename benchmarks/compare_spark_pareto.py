"""Side-by-side: Pareto figures per customer, product and channel of a generated log on Spark,
custometrics.spark (exact and fast modes) against the same computation in plain Spark SQL.

The log is benchmarks/spark_data.py's (written once to a parquet directory and read back by
every run, so each run pays the same scan). For each entity column, in one Spark session:

- ``custometrics``: :func:`custometrics.spark.pareto.pareto_exact` -- totals per entity
  (groupBy, the input check folded in), persisted and counted in one job; up to 2,000,000
  entities collected and ranked on the driver by the core (a second job), beyond a Spark sort
  and a distributed prefix sum; ABC classes per entity and the headline figures;
- ``cm-fast``: :func:`custometrics.spark.pareto.pareto_fast` (eps 0.01) -- totals per entity,
  a sketch per partition by the C++ core, bins merged by Spark, bounded figures;
- ``spark-sql``: the textbook SQL -- GROUP BY, ROW_NUMBER and a running SUM over a window
  ordered by value (Spark moves such an unpartitioned window to one partition), LAG for the
  share before each entity, classes, Gini as SUM((n - 1 - 2 r) v) / (n T).

The results are checked first (n, class counts and the 80% entity count equal; total, Gini
and top-20% share to 1e-9 relative, since sums of decimal amounts depend on their order; the
exact figures within the fast mode's bounds). The tools run interleaved (exact, fast, SQL,
exact, ...) ``--repeat`` times, so that a change in the machine's load falls on all three;
the best and the median of the runs are shown, with the Spark jobs each tool ran (counted by
job group) and the load average before and after. Ratios are to plain Spark SQL, best to best.
Before the timed runs of each session, one untimed full aggregation of the log warms the file
cache and the JIT. ``--masters local[2],local[1]`` repeats the customer run with one executor
core for the scaling.

    .venv-test/bin/python benchmarks/compare_spark_pareto.py --rows 20000000

(.venv-test is the environment scripts/test.sh makes, with pyspark 3.5 and pyarrow.)
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from spark_data import write_parquet  # noqa: E402

SQL = """
WITH t AS (SELECT {by} AS key, SUM(CAST(amount AS DOUBLE)) AS value FROM log GROUP BY {by}),
p AS (SELECT * FROM t WHERE value > 0),
tot AS (SELECT COUNT(*) AS n, SUM(value) AS total FROM p),
r AS (
  SELECT key, value,
         ROW_NUMBER() OVER w AS rank,
         SUM(value) OVER (ORDER BY value DESC, key
                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
  FROM p WINDOW w AS (ORDER BY value DESC, key)),
c AS (
  SELECT r.*, tot.n, tot.total, cum / tot.total AS cum_share,
         COALESCE(LAG(cum) OVER (ORDER BY value DESC, key), 0) / tot.total AS before
  FROM r CROSS JOIN tot),
k AS (
  SELECT *, CASE WHEN rank = 1 OR before < 0.8 THEN 'A'
                 WHEN before < 0.95 THEN 'B' ELSE 'C' END AS class
  FROM c)
SELECT FIRST(n) AS n, FIRST(total) AS total,
       GREATEST(SUM((n - 1 - 2 * (rank - 1)) * value), 0) / (FIRST(n) * FIRST(total)) AS gini,
       MIN(CASE WHEN cum_share >= 0.8 THEN rank END) / FIRST(n) AS entities_for_80pct,
       MAX(CASE WHEN rank = {k20} THEN cum_share END) AS top20_share,
       SUM(CASE WHEN class = 'A' THEN 1 ELSE 0 END) AS A,
       SUM(CASE WHEN class = 'B' THEN 1 ELSE 0 END) AS B,
       SUM(CASE WHEN class = 'C' THEN 1 ELSE 0 END) AS C
FROM k
"""


def session(master: str, partitions: int):
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName("custometrics-bench-pareto")
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", "8g")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.python.worker.reuse", "true")
            .getOrCreate())


def count_positive(spark, by: str) -> int:
    return spark.sql(f"SELECT COUNT(*) FROM (SELECT SUM(amount) v FROM log GROUP BY {by}) "
                     "WHERE v > 0").collect()[0][0]


def run_sql(spark, by: str, n: int):
    k20 = min(n, math.ceil(0.2 * n * (1 - 1e-12)))
    row = spark.sql(SQL.format(by=by, k20=k20)).collect()[0]
    return {"n": row["n"], "total": row["total"], "gini": row["gini"],
            "entities_for_80pct": row["entities_for_80pct"],
            "top20_share": row["top20_share"],
            "classes": {c: row[c] for c in "ABC"}}


def run_exact(log, by: str, collect_limit=None):
    from custometrics.spark.pareto import pareto_exact

    extra = {} if collect_limit is None else {"collect_limit": collect_limit}
    r = pareto_exact(log, by=by, value="amount", **extra)
    r.unpersist()
    return {"n": r.n, "total": r.total, "gini": r.gini,
            "entities_for_80pct": r.entities_for_80pct, "top20_share": r.top20_share,
            "classes": r.class_counts}


def run_fast(log, by: str):
    from custometrics.spark.pareto import pareto_fast

    return pareto_fast(log, by=by, value="amount", eps=0.01)


def timed(spark, group: str, fn):
    """Seconds, result and Spark jobs of one run of fn (its jobs in job group ``group``)."""
    sc = spark.sparkContext
    sc.setJobGroup(group, group)
    before = set(sc.statusTracker().getJobIdsForGroup(group))
    t0 = time.perf_counter()
    result = fn()
    secs = time.perf_counter() - t0
    jobs = len(set(sc.statusTracker().getJobIdsForGroup(group)) - before)
    sc.setLocalProperty("spark.jobGroup.id", None)
    return secs, result, jobs


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def check(by: str, exact, sql, fast) -> None:
    def close(x, y):
        return abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1e-300)

    assert exact["n"] == sql["n"], (by, exact, sql)
    assert exact["classes"] == sql["classes"], (by, exact, sql)
    assert exact["entities_for_80pct"] == sql["entities_for_80pct"], (by, exact, sql)
    for key in ("total", "gini", "top20_share"):
        assert close(exact[key], sql[key]), (by, key, exact, sql)
    assert fast.n == exact["n"] and close(fast.total, exact["total"]), (by, fast, exact)
    for key in ("gini", "entities_for_80pct", "top20_share"):
        _, lo, hi = getattr(fast, key)
        assert lo - 1e-9 <= exact[key] <= hi + 1e-9, (by, key, getattr(fast, key), exact[key])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--data", default="/tmp/custometrics_spark_log.parquet",
                    help="parquet directory of the log (written when missing)")
    ap.add_argument("--customers", type=int, default=None,
                    help="customer ids drawn from (default rows / 20); 10^7 for the 10^7 run")
    ap.add_argument("--by", default="customer,product,channel")
    ap.add_argument("--masters", default="local[2],local[1]",
                    help="comma-separated; entities after the first master: --scaling-by")
    ap.add_argument("--scaling-by", default="customer",
                    help="entity columns run under the masters after the first")
    ap.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved timed runs of each tool")
    ap.add_argument("--collect-limit", type=int, default=None,
                    help="pareto_exact's collect_limit (0: rank in Spark); default if not given")
    args = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    masters = args.masters.split(",")

    marker = os.path.join(args.data, f"_rows_{args.rows}_customers_{args.customers}")
    if not os.path.exists(marker):
        spark = session(masters[0], args.partitions)
        t0 = time.perf_counter()
        write_parquet(spark, args.data, args.rows, n_customers=args.customers)
        open(marker, "w").close()
        print(f"wrote {args.rows} rows to {args.data} in {time.perf_counter() - t0:.1f} s")
        spark.stop()

    times = {}
    for i, master in enumerate(masters):
        spark = session(master, args.partitions)
        spark.sparkContext.setLogLevel("ERROR")
        log = spark.read.parquet(args.data)
        log.createOrReplaceTempView("log")
        # Warm-up, untimed: Python workers started and custometrics imported in them (a few
        # rows), then one full scan and aggregation of the log (file cache, JIT), so that the
        # first timed tool does not pay for what the others get for free.
        small = log.limit(1000)
        run_exact(small, "customer")
        run_fast(small, "customer")
        spark.sql("SELECT customer, SUM(amount) FROM log GROUP BY customer").count()
        entities = args.by.split(",") if i == 0 else args.scaling_by.split(",")
        for by in entities:
            n = count_positive(spark, by)
            tools = (("custometrics", lambda: run_exact(log, by, args.collect_limit)),
                     ("cm-fast", lambda: run_fast(log, by)),
                     ("spark-sql", lambda: run_sql(spark, by, n)))
            runs = {name: [] for name, _ in tools}
            jobs, result = {}, {}
            load_before = load()
            for _ in range(args.repeat):
                for name, fn in tools:
                    secs, result[name], jobs[name] = timed(spark, name, fn)
                    runs[name].append(secs)
            exact, fast, sql = result["custometrics"], result["cm-fast"], result["spark-sql"]
            check(by, exact, sql, fast)
            best = {name: min(t) for name, t in runs.items()}
            times[(master, by)] = tuple(best.values())
            print(f"\n{master} {by}: n = {exact['n']}, total = {exact['total']:.2f}, "
                  f"gini = {exact['gini']:.6f}, entities_for_80pct = "
                  f"{exact['entities_for_80pct']:.6f}, top20_share = "
                  f"{exact['top20_share']:.6f}, classes = {exact['classes']}")
            print(f"  fast (eps 0.01, {fast.bins} bins): gini {fast.gini}, "
                  f"80% {fast.entities_for_80pct}, top20 {fast.top20_share}")
            print(f"  {load_before} before, {load()} after")
            print(f"  {'tool':<14}{'best s':>9}{'median s':>10}{'vs SQL':>9}{'jobs':>6}  runs")
            for name, t in runs.items():
                print(f"  {name:<14}{best[name]:>9.2f}{statistics.median(t):>10.2f}"
                      f"{best['spark-sql'] / best[name]:>8.2f}x{jobs[name]:>6}  "
                      + " ".join(f"{x:.2f}" for x in t))
        spark.stop()
    if len(masters) > 1:
        print("\nscaling (seconds, first master / second master):")
        for by in args.scaling_by.split(","):
            a, b = times.get((masters[0], by)), times.get((masters[1], by))
            if a and b:
                for j, name in enumerate(("custometrics", "cm-fast", "spark-sql")):
                    print(f"  {by:<10}{name:<14}{masters[1]} {b[j]:.2f}  {masters[0]} "
                          f"{a[j]:.2f}  speed-up {b[j] / a[j]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
