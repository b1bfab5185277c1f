"""The structured errors the pure-Python layer raises, as the core raises them.

:func:`input_error` and :func:`data_error` build a :class:`custometrics.InputError` or
:class:`custometrics.DataError` (both subclasses of ``ValueError``, so ``except ValueError``
still catches them) with the fields the core's errors carry: ``argument``, ``row``, ``key``,
``column`` and ``value`` (``None`` where they do not apply; ``value`` as text, as the core gives
it).

Example
-------
>>> from custometrics._errors import input_error
>>> e = input_error("threads: must be >= 0, got -1", argument="threads", value=-1)
>>> (type(e).__name__, e.argument, e.value, isinstance(e, ValueError))
('InputError', 'threads', '-1', True)
"""
from __future__ import annotations

from typing import Any, Optional

from ._core import DataError, InputError


def _with_fields(error: Any, argument: Optional[str], row: Any, key: Any, column: Optional[str],
                 value: Any) -> Any:
    error.argument = None if argument is None else str(argument)
    error.row = None if row is None else int(row)
    error.key = None if key is None else str(key)
    error.column = None if column is None else str(column)
    error.value = None if value is None else str(value)
    return error


def input_error(message: str, *, argument: Optional[str] = None, value: Any = None,
                row: Any = None, key: Any = None, column: Optional[str] = None) -> InputError:
    """An :class:`InputError` (an argument out of its domain) with ``message`` and the fields."""
    return _with_fields(InputError(message), argument, row, key, column, value)


def data_error(message: str, *, argument: Optional[str] = None, row: Any = None, key: Any = None,
               column: Optional[str] = None, value: Any = None) -> DataError:
    """A :class:`DataError` (a row breaks a rule) with ``message`` and the fields; ``row`` is the
    0-based position."""
    return _with_fields(DataError(message), argument, row, key, column, value)
