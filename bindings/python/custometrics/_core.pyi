# Stubs of the private compiled module (bindings/python/src). Arrays are 1-D numpy arrays
# prepared by custometrics._frames; results are the core's bound classes (a few dicts).
from typing import Any, Callable, Optional, Sequence, TypedDict, Union

from typing_extensions import Unpack

import numpy as np
import numpy.typing as npt

# Every result class (bound by common.hpp's CM_RESULT) also has `_fields`, the tuple of its
# member names, pickles, and prints its members.

__version__: str

class Error(ValueError):
    argument: Optional[str]
    row: Optional[int]
    key: Optional[str]
    column: Optional[str]
    value: Optional[str]

class InputError(Error): ...
class DataError(Error): ...

class ParseError(DataError):
    source: Optional[str]
    line: int

class SummaryArgs(TypedDict):
    """The summary options, one list for `summarize` and `summarize_csv` (keywords; the
    binding's `options_of` takes them in this order)."""

    time_unit: str
    unit_scale: float
    observation_end: Optional[int]
    calibration_end: Optional[int]
    returns: str
    late: str
    include_first_transaction: bool
    threads: int

def summarize(
    customer: np.ndarray,
    time: npt.NDArray[np.int64],
    ticks_per_second: int,
    amount: npt.NDArray[np.float64],
    cost: Optional[npt.NDArray[np.float64]],
    order: Optional[np.ndarray],
    *,
    customer_column: str,
    order_column: str,
    **options: Unpack[SummaryArgs],
) -> tuple[np.ndarray, CustomerSummary]: ...
def summarize_csv(
    path: str,
    columns: CsvColumns,
    delimiter: str,
    memory_limit: Optional[str],
    **options: Unpack[SummaryArgs],
) -> tuple[np.ndarray, CustomerSummary]: ...

class CustomerSummary:
    customer: npt.NDArray[np.uint32]
    frequency: npt.NDArray[np.float64]
    recency: npt.NDArray[np.float64]
    T: npt.NDArray[np.float64]
    monetary_value: npt.NDArray[np.float64]
    frequency_holdout: npt.NDArray[np.float64]
    monetary_value_holdout: npt.NDArray[np.float64]
    duration_holdout: float
    revenue: npt.NDArray[np.float64]
    returns: npt.NDArray[np.float64]
    profit: npt.NDArray[np.float64]
    n_purchases: npt.NDArray[np.int64]
    n_returns: npt.NDArray[np.int64]
    orders: npt.NDArray[np.int64]
    first_purchase: npt.NDArray[np.int64]
    last_purchase: npt.NDArray[np.int64]
    time_unit: str
    unit_scale: float
    observation_end: int
    calibration_end: Optional[int]
    rows_used: int
    rows_dropped_after_end: int
    customers_without_purchase: npt.NDArray[np.uint32]
    def __len__(self) -> int: ...

def aggregate(
    by: np.ndarray,
    values: npt.NDArray[np.float64],
    times: Optional[npt.NDArray[np.int64]],
    moments: bool,
    threads: int,
    by_column: str,
) -> dict[str, Any]: ...
class CsvColumns:
    customer: str
    date: str
    amount: str
    cost: Optional[str]
    margin: Optional[str]
    unit_cost: Optional[str]
    quantity: Optional[str]
    order: Optional[str]
    product: Optional[str]
    channel: Optional[str]
    conventional_names: bool
    def __init__(self, **names: Any) -> None: ...

def read_csv(path: str, columns: CsvColumns, delimiter: str) -> dict[str, Any]: ...
class GenerateOptions:
    """The generator's parameters: the keys of synthetic._GeneratorParams and customers, seed,
    start, end (epoch seconds)."""

    def __init__(self, **params: Any) -> None: ...
    def _asdict(self) -> dict[str, Any]: ...

def generate(
    options: GenerateOptions,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]: ...
def generate_defaults() -> dict[str, Any]: ...
def parse_times(text: np.ndarray, column: str) -> npt.NDArray[np.int64]: ...

class Gini:
    n: int
    total: float
    absolute_total: float
    defined: bool
    reason: str
    gini: float
    gini_small_sample: float
    rsv_defined: bool
    gini_rsv: float

class ParetoOptions:
    a_threshold: float
    b_threshold: float
    rule: int  # boundary_rule's code
    nonpositive: int  # nonpositive_policy's code
    threads: int

class Pareto:
    """A C++ pareto_result; columns are read-only views by rank, ids are value positions."""

    entity: npt.NDArray[np.uint32]
    value: npt.NDArray[np.float64]
    share: npt.NDArray[np.float64]
    cum_share: npt.NDArray[np.float64]
    abc: npt.NDArray[np.uint8]  # 0, 1, 2 = A, B, C
    nonpositive: npt.NDArray[np.uint32]
    total: float
    n_positive: int
    defined: bool
    reason: str
    nonpositive_total: float
    entities_for_80pct: float
    top20_share: float
    class_count: list[int]
    class_share: list[float]
    gini: Gini
    def __len__(self) -> int: ...
    def top_share(self, fraction: float) -> float: ...
    def count_for_share(self, share: float) -> int: ...
    def entities_for_share(self, share: float) -> float: ...
    def curve(self, max_points: Optional[int]) -> tuple[np.ndarray, np.ndarray]: ...
    def lorenz(self, max_points: Optional[int]) -> tuple[np.ndarray, np.ndarray]: ...

class Whale:
    """A C++ whale_result; columns are read-only views by rank."""

    entity: npt.NDArray[np.uint32]
    value: npt.NDArray[np.float64]
    cum_share: npt.NDArray[np.float64]
    defined: bool
    reason: str
    n: int
    total: float
    profit_total: float
    loss_total: float
    loss_entities: int
    loss_entity_share: float
    loss_share: float
    peak_share: float
    peak_count: int
    peak_entity_share: float
    def curve(self, max_points: Optional[int]) -> tuple[np.ndarray, np.ndarray]: ...

class RankCorrelation:
    """A C++ rank_correlation (Spearman's rho)."""

    defined: bool
    reason: str
    n: int
    rho: float

class PeriodComparison:
    """A C++ period_comparison; migration[from][to] over A, B, C and none."""

    before: Pareto
    after: Pareto
    migration: list[list[int]]
    entered_a: npt.NDArray[np.uint32]
    left_a: npt.NDArray[np.uint32]
    spearman: RankCorrelation
    changes_defined: bool
    gini_change: float
    entities_for_80pct_change: float
    top20_share_change: float

