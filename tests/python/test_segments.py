"""custometrics.segmentation and its plots: RFM scores against pandas' qcut on CDNOW, k-means
against scikit-learn's KMeans from the same initial centres, AHP on Saaty's published matrix,
profiles and attractiveness worked by hand, and bad input."""

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from custometrics import segmentation as seg

# --------------------------------------------------------------------------------------------
# CDNOW RFM values, as the common pandas recipe makes them


@pytest.fixture(scope="module")
def cdnow_rfm():
    from lifetimes_reference import load_cdnow_master

    tx = load_cdnow_master()
    snapshot = tx["date"].max() + pd.Timedelta(days=1)
    g = tx.groupby("customer_id")
    values = pd.DataFrame({
        "recency": (snapshot - g["date"].max()).dt.days.astype(np.float64),
        "frequency": g.size().astype(np.float64),
        "monetary": g["amount"].sum(),
    }).sort_index()
    assert len(values) == 23570
    return values


def pandas_scores(x, bins, reverse=False):
    """The pandas recipe: qcut of the first-method ranks; recency reversed."""
    b = pd.qcut(x.rank(method="first"), bins, labels=False).to_numpy() + 1
    return bins + 1 - b if reverse else b


@pytest.mark.parametrize("bins", [5, 4, 10])
def test_rfm_first_equals_pandas_qcut_on_cdnow(cdnow_rfm, bins):
    m = None
    if bins != 5:  # the default map is for 5 bins: one rule covering everything
        m = [("all", 1, bins, 1, bins, 1, bins)]
    r = cm.rfm(cdnow_rfm, bins=bins, ties="first", segment_map=m)
    assert r.index.equals(cdnow_rfm.index)
    np.testing.assert_array_equal(r["r_score"], pandas_scores(cdnow_rfm["recency"], bins, True))
    np.testing.assert_array_equal(r["f_score"], pandas_scores(cdnow_rfm["frequency"], bins))
    np.testing.assert_array_equal(r["m_score"], pandas_scores(cdnow_rfm["monetary"], bins))


def test_rfm_grouped_never_splits_ties_on_cdnow(cdnow_rfm):
    r = cm.rfm(cdnow_rfm)
    first = cm.rfm(cdnow_rfm, ties="first")
    for dim, score in (("recency", "r_score"), ("frequency", "f_score"), ("monetary", "m_score")):
        per_value = r.groupby(dim)[score].nunique()
        assert (per_value == 1).all(), dim
        # Values held by one customer get the score of the `first` method.
        once = cdnow_rfm[dim].map(cdnow_rfm[dim].value_counts()) == 1
        np.testing.assert_array_equal(r.loc[once, score], first.loc[once, score])
    # Frequency: 51% of CDNOW customers bought once, so score 1 takes them all and the next
    # scores are empty or small: reported as warnings.
    assert any("frequency: score" in w for w in r.attrs["warnings"])
    counts = r["segment"].value_counts()
    assert counts.sum() == len(cdnow_rfm)
    assert r.attrs["segment_count"]["Champions"] == counts["Champions"]


def test_rfm_worked_example():
    # The example of rfm.hpp: n = 3, positions 0, 1, 2 get bins 0, 2, 4.
    r = cm.rfm(recency=np.array([1.0, 30, 5]), frequency=[4, 1, 2], monetary=[120.0, 15, 40])
    assert r["r_score"].tolist() == [5, 1, 3]
    assert r["cell"].tolist() == [555, 111, 333]
    assert r["segment"].tolist() == ["Champions", "Lost", "Loyal Customers"]
    assert list(r["segment"].cat.categories)[-1] == "Unclassified"
    # Frequencies 1 x 6, 2 x 2, 3, 4 (rfm.hpp): grouped scores 1 x 6, 4 x 2, 5, 5.
    f = [1, 1, 1, 1, 1, 1, 2, 2, 3, 4]
    g = cm.rfm(recency=range(10), frequency=f, monetary=range(10),
               segment_map=[("all", 1, 5, 1, 5, 1, 5)])
    assert g["f_score"].tolist() == [1] * 6 + [4, 4, 5, 5]


