from dataclasses import dataclass
import os
from typing import Any, Dict, Literal, Optional, Sequence, Type, TypeVar, Union

import numpy as np
import pandas as pd

_Column = Any  # an array-like: numpy array, pandas or polars Series, list
_Freq = Literal["D", "H", "W", "M", "days", "hours", "weeks", "months"]
_F = TypeVar("_F", bound="_Fitted")

@dataclass(frozen=True)
class FitReport:
    converged: bool
    iterations: int
    function_evaluations: int
    gradient_norm: float
    reason: str

class _Fitted:
    penalizer_coef: float
    params_: Optional[pd.Series]
    standard_errors_: pd.Series
    variance_matrix_: pd.DataFrame
    log_likelihood_: float
    n_: float
    fit_report_: FitReport
    unique_rows_: int
    time_unit_: Optional[str]
    unit_scale_: float
    def __init__(self, penalizer_coef: float = 0.0) -> None: ...
    def to_json(self) -> str: ...
    def save(self, path: Union[str, "os.PathLike[str]"]) -> None: ...
    @classmethod
    def from_json(cls: Type[_F], text: str, source: str = "<json>") -> _F: ...
    @classmethod
    def load(cls: Type[_F], path: Union[str, "os.PathLike[str]"]) -> _F: ...
    def set_params(self, **params: float) -> Any: ...
    @property
    def summary(self) -> pd.DataFrame: ...

class _PurchaseModel(_Fitted):
    def fit(self, frequency: Any, recency: Optional[_Column] = None, T: Optional[_Column] = None,
            weights: Optional[_Column] = None, *,
            initial_params: Optional[Sequence[float]] = None, max_iterations: int = 1000,
            tol: float = 1e-9, threads: int = 0, time_unit: Optional[str] = None,
            unit_scale: Optional[float] = None) -> Any: ...
    def conditional_probability_alive(self, frequency: Any, recency: Optional[_Column] = None,
                                      T: Optional[_Column] = None) -> Any: ...
    def conditional_expected_number_of_purchases_up_to_time(
        self, t: float, frequency: Any, recency: Optional[_Column] = None,
        T: Optional[_Column] = None) -> Any: ...
    def predict(self, t: float, frequency: Any, recency: Optional[_Column] = None,
                T: Optional[_Column] = None) -> Any: ...
    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any: ...
    def probability_of_n_purchases_up_to_time(self, t: float, n: Any) -> Any: ...
    def next_purchase_time(self, frequency: Any, recency: Optional[_Column] = None,
                           T: Optional[_Column] = None) -> Any: ...
    def log_likelihood(self, frequency: Any, recency: Optional[_Column] = None,
                       T: Optional[_Column] = None) -> Any: ...
    def conditional_probability_alive_matrix(self, max_frequency: int,
                                             max_recency: int) -> np.ndarray: ...
    def expected_repeat_purchase_counts(self, frequency: Any, T: Optional[_Column] = None,
                                        max_frequency: int = 7) -> pd.DataFrame: ...

class BetaGeoModel(_PurchaseModel): ...
class ModifiedBetaGeoModel(_PurchaseModel): ...
class ParetoNBDModel(_PurchaseModel): ...

class GammaGammaModel(_Fitted):
    customers_left_out_: Dict[str, int]
    def fit(self, frequency: Any, monetary_value: Optional[_Column] = None,
            weights: Optional[_Column] = None, *,
            initial_params: Optional[Sequence[float]] = None, max_iterations: int = 1000,
            tol: float = 1e-9, threads: int = 0) -> "GammaGammaModel": ...
    def conditional_expected_average_profit(self, frequency: Any,
                                            monetary_value: Optional[_Column] = None) -> Any: ...
    def customer_lifetime_value(self, transaction_prediction_model: _PurchaseModel,
                                frequency: _Column, recency: _Column, T: _Column,
                                monetary_value: _Column, time: float = 12,
                                discount_rate: float = 0.01, freq: _Freq = "D") -> Any: ...

class ShiftedBetaGeometricModel(_Fitted):
    def fit(self, active: _Column, *, initial_params: Optional[Sequence[float]] = None,
            max_iterations: int = 1000, tol: float = 1e-9) -> "ShiftedBetaGeometricModel": ...
    def survival(self, t: Any) -> Any: ...
    def retention_rate(self, t: Any) -> Any: ...
    def discounted_expected_residual_lifetime(self, discount_rate: float,
                                              renewals: int = 0) -> float: ...

@dataclass(frozen=True)
class CalibrationCheck:
    table: pd.DataFrame
    mae: float
    rmse: float
    total_actual: float
    total_predicted: float
    bin_mape: float
    def plot(self, ax: Any = None) -> Any: ...

def calibration_holdout_check(model: _PurchaseModel, summary: Any,
                              max_frequency: int = 7) -> CalibrationCheck: ...

@dataclass(frozen=True)
class RetentionOverview:
    purchase_model: BetaGeoModel
    spend_model: Optional[GammaGammaModel]
    spend_reason: str
    customers: int
    too_new: int
    spend_buyers: int
    expected_alive: float
    at_risk: int
    at_risk_revenue: float
    revenue: float
    expected_purchases: float
    clv_total: float
    top_clv: pd.Series

def retention_overview(summary: Any, *, horizon: float = 90.0, at_risk_below: float = 0.5,
                       months: int = 12, discount_rate: float = 0.01, freq: _Freq = "D",
                       top: int = 5) -> RetentionOverview: ...

def contact_list(model: _PurchaseModel, spend_model: GammaGammaModel, summary: Any, *,
                 within: float = 30.0, lead_time: float = 14.0, months: int = 12,
                 discount_rate: float = 0.01, freq: Optional[_Freq] = None, as_of: Any = None,
                 top: Optional[int] = None) -> pd.DataFrame: ...
def score_customers(model: _PurchaseModel, summary: Any,
                    spend_model: Optional[GammaGammaModel] = None, *, horizon: float = 30.0,
                    months: int = 12, discount_rate: float = 0.01, freq: Optional[_Freq] = None,
                    as_of: Any = None) -> pd.DataFrame: ...

@dataclass(frozen=True)
class RetentionScenario:
    retention_rate: float
    lifetime_value: float
    base_value: float
    steady_state_customers: Optional[float]
    steady_state_profit: Optional[float]

@dataclass(frozen=True)
class RetentionEconomics:
    before: RetentionScenario
    after: RetentionScenario
    lifetime_value_change: Optional[float]
    base_value_change: Optional[float]
    steady_state_profit_change: Optional[float]

def retention_economics(margin: float, retention_rate: float, discount_rate: float,
                        points: float = 5.0, *, customers: float = 0.0,
                        new_customers: float = 0.0, acquisition_cost: float = 0.0,
                        timing: Literal["start", "end"] = "start") -> RetentionEconomics: ...
