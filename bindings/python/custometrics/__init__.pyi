from . import plot as plot
from .aggregation import aggregate as aggregate
from .pareto_analysis import GiniResult as GiniResult
from .pareto_analysis import ParetoResult as ParetoResult
from .pareto_analysis import PeriodComparison as PeriodComparison
from .pareto_analysis import WhaleResult as WhaleResult
from .pareto_analysis import compare_periods as compare_periods
from .pareto_analysis import gini as gini
from .pareto_analysis import pareto as pareto
from .pareto_analysis import whale_curve as whale_curve
from .synthetic import generate as generate
from .io import read_transactions as read_transactions
from .summary import summarize as summarize

__version__: str
__all__ = [
    "__version__", "aggregate", "compare_periods", "generate", "gini", "pareto", "plot",
    "read_transactions", "summarize", "whale_curve", "GiniResult", "ParetoResult",
    "PeriodComparison", "WhaleResult",
]