def pareto_options(
    a: float, b: float, rule: str, nonpositive: str, threads: int,
) -> ParetoOptions: ...
def pareto(values: npt.NDArray[np.float64], options: ParetoOptions) -> Pareto: ...
def pareto_rows(
    by: np.ndarray, values: npt.NDArray[np.float64], options: ParetoOptions, by_column: str,
    value_column: str,
) -> tuple[Pareto, np.ndarray, np.ndarray, npt.NDArray[np.float64]]: ...
def pareto_csv(
    path: str, columns: CsvColumns, delimiter: str, by: str, value: str,
    memory_limit: Optional[str], options: ParetoOptions,
) -> tuple[Pareto, np.ndarray, npt.NDArray[np.float64], str]: ...
def gini(values: npt.NDArray[np.float64], threads: int) -> Gini: ...
def whale_curve(profit: npt.NDArray[np.float64], threads: int) -> Whale: ...
def whale_rows(
    by: np.ndarray, profit: npt.NDArray[np.float64], threads: int, by_column: str,
    value_column: str,
) -> tuple[Whale, np.ndarray]: ...
def compare_periods(
    before: npt.NDArray[np.float64], after: npt.NDArray[np.float64], options: ParetoOptions,
) -> PeriodComparison: ...

# The ranking in chunks (custometrics/pareto_partition.hpp) of spark.pareto_exact's distributed
# path; every result pickles.
class ParetoChunkSums:
    first: int
    count: int
    head: npt.NDArray[np.float64]
    sum: npt.NDArray[np.float64]
    weighted: npt.NDArray[np.float64]
    absolute: npt.NDArray[np.float64]

class ParetoChunkedSums:
    n: int
    total: float
    gini: Gini
    first: npt.NDArray[np.uint64]
    carry: npt.NDArray[np.float64]
    running: npt.NDArray[np.float64]

class ParetoChunkSummary:
    def __init__(self) -> None: ...
    def __add__(self, other: ParetoChunkSummary) -> ParetoChunkSummary: ...
    class_count: list[int]
    a_end: int
    cum_a: float
    ab_end: int
    cum_ab: float
    k80: int
    top_end: int
    top20: float

class ParetoChunk:
    rank: npt.NDArray[np.int64]
    cum_share: npt.NDArray[np.float64]
    abc: npt.NDArray[np.uint8]  # 0, 1, 2 = A, B, C
    summary: ParetoChunkSummary
    next_carry: float
    next_running: float

class ParetoChunkedFigures:
    n: int
    total: float
    n_positive: int
    defined: bool
    reason: str
    nonpositive_count: int
    nonpositive_total: float
    entities_for_80pct: float
    top20_share: float
    class_count: list[int]
    class_share: list[float]
    gini: Gini

def pareto_chunk_sums(values: npt.NDArray[np.float64], first: int, n: int) -> ParetoChunkSums: ...
def combine_chunk_sums(
    chunks: list[ParetoChunkSums], n: int, nonpositive: str,
) -> ParetoChunkedSums: ...
def classify_chunk(
    values: npt.NDArray[np.float64], first: int, carry: float, running: float, n: int,
    n_positive: int, total: float, options: ParetoOptions,
) -> ParetoChunk: ...
def chunk_figures(
    sums: ParetoChunkedSums, n_positive: int, summary: ParetoChunkSummary,
    nonpositive_count: int, nonpositive_total: float,
) -> ParetoChunkedFigures: ...

# Break-even (register_break_even.cpp): the model is a CvpModel of its three numbers.
class BreakEvenPoint:
    contribution_margin: float
    contribution_margin_ratio: float
    defined: bool
    reason: str
    units: float
    revenue: float

class TargetProfit:
    pre_tax_profit: float
    defined: bool
    reason: str
    units: float
    revenue: float

class MarginOfSafety:
    defined: bool
    reason: str
    units: float
    revenue: float
    ratio: float

class OperatingLeverage:
    contribution: float
    profit: float
    defined: bool
    reason: str
    degree: float

class BreakEvenFigure:
    name: str
    defined: bool
    value: float
    reason: str

class BreakEvenAnalysis:
    break_even: BreakEvenPoint
    target: TargetProfit | None
    margin_of_safety: MarginOfSafety | None
    operating_leverage: OperatingLeverage | None
    cash_break_even: BreakEvenPoint | None
    def figures(self) -> list[BreakEvenFigure]: ...

class MixNames:
    def __init__(self, **options: Any) -> None: ...
    product: str
    price: str
    unit_variable_cost: str
    share: str

class BreakEvenInputs:
    def __init__(self, **options: Any) -> None: ...
    model: CvpModel
    sales_units: float | None
    target_profit: float | None
    tax_rate: float
    depreciation: float | None

class CvpModel:
    def __init__(self, fixed_costs: float, price: float, unit_variable_cost: float) -> None: ...

class MixBreakEvenResult:
    unit_share: npt.NDArray[np.float64]
    revenue_share: npt.NDArray[np.float64]
    contribution_margin: npt.NDArray[np.float64]
    average_price: float
    weighted_contribution_margin: float
    weighted_contribution_margin_ratio: float
    defined: bool
    reason: str
    units: float
    revenue: float
    product_units: npt.NDArray[np.float64]
    product_revenue: npt.NDArray[np.float64]

class SalesMixResult:
    product: npt.NDArray[np.uint32]  # product ids: positions in the keys returned with it
    excluded: npt.NDArray[np.uint32]
    quantity: npt.NDArray[np.float64]
    price: npt.NDArray[np.float64]
    unit_variable_cost: npt.NDArray[np.float64]
    share: npt.NDArray[np.float64]
    excluded_amount: float

class BandBreakEven:
    in_band: bool
    reason: str
    units: float
    revenue: float

class SteppedBreakEvenResult:
    contribution_margin: float
    bands: list[BandBreakEven]
    units: npt.NDArray[np.float64]
    defined: bool
    reason: str

class BreakEvenOverTimeResult:
    period_start_ns: npt.NDArray[np.int64]
    end: int  # seconds
    cumulative_revenue: npt.NDArray[np.float64]
    cumulative_cost: npt.NDArray[np.float64]
    cumulative_profit: npt.NDArray[np.float64]
    defined: bool
    reason: str
    period: int
    time: int  # seconds
    remaining_gap: float

class SensitivityCase:
    value: float
    profit: float
    break_even: BreakEvenPoint

class TornadoRow:
    variable: str
    low: SensitivityCase
    high: SensitivityCase
    profit_swing: float
    break_even_units_swing: float | None

class TornadoResult:
    rows: list[TornadoRow]
    base: BreakEvenPoint
    base_profit: float

class ProfitGrid:
    price: npt.NDArray[np.float64]
    volume: npt.NDArray[np.float64]
    profit: npt.NDArray[np.float64]  # row-major, price x volume

