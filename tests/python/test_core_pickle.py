"""Every result class of the compiled core pickles to an equal object (issue 13: "every result
picklable"), and prints its members.

The result classes are those bound from their member list (common.hpp's ``CM_RESULT``): each
carries ``_fields``. The test runs the public API on small inputs and collects every core
result reachable from what it returns (attributes, dataclass fields, lists); the results that
the public API turns into frames come from a direct ``_core`` call. It checks that every result
class was met, that a pickle round trip gives back every member equal (numpy columns, nested results
and lists of them member by member; NaN equal to NaN), and that ``repr`` names the class.
"""
import dataclasses
import pickle

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from custometrics import _core

RESULTS = sorted(n for n, c in vars(_core).items() if isinstance(c, type) and hasattr(c, "_fields"))
# Its name is a std::string_view into the core's table of figure names: not read back.
NOT_PICKLED = {"BreakEvenFigure"}


def _collect(obj, found, depth=0):
    """Adds the core results reachable from ``obj`` to ``found`` (class name -> instance)."""
    if depth > 6 or obj is None or isinstance(obj, (str, bytes, int, float, np.ndarray)):
        return
    if hasattr(type(obj), "_fields"):
        found.setdefault(type(obj).__name__, obj)
        for f in type(obj)._fields:
            _collect(getattr(obj, f), found, depth + 1)
        return
    if isinstance(obj, (list, tuple)):
        for x in obj[:6]:
            _collect(x, found, depth + 1)
    elif isinstance(obj, dict):
        for x in list(obj.values())[:20]:
            _collect(x, found, depth + 1)
    elif isinstance(obj, (pd.DataFrame, pd.Series, pd.Index)):
        return
    elif dataclasses.is_dataclass(obj) or hasattr(obj, "__dict__"):
        for x in list(vars(obj).values()):
            _collect(x, found, depth + 1)


def _same(a, b, path):
    if hasattr(type(a), "_fields"):
        assert type(a) is type(b), path
        for f in type(a)._fields:
            _same(getattr(a, f), getattr(b, f), f"{path}.{f}")
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype, path
        np.testing.assert_array_equal(a, b, err_msg=path)  # NaN equal to NaN
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and a != a:
        assert isinstance(b, float) and b != b, path
    else:
        assert a == b, path


@pytest.fixture(scope="module")
def results():
    return collect_results()


