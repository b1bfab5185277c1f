import os
from typing import Optional, Union

import pandas as pd

def read_transactions(
    path: Union[str, os.PathLike[str]],
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    cost: Optional[str] = None,
    margin: Optional[str] = None,
    unit_cost: Optional[str] = None,
    quantity: Optional[str] = None,
    order: Optional[str] = None,
    product: Optional[str] = None,
    channel: Optional[str] = None,
    delimiter: str = ",",
) -> pd.DataFrame: ...
