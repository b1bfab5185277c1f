"""What every result and option of the Pareto, segmentation, summary, aggregation, loyalty and
break-even areas promises (issue 13, "bindings in the boost-histogram manner"):

- a result pickles to an equal object (its DataFrames and numpy columns equal too, and the
  methods of a result holding a compiled core give the same answers after the round trip);
- a ``threads`` argument reaches the core: the answers for threads=1 and threads=2 are equal
  (the core's sums are blocked so that they do not depend on the thread count);
- an unknown option or threshold name is a ``custometrics.InputError`` whose ``argument``
  names the parameter and whose ``value`` is the name given, the same in every face;
- ParetoResult and WhaleResult print a few lines of headline figures.
"""
import dataclasses
import pickle

import numpy as np
import pandas as pd
import pytest

import custometrics as cm


def roundtrip(x):
    return pickle.loads(pickle.dumps(x))


def same(a, b):
    """Equal dataclasses, field by field (numpy arrays and DataFrames included)."""
    assert type(a) is type(b)
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        elif isinstance(x, pd.Series):
            pd.testing.assert_series_equal(x, y)
        elif isinstance(x, pd.Index):
            pd.testing.assert_index_equal(x, y)
        elif isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y)
        elif dataclasses.is_dataclass(x):
            same(x, y)
        elif f.name != "_core":
            assert x == y or (x != x and y != y), f.name  # NaN == NaN here


@pytest.fixture(scope="module")
def log():
    # A generated log with costs: profit per customer has both signs (a whale curve).
    return cm.generate(customers=400, seed=7)


# --------------------------------------------------------------------------------------------
# Pickling


def test_pareto_result_pickles_to_an_equal_object():
    # Values 50, 30, 10, 5, 5 and two not ranked (0, -4): total 100, shares .5 .3 .1 .05 .05;
    # rule "before": A while the share before is < .8 (50, 30), B while < .95 (10, 5), C (5).
    r = cm.pareto(pd.Series([5.0, 50, 0, 30, 10, -4, 5], index=list("abcdefg")))
    r.entities  # a cached DataFrame travels too
    s = roundtrip(r)
    assert s == r  # the dataclass fields (headline figures, classes, options)
    same(s, r)
    pd.testing.assert_frame_equal(s.entities, r.entities)
    pd.testing.assert_frame_equal(s.not_ranked_entities, r.not_ranked_entities)
    assert s.entities.index.tolist() == ["b", "d", "e", "a", "g"]
    assert s.not_ranked_entities["value"].tolist() == [0.0, -4.0]
    # The compiled core came back whole: its queries answer as before.
    assert s.top_share(0.4) == r.top_share(0.4) == 0.8  # top ceil(0.4 * 5) = 2: 80 / 100
    assert s.entities_for_share(0.9) == r.entities_for_share(0.9) == 0.6
    pd.testing.assert_frame_equal(s.curve(None), r.curve(None))
    pd.testing.assert_frame_equal(s.lorenz(None), r.lorenz(None))
    np.testing.assert_array_equal(s._core.entity, r._core.entity)
    np.testing.assert_array_equal(s._core.nonpositive, r._core.nonpositive)
    assert s._core.gini.gini_rsv == r._core.gini.gini_rsv


def test_pareto_options_survive_pickling():
    r = cm.pareto([4.0, 3, 2, 1, 0], a=0.5, b=0.9, rule="including", nonpositive="include")
    s = roundtrip(r)
    assert s == r and (s.rule, s.nonpositive, s.a, s.b) == ("including", "include", 0.5, 0.9)
    assert s.class_counts == r.class_counts and s.n == 5


def test_whale_and_gini_results_pickle(log):
    w = cm.whale_curve(log, by="customer_id", value="amount")
    s = roundtrip(w)
    assert s == w
    same(s, w)
    pd.testing.assert_frame_equal(s.entities, w.entities)
    pd.testing.assert_frame_equal(s.curve(50), w.curve(50))
    g = cm.gini([1.0, 2, 3, 10])
    assert roundtrip(g) == g and float(roundtrip(g)) == float(g)


