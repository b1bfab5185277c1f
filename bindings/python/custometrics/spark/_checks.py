"""Checks of a Spark DataFrame before the main job of custometrics.spark runs on it.

Two layers, both raising ``custometrics.InputError`` or ``DataError`` (subclasses of
``ValueError``; ``TypeError`` for a wrong argument type) whose message and fields name the
argument and the column:

- :func:`column` checks the schema on the driver, without a job: the column exists (the
  message lists the available ones) and has a type the computation takes (``"key"``: integer
  or string; ``"time"``: timestamp, timestamp_ntz or date; ``"number"``: any numeric type);
- :func:`scan` runs *one* aggregate job over the rows: it counts the rows with a null in a
  nullable column or a NaN/infinite value in a floating-point column, and computes, in the
  same pass, whatever aggregates the caller needs (the time range of the log, say). Only when
  a bad row exists does a second, ``limit(1)`` filter job fetch one, which the error shows
  ("customer: column 'cust' of the DataFrame holds nulls (one in the row date=..., amount=...)").
  Spark rows have no order, so the row shown is *a* bad row, not the first of a file.

Columns whose schema says ``nullable=False`` are not tested for nulls, and integer, date and
timestamp columns cannot hold NaN, so a log of non-nullable integer keys and timestamps with
a non-nullable amount costs no extra pass beyond the caller's aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .. import _core
from .._errors import data_error, input_error


def executor_setup() -> None:
    """Run first in every function Spark ships to its executors: one core thread per task
    (Spark runs a task per executor core already) unless CUSTOMETRICS_NUM_THREADS says
    otherwise, no cache of freed blocks in a long-lived Python worker, and no progress bars
    (an executor's standard error is a log)."""
    import os

    if not os.environ.get("CUSTOMETRICS_NUM_THREADS"):
        _core.set_default_threads(1)
    _core.set_block_cache_limit(0)
    _core.set_progress(None)


__all__ = ["Spec", "frame", "column", "scan"]

_KINDS = {
    "key": "integers or strings",
    "time": "timestamps, timestamp_ntz or dates",
    "number": "numbers",
}


@dataclass(frozen=True)
class Spec:
    """One checked column: the argument that named it, its name and its Spark type."""

    argument: str
    name: str
    dtype: T.DataType
    nullable: bool
    kind: str

    @property
    def col(self) -> Column:
        return F.col(_quoted(self.name))

    @property
    def is_float(self) -> bool:
        return isinstance(self.dtype, (T.FloatType, T.DoubleType))

    @property
    def is_string(self) -> bool:
        return isinstance(self.dtype, T.StringType)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def frame(df: Any, argument: str = "df") -> DataFrame:
    """``df`` itself when it is a Spark DataFrame; a TypeError naming ``argument`` otherwise."""
    if not isinstance(df, DataFrame):
        raise TypeError(
            f"{argument}: expected a pyspark.sql.DataFrame, got {type(df).__name__} "
            "(for pandas or polars frames use the functions of custometrics itself)"
        )
    return df


def _accepts(kind: str, dtype: T.DataType) -> bool:
    if kind == "key":
        return isinstance(dtype, (T.ByteType, T.ShortType, T.IntegerType, T.LongType,
                                  T.StringType))
    if kind == "time":
        return isinstance(dtype, (T.TimestampType, T.TimestampNTZType, T.DateType))
    if kind == "number":
        return isinstance(dtype, T.NumericType)
    raise input_error(f"kind: unknown column kind {kind!r}", argument="kind",
                      value=kind)  # pragma: no cover - internal misuse


def _case_sensitive(df: DataFrame) -> bool:
    """spark.sql.caseSensitive of the DataFrame's session (no job)."""
    return str(df.sparkSession.conf.get("spark.sql.caseSensitive", "false")).lower() == "true"


def column(df: DataFrame, name: Any, argument: str, kind: str) -> Spec:
    """The schema entry of column ``name`` given as ``argument``, checked to be of ``kind``
    ("key", "time" or "number"); no job runs. Names are matched as Spark matches them: ignoring
    case unless ``spark.sql.caseSensitive`` is true."""
    if not isinstance(name, str):
        raise TypeError(
            f"{argument}: expected a column name (str), got {type(name).__name__}"
        )
    fields = {f.name: f for f in df.schema.fields}
    # As Spark resolves names: ignoring case unless spark.sql.caseSensitive is set.
    if _case_sensitive(df):
        same = [name] if name in fields else []
    else:
        same = [n for n in fields if n.lower() == name.lower()]
    if len(same) > 1:
        raise input_error(
            f"{argument}: column {name!r} is ambiguous in the DataFrame (case-insensitive "
            "names, spark.sql.caseSensitive is false): " + ", ".join(repr(n) for n in same),
            argument=argument, column=name)
    if not same:
        raise input_error(
            f"{argument}: column {name!r} not found in the DataFrame; available columns: "
            + ", ".join(repr(n) for n in fields),
            argument=argument, column=name)
    name = same[0]
    field = fields[name]
    if not _accepts(kind, field.dataType):
        hint = ""
        if kind == "time" and isinstance(field.dataType, T.StringType):
            hint = " (convert it first, e.g. with pyspark.sql.functions.to_timestamp)"
        raise input_error(
            f"{argument}: column {name!r} of the DataFrame has type "
            f"{field.dataType.simpleString()}; expected {_KINDS[kind]}{hint}",
            argument=argument, column=name)
    return Spec(argument, name, field.dataType, field.nullable, kind)


def _problem(spec: Spec) -> Optional[Column]:
    """True for the rows whose value of ``spec`` the computation cannot take."""
    conditions = []
    if spec.nullable:
        conditions.append(spec.col.isNull())
    if spec.is_float:
        conditions.append(F.isnan(spec.col) | (F.abs(spec.col) == F.lit(float("inf"))))
    if not conditions:
        return None
    out = conditions[0]
    for c in conditions[1:]:
        out = out | c
    return out


def _describe(row: Dict[str, Any], skip: str) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in row.items() if k != skip)


