"""custometrics: customer analytics over a fast C++20 core.

- :func:`summarize`: per-customer retention-model inputs (frequency, recency, T, monetary
  value), calibration/holdout splits and totals, as lifetimes defines them;
- :func:`aggregate`: count, sum, moments and time range of a value by key;
- :func:`pareto`: the 80/20 curve, ABC classes and Gini of an indicator per entity;
  :func:`whale_curve`, :func:`gini` and :func:`compare_periods` (two periods) alongside,
  and charts of them in :mod:`custometrics.plot` (matplotlib, the optional extra ``plot``);
- :func:`read_transactions`: a transaction log from CSV;
- :func:`generate`: a seeded synthetic log with known ground truth.

Functions accept pandas and polars DataFrames, mappings of numpy arrays, or the columns
themselves, and return pandas DataFrames.
"""

from ._core import __version__
from . import plot
from .aggregation import aggregate
from .pareto_analysis import (
    GiniResult,
    ParetoResult,
    PeriodComparison,
    WhaleResult,
    compare_periods,
    gini,
    pareto,
    whale_curve,
)
from .synthetic import generate
from .io import read_transactions
from .summary import summarize

__all__ = [
    "__version__", "aggregate", "compare_periods", "generate", "gini", "pareto", "plot",
    "read_transactions", "summarize", "whale_curve", "GiniResult", "ParetoResult",
    "PeriodComparison", "WhaleResult",
]
