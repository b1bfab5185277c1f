from .models import fit as fit, model_by_name as model_by_name, score as score
from .summary import summarize as summarize

__all__: list[str]
