from typing import Any, Dict, List, Literal, Optional, Sequence

import pandas as pd

_Column = Any  # a column name, or an array-like (numpy array, pandas or polars Series, list)

class BreakEvenPoint:
    contribution_margin: float
    contribution_margin_ratio: float
    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]

class TargetProfitResult:
    pre_tax_profit: float
    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]

class MarginOfSafety:
    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]
    ratio: Optional[float]

class OperatingLeverage:
    contribution: float
    profit: float
    defined: bool
    reason: str
    degree: Optional[float]

class BreakEvenAnalysis:
    fixed_costs: float
    price: float
    unit_variable_cost: float
    sales_units: Optional[float]
    target_profit: Optional[float]
    tax_rate: float
    depreciation: Optional[float]
    contribution_margin: float
    contribution_margin_ratio: float
    break_even_units: Optional[float]
    break_even_revenue: Optional[float]
    target_units: Optional[float]
    margin_of_safety_units: Optional[float]
    margin_of_safety_pct: Optional[float]
    operating_leverage: Optional[float]
    cash_break_even_units: Optional[float]
    defined: bool
    reason: str
    reasons: Dict[str, str]
    def to_dict(self) -> Dict[str, Optional[float]]: ...
    def plot(self, ax: Any = None, volume_max: Optional[float] = None) -> Any: ...

class MixBreakEven:
    fixed_costs: float
    basis: str
    average_price: float
    weighted_contribution_margin: float
    weighted_contribution_margin_ratio: float
    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]
    products: pd.DataFrame

class SalesMix:
    products: pd.DataFrame
    excluded: List[Any]
    excluded_amount: float

class SteppedBreakEven:
    contribution_margin: float
    units: List[float]
    defined: bool
    reason: str
    bands: pd.DataFrame

class BreakEvenOverTime:
    reached: bool
    date: Optional[pd.Timestamp]
    period: Optional[int]
    remaining_gap: Optional[float]
    reason: str
    end: pd.Timestamp
    periods: pd.DataFrame

def break_even(*, fixed_costs: float, price: float, unit_variable_cost: float) -> BreakEvenPoint: ...
def cash_break_even(
    *, fixed_costs: float, price: float, unit_variable_cost: float, non_cash_costs: float
) -> BreakEvenPoint: ...
def target_profit(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    target_profit: float,
    tax_rate: float = 0.0,
) -> TargetProfitResult: ...
def margin_of_safety(
    *, fixed_costs: float, price: float, unit_variable_cost: float, sales_units: float
) -> MarginOfSafety: ...
def operating_leverage(
    *, fixed_costs: float, price: float, unit_variable_cost: float, sales_units: float
) -> OperatingLeverage: ...
def break_even_analysis(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    sales_units: Optional[float] = None,
    target_profit: Optional[float] = None,
    tax_rate: float = 0.0,
    depreciation: Optional[float] = None,
) -> BreakEvenAnalysis: ...
def break_even_mix(
    data: Any = None,
    *,
    fixed_costs: float,
    product: Optional[_Column] = None,
    price: _Column = "price",
    unit_variable_cost: _Column = "unit_variable_cost",
    mix: _Column = "mix",
    basis: Literal["units", "revenue"] = "units",
    tolerance: float = 1e-6,
) -> MixBreakEven: ...
def sales_mix_from_log(
    data: Any = None,
    *,
    product: _Column = "product",
    amount: _Column = "amount",
    cost: _Column = "cost",
    quantity: _Column = "quantity",
) -> SalesMix: ...
def break_even_stepped(
    bands: Any, *, price: float, unit_variable_cost: float
) -> SteppedBreakEven: ...
def break_even_over_time(
    data: Any = None,
    *,
    period_start: _Column = "period_start",
    revenue: _Column = "revenue",
    cost: _Column = "cost",
    end: Any = None,
) -> BreakEvenOverTime: ...
def break_even_over_time_from_log(
    data: Any = None,
    *,
    fixed_costs_per_month: float,
    date: _Column = "date",
    amount: _Column = "amount",
    cost: _Column = "cost",
) -> BreakEvenOverTime: ...
def tornado(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    sales_units: float,
    change: float = 0.1,
) -> pd.DataFrame: ...
def price_volume_grid(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    sales_units: float,
    price_changes: Sequence[float] = (-0.1, 0.0, 0.1),
    volume_changes: Sequence[float] = (-0.1, 0.0, 0.1),
) -> pd.DataFrame: ...
def default_volume_max(
    break_even_units: Optional[float], sales_units: Optional[float] = None
) -> float: ...
def break_even_chart_data(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    volume_max: Optional[float] = None,
    points: int = 51,
    volume_min: float = 0.0,
) -> pd.DataFrame: ...