def test_rfm_combined_fm_on_cdnow(cdnow_rfm):
    sep = cm.rfm(cdnow_rfm)
    comb = cm.rfm(cdnow_rfm, fm="combined")
    assert (comb["cell"] == sep["cell"]).all()
    assert comb.attrs["segment_count"]["Unclassified"] == 0
    # The combined segment is the separate segment of the cell (r, fm, fm), fm = ceil((f+m)/2).
    fm = (comb["f_score"] + comb["m_score"] + 1) // 2
    # First match in the rule table, written out here independently of the core's lookup.
    rules = list(cm.default_segment_map().itertuples(index=False))
    lookup = {}
    for r in range(1, 6):
        for x in range(1, 6):
            lookup[(r, x)] = next((s for s, r0, r1, f0, f1, m0, m1 in rules
                                   if r0 <= r <= r1 and f0 <= x <= f1 and m0 <= x <= m1),
                                  "Unclassified")
    want = [lookup[(r, x)] for r, x in zip(comb["r_score"], fm)]
    assert comb["segment"].tolist() == want
    with pytest.raises(ValueError, match="fm"):
        cm.rfm(cdnow_rfm, fm="mean")


def test_rfm_from_polars_and_pandas_columns():
    pl = pytest.importorskip("polars")
    d = pl.DataFrame({"r": [1.0, 30, 5], "f": [4, 1, 2], "m": [120.0, 15, 40]})
    r = cm.rfm(d, recency="r", frequency="f", monetary="m")
    assert r["cell"].tolist() == [555, 111, 333]


def test_segment_map_check():
    rep = cm.check_segment_map(cm.default_segment_map())
    assert rep["uncovered_count"] == 32 and rep["shadowed"] == []
    # "b" (R 1-2) overlaps "a" (R 2) in (2, f, m); "c" lies wholly inside "a": shadowed.
    rep = cm.check_segment_map([("a", 2, 2, 1, 2, 1, 2), ("b", 1, 2, 1, 2, 1, 2),
                                ("c", 2, 2, 1, 1, 1, 1)], bins=2)
    assert rep["shadowed"] == [2] and rep["uncovered_count"] == 0
    assert rep["cells_won"] == [4, 4, 0]


# --------------------------------------------------------------------------------------------
# k-means against scikit-learn


def test_kmeans_equals_sklearn_from_the_same_centres(cdnow_rfm):
    sklearn_cluster = pytest.importorskip("sklearn.cluster")
    x = np.log1p(cdnow_rfm.to_numpy())
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    init = x[[0, 100, 1000, 5000, 20000]]
    ours = cm.kmeans(x, init=init, max_iter=300, tol=1e-4)
    theirs = sklearn_cluster.KMeans(n_clusters=5, init=init, n_init=1, max_iter=300, tol=1e-4,
                                    algorithm="lloyd").fit(x)
    np.testing.assert_array_equal(ours.labels, theirs.labels_)
    np.testing.assert_allclose(ours.centres, theirs.cluster_centers_, rtol=1e-9, atol=1e-12)
    assert ours.inertia == pytest.approx(theirs.inertia_, rel=1e-10)
    assert ours.converged
    # scikit-learn counts the pass that finds no change in the labels as an iteration too.
    assert abs(ours.iterations - theirs.n_iter_) <= 1


def test_kmeans_scaling_and_worked_example():
    # clustering.hpp: updates (0, 7), (1, 26/3), (2, 11); inertia 4 + 0 + 4 + 1 + 1 = 10.
    r = cm.kmeans(np.array([[0.0], [2], [4], [10], [12]]), init=[[0.0], [2]])
    assert r.labels.tolist() == [0, 0, 0, 1, 1]
    assert r.centres[:, 0].tolist() == [2.0, 11.0]
    assert r.inertia == 10.0 and r.iterations == 3 and r.sizes == [3, 2]
    # log_standardize: frequency 0, 1, 3, 7 -> (-1.5, -0.5, 0.5, 1.5) / sqrt(1.25); centres
    # read back in the data's units.
    f = pd.DataFrame({"frequency": [0.0, 1, 3, 7]})
    k = cm.kmeans(f, init=[[-1.0 / np.sqrt(1.25)], [1.0 / np.sqrt(1.25)]],
                  scaling="log_standardize")
    assert k.labels.tolist() == [0, 0, 1, 1]
    # Centre 0 = mean of the scaled -1.5, -0.5 = -1 / sqrt(1.25): log1p = 0.5 ln 2 -> sqrt 2 - 1.
    assert k.centres_data["frequency"].tolist() == pytest.approx([np.sqrt(2) - 1,
                                                                  np.sqrt(32) - 1])