def test_period_comparison_pickles():
    before = pd.Series({"a": 10.0, "b": 5.0, "c": 1.0})
    after = pd.Series({"a": 2.0, "b": 8.0, "d": 4.0})
    c = cm.compare_periods(before, after)
    s = roundtrip(c)
    same(s, c)
    assert s.entered_a == c.entered_a and s.before.top_share(0.5) == c.before.top_share(0.5)


def test_segmentation_results_pickle():
    x = np.array([[0.0, 1.0], [0.2, 1.1], [5.0, 5.0], [5.2, 4.9], [9.0, 0.0], [9.1, 0.3]])
    k = cm.kmeans(x, 3, seed=1)
    same(roundtrip(k), k)
    drinks = np.array([[1, 9, 5], [1 / 9, 1, 1 / 3], [1 / 5, 3, 1]])
    a = cm.ahp_weights(drinks, ["coffee", "wine", "tea"], accept_inconsistent=True)
    same(roundtrip(a), a)


def test_break_even_results_pickle():
    model = {"fixed_costs": 40_000.0, "price": 50.0, "unit_variable_cost": 30.0}
    for r in (cm.break_even(**model), cm.target_profit(**model, target_profit=10_000),
              cm.margin_of_safety(**model, sales_units=2_500),
              cm.operating_leverage(**model, sales_units=2_500),
              cm.break_even_analysis(**model, sales_units=2_500, target_profit=1_000)):
        s = roundtrip(r)
        assert s == r
        same(s, r)
    a = cm.break_even_analysis(**model, sales_units=2_500)
    assert roundtrip(a).to_dict() == a.to_dict()
    products = pd.DataFrame({"product": ["a", "b"], "price": [20.0, 30.0],
                             "unit_variable_cost": [12.0, 18.0], "mix": [0.5, 0.5]})
    m = cm.break_even_mix(products, fixed_costs=10_000)
    same(roundtrip(m), m)


# --------------------------------------------------------------------------------------------
# threads reach the core


def test_threads_give_the_same_answers(log):
    one = cm.pareto(log, by="customer_id", value="amount", threads=1)
    two = cm.pareto(log, by="customer_id", value="amount", threads=2)
    assert one == two
    pd.testing.assert_frame_equal(one.entities, two.entities)
    assert cm.whale_curve(log, by="customer_id", value="amount", threads=1) == \
        cm.whale_curve(log, by="customer_id", value="amount", threads=2)
    v = log["amount"].to_numpy()
    assert cm.gini(v, threads=1) == cm.gini(v, threads=2)
    pd.testing.assert_frame_equal(cm.summarize(log, threads=1), cm.summarize(log, threads=2))
    pd.testing.assert_frame_equal(cm.aggregate(log, by="customer_id", value="amount", threads=1),
                                  cm.aggregate(log, by="customer_id", value="amount", threads=2))
    s = cm.summarize(log)
    pd.testing.assert_frame_equal(cm.rfm(s, monetary="monetary_value", threads=1),
                                  cm.rfm(s, monetary="monetary_value", threads=2))
    x = s[["frequency", "monetary_value"]].to_numpy()
    same(cm.kmeans(x, 3, seed=2, threads=1), cm.kmeans(x, 3, seed=2, threads=2))


def test_an_invalid_threads_value_reaches_the_core():
    # A negative count cannot become the core's unsigned: the binding refuses it, which shows
    # the argument is passed on rather than dropped. Issue 16: an InputError naming the
    # argument and value (was pybind11's TypeError listing the signatures).
    with pytest.raises(cm.InputError) as e:
        cm.gini([1.0, 2.0], threads=-1)
    assert (e.value.argument, e.value.value) == ("threads", "-1")


# --------------------------------------------------------------------------------------------
# Options: one parser in the core, the same error for every face


