"""custometrics.pareto, whale_curve, gini, compare_periods and the plots: cases worked out by
hand, side by side with pandas, numpy and scipy on random data, and bad input."""

import os

import numpy as np
import pandas as pd
import pytest

import custometrics as cm

# --------------------------------------------------------------------------------------------
# Worked by hand


def test_worked_example_with_a_zero():
    # Values 50, 30, 15, 5 and a 0 (keys 0..4); the 0 is not ranked (nonpositive="separate").
    # Total 100; shares .5 .3 .15 .05; cum .5 .8 .95 1.
    # Rule "before": cum before each is 0, .5, .8, .95 -> A (0 < .8), A (.5 < .8),
    # B (.8 is not < .8 but < .95), C (.95 is not < .95).
    # Gini on ascending 5, 15, 30, 50: 2 (1*5 + 2*15 + 3*30 + 4*50) / (4 * 100) - 5/4
    #   = 650/400 - 1.25 = 0.375; small sample 0.375 * 4/3 = 0.5; RSV = G (no negatives).
    # 80% is reached by the top 2 of 4 (cum .8): 0.5. Top 20%: ceil(0.8) = 1 entity: 0.5.
    r = cm.pareto(np.array([50.0, 30.0, 15.0, 5.0, 0.0]))
    assert r.defined and r.reason == ""
    assert r.n == 4 and r.total == 100.0
    e = r.entities
    assert e.index.tolist() == [0, 1, 2, 3]
    assert e["value"].tolist() == [50.0, 30.0, 15.0, 5.0]
    assert e["rank"].tolist() == [1, 2, 3, 4]
    assert e["share"].tolist() == [0.5, 0.3, 0.15, 0.05]
    assert e["cum_share"].tolist() == [0.5, 0.8, 0.95, 1.0]
    assert e["cum_entity_share"].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert isinstance(e["abc"].dtype, pd.CategoricalDtype)
    assert list(e["abc"].cat.categories) == ["A", "B", "C"]
    assert e["abc"].tolist() == ["A", "A", "B", "C"]
    assert r.gini == 0.375 and r.gini_small_sample == 0.5 and r.gini_rsv == 0.375
    assert r.entities_for_80pct == 0.5 and r.top20_share == 0.5
    assert r.class_counts == {"A": 2, "B": 1, "C": 1}
    assert r.class_shares == pytest.approx({"A": 0.8, "B": 0.15, "C": 0.05}, abs=1e-15)
    assert r.not_ranked == 1 and r.not_ranked_total == 0.0
    assert r.not_ranked_entities.index.tolist() == [4]
    assert r.not_ranked_entities["value"].tolist() == [0.0]
    # top 50% = 2 entities: .8; top 0: 0; 95% needs 3 of 4.
    assert r.top_share(0.5) == 0.8 and r.top_share(0.0) == 0.0
    assert r.entities_for_share(0.95) == 0.75
    # The curve: (k/4, cum of top k), k = 0..4; Lorenz: (i/4, share of the i smallest):
    # 0, 5/100, 20/100, 50/100, 1.
    c = r.curve(max_points=None)
    assert c["entity_share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert c["cum_share"].tolist() == [0.0, 0.5, 0.8, 0.95, 1.0]
    lz = r.lorenz(max_points=None)
    assert lz["entity_share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    np.testing.assert_allclose(lz["value_share"], [0.0, 0.05, 0.2, 0.5, 1.0], atol=1e-15)
    # Three points: k = 0, 2, 4.
    assert r.curve(max_points=3)["cum_share"].tolist() == [0.0, 0.8, 1.0]


def test_boundary_rules():
    # 60, 25, 10, 5: cum .6 .85 .95 1. "before" (cum before 0, .6, .85, .95): A A B C, A covers
    # 85%. "including": .6 <= .8 A; .85 > .8 but <= .95 B; .95 <= .95 B; 1 C -> A B B C.
    values = [60.0, 25.0, 10.0, 5.0]
    assert cm.pareto(values).entities["abc"].tolist() == ["A", "A", "B", "C"]
    inc = cm.pareto(values, rule="including")
    assert inc.entities["abc"].tolist() == ["A", "B", "B", "C"]
    assert inc.class_shares == pytest.approx({"A": 0.6, "B": 0.35, "C": 0.05}, abs=1e-15)
    assert inc.rule == "including"
    # 50, 30, 15, 5 falls exactly on the boundaries: both rules give A A B C.
    assert cm.pareto([50.0, 30.0, 15.0, 5.0], rule="including").entities["abc"].tolist() == [
        "A", "A", "B", "C"]
    # Other thresholds, a = .5 and b = .9, on 60, 25, 10, 5: cum before 0 < .5 -> A;
    # .6 and .85 are >= .5 but < .9 -> B B; .95 -> C.
    assert cm.pareto(values, a=0.5, b=0.9).entities["abc"].tolist() == ["A", "B", "B", "C"]


def test_single_dominant_entity():
    # 1000, 1, 1, 1: total 1003, cum 1000/1003 = .997 at once.
    # "before": the first is always A; the others have .997 >= .95 before them: C C C.
    # "including": .997 > .95 -> C C C C (A and B empty).
    # Gini: S = 3*1000 + 1*1 - 1*1 - 3*1 = 2997 over n T = 4 * 1003.
    r = cm.pareto([1000.0, 1.0, 1.0, 1.0])
    assert r.entities["abc"].tolist() == ["A", "C", "C", "C"]
    assert r.gini == pytest.approx(2997 / 4012, rel=1e-15)
    assert r.entities_for_80pct == 0.25 and r.top20_share == pytest.approx(1000 / 1003)
    inc = cm.pareto([1000.0, 1.0, 1.0, 1.0], rule="including")
    assert inc.class_counts == {"A": 0, "B": 0, "C": 4}


def test_ties_are_broken_by_key():
    # c, a, d tie at 10: ranked by key a, c, d; then b (5). The input order does not matter.
    s = pd.Series({"c": 10.0, "a": 10.0, "b": 5.0, "d": 10.0}).rename_axis("shop")
    r = cm.pareto(s)
    assert r.entities.index.tolist() == ["a", "c", "d", "b"]
    assert r.entities.index.name == "shop"
    assert cm.pareto(dict(s)).entities.index.tolist() == ["a", "c", "d", "b"]
    # The same from rows, with integer and with string keys.
    rows = cm.pareto(by=np.array([30, 10, 20, 30]), value=np.array([2.0, 5.0, 5.0, 3.0]))
    assert rows.entities.index.tolist() == [10, 20, 30]
    rows = cm.pareto(by=np.array(["z", "x", "y"], dtype=object), value=[1.0, 1.0, 1.0])
    assert rows.entities.index.tolist() == ["x", "y", "z"]


def test_all_equal_and_one_entity():
    # Five values of 7: cum .2 .4 .6 .8 1 (28/35 is exactly the double 0.8).
    # "before": cum before 0 .2 .4 .6 < .8 -> A A A A; .8 is not < .8 but < .95 -> B.
    # Gini 0: S = 4*7 + 2*7 + 0 - 2*7 - 4*7 = 0 exactly.
    r = cm.pareto([7.0] * 5)
    assert r.gini == 0.0 and r.gini_small_sample == 0.0 and r.gini_rsv == 0.0
    assert r.entities["abc"].tolist() == ["A", "A", "A", "A", "B"]
    assert r.entities_for_80pct == 0.8 and r.top20_share == 0.2
    # One entity: A, cum 1, Gini 0 (the small-sample form too: 0 for n = 1).
    one = cm.pareto({"only": 42.0})
    assert one.n == 1 and one.entities["abc"].tolist() == ["A"]
    assert one.gini == 0.0 and one.gini_small_sample == 0.0
    assert one.entities_for_80pct == 1.0 and one.top20_share == 1.0


def test_nothing_to_rank():
    for empty in ([], np.array([]), {}, pd.Series([], dtype=float)):
        r = cm.pareto(empty)
        assert not r.defined and r.reason == "no entities"
        assert r.n == 0 and r.gini == 0.0 and r.class_counts == {"A": 0, "B": 0, "C": 0}
        assert len(r.entities) == 0 and list(r.entities.columns) == [
            "value", "rank", "share", "cum_share", "cum_entity_share", "abc"]
        assert len(r.curve()) == 0 and len(r.lorenz()) == 0
    r = cm.pareto({"x": 0.0, "y": -1.0})
    assert not r.defined and "no entity has a value > 0" in r.reason
    assert r.not_ranked == 2 and r.not_ranked_total == -1.0
    assert r.not_ranked_entities.index.tolist() == ["x", "y"]  # value descending
    rows = cm.pareto(pd.DataFrame({"k": [], "v": []}), by="k", value="v")
    assert not rows.defined and rows.reason == "no entities"


def test_negative_values():
    # 6, 3, -1, 2 (keys 0..3).
    # "separate": -1 is not ranked; total 11.
    r = cm.pareto([6.0, 3.0, -1.0, 2.0])
    assert r.n == 3 and r.total == 11.0
    assert r.not_ranked_entities.index.tolist() == [2] and r.not_ranked_total == -1.0
    # "include": ranked 6, 3, 2, -1, total 10, cum .6 .9 1.1 1.0 (above 1, back to 1);
    # classes A (0), A (.6 < .8), B (.9 < .95), C (value <= 0 is always C).
    # Gini on ascending -1, 2, 3, 6: 2 (1*-1 + 2*2 + 3*3 + 4*6) / (4*10) - 5/4 = 72/40 - 1.25
    # = 0.55. RSV: S = 22 (= 0.55 * 40) over n * sum|x| = 4 * 12: 22/48.
    inc = cm.pareto([6.0, 3.0, -1.0, 2.0], nonpositive="include")
    assert inc.n == 4 and inc.total == 10.0 and inc.not_ranked == 0
    assert inc.entities.index.tolist() == [0, 1, 3, 2]
    np.testing.assert_allclose(inc.entities["cum_share"], [0.6, 0.9, 1.1, 1.0], rtol=1e-15)
    assert inc.entities["abc"].tolist() == ["A", "A", "B", "C"]
    assert inc.gini == pytest.approx(0.55, rel=1e-14)
    assert inc.gini_rsv == pytest.approx(22 / 48, rel=1e-14)
    assert inc.entities_for_80pct == 0.5
    with pytest.raises(ValueError, match=r"total is -1 \(<= 0\)"):
        cm.pareto([1.0, -2.0], nonpositive="include")


def test_gini_function():
    # One non-zero value of n: (n - 1) / n. Equal values: 0. -2, 1, 4: S = 2*4 + 0 - 2*(-2)
    # = 12, T = 3: G = 12/9; RSV = 12 / (3 * 7) = 4/7.
    assert cm.gini([0, 0, 0, 5]).gini == 0.75
    assert float(cm.gini(pd.Series([3.0, 3.0, 3.0]))) == 0.0
    g = cm.gini([-2.0, 1.0, 4.0])
    assert g.n == 3 and g.total == 3.0 and g.defined and g.rsv_defined
    assert g.gini == pytest.approx(4 / 3, rel=1e-15)
    assert g.gini_small_sample == pytest.approx(2.0, rel=1e-15)
    assert g.gini_rsv == pytest.approx(4 / 7, rel=1e-15)
    bad = cm.gini([1.0, -3.0])
    assert not bad.defined and "total is -2" in bad.reason and bad.rsv_defined
    with pytest.raises(ValueError, match="gini: not defined: total is -2"):
        float(bad)
    assert not cm.gini([]).defined and cm.gini([]).reason == "no values"


def test_whale_curve_by_hand():
    # Profit 30, 10, -20, 0 (keys 0..3): total 20; ranked 30, 10, 0, -20; cum 1.5, 2, 2, 1;
    # peak 2 (200%) after 2 of 4 entities; 1 loss maker (25%) destroying 20 = 100% of total.
    w = cm.whale_curve([30.0, 10.0, -20.0, 0.0])
    assert w.defined and w.n == 4 and w.total == 20.0
    assert w.profit_total == 40.0 and w.loss_total == 20.0
    assert w.peak_share == 2.0 and w.peak_count == 2 and w.peak_entity_share == 0.5
    assert w.loss_entities == 1 and w.loss_entity_share == 0.25 and w.loss_share == 1.0
    assert w.entities.index.tolist() == [0, 1, 3, 2]
    assert w.entities["cum_share"].tolist() == [1.5, 2.0, 2.0, 1.0]
    assert w.entities["rank"].tolist() == [1, 2, 3, 4]
    c = w.curve(max_points=None)
    assert c["entity_share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert c["cum_share"].tolist() == [0.0, 1.5, 2.0, 2.0, 1.0]
    # From rows: customer 7 buys twice (+25, +5), customer 9 loses 20, customer 8 breaks even.
    rows = cm.whale_curve({"c": [7, 9, 7, 8], "p": [25.0, -20.0, 5.0, 0.0]}, by="c", value="p")
    assert rows.entities.index.name == "c"
    assert rows.entities.index.tolist() == [7, 8, 9]
    assert rows.total == 10.0 and rows.peak_share == 3.0 and rows.loss_share == 2.0
    # Total profit <= 0: not defined, with the reason; no NaN anywhere.
    u = cm.whale_curve({"a": -5.0, "b": 1.0})
    assert not u.defined and "total profit is -4" in u.reason
    assert u.total == -4.0 and u.loss_total == 5.0 and u.loss_entities == 1
    assert u.peak_share == 0.0 and len(u.entities) == 0 and len(u.curve()) == 0


def test_compare_periods_by_hand():
    # Before: a 10, b 20, c 20, d 30 (e absent = 0): total 80, ranked d, b, c (tie by key), a;
    # cum before 0, .375, .625, .875 -> A A A B.
    # After: a 1, b 3, c 2, d 4, e 50: total 60, ranked e, d, b, c, a; cum before 0, .833,
    # .9, .95, .983 -> A B B C C.
    # Migration: d A->B, b A->B, c A->C, a B->C, e none->A. Entered A: e; left A: b, c, d.
    # Spearman over a..d: ranks 4, 2.5, 2.5, 1 and 4, 2, 3, 1: rho = 3 / sqrt(10).
    # Changes: 80% share: before 3 of 4 (cum .875 >= .8) = .75; after 1 of 5 (.833) = .2.
    before = pd.Series({"a": 10.0, "b": 20.0, "c": 20.0, "d": 30.0})
    after = pd.Series({"a": 1.0, "b": 3.0, "c": 2.0, "d": 4.0, "e": 50.0})
    c = cm.compare_periods(before, after)
    expected = pd.DataFrame(
        [[0, 2, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0], [1, 0, 0, 0]],
        index=pd.Index(["A", "B", "C", "none"], name="before"),
        columns=pd.Index(["A", "B", "C", "none"], name="after"))
    pd.testing.assert_frame_equal(c.migration, expected, check_dtype=False)
    assert c.entered_a == ["e"] and c.left_a == ["b", "c", "d"]
    assert c.spearman == pytest.approx(3 / np.sqrt(10), rel=1e-14)
    assert c.spearman_defined and c.spearman_n == 4
    assert c.before.entities.index.tolist() == ["d", "b", "c", "a"]
    assert c.before.not_ranked_entities.index.tolist() == ["e"]
    assert c.after.entities["abc"].tolist() == ["A", "B", "B", "C", "C"]
    assert c.changes_defined
    assert c.entities_for_80pct_change == pytest.approx(0.2 - 0.75)
    assert c.gini_change == pytest.approx(c.after.gini - c.before.gini)
    assert c.top20_share_change == pytest.approx(c.after.top20_share - c.before.top20_share)
    # The same periods as transaction rows.
    rows_b = pd.DataFrame({"k": ["a", "b", "c", "d", "d"], "v": [10.0, 20, 20, 10, 20]})
    rows_a = pd.DataFrame({"k": ["a", "b", "c", "d", "e"], "v": [1.0, 3, 2, 4, 50]})
    r = cm.compare_periods(rows_b, rows_a, by="k", value="v")
    pd.testing.assert_frame_equal(r.migration, c.migration)
    assert r.spearman == c.spearman and r.before.entities.index.name == "k"


# --------------------------------------------------------------------------------------------
# Side by side with pandas, numpy and scipy


@pytest.fixture(scope="module")
def log():
    rng = np.random.default_rng(20240601)
    n = 300_000
    customer = rng.integers(0, 40_000, n)
    # Whole amounts: totals are exact whatever the order of summation, so pandas and the core
    # agree to the bit, and many customers tie (the ties must come out by key).
    amount = rng.integers(-30, 200, n).astype(float)
    return pd.DataFrame({"customer": customer, "amount": amount})


def _pandas_pareto(totals: pd.Series) -> pd.DataFrame:
    """Ranking by pandas: positive totals, value descending, ties by key (stable sort)."""
    pos = totals[totals > 0].sort_index().sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"value": pos, "cum_share": pos.cumsum() / pos.sum()})


@pytest.mark.parametrize("keys", ["int", "str"])
def test_rows_equal_groupby_then_series(log, keys):
    df = log if keys == "int" else log.assign(customer="c" + log["customer"].astype(str))
    fused = cm.pareto(df, by="customer", value="amount", threads=2)
    totals = df.groupby("customer")["amount"].sum()
    series = cm.pareto(totals)
    pd.testing.assert_frame_equal(fused.entities, series.entities)
    pd.testing.assert_frame_equal(fused.not_ranked_entities, series.not_ranked_entities)
    assert fused == series  # every headline figure
    theirs = _pandas_pareto(totals)
    assert fused.entities.index.equals(theirs.index)
    np.testing.assert_array_equal(fused.entities["value"], theirs["value"])
    np.testing.assert_allclose(fused.entities["cum_share"], theirs["cum_share"], rtol=1e-12)
    assert fused.not_ranked == (totals <= 0).sum()


def test_polars_equals_pandas(log):
    pl = pytest.importorskip("polars")
    small = log.iloc[:20_000]
    ours = cm.pareto(pl.from_pandas(small), by="customer", value="amount")
    theirs = cm.pareto(small, by="customer", value="amount")
    pd.testing.assert_frame_equal(ours.entities, theirs.entities)
    assert ours == theirs
    # A polars Series of values per entity is keyed by position, like a numpy array.
    values = small["amount"].to_numpy()[:500]
    assert cm.pareto(pl.Series(values)) == cm.pareto(values)


def test_curve_and_gini_against_numpy_and_pandas():
    rng = np.random.default_rng(7)
    v = rng.lognormal(3.0, 1.5, 100_000)
    r = cm.pareto(pd.Series(v))
    ranked = pd.Series(v).sort_values(ascending=False, kind="stable")
    np.testing.assert_array_equal(r.entities.index, ranked.index)
    np.testing.assert_allclose(r.entities["cum_share"], ranked.cumsum() / ranked.sum(),
                               rtol=1e-12)
    # Properties: cum_share never decreases and ends exactly at 1.
    cum = r.entities["cum_share"].to_numpy()
    assert (np.diff(cum) >= 0).all() and cum[-1] == 1.0
    # Gini by the textbook formula on the ascending values.
    x = np.sort(v)
    n = len(x)
    g = 2 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n
    assert r.gini == pytest.approx(g, rel=1e-10)
    assert r.gini_small_sample == pytest.approx(g * n / (n - 1), rel=1e-10)
    assert cm.gini(v).gini == pytest.approx(g, rel=1e-10)
    # The headline figures against pandas: the top 20% and the entities making 80%.
    k = int(np.ceil(0.2 * n))
    assert r.top20_share == pytest.approx(ranked.iloc[:k].sum() / ranked.sum(), rel=1e-12)
    k80 = int(np.searchsorted(cum, 0.8)) + 1  # first k with cum_share >= .8
    assert r.entities_for_80pct == k80 / n
    # Lorenz points: the share held by the i smallest, at the points returned.
    lz = r.lorenz(max_points=101)
    i = np.rint(lz["entity_share"].to_numpy() * n).astype(int)
    held = np.concatenate([[0.0], np.cumsum(x)])[i] / x.sum()
    np.testing.assert_allclose(lz["value_share"], held, atol=1e-12)
    assert len(lz) == 101


def test_gini_rsv_against_pairwise_sum():
    # Raffinetti-Siletti-Vernizzi: sum_i sum_j |x_i - x_j| / (2 n sum |x|), with negatives.
    rng = np.random.default_rng(3)
    v = rng.normal(1.0, 3.0, 400)
    rsv = np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) * np.abs(v).sum())
    g = cm.gini(v)
    assert g.gini_rsv == pytest.approx(rsv, rel=1e-12)
    assert 0.0 <= g.gini_rsv <= (len(v) - 1) / len(v)