def collect_results():
    """One instance of each core result class met, by class name."""
    found = {}
    log = cm.generate(customers=300, seed=11)
    s = cm.summarize(log, customer="customer_id", date="date", amount="amount")
    summary = cm.summarize(log, customer="customer_id", date="date", amount="amount",
                           calibration_end=log["date"].quantile(0.7))
    summary = summary[summary["T_cal"] > 0]
    model = {"fixed_costs": 40_000.0, "price": 50.0, "unit_variable_cost": 30.0}
    bg = cm.BetaGeoModel().fit(s)
    gg = cm.GammaGammaModel().fit(s)
    calls = [
        lambda: cm.pareto(pd.Series([5.0, 50, 0, 30, 10, -4, 5], index=list("abcdefg"))),
        lambda: cm.whale_curve(log, by="customer_id", value="amount"),
        lambda: cm.gini([1.0, 2, 3, 10]),
        lambda: cm.compare_periods(pd.Series({"a": 10.0, "b": 5.0, "c": 1.0}),
                                   pd.Series({"a": 2.0, "b": 8.0, "d": 4.0})),
        lambda: s,
        lambda: cm.break_even_analysis(**model, sales_units=2_500, target_profit=1_000,
                                       depreciation=5_000),
        lambda: cm.break_even_stepped(pd.DataFrame({"from": [0.0, 1000], "to": [1000.0, 5000],
                                                    "fixed_costs": [10_000.0, 30_000]}),
                                      price=50.0, unit_variable_cost=30.0),
        lambda: cm.break_even_mix(pd.DataFrame(
            {"product": ["a", "b"], "price": [10.0, 20.0], "unit_variable_cost": [4.0, 15.0],
             "mix": [0.6, 0.4]}), fixed_costs=10_000.0, product="product"),
        lambda: cm.kmeans(np.array([[0.0, 1], [0.2, 1.1], [5, 5], [5.2, 4.9], [9, 0],
                                    [9.1, 0.3]]), 3, seed=1),
        lambda: cm.select_k(np.random.default_rng(0).normal(size=(40, 2)), 2, 4),
        lambda: cm.ahp_weights(np.array([[1, 9, 5], [1 / 9, 1, 1 / 3], [1 / 5, 3, 1]]),
                               ["coffee", "wine", "tea"], accept_inconsistent=True),
        lambda: bg, lambda: gg,
        lambda: cm.calibration_holdout_check(bg, summary),
        lambda: cm.select_model(summary),
        lambda: cm.retention_economics(100.0, 0.8, 0.1, 5.0, new_customers=100.0),
        lambda: cm.ShiftedBetaGeometricModel().fit([1000, 631, 468, 382, 326]),
    ]
    for call in calls:
        _collect(call(), found)
    x, tx, t = (s[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    m = s["monetary_value"].to_numpy(dtype=float)
    direct = [
        _core.retention_fit_gamma_gamma(x, m, np.ones_like(x), _core.FitOptions(
            max_iterations=100, gradient_tolerance=1e-8, threads=1)),
        _core.retention_score(bg._fitted_model(), gg._fitted_model(), x, tx, t, m, np.empty(0),
                              "days", 1.0, _core.ScoreOptions(horizon=30.0)),
        _core.retention_overview(x, tx, t, m, m * (x + 1), _core.RetentionOverviewOptions(top=5)),
        _core.retention_intervals(bg._fitted_model(), 10.0, x, tx, t, "delta",
                                  _core.IntervalOptions(level=0.9, draws=0, seed=1, threads=1),
                                  None, np.empty(0), _core.ClvOptions()),
        _core.spark_totals(_core.PurchaseModel.bgnbd, x, tx, t, np.ones_like(x)),
        _core.retention_fit_covariates(  # one numeric covariate on the lifetime process
            _core.PurchaseModel.pnbd, x, tx, t, [str(k) for k in s.index],
            [str(k) for k in s.index], [("z", (np.arange(x.size) % 3).astype(float))],
            _core.CovariateSpec(life=["z"]),
            _core.FitOptions(max_iterations=200, gradient_tolerance=1e-8, threads=1)),
    ]
    sketch = _core.ParetoSketch(0.01)
    sketch.add(np.array([5.0, 50, 30, 10, 5]))
    direct.append(sketch.figures())
    ids = log["customer_id"].to_numpy()
    secs = log["date"].to_numpy().astype("datetime64[s]").astype(np.int64)
    amount, cost = (log[c].to_numpy(dtype=float) for c in ("amount", "cost"))
    members = log.drop_duplicates("customer_id").head(20)
    direct.append(_core.evaluate_programme(
        ids, secs, 1, amount, None, None, [str(k) for k in members["customer_id"]],
        members["date"].to_numpy().astype("datetime64[s]").astype(np.int64) + 86400 * 60,
        None, _core.ProgrammeOptions(pre_days=90, post_days=90, margin_rate=0.3, bootstrap=50),
        "customer_id"))
    direct.append(_core.summarize(ids, secs, 1, amount, cost, None, "days", 1.0, None, None,
                                  "net", "error", False, 1, "customer_id", "order"))
    direct.append(_core.classify_loyalty(
        ids, secs, 1, amount, None, None, None, [], None, ids[:3],
        [("satisfaction", np.array([5.0, np.nan, 3]))], [], "customer_id"))
    direct.append(_core.customer_profitability(ids, secs, 1, amount, cost, None, None, None,
                                               None, None, [], "customer_id"))
    direct.append(_core.net_promoter(np.array([10.0, 9, 7, 3, np.nan]), ["a", "b", "a", "b", "a"]))
    direct.append(_core.tightwad_spendthrift(np.array([6, 2]), np.array([3, 1]), np.array([1, 4]),
                                             np.array([3, 2])))
    direct.append(_core.spending_fit([5, 10, 3], "article"))
    direct.append(_core.churn_reasons(["too_expensive", "service", "moved"], None))
    cvp = _core.CvpModel(40_000.0, 50.0, 30.0)
    analysis = _core.break_even_analysis(_core.BreakEvenInputs(
        model=cvp, sales_units=2_500.0, target_profit=1_000.0, tax_rate=0.2, depreciation=5_000.0))
    direct += [analysis, analysis.figures()]
    direct.append(_core.tornado(cvp, 2_500.0, 0.1))
    direct.append(_core.price_volume_grid(cvp, 2_500.0, np.array([-0.1, 0.1]), np.array([0.0])))
    direct.append(_core.break_even_chart_data(cvp, 4_000.0, 5, 0.0))
    direct.append(_core.break_even_stepped(50.0, 30.0, np.array([0.0, 1000]),
                                           np.array([1000.0, 5000]), np.array([10_000.0, 30_000])))
    direct.append(_core.break_even_mix(10_000.0, ["a", "b"], np.array([10.0, 20]),
                                       np.array([4.0, 15]), np.array([0.6, 0.4]), "units", 1e-6,
                                       _core.MixNames()))
    direct.append(_core.sales_mix_from_log(np.array(["a", "b", "a"], dtype=object),
                                           np.array([10.0, 20, 10]), np.array([4.0, 15, 4]),
                                           np.array([1.0, 1, 1]), "product"))
    direct.append(_core.break_even_over_time(np.array([0, 86400, 2 * 86400]), None,
                                             np.array([10.0, 20, 30]), np.array([25.0, 5, 5])))
    direct.append(_core.monthly_log_totals(np.array([0, 40 * 86400]), 1, np.array([10.0, 20]),
                                           np.array([4.0, 5])))
    direct.append(_core.compare_periods(np.array([10.0, 5, 1, 0]), np.array([2.0, 8, 0, 4]),
                                        _core.pareto_options(0.8, 0.95, "before", "separate", 1)))
    crit = [_core.Criterion("a"), _core.Criterion("b")]
    table = np.asfortranarray([[1.0, 0], [0, 1], [0.5, 0.5]])  # the top changes at weight 0.5
    direct.append(_core.ahp(np.array([[1, 9, 5], [1 / 9, 1, 1 / 3], [1 / 5, 3, 1]]),
                            [_core.Criterion(c) for c in "xyz"],
                            _core.AhpOptions(accept_inconsistent=True, reciprocal_tolerance=1e-6)))
    scores = _core.score_segments(table, crit, np.array([0.6, 0.4]))
    direct += [scores, scores.sensitivity]
    direct.append(_core.attractiveness_matrix(np.array([0.1, 0.5, 0.9]),
                                              np.array([0.9, 0.5, 0.1]), 1 / 3, 2 / 3))
    points = np.random.default_rng(0).normal(size=(30, 2))
    direct.append(_core.kmeans_select_k(
        points, 2, 3, 100, _core.KMeansOptions(n_init=2, max_iter=50, threads=1), [], ["a", "b"]))
    direct.append(_core.rfm(t, x, m, 5, "grouped", "separate", _core.default_segment_map(), 1))
    rules = [("all", 1, 3, 1, 3, 1, 2), ("all", 1, 3, 1, 3, 1, 3)]
    direct.append(_core.SegmentMap(rules, 3).report)
    labels = (np.arange(x.size) % 2).astype(np.uint32)
    direct.append(_core.segment_profiles(labels, 2, t, x, m, m, m / 2, ["a", "b"],
                                         [("extra", x)]))
    direct.append(_core.retention_select(x, tx, t, x, 10.0, "mae", _core.SelectionOptions(
        models=[_core.PurchaseModel.bgnbd],
        fit=_core.FitOptions(max_iterations=200, gradient_tolerance=1e-8, threads=1))))
    direct.append(_core.retention_cumulative_transactions(
        np.array([7, 7, 3]), np.array([0, 2, 1]), np.array([0.5, 0.8])))
    direct.append(_core.retention_uplift(100.0, 0.8, 0.1, 5.0, 1000.0, 100.0, 50.0, "start"))
    direct.append(cm.log_retention_economics(log, period_days=200, acquisition_spend=1000.0,
                                             retention_spend=100.0)._raw)
    direct.append(_core.retention_heterogeneity(_core.PurchaseModel.bgnbd,
                                                [0.243, 4.414, 0.793, 2.426], True))
    direct.append(_core.retention_contact_list(direct[1], 60.0, 14.0, 0, None, "model"))
    direct.append(direct[-1].columns)
    direct.append(_core.purchase_rhythm(ids, secs, 1, amount, "customer_id",
                                        _core.RhythmOptions()))
    # The Pareto ranking in chunks (spark.pareto_exact's distributed path): 50, 30 | 15, 5.
    v = np.array([50.0, 30, 15, 5])
    sums = _core.combine_chunk_sums([_core.pareto_chunk_sums(v[:2], 0, 4),
                                     _core.pareto_chunk_sums(v[2:], 2, 4)], 4, "separate")
    chunk = _core.classify_chunk(v, 0, 0.0, 0.0, 4, 4, sums.total,
                                 _core.pareto_options(0.8, 0.95, "before", "separate", 1))
    direct += [_core.pareto_chunk_sums(v[1:], 1, 4), sums, chunk,
               _core.chunk_figures(sums, 4, chunk.summary, 0, 0.0)]
    for r in direct:
        _collect(r, found)
    return found


def test_every_result_class_is_met(results):
    assert sorted(set(RESULTS) - set(results)) == []


@pytest.mark.parametrize("name", RESULTS)
def test_a_result_pickles_to_an_equal_object(results, name):
    r = results.get(name)
    if r is None:
        pytest.skip(f"{name} not met (test_every_result_class_is_met fails)")
    if name in NOT_PICKLED:
        with pytest.raises((TypeError, pickle.PicklingError)):
            pickle.dumps(r)
        return
    back = pickle.loads(pickle.dumps(r))
    _same(r, back, name)
    assert repr(r).startswith(name + "(") and repr(back) == repr(r)


def test_a_repr_shows_scalars_and_counts_columns():
    assert repr(_core.CvpModel(40_000.0, 50.0, 30.0)) == \
        "CvpModel(fixed_costs=40000.0, price=50.0, unit_variable_cost=30.0)"
    p = _core.pareto(np.array([50.0, 30, 20]),
                     _core.pareto_options(0.8, 0.95, "before", "separate", 1))
    text = repr(p)
    assert "entity=<3 values>" in text and "gini=<Gini>" in text
    assert text.startswith("Pareto(\n    entity=<3 values>,\n")  # long: one member a line


def test_options_are_given_by_keyword_over_the_cores_defaults():
    o = _core.ProgrammeOptions(pre_days=90, margin_rate=0.3)
    assert (o.pre_days, o.post_days, o.margin_rate, o.bootstrap) == (90, 180, 0.3, 1000)
    s = _core.RetentionOverviewOptions(clv=_core.ClvOptions(months=6))
    assert (s.horizon, s.top, s.clv.months, s.clv.discount_rate) == (90.0, 5, 6, 0.01)
    # The options that replaced positional arguments: defaults as the core's headers state them.
    f = _core.FitOptions(penalizer=0.5)
    assert (f.penalizer, f.max_iterations, f.gradient_tolerance, f.initial, f.threads) == (
        0.5, 1000, 1e-9, [], 0)
    sel = _core.SelectionOptions(fit=f)
    assert (sel.max_frequency, sel.fit.penalizer, sel.models) == (
        7, 0.5, [_core.PurchaseModel.bgnbd, _core.PurchaseModel.mbgnbd, _core.PurchaseModel.pnbd])
    i = _core.IntervalOptions()
    assert (i.level, i.draws, i.seed, i.threads, i.fit.penalizer) == (0.9, 1000, 42, 0, 0.0)
    k = _core.KMeansOptions(seed=3)
    assert (k.k, k.n_init, k.max_iter, k.tolerance, k.seed, k.threads) == (8, 10, 300, 1e-4, 3, 0)
    e = _core.LogEconomicsOptions(margin_rate=0.3)
    assert (e.period_days, e.end, e.margin_rate, e.discount_rate, e.uplift, e.horizon) == (
        365, None, 0.3, 0.1, 5.0, 5)
    assert (_core.AhpOptions().reciprocal_tolerance, _core.MixNames().share) == (0.01, "share")
    assert _core.BreakEvenInputs(tax_rate=0.2).target_profit is None
    with pytest.raises(_core.InputError, match="^n_init: must be a whole number in 0..4294967295, got -1$") as e:
        _core.KMeansOptions(n_init=-1)
    assert (e.value.argument, e.value.value) == ("n_init", "-1")
    with pytest.raises(AttributeError):
        _core.ScoreOptions(horizn=30.0)