class BreakEvenChart:
    volume: npt.NDArray[np.float64]
    fixed_costs: npt.NDArray[np.float64]
    total_costs: npt.NDArray[np.float64]
    revenue: npt.NDArray[np.float64]
    break_even: BreakEvenPoint

def break_even_analysis(inputs: BreakEvenInputs) -> BreakEvenAnalysis: ...
def break_even(model: CvpModel) -> BreakEvenPoint: ...
def cash_break_even(model: CvpModel, non_cash_costs: float) -> BreakEvenPoint: ...
def target_profit(model: CvpModel, target_profit: float, tax_rate: float) -> TargetProfit: ...
def margin_of_safety(model: CvpModel, sales_units: float) -> MarginOfSafety: ...
def operating_leverage(model: CvpModel, sales_units: float) -> OperatingLeverage: ...
def break_even_mix(
    fixed_costs: float, product: list[str], price: npt.NDArray[np.float64],
    unit_variable_cost: npt.NDArray[np.float64], share: npt.NDArray[np.float64], basis: str,
    tolerance: float, names: MixNames,
) -> MixBreakEvenResult: ...
def sales_mix_from_log(
    product: np.ndarray, amount: npt.NDArray[np.float64], cost: npt.NDArray[np.float64],
    quantity: npt.NDArray[np.float64], product_column: str,
) -> tuple[np.ndarray, SalesMixResult]: ...  # the product keys by id, the mix
def break_even_stepped(
    price: float, unit_variable_cost: float, from_: npt.NDArray[np.float64],
    to: npt.NDArray[np.float64], fixed_costs: npt.NDArray[np.float64],
) -> SteppedBreakEvenResult: ...
def break_even_over_time(
    period_start: npt.NDArray[np.int64], end: Optional[int], revenue: npt.NDArray[np.float64],
    cost: npt.NDArray[np.float64],
) -> BreakEvenOverTimeResult: ...  # period_start and end in seconds
def break_even_over_time_log(
    time: npt.NDArray[np.int64], ticks_per_second: int, amount: npt.NDArray[np.float64],
    cost: npt.NDArray[np.float64], fixed_costs_per_month: float,
) -> BreakEvenOverTimeResult: ...
class MonthlyTotals:
    """Net revenue and cost of goods per calendar month (break_even.hpp monthly_totals)."""
    month: list[int]  # 12 x year + month - 1
    revenue: list[float]
    cost: list[float]
def monthly_log_totals(
    time: npt.NDArray[np.int64], ticks_per_second: int, amount: npt.NDArray[np.float64],
    cost: npt.NDArray[np.float64],
) -> MonthlyTotals: ...
def check_fixed_costs_per_month(fixed_costs_per_month: float) -> None: ...
def break_even_over_time_monthly(
    month: Sequence[int], revenue: Sequence[float], cost: Sequence[float],
    fixed_costs_per_month: float,
) -> BreakEvenOverTimeResult: ...
def tornado(model: CvpModel, sales_units: float, change: float) -> TornadoResult: ...
def price_volume_grid(
    model: CvpModel, sales_units: float, price_changes: npt.NDArray[np.float64],
    volume_changes: npt.NDArray[np.float64],
) -> ProfitGrid: ...
def default_volume_max(break_even_units: float | None,
                       sales_units: float | None = None) -> float: ...
def break_even_chart_data(
    model: CvpModel, volume_max: float, points: int, volume_min: float
) -> BreakEvenChart: ...

# Loyalty and profitability (register_loyalty.cpp)
class BehaviourSignals:
    purchase_days: npt.NDArray[np.int64]
    regularity_cv: npt.NDArray[np.float64]
    mean_interval: npt.NDArray[np.float64]
    days_since_last: npt.NDArray[np.float64]
    recency_ratio: npt.NDArray[np.float64]
    tenure_days: npt.NDArray[np.float64]
    frequency_trend: npt.NDArray[np.float64]
    discount_share: npt.NDArray[np.float64]
    rhythm_share: npt.NDArray[np.float64]
    promotion_share: npt.NDArray[np.float64]
    promotion_lift: npt.NDArray[np.float64]
    return_share: npt.NDArray[np.float64]
    payment_delay: npt.NDArray[np.float64]
    revenue: npt.NDArray[np.float64]

class StatedSignals:  # NaN where missing; has_alternative 1.0 / 0.0
    satisfaction: npt.NDArray[np.float64]
    recommend: npt.NDArray[np.float64]
    referrals: npt.NDArray[np.float64]
    complaints: npt.NDArray[np.float64]
    share_of_wallet: npt.NDArray[np.float64]
    has_alternative: npt.NDArray[np.float64]

class LoyaltyResult:
    type: npt.NDArray[np.uint8]
    rule: list[str]
    decided_by: list[str]
    missing: list[list[str]]
    quadrant: npt.NDArray[np.uint8]
    quadrant_rule: list[str]

class NpsScore:
    promoters: int
    passives: int
    detractors: int
    missing: int
    answered: int
    score: Optional[float]

class NpsResult:
    category: npt.NDArray[np.uint8]
    overall: NpsScore
    segments: list[str]
    by_segment: list[NpsScore]

class TightwadScores:
    total: npt.NDArray[np.int64]
    type: npt.NDArray[np.uint8]

class GoodnessOfFit:
    tested: bool
    expected: npt.NDArray[np.float64]
    in_reference: npt.NDArray[np.uint8]
    tested_total: int
    not_in_reference: int
    chi_square: float
    df: int
    p_value: float
    warnings: list[str]

class ChurnReasonTally:
    count: list[int]
    share: list[float]
    tested: bool
    in_reference: list[bool]
    not_in_reference: int
    expected: list[float]
    chi_square: float
    df: int
    p_value: float
    warnings: list[str]

class ServiceTierTotals:
    customers: int
    revenue: float
    gross_margin: float
    cost_to_serve: float
    profit: float

class CustomerProfitability:
    revenue: npt.NDArray[np.float64]
    cost: npt.NDArray[np.float64]
    discounts: npt.NDArray[np.float64]
    gross_margin: npt.NDArray[np.float64]
    order_cost: npt.NDArray[np.float64]
    return_cost: npt.NDArray[np.float64]
    service_cost: npt.NDArray[np.float64]
    delay_cost: npt.NDArray[np.float64]
    cost_to_serve: npt.NDArray[np.float64]
    profit: npt.NDArray[np.float64]
    orders: npt.NDArray[np.int64]
    return_rows: npt.NDArray[np.int64]
    large: npt.NDArray[np.uint8]
    large_unprofitable: npt.NDArray[np.uint8]
    wanted: npt.NDArray[np.uint8]
    reason: list[str]
    criteria_skipped: list[str]
    large_threshold: float
    median_margin_rate: float
    median_order_value: float
    tier: list[str]  # the service tier per customer, "A".."D"
    tiers: list[ServiceTierTotals]  # A, B, C, D
    tier_cut_a: float
    tier_cut_b: float

