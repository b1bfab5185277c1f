"""A generated transaction log as a Spark DataFrame (or a parquet directory) for the Spark
benchmarks (compare_spark.py, compare_spark_pareto.py).

Columns: ``customer`` (long), ``date`` (timestamp, to the second, 2021-01-01 to 2023-12-31),
``amount`` (double; about 2% are returns, negative), ``product`` (string), ``channel``
(string: web, store, app, phone) and ``cost`` (double, in the sign of the amount). Every value
is a hash of the row number and the seed (``xxhash64``), so the log is the same for a given
``(n_rows, seed)`` whatever the partitioning, the cluster or the Spark version's random
generators. Purchases are skewed as real logs are: customer ids and products are drawn with
densities rising towards the small ids (a few heavy buyers and best sellers), amounts are
log-uniform between about 2 and 400.

    python benchmarks/spark_data.py --rows 20000000 --out /tmp/log.parquet
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Optional

START = 1609459200  # 2021-01-01T00:00:00Z
SPAN = 3 * 365 * 86400
CHANNELS = ["web", "store", "app", "phone"]


def _uniform(F: Any, seed: int, k: int) -> Any:
    """A uniform [0, 1) column drawn from the row id (xxhash64 of id and seed, 53 bits)."""
    h = F.xxhash64(F.col("id"), F.lit(seed * 1000 + k))
    return F.pmod(h, F.lit(1 << 53)).cast("double") / float(1 << 53)


def transactions(spark: Any, n_rows: int, *, seed: int = 42, n_customers: Optional[int] = None,
                 n_products: int = 5000, partitions: Optional[int] = None) -> Any:
    """The log of ``n_rows`` rows as a (lazy) Spark DataFrame; ``n_customers`` defaults to
    ``n_rows // 20`` (at least 1), so a customer has 20 rows on average."""
    from pyspark.sql import functions as F

    if n_rows < 1:
        raise ValueError(f"n_rows: must be positive, got {n_rows}")
    customers = n_customers if n_customers is not None else max(1, n_rows // 20)
    ids = spark.range(0, n_rows, 1, partitions) if partitions else spark.range(0, n_rows)
    u = [_uniform(F, seed, k) for k in range(6)]
    base = F.exp(F.lit(0.7) + u[2] * F.lit(5.3))  # 2 to 400, log-uniform
    amount = F.round(F.when(u[3] < 0.02, -base).otherwise(base), 2)
    return ids.select(
        F.floor(F.pow(u[0], F.lit(1.5)) * customers).cast("long").alias("customer"),
        F.timestamp_seconds(F.lit(START) + F.floor(u[1] * SPAN).cast("long")).alias("date"),
        amount.alias("amount"),
        F.format_string("P%05d", F.floor(F.pow(u[4], F.lit(2.0)) * n_products).cast("int"))
        .alias("product"),
        F.element_at(F.array(*[F.lit(c) for c in CHANNELS]),
                     (F.floor(u[5] * len(CHANNELS)) + 1).cast("int")).alias("channel"),
        F.round(amount * (F.lit(0.4) + u[5] * F.lit(0.3)), 2).alias("cost"),
    )


def write_parquet(spark: Any, path: str, n_rows: int, *, seed: int = 42,
                  partitions: Optional[int] = None, n_customers: Optional[int] = None) -> str:
    """Write the log to the parquet directory ``path`` (overwritten); returns ``path``."""
    transactions(spark, n_rows, seed=seed, partitions=partitions, n_customers=n_customers) \
        .write.mode("overwrite").parquet(path)
    return path


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", required=True, help="parquet directory to write")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(args.master).appName("custometrics-spark-data")
             .config("spark.ui.enabled", "false").getOrCreate())
    write_parquet(spark, args.out, args.rows, seed=args.seed)
    print(f"wrote {args.rows} rows to {args.out}")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
