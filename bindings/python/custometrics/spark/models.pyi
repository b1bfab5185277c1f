from typing import Any, Optional, Sequence, Union

from pyspark.sql import DataFrame

from ..retention import BetaGeoModel, GammaGammaModel, ModifiedBetaGeoModel, ParetoNBDModel

__all__ = ["fit", "score", "model_by_name"]

Model = Union[BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel, GammaGammaModel]

def model_by_name(name: str, penalizer_coef: float = ...) -> Model: ...
def fit(
    model: Union[str, Model],
    summary: DataFrame,
    *,
    frequency: Optional[str] = ...,
    recency: Optional[str] = ...,
    T: Optional[str] = ...,
    monetary_value: Optional[str] = ...,
    penalizer_coef: Optional[float] = ...,
    initial_params: Optional[Sequence[float]] = ...,
    max_iterations: int = ...,
    tol: float = ...,
    collect_limit: int = ...,
) -> Model: ...
def score(
    summary: DataFrame,
    model: Union[BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel],
    spend_model: Optional[GammaGammaModel] = ...,
    *,
    customer: str = ...,
    frequency: Optional[str] = ...,
    recency: Optional[str] = ...,
    T: Optional[str] = ...,
    monetary_value: Optional[str] = ...,
    t: float = ...,
    time_unit: str = ...,
    unit_scale: float = ...,
    observation_end: Any = ...,
    months: int = ...,
    discount_rate: float = ...,
) -> DataFrame: ...
