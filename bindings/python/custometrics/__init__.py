"""custometrics: customer analytics over a fast C++20 core.

- :func:`summarize`: per-customer retention-model inputs (frequency, recency, T, monetary
  value), calibration/holdout splits and totals, as lifetimes defines them;
- :func:`aggregate`: count, sum, moments and time range of a value by key;
- :func:`pareto`: the 80/20 curve, ABC classes and Gini of an indicator per entity;
  :func:`whale_curve`, :func:`gini` and :func:`compare_periods` (two periods) alongside,
  and charts of them in :mod:`custometrics.plot` (matplotlib, the optional extra ``plot``);
- :func:`break_even_analysis` and the functions of :mod:`custometrics.cvp`: break-even
  units and revenue, target profit, margin of safety, operating leverage, cash break-even, a
  sales mix, stepped fixed costs, the break-even date of revenue and cost series, a tornado
  table and a price x volume grid; break-even and tornado charts in :mod:`custometrics.plot`;
- retention models in :mod:`custometrics.retention`: :class:`BetaGeoModel` (BG/NBD),
  :class:`ModifiedBetaGeoModel`, :class:`ParetoNBDModel`, :class:`GGompertzNBDModel`,
  :class:`GammaGammaModel` (spend and
  lifetime value), :class:`ShiftedBetaGeometricModel` (contractual) and
  :class:`BetaGeoBetaBinomModel` (BG/BB, discrete opportunities), :func:`select_model` (choice
  by holdout error or BIC), with
  :func:`score_customers`, :func:`contact_list`, :func:`retention_economics`,
  :func:`calibration_holdout_check` and :func:`retention_overview`;
- :func:`log_retention_economics`: retention rate and margin measured in the log, what +5
  points or +5% retention do to revenue and lifetime value, acquisition against retention
  spend (the article's "+5%" and "8x"; module :mod:`custometrics.economics`);
- :func:`classify_loyalty`: six loyalty types and the satisfaction x loyalty quadrants per
  customer, each with the rule and values behind it; :func:`nps`, :func:`nps_categories`,
  :func:`spending_types` (Tightwad-Spendthrift scale), :func:`spending_proxy` and
  :func:`churn_reasons` alongside (module :mod:`custometrics.loyalty_types`);
- :func:`evaluate_programme`: a loyalty programme's members against matched non-members
  before and after joining, the incremental margin against its cost and the ROI (module
  :mod:`custometrics.programme`);
- :func:`customer_profitability`: gross margin minus the cost to serve per customer, with
  the wanted and the large-but-unprofitable customers flagged;
- :func:`rfm`, :func:`kmeans`, :func:`segment_profiles`, :func:`attractiveness` and
  :func:`ahp_weights` (module :mod:`custometrics.segmentation`): RFM scores and named
  segments, k-means clusters, a profile per segment, weighted segment attractiveness with the
  nine-cell matrix; RFM heat map and segment matrix chart in :mod:`custometrics.plot`;
- :func:`read_transactions`: a transaction log from CSV;
- :func:`generate`: a seeded synthetic log with known ground truth.

Errors are :class:`InputError` (an argument out of its domain), :class:`DataError` (a row that
breaks a rule) and :class:`ParseError` (a CSV field that cannot be read, a DataError), all
subclasses of :class:`Error` and of ``ValueError``, with the attributes ``argument``, ``row``
(0-based), ``key``, ``column`` and ``value`` (``None`` where they do not apply; ``source`` and
``line`` for a ParseError).

Functions accept pandas and polars DataFrames, mappings of numpy arrays, or the columns
themselves, and return pandas DataFrames.
"""

