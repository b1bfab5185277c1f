"""Per-customer summaries of a Spark DataFrame of transactions, by the C++ core in the executors.

The rows are repartitioned by customer (one shuffle, as any group-by), so each customer's rows
meet in one partition, and each partition is summarised by :func:`custometrics.summarize`'s core
inside ``mapInArrow``. The one figure every partition must share, the observation end (default:
the time of the last row of the whole log), comes from one aggregate job that also checks the
input (nulls, NaN) and finds the earliest and latest rows; the driver validates the options and
the window on those two rows with the core before the main job, so a bad option, an end outside
the data or a late row raise on the driver with a message naming the argument.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Optional

import numpy as np

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .. import _core
from .._errors import data_error
from .._frames import to_seconds
from . import _checks

__all__ = ["summarize"]

_EPOCH = _dt.datetime(1970, 1, 1)
_US = 1_000_000


def _micros(value: _dt.datetime) -> int:
    """Microseconds since the epoch of a naive datetime (a timestamp_ntz value)."""
    delta = value - _EPOCH
    return (delta.days * 86400 + delta.seconds) * _US + delta.microseconds


def _key_type(spec: _checks.Spec) -> T.DataType:
    return T.StringType() if spec.is_string else T.LongType()


def _output_schema(customer: str, key_type: T.DataType, holdout: bool, with_cost: bool
                   ) -> T.StructType:
    suffix = "_cal" if holdout else ""
    names = [f"frequency{suffix}", f"recency{suffix}", f"T{suffix}", f"monetary_value{suffix}"]
    if holdout:
        names += ["frequency_holdout", "monetary_value_holdout", "duration_holdout"]
    names += ["revenue", "returns"] + (["profit"] if with_cost else [])
    fields = [T.StructField(customer, key_type, False)]
    fields += [T.StructField(n, T.DoubleType(), False) for n in names]
    fields += [T.StructField(n, T.LongType(), False)
               for n in ("n_purchases", "n_returns", "orders")]
    fields += [T.StructField(n, T.TimestampNTZType(), True)
               for n in ("first_purchase", "last_purchase")]
    return T.StructType(fields)


def _core_options(time_unit: str, unit_scale: float, observation_end: Optional[int],
                  calibration_end: Optional[int], returns: str, late: str,
                  include_first_transaction: bool, customer: str, order: str) -> Dict[str, Any]:
    return dict(time_unit=time_unit, unit_scale=float(unit_scale),
                observation_end=observation_end, calibration_end=calibration_end,
                returns=returns, late=late,
                include_first_transaction=bool(include_first_transaction), threads=1, customer_column=customer, order_column=order)


def _partition_summarizer(options: Dict[str, Any], schema: T.StructType, string_keys: bool,
                          with_cost: bool, with_order: bool):
    """The mapInArrow function: every batch of one partition, summarised at once by the core."""
    names = [f.name for f in schema.fields]

    def run(batches):
        import pyarrow as pa

        from custometrics import _core as core

        _checks.executor_setup()
        batches = list(batches)
        if not batches:
            return
        table = pa.Table.from_batches(batches)
        if table.num_rows == 0:
            return
        keys = table.column(0).to_numpy(zero_copy_only=False)
        if string_keys:
            keys = keys.astype(object)
        ticks = table.column(1).cast(pa.int64()).to_numpy()
        amount = table.column(2).to_numpy().astype(np.float64, copy=False)
        col = 3
        cost = None
        if with_cost:
            cost = table.column(col).to_numpy().astype(np.float64, copy=False)
            col += 1
        order = None
        if with_order:
            order = table.column(col).to_numpy(zero_copy_only=False)
            if order.dtype.kind == "O":
                order = order.astype(object)
        cal_end = options["calibration_end"]
        if cal_end is not None and int(ticks.min()) // _US > cal_end:
            # Every customer of this partition starts after the calibration end: none is a row
            # (the driver checked the window against the whole log).
            return
        try:
            all_keys, raw = core.summarize(customer=keys, time=ticks, ticks_per_second=_US,
                                           amount=amount, cost=cost, order=order, **options)
        except core.InputError as e:
            # The observation end was checked against the first row of the whole log; here it
            # precedes every row of this partition, which are then all late and dropped.
            if e.argument == "observation_end" and options["late"] == "drop":
                return
            raise
        n = len(raw)
        if n == 0:
            return
        holdout = raw.calibration_end is not None
        values: List[Any] = [all_keys[raw.customer]]
        values += [raw.frequency, raw.recency, raw.T, raw.monetary_value]
        if holdout:
            values += [raw.frequency_holdout, raw.monetary_value_holdout,
                       np.full(n, raw.duration_holdout, dtype=np.float64)]
        values += [raw.revenue, raw.returns]
        if with_cost:
            values.append(raw.profit)
        values += [raw.n_purchases, raw.n_returns, raw.orders]
        arrays = []
        for field, v in zip(schema.fields, values):
            if isinstance(field.dataType, T.StringType):
                arrays.append(pa.array(v.tolist(), type=pa.string()))
            elif isinstance(field.dataType, T.LongType):
                arrays.append(pa.array(np.asarray(v, dtype=np.int64)))
            else:
                arrays.append(pa.array(np.asarray(v, dtype=np.float64)))
        for name in ("first_purchase", "last_purchase"):
            ns = np.asarray(getattr(raw, name), dtype=np.int64)
            missing = ns == np.iinfo(np.int64).min
            arrays.append(pa.array(ns // 1000, type=pa.timestamp("us"), mask=missing))
        yield pa.RecordBatch.from_arrays(arrays, names=names)

    return run


def summarize(
    df: DataFrame,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    cost: Optional[str] = None,
    order: Optional[str] = None,
    time_unit: str = "days",
    unit_scale: float = 1.0,
    observation_end: Any = None,
    calibration_end: Any = None,
    returns: str = "exclude",
    late: str = "error",
    include_first_transaction: bool = False,
    partitions: Optional[int] = None,
) -> DataFrame:
    """Summarize a Spark DataFrame of transactions per customer, as :func:`custometrics.summarize`.

    Same definitions, options and columns as :func:`custometrics.summarize` (see it for each
    column and option); the customer key is a column of the result instead of the index. The
    per-partition work is the C++ core's, in the executors; the result is a lazy Spark
    DataFrame (no order: sort it if you need one).

    Values equal the single-machine ones. Sums (``revenue``, ``monetary_value`` ...) add a
    customer's amounts in the order the shuffle delivers them, so with amounts that are not
    exact in binary they may differ from the single-machine sums in the last bits.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The transaction log, one row per purchase (or return).
    customer, date, amount : str
        Column names: the customer key (integer or string), the time of the row (timestamp,
        timestamp_ntz or date; timestamps are taken at their wall time in the session time
        zone, as a pandas copy of the frame would show them) and the amount (numeric).
    cost, order : str, optional
        Cost (numeric; adds ``profit``) and order key (integer or string; ``orders`` then
        counts distinct orders) columns.
    time_unit, unit_scale, observation_end, calibration_end, returns, late, \
