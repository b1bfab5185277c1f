from typing import Any, Dict, List, Literal, Optional

import numpy as np
import pandas as pd

_Column = Any  # a column name, or an array-like (numpy array, pandas or polars Series, list)
_Rule = Literal["before", "including"]
_Nonpositive = Literal["separate", "include"]

class ParetoResult:
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
    @property
    def entities(self) -> pd.DataFrame: ...
    @property
    def not_ranked_entities(self) -> pd.DataFrame: ...
    def top_share(self, fraction: float) -> float: ...
    def entities_for_share(self, share: float) -> float: ...
    def curve(self, max_points: Optional[int] = 1000) -> pd.DataFrame: ...
    def lorenz(self, max_points: Optional[int] = 1000) -> pd.DataFrame: ...
    def plot(self, kind: Literal["pareto", "lorenz"] = "pareto", ax: Any = None,
             **kwargs: Any) -> Any: ...

class WhaleResult:
    n: int
    total: float
    profit_total: float
    loss_total: float
    loss_entities: int
    loss_entity_share: float
    loss_share: float
    peak_share: float
    peak_count: int
    peak_entity_share: float
    defined: bool
    reason: str
    @property
    def entities(self) -> pd.DataFrame: ...
    def curve(self, max_points: Optional[int] = 1000) -> pd.DataFrame: ...
    def plot(self, ax: Any = None) -> Any: ...

class GiniResult:
    n: int
    total: float
    defined: bool
    reason: str
    gini: float
    gini_small_sample: float
    rsv_defined: bool
    gini_rsv: float
    def __float__(self) -> float: ...

class PeriodComparison:
    before: ParetoResult
    after: ParetoResult
    migration: pd.DataFrame
    entered_a: List[Any]
    left_a: List[Any]
    spearman: float
    spearman_n: int
    spearman_defined: bool
    spearman_reason: str
    changes_defined: bool
    gini_change: float
    entities_for_80pct_change: float
    top20_share_change: float
    def plot(self, ax: Any = None) -> Any: ...

def pareto(
    data: Any = None,
    *,
    by: Optional[_Column] = None,
    value: Optional[_Column] = None,
    a: float = 0.8,
    b: float = 0.95,
    rule: _Rule = "before",
    nonpositive: _Nonpositive = "separate",
    threads: int = 0,
) -> ParetoResult: ...
def whale_curve(
    data: Any = None,
    *,
    by: Optional[_Column] = None,
    value: Optional[_Column] = None,
    threads: int = 0,
) -> WhaleResult: ...
def gini(values: Any, *, threads: int = 0) -> GiniResult: ...
def compare_periods(
    before: Any,
    after: Any,
    *,
    by: Optional[_Column] = None,
    value: Optional[_Column] = None,
    a: float = 0.8,
    b: float = 0.95,
    rule: _Rule = "before",
    nonpositive: _Nonpositive = "separate",
    threads: int = 0,
) -> PeriodComparison: ...
