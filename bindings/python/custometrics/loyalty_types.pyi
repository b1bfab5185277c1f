from collections.abc import Mapping
from typing import Any, Optional

import pandas as pd

LOYALTY_TYPES: list[str]
QUADRANTS: list[str]
NPS_CATEGORIES: list[str]
SPENDING_TYPES: list[str]
CHURN_REASONS: list[str]

def classify_loyalty(
    data: Any = None,
    *,
    customer: Any = "customer_id",
    date: Any = "date",
    amount: Any = "amount",
    discount: Any = None,
    payment_delay: Any = None,
    signals: Any = None,
    signals_customer: str = "customer_id",
    rules: Optional[Mapping[str, float]] = None,
    observation_end: Any = None,
) -> pd.DataFrame: ...
def nps_categories(scores: Any) -> pd.Series: ...
def nps(scores: Any, segment: Any = None) -> pd.DataFrame: ...
def spending_types(
    describe: Any, trouble_limiting: Any, trouble_spending: Any, sale_scenario: Any
) -> pd.DataFrame: ...
def spending_proxy(
    spend: Any, group: Any = None, low: float = 0.25, high: float = 0.75
) -> pd.Series: ...
def churn_reasons(
    answers: Any, reference: Optional[Mapping[str, float]] = None
) -> pd.DataFrame: ...
def customer_profitability(
    data: Any = None,
    *,
    customer: Any = "customer_id",
    date: Any = "date",
    amount: Any = "amount",
    cost: Any = "cost",
    order: Any = None,
    discount: Any = None,
    payment_delay: Any = None,
    tickets: Any = None,
    costs: Optional[Mapping[str, float]] = None,
) -> pd.DataFrame: ...
