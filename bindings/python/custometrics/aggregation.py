"""Statistics of a value by key: count, sum, mean, variance, min, max, first and last time."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pandas as pd

from . import _core
from ._errors import data_error
from ._frames import Table
from ._typing import Column


def aggregate(
    data: Any = None,
    *,
    by: Column,
    value: Column,
    time: Optional[Column] = None,
    moments: bool = True,
    threads: int = 0,
) -> pd.DataFrame:
    """Aggregate a value (and a time) by key, in parallel.

    The same numbers as ``df.groupby(by).agg(count, sum, mean, var, min, max)`` in pandas,
    computed by one pass per thread over mergeable accumulators (Welford's update and the
    pairwise merge of Chan, Golub and LeVeque), so that variances stay accurate when the mean
    is large relative to the spread.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame, mapping of str to array, numpy structured \
array or None
        The rows. With ``None``, pass the columns themselves as ``by``, ``value`` and ``time``.
    by : str or array-like
        Key column: integers or strings (no nulls). Its name becomes the index name.
    value : str or array-like
        Numeric column to aggregate; NaN or infinite values are an error naming the row.
    time : str or array-like, optional
        A datetime64 (any unit) or integer column; adds ``first`` and ``last`` in its dtype.
    moments : bool, default True
        Also compute ``mean``, ``variance`` (sample variance, ddof 1, NaN with one row),
        ``min`` and ``max``; without them the run is faster.
    threads : int, default 0
        Threads for the core; 0 uses every hardware thread. The GIL is released meanwhile.

    Returns
    -------
    pandas.DataFrame
        One row per distinct key, in ascending key order, with columns ``count``, ``sum``,
        [``mean``, ``variance``, ``min``, ``max``], [``first``, ``last``].

    Raises
    ------
    ValueError
        For a missing column, a null key or time, or a NaN or infinite value.

    Examples
    --------
    >>> import custometrics as cm
    >>> data = {"shop": ["b", "a", "b"], "sales": [1.0, 5.0, 3.0]}
    >>> cm.aggregate(data, by="shop", value="sales")  # doctest: +NORMALIZE_WHITESPACE
          count  sum  mean  variance  min  max
    shop
    a         1  5.0   5.0       NaN  5.0  5.0
    b         2  4.0   2.0       2.0  1.0  3.0
    """
    table = Table(data)
    by_name, keys = table.keys(by, "by")
    values = table.floats(value, "value")
    ticks = None
    time_dtype = None
    if time is not None:
        time_name, raw_time = table.get(time, "time")
        if raw_time.dtype.kind == "M":
            nat = pd.isna(raw_time)
            if nat.any():
                raise data_error(f"{time_name}: row {int(nat.argmax())} is missing (NaT)",
                                 argument=time_name, row=int(nat.argmax()))
            time_dtype = raw_time.dtype
            ticks = raw_time.view("int64")
        elif raw_time.dtype.kind in "iu":
            time_dtype = "int64"
            ticks = raw_time.astype("int64", copy=False)
        else:
            raise TypeError(
                f"{time_name}: expected datetime64 or integer times, got dtype {raw_time.dtype}"
            )

    raw = _core.aggregate(
        by=keys, values=values, times=ticks, moments=bool(moments), threads=int(threads),
        by_column=by_name,
    )
    cols: Dict[str, Any] = {
        name: raw[name] for name in ("count", "sum", "mean", "variance", "min", "max")
        if name in raw
    }
    if ticks is not None:
        cols["first"] = raw["first"].view(time_dtype)
        cols["last"] = raw["last"].view(time_dtype)
    return pd.DataFrame(cols, index=pd.Index(raw["keys"], name=by_name), copy=False)
