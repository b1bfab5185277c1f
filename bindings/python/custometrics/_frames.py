"""Columns in and frames out: the bridge between user data and the compiled core.

Input may be a pandas DataFrame, a polars DataFrame, a pyarrow Table or RecordBatch (or any
object with ``__arrow_c_stream__``, read through pyarrow without pandas), a mapping of column
name to array-like (a dict of numpy arrays, say), a numpy structured array, or ``None`` with the
columns passed directly as arrays or Series. Each column is turned into the one numpy layout
the core takes, copying only when the layout differs (numeric and datetime columns of pandas,
polars and Arrow without nulls, in one chunk, are passed as views of their buffers):

- keys: int64 (any integer dtype), or an object array of ``str``;
- times: int64 ticks of a datetime64 column plus the ticks per second (ns, us, ms and s are
  passed as they are; coarser units such as ``datetime64[D]`` become seconds), or ISO 8601
  strings parsed by the core;
- numbers: float64.

Nulls are reported by column and row here where numpy cannot hold them (pandas nullable
dtypes, polars nulls, NaT, None); NaN and infinite amounts are reported by the core, which
names the row and the customer.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from typing import Any, Optional, Tuple

import numpy as np
import pandas as pd

from . import _core
from ._errors import data_error, input_error

try:  # polars is optional
    import polars as _pl
except ImportError:  # pragma: no cover - exercised only without polars
    _pl = None

try:  # pyarrow is optional
    import pyarrow as _pa
    import pyarrow.compute as _pc
except ImportError:  # pragma: no cover - exercised only without pyarrow
    _pa = None


def _is_polars_frame(obj: Any) -> bool:
    return _pl is not None and isinstance(obj, _pl.DataFrame)


def _is_polars_series(obj: Any) -> bool:
    return _pl is not None and isinstance(obj, _pl.Series)


def _arrow_table(obj: Any) -> Any:
    """A pyarrow Table of an Arrow table, record batch or ``__arrow_c_stream__`` object (no copy
    of the buffers), else None."""
    if _pa is None:
        return None
    if isinstance(obj, _pa.Table):
        return obj
    if isinstance(obj, _pa.RecordBatch):
        return _pa.Table.from_batches([obj])
    if hasattr(obj, "__arrow_c_stream__"):
        return _pa.table(obj)
    return None


class Table:
    """Named column access over one input (see the module docstring for what is accepted)."""

    def __init__(self, data: Any) -> None:
        # An Arrow stream (a RecordBatchReader) can be read once: it is read here, once.
        arrow = None if isinstance(data, pd.DataFrame) or _is_polars_frame(data) else \
            _arrow_table(data)
        if isinstance(data, pd.DataFrame) or _is_polars_frame(data) or data is None:
            self._data = data
        elif arrow is not None:
            self._data = arrow
        elif isinstance(data, np.ndarray) and data.dtype.names is not None:
            self._data = data
        elif isinstance(data, Mapping):
            self._data = data
        else:
            raise TypeError(
                "data: expected a pandas or polars DataFrame, an Arrow table, a mapping of column "
                f"names to arrays, a numpy structured array or None, got {type(data).__name__}"
            )
        self._lengths: dict = {}

    def _names(self) -> list:
        data = self._data
        if isinstance(data, np.ndarray):
            return list(data.dtype.names)
        if _pa is not None and isinstance(data, _pa.Table):
            return list(data.column_names)
        return [str(c) for c in (data.columns if hasattr(data, "columns") else data.keys())]

    def get(self, spec: Any, argument: str) -> Tuple[str, Any]:
        """The column named (or given) by ``spec``, and the name it goes by."""
        if isinstance(spec, str):
            if self._data is None:
                raise input_error(
                    f"{argument}: got the column name {spec!r} but no data; pass data=... "
                    "or the column itself as an array", argument=argument, value=spec
                )
            names = self._names()
            if spec not in names:
                raise input_error(
                    f"{argument}: column {spec!r} not found; available columns: "
                    + ", ".join(repr(n) for n in names), argument=argument, value=spec
                )
            values = self._data[spec]
            name = spec
        else:
            if spec is None:
                raise input_error(f"{argument}: a column is required", argument=argument)
            values = spec
            series_name = getattr(spec, "name", None)
            name = series_name if isinstance(series_name, str) and series_name else argument
        arr = _to_numpy(values, name)
        self._lengths[name] = len(arr)
        if len(set(self._lengths.values())) > 1:
            raise input_error(
                "columns differ in length: "
                + ", ".join(f"{k!r} has {v}" for k, v in self._lengths.items())
            )
        return name, arr

    def keys(self, spec: Any, argument: str) -> Tuple[str, np.ndarray]:
        """A key column as int64 or as an object array of str."""
        name, arr = self.get(spec, argument)
        return name, key_array(arr, name)

    def times(self, spec: Any, argument: str) -> Tuple[str, np.ndarray, int]:
        """A time column as (name, int64 ticks, ticks per second)."""
        name, arr = self.get(spec, argument)
        ticks, per_second = time_array(arr, name)
        return name, ticks, per_second

    def floats(self, spec: Any, argument: str) -> np.ndarray:
        """A numeric column as float64."""
        name, arr = self.get(spec, argument)
        return float_array(arr, name)


def _input_error(message: str, argument: str, row: Optional[int], value: Any) -> Exception:
    """An InputError with its fields set (argument, row, value): `_errors.input_error`."""
    return input_error(message, argument=argument, row=row, value=value)


def _null_error(name: str, mask: Any) -> Exception:
    row = int(np.argmax(np.asarray(mask)))
    return data_error(f"{name}: row {row} is missing (null values are not allowed)",
                      argument=name, row=row)


def _to_numpy(values: Any, name: str) -> np.ndarray:
    """A 1-D numpy array of a column; nulls that numpy cannot hold are reported by row."""
    if _pa is not None and isinstance(values, (_pa.ChunkedArray, _pa.Array)):
        arr = _arrow_numpy(values, name)
    elif _is_polars_series(values):
        if values.null_count():
            raise _null_error(name, values.is_null().to_numpy())
        dtype = values.dtype
        if dtype == _pl.Categorical or dtype == getattr(_pl, "Enum", _pl.Categorical):
            values = values.cast(_pl.String)
        elif dtype == _pl.Datetime and getattr(dtype, "time_zone", None) is not None:
            values = values.dt.replace_time_zone(None)  # wall time, as pandas periods use
        arr = values.to_numpy()
    elif isinstance(values, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray)):
        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            arr = pd.DatetimeIndex(values).tz_localize(None).to_numpy()  # wall time; NaT later
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype):
            # Nullable, categorical, string and Arrow dtypes: nulls here, then the numpy form.
            na = np.asarray(pd.isna(values))
            if na.any():
                raise _null_error(name, na)
            if isinstance(dtype, pd.CategoricalDtype):
                arr = np.asarray(values)
            else:
                arr = values.to_numpy(dtype=getattr(dtype, "numpy_dtype", np.dtype(object)))
        else:
            arr = values.to_numpy()  # a view for numpy-backed columns
    else:
        arr = np.asarray(values)
    if arr.ndim != 1:
        raise input_error(f"{name}: expected a 1-D column, got shape {arr.shape}", argument=name)
    return arr


def _arrow_numpy(values: Any, name: str) -> np.ndarray:
    """An Arrow column as numpy: a view of its buffer for a primitive or timestamp column
    without nulls in one chunk; dictionary columns as their values (str); time-zone-aware
    timestamps at their wall time, as the other inputs."""
    if values.null_count:
        raise _null_error(name, values.is_null().to_numpy(zero_copy_only=False))
    kind = values.type
    if _pa.types.is_dictionary(kind):
        values = values.cast(kind.value_type)
    elif _pa.types.is_timestamp(kind) and kind.tz is not None:
        values = _pc.local_timestamp(values)
    if isinstance(values, _pa.ChunkedArray) and values.num_chunks == 1:
        values = values.chunk(0)
    return values.to_numpy(zero_copy_only=False)


def key_array(arr: np.ndarray, name: str) -> np.ndarray:
    """Keys as int64 or as an object array of str (the two layouts the core takes)."""
    kind = arr.dtype.kind
    if kind in "ib":
        return arr.astype(np.int64, copy=False)
    if kind == "u":
        if arr.size and arr.max() > np.iinfo(np.int64).max:
            row = int(np.argmax(arr > np.iinfo(np.int64).max))
            raise data_error(f"{name}: row {row}: key {arr[row]} does not fit in int64",
                             argument=name, row=row)
        return arr.astype(np.int64)
    if kind == "f":
        nan = np.isnan(arr)
        if nan.any():
            raise _null_error(name, nan)
        if not np.array_equal(arr, np.floor(arr)):
            row = int(np.argmax(arr != np.floor(arr)))
            raise data_error(f"{name}: row {row}: key {arr[row]} is not an integer",
                             argument=name, row=row)
        # int64 holds [-2**63, 2**63); both bounds are exact in float64. Outside, numpy's cast
        # gives -2**63 for every value (1e19, 2e19 and -1e30 would all merge into one customer).
        outside = (arr < -(2.0**63)) | (arr >= 2.0**63)
        if outside.any():
            row = int(np.argmax(outside))
            raise _input_error(
                f"{name}: row {row}: key {float(arr[row])!r} does not fit in int64 "
                f"(-9223372036854775808..9223372036854775807); use integer or string keys",
                name, row, arr[row])
        return arr.astype(np.int64)
    if kind in "US":
        return arr.astype(str).astype(object)
    if kind == "O":
        inferred = pd.api.types.infer_dtype(arr, skipna=False)
        if inferred == "integer":
            return arr.astype(np.int64)
        # Strings, or a column the core rejects naming the first null or non-str row.
        return np.ascontiguousarray(arr)
    raise TypeError(f"{name}: keys must be integers or strings, got dtype {arr.dtype}")


# numpy datetime64 units passed to the core as they are, with their ticks per second.
_TICKS_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def time_array(arr: np.ndarray, name: str) -> Tuple[np.ndarray, int]:
    """Times as (int64 ticks, ticks per second), without a copy for s/ms/us/ns datetime64."""
    if arr.size == 0:  # an empty frame's columns have whatever dtype; the core reports it
        return np.empty(0, dtype=np.int64), 1
    kind = arr.dtype.kind
    if kind == "O":
        na = pd.isna(arr)
        if na.any():
            row = int(np.argmax(na))
            raise data_error(f"{name}: row {row} is missing ({arr[row]!r})", argument=name, row=row)
        if pd.api.types.infer_dtype(arr, skipna=False) in ("datetime", "datetime64", "date"):
            # datetime.date / datetime.datetime / pandas.Timestamp objects.
            arr = pd.DatetimeIndex(pd.to_datetime(arr))
            if arr.tz is not None:
                arr = arr.tz_localize(None)  # wall time
            arr = arr.to_numpy()
            kind = "M"
    if kind in "OUS":
        # ISO 8601 text, read by the core (date.hpp parse_time): YYYY-MM-DD, YYYYMMDD, with an
        # optional time and UTC offset. The core names the first row it cannot read.
        return _core.parse_times(arr.astype(object), name), 1
    if kind != "M":
        raise TypeError(
            f"{name}: expected dates (datetime64, date objects or ISO 8601 strings), got "
            f"dtype {arr.dtype}; convert it first, e.g. with pandas.to_datetime"
        )
    nat = np.isnat(arr)
    if nat.any():
        row = int(np.argmax(nat))
        raise data_error(f"{name}: row {row} is missing (NaT)", argument=name, row=row)
    unit, count = np.datetime_data(arr.dtype)
    if count == 1 and unit in _TICKS_PER_SECOND:
        return np.ascontiguousarray(arr).view(np.int64), _TICKS_PER_SECOND[unit]
    return arr.astype("datetime64[s]").view(np.int64), 1


def float_array(arr: np.ndarray, name: str) -> np.ndarray:
    """A numeric column as float64 (NaN and infinity are left for the core to report).

    Booleans and complex numbers are refused (InputError naming the column and the first such
    row): True is not an amount of 1, and numpy would drop an imaginary part with a warning only.
    """
    kind = arr.dtype.kind
    if kind in "bc":
        what = "booleans" if kind == "b" else "complex numbers"
        raise _input_error(f"{name}: expected real numbers, got {what} (dtype {arr.dtype})",
                           name, 0 if arr.size else None, arr[0] if arr.size else arr.dtype)
    if kind in "fiu":
        return arr.astype(np.float64, copy=False)
    if kind == "O":
        for row, v in enumerate(arr):
            if isinstance(v, (bool, np.bool_, complex, np.complexfloating)):
                raise _input_error(
                    f"{name}: row {row}: {v!r} is a {type(v).__name__}, expected a real number",
                    name, row, v)
    try:
        return arr.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected numbers, got dtype {arr.dtype}") from None


def to_seconds(value: Any, argument: str) -> Optional[int]:
    """A point in time (str, datetime, pandas.Timestamp, numpy.datetime64) as epoch seconds.

    Time-zone-aware values are taken at their wall time, like the columns.
    """
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as e:
        raise input_error(f"{argument}: cannot read {value!r} as a date: {e}",
                          argument=argument) from None
    if ts is pd.NaT:
        raise input_error(f"{argument}: got a missing date ({value!r})", argument=argument)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int(ts.value // 1_000_000_000)


def csv_path(path: Any, delimiter: str) -> str:
    """The path of a CSV file to read, as str, after checking that it exists
    (FileNotFoundError) and that ``delimiter`` is one character (InputError)."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
    if len(delimiter) != 1:
        raise input_error(f"delimiter: expected one character, got {delimiter!r}",
                          argument='delimiter')
    return path