def test_kmeans_deterministic_for_a_seed_and_select_k():
    rng = np.random.default_rng(5)
    x = np.vstack([rng.normal(c, 0.3, size=(60, 2)) for c in (0, 4, 8)])
    a = cm.kmeans(x, 3, seed=7)
    b = cm.kmeans(x, 3, seed=7, threads=1)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert a.inertia == b.inertia and sorted(a.sizes) == [60, 60, 60]
    k, best, table = cm.select_k(x, 2, 5, seed=1)
    assert k == 3 and table["k"].tolist() == [2, 3, 4, 5]
    assert table.loc[table["k"] == 3, "silhouette"].item() == table["silhouette"].max()
    assert cm.silhouette(x, best.labels) == pytest.approx(table["silhouette"].max())


def test_silhouette_worked_example():
    # clustering.hpp: points 0, 1, 5, 6 in {0, 1} and {5, 6}: mean 79/99.
    assert cm.silhouette([[0.0], [1], [5], [6]], [0, 0, 1, 1]) == pytest.approx(79 / 99)


# --------------------------------------------------------------------------------------------
# Profiles


def test_segment_profiles_by_hand():
    # segments.hpp's example, profit 20, -5, 10, 1, 2 (total 28), four names (the last empty).
    p = cm.segment_profiles([0, 1, 0, 2, 1], recency=[1, 30, 3, 90, 20],
                            frequency=[5, 1, 3, 1, 2], monetary=[50, 10, 30, 5, 15],
                            profit=[20, -5, 10, 1, 2], names=["a", "b", "c", "d"])
    assert p.index.tolist() == ["a", "b", "c", "d"]
    assert p["customers"].tolist() == [2, 2, 1, 0]
    assert p["revenue"].tolist() == [80.0, 25.0, 5.0, 0.0]
    assert p.loc["a", "revenue_share"] == pytest.approx(80 / 110)
    assert p.loc["b", "profit_share"] == pytest.approx(-3 / 28)
    assert p.loc["a", "mean_monetary"] == 40 and p.loc["b", "mean_frequency"] == 1.5
    assert p["repeat_rate"].tolist()[:3] == [1.0, 0.5, 0.0]  # frequencies (5, 3), (1, 2), (1)
    assert p.loc["a", "margin"] == pytest.approx(30 / 80)
    assert p.loc["d", "margin"] is pd.NA  # no revenue
    assert p.loc["d", "mean_recency"] is pd.NA
    assert str(p["mean_recency"].dtype) == "Float64"


def test_segment_profiles_of_rfm_segments():
    r = cm.rfm(recency=[1.0, 30, 5], frequency=[4, 1, 2], monetary=[120.0, 15, 40])
    p = cm.segment_profiles(r["segment"], r)
    assert p.loc["Champions", "customers"] == 1
    assert p.loc["Champions", "revenue_share"] == pytest.approx(120 / 175)
    assert p.loc["Promising", "customers"] == 0
    assert p.index[-1] == "Unclassified"


def test_segment_profiles_bad_input():
    with pytest.raises(ValueError, match="revenue: customer 1: value is nan"):
        cm.segment_profiles([0, 1], recency=[1, 2], frequency=[1, 1], monetary=[1, 1],
                            revenue=[1, np.nan])
    with pytest.raises(ValueError, match="labels: customer 1: label 2 is not below the 2"):
        cm.segment_profiles([0, 2], recency=[1, 2], frequency=[1, 1], monetary=[1, 1],
                            names=["x", "y"])
    with pytest.raises(ValueError, match="negative"):
        cm.segment_profiles([0, -1], recency=[1, 2], frequency=[1, 1], monetary=[1, 1])
    with pytest.raises(TypeError, match="labels"):
        cm.segment_profiles([0.5, 1], recency=[1, 2], frequency=[1, 1], monetary=[1, 1])


