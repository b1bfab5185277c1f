"""Type aliases shared by the annotations of the public modules (private, not an API).

The public modules carry their annotations inline (``py.typed``); only the compiled
``_core`` has a hand-written stub. The aliases that several modules use live here, so that
they are spelled once.
"""

from __future__ import annotations

import datetime
from typing import Any, Union

import numpy as np
import pandas as pd

#: A column: its name in ``data``, or the values themselves (a numpy array, a pandas or
#: polars Series, a list). ``Any``, as the accepted array-likes have no common type.
Column = Any

#: A point in time as :func:`custometrics._frames.to_seconds` reads it: ISO text
#: ("2024-01-31"), ``datetime.date`` or ``datetime.datetime``, ``pandas.Timestamp`` or
#: ``numpy.datetime64``.
TimeLike = Union[str, datetime.date, pd.Timestamp, np.datetime64]

__all__ = ["Column", "TimeLike"]
