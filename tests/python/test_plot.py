"""custometrics.plot: the numbers behind the charts (not pixels), their titles and labels, the
colour-blind-safe palette.
"""

import itertools

import numpy as np
import pandas as pd
import pytest

import custometrics as cm

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")


@pytest.fixture
def plt():
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


# --------------------------------------------------------------------------------------------
# Colour-vision deficiency: Machado, Oliveira & Fernandes (2009), "A physiologically-based
# model for simulation of color vision deficiency", IEEE TVCG 15(6), the severity-1.0
# matrices, applied in linear sRGB; pairs compared by CIE76 Delta E in CIELAB (D65).
CVD = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
MIN_DELTA_E = 15.0  # red #d62728 / green #2ca02c (the old P(alive)/tornado pair): 7.3


def _linear(color):
    from matplotlib.colors import to_rgb

    c = np.array(to_rgb(color))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(linear, 0.0, 1.0)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta_e(a, b, kind):
    return float(np.linalg.norm(_lab(CVD[kind] @ _linear(a)) - _lab(CVD[kind] @ _linear(b))))


def assert_colour_blind_safe(colors):
    """Every pair of distinct colours stays >= MIN_DELTA_E apart for protan and deutan
    viewers (so no red/green pair)."""
    from matplotlib.colors import to_hex

    distinct = sorted({to_hex(c, keep_alpha=False) for c in colors})
    for a, b in itertools.combinations(distinct, 2):
        for kind in CVD:
            assert _delta_e(a, b, kind) >= MIN_DELTA_E, (a, b, kind)


def test_the_check_catches_red_and_green():
    with pytest.raises(AssertionError):
        assert_colour_blind_safe(["#d62728", "#2ca02c"])  # matplotlib's red and green
    assert_colour_blind_safe(list(cm.plot.OKABE_ITO.values()))


def assert_titled(ax):
    assert ax.get_title(), "no title"
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    assert all(labels), labels
    assert "value" not in labels  # named after the measure (issue #17: the y axis said "value")


# --------------------------------------------------------------------------------------------
# The Pareto chart: the whole curve


def test_pareto_chart_aggregates_the_rest_and_reaches_100_percent(plt):
    # 1000 customers with values 1000, 999, ..., 1: 80% of the total 500,500 is 400,400;
    # the top k make k (2001 - k) / 2 >= 400,400 first at k = 554 (400,819; 553: 400,372).
    values = pd.Series(np.arange(1000.0, 0.0, -1.0), name="revenue",
                       index=pd.Index(np.arange(1000), name="customer"))
    r = cm.pareto(values)
    assert r.measure == "revenue"
    k80 = r._core.count_for_share(0.8)
    assert k80 == 554
    ax = cm.plot.pareto_chart(r)
    assert_titled(ax)
    assert ax.get_ylabel() == "revenue"
    assert ax.get_title() == "Pareto chart of revenue: 554 of 1,000 customers (55%) make 80%"
    bars = ax.patches
    assert len(bars) == 51  # the top 50 and one bar of the other 950
    assert [b.get_height() for b in bars[:3]] == [1000.0, 999.0, 998.0]
    assert bars[-1].get_height() == pytest.approx(sum(range(1, 951)))  # 451,725
    assert ax.get_xticklabels()[-1].get_text() == "others (950)"
    cum, eighty, crossing = ax.right_ax.lines
    y = cum.get_ydata()
    assert y[-1] == 1.0 and len(y) == 51
    assert y[49] == pytest.approx(sum(range(951, 1001)) / 500_500)  # the top 50: 9.75%
    assert list(eighty.get_ydata()) == [0.8, 0.8]
    # The 80% line crosses the cumulative line where the dotted line stands: between the top
    # 50 and the others bar, at 50 + (0.8 - y50) / (1 - y50).
    x80 = crossing.get_xdata()[0]
    assert x80 == pytest.approx(50 + (0.8 - y[49]) / (1 - y[49]))
    assert np.interp(x80, cum.get_xdata(), y) == pytest.approx(0.8)
    assert ax.right_ax.texts[0].get_text() == f"80% at rank {k80:,}"
    assert ax.right_ax.get_ylabel() == "cumulative share of the total revenue"


def test_pareto_chart_crossing_among_the_bars(plt):
    # 50, 30, 15, 5: 80% at rank 2 (50 + 30), drawn as its own bar.
    r = cm.pareto(pd.DataFrame({"shop": list("abcd"), "sales": [50.0, 30, 15, 5]}),
                  by="shop", value="sales")
    ax = cm.plot.pareto_chart(r, top=3)
    assert [b.get_height() for b in ax.patches] == [50.0, 30.0, 15.0, 5.0]  # 3 + others (d)
    cum, _, crossing = ax.right_ax.lines
    assert cum.get_ydata().tolist() == [0.5, 0.8, 0.95, 1.0]
    assert list(crossing.get_xdata()) == [r._core.count_for_share(0.8)] * 2 == [2, 2]
    assert ax.get_ylabel() == "sales" and ax.get_xlabel().startswith("shops by rank")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c", "others (1)"]
    # An unnamed measure is not called "value"; measure= names it.
    ax = cm.plot.pareto_chart(cm.pareto([3.0, 1.0]))
    assert ax.get_ylabel() == "amount"
    assert cm.plot.pareto_chart(cm.pareto([3.0, 1.0]), measure="profit").get_ylabel() == "profit"