include_first_transaction
        As in :func:`custometrics.summarize`. ``late="drop"`` drops late rows, but their count
        (``attrs["rows_dropped_after_end"]`` there) is not computed.
    partitions : int, optional
        Partitions of the shuffle by customer; default ``spark.sql.shuffle.partitions``. Each
        partition is held in an executor's memory while the core summarises it, so choose
        enough partitions for large logs (a few million rows each at most).

    Returns
    -------
    pyspark.sql.DataFrame
        One row per customer with a purchase in the (calibration) window: the customer column
        (long or string), then the columns of :func:`custometrics.summarize` in its order;
        ``first_purchase`` and ``last_purchase`` have the type of ``date`` (timestamp_ntz for
        a date column). The customers without purchase of ``attrs`` are not listed.

    Raises
    ------
    ValueError
        Before the main job: a missing column or one of a wrong type (naming the argument and
        the column), a null key or date, a NaN or infinite amount or cost (naming the column
        and showing one such row), an empty log, a bad option, an end outside the data, or
        rows after the observation end under ``late="error"``.

    Examples
    --------
    >>> from custometrics.spark import summarize                       # doctest: +SKIP
    >>> s = summarize(log, customer="customer_id", date="date",        # doctest: +SKIP
    ...               amount="amount", calibration_end="2024-06-30")
    """
    df = _checks.frame(df)
    specs = [_checks.column(df, customer, "customer", "key"),
             _checks.column(df, date, "date", "time"),
             _checks.column(df, amount, "amount", "number")]
    cost_spec = _checks.column(df, cost, "cost", "number") if cost is not None else None
    order_spec = _checks.column(df, order, "order", "key") if order is not None else None
    specs += [s for s in (cost_spec, order_spec) if s is not None]
    key_spec, date_spec = specs[0], specs[1]
    obs_sec = to_seconds(observation_end, "observation_end")
    cal_sec = to_seconds(calibration_end, "calibration_end")

    key_col = key_spec.col if key_spec.is_string else key_spec.col.cast("long")
    time_col = date_spec.col.cast("timestamp_ntz")
    first_time, last_time, first_key, last_key = _checks.scan(
        df, specs, [F.min(time_col), F.max(time_col), F.min_by(key_col, time_col),
                    F.max_by(key_col, time_col)])
    if first_time is None:
        raise data_error("df: the DataFrame has no rows (the log is empty)", argument="df")
    first_time = _dt.datetime.combine(first_time, _dt.time()) \
        if not isinstance(first_time, _dt.datetime) else first_time
    last_time = _dt.datetime.combine(last_time, _dt.time()) \
        if not isinstance(last_time, _dt.datetime) else last_time

    # The options and the window, checked by the core on the earliest and the latest row of
    # the whole log (late="drop" so that a late latest row is counted rather than raised).
    order_name = order if order is not None else "order"
    probe_keys = np.array([first_key, last_key], dtype=object if key_spec.is_string else np.int64)
    _, probe = _core.summarize(
        customer=probe_keys,
        time=np.array([_micros(first_time), _micros(last_time)], dtype=np.int64),
        ticks_per_second=_US, amount=np.ones(2), cost=None, order=None,
        **_core_options(time_unit, unit_scale, obs_sec, cal_sec, returns, "drop",
                        include_first_transaction, customer, order_name))
    if probe.rows_dropped_after_end and late == "error":
        raise data_error(
            f"date: column {date!r} of the DataFrame holds rows after the observation end "
            f"{_seconds_text(probe.observation_end)}; the latest is {last_time} of customer "
            f"{last_key!r} (pass late='drop' to leave such rows out)",
            argument="date", column=date, key=last_key, value=last_time)
    end = int(probe.observation_end)
    options = _core_options(time_unit, unit_scale, end, cal_sec, returns, late,
                            include_first_transaction, customer, order_name)

    holdout = cal_sec is not None
    schema = _output_schema(customer, _key_type(key_spec), holdout, cost_spec is not None)
    cols = [key_col.alias("k"), time_col.alias("t"), specs[2].col.cast("double").alias("a")]
    if cost_spec is not None:
        cols.append(cost_spec.col.cast("double").alias("c"))
    if order_spec is not None:
        cols.append((order_spec.col if order_spec.is_string else order_spec.col.cast("long"))
                    .alias("o"))
    rows = df.select(*cols)
    rows = rows.repartition(partitions, "k") if partitions else rows.repartition("k")
    out = rows.mapInArrow(
        _partition_summarizer(options, schema, key_spec.is_string, cost_spec is not None,
                              order_spec is not None), schema)
    if isinstance(date_spec.dtype, T.TimestampType):
        out = out.withColumn("first_purchase", F.col("first_purchase").cast("timestamp")) \
                 .withColumn("last_purchase", F.col("last_purchase").cast("timestamp"))
    return out


def _seconds_text(seconds: int) -> str:
    return str(_EPOCH + _dt.timedelta(seconds=int(seconds)))
