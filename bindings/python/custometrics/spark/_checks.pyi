from dataclasses import dataclass
from typing import Any, Sequence, Tuple

from pyspark.sql import Column, DataFrame
from pyspark.sql import types as T

@dataclass(frozen=True)
class Spec:
    argument: str
    name: str
    dtype: T.DataType
    nullable: bool
    kind: str
    @property
    def col(self) -> Column: ...
    @property
    def is_float(self) -> bool: ...
    @property
    def is_string(self) -> bool: ...

def frame(df: Any, argument: str = ...) -> DataFrame: ...
def column(df: DataFrame, name: Any, argument: str, kind: str) -> Spec: ...
def scan(
    df: DataFrame, specs: Sequence[Spec], aggregates: Sequence[Column] = ...
) -> Tuple[Any, ...]: ...
