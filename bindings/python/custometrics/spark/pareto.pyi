from dataclasses import dataclass
from typing import Any, Dict, Tuple

from pyspark.sql import DataFrame

Bounded = Tuple[float, float, float]

@dataclass(frozen=True)
class SparkParetoResult:
    n: int
    total: float
    gini: float
    gini_small_sample: float
    gini_rsv: float
    entities_for_80pct: float
    top20_share: float
    class_counts: Dict[str, int]
    class_shares: Dict[str, float]
    not_ranked: int
    not_ranked_total: float
    defined: bool
    reason: str
    a: float
    b: float
    rule: str
    nonpositive: str
    entities: DataFrame
    not_ranked_entities: DataFrame
    def unpersist(self) -> None: ...

@dataclass(frozen=True)
class SparkParetoBounds:
    n: int
    total: float
    not_ranked: int
    not_ranked_total: float
    defined: bool
    reason: str
    entities_for_80pct: Bounded
    top20_share: Bounded
    gini: Bounded
    gini_small_sample: Bounded
    class_counts: Dict[str, Bounded]
    class_shares: Dict[str, Bounded]
    eps: float
    bins: int
    a: float
    b: float
    rule: str
    def top_share(self, fraction: float) -> Bounded: ...
    def entities_for_share(self, share: float) -> Bounded: ...

def pareto_exact(
    df: Any,
    *,
    by: str,
    value: str,
    a: float = ...,
    b: float = ...,
    rule: str = ...,
    nonpositive: str = ...,
) -> SparkParetoResult: ...
def pareto_fast(
    df: Any,
    *,
    by: str,
    value: str,
    eps: float = ...,
    a: float = ...,
    b: float = ...,
    rule: str = ...,
) -> SparkParetoBounds: ...