# --------------------------------------------------------------------------------------------
# Attractiveness


def drinks():
    # Saaty (2008), Int. J. Services Sciences 1(1), Table 3 (as in test_attractiveness.cpp).
    return np.array([
        [1, 9, 5, 2, 1, 1, 0.5],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ])


def test_ahp_on_saatys_drinks_matrix():
    names = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
    r = cm.ahp_weights(drinks(), names)
    # Saaty (2008): 0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327; CR 0.022.
    np.testing.assert_allclose(r.weights.to_numpy(),
                               [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], atol=0.0015)
    assert r.weights.index.tolist() == names
    assert r.consistency_ratio == pytest.approx(0.022, abs=0.001)
    # numpy's eigen-decomposition, independently.
    vals, vecs = np.linalg.eig(drinks())
    v = np.abs(vecs[:, np.argmax(vals.real)].real)
    np.testing.assert_allclose(r.weights.to_numpy(), v / v.sum(), rtol=1e-9)
    assert r.lambda_max == pytest.approx(vals.real.max(), rel=1e-12)


def test_ahp_inconsistent():
    bad = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(ValueError, match="consistency ratio"):
        cm.ahp_weights(bad)
    r = cm.ahp_weights(bad, accept_inconsistent=True)
    assert not r.consistent and r.consistency_ratio > 0.1
    with pytest.raises(ValueError, match="pairwise"):
        cm.ahp_weights([[1, 2], [2, 1]])  # not reciprocal


def criteria():
    return pd.DataFrame({"size": [1200, 800, 300], "growth": [0.10, 0.25, 0.05],
                         "competition": [5, 2, 1]}, index=["A", "B", "C"])


def test_attractiveness_scores_matrix_and_sensitivity():
    strength = pd.DataFrame({"share": [0.9, 0.2, 0.7]}, index=["A", "B", "C"])
    t = cm.attractiveness(criteria(), directions={"competition": "less"},
                          weights={"size": 2, "growth": 1, "competition": 1}, strength=strength)
    # attractiveness.hpp: 0.5625, 0.25 * 5/9 + 0.25 + 0.1875, 0.25; strength 1, 0, 5/7.
    assert t["score"].tolist() == pytest.approx([0.5625, 0.5 * 5 / 9 + 0.4375, 0.25])
    assert t["rank"].tolist() == [2, 1, 3]
    assert t["cell"].tolist() == ["medium/high", "high/low", "low/high"]
    assert t["zone"].tolist() == ["invest/grow", "selective", "selective"]
    assert t.attrs["weights"] == {"size": 0.5, "growth": 0.25, "competition": 0.25}
    s = t.attrs["sensitivity"].set_index("criterion")
    # Size 0.5 -> A overtakes B at 0.75 / (0.875 + 0.875 - 5/9) (see tests/cli_test.sh).
    assert s.loc["size", "up"] == pytest.approx(0.75 / (1.75 - 5 / 9))
    assert s.loc["size", "new_top_up"] == "A" and s.loc["size", "down"] is pd.NA
    # Targets: rank 1 and 2, then their customers.
    chosen = t.index[t["score"] >= 0.5].tolist()
    assert cm.target_customers(["A", "C", "B", "A"], chosen).tolist() == [0, 2, 3]


def test_attractiveness_by_ahp():
    pw = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    t = cm.attractiveness(criteria(), directions=["more", "more", "less"], pairwise=pw)
    w = np.array(list(t.attrs["weights"].values()))
    # The textbook 3 x 3 example: 0.637, 0.258, 0.105, CR 0.033.
    np.testing.assert_allclose(w, [0.637, 0.258, 0.105], atol=0.0005)
    assert t.attrs["consistency_ratio"] == pytest.approx(0.033, abs=0.001)
    assert t["score"].tolist() == pytest.approx([w[0] + 0.25 * w[1],
                                                 5 / 9 * w[0] + w[1] + 0.75 * w[2], w[2]])