# The columns of a transaction CSV a caller may name: read_transactions' keyword arguments.
CSV_COLUMN_ROLES = ("customer", "date", "amount", "cost", "margin", "unit_cost", "quantity",
                    "order", "product", "channel")


def csv_columns(columns: Optional[Mapping[str, str]]) -> Any:
    """The core's CsvColumns of a ``columns=`` mapping from a role of CSV_COLUMN_ROLES to the
    file's header name (``{"customer": "cust", "amount": "revenue"}``); roles not given keep
    the default names. InputError naming ``columns`` for another role or a name not a str."""
    chosen = {} if columns is None else columns
    if not isinstance(chosen, Mapping):
        raise input_error(f"columns: expected a mapping of roles to column names, got "
                          f"{type(columns).__name__}", argument="columns")
    for role, name in chosen.items():
        if role not in CSV_COLUMN_ROLES:
            raise input_error(f"columns: {role!r} is not one of {', '.join(CSV_COLUMN_ROLES)}",
                              argument="columns", value=role)
        if not isinstance(name, str):
            raise input_error(f"columns: {role}: expected a column name (str), got {name!r}",
                              argument="columns", key=role, value=name)
    return _core.CsvColumns(**chosen)


def seconds_to_timestamp(seconds: int) -> pd.Timestamp:
    """Epoch seconds as a pandas Timestamp."""
    return pd.Timestamp(int(seconds), unit="s")


