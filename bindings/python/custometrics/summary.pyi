import datetime
from typing import Any, Literal, Optional, Union

import numpy as np
import pandas as pd

_TimeLike = Union[str, datetime.date, pd.Timestamp, np.datetime64]
_Column = Any  # a column name, or an array-like (numpy array, pandas or polars Series, list)

def summarize(
    data: Any = None,
    *,
    customer: _Column = "customer_id",
    date: _Column = "date",
    amount: _Column = "amount",
    cost: Optional[_Column] = None,
    order: Optional[_Column] = None,
    time_unit: Literal["days", "weeks", "months", "D", "W", "M"] = "days",
    unit_scale: float = 1.0,
    observation_end: Optional[_TimeLike] = None,
    calibration_end: Optional[_TimeLike] = None,
    returns: Literal["exclude", "net"] = "exclude",
    late: Literal["error", "drop"] = "error",
    include_first_transaction: bool = False,
    threads: int = 0,
) -> pd.DataFrame: ...
