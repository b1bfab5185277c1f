"""Break-even over time on Spark: when the cumulative revenue of a transaction log reaches its
cumulative cost (cost of goods plus fixed costs per month), month by month.

Each partition totals its rows per calendar month in the executors (the core's
``monthly_log_totals``); the driver collects these few rows (partitions x months) and hands
them to the core's ``break_even_over_time`` of monthly totals, which adds them up month by
month, fills the empty months with the fixed costs and finds the date. The result is that of
:func:`custometrics.break_even_over_time_from_log` on the same rows (the sums within a month
are added in another order, so the figures agree to about 1e-12 relative, not always to the
last bit).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pyspark.sql import types as St

from .. import _core
from ..cvp import BreakEvenOverTime
from . import _checks

__all__ = ["break_even_over_time"]

_US = 1_000_000


def _partition_months(batches):
    """The mapInArrow function: each batch's totals per month (month index, revenue, cost)."""
    import pyarrow as pa

    from custometrics import _core as core

    _checks.executor_setup()
    for batch in batches:
        if batch.num_rows == 0:
            continue
        t = core.monthly_log_totals(
            batch.column(0).cast(pa.int64()).to_numpy(),
            _US, batch.column(1).to_numpy(zero_copy_only=False).astype(np.float64),
            batch.column(2).to_numpy(zero_copy_only=False).astype(np.float64))
        yield pa.RecordBatch.from_arrays(
            [pa.array(t.month, type=pa.int64()), pa.array(t.revenue), pa.array(t.cost)],
            names=["month", "revenue", "cost"])


def break_even_over_time(
    df: Any,
    *,
    fixed_costs_per_month: float,
    date: str = "date",
    amount: str = "amount",
    cost: str = "cost",
) -> BreakEvenOverTime:
    """When cumulative revenue reaches cumulative total cost, over the calendar months of a
    Spark DataFrame of transactions: :func:`custometrics.break_even_over_time_from_log` on
    Spark.

    Revenue is the net amount of each month (returns negative), total cost its cost of goods
    plus ``fixed_costs_per_month``; months run from that of the first row to that of the last,
    empty months included, the last month whole.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        Transaction rows.
    fixed_costs_per_month : float
        Finite and >= 0.
    date, amount, cost : str
        The columns of the time (date or timestamp), net amount and cost of goods of each row.

    Returns
    -------
    custometrics.BreakEvenOverTime
        The months with cumulative revenue, cost and profit, and the break-even date (or the
        remaining gap).

    Raises
    ------
    custometrics.InputError
        Before any job for bad fixed costs, a missing column or one of the wrong type; after
        one check job for null or NaN values; for an empty DataFrame.

    Examples
    --------
    >>> rows = spark.createDataFrame(  # doctest: +SKIP
    ...     [("2024-01-10", 1500.0, 500.0), ("2024-02-05", 2500.0, 500.0),
    ...      ("2024-02-20", 2500.0, 500.0)], "date string, amount double, cost double")
    >>> r = break_even_over_time(rows.withColumn("date", rows.date.cast("date")),  # doctest: +SKIP
    ...                          fixed_costs_per_month=2000)
    >>> r.date  # doctest: +SKIP
    Timestamp('2024-02-15 12:00:00')
    """
    _core.check_fixed_costs_per_month(fixed_costs_per_month)  # the core's check, before any job
    df = _checks.frame(df)
    specs = [_checks.column(df, date, "date", "time"),
             _checks.column(df, amount, "amount", "number"),
             _checks.column(df, cost, "cost", "number")]
    _checks.scan(df, specs)
    schema = St.StructType([St.StructField("month", St.LongType(), False),
                            St.StructField("revenue", St.DoubleType(), False),
                            St.StructField("cost", St.DoubleType(), False)])
    rows = df.select(specs[0].col.cast("timestamp_ntz").alias("t"),
                     specs[1].col.cast("double").alias("a"),
                     specs[2].col.cast("double").alias("c"))
    totals = rows.mapInArrow(_partition_months, schema).collect()
    result = _core.break_even_over_time_monthly(
        [r["month"] for r in totals], [r["revenue"] for r in totals],
        [r["cost"] for r in totals], fixed_costs_per_month)
    return BreakEvenOverTime._from_core(result)