def test_spearman_against_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(11)
    n = 3_000
    before = pd.Series(rng.integers(0, 50, n).astype(float), index=rng.permutation(n))
    after = pd.Series(before.to_numpy() + rng.integers(-20, 20, n), index=before.index)
    c = cm.compare_periods(before, after)
    both = (before > 0) & (after > 0)
    rho = stats.spearmanr(before[both], after[both]).correlation
    assert c.spearman_n == both.sum()
    assert c.spearman == pytest.approx(rho, rel=1e-12)


def test_migration_against_pandas_crosstab():
    rng = np.random.default_rng(5)
    keys = [f"k{i}" for i in range(500)]
    before = pd.Series(rng.lognormal(2, 1, 500), index=keys).iloc[:450]  # 50 new after
    after = pd.Series(rng.lognormal(2, 1, 480), index=keys[20:])  # 20 gone
    c = cm.compare_periods(before, after, rule="including")
    union = before.index.union(after.index)
    cls_b = c.before.entities["abc"].astype(str).reindex(union, fill_value="none")
    cls_a = c.after.entities["abc"].astype(str).reindex(union, fill_value="none")
    labels = ["A", "B", "C", "none"]
    theirs = pd.crosstab(cls_b, cls_a).reindex(index=labels, columns=labels, fill_value=0)
    np.testing.assert_array_equal(c.migration.to_numpy(), theirs.to_numpy())
    assert c.migration.loc["none"].sum() == 50 and c.migration["none"].sum() == 20
    assert c.entered_a == sorted(union[(cls_a == "A") & (cls_b != "A")].tolist())
    assert c.left_a == sorted(union[(cls_b == "A") & (cls_a != "A")].tolist())


