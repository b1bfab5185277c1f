"""custometrics on Apache Spark: the same figures over a Spark DataFrame of transactions.

Spark distributes the rows; the per-partition work is done by custometrics' C++ core inside
the executors (``mapInArrow``), so every result equals the single-machine function on the
same data:

- :func:`summarize`: per-customer summaries (frequency, recency, T, monetary value, holdout
  columns and totals) as :func:`custometrics.summarize` defines them;
- :func:`fit`: a BG/NBD, MBG/NBD, Pareto/NBD or Gamma-Gamma model fitted on a summary
  DataFrame (the summary compressed to its distinct rows with counts; collected to the driver
  when small, otherwise the log-likelihood and its gradient summed over the partitions at each
  L-BFGS iteration);
- :func:`score`: P(alive), expected purchases, lifetime value and next purchase time per
  customer, computed in the executors by the core's ``score_customers``;
- :func:`contacts`: the customers to call before their next purchase, ranked by lifetime
  value (the core's contact list per partition, ranked by a Spark sort);
- :func:`pareto_exact`: Pareto figures, ABC classes and Gini of any measure per any entity
  (customer, product, channel) by a Spark sort and a distributed prefix sum, equal to
  :func:`custometrics.pareto`; :func:`pareto_fast`: the same figures with proven bounds from
  mergeable per-partition sketches, collecting no entity (module :mod:`.pareto`);
- :func:`break_even_over_time`: when cumulative revenue reaches cumulative cost, month by
  month, from per-partition monthly totals (module :mod:`.break_even`).

Columns are named, as in the single-machine functions; every input is checked before the main
job: a missing column or a wrong type from the schema, before any job; a null key or date and
a NaN amount by one aggregate pass first. Each raises a ``custometrics.InputError`` or
``DataError`` (subclasses of ``ValueError``) whose fields (``argument``, ``row``, ``key``,
``column``, ``value``) name the argument and the column. The executors must import the same custometrics (the package
installed in their Python environment; see docs/spark.md).

Needs ``pyspark`` (3.5) and ``pyarrow``: ``pip install custometrics[spark]``.
"""

try:
    import pyspark  # noqa: F401
    import pyarrow  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "custometrics.spark needs pyspark and pyarrow: pip install custometrics[spark] "
        f"(missing: {exc.name})"
    ) from exc

from .models import contacts, fit, model_by_name, score
from .summary import summarize

__all__ = ["summarize", "fit", "score", "contacts", "model_by_name"]

from .pareto import SparkParetoBounds, SparkParetoResult, pareto_exact, pareto_fast  # noqa: E402

__all__ += ["pareto_exact", "pareto_fast", "SparkParetoResult", "SparkParetoBounds"]

from .break_even import break_even_over_time  # noqa: E402

__all__ += ["break_even_over_time"]