def classify_loyalty(
    customer: np.ndarray, time: npt.NDArray[np.int64], ticks_per_second: int,
    amount: npt.NDArray[np.float64], discount: Optional[npt.NDArray[np.float64]],
    payment_delay: Optional[npt.NDArray[np.float64]],
    list_amount: Optional[npt.NDArray[np.float64]], promotions: list[tuple[int, int]],
    observation_end: Optional[int], signal_customer: Optional[np.ndarray],
    signals: list[tuple[str, npt.NDArray[np.float64]]], rules: list[tuple[str, float]],
    customer_column: str,
) -> tuple[np.ndarray, BehaviourSignals, LoyaltyResult, StatedSignals,
           npt.NDArray[np.uint64]]: ...  # keys, ..., the signal rows not in the log
def net_promoter(scores: npt.NDArray[np.float64], segment: Optional[list[str]]) -> NpsResult: ...
def tightwad_spendthrift(
    describe: npt.NDArray[np.int64], trouble_limiting: npt.NDArray[np.int64],
    trouble_spending: npt.NDArray[np.int64], sale_scenario: npt.NDArray[np.int64],
) -> TightwadScores: ...
def spending_proxy(
    spend: npt.NDArray[np.float64], group: Optional[npt.NDArray[np.int64]], low: Optional[float],
    high: Optional[float], reference: str,
) -> npt.NDArray[np.uint8]: ...
def spending_fit(counts: list[int], reference: str) -> GoodnessOfFit: ...
def spending_reference(name: str) -> list[float]: ...
def churn_reference(name: str) -> list[float]: ...
def churn_reasons(answers: list[str], reference: Optional[list[float]]) -> ChurnReasonTally: ...
def customer_profitability(
    customer: np.ndarray, time: npt.NDArray[np.int64], ticks_per_second: int,
    amount: npt.NDArray[np.float64], cost: npt.NDArray[np.float64], order: Optional[np.ndarray],
    discount: Optional[npt.NDArray[np.float64]], payment_delay: Optional[npt.NDArray[np.float64]],
    ticket_customer: Optional[np.ndarray], tickets: Optional[npt.NDArray[np.float64]],
    settings: list[tuple[str, float]], customer_column: str,
) -> tuple[np.ndarray, CustomerProfitability, npt.NDArray[np.uint64]]: ...
# segmentation (register_segments.cpp)
_Rule = tuple[str, int, int, int, int, int, int]
class RfmBins:
    size: npt.NDArray[np.uint64]
    target: npt.NDArray[np.uint64]
    lower: npt.NDArray[np.float64]
    upper: npt.NDArray[np.float64]
    distinct: int
    warnings: list[str]
class RfmCell:
    r: int
    f: int
    m: int
class RuleOverlap:
    first: int
    second: int
    cells: int
    example: RfmCell
class SegmentMapReport:
    uncovered: list[RfmCell]
    uncovered_count: int
    overlaps: list[RuleOverlap]
    shadowed: npt.NDArray[np.uint64]
    cells_won: npt.NDArray[np.uint64]
    warnings: list[str]
class SegmentMap:
    def __init__(self, rules: list[_Rule], bins: int) -> None: ...
    @property
    def report(self) -> SegmentMapReport: ...
    @property
    def segments(self) -> list[str]: ...
def default_segment_map() -> SegmentMap: ...
def default_segment_rules() -> list[_Rule]: ...
class RfmResult:
    r_score: npt.NDArray[np.uint8]
    f_score: npt.NDArray[np.uint8]
    m_score: npt.NDArray[np.uint8]
    cell: npt.NDArray[np.uint32]
    segment: npt.NDArray[np.uint16]
    segment_names: list[str]
    segment_count: npt.NDArray[np.uint64]
    unclassified: int
    recency_bins: RfmBins
    frequency_bins: RfmBins
    monetary_bins: RfmBins
    map_warnings: list[str]
    warnings: list[str]
def rfm(
    recency: npt.NDArray[np.float64], frequency: npt.NDArray[np.float64],
    monetary: npt.NDArray[np.float64], bins: int, ties: str, fm: str,
    map: Optional[SegmentMap], threads: int,
) -> RfmResult: ...
def rfm_csv(
    path: str, columns: CsvColumns, delimiter: str, memory_limit: Optional[str],
    analysis_date: Optional[int], bins: int, ties: str, fm: str, map: Optional[SegmentMap],
    threads: int,
) -> tuple[np.ndarray, npt.NDArray[np.uint32], npt.NDArray[np.float64],
           npt.NDArray[np.float64], npt.NDArray[np.float64], RfmResult,
           npt.NDArray[np.uint32]]: ...
class KMeansResult:
    labels: npt.NDArray[np.uint32]
    centres: npt.NDArray[np.float64]
    centres_data: npt.NDArray[np.float64]
    inertia: float
    iterations: int
    converged: bool
    sizes: npt.NDArray[np.uint64]
class KScore:
    k: int
    silhouette: float
    inertia: float
class Silhouette:
    mean: float
    points: int
    sampled: bool
class KSelection:
    k: int
    best: KMeansResult
    table: list[KScore]
    sample: Silhouette
class KMeansOptions:
    def __init__(self, **options: Any) -> None: ...
    k: int
    n_init: int
    max_iter: int
    tolerance: float
    seed: int
    threads: int

def kmeans(
    x: npt.NDArray[np.float64], init: Optional[npt.NDArray[np.float64]], options: KMeansOptions,
    scaling: list[str], names: list[str],
) -> KMeansResult: ...
def kmeans_select_k(
    x: npt.NDArray[np.float64], k_min: int, k_max: int, silhouette_limit: int,
    options: KMeansOptions, scaling: list[str], names: list[str],
) -> KSelection: ...
def silhouette(
    x: npt.NDArray[np.float64], labels: npt.NDArray[np.uint32], limit: int, seed: int,
    threads: int,
) -> Silhouette: ...
class SegmentProfile:
    name: str
    customers: int
    customer_share: Optional[float]
    revenue: float
    revenue_share: Optional[float]
    profit: Optional[float]
    profit_share: Optional[float]
    mean_recency: Optional[float]
    mean_frequency: Optional[float]
    mean_monetary: Optional[float]
    repeat_rate: Optional[float]
    margin: Optional[float]
    extra_means: npt.NDArray[np.float64]  # NaN: none
