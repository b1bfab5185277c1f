"""Pareto figures on Spark: the 80/20 curve, ABC classes and Gini of any indicator per entity
(customers, products, channels: any key column, any measure column), in two modes.

Both modes first total the measure per entity in Spark (``groupBy(by).sum(value)``, the
values cast to double, as :func:`custometrics.pareto` totals rows); the definitions (ranking,
ties by key, ABC boundary rules, entities with a total <= 0, Gini) are those of
:func:`custometrics.pareto` and ``custometrics/pareto.hpp``.

- :func:`pareto_exact`: one job computes the totals, persists them and counts them (the check
  of the rows folded in, below). Up to ``collect_limit`` entities (2,000,000 by default), a
  second job collects the totals (a key and a double each, as Arrow batches) and the core ranks
  them on the driver, in the one call :func:`custometrics.pareto` makes: every figure and
  class is the core's; the ``entities`` DataFrame is made from its result when first used.
  Beyond, the entities are ranked by a Spark sort (total descending, then key ascending), which
  range-partitions them: partition p holds a contiguous run of ranks, persisted. The core ranks
  them in chunks (``custometrics/pareto_partition.hpp``), the same bits as
  :func:`custometrics.pareto` on the whole: a JVM job counts each partition's entities (so each
  knows its first rank); a pass hands the driver each partition's sums
  (``_core.pareto_chunk_sums``: its summation blocks, and the few values that continue a block
  begun in the partition before); the driver puts them together (``_core.combine_chunk_sums``:
  total, Gini, where each partition's running sums start; a total that overflows, or is <= 0
  under ``nonpositive="include"``, is the core's DataError, as :func:`custometrics.pareto`
  raises it, with its fields); a second pass classifies each
  partition from its start (``_core.classify_chunk``) and hands back a summary, which the
  driver merges into the headline figures (``_core.chunk_figures``). The ``entities``
  DataFrame (``key, value, rank, cum_share, class``) runs that pass again, per row. No window
  without partitioning, so no single partition holds every entity; the persisted frames are
  released if any step fails.
- :func:`pareto_fast`: nothing per entity leaves the executors. Each partition of the totals
  adds them to a ``ParetoSketch`` of the C++ core (``custometrics/pareto_sketch.hpp``: value
  bins of relative width <= eps with exact count, sum, minimum and maximum), Spark merges the
  bins by index, and the driver collects the merged bins (a few thousand rows for eps = 0.01,
  whatever the number of entities) and computes each figure as an estimate with proven lower
  and upper bounds. Only ``nonpositive="separate"``.

Inputs are checked before any job for a missing column or a wrong type (the schema). The rows
are checked within the first job, without a pass of their own: the totals are summed with a
null value counted as NaN, so a null, NaN or infinite value leaves its entity's total NaN or
infinite, and a null key makes an entity of its own; the first job over the totals counts
such entities. Only when one exists does a check job (``_checks.scan``) find the bad row and
raise its error (the argument, the column, the row), as it would have up front; with no bad
row, an infinite total is an overflow, raised naming the entity's key and total.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import numpy as np
import pandas as pd
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


@dataclass(frozen=True)
class _Totals:
    """The checked schema of the input and its totals per entity (``key``, ``value`` double),
    not computed yet."""

    df: DataFrame
    key: _checks.Spec
    measure: _checks.Spec
    totals: DataFrame


def _totals(df: Any, by: Any, value: Any) -> _Totals:
    """Checks the schema (no job) and defines the totals per entity. The check of the rows is
    folded into the totals: a null or NaN value makes its entity's total NaN, an infinite one
    makes it infinite or NaN, and a null key makes a null entity; the first job over the totals
    looks for these (:func:`_raise_bad` then finds the row)."""
    df = _checks.frame(df)
    key = _checks.column(df, by, "by", "key")
    measure = _checks.column(df, value, "value", "number")
    nan = F.lit(float("nan"))
    totals = (df.groupBy(key.col.alias("key"))
              .agg(F.sum(F.coalesce(measure.col.cast("double"), nan)).alias("value")))
    return _Totals(df, key, measure, totals)


def _raise_bad(t: _Totals, by: Any, value: Any) -> None:
    """Raises the error of a bad row (as ``_checks.scan`` raises it: the argument, the column,
    the row; one job, then one to fetch the row) or, with none, of an entity whose total
    overflows. Called when a total is not finite or a key is null."""
    _checks.scan(t.df, [t.key, t.measure])
    _raise_overflow(t.totals, by, value)


def _raise_overflow(totals: DataFrame, by: Any, value: Any) -> None:
    """Raises a DataError (argument "value", the column, and the entity's key and total) naming
    one entity whose total is infinite (one small job), on the driver."""
    row = totals.filter(~(F.abs(F.col("value")) < float("inf"))).limit(1).collect()
    by_name = by if isinstance(by, str) else "key"
    value_name = value if isinstance(value, str) else "value"
    if row:
        key, total = row[0]["key"], row[0]["value"]
        raise data_error(f"value: column {value_name!r}: the total of {by_name} {key!r} is "
                         f"{total} (the sum of its values overflows a double)",
                         argument="value", column=value_name, key=key, value=total)
    raise data_error(f"value: column {value_name!r}: the sum of the totals overflows a double",
                     argument="value", column=value_name)


# --------------------------------------------------------------------------------------------
# Exact mode

_SUMS_FIELDS = [("pid", pa.int64()), ("first_value", pa.float64()), ("first_key", pa.string()),
                ("ranked", pa.binary()), ("rest", pa.binary())]
_SUMS_SCHEMA = "pid long, first_value double, first_key string, ranked binary, rest binary"
_SUMMARY_SCHEMA = "pid long, summary binary"
_CLASS_NAMES = np.array(_CLASSES, dtype=object)

#: A partition's place in the ranking: its entities, of which ranked, the ranks of its first
#: ranked and first not-ranked entity, and (after the sums) its first row and where its running
#: sums start.
_Place = Dict[str, Any]


def _partition_changed(pid: int) -> RuntimeError:
    return RuntimeError(
        f"custometrics.spark.pareto_exact: partition {pid} of the sorted totals changed between "
        "two passes (they were recomputed differently); persist the input and retry")


def _partition_values(batches: Iterator[pa.RecordBatch], pid: int, place: _Place
                      ) -> Tuple[np.ndarray, Optional[Tuple[float, str]]]:
    """The values of a partition of the sorted totals (and its first row), checked against the
    count of the first job."""
    parts: List[np.ndarray] = []
    first: Optional[Tuple[float, str]] = None
    for batch in batches:
        if batch.num_rows:
            if first is None:
                first = (float(batch.column(1)[0].as_py()), str(batch.column(0)[0].as_py()))
            parts.append(batch.column(1).to_numpy(zero_copy_only=False).astype(np.float64,
                                                                               copy=False))
    v = np.concatenate(parts) if parts else np.empty(0)
    if len(v) != place["count"]:
        raise _partition_changed(pid)
    return v, first


def _sums_pass(places: Dict[int, _Place], n: int, rest_n: int):
    """Per partition of the sorted totals: the core's sums of its ranked values and of those
    left out (``_core.pareto_chunk_sums``, pickled), and its first row."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _checks.executor_setup()
        from pyspark import TaskContext

        from custometrics import _core as core

        pid = TaskContext.get().partitionId()
        place = places.get(pid, {"count": 0})  # a partition left out of job 1 is empty
        v, first = _partition_values(batches, pid, place)
        if pid not in places:
            return
        c = place["ranked"]
        ranked = core.pareto_chunk_sums(v[:c], place["first"], n)
        rest = core.pareto_chunk_sums(v[c:], place["rest_first"], rest_n)
        yield pa.RecordBatch.from_pydict(
            {"pid": [pid], "first_value": [first and first[0]],
             "first_key": [first and first[1]], "ranked": [pickle.dumps(ranked)],
             "rest": [pickle.dumps(rest)]}, schema=pa.schema(_SUMS_FIELDS))

    return run


def _classify_pass(places: Dict[int, _Place], n: int, n_positive: int, total: float,
                   options: Any, rows: bool):
    """Per partition of the sorted totals: rank, cumulative share and class of each ranked
    entity by the core (``_core.classify_chunk``, batch by batch from the partition's start),
    as rows ``key, value, rank, cum_share, class`` or, without ``rows``, the partition's
    summary for the headline figures (pickled)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _checks.executor_setup()
        from pyspark import TaskContext

        from custometrics import _core as core

        pid = TaskContext.get().partitionId()
        place = places.get(pid)
        if place is None:
            if any(batch.num_rows for batch in batches):
                raise _partition_changed(pid)
            return
        first, carry, running = place["first"], place["carry"], place["running"]
        left = place["ranked"]  # ranked entities still to come: the partition's first ones
        summary = core.ParetoChunkSummary()
        checked = False
        for batch in batches:
            if batch.num_rows == 0:
                continue
            if not checked:
                if (float(batch.column(1)[0].as_py()), str(batch.column(0)[0].as_py())) != (
                        place["first_value"], place["first_key"]):
                    raise _partition_changed(pid)
                checked = True
            m = min(left, batch.num_rows)
            if m == 0:  # the entities not ranked, after the ranked ones
                continue
            v = batch.column(1).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
            chunk = core.classify_chunk(v[:m], first, carry, running, n, n_positive, total,
                                        options)
            first, carry, running = first + m, chunk.next_carry, chunk.next_running
            left -= m
            if rows:
                yield pa.RecordBatch.from_arrays(
                    [batch.column(0).slice(0, m), batch.column(1).slice(0, m),
                     pa.array(chunk.rank), pa.array(chunk.cum_share),
                     pa.array(_CLASS_NAMES[chunk.abc])],
                    names=["key", "value", "rank", "cum_share", "class"])
            else:
                summary = summary + chunk.summary
        if left:
            raise _partition_changed(pid)
        if not rows:
            yield pa.RecordBatch.from_pydict({"pid": [pid], "summary": [pickle.dumps(summary)]})

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
        ``cum_share`` and ``class`` ("A", "B" or "C"), by rank. Made on first use: from the
        driver's ranking when the entities were ranked there, else from the sorted totals,
        which are persisted (call :meth:`unpersist` when done with it).
    not_ranked_entities : pyspark.sql.DataFrame
        ``key`` and ``value`` of the entities left out of the ranking (value <= 0 under
        ``nonpositive="separate"``), value descending, then key.
    distributed : bool
        True when the entities were ranked by a Spark sort (more than ``collect_limit``), False
        when their totals were ranked on the driver by the core.
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
    distributed: bool
    _frames: Callable[[], Tuple[DataFrame, DataFrame]] = field(repr=False, compare=False)
    _sorted: Optional[DataFrame] = field(default=None, repr=False, compare=False)

    @cached_property
    def _made(self) -> Tuple[DataFrame, DataFrame]:
        return self._frames()

    @property
    def entities(self) -> DataFrame:
        return self._made[0]

    @property
    def not_ranked_entities(self) -> DataFrame:
        return self._made[1]

    def unpersist(self) -> None:
        """Release the persisted sorted totals behind :attr:`entities` (none when the entities
        were ranked on the driver)."""
        if self._sorted is not None:
            self._sorted.unpersist()


#: The most entities whose totals :func:`pareto_exact` ranks on the driver by default.
COLLECT_LIMIT = 2_000_000


def _collect_arrow(df: DataFrame) -> pa.Table:
    """The rows of ``df`` on the driver as a pyarrow Table (Arrow batches from the executors,
    whatever spark.sql.execution.arrow.pyspark.enabled says)."""
    batches = df.toArrow() if hasattr(df, "toArrow") else df._collect_as_arrow()
    if isinstance(batches, pa.Table):
        return batches
    if batches:
        return pa.Table.from_batches(batches)
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(df.schema).empty_table()


def _on_driver(spark: Any, totals: DataFrame, options: Dict[str, Any]
               ) -> Tuple[Any, Callable[[], Tuple[DataFrame, DataFrame]]]:
    """The totals collected and ranked by the core (:func:`custometrics.pareto`, one call);
    the entity DataFrames made from its result when asked for."""
    from ..pareto_analysis import pareto

    key_type = totals.schema["key"].dataType.simpleString()
    r = pareto(_collect_arrow(totals), by="key", value="value", **options)

    def frames() -> Tuple[DataFrame, DataFrame]:
        e = r.entities
        ranked = spark.createDataFrame(
            pd.DataFrame({"key": e.index.to_numpy(), "value": e["value"].to_numpy(),
                          "rank": e["rank"].to_numpy(), "cum_share": e["cum_share"].to_numpy(),
                          "class": e["abc"].astype(str).to_numpy()}),
            f"key {key_type}, value double, rank long, cum_share double, class string")
        rest = r.not_ranked_entities
        not_ranked = spark.createDataFrame(
            pd.DataFrame({"key": rest.index.to_numpy(), "value": rest["value"].to_numpy()}),
            f"key {key_type}, value double")
        return ranked, not_ranked

    return r, frames


def _distributed(totals: DataFrame, include: bool, options: Dict[str, Any]
                 ) -> Tuple[Dict[str, Any], Callable[[], Tuple[DataFrame, DataFrame]], DataFrame]:
    """The totals ranked by a Spark sort and the core's ranking in chunks (module docstring):
    the figures, the entity DataFrames and the persisted sorted totals (unpersisted here on
    error)."""
    order = [F.col("value").desc(), F.col("key").asc()]
    ranked_sorted = totals.orderBy(*order).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        figures, frames = _rank_in_chunks(ranked_sorted, include, options)
    except BaseException:
        ranked_sorted.unpersist()
        raise
    return figures, frames, ranked_sorted


def _rank_in_chunks(ranked_sorted: DataFrame, include: bool, options: Dict[str, Any]
                    ) -> Tuple[Dict[str, Any], Callable[[], Tuple[DataFrame, DataFrame]]]:
    """The three jobs of the distributed path over the persisted sorted totals (module
    docstring)."""
    v = F.col("value")
    # Job 1, in the JVM: the entities of each partition of the sorted totals (and those > 0),
    # so each knows its first rank.
    counts = (ranked_sorted.groupBy(F.spark_partition_id().alias("pid"))
              .agg(F.count(F.lit(1)).alias("count"),
                   F.count(F.when(v > 0, 1)).alias("positive"))
              .collect())
    places: Dict[int, _Place] = {}
    n, rest_n, n_positive = 0, 0, 0
    for r in sorted(counts, key=lambda r: r["pid"]):
        ranked = r["count"] if include else r["positive"]
        places[r["pid"]] = {"count": r["count"], "ranked": ranked, "first": n,
                            "rest_first": rest_n}
        n += ranked
        rest_n += r["count"] - ranked
        n_positive += r["positive"]
    # Job 2: the core's sums of each partition; the driver puts them together.
    sums = sorted(ranked_sorted.mapInArrow(_sums_pass(places, n, rest_n), _SUMS_SCHEMA).collect(),
                  key=lambda r: r["pid"])
    # The core judges the total as pareto does (a total that overflows, or one <= 0 under
    # "include": its DataError, with its fields), here on the driver before any classifying.
    ranked_sums = _core.combine_chunk_sums([pickle.loads(r["ranked"]) for r in sums], n,
                                           options["nonpositive"])
    rest_total = _core.combine_chunk_sums([pickle.loads(r["rest"]) for r in sums], rest_n,
                                          "separate").total
    for k, r in enumerate(sums):
        places[r["pid"]].update(first_value=r["first_value"], first_key=r["first_key"],
                                carry=float(ranked_sums.carry[k]),
                                running=float(ranked_sums.running[k]))
    not_ranked_entities = (ranked_sorted.filter(v <= 0) if not include
                           else ranked_sorted.limit(0))
    core_options = _core.pareto_options(options["a"], options["b"], options["rule"],
                                        options["nonpositive"], 1)
    key_type = ranked_sorted.schema["key"].dataType.simpleString()
    if n == 0:
        summary = _core.ParetoChunkSummary()
        entities = ranked_sorted.limit(0).select(
            "key", "value", F.lit(0).cast("long").alias("rank"),
            F.lit(0.0).alias("cum_share"), F.lit("C").alias("class"))
    else:
        # Job 3: each partition classified by the core; the driver merges the summaries.
        summary = _core.ParetoChunkSummary()
        for r in ranked_sorted.mapInArrow(
                _classify_pass(places, n, n_positive, ranked_sums.total, core_options, False),
                _SUMMARY_SCHEMA).collect():
            summary = summary + pickle.loads(r["summary"])
        entities = ranked_sorted.mapInArrow(
            _classify_pass(places, n, n_positive, ranked_sums.total, core_options, True),
            f"key {key_type}, value double, rank long, cum_share double, class string")
    f = _core.chunk_figures(ranked_sums, n_positive, summary, rest_n, rest_total)
    figures = dict(n=f.n, total=f.total, gini=f.gini.gini,
                   gini_small_sample=f.gini.gini_small_sample, gini_rsv=f.gini.gini_rsv,
                   entities_for_80pct=f.entities_for_80pct, top20_share=f.top20_share,
                   class_counts=dict(zip(_CLASSES, f.class_count)),
                   class_shares=dict(zip(_CLASSES, f.class_share)),
                   not_ranked=f.nonpositive_count, not_ranked_total=f.nonpositive_total,
                   defined=f.defined, reason=f.reason)
    return figures, lambda: (entities, not_ranked_entities)


def pareto_exact(
    df: Any,
    *,
    by: str,
    value: str,
    a: float = 0.8,
    b: float = 0.95,
    rule: str = "before",
    nonpositive: str = "separate",
    collect_limit: int = COLLECT_LIMIT,
) -> SparkParetoResult:
    """Exact Pareto (80/20) analysis of a measure per entity of a Spark DataFrame.

    Totals ``value`` per ``by`` in Spark; one job computes the totals, keeps them (persisted)
    and counts them, checking the rows in the same pass. Up to ``collect_limit`` entities, their
    totals (a key and a double each) are collected and ranked on the driver by the core, as
    :func:`custometrics.pareto` ranks them (one more job, over the persisted totals); beyond,
    the entities are ranked by a Spark sort (total descending, ties by key ascending) and each
    sorted partition's ranks, shares and classes computed by the core's chunk functions
    (pareto_partition.hpp; see the module docstring). Either way the
    figures and the classes are those of ``custometrics.pareto(rows, by=by, value=value, ...)``
    on the same rows.

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
    collect_limit : int, default 2,000,000
        The most entities ranked on the driver (about 16 bytes each, plus the keys' text for
        string keys, and the core's ranking of them); 0 ranks them in Spark (a call with no
        entity at all is answered on the driver either way).

    Returns
    -------
    SparkParetoResult
        Headline figures, and the ``entities`` DataFrame with rank, cumulative share and class.

    Raises
    ------
    ValueError
        Before any job for bad options, a missing column or a column of the wrong type; after
        the first job for null keys or values and NaN or infinite values (then a check job
        names the argument, the column and one bad row), an entity whose total overflows (its
        key and total), or a total <= 0 under ``nonpositive="include"``.
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
    if isinstance(collect_limit, bool) or not isinstance(collect_limit, int) or collect_limit < 0:
        raise input_error(f"collect_limit: expected an integer >= 0, got {collect_limit!r}",
                          argument="collect_limit", value=collect_limit)
    include = nonpositive == "include"
    options = {"a": a, "b": b, "rule": rule, "nonpositive": nonpositive}
    t = _totals(df, by, value)
    totals = t.totals.persist(StorageLevel.MEMORY_AND_DISK)
    v = F.col("value")
    count = F.count(F.lit(1)).alias("entities")
    bad = F.count(F.when(F.col("key").isNull() | ~(F.abs(v) < float("inf")), 1)).alias("bad")
    try:  # the persisted frames are released on any error
        stats = totals.agg(count, bad).collect()[0]
        if stats["bad"]:
            _raise_bad(t, by, value)
        # The total is the core's (an overflow, or <= 0 under "include", is its DataError):
        # Spark's own sum, in another order, could judge a total near 0 or 1.8e308 otherwise.
        if stats["entities"] <= collect_limit:
            r, frames = _on_driver(df.sparkSession, totals, options)
            return SparkParetoResult(
                n=r.n, total=r.total, gini=r.gini, gini_small_sample=r.gini_small_sample,
                gini_rsv=r.gini_rsv, entities_for_80pct=r.entities_for_80pct,
                top20_share=r.top20_share, class_counts=r.class_counts,
                class_shares=r.class_shares, not_ranked=r.not_ranked,
                not_ranked_total=r.not_ranked_total, defined=r.defined, reason=r.reason,
                **options, distributed=False, _frames=frames)
        figures, frames, ranked_sorted = _distributed(totals, include, options)
        return SparkParetoResult(**figures, **options, distributed=True, _frames=frames,
                                 _sorted=ranked_sorted)
    finally:
        totals.unpersist()


# --------------------------------------------------------------------------------------------
# Fast mode

_BINS_SCHEMA = "index long, count long, sum double, min double, max double"
_REST_INDEX = -1  # the row of a partition's entities with a total <= 0: count and sum
_BAD_INDEX = -2  # the row counting a partition's null keys and totals that are not finite


def _sketch_partition(eps: float):
    """One ParetoSketch of a partition's totals, handed back as its bins (and one row with the
    count and sum of the totals <= 0). Null keys and totals that are not finite (a bad row, or
    an overflow to infinity) are counted in a `_BAD_INDEX` row instead, and the driver raises
    naming one (`_raise_bad`): an error raised here would reach the driver as Spark's text,
    without the error's fields."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _checks.executor_setup()
        from custometrics import _core as core

        sketch = core.ParetoSketch(eps)
        bad = 0
        for batch in batches:
            if batch.num_rows:
                v = batch.column(1).to_numpy(zero_copy_only=False).astype(np.float64)
                finite = np.isfinite(v)
                bad += int(v.size - np.count_nonzero(finite)) + batch.column(0).null_count
                sketch.add(v[finite])
        index, count, total, low, high = sketch.bins()
        if bad:
            index, count, total = [_BAD_INDEX], [bad], [0.0]
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
        Before any job for a bad eps or options, a missing column or a wrong type; after the
        sketch job, for null keys or values and NaN or infinite values (then a check job
        names the argument, the column and one bad row) or an overflowing total.

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
    t = _totals(df, by, value)
    merged = (t.totals.mapInArrow(_sketch_partition(eps), _BINS_SCHEMA)
              .groupBy("index")
              .agg(F.sum("count").alias("count"), F.sum("sum").alias("sum"),
                   F.min("min").alias("min"), F.max("max").alias("max"))
              .toPandas())
    if (merged["index"] == _BAD_INDEX).any():
        _raise_bad(t, by, value)
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
