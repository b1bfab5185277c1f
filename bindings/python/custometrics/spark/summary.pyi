from typing import Any, Optional

from pyspark.sql import DataFrame

__all__ = ["summarize"]

def summarize(
    df: DataFrame,
    *,
    customer: str = ...,
    date: str = ...,
    amount: str = ...,
    cost: Optional[str] = ...,
    order: Optional[str] = ...,
    time_unit: str = ...,
    unit_scale: float = ...,
    observation_end: Any = ...,
    calibration_end: Any = ...,
    returns: str = ...,
    late: str = ...,
    include_first_transaction: bool = ...,
    partitions: Optional[int] = ...,
) -> DataFrame: ...