class SegmentProfiles:
    segments: list[SegmentProfile]
    customers: int
    revenue: float
    profit: Optional[float]
def segment_profiles(
    labels: npt.NDArray[np.uint32], segments: int, recency: npt.NDArray[np.float64],
    frequency: npt.NDArray[np.float64], monetary: npt.NDArray[np.float64],
    revenue: npt.NDArray[np.float64], profit: Optional[npt.NDArray[np.float64]],
    names: list[str], extra: list[tuple[str, npt.NDArray[np.float64]]],
) -> SegmentProfiles: ...
class AhpResult:
    weights: npt.NDArray[np.float64]
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    consistent: bool
class WeightCrossing:
    weight: float
    new_top: int
class WeightSensitivity:
    criterion: int
    weight: float
    down: Optional[WeightCrossing]
    up: Optional[WeightCrossing]
class SegmentScores:
    normalised: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    score: npt.NDArray[np.float64]
    rank: npt.NDArray[np.uint64]
    top: int
    @property
    def sensitivity(self) -> list[WeightSensitivity]: ...
class MatrixCell:
    attractiveness: str
    strength: str
    zone: str
class SegmentMatrix:
    cells: list[MatrixCell]
class Criterion:
    name: str
    def __init__(
        self, name: str, direction: str = "more", normalisation: str = "min_max"
    ) -> None: ...
class AhpOptions:
    def __init__(self, **options: Any) -> None: ...
    reciprocal_tolerance: float
    accept_inconsistent: bool

def ahp(
    pairwise: npt.NDArray[np.float64], criteria: list[Criterion], options: AhpOptions,
) -> AhpResult: ...
def score_segments(
    values: npt.NDArray[np.float64], criteria: list[Criterion],
    weights: npt.NDArray[np.float64],
) -> SegmentScores: ...
def attractiveness_matrix(
    attractiveness: npt.NDArray[np.float64], strength: npt.NDArray[np.float64], low: float,
    high: float,
) -> SegmentMatrix: ...
# register_retention.cpp: fits, predictions, the fitted model value, scores and contact list
class FitOptions:
    def __init__(self, **options: Any) -> None: ...
    penalizer: float
    max_iterations: int
    gradient_tolerance: float
    initial: list[float]
    threads: int

class FitReport:
    converged: bool
    iterations: int
    function_evaluations: int
    gradient_norm: float
    reason: str

class FitResult:
    names: list[str]
    params: npt.NDArray[np.float64]
    std_errors: npt.NDArray[np.float64]
    covariance: npt.NDArray[np.float64]
    log_likelihood: float
    n: float
    report: FitReport
    penalizer: float

class FitStatistics:
    std_errors: npt.NDArray[np.float64]
    covariance: npt.NDArray[np.float64]
    log_likelihood: float
    n: float
    unique_rows: int
    report: FitReport
    without_repeat_purchase: int
    without_positive_spend: int
    life_std_errors: npt.NDArray[np.float64]  # of a fit with covariates
    trans_std_errors: npt.NDArray[np.float64]
    penalizer: float
    life_penalizer: float  # of a fit with covariates
    trans_penalizer: float

def retention_fit_statistics(
    fit: FitResult, unique_rows: int, without_repeat_purchase: int = 0,
    without_positive_spend: int = 0,
) -> FitStatistics: ...

class SpendSample:
    without_repeat_purchase: int
    without_positive_spend: int
    def __len__(self) -> int: ...

def retention_fit(
    model: PurchaseModel, frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    T: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], options: FitOptions,
) -> tuple[FitResult, int]: ...
def retention_fit_gamma_gamma(
    frequency: npt.NDArray[np.float64], monetary: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64], options: FitOptions,
) -> tuple[FitResult, SpendSample]: ...
def retention_fit_sbg(
    active: npt.NDArray[np.float64], options: FitOptions,
) -> FitResult: ...
def retention_p_alive(
    model: PurchaseModel, params: list[float], frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64], T: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]: ...
def retention_log_likelihood(
    model: PurchaseModel, params: list[float], frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64], T: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]: ...
def retention_next_purchase_time(
    model: PurchaseModel, params: list[float], frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64], T: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]: ...
def retention_conditional_expected_purchases(
    model: PurchaseModel, params: list[float], frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64], T: npt.NDArray[np.float64], t: float,
) -> npt.NDArray[np.float64]: ...
def retention_sbg_survival(params: list[float], t: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]: ...
def retention_sbg_retention_rate(
    params: list[float], t: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]: ...

class RetentionScenario:
    retention_rate: float
    lifetime_value: float
    base_value: float
    steady_state_customers: Optional[float]
    steady_state_profit: Optional[float]

class RetentionChange:
    before: RetentionScenario
    after: RetentionScenario
    lifetime_value_change: Optional[float]
    base_value_change: Optional[float]
    steady_state_profit_change: Optional[float]

def retention_uplift(
    margin: float, retention_rate: float, discount_rate: float, points: float, customers: float,
    new_customers: float, acquisition_cost: float, timing: str,
) -> RetentionChange: ...

class FittedModel:
    model: str
    names: list[str]
    params: list[float]
    version: str
    @property
    def time_unit(self) -> Optional[str]: ...
    @property
    def unit_scale(self) -> float: ...
    def __init__(self) -> None: ...
    def set_units(self, time_unit: str, unit_scale: float = 1.0) -> None: ...
    fit: Optional[FitStatistics]
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str, source: str = "<json>", model: str = "") -> "FittedModel": ...
    covariates: Optional[CovariateCoefficients]  # register_covariates.cpp

# register_covariates.cpp: purchase models with time-invariant covariates (covariates.hpp).
class CovariateSpec:
    life: list[str]
    trans: list[str]
    constrained: list[str]
    life_penalizer: float
    trans_penalizer: float
    def __init__(self, **members: Any) -> None: ...

def check_covariate_request(spec: CovariateSpec, has_table: bool) -> None: ...

class CovariateCoefficients:
    life_names: list[str]
    life: list[float]
    trans_names: list[str]
    trans: list[float]
    constrained: list[str]
    reference_levels: list[tuple[str, str]]
    def __init__(self, **members: Any) -> None: ...

class CovariateFit:
    @property
    def coefficients(self) -> CovariateCoefficients: ...
    base_std_errors: npt.NDArray[np.float64]
    life_std_errors: npt.NDArray[np.float64]
    trans_std_errors: npt.NDArray[np.float64]
    fit: FitResult
    def fitted_model(self, time_unit: str, unit_scale: float) -> FittedModel: ...