def as_datetime_ns(ticks: np.ndarray) -> np.ndarray:
    """An int64 nanosecond array viewed as datetime64[ns] (NaT where no time)."""
    return ticks.view("datetime64[ns]")


def _key_column(keys: np.ndarray) -> Any:
    """Keys as a column: pandas' default for them (object before pandas 3, its string dtype
    since), or an object Series when that refuses them: keys that are not valid UTF-8 in the
    file come back with their bytes escaped (surrogateescape, 'M\\udcfcller'), which pandas 3's
    Arrow-backed strings cannot hold."""
    if keys.dtype != object:
        return keys
    try:
        return pd.Series(keys, copy=False)
    except UnicodeEncodeError:
        return pd.Series(keys, dtype=object, copy=False)


def key_index(keys: Any, name: Optional[str]) -> pd.Index:
    """Customer keys as an index, as :func:`_key_column` makes a column: pandas' default, or
    object where pandas 3's string dtype refuses surrogate-escaped keys."""
    try:
        return pd.Index(keys, name=name)
    except UnicodeEncodeError:
        return pd.Index(keys, name=name, dtype=object)


def log_frame(raw: dict, names: Mapping[str, Optional[str]]) -> pd.DataFrame:
    """A DataFrame of a transaction log returned by the core (read_csv, generate).

    ``names`` maps each core column ("customer", "time", "amount", "cost", "quantity",
    "order", "product", "channel") to the name it gets in the frame. Customer and order keys
    become plain columns (int64 or str); product and channel become pandas categoricals.
    """
    cols = {}
    cols[names["customer"]] = _key_column(raw["customer_keys"][raw["customer"]])
    cols[names["time"]] = as_datetime_ns(raw["time"])
    cols[names["amount"]] = raw["amount"]
    for c in ("cost", "quantity"):
        if c in raw:
            cols[names.get(c) or c] = raw[c]
    if "order" in raw:
        cols[names.get("order") or "order_id"] = _key_column(raw["order_keys"][raw["order"]])
    for c in ("product", "channel"):
        if c in raw:
            cols[names.get(c) or c] = pd.Categorical.from_codes(
                raw[c].astype(np.int32), categories=pd.Index(raw[c + "_keys"])
            )
    return pd.DataFrame(cols, copy=False)