def test_attractiveness_bad_input():
    with pytest.raises(ValueError, match="weights: criterion \"growth\""):
        cm.attractiveness(criteria(), weights=[1, -1, 1])
    with pytest.raises(ValueError, match="directions: criterion \"size\""):
        cm.attractiveness(criteria(), directions="up")
    nan = criteria().astype(float)
    nan.iloc[1, 1] = np.nan
    with pytest.raises(ValueError, match="segment 1"):
        cm.attractiveness(nan)
    with pytest.raises(ValueError, match="weights and pairwise"):
        cm.attractiveness(criteria(), weights=[1, 1, 1], pairwise=np.eye(3))
    with pytest.raises(ValueError, match="strength"):
        cm.attractiveness(criteria(), strength=pd.DataFrame({"s": [1.0]}, index=["A"]))


# --------------------------------------------------------------------------------------------
# RFM and k-means bad input


def test_rfm_bad_input():
    with pytest.raises(ValueError, match="monetary: customer 1: value is nan"):
        cm.rfm(recency=[1, 2], frequency=[1, 1], monetary=[1, np.nan])
    with pytest.raises(ValueError, match="recency: customer 0"):
        cm.rfm(recency=[-1, 2], frequency=[1, 1], monetary=[1, 2])
    with pytest.raises(ValueError, match="differ in length"):
        cm.rfm(recency=[1, 2], frequency=[1], monetary=[1, 2])
    with pytest.raises(ValueError, match="bins"):
        cm.rfm(recency=[1, 2], frequency=[1, 1], monetary=[1, 2], bins=1)
    with pytest.raises(ValueError, match="ties"):
        cm.rfm(recency=[1, 2], frequency=[1, 1], monetary=[1, 2], ties="average")
    with pytest.raises(ValueError, match="rule"):
        cm.rfm(recency=[1, 2], frequency=[1, 1], monetary=[1, 2],
               segment_map=[("x", 0, 5, 1, 5, 1, 5)])
    empty = cm.rfm(recency=[], frequency=[], monetary=[])
    assert len(empty) == 0


def test_kmeans_bad_input():
    x = np.array([[0.0, 1], [1, np.nan], [2, 2]])
    with pytest.raises(ValueError, match="row 1"):
        cm.kmeans(x, 2)
    with pytest.raises(ValueError, match="k"):
        cm.kmeans(np.zeros((3, 2)), 4)
    with pytest.raises(ValueError, match="k: required"):
        cm.kmeans(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="log"):
        cm.kmeans(np.array([[-2.0], [1], [2]]), 2, scaling="log")
    with pytest.raises(ValueError, match="scaling: 1 methods for 2 features"):
        cm.kmeans(np.zeros((3, 2)), 2, scaling=["log"])


# --------------------------------------------------------------------------------------------
# Plots


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def test_rfm_heatmap(plt):
    # R 5 F 5 (120), R 5 F 5 (80), R 1 F 1 (15): mean monetary 100 and 15; counts 2 and 1.
    r = cm.rfm(recency=[1.0, 30, 1, 5], frequency=[4, 1, 4, 2], monetary=[120.0, 15, 80, 40])
    ax = cm.plot.rfm_heatmap(r)
    grid = ax.images[0].get_array()
    assert grid.shape == (5, 5)
    # Row 0 is R = 5; column 4 is F = 5. Customers 0 and 2 tie on recency 1 (grouped: R 5) and
    # frequency 4 (F 5 for both, the tie starts at position 2 -> bin ceil(10/3)-1 = 3: F 4).
    cells = {(5 - i, j + 1): grid[i, j] for i in range(5) for j in range(5) if not grid.mask[i, j]}
    expected = {}
    for rs, fs, m in zip(r["r_score"], r["f_score"], r["monetary"]):
        expected.setdefault((rs, fs), []).append(m)
    assert cells == {k: pytest.approx(np.mean(v)) for k, v in expected.items()}
    counts = cm.plot.rfm_heatmap(r, value="count").images[0].get_array()
    assert counts.sum() == 4 and counts.count() == len(expected)
    assert len(ax.texts) == len(expected)
    with pytest.raises(ValueError, match="value"):
        cm.plot.rfm_heatmap(r, value="mean")
    with pytest.raises(ValueError, match="r_score"):
        cm.plot.rfm_heatmap(pd.DataFrame({"x": [1]}))


