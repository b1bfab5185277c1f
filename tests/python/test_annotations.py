"""The inline annotations of the pure-Python modules agree with what the code and the core
accept (issue 13: a hand-written ``.pyi`` only for the compiled ``_core``; the stubs that
shadowed the ``.py`` modules had drifted from them).

Each check reads an annotation at run time and holds it against the behaviour, so that an
option added to the core, or a name added to the package, without its annotation fails here.
"""

import inspect
import pathlib
import typing

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from custometrics import _core
from custometrics import segmentation as seg
from custometrics import synthetic

# Modules whose stubs were folded into their annotations; a .pyi beside one of them would
# shadow it again for type checkers (and drift, as before).
CONVERTED = ["__init__", "aggregation", "io", "loyalty_types", "memory", "pareto_analysis", "plot",
             "retention", "segmentation", "summary", "synthetic"]

# Every name the former __init__.pyi exported (plus __version__): they stay importable.
FORMER_STUB_NAMES = """
plot DataError Error InputError ParseError aggregate BreakEvenAnalysis BreakEvenOverTime
BreakEvenPoint MarginOfSafety MixBreakEven OperatingLeverage SalesMix SteppedBreakEven
TargetProfitResult break_even break_even_analysis break_even_chart_data break_even_mix
break_even_over_time break_even_over_time_from_log break_even_stepped cash_break_even
margin_of_safety operating_leverage price_volume_grid sales_mix_from_log target_profit tornado
churn_reasons classify_loyalty customer_profitability nps nps_categories spending_proxy
spending_types GiniResult ParetoResult PeriodComparison WhaleResult compare_periods gini pareto
whale_curve BetaGeoModel CalibrationCheck FitReport GammaGammaModel ModifiedBetaGeoModel
ParetoNBDModel RetentionEconomics RetentionScenario ShiftedBetaGeometricModel
calibration_holdout_check contact_list retention_economics AHPResult KMeansResult ahp_weights
attractiveness check_segment_map default_segment_map kmeans rfm segment_profiles select_k
silhouette target_customers generate read_transactions summarize block_cache_size
set_block_cache_limit __version__
""".split()


def test_no_stub_beside_an_annotated_module():
    package = pathlib.Path(cm.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_core.pyi").exists()
    shadowing = [m for m in CONVERTED if (package / f"{m}.pyi").exists()]
    assert shadowing == []
    # The Spark subpackage is annotated inline throughout: no stub at all.
    assert sorted(p.name for p in (package / "spark").glob("*.pyi")) == []


def test_all_lists_every_public_name_once():
    assert len(cm.__all__) == len(set(cm.__all__))
    missing = [n for n in cm.__all__ if not hasattr(cm, n)]
    assert missing == []
    # Every name of the former stub is still exported (its own __all__ had left out the 12
    # retention names, which only the .py listed).
    assert sorted(set(FORMER_STUB_NAMES) - set(cm.__all__)) == []
    # Nothing public is imported into the package without being listed (submodules aside).
    unlisted = [n for n, v in vars(cm).items()
                if not n.startswith("_") and not inspect.ismodule(v) and n not in cm.__all__]
    assert unlisted == []
    assert isinstance(cm.__version__, str)


def test_generator_parameters_are_the_cores():
    """The keyword names and types of generate() are the core's; the defaults written in the
    signature are the core's too (the others come from the core at call time)."""
    defaults = _core.generate_defaults()
    named = {"customers", "seed", "start", "end"}
    params = synthetic._GeneratorParams
    assert set(params.__optional_keys__) == set(defaults) - named
    assert params.__required_keys__ == frozenset()
    hints = typing.get_type_hints(params)
    for name in params.__optional_keys__:
        assert hints[name] is type(defaults[name]), name
    sig = inspect.signature(synthetic.generate)
    assert sig.parameters["customers"].default == defaults["customers"] == 10000
    assert sig.parameters["seed"].default == defaults["seed"] == 42
    # 2020-01-01 and 2021-12-31 at midnight UTC in epoch seconds: 18262 and 18992 days.
    assert defaults["start"] == 18262 * 86400
    assert defaults["end"] == 18992 * 86400
    assert pd.Timestamp(sig.parameters["start"].default).value // 10**9 == defaults["start"]
    assert pd.Timestamp(sig.parameters["end"].default).value // 10**9 == defaults["end"]
    # A name outside the TypedDict is refused at run time, as the annotation says.
    with pytest.raises(TypeError, match="unknown parameters bogus"):
        cm.generate(customers=3, bogus=1.0)


def test_generate_return_follows_truth():
    log = cm.generate(customers=5, seed=1)
    pair = cm.generate(customers=5, seed=1, truth=True)
    assert isinstance(log, pd.DataFrame)
    assert isinstance(pair, tuple) and len(pair) == 2
    assert all(isinstance(f, pd.DataFrame) for f in pair)
    assert pair[0].equals(log)


def _options(func, name):
    """The strings of a Literal annotation (inside a Union with a Sequence of it, too)."""
    hint = typing.get_type_hints(func)[name]
    if typing.get_origin(hint) is typing.Union:
        hint = typing.get_args(hint)[0]
    assert typing.get_origin(hint) is typing.Literal, hint
    return typing.get_args(hint)


RFM_DATA = {"recency": [1.0, 30.0, 5.0, 9.0, 14.0], "frequency": [4.0, 1.0, 2.0, 3.0, 2.0],
            "monetary": [120.0, 15.0, 40.0, 60.0, 25.0]}


@pytest.mark.parametrize("name, expected", [("ties", ("grouped", "first")),
                                            ("fm", ("separate", "combined"))])
def test_rfm_literals_are_what_the_core_accepts(name, expected):
    assert _options(seg.rfm, name) == expected
    for option in expected:
        assert len(seg.rfm(RFM_DATA, **{name: option})) == 5
    with pytest.raises(cm.InputError) as err:
        seg.rfm(RFM_DATA, **{name: "other"})
    assert err.value.argument == name


@pytest.mark.parametrize("func", [seg.kmeans, seg.select_k])
def test_scaling_literal_is_what_the_core_accepts(func):
    options = _options(func, "scaling")
    assert options == ("none", "log", "standardize", "log_standardize")
    x = np.array([[0.0, 1.0], [0.1, 2.0], [5.0, 3.0], [5.1, 4.0]])
    for option in options:
        assert seg.kmeans(x, 2, scaling=option).labels.shape == (4,)
    assert seg.kmeans(x, 2, scaling=list(options[:2])).labels.shape == (4,)
    with pytest.raises(cm.InputError) as err:
        seg.kmeans(x, 2, scaling="minmax")
    assert err.value.argument == "scaling"


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def test_plot_literals_are_what_the_charts_draw(plt):
    table = cm.tornado(fixed_costs=40_000.0, price=50.0, unit_variable_cost=30.0,
                       sales_units=2_500)
    options = _options(cm.plot.tornado_chart, "value")
    assert options == ("profit", "break_even_units")
    for option in options:
        assert len(cm.plot.tornado_chart(table, value=option).patches) == 8
    with pytest.raises(ValueError, match="value: expected"):
        cm.plot.tornado_chart(table, value="revenue")

    scores = seg.rfm(RFM_DATA)
    options = _options(cm.plot.rfm_heatmap, "value")
    assert options == ("monetary", "count")
    for option in options:
        # Five distinct recency scores: five non-empty cells.
        assert cm.plot.rfm_heatmap(scores, value=option).images[0].get_array().count() == 5
    with pytest.raises(ValueError, match="value: expected"):
        cm.plot.rfm_heatmap(scores, value="mean")
