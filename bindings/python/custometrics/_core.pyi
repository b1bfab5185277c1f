# Stubs of the private compiled module (bindings/python/src). Arrays are 1-D numpy arrays
# prepared by custometrics._frames; results are dicts of numpy arrays.
from typing import Any, Optional

import numpy as np
import numpy.typing as npt

__version__: str

def summarize(
    customer: np.ndarray,
    time: npt.NDArray[np.int64],
    ticks_per_second: int,
    amount: npt.NDArray[np.float64],
    cost: Optional[npt.NDArray[np.float64]],
    order: Optional[np.ndarray],
    time_unit: str,
    unit_scale: float,
    observation_end: Optional[int],
    calibration_end: Optional[int],
    returns: str,
    late: str,
    include_first_transaction: bool,
    threads: int,
    customer_column: str,
    order_column: str,
) -> dict[str, Any]: ...
def aggregate(
    by: np.ndarray,
    values: npt.NDArray[np.float64],
    times: Optional[npt.NDArray[np.int64]],
    moments: bool,
    threads: int,
    by_column: str,
) -> dict[str, Any]: ...
def read_csv(
    path: str,
    customer: str,
    date: str,
    amount: str,
    cost: Optional[str],
    margin: Optional[str],
    unit_cost: Optional[str],
    quantity: Optional[str],
    order: Optional[str],
    product: Optional[str],
    channel: Optional[str],
    delimiter: str,
) -> dict[str, np.ndarray]: ...
def generate(params: dict[str, Any]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]: ...
def generate_defaults() -> dict[str, Any]: ...
def parse_times(text: np.ndarray, column: str) -> npt.NDArray[np.int64]: ...
