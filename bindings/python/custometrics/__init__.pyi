from .aggregation import aggregate as aggregate
from .synthetic import generate as generate
from .io import read_transactions as read_transactions
from .summary import summarize as summarize

__version__: str
__all__ = ["__version__", "aggregate", "generate", "read_transactions", "summarize"]