def retention_fit_covariates(
    model: PurchaseModel, frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    T: npt.NDArray[np.float64], keys: list[str], covariate_keys: list[str],
    columns: list[tuple[str, Any]], spec: CovariateSpec, options: FitOptions,
) -> CovariateFit: ...
def retention_covariate_predict(
    model: PurchaseModel, params: list[float], coefficients: CovariateCoefficients,
    keys: list[str], covariate_keys: list[str], columns: list[tuple[str, Any]],
    frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    T: npt.NDArray[np.float64], t: float = 0.0,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

class SummaryUnits:
    unit: str
    scale: float

class CustomerScores:
    model: str
    units: SummaryUnits
    time_unit: str
    unit_scale: float
    horizon: float
    with_spend: bool
    p_alive: npt.NDArray[np.float64]
    expected_purchases: npt.NDArray[np.float64]
    expected_spend: npt.NDArray[np.float64]
    clv: npt.NDArray[np.float64]
    next_purchase_wait: npt.NDArray[np.float64]
    analysis_date: npt.NDArray[np.int64]
    next_purchase_date: npt.NDArray[np.int64]
    expected_alive: float
    at_risk: int
    total_expected_purchases: float
    clv_total: float
    bg_bb: bool  # a BG/BB model: dert filled, waits NaN, dates no_time, totals weighted
    dert: npt.NDArray[np.float64]
    dert_total: float
    discount_rate: float
    customers: float  # BG/BB: the customers the rows stand for (sum of weights)
    def __len__(self) -> int: ...

def retention_resolve_units(
    recorded_unit: Optional[str], recorded_scale: Optional[float], given_unit: Optional[str],
    given_scale: Optional[float], source: str, unit_argument: str = "time_unit",
    scale_argument: str = "unit_scale",
) -> SummaryUnits: ...
def retention_periods_per_month(time_unit: str, unit_scale: float = 1.0) -> float: ...
# Options by keyword from the core's defaults, e.g. ScoreOptions(horizon=90.0).
class ClvOptions:
    def __init__(self, **options: Any) -> None: ...
    months: int
    discount_rate: float
    periods_per_month: float

class ScoreOptions:
    def __init__(self, **options: Any) -> None: ...
    horizon: float
    clv_months: int
    discount_rate: float
    analysis_date: Optional[int]
    probability: float
    contacts: bool
    intervals: bool

class RetentionOverviewOptions:
    def __init__(self, **options: Any) -> None: ...
    horizon: float
    at_risk_below: float
    clv: ClvOptions
    top: int

def retention_score(
    model: FittedModel, spend: Optional[FittedModel], frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64], T: npt.NDArray[np.float64],
    monetary: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], time_unit: str,
    unit_scale: float, options: ScoreOptions, check_only: bool = ...,
    keys: list[str] = ..., covariate_keys: Optional[list[str]] = ...,
    covariate_columns: list[tuple[str, Any]] = ...,
) -> CustomerScores: ...
class ContactEntry:
    customer: int
    next_purchase: float
    call_at: float
    p_alive: float
    clv: float
    call_date: int
    next_purchase_date: int
    timing: str  # "model" or "rhythm"
    rhythm_date: int
    due_days: Optional[float]

class ContactColumns:
    customer: npt.NDArray[np.uint64]
    next_purchase: npt.NDArray[np.float64]
    call_at: npt.NDArray[np.float64]
    p_alive: npt.NDArray[np.float64]
    clv: npt.NDArray[np.float64]
    call_date: npt.NDArray[np.int64]
    next_purchase_date: npt.NDArray[np.int64]
    timing: list[str]
    rhythm_date: npt.NDArray[np.int64]
    due_days: npt.NDArray[np.float64]
class ContactPlan:
    contacts: list[ContactEntry]
    customers: int
    value_at_risk: float
    window_periods: float
    lead_periods: float
    timing: str
    with_rhythm: bool
    @property
    def columns(self) -> ContactColumns: ...
def retention_check_contact_days(within_days: float, lead_days: float, top: int) -> None: ...

def retention_contact_list(
    scores: CustomerScores, within_days: float, lead_days: float, top: int,
    rhythm: Optional[npt.NDArray[np.int64]], timing: str,
) -> ContactPlan: ...
class PurchaseRhythm:
    purchase_days: npt.NDArray[np.int64]
    mean_gap: npt.NDArray[np.float64]
    gap_cv: npt.NDArray[np.float64]
    regular: npt.NDArray[np.uint8]
    last_purchase: npt.NDArray[np.int64]
    next_purchase: npt.NDArray[np.int64]

class RhythmOptions:
    def __init__(self, **options: Any) -> None: ...
    min_purchases: int
    max_cv: float
    max_overdue_cycles: float

def purchase_rhythm(
    customer: npt.NDArray[Any], time: npt.NDArray[np.int64], ticks_per_second: int,
    amount: npt.NDArray[np.float64], customer_column: str, options: RhythmOptions,
) -> tuple[np.ndarray, PurchaseRhythm]: ...
# register_spark.cpp: the distributed retention fit of custometrics.spark
class PartitionTotals:
    def __init__(self) -> None: ...
    rows: int
    weight: float
    weighted_frequency: float
    max_T: float
    @property
    def time_scale(self) -> float: ...
    def __add__(self, other: PartitionTotals) -> PartitionTotals: ...

class PurchaseModel:
    bgnbd: PurchaseModel
    mbgnbd: PurchaseModel
    pnbd: PurchaseModel
    ggomnbd: PurchaseModel
    @property
    def name(self) -> str: ...

def parse_purchase_model(name: str, argument: str = "model") -> PurchaseModel: ...
def canonical_model_name(name: str, argument: str = "model") -> str: ...

def spark_totals(
    model: Optional[PurchaseModel], frequency: npt.NDArray[np.float64],
    second: npt.NDArray[np.float64], T: npt.NDArray[np.float64], weights: npt.NDArray[np.float64],
) -> PartitionTotals: ...
def spark_loglik(
    model: Optional[PurchaseModel], params: list[float], frequency: npt.NDArray[np.float64],
    second: npt.NDArray[np.float64], T: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64], time_scale: float,
) -> tuple[float, list[float]]: ...
def spark_fit(
    model: Optional[PurchaseModel], evaluate: Callable[[list[float]], tuple[float, list[float]]],
    totals: PartitionTotals, options: FitOptions,
    levels: Optional[list[tuple[str, list[str]]]] = None, spec: CovariateSpec = ...,
) -> Union[FitResult, CovariateFit]: ...
def spark_covariate_block(
    model: PurchaseModel, params: list[float], frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64], T: npt.NDArray[np.float64], keys: list[str],
    covariate_keys: list[str], columns: list[tuple[str, Any]],
    levels: list[tuple[str, list[str]]], spec: CovariateSpec, time_scale: float,
) -> Optional[tuple[float, list[float]]]: ...