def test_every_chart_has_a_title_and_named_axes(plt):
    r = cm.pareto(pd.Series([50.0, 30, 15, 5], name="revenue"))
    charts = [
        cm.plot.pareto_chart(r), cm.plot.lorenz_curve(r),
        cm.plot.whale_curve_plot(cm.whale_curve([30.0, 10.0, -20.0, 0.0])),
        cm.plot.migration_heatmap(cm.compare_periods({"a": 5.0, "b": 1.0},
                                                     {"a": 1.0, "b": 5.0})),
        cm.plot.break_even_chart({"fixed_costs": 40_000, "price": 50,
                                  "unit_variable_cost": 30}),
        cm.plot.tornado_chart(cm.tornado(fixed_costs=40_000, price=50, unit_variable_cost=30,
                                         sales_units=2_500)),
        cm.plot.rfm_heatmap(cm.rfm(recency=[1.0, 30, 5], frequency=[4, 1, 2],
                                   monetary=[120.0, 15, 40])),
    ]
    m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    charts.append(cm.plot.p_alive_matrix(m, 5, 20))
    charts.append(cm.plot.purchase_counts(
        m.expected_repeat_purchase_counts([0, 0, 1, 3], [38.0, 38.0, 38.0, 38.0], 3)))
    for ax in charts:
        assert_titled(ax)
    assert charts[1].get_ylabel() == "share of the total revenue"
    assert charts[1].get_title() == "Lorenz curve of revenue"


def test_palettes_are_colour_blind_safe(plt):
    from matplotlib.colors import to_hex

    # Tornado: lowered and raised inputs (were red and green).
    t = cm.tornado(fixed_costs=40_000, price=50, unit_variable_cost=30, sales_units=2_500)
    ax = cm.plot.tornado_chart(t)
    assert_colour_blind_safe([p.get_facecolor() for p in ax.patches])
    assert len({to_hex(p.get_facecolor()) for p in ax.patches}) == 2
    # Break-even: costs, revenue, loss and profit areas.
    ax = cm.plot.break_even_chart({"fixed_costs": 40_000, "price": 50, "unit_variable_cost": 30})
    assert_colour_blind_safe([ln.get_color() for ln in ax.lines[1:3]]
                             + [c.get_facecolor()[0][:3] for c in ax.collections])
    # Pareto classes A, B, C and the others bar; whale curve and its peak.
    r = cm.pareto(np.arange(100.0, 0.0, -1.0))
    assert_colour_blind_safe([p.get_facecolor() for p in cm.plot.pareto_chart(r, top=60).patches])
    ax = cm.plot.whale_curve_plot(cm.whale_curve([30.0, 10.0, -20.0, 0.0]))
    assert_colour_blind_safe([ax.lines[0].get_color(), ax.lines[2].get_color()])
    # Loyalty types and quadrants; the matrix zones (were green, amber, red).
    assert_colour_blind_safe([c for k, c in cm.plot._LOYALTY_COLORS.items()
                              if k in ("advocate", "loyal", "switcher", "mercenary",
                                       "hostage", "terrorist")])
    assert_colour_blind_safe(cm.plot._ZONE_COLORS.values())
    # P(alive): a sequential map whose ends stay apart for protan and deutan viewers (the
    # old RdYlGn's red and green ends do not: Delta E 7 for deuteranopia).
    m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    for ax in (cm.plot.p_alive_matrix(m, 5, 20),):
        cmap = ax.images[0].get_cmap()
        assert_colour_blind_safe([cmap(0.0), cmap(1.0)])
        lightness = [_lab(_linear(cmap(v)))[0] for v in np.linspace(0, 1, 11)]
        assert np.all(np.diff(lightness) > 0)  # readable in grey too


def test_segment_matrix_bubbles_are_not_clipped(plt):
    crit = pd.DataFrame({"size": [1200, 800, 300]}, index=["A", "B", "C"])
    strength = pd.DataFrame({"share": [0.9, 0.2, 0.7]}, index=["A", "B", "C"])
    t = cm.attractiveness(crit, strength=strength)  # A at (1, 1), C at strength 0.714, 0
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    cm.plot.segment_matrix_chart(t, ax=ax, size=[500.0, 300.0, 100.0])
    assert_titled(ax)
    bubbles = ax.collections[0]
    box = ax.get_window_extent()
    # Every bubble's disc (radius sqrt(s)/2 points) lies inside the axes, in pixels.
    for (x, y), s in zip(bubbles.get_offsets(), bubbles.get_sizes()):
        radius = np.sqrt(s) / 2 * fig.dpi / 72
        px, py = ax.transData.transform((x, y))
        assert box.x0 + radius <= px <= box.x1 - radius
        assert box.y0 + radius <= py <= box.y1 - radius
    assert ax.get_xlim()[0] < 0 < 1 < ax.get_xlim()[1]

