"""custometrics: customer analytics over a fast C++20 core.

- :func:`summarize`: per-customer retention-model inputs (frequency, recency, T, monetary
  value), calibration/holdout splits and totals, as lifetimes defines them;
- :func:`aggregate`: count, sum, moments and time range of a value by key;
- :func:`read_transactions`: a transaction log from CSV;
- :func:`generate`: a seeded synthetic log with known ground truth.

Functions accept pandas and polars DataFrames, mappings of numpy arrays, or the columns
themselves, and return pandas DataFrames.
"""

from ._core import __version__
from .aggregation import aggregate
from .synthetic import generate
from .io import read_transactions
from .summary import summarize

__all__ = ["__version__", "aggregate", "generate", "read_transactions", "summarize"]