# --------------------------------------------------------------------------------------------
# Bad input


def test_bad_input():
    with pytest.raises(ValueError, match=r"data: entity 'b': value is nan"):
        cm.pareto(pd.Series({"a": 1.0, "b": np.nan}))
    with pytest.raises(ValueError, match=r"data: entity 'b': value is nan"):
        cm.pareto(pd.Series({"a": 1, "b": None}, dtype="Int64"))
    with pytest.raises(ValueError, match=r"data: entity 1: value is inf"):
        cm.pareto([1.0, np.inf])
    with pytest.raises(ValueError, match=r"amount: row 2 \(customer 7\): value is nan"):
        cm.pareto({"customer": [5, 7, 7], "amount": [1.0, 2.0, np.nan]},
                  by="customer", value="amount")
    # Finite rows whose total overflows: the key is named (10^308 + 10^308 is inf).
    with pytest.raises(ValueError, match=r"^amount: customer 7: total is inf \(the sum of its "
                                         r"values overflows\)$"):
        cm.pareto({"customer": [5, 7, 7], "amount": [1.0, 1e308, 1e308]},
                  by="customer", value="amount")
    with pytest.raises(ValueError, match=r"amount: row 1 \(customer 'x'\): value is -inf"):
        cm.whale_curve({"customer": ["y", "x"], "amount": [1.0, -np.inf]},
                       by="customer", value="amount")
    with pytest.raises(ValueError, match=r"before: entity 'q': value is nan"):
        cm.compare_periods({"q": np.nan}, {"q": 1.0})
    with pytest.raises(ValueError, match=r"^b: .*got 0\.8"):
        cm.pareto([1.0], a=0.9, b=0.8)
    with pytest.raises(ValueError, match=r"^a: .*got 1\.2"):
        cm.pareto([1.0], a=1.2)
    with pytest.raises(ValueError, match=r"^b: "):
        cm.compare_periods([1.0], [1.0], b=1.5)
    with pytest.raises(ValueError, match=r"rule: expected 'before' or 'including', got 'after'"):
        cm.pareto([1.0], rule="after")
    with pytest.raises(ValueError, match=r"nonpositive: expected 'separate' or 'include'"):
        cm.pareto([1.0], nonpositive="drop")
    df = pd.DataFrame({"customer": [1, 2], "amount": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"by: column 'nope' not found"):
        cm.pareto(df, by="nope", value="amount")
    with pytest.raises(ValueError, match=r"value: column 'revenue' not found"):
        cm.pareto(df, by="customer", value="revenue")
    with pytest.raises(ValueError, match=r"value: column 'revenue' not found"):
        cm.pareto(df, value="revenue")
    with pytest.raises(ValueError, match=r"value: a value column is required with by="):
        cm.pareto(df, by="customer")
    with pytest.raises(ValueError, match=r"data: got a DataFrame; pass by="):
        cm.pareto(df)
    with pytest.raises(ValueError, match=r"data: entity 'a' appears more than once"):
        cm.pareto(pd.Series([1.0, 2.0], index=["a", "a"]))
    with pytest.raises(TypeError, match=r"data: expected numbers"):
        cm.pareto(["x", "y"])
    with pytest.raises(ValueError, match=r"expected one value per entity \(1-D\)"):
        cm.pareto(np.ones((2, 2)))
    r = cm.pareto([3.0, 1.0])
    with pytest.raises(ValueError, match=r"fraction: must be in \[0, 1\], got 1.5"):
        r.top_share(1.5)
    with pytest.raises(ValueError, match=r"share: must be in \[0, 1\], got -0.1"):
        r.entities_for_share(-0.1)
    with pytest.raises(ValueError, match=r"max_points: must be a positive integer"):
        r.curve(max_points=0)


def test_results_are_read_only():
    import dataclasses

    r = cm.pareto([3.0, 1.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.n = 5
    r.entities.loc[0, "value"] = 100.0  # the DataFrame is the caller's own copy ...
    assert r.top_share(0.5) == 0.75 and r.curve()["cum_share"].tolist() == [0.0, 0.75, 1.0]
    assert "_core" not in repr(r) and "gini=0.25" in repr(r)  # (3 - 1) / (2 * 4)


# --------------------------------------------------------------------------------------------
# Plots


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def test_pareto_chart(plt):
    from matplotlib.colors import to_hex

    r = cm.pareto({"a": 50.0, "b": 30.0, "c": 15.0, "d": 5.0, "e": 0.0})
    ax = cm.plot.pareto_chart(r)
    bars = ax.patches
    assert len(bars) == 4  # the not-ranked "e" has no bar
    assert [b.get_height() for b in bars] == [50.0, 30.0, 15.0, 5.0]
    # Coloured by class: A A B C.
    colors = [to_hex(b.get_facecolor()) for b in bars]
    assert colors[0] == colors[1] != colors[2] != colors[3]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c", "d"]
    right = ax.right_ax
    cum, eighty, k80 = right.lines
    assert cum.get_xdata().tolist() == [1, 2, 3, 4]
    assert cum.get_ydata().tolist() == [0.5, 0.8, 0.95, 1.0]
    assert list(eighty.get_ydata()) == [0.8, 0.8]
    assert list(k80.get_xdata()) == [2, 2]  # 80% is reached at rank 2
    # The top 2 and the others (c and d: 15 + 5) in one bar: the line ends at 100% (issue
    # #17: it used to stop at the top 2's share).
    ax = cm.plot.pareto_chart(r, top=2)
    assert [b.get_height() for b in ax.patches] == [50.0, 30.0, 20.0]
    assert ax.get_xlabel() == "entities by rank (top 2 of 4, then the others)"
    assert ax.right_ax.lines[0].get_ydata().tolist() == [0.5, 0.8, 1.0]
    # Many entities: the top 50 by default, their values as bar heights, then the others.
    big = cm.pareto(np.arange(1.0, 1001.0))
    ax = big.plot()
    assert len(ax.patches) == 51 and ax.patches[0].get_height() == 1000.0
    assert ax.right_ax.lines[0].get_ydata()[-1] == 1.0
    with pytest.raises(ValueError, match="pareto_chart: nothing to draw: no entities"):
        cm.plot.pareto_chart(cm.pareto([]))


def test_lorenz_and_whale_plots(plt):
    r = cm.pareto([50.0, 30.0, 15.0, 5.0])
    ax = r.plot("lorenz")
    curve, equality = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), [0.0, 0.05, 0.2, 0.5, 1.0], atol=1e-15)
    assert list(equality.get_xdata()) == [0.0, 1.0] and list(equality.get_ydata()) == [0, 1]
    assert ax.get_legend().get_texts()[0].get_text() == "Lorenz curve (Gini 0.375)"
    with pytest.raises(ValueError, match="kind: expected 'pareto' or 'lorenz'"):
        r.plot("pie")

    w = cm.whale_curve([30.0, 10.0, -20.0, 0.0])
    ax = w.plot()
    line, hundred, peak = ax.lines
    assert line.get_ydata().tolist() == [0.0, 1.5, 2.0, 2.0, 1.0]
    assert list(hundred.get_ydata()) == [1.0, 1.0]
    assert list(peak.get_xdata()) == [0.5] and list(peak.get_ydata()) == [2.0]
    with pytest.raises(ValueError, match="total profit is -4"):
        cm.plot.whale_curve_plot(cm.whale_curve([-5.0, 1.0]))


def test_migration_heatmap(plt):
    c = cm.compare_periods(pd.Series({"a": 10.0, "b": 20.0, "c": 20.0, "d": 30.0}),
                           pd.Series({"a": 1.0, "b": 3.0, "c": 2.0, "d": 4.0, "e": 50.0}))
    fig, ax = plt.subplots()
    assert c.plot(ax=ax) is ax
    np.testing.assert_array_equal(ax.images[0].get_array(), c.migration.to_numpy())
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 16 and texts[1] == "2" and texts[12] == "1"  # A->B and none->A
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C", "none"]


def test_plots_without_matplotlib(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'custometrics\[plot\]'"):
        cm.pareto([1.0, 2.0]).plot()


def test_block_cache_limit():
    # The core keeps freed large blocks (column.hpp): a 10^6-customer pareto leaves some, a
    # limit of 0 gives them back and keeps none, and the limit is restored after. The Python
    # package starts with the cache off (memory.py).
    import custometrics as cm

    assert cm.block_cache_size() == 0 or os.environ.get("CUSTOMETRICS_BLOCK_CACHE_BYTES")

    rng = np.random.default_rng(3)
    keys = rng.integers(0, 1_000_000, 3_000_000)
    values = rng.random(3_000_000)
    cm.set_block_cache_limit(256 * 2**20)
    try:
        cm.pareto({"c": keys, "v": values}, by="c", value="v")
        assert cm.block_cache_size() > 0
        cm.set_block_cache_limit(0)
        assert cm.block_cache_size() == 0
        cm.pareto({"c": keys, "v": values}, by="c", value="v")
        assert cm.block_cache_size() == 0
    finally:
        cm.set_block_cache_limit(0)
    with pytest.raises(ValueError, match=r"nbytes: must be >= 0, got -1"):
        cm.set_block_cache_limit(-1)
