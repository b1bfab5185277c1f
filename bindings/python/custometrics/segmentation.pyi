from dataclasses import dataclass
from typing import Any, List, Literal, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

_Scaling = Literal["none", "log", "standardize", "log_standardize"]

def default_segment_map() -> pd.DataFrame: ...
def check_segment_map(segment_map: Any, bins: int = 5) -> dict: ...
def rfm(
    data: Any = None,
    *,
    recency: Any = "recency",
    frequency: Any = "frequency",
    monetary: Any = "monetary",
    bins: int = 5,
    ties: Literal["grouped", "first"] = "grouped",
    segment_map: Any = None,
    fm: Literal["separate", "combined"] = "separate",
    threads: int = 0,
) -> pd.DataFrame: ...
@dataclass(frozen=True)
class KMeansResult:
    labels: np.ndarray
    centres: np.ndarray
    centres_data: pd.DataFrame
    inertia: float
    iterations: int
    converged: bool
    sizes: List[int]

def kmeans(
    features: Any,
    k: Optional[int] = None,
    *,
    init: Any = None,
    n_init: int = 10,
    max_iter: int = 300,
    tol: float = 1e-4,
    seed: int = 0,
    scaling: Union[_Scaling, Sequence[_Scaling]] = "none",
    threads: int = 0,
) -> KMeansResult: ...
def select_k(
    features: Any,
    k_min: int = 2,
    k_max: int = 10,
    *,
    silhouette_limit: int = 10_000,
    n_init: int = 10,
    max_iter: int = 300,
    tol: float = 1e-4,
    seed: int = 0,
    scaling: Union[_Scaling, Sequence[_Scaling]] = "none",
    threads: int = 0,
) -> Tuple[int, KMeansResult, pd.DataFrame]: ...
def silhouette(
    features: Any, labels: Any, *, sample_size: int = 10_000, seed: int = 0, threads: int = 0
) -> float: ...
def segment_profiles(
    labels: Any,
    data: Any = None,
    *,
    recency: Any = "recency",
    frequency: Any = "frequency",
    monetary: Any = "monetary",
    revenue: Any = None,
    profit: Any = None,
    names: Optional[Sequence[str]] = None,
    extra: Optional[Mapping[str, Any]] = None,
    mix: Optional[Mapping[str, Any]] = None,
) -> pd.DataFrame: ...
@dataclass(frozen=True)
class AHPResult:
    weights: pd.Series
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    consistent: bool

def ahp_weights(
    pairwise: Any,
    criteria: Optional[Sequence[str]] = None,
    *,
    accept_inconsistent: bool = False,
    reciprocal_tolerance: float = 0.01,
) -> AHPResult: ...
def attractiveness(
    criteria: pd.DataFrame,
    *,
    directions: Any = None,
    normalisation: Any = None,
    weights: Any = None,
    pairwise: Any = None,
    accept_inconsistent: bool = False,
    strength: Optional[pd.DataFrame] = None,
    strength_directions: Any = None,
    strength_normalisation: Any = None,
    strength_weights: Any = None,
    cuts: Tuple[float, float] = ...,
) -> pd.DataFrame: ...
def target_customers(assignments: Any, segments: Sequence[Any]) -> np.ndarray: ...