def scan(df: DataFrame, specs: Sequence[Spec],
         aggregates: Sequence[Column] = ()) -> Tuple[Any, ...]:
    """Check the rows of ``specs`` (no nulls; no NaN or infinity in floating-point columns)
    and compute ``aggregates`` in the same single job; returns the aggregate values.

    Without a nullable or floating-point column and without aggregates, no job runs.
    """
    problems: List[Tuple[Spec, Column]] = []
    for s in specs:
        p = _problem(s)
        if p is not None:
            problems.append((s, p))
    exprs = [F.sum(F.when(p, 1).otherwise(0)).alias(f"_cm_bad{i}")
             for i, (_, p) in enumerate(problems)]
    exprs += [a.alias(f"_cm_agg{i}") for i, a in enumerate(aggregates)]
    if not exprs:
        return ()
    row = df.agg(*exprs).collect()[0]
    for i, (spec, p) in enumerate(problems):
        if row[f"_cm_bad{i}"]:
            _raise_bad(df, spec, p, specs, int(row[f"_cm_bad{i}"]))
    return tuple(row[f"_cm_agg{i}"] for i in range(len(aggregates)))


def _raise_bad(df: DataFrame, spec: Spec, problem: Column, specs: Sequence[Spec],
               count: int) -> None:
    names = list(dict.fromkeys(s.name for s in specs))
    bad = df.filter(problem).select(*[F.col(_quoted(n)) for n in names]).limit(1).collect()
    row = bad[0].asDict() if bad else {}
    value = row.get(spec.name)
    what = "nulls" if value is None else "NaN or infinite values"
    rows = "row" if count == 1 else "rows"
    raise data_error(
        f"{spec.argument}: column {spec.name!r} of the DataFrame holds {what} "
        f"({count} {rows}; one is the row {_describe(row, spec.name)})",
        argument=spec.argument, column=spec.name, value=None if value is None else repr(value))
