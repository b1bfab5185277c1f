__all__: list[str]

from .pareto import SparkParetoBounds as SparkParetoBounds
from .pareto import SparkParetoResult as SparkParetoResult
from .pareto import pareto_exact as pareto_exact
from .pareto import pareto_fast as pareto_fast