@pytest.mark.parametrize("call, argument, value", [
    (lambda: cm.pareto([1.0, 2.0], rule="after"), "rule", "after"),
    (lambda: cm.pareto([1.0, 2.0], nonpositive="drop"), "nonpositive", "drop"),
    (lambda: cm.compare_periods([1.0], [2.0], rule="x"), "rule", "x"),
    (lambda: cm.rfm(recency=[1.0, 2], frequency=[1, 2], monetary=[1.0, 2], ties="dense"),
     "ties", "dense"),
    (lambda: cm.rfm(recency=[1.0, 2], frequency=[1, 2], monetary=[1.0, 2], fm="mean"),
     "fm", "mean"),
    (lambda: cm.kmeans(np.eye(3), 2, scaling="zscore"), "scaling", "zscore"),
    (lambda: cm.break_even_mix(fixed_costs=1.0, price=[2.0], unit_variable_cost=[1.0],
                               mix=[1.0], basis="value"), "basis", "value"),
])
def test_an_unknown_option_is_an_input_error(call, argument, value):
    with pytest.raises(cm.InputError) as e:
        call()
    assert e.value.argument == argument and e.value.value == value
    assert "expected '" in str(e.value) and f"got '{value}'" in str(e.value)


def test_thresholds_by_name_reach_the_core_typed():
    log = pd.DataFrame({"customer_id": ["A", "A", "B"], "amount": [10.0, 20.0, 5.0],
                        "cost": [5.0, 10.0, 1.0],
                        "date": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-01-15"])})
    with pytest.raises(cm.InputError) as e:
        cm.classify_loyalty(log, rules={"max_regular_vc": 0.4})
    assert e.value.argument == "rules" and e.value.value == "max_regular_vc"
    assert "unknown rule threshold" in str(e.value) and "max_regular_cv" in str(e.value)
    with pytest.raises(cm.InputError) as e:
        cm.customer_profitability(log, costs={"per_ordr": 1})
    assert e.value.argument == "costs" and e.value.value == "per_ordr"
    # A NaN rate is the core's range error, naming the field (it was a JSON null before).
    with pytest.raises(cm.InputError, match="per_order"):
        cm.customer_profitability(log, costs={"per_order": float("nan")})
    # Values given by name are used: 2 orders of A at 2.5 each.
    p = cm.customer_profitability(log, costs={"per_order": 2.5})
    assert p.loc["A", "order_cost"] == 5.0 and p.loc["B", "order_cost"] == 2.5


# --------------------------------------------------------------------------------------------
# repr


def test_pareto_and_whale_reprs_are_a_few_lines_of_headlines():
    r = cm.pareto(pd.Series([5.0, 50, 0, 30, 10, -4, 5], index=list("abcdefg")))
    text = repr(r)
    assert text.splitlines() == [
        "ParetoResult(n=5, total=100, gini=0.46",
        "  80% of the total from the top 40.0% of the entities; the top 20% make 50.0%",
        "  classes A 2 (80.0%), B 2 (15.0%), C 1 (5.0%)",
        "  not ranked 2 (total -4))",
    ]
    # G = 2 sum_i i x(i) / (n T) - (n + 1) / n on 5, 5, 10, 30, 50: 2 (5 + 10 + 30 + 120 +
    # 250) / 500 - 6 / 5 = 1.66 - 1.2 = 0.46.
    assert r.gini == pytest.approx(0.46)
    assert "<table>" in r._repr_html_() and "80.0%" in r._repr_html_()
    w = cm.whale_curve(pd.Series({"a": 30.0, "b": 10.0, "c": -20.0, "d": 0.0}))
    # Total 20; peak 40 = 200% after 2 of 4 (50%); 1 loss maker (25%) destroys 20 = 100%.
    assert repr(w).splitlines() == [
        "WhaleResult(n=4, total=20, peak 200.0% of the total from the top 50.0% of the entities",
        "  loss makers 1 (25.0%) destroy 20 = 100.0% of the total)",
    ]
    assert "not defined" in repr(cm.pareto([0.0, -1.0]))
    assert "not defined" in repr(cm.whale_curve([-1.0, -2.0]))
