"""Pareto figures on Spark: the 80/20 curve, ABC classes and Gini of any indicator per entity
(customers, products, channels: any key column, any measure column), in two modes.

Both modes first total the measure per entity in Spark (``groupBy(by).sum(value)``, the
values cast to double, as :func:`custometrics.pareto` totals rows); the definitions (ranking,
ties by key, ABC boundary rules, entities with a total <= 0, Gini) are those of
:func:`custometrics.pareto` and ``custometrics/pareto.hpp``.

- :func:`pareto_exact`: the entities are ranked by a Spark sort (total descending, then key
  ascending), which range-partitions them: partition p holds a contiguous run of ranks. The
  cumulative sums are a distributed prefix sum: one job sums each partition in the executors
  (count, sum, and the partition's part of the Gini numerator), the driver collects these few
  numbers per partition and turns them into offsets, and a second pass adds each partition's
  offsets to its running sums, giving rank, cumulative share and ABC class per entity (a Spark
  DataFrame ``key, value, rank, cum_share, class``). No window without partitioning, so no
  single partition holds every entity. The headline figures come from one aggregate job over
  that DataFrame. Collected to the driver: a handful of numbers per partition, and one row.
- :func:`pareto_fast`: nothing per entity leaves the executors. Each partition of the totals
  adds them to a ``ParetoSketch`` of the C++ core (``custometrics/pareto_sketch.hpp``: value
  bins of relative width <= eps with exact count, sum, minimum and maximum), Spark merges the
  bins by index, and the driver collects the merged bins (a few thousand rows for eps = 0.01,
  whatever the number of entities) and computes each figure as an estimate with proven lower
  and upper bounds. Only ``nonpositive="separate"``.

Inputs are checked before the main jobs: a missing column or a wrong type (schema, no job),
null keys or values and NaN or infinite values (one aggregate job); each error names the
argument and the column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple

import numpy as np
import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .. import _core
from .._errors import data_error, input_error
from ..pareto_analysis import _check_options
from . import _checks

__all__ = ["SparkParetoResult", "SparkParetoBounds", "pareto_exact", "pareto_fast"]

_CLASSES = ("A", "B", "C")


# --------------------------------------------------------------------------------------------
# Input


def _check_choice(name: str, got: Any, allowed: Tuple[str, ...]) -> str:
    if got not in allowed:
        raise input_error(f"{name}: expected " + " or ".join(repr(a) for a in allowed)
                          + f", got {got!r}", argument=name, value=got)
    return got


def _totals(df: Any, by: Any, value: Any) -> DataFrame:
    """Checks the input (schema, then one job for nulls/NaN) and returns the totals per entity:
    columns ``key`` and ``value`` (double)."""
    df = _checks.frame(df)
    key = _checks.column(df, by, "by", "key")
    measure = _checks.column(df, value, "value", "number")
    _checks.scan(df, [key, measure])
    return (df.groupBy(key.col.alias("key"))
            .agg(F.sum(measure.col.cast("double")).alias("value")))


def _raise_overflow(totals: DataFrame, by: Any, value: Any) -> None:
    """Raises a DataError (argument "value", the column, and the entity's key and total) naming
    one entity whose total is infinite (one small job), on the driver."""
    row = totals.filter(F.abs(F.col("value")) == float("inf")).limit(1).collect()
    by_name = by if isinstance(by, str) else "key"
    value_name = value if isinstance(value, str) else "value"
    if row:
        key, total = row[0]["key"], row[0]["value"]
        raise data_error(f"value: column {value_name!r}: the total of {by_name} {key!r} is "
                         f"{total} (the sum of its values overflows a double)",
                         argument="value", column=value_name, key=key, value=total)
    raise data_error(f"value: column {value_name!r}: the sum of the totals overflows a double",
                     argument="value", column=value_name)


def _top_count(fraction: float, n: int) -> int:
    """ceil(fraction * n) with the core's relative tolerance of 1e-12 (pareto.hpp)."""
    return min(n, int(math.ceil(fraction * n * (1.0 - 1e-12))))


def _running(v: np.ndarray, carry: float) -> np.ndarray:
    """carry + v[0], + v[1], ...: the sums added one at a time, left to right."""
    return np.cumsum(np.concatenate(([carry], v)))[1:]


def _not_ranked_reason(count: int) -> str:
    return ("no entities" if count == 0
            else f"no entity has a value > 0 ({count} entities, all <= 0)")


# --------------------------------------------------------------------------------------------
# Exact mode

_PASS1_FIELDS = [("pid", pa.int64()), ("ranked", pa.int64()), ("positive", pa.int64()),
                 ("total", pa.float64()), ("local_w", pa.float64()), ("absolute", pa.float64()),
                 ("rest", pa.int64()), ("rest_total", pa.float64()),
                 ("first_value", pa.float64()), ("first_key", pa.string())]
_PASS1_SCHEMA = ("pid long, ranked long, positive long, total double, local_w double, "
                 "absolute double, rest long, rest_total double, first_value double, "
                 "first_key string")


def _pass1(include: bool):
    """Per partition of the sorted totals: count of ranked entities (and of those > 0), their
    sum (added in rank order), the partition's Gini numerator sum_i (c - 1 - 2i) v_i, sum |v|,
    the count and sum of the entities not ranked (value <= 0 under "separate"), and its first
    row (to check that pass 2 sees the same partitions)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _checks.executor_setup()
        from pyspark import TaskContext

        parts: List[np.ndarray] = []
        first: Tuple[Optional[float], Optional[str]] = (None, None)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            v = batch.column(1).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
            if first[0] is None:
                first = (float(v[0]), str(batch.column(0)[0].as_py()))
            parts.append(v)
        v = np.concatenate(parts) if parts else np.empty(0)
        ranked = v if include else v[v > 0]
        rest = v[len(ranked):]
        c = len(ranked)
        running = _running(ranked, 0.0)
        total = float(running[-1]) if c else 0.0
        weights = (c - 1) - 2.0 * np.arange(c, dtype=np.float64)
        row = {
            "pid": [TaskContext.get().partitionId()], "ranked": [c],
            "positive": [int((ranked > 0).sum())], "total": [total],
            "local_w": [float(np.dot(weights, ranked))],
            "absolute": [float(np.abs(ranked).sum())], "rest": [len(rest)],
            "rest_total": [float(rest.sum())], "first_value": [first[0]],
            "first_key": [first[1]],
        }
        yield pa.RecordBatch.from_pydict(row, schema=pa.schema(_PASS1_FIELDS))

    return run


def _pass2(offsets: Dict[int, Tuple[int, float, Optional[float], Optional[str]]], n: int,
           n_positive: int, total: float, a: float, b: float, before: bool, include: bool):
    """Rank, cumulative share and class of each ranked entity of a partition, from the
    partition's offsets (ranks and sum before it)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _checks.executor_setup()
        from pyspark import TaskContext

        pid = TaskContext.get().partitionId()
        if pid not in offsets:
            raise RuntimeError(
                f"pareto_exact: partition {pid} of the sorted totals was not seen by the first "
                "pass: Spark recomputed the sort differently; run again")
        rank0, carry, first_value, first_key = offsets[pid]
        prev_cum = carry / total if total else 0.0
        # As the core sums in blocks: cum = (carry + sum within the partition) / total, so the
        # last cum of a partition is the next partition's carry / total to the last bit.
        local = 0.0
        checked = False
        for batch in batches:
            if batch.num_rows == 0:
                continue
            keys = batch.column(0)
            v = batch.column(1).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
            if not checked:
                if (float(v[0]), str(keys[0].as_py())) != (first_value, first_key):
                    raise RuntimeError(
                        "custometrics.spark.pareto_exact: partition "
                        f"{pid} changed between the two passes (the sorted totals were "
                        "recomputed differently); persist the input and retry")
                checked = True
            if not include:
                keep = v > 0
                if not keep.all():
                    v = v[keep]
                    keys = keys.filter(pa.array(keep))
            m = len(v)
            if m == 0:
                continue
            running = _running(v, local)
            cum = (carry + running) / total
            rank = rank0 + np.arange(m, dtype=np.int64)  # 0-based
            positive = rank < n_positive
            if before:
                cum_before = np.concatenate(([prev_cum], cum[:-1]))
                is_a = positive & ((rank == 0) | (cum_before < a))
                is_b = positive & ~is_a & (cum_before < b)
            else:
                is_a = positive & (cum <= a)
                is_b = positive & ~is_a & (cum <= b)
            cls = np.where(is_a, "A", np.where(is_b, "B", "C"))
            yield pa.RecordBatch.from_arrays(
                [keys, pa.array(v), pa.array(rank + 1), pa.array(cum), pa.array(cls)],
                names=["key", "value", "rank", "cum_share", "class"])
            local = float(running[-1])
            prev_cum = float(cum[-1])
            rank0 += m

    return run


@dataclass(frozen=True)
class SparkParetoResult:
    """An exact Pareto analysis on Spark (see :func:`pareto_exact`); the figures equal those of
    :class:`custometrics.ParetoResult` on the same data.

    Attributes
    ----------
    n, total, gini, gini_small_sample, gini_rsv, entities_for_80pct, top20_share,
    class_counts, class_shares, not_ranked, not_ranked_total, defined, reason, a, b, rule,
    nonpositive
        As in :class:`custometrics.ParetoResult`.
    entities : pyspark.sql.DataFrame
        One row per ranked entity: ``key``, ``value`` (its total), ``rank`` (1-based),
        ``cum_share`` and ``class`` ("A", "B" or "C"). Computed from the sorted totals, which
        are persisted: call :meth:`unpersist` when done with it.
    not_ranked_entities : pyspark.sql.DataFrame
        ``key`` and ``value`` of the entities left out of the ranking (value <= 0 under
        ``nonpositive="separate"``), value descending, then key.
    """

    n: int
    total: float
    gini: float
    gini_small_sample: float
    gini_rsv: float
    entities_for_80pct: float
    top20_share: float
    class_counts: Dict[str, int]
    class_shares: Dict[str, float]
    not_ranked: int
    not_ranked_total: float
    defined: bool
    reason: str
    a: float
    b: float
    rule: str
    nonpositive: str
    entities: DataFrame = field(repr=False, compare=False)
    not_ranked_entities: DataFrame = field(repr=False, compare=False)
    _sorted: DataFrame = field(repr=False, compare=False)

    def unpersist(self) -> None:
        """Release the persisted sorted totals behind :attr:`entities`."""
        self._sorted.unpersist()


def pareto_exact(
    df: Any,
    *,
    by: str,
    value: str,
    a: float = 0.8,
    b: float = 0.95,
    rule: str = "before",
    nonpositive: str = "separate",
) -> SparkParetoResult:
    """Exact Pareto (80/20) analysis of a measure per entity of a Spark DataFrame.

    Totals ``value`` per ``by`` in Spark, ranks the entities by a Spark sort (total
    descending, ties by key ascending), accumulates the shares by a distributed prefix sum,
    and classes each entity A, B or C (see the module docstring). The figures and the classes
    are those of ``custometrics.pareto(rows, by=by, value=value, ...)`` on the same rows.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        Transaction rows.
    by : str
        Entity key column (integers or strings, no nulls): customer, product, channel...
    value : str
        Measure column (any numeric type, no nulls, no NaN): revenue, profit, quantity...
    a, b : float, default 0.8 and 0.95
        Class thresholds on the cumulative share, 0 < a < b <= 1.
    rule : {"before", "including"}, default "before"
        ABC boundary rule, as in :func:`custometrics.pareto`.
    nonpositive : {"separate", "include"}, default "separate"
        Entities with a total <= 0: left out of the ranking and listed in
        ``not_ranked_entities``, or ranked last in class C.

    Returns
    -------
    SparkParetoResult
        Headline figures, and the ``entities`` DataFrame with rank, cumulative share and class.

    Raises
    ------
    ValueError
        Before any job for bad options, a missing column or a column of the wrong type; after
        one check job for null keys or values and NaN or infinite values (naming the argument
        and the column); for a total <= 0 under ``nonpositive="include"``.
    TypeError
        When ``df`` is not a Spark DataFrame or a column name is not a string.

    Examples
    --------
    >>> from pyspark.sql import SparkSession  # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
    >>> rows = spark.createDataFrame(  # doctest: +SKIP
    ...     [("a", 50.0), ("b", 30.0), ("c", 15.0), ("d", 5.0), ("e", 0.0)],
    ...     "customer string, revenue double")
    >>> r = pareto_exact(rows, by="customer", value="revenue")  # doctest: +SKIP
    >>> r.n, r.gini, r.entities_for_80pct, r.top20_share, r.class_counts  # doctest: +SKIP
    (4, 0.375, 0.5, 0.5, {'A': 2, 'B': 1, 'C': 1})
    >>> [tuple(x) for x in r.entities.collect()]  # doctest: +SKIP
    [('a', 50.0, 1, 0.5, 'A'), ('b', 30.0, 2, 0.8, 'A'), ('c', 15.0, 3, 0.95, 'B'),
     ('d', 5.0, 4, 1.0, 'C')]
    """
    _check_options(a, b)
    _check_choice("rule", rule, ("before", "including"))
    _check_choice("nonpositive", nonpositive, ("separate", "include"))
    include = nonpositive == "include"
    totals = _totals(df, by, value)
    order = [F.col("value").desc(), F.col("key").asc()]
    ranked_sorted = totals.orderBy(*order).persist(StorageLevel.MEMORY_AND_DISK)

    stats = sorted(ranked_sorted.mapInArrow(_pass1(include), _PASS1_SCHEMA).collect(),
                   key=lambda r: r["pid"])
    n = sum(r["ranked"] for r in stats)
    offsets: Dict[int, Tuple[int, float, Optional[float], Optional[str]]] = {}
    rank0, carry, weighted, absolute = 0, 0.0, 0.0, 0.0
    for r in stats:
        offsets[r["pid"]] = (rank0, carry, r["first_value"], r["first_key"])
        c, s = r["ranked"], r["total"]
        # (n - 1 - 2 (rank0 + i)) = (c - 1 - 2 i) + (n - c - 2 rank0)
        weighted += r["local_w"] + (n - c - 2 * rank0) * s
        absolute += r["absolute"]
        rank0 += c
        carry += s
    total = carry
    rest = sum(r["rest"] for r in stats)
    rest_total = sum(r["rest_total"] for r in stats)
    if not (math.isfinite(total) and math.isfinite(rest_total) and math.isfinite(weighted)):
        ranked_sorted.unpersist()
        _raise_overflow(totals, by, value)
    if include and n and not total > 0:
        ranked_sorted.unpersist()
        raise data_error(f"value: total is {total} (<= 0) under nonpositive='include': shares "
                         "of the total are undefined", argument="value", value=total)
    n_positive = sum(r["positive"] for r in stats)
    options = {"a": a, "b": b, "rule": rule, "nonpositive": nonpositive}
    not_ranked_entities = (ranked_sorted.filter(F.col("value") <= 0) if not include
                           else ranked_sorted.limit(0))
    if n == 0:
        empty = ranked_sorted.limit(0).select(
            "key", "value", F.lit(0).cast("long").alias("rank"),
            F.lit(0.0).alias("cum_share"), F.lit("C").alias("class"))
        return SparkParetoResult(
            n=0, total=0.0, gini=0.0, gini_small_sample=0.0, gini_rsv=0.0,
            entities_for_80pct=0.0, top20_share=0.0, class_counts=dict.fromkeys(_CLASSES, 0),
            class_shares=dict.fromkeys(_CLASSES, 0.0), not_ranked=rest,
            not_ranked_total=rest_total, defined=False, reason=_not_ranked_reason(rest),
            **options, entities=empty, not_ranked_entities=not_ranked_entities,
            _sorted=ranked_sorted)
    entities = ranked_sorted.mapInArrow(
        _pass2(offsets, n, n_positive, total, a, b, rule == "before", include),
        f"key {totals.schema['key'].dataType.simpleString()}, value double, rank long, "
        "cum_share double, class string")
    k20 = _top_count(0.2, n)
    cls = F.col("class")
    cum = F.col("cum_share")
    head = entities.agg(
        *[F.sum(F.when(cls == c, 1).otherwise(0)).alias(c) for c in _CLASSES],
        F.max(F.when(cls == "A", cum)).alias("cum_a"),
        F.max(F.when(cls != "C", cum)).alias("cum_b"),
        F.min(F.when((F.col("value") > 0) & (cum >= 0.8), F.col("rank"))).alias("k80"),
        F.max(F.when(F.col("rank") == k20, cum)).alias("top20"),
    ).collect()[0]
    cum_a = head["cum_a"] or 0.0
    cum_b = head["cum_b"] or 0.0
    g = max(weighted, 0.0)
    return SparkParetoResult(
        n=n, total=total, gini=g / (n * total),
        gini_small_sample=g / ((n - 1) * total) if n > 1 else 0.0,
        gini_rsv=g / (n * absolute) if absolute > 0 else 0.0,
        entities_for_80pct=(head["k80"] or n) / n, top20_share=head["top20"] or 0.0,
        class_counts={c: int(head[c] or 0) for c in _CLASSES},
        class_shares={"A": cum_a, "B": cum_b - cum_a, "C": 1.0 - cum_b},
        not_ranked=rest, not_ranked_total=rest_total, defined=True, reason="", **options,
        entities=entities, not_ranked_entities=not_ranked_entities, _sorted=ranked_sorted)


# --------------------------------------------------------------------------------------------
# Fast mode

_BINS_SCHEMA = "index long, count long, sum double, min double, max double"
_REST_INDEX = -1  # the row of a partition's entities with a total <= 0: count and sum
_OVERFLOW_INDEX = -2  # the row counting a partition's totals that overflowed to infinity


def _sketch_partition(eps: float):
    """One ParetoSketch of a partition's totals, handed back as its bins (and one row with the
    count and sum of the totals <= 0). Totals that overflowed to infinity are counted in an
    `_OVERFLOW_INDEX` row instead, and the driver raises naming one (`_raise_overflow`): an
    error raised here would reach the driver as Spark's text, without the error's fields."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _checks.executor_setup()
        from custometrics import _core as core

        sketch = core.ParetoSketch(eps)
        overflowed = 0
        for batch in batches:
            if batch.num_rows:
                v = batch.column(1).to_numpy(zero_copy_only=False).astype(np.float64)
                finite = np.isfinite(v)
                overflowed += int(v.size - np.count_nonzero(finite))
                sketch.add(v[finite])
        index, count, total, low, high = sketch.bins()
        if overflowed:
            index, count, total = [_OVERFLOW_INDEX], [overflowed], [0.0]
            low, high = [0.0], [0.0]
        rest = sketch.nonpositive_count
        if rest:
            index = np.append(index, _REST_INDEX)
            count = np.append(count, rest)
            total = np.append(total, sketch.nonpositive_total)
            low = np.append(low, 0.0)
            high = np.append(high, 0.0)
        yield pa.RecordBatch.from_arrays(
            [pa.array(index), pa.array(count), pa.array(total), pa.array(low), pa.array(high)],
            names=["index", "count", "sum", "min", "max"])

    return run


def _bounded(f: Any) -> Tuple[float, float, float]:
    return (f.estimate, f.lower, f.upper)


@dataclass(frozen=True)
class SparkParetoBounds:
    """Pareto figures from a sketch, each an ``(estimate, lower, upper)`` triple whose bounds
    hold whatever the values inside the bins (see :func:`pareto_fast`).

    Attributes
    ----------
    n, total : int, float
        Ranked entities (total > 0) and the sum of their totals: exact.
    not_ranked, not_ranked_total : int, float
        Entities with a total <= 0 and the sum of their totals: exact.
    defined, reason
        False (and why) when no entity has a total > 0; the figures are then 0.
    entities_for_80pct, top20_share, gini, gini_small_sample : tuple of float
        ``(estimate, lower, upper)``; the exact figure of :func:`pareto_exact` lies in
        ``[lower, upper]`` (shares and Gini allow 4 (n + 2) 2^-53 for the rounding of sums).
    class_counts, class_shares : dict of tuple
        Keyed "A", "B", "C", each ``(estimate, lower, upper)``.
    eps : float
        The relative bin width asked for; bins are at most ``1 + 2**-precision_bits`` wide in
        ratio, with ``2**-precision_bits <= eps``.
    bins : int
        Occupied bins: the rows collected to the driver.
    a, b, rule
        The options used.
    """

    n: int
    total: float
    not_ranked: int
    not_ranked_total: float
    defined: bool
    reason: str
    entities_for_80pct: Tuple[float, float, float]
    top20_share: Tuple[float, float, float]
    gini: Tuple[float, float, float]
    gini_small_sample: Tuple[float, float, float]
    class_counts: Dict[str, Tuple[float, float, float]]
    class_shares: Dict[str, Tuple[float, float, float]]
    eps: float
    bins: int
    a: float
    b: float
    rule: str
    _sketch: Any = field(repr=False, compare=False)

    def top_share(self, fraction: float) -> Tuple[float, float, float]:
        """Share of the total made by the top ``ceil(fraction * n)`` entities, bounded."""
        return _bounded(self._sketch.top_share(float(fraction)))

    def entities_for_share(self, share: float) -> Tuple[float, float, float]:
        """Smallest top fraction of entities whose totals make ``share``, bounded."""
        return _bounded(self._sketch.entities_for_share(float(share)))


def pareto_fast(
    df: Any,
    *,
    by: str,
    value: str,
    eps: float = 0.01,
    a: float = 0.8,
    b: float = 0.95,
    rule: str = "before",
) -> SparkParetoBounds:
    """Pareto figures of a measure per entity of a Spark DataFrame with proven error bounds,
    without collecting the entities.

    Totals ``value`` per ``by`` in Spark; each partition of the totals builds a sketch with the
    C++ core (bins of relative width <= ``eps`` keeping exact count, sum, minimum and maximum);
    Spark merges the bins by index and the driver computes every figure from the merged bins
    as an estimate with a lower and an upper bound. The bounds are attained by some values
    consistent with the bins, and the exact figures (:func:`pareto_exact`) lie within them;
    their width shrinks with eps (``custometrics/pareto_sketch.hpp`` derives them). Entities
    with a total <= 0 are counted separately (``nonpositive="separate"``).

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        Transaction rows.
    by, value : str
        Entity key column and measure column, as for :func:`pareto_exact`.
    eps : float, default 0.01
        Relative bin width, in (0, 1]: smaller is tighter and collects more bins.
    a, b, rule
        Class thresholds and boundary rule, as for :func:`custometrics.pareto`.

    Returns
    -------
    SparkParetoBounds

    Raises
    ------
    ValueError
        Before any job for a bad eps or options, a missing column or a wrong type; after one
        check job for null keys or values and NaN or infinite values.

    Examples
    --------
    >>> rows = spark.createDataFrame(  # doctest: +SKIP
    ...     [("a", 50.0), ("b", 30.0), ("c", 15.0), ("d", 5.0)], "customer string, revenue double")
    >>> f = pareto_fast(rows, by="customer", value="revenue")  # doctest: +SKIP
    >>> [round(x, 12) for x in f.gini]  # one value per bin: exact  # doctest: +SKIP
    [0.375, 0.375, 0.375]
    """
    _check_options(a, b)
    _check_choice("rule", rule, ("before", "including"))
    try:
        eps = float(eps)
    except (TypeError, ValueError):
        raise input_error(f"eps: expected a number, got {eps!r}", argument="eps",
                          value=eps) from None
    _core.ParetoSketch(eps)  # a bad eps fails here, before any job
    totals = _totals(df, by, value)
    merged = (totals.mapInArrow(_sketch_partition(eps), _BINS_SCHEMA)
              .groupBy("index")
              .agg(F.sum("count").alias("count"), F.sum("sum").alias("sum"),
                   F.min("min").alias("min"), F.max("max").alias("max"))
              .toPandas())
    if (merged["index"] == _OVERFLOW_INDEX).any():
        _raise_overflow(totals, by, value)
    rest = merged[merged["index"] == _REST_INDEX]
    bins = merged[merged["index"] != _REST_INDEX]
    column = {c: np.ascontiguousarray(bins[c].to_numpy()) for c in bins.columns}
    sketch = _core.ParetoSketch.from_bins(
        float(eps), column["index"].astype(np.int64), column["count"].astype(np.int64),
        column["sum"].astype(np.float64), column["min"].astype(np.float64),
        column["max"].astype(np.float64),
        int(rest["count"].sum()) if len(rest) else 0,
        float(rest["sum"].sum()) if len(rest) else 0.0)
    f = sketch.figures(float(a), float(b), rule)
    return SparkParetoBounds(
        n=f.n, total=f.total, not_ranked=f.nonpositive_count,
        not_ranked_total=f.nonpositive_total, defined=f.defined, reason=f.reason,
        entities_for_80pct=_bounded(f.entities_for_80pct), top20_share=_bounded(f.top20_share),
        gini=_bounded(f.gini), gini_small_sample=_bounded(f.gini_small_sample),
        class_counts=dict(zip(_CLASSES, map(_bounded, f.class_count))),
        class_shares=dict(zip(_CLASSES, map(_bounded, f.class_share))),
        eps=float(eps), bins=f.bins, a=a, b=b, rule=rule, _sketch=sketch)
