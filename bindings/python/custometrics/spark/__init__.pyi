from .summary import summarize as summarize

__all__: list[str]