from ._core import DataError, Error, InputError, ParseError, __version__
from . import plot
from .aggregation import aggregate
from .cvp import (
    BreakEvenAnalysis,
    BreakEvenOverTime,
    BreakEvenPoint,
    MarginOfSafety,
    MixBreakEven,
    OperatingLeverage,
    SalesMix,
    SteppedBreakEven,
    TargetProfitResult,
    break_even,
    break_even_analysis,
    break_even_chart_data,
    break_even_mix,
    break_even_over_time,
    break_even_over_time_from_log,
    break_even_stepped,
    cash_break_even,
    margin_of_safety,
    operating_leverage,
    price_volume_grid,
    sales_mix_from_log,
    target_profit,
    tornado,
)
from .loyalty_types import (
    churn_reasons,
    classify_loyalty,
    customer_profitability,
    nps,
    nps_categories,
    spending_proxy,
    spending_types,
)
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
from .retention import (
    BetaGeoBetaBinomModel,
    BetaGeoModel,
    CalibrationCheck,
    ConvergenceWarning,
    FitReport,
    GammaGammaModel,
    GGompertzNBDModel,
    ModifiedBetaGeoModel,
    ParetoNBDModel,
    RetentionEconomics,
    RetentionOverview,
    RetentionScenario,
    ModelSelection,
    ShiftedBetaGeometricModel,
    calibration_holdout_check,
    contact_list,
    purchase_rhythm,
    retention_economics,
    retention_overview,
    score_customers,
    select_model,
)
from .segmentation import (
    AHPResult,
    KMeansResult,
    ahp_weights,
    attractiveness,
    check_segment_map,
    default_segment_map,
    kmeans,
    rfm,
    segment_profiles,
    select_k,
    silhouette,
    target_customers,
)
from .economics import LogEconomics, log_retention_economics
from .programme import PROGRAMME_TYPES, ProgrammeEvaluation, evaluate_programme
from .synthetic import generate
from .io import read_transactions
from .summary import summarize
from .reporting import Report, report
from .memory import block_cache_size, get_num_threads, set_block_cache_limit, set_num_threads
from .progress import set_progress
from . import lifetimes_compat  # lifetimes 0.11 names (BetaGeoFitter, ...) over the models

__all__ = [
    "__version__", "Report", "report", "DataError", "Error", "InputError", "ParseError", "aggregate", "block_cache_size", "set_block_cache_limit", "get_num_threads", "set_num_threads", "set_progress", "break_even", "break_even_analysis", "break_even_chart_data",
    "break_even_mix", "break_even_over_time", "break_even_over_time_from_log",
    "break_even_stepped", "cash_break_even", "churn_reasons", "classify_loyalty",
    "compare_periods", "customer_profitability", "evaluate_programme", "generate", "gini",
    "log_retention_economics", "LogEconomics",
    "PROGRAMME_TYPES", "ProgrammeEvaluation",
    "margin_of_safety", "nps", "nps_categories", "operating_leverage", "pareto", "plot",
    "price_volume_grid", "spending_proxy", "spending_types",
    "read_transactions", "sales_mix_from_log", "summarize", "target_profit", "tornado",
    "whale_curve", "BreakEvenAnalysis", "BreakEvenOverTime", "BreakEvenPoint", "GiniResult",
    "MarginOfSafety", "MixBreakEven", "OperatingLeverage", "ParetoResult", "PeriodComparison",
    "SalesMix", "SteppedBreakEven", "TargetProfitResult", "WhaleResult",
    "BetaGeoBetaBinomModel", "ModelSelection", "select_model",
    "BetaGeoModel", "CalibrationCheck", "ConvergenceWarning",
    "FitReport", "GammaGammaModel", "ModifiedBetaGeoModel",
    "ParetoNBDModel", "GGompertzNBDModel", "RetentionEconomics", "RetentionScenario", "ShiftedBetaGeometricModel",
    "calibration_holdout_check", "contact_list", "purchase_rhythm", "retention_economics",
    "score_customers",
    "RetentionOverview", "retention_overview",
    "AHPResult", "KMeansResult", "ahp_weights", "attractiveness", "check_segment_map",
    "default_segment_map", "kmeans", "rfm", "segment_profiles", "select_k", "silhouette",
    "target_customers",
]