# register_retention.cpp: the retention overview and the model checks
class RetentionOverview:
    purchase: FitResult
    spend: Optional[FitResult]
    spend_reason: str
    customers: int
    too_new: int
    spend_buyers: int
    expected_alive: float
    at_risk: int
    at_risk_revenue: float
    revenue: float
    expected_purchases: float
    clv_total: float
    top_customers: npt.NDArray[np.int64]
    top_clv: npt.NDArray[np.float64]

def retention_overview(
    frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    T: npt.NDArray[np.float64], monetary: npt.NDArray[np.float64],
    revenue: npt.NDArray[np.float64], options: RetentionOverviewOptions,
) -> RetentionOverview: ...

class CumulativeTransactions:
    actual: npt.NDArray[np.int64]
    predicted: npt.NDArray[np.float64]

class MixingDensity:
    distribution: str
    shape1: float
    shape2: float
    mean: float
    variance: float
    x: npt.NDArray[np.float64]
    density: npt.NDArray[np.float64]

def retention_heterogeneity(model: PurchaseModel, params: list[float],
                            dropout: bool) -> MixingDensity: ...

def retention_cumulative_transactions(
    customer: npt.NDArray[np.int64], period: npt.NDArray[np.int64],
    expected: npt.NDArray[np.float64],
) -> CumulativeTransactions: ...

class HoldoutCheck:
    customers: npt.NDArray[np.int64]
    actual: npt.NDArray[np.float64]
    predicted: npt.NDArray[np.float64]
    mae: float
    rmse: float
    total_actual: float
    total_predicted: float
    bin_mape: float

def retention_holdout_check(
    model: PurchaseModel, params: list[float], frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64], T: npt.NDArray[np.float64],
    holdout_frequency: npt.NDArray[np.float64], duration: float, max_frequency: int,
) -> HoldoutCheck: ...
def retention_purchase_count_distribution(
    model: PurchaseModel, params: list[float], T: npt.NDArray[np.float64], max_frequency: int,
) -> npt.NDArray[np.float64]: ...

class BoundedFigure:
    def __init__(self, estimate: float, lower: float, upper: float) -> None: ...
    estimate: float
    lower: float
    upper: float

class SketchFigures:
    n: int
    total: float
    nonpositive_count: int
    nonpositive_total: float
    defined: bool
    reason: str
    min: float
    max: float
    bins: int
    entities_for_80pct: BoundedFigure
    top20_share: BoundedFigure
    gini: BoundedFigure
    gini_small_sample: BoundedFigure
    @property
    def class_count(self) -> list[BoundedFigure]: ...
    @property
    def class_share(self) -> list[BoundedFigure]: ...

class ParetoSketch:
    def __init__(self, eps: float = ...) -> None: ...
    def add(self, values: npt.ArrayLike) -> None: ...
    def merge(self, other: ParetoSketch) -> None: ...
    @staticmethod
    def from_bins(eps: float, index: npt.ArrayLike, count: npt.ArrayLike, sum: npt.ArrayLike,
                  min: npt.ArrayLike, max: npt.ArrayLike, nonpositive_count: int,
                  nonpositive_total: float) -> ParetoSketch: ...
    @property
    def eps(self) -> float: ...
    @property
    def precision_bits(self) -> int: ...
    @property
    def count(self) -> int: ...
    @property
    def total(self) -> float: ...
    @property
    def nonpositive_count(self) -> int: ...
    @property
    def nonpositive_total(self) -> float: ...
    def bins(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64],
                            npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    def figures(self, a: float = ..., b: float = ..., rule: str = ...) -> SketchFigures: ...
    def top_share(self, fraction: float) -> BoundedFigure: ...
    def entities_for_share(self, share: float) -> BoundedFigure: ...

def set_block_cache_limit(bytes: int) -> None: ...
def block_cache_size() -> int: ...
def set_default_threads(threads: int) -> None: ...
def default_threads() -> int: ...
def set_progress(callback: Optional[Callable[[str, int, int], Any]]) -> None: ...
# register_report.cpp: the sales report
class SalesReport:
    def text(self) -> str: ...
    def json(self) -> str: ...
    def html(self) -> str: ...

class ReportRequest:
    """A report's options and files (report.hpp report_request); keyword arguments set the
    fields."""
    source: str
    fixed_costs_per_month: Optional[float]
    signals: str
    costs: str
    criteria: str
    members: str
    economics: LogEconomicsOptions
    currency: str
    lang: str
    locale: str
    prefix: str
    def __init__(self, **fields: Any) -> None: ...
    def _asdict(self) -> dict[str, Any]: ...

def write_text_file(path: str, text: str) -> None: ...
def report_file(path: str, columns: CsvColumns, request: ReportRequest) -> SalesReport: ...
def report_sample(customers: int, seed: int, request: ReportRequest) -> SalesReport: ...
def report_resolve_columns(names: list[str], columns: CsvColumns) -> CsvColumns: ...
def report_columns(
    customer: npt.NDArray[Any], ticks: npt.NDArray[np.int64], ticks_per_second: int,
    amount: npt.NDArray[np.float64], cost: Optional[npt.NDArray[np.float64]],
    product: Optional[npt.NDArray[Any]], channel: Optional[npt.NDArray[Any]], source: str,
    request: ReportRequest,
) -> SalesReport: ...

# register_bgbb.cpp: BG/BB, the model choice, the prediction intervals.
def bgbb_fit(
    frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    periods: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], options: FitOptions,
) -> tuple[FitResult, int]: ...
def bgbb_p_alive(
    params: list[float], frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    periods: npt.NDArray[np.float64], ahead: int = 1,
) -> npt.NDArray[np.float64]: ...
def bgbb_conditional_expected_purchases(
    params: list[float], frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    periods: npt.NDArray[np.float64], future: int,
) -> npt.NDArray[np.float64]: ...
def bgbb_dert(
    params: list[float], frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    periods: npt.NDArray[np.float64], discount_rate: float,
) -> npt.NDArray[np.float64]: ...
def bgbb_expected_purchases(params: list[float], n: int) -> float: ...
def bgbb_probability_of_purchases(params: list[float], n: int, x: int) -> float: ...

class ModelScore:
    model: str
    usable: bool
    reason: str
    fit: FitResult
    parameters: int
    log_likelihood: float
    aic: float
    bic: float
    mae: float
    rmse: float
    aggregate_error: float
    score: float

