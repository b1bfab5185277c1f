from . import plot as plot
from ._core import DataError as DataError
from ._core import Error as Error
from ._core import InputError as InputError
from ._core import ParseError as ParseError
from .aggregation import aggregate as aggregate
from .cvp import BreakEvenAnalysis as BreakEvenAnalysis
from .cvp import BreakEvenOverTime as BreakEvenOverTime
from .cvp import BreakEvenPoint as BreakEvenPoint
from .cvp import MarginOfSafety as MarginOfSafety
from .cvp import MixBreakEven as MixBreakEven
from .cvp import OperatingLeverage as OperatingLeverage
from .cvp import SalesMix as SalesMix
from .cvp import SteppedBreakEven as SteppedBreakEven
from .cvp import TargetProfitResult as TargetProfitResult
from .cvp import break_even as break_even
from .cvp import break_even_analysis as break_even_analysis
from .cvp import break_even_chart_data as break_even_chart_data
from .cvp import break_even_mix as break_even_mix
from .cvp import break_even_over_time as break_even_over_time
from .cvp import break_even_over_time_from_log as break_even_over_time_from_log
from .cvp import break_even_stepped as break_even_stepped
from .cvp import cash_break_even as cash_break_even
from .cvp import margin_of_safety as margin_of_safety
from .cvp import operating_leverage as operating_leverage
from .cvp import price_volume_grid as price_volume_grid
from .cvp import sales_mix_from_log as sales_mix_from_log
from .cvp import target_profit as target_profit
from .cvp import tornado as tornado
from .loyalty_types import churn_reasons as churn_reasons
from .loyalty_types import classify_loyalty as classify_loyalty
from .loyalty_types import customer_profitability as customer_profitability
from .loyalty_types import nps as nps
from .loyalty_types import nps_categories as nps_categories
from .loyalty_types import spending_proxy as spending_proxy
from .loyalty_types import spending_types as spending_types
from .pareto_analysis import GiniResult as GiniResult
from .pareto_analysis import ParetoResult as ParetoResult
from .pareto_analysis import PeriodComparison as PeriodComparison
from .pareto_analysis import WhaleResult as WhaleResult
from .pareto_analysis import compare_periods as compare_periods
from .pareto_analysis import gini as gini
from .pareto_analysis import pareto as pareto
from .pareto_analysis import whale_curve as whale_curve
from .retention import BetaGeoModel as BetaGeoModel
from .retention import CalibrationCheck as CalibrationCheck
from .retention import FitReport as FitReport
from .retention import GammaGammaModel as GammaGammaModel
from .retention import ModifiedBetaGeoModel as ModifiedBetaGeoModel
from .retention import ParetoNBDModel as ParetoNBDModel
from .retention import RetentionEconomics as RetentionEconomics
from .retention import RetentionOverview as RetentionOverview
from .retention import RetentionScenario as RetentionScenario
from .retention import ShiftedBetaGeometricModel as ShiftedBetaGeometricModel
from .retention import calibration_holdout_check as calibration_holdout_check
from .retention import contact_list as contact_list
from .retention import retention_economics as retention_economics
from .retention import retention_overview as retention_overview
from .segmentation import AHPResult as AHPResult
from .segmentation import KMeansResult as KMeansResult
from .segmentation import ahp_weights as ahp_weights
from .segmentation import attractiveness as attractiveness
from .segmentation import check_segment_map as check_segment_map
from .segmentation import default_segment_map as default_segment_map
from .segmentation import kmeans as kmeans
from .segmentation import rfm as rfm
from .segmentation import segment_profiles as segment_profiles
from .segmentation import select_k as select_k
from .segmentation import silhouette as silhouette
from .segmentation import target_customers as target_customers
from .synthetic import generate as generate
from .io import read_transactions as read_transactions
from .summary import summarize as summarize
from .memory import block_cache_size as block_cache_size
from .memory import set_block_cache_limit as set_block_cache_limit

__version__: str
__all__ = [
    "__version__", "DataError", "Error", "InputError", "ParseError", "aggregate", "block_cache_size", "set_block_cache_limit", "break_even", "break_even_analysis", "break_even_chart_data",
    "break_even_mix", "break_even_over_time", "break_even_over_time_from_log",
    "break_even_stepped", "cash_break_even", "churn_reasons", "classify_loyalty",
    "compare_periods", "customer_profitability", "generate", "gini",
    "margin_of_safety", "nps", "nps_categories", "operating_leverage", "pareto", "plot",
    "price_volume_grid", "spending_proxy", "spending_types",
    "read_transactions", "sales_mix_from_log", "summarize", "target_profit", "tornado",
    "whale_curve", "BreakEvenAnalysis", "BreakEvenOverTime", "BreakEvenPoint", "GiniResult",
    "MarginOfSafety", "MixBreakEven", "OperatingLeverage", "ParetoResult", "PeriodComparison",
    "SalesMix", "SteppedBreakEven", "TargetProfitResult", "WhaleResult",
    "AHPResult", "KMeansResult", "ahp_weights", "attractiveness", "check_segment_map",
    "default_segment_map", "kmeans", "rfm", "segment_profiles", "select_k", "silhouette",
    "target_customers",
]