def test_segment_matrix_chart(plt):
    strength = pd.DataFrame({"share": [0.9, 0.2, 0.7]}, index=["A", "B", "C"])
    t = cm.attractiveness(criteria(), directions={"competition": "less"},
                          weights={"size": 2, "growth": 1, "competition": 1}, strength=strength)
    fig, ax = plt.subplots()
    assert cm.plot.segment_matrix_chart(t, ax=ax, size={"A": 400.0, "B": 200, "C": 100}) is ax
    assert len(ax.patches) == 9
    # Zones by cell, low-low first, row by row: harvest, harvest, selective / harvest,
    # selective, invest / selective, invest, invest.
    from matplotlib.colors import to_hex

    zone = {cm.plot.OKABE_ITO["blue"].lower(): "invest",
            cm.plot.OKABE_ITO["yellow"].lower(): "selective",
            cm.plot.OKABE_ITO["vermillion"].lower(): "harvest"}  # no red/green (issue #17)
    assert [zone[to_hex(p.get_facecolor(), keep_alpha=False)] for p in ax.patches] == [
        "harvest", "harvest", "selective", "harvest", "selective", "invest",
        "selective", "invest", "invest"]
    bubbles = ax.collections[0]
    np.testing.assert_allclose(bubbles.get_offsets(),
                               np.column_stack([t["strength"], t["score"]]))
    np.testing.assert_allclose(bubbles.get_sizes(), [2000, 1000, 500])
    assert [a.get_text() for a in ax.texts] == ["A", "B", "C"]
    with pytest.raises(ValueError, match="strength"):
        cm.plot.segment_matrix_chart(cm.attractiveness(criteria()))
    with pytest.raises(ValueError, match="size"):
        cm.plot.segment_matrix_chart(t, size=[1.0, -1, 1])


def test_segment_profiles_with_retention_scores_and_loyalty_mix():
    # Segments a = {0, 2}, b = {1, 4}, c = {3}, d empty. Means by hand: p_alive a (0.9 + 0.7)/2
    # = 0.8, b (0.2 + 0.4)/2 = 0.3, c 0.5; loyalty mix a: loyal 1/2, advocate 1/2; b: switcher
    # 2/2; c: loyal 1/1.
    p = cm.segment_profiles([0, 1, 0, 2, 1], recency=[1, 30, 3, 90, 20],
                            frequency=[5, 1, 3, 1, 2], monetary=[50, 10, 30, 5, 15],
                            names=["a", "b", "c", "d"],
                            extra={"p_alive": [0.9, 0.2, 0.7, 0.5, 0.4]},
                            mix={"loyalty": ["loyal", "switcher", "advocate", "loyal",
                                             "switcher"]})
    assert p["mean_p_alive"].iloc[:3].tolist() == pytest.approx([0.8, 0.3, 0.5])
    assert p["mean_p_alive"].isna().tolist() == [False, False, False, True]
    assert p.loc["a", "loyalty:loyal"] == 0.5 and p.loc["a", "loyalty:advocate"] == 0.5
    assert p.loc["b", "loyalty:switcher"] == 1.0 and p.loc["b", "loyalty:loyal"] == 0.0
    assert p.loc["c", "loyalty:loyal"] == 1.0
    assert pd.isna(p.loc["d", "loyalty:loyal"])
    with pytest.raises(ValueError, match=r"extra\['clv'\]: customer 1: value is nan"):
        cm.segment_profiles([0, 1], recency=[1, 2], frequency=[1, 1], monetary=[1, 1],
                            extra={"clv": [1.0, np.nan]})
    with pytest.raises(ValueError, match=r"mix\['loyalty'\]: customer 0: label is missing"):
        cm.segment_profiles([0, 1], recency=[1, 2], frequency=[1, 1], monetary=[1, 1],
                            mix={"loyalty": [None, "loyal"]})
