import datetime
from typing import Literal, Tuple, Union, overload

import numpy as np
import pandas as pd

_TimeLike = Union[str, datetime.date, pd.Timestamp, np.datetime64]

@overload
def generate(
    customers: int = 10000,
    seed: int = 42,
    start: _TimeLike = "2020-01-01",
    end: _TimeLike = "2021-12-31",
    *,
    truth: Literal[False] = False,
    acquisition_share: float = ...,
    r: float = ...,
    alpha: float = ...,
    a: float = ...,
    b: float = ...,
    p_spend: float = ...,
    q_spend: float = ...,
    v_spend: float = ...,
    products: int = ...,
    channels: int = ...,
    return_rate: float = ...,
    threads: int = ...,
) -> pd.DataFrame: ...
@overload
def generate(
    customers: int = 10000,
    seed: int = 42,
    start: _TimeLike = "2020-01-01",
    end: _TimeLike = "2021-12-31",
    *,
    truth: Literal[True],
    acquisition_share: float = ...,
    r: float = ...,
    alpha: float = ...,
    a: float = ...,
    b: float = ...,
    p_spend: float = ...,
    q_spend: float = ...,
    v_spend: float = ...,
    products: int = ...,
    channels: int = ...,
    return_rate: float = ...,
    threads: int = ...,
) -> Tuple[pd.DataFrame, pd.DataFrame]: ...
