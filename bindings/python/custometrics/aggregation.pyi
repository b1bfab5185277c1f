from typing import Any, Optional

import pandas as pd

def aggregate(
    data: Any = None,
    *,
    by: Any,
    value: Any,
    time: Optional[Any] = None,
    moments: bool = True,
    threads: int = 0,
) -> pd.DataFrame: ...
