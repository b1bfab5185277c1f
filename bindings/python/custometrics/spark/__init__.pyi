from .models import fit as fit, model_by_name as model_by_name, score as score
from .summary import summarize as summarize

__all__: list[str]

from .pareto import SparkParetoBounds as SparkParetoBounds
from .pareto import SparkParetoResult as SparkParetoResult
from .pareto import pareto_exact as pareto_exact
from .pareto import pareto_fast as pareto_fast