class ModelSelection:
    criterion: str
    has_holdout: bool
    duration: float
    customers: int
    models: list[ModelScore]
    chosen: int | None

def retention_needs_holdout(criterion: str) -> bool: ...
class SelectionOptions:
    def __init__(self, **options: Any) -> None: ...
    models: list[PurchaseModel]
    fit: FitOptions
    max_frequency: int

def retention_select(
    frequency: npt.NDArray[np.float64], recency: npt.NDArray[np.float64],
    T: npt.NDArray[np.float64], holdout: npt.NDArray[np.float64], duration: float,
    criterion: str | None, options: SelectionOptions,
) -> tuple[ModelSelection, int]: ...

class PredictionIntervals:
    method: str
    level: float
    horizon: float
    draws: int
    failed_draws: int
    first_failure: str
    seed: int
    estimate: npt.NDArray[np.float64]
    std_error: npt.NDArray[np.float64]
    lower: npt.NDArray[np.float64]
    upper: npt.NDArray[np.float64]
    total: float
    total_std_error: float
    total_lower: float
    total_upper: float

class IntervalOptions:
    def __init__(self, **options: Any) -> None: ...
    level: float
    draws: int
    seed: int
    threads: int
    fit: FitOptions
    spend_fit: FitOptions

def retention_intervals(
    model: FittedModel, t: float, frequency: npt.NDArray[np.float64],
    recency: npt.NDArray[np.float64],
    T: npt.NDArray[np.float64], method: str, options: IntervalOptions,
    spend: Optional[FittedModel], monetary: npt.NDArray[np.float64], clv: ClvOptions,
    keys: list[str] = ..., covariate_keys: Optional[list[str]] = ...,
    covariate_columns: list[tuple[str, Any]] = ...,
) -> PredictionIntervals: ...
# Loyalty-programme evaluation (register_programme.cpp)
class ProgrammeEffect:
    member_pre: float
    member_post: float
    control_pre: float
    control_post: float
    effect: float
    relative: Optional[float]
    std_error: float
    ci_low: float
    ci_high: float

class ProgrammeRoi:
    defined: bool
    reason: str
    value: float
    ci_low: float
    ci_high: float
    resamples: int

class ProgrammeFeatures:
    recency_days: float
    purchases: float
    spend: float

class ProgrammePair:
    member: int
    control: int
    joined: int
    distance: float
    member_row: int

class ProgrammeExclusion:
    row: int
    key: str
    reason: str

class ProgrammeResult:
    type: Optional[str]
    exclusions: list[ProgrammeExclusion]
    pairs: list[ProgrammePair]
    pre_days: int
    post_days: int
    members: int
    evaluated: int
    controls: int
    candidates: int
    excluded: dict[str, int]
    pair_member: npt.NDArray[np.int64]  # row of each pair's member in the members table
    member_features: ProgrammeFeatures
    control_features: ProgrammeFeatures
    mean_distance: float
    frequency: ProgrammeEffect
    spend: ProgrammeEffect
    retention: ProgrammeEffect
    margin: ProgrammeEffect
    incremental_margin: float
    incremental_margin_ci_low: float
    incremental_margin_ci_high: float
    discount_cost: float
    card_cost: float
    fixed_cost: float
    cost: float
    net: float
    total_incremental_margin: float
    total_cost: float
    roi: ProgrammeRoi

class ProgrammeOptions:
    def __init__(self, **options: Any) -> None: ...  # by member name; the others the core's
    pre_days: int
    post_days: int
    with_replacement: bool
    caliper: float
    margin_rate: Optional[float]
    card_cost_per_member: float
    fixed_costs: float
    level: float
    bootstrap: int
    seed: int

def evaluate_programme(
    customer: np.ndarray, time: npt.NDArray[np.int64], ticks_per_second: int,
    amount: npt.NDArray[np.float64], cost: Optional[npt.NDArray[np.float64]],
    discount: Optional[npt.NDArray[np.float64]], member_keys: list[str],
    joined: npt.NDArray[np.int64], type: Optional[str], options: ProgrammeOptions,
    customer_column: str,
) -> ProgrammeResult: ...  # joined in seconds
def programme_json(result: ProgrammeResult) -> str: ...
def programme_text(result: ProgrammeResult) -> str: ...
# Retention economics from the log (register_economics.cpp)
class EconomicsPeriod:
    start: int
    end: int
    active: int
    retained: int
    new_customers: int
    revenue: float
    margin: float
    retention_rate: Optional[float]

class EconomicsProjectionPoint:
    period: int
    customers: float
    revenue: float
    margin: float

class EconomicsScenario:
    name: str
    retention_rate: float
    capped: bool
    lifetime_value: Optional[float]
    projection: list[EconomicsProjectionPoint]
    revenue: float
    margin: float
    revenue_change: Optional[float]
    margin_change: Optional[float]
    lifetime_value_change: Optional[float]

class EconomicsSpend:
    acquisition_spend: Optional[float]
    retention_spend: Optional[float]
    spend_ratio: Optional[float]
    cost_per_new_customer: Optional[float]
    cost_per_retained_customer: Optional[float]
    cost_ratio: Optional[float]
    extra_retained: float
    break_even_retention_spend: Optional[float]
    extra_retained_value: Optional[float]

class LogEconomicsOptions:
    def __init__(self, **options: Any) -> None: ...
    period_days: int
    end: Optional[int]
    margin_rate: Optional[float]
    discount_rate: float
    uplift: float
    horizon: int
    acquisition_spend: Optional[float]
    retention_spend: Optional[float]

class LogEconomicsResult:
    period_days: int
    horizon: int
    uplift: float
    discount_rate: float
    timing: str  # "start" or "end"
    margin_from_cost: bool
    margin_rate: float
    periods: list[EconomicsPeriod]
    rows: int
    rows_used: int
    rows_before: int
    rows_after: int
    customers: int
    retention_rate: float
    retention_ci_low: float
    retention_ci_high: float
    retained: int
    retention_base: int
    revenue_per_customer: float
    margin_per_customer: float
    customers_now: float
    new_customers_per_period: float
    scenarios: list[EconomicsScenario]
    spend: Optional[EconomicsSpend]

def log_retention_economics(
    customer: npt.NDArray[Any], time: npt.NDArray[np.int64], ticks_per_second: int,
    amount: npt.NDArray[np.float64], cost: Optional[npt.NDArray[np.float64]],
    customer_column: str, options: LogEconomicsOptions, timing: str,
) -> LogEconomicsResult: ...
def log_economics_json(result: LogEconomicsResult) -> str: ...
def log_economics_text(result: LogEconomicsResult) -> str: ...
