"""How results show in a terminal and in a notebook: a short ``repr`` and an HTML table.

:func:`result_display` is a class decorator for the result dataclasses of the package (apply it
on top of ``@dataclass``): it gives them a ``__repr__`` of a few lines (the class name, then
one ``field=value`` per line for the scalar fields; tables, arrays, lists and mappings are
summarised by their size, never printed whole; fields without a value are left out) and a
``_repr_html_`` that Jupyter shows: the headline figures as a table (thousands separated), then
the first rows of each table field.

Examples
--------
>>> from dataclasses import dataclass
>>> @result_display
... @dataclass(frozen=True)
... class Example:
...     n: int
...     share: float
...     keys: list
>>> Example(1200, 0.80000001, [1, 2, 3, 4, 5])
Example(n=1200, share=0.8, keys=<5 items>)
"""

from __future__ import annotations

import dataclasses
import html
import math
import numbers
from typing import Any, Iterable, List, Tuple

import numpy as np
import pandas as pd

_MAX_TEXT = 60  # characters of a string field shown in a repr
_HTML_ROWS = 10  # rows of each table field shown in a notebook


def _number(v: Any, sep: str) -> str:
    """A number to six significant digits (amounts to the cent), `sep` between thousands."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, numbers.Integral):
        return f"{int(v):{sep}}"
    x = float(v)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x != 0 and (abs(x) >= 1e12 or abs(x) < 1e-4):
        return f"{x:.6g}"
    return f"{x:{sep}.6g}" if abs(x) < 1e6 else f"{x:{sep}.2f}"


def _brief(v: Any, sep: str = "") -> str:
    """One short piece of text for a field's value (numbers with `sep` between thousands:
    none in a repr, where a comma would read as a separator of fields)."""
    if v is None:
        return "None"
    if isinstance(v, (bool, np.bool_, numbers.Number)):
        return _number(v, sep)
    if isinstance(v, str):
        return repr(v if len(v) <= _MAX_TEXT else v[:_MAX_TEXT - 3] + "...")
    if isinstance(v, pd.DataFrame):
        return f"<DataFrame: {len(v):,} rows x {v.shape[1]} columns>"
    if isinstance(v, (pd.Series, pd.Index, np.ndarray)):
        return f"<{type(v).__name__}: {len(v):,} values>"
    if isinstance(v, pd.Timestamp):
        return str(v)
    if isinstance(v, dict):
        if len(v) <= 4 and all(isinstance(x, (numbers.Number, str, type(None)))
                               for x in v.values()):
            return "{" + ", ".join(f"{k}: {_brief(x, sep)}" for k, x in v.items()) + "}"
        return f"<{len(v)} entries>"
    if isinstance(v, (list, tuple)):
        if len(v) <= 3 and all(isinstance(x, (numbers.Number, str)) for x in v):
            return "(" + ", ".join(_brief(x, sep) for x in v) + ")"
        return f"<{len(v):,} items>"
    if dataclasses.is_dataclass(v):
        return f"<{type(v).__name__}>"
    text = repr(v).splitlines()[0]
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT - 3] + "..."


def _fields(obj: Any) -> Iterable[Tuple[str, Any]]:
    for f in dataclasses.fields(obj):
        if f.name.startswith("_") or not f.repr:
            continue
        yield f.name, getattr(obj, f.name)


def _is_table(v: Any) -> bool:
    return isinstance(v, (pd.DataFrame, pd.Series))


def _unset(v: Any) -> bool:
    return v is None or (isinstance(v, (str, dict, list, tuple)) and len(v) == 0)


def _repr(self: Any) -> str:
    # Fields without a value (None, "", {}) are left out: the class documents them.
    items = [f"{name}={_brief(v)}" for name, v in _fields(self) if not _unset(v)]
    one_line = f"{type(self).__name__}({', '.join(items)})"
    if len(one_line) <= 100:
        return one_line
    return f"{type(self).__name__}(\n" + "".join(f"  {item},\n" for item in items) + ")"


def _repr_html(self: Any) -> str:
    rows: List[str] = []
    tables: List[str] = []
    for name, v in _fields(self):
        if _is_table(v):
            frame = v.to_frame() if isinstance(v, pd.Series) else v
            more = (f"<p><i>first {_HTML_ROWS} of {len(frame):,} rows</i></p>"
                    if len(frame) > _HTML_ROWS else "")
            tables.append(f"<p><b>{html.escape(name)}</b></p>"
                          + frame.head(_HTML_ROWS).to_html() + more)
        else:
            rows.append(f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
                        f"<td style='text-align:right'>{html.escape(_brief(v, ','))}</td></tr>")
    return (f"<b>{html.escape(type(self).__name__)}</b><table>{''.join(rows)}</table>"
            + "".join(tables))


def result_display(cls: type) -> type:
    """Gives the dataclass ``cls`` the package's short ``__repr__`` and a ``_repr_html_``
    (see the module's docstring); a ``_repr_html_`` the class defines itself is kept."""
    cls.__repr__ = _repr
    if "_repr_html_" not in cls.__dict__:
        cls._repr_html_ = _repr_html
    return cls
