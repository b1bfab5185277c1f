"""Charts of the Pareto, break-even, segmentation, retention and loyalty analyses with
matplotlib (the optional extra ``plot``: ``pip install 'custometrics[plot]'``).

Each function draws on the Axes it is given (or on a new figure) and returns that Axes, so
charts can be combined, titled and saved as usual. matplotlib is imported only when a chart
is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Optional, Tuple

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the annotations only: the analyses import plot for their .plot() methods
    from .pareto_analysis import ParetoResult, PeriodComparison, WhaleResult
    from .retention import CalibrationCheck

# Colours of the ABC classes and of the reference lines.
_CLASS_COLORS = {0: "#1f77b4", 1: "#ff7f0e", 2: "#7f7f7f"}
_REFERENCE = "#555555"


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError(
            "custometrics plots need matplotlib: pip install 'custometrics[plot]' "
            "(or pip install matplotlib)"
        ) from e
    return plt


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots()
    return ax


def _percent(axis: Any) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0))


def _require_defined(result: Any, what: str) -> None:
    if not result.defined:
        raise ValueError(f"{what}: nothing to draw: {result.reason}")


def pareto_chart(result: ParetoResult, ax: Any = None, top: Optional[int] = None) -> Any:
    """Pareto chart: bars of value by rank, coloured by ABC class, and the cumulative share
    as a line on a twin axis with the 80% marker.

    Parameters
    ----------
    result : ParetoResult
        From :func:`custometrics.pareto`.
    ax : matplotlib.axes.Axes, optional
        Where to draw the bars; default a new figure.
    top : int, optional
        Number of top-ranked entities drawn; default all of them up to 50 (the x label then
        says "top 50 of n"). With 20 or fewer, the bars are labelled with the entity keys.

    Returns
    -------
    matplotlib.axes.Axes
        The bars' Axes; the twin Axes of the cumulative line is its ``right_ax`` attribute
        (as pandas names it for ``secondary_y``). The line holds the cumulative share at ranks
        1..top; a dashed horizontal line marks 80% and a dotted vertical line the rank where
        80% is reached (when it is among those drawn).

    Raises
    ------
    ValueError
        When the analysis is not defined, or ``top`` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> from custometrics.plot import pareto_chart
    >>> ax = pareto_chart(cm.pareto([50.0, 30.0, 15.0, 5.0]))
    >>> len(ax.patches), ax.right_ax.lines[0].get_ydata().tolist()
    (4, [0.5, 0.8, 0.95, 1.0])
    """
    _require_defined(result, "pareto_chart")
    n = result.n
    if top is not None and top < 1:
        raise ValueError(f"top: must be at least 1, got {top!r}")
    k = min(n, 50 if top is None else int(top))
    core = result._core
    values = core.value[:k]
    cum = core.cum_share[:k]
    x = np.arange(1, k + 1)
    ax = _axes(ax)
    ax.bar(x, values, color=[_CLASS_COLORS[c] for c in core.abc[:k]], width=0.8)
    ax.set_ylabel("value")
    ax.set_xlabel("rank" if k == n else f"rank (top {k} of {n})")
    if k <= 20:
        ax.set_xticks(x)
        ax.set_xticklabels([str(key) for key in result._keys[:k]], rotation=45, ha="right")
    right = ax.twinx()
    right.plot(x, cum, color="black", marker="o" if k <= 50 else None, markersize=3,
               label="cumulative share")
    right.axhline(0.8, color=_REFERENCE, linestyle="--", linewidth=1, label="80%")
    k80 = core.count_for_share(0.8)
    if 1 <= k80 <= k:
        right.axvline(k80, color=_REFERENCE, linestyle=":", linewidth=1)
    right.set_ylim(0.0, max(1.05, float(cum.max()) * 1.05))
    right.set_ylabel("cumulative share of the total")
    _percent(right.yaxis)
    from matplotlib.patches import Patch

    handles = [Patch(color=_CLASS_COLORS[i], label=c) for i, c in enumerate("ABC")]
    handles += right.get_lines()[:2]
    right.legend(handles=handles, loc="center right")
    ax.right_ax = right
    return ax


def lorenz_curve(result: ParetoResult, ax: Any = None) -> Any:
    """Lorenz curve of the ranked values with the line of equality and the Gini coefficient.

    Parameters
    ----------
    result : ParetoResult
        From :func:`custometrics.pareto`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        With two lines: the Lorenz curve (up to 1000 exact points; labelled with the Gini
        coefficient) and the line of equality, and a legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> from custometrics.plot import lorenz_curve
    >>> ax = lorenz_curve(cm.pareto([50.0, 30.0, 15.0, 5.0]))
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Lorenz curve (Gini 0.375)', 'equality']
    """
    _require_defined(result, "lorenz_curve")
    points = result.lorenz(1000)
    ax = _axes(ax)
    x = points["entity_share"].to_numpy()
    y = points["value_share"].to_numpy()
    ax.plot(x, y, color=_CLASS_COLORS[0], label=f"Lorenz curve (Gini {result.gini:.3g})")
    ax.plot([0.0, 1.0], [0.0, 1.0], color=_REFERENCE, linestyle="--", label="equality")
    ax.fill_between(x, y, x, color=_CLASS_COLORS[0], alpha=0.15)
    ax.set_xlabel("share of entities, smallest first")
    ax.set_ylabel("share of the total")
    _percent(ax.xaxis)
    _percent(ax.yaxis)
    ax.set_xlim(0.0, 1.0)
    ax.legend(loc="upper left")
    return ax


def whale_curve_plot(whale: WhaleResult, ax: Any = None) -> Any:
    """Whale curve: cumulative profit as a share of total profit against the share of
    entities, most profitable first, with the 100% line and the peak marked.

    Parameters
    ----------
    whale : WhaleResult
        From :func:`custometrics.whale_curve`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        Lines: the curve (up to 1000 exact points, the peak among them), the 100% line, and
        the peak as one marker.

    Raises
    ------
    ValueError
        When the curve is not defined (total profit <= 0).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> from custometrics.plot import whale_curve_plot
    >>> ax = whale_curve_plot(cm.whale_curve([30.0, 10.0, -20.0, 0.0]))
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 1.5, 2.0, 2.0, 1.0]
    """
    _require_defined(whale, "whale_curve_plot")
    points = whale.curve(1000)
    ax = _axes(ax)
    ax.plot(points["entity_share"], points["cum_share"], color=_CLASS_COLORS[0],
            label="cumulative profit")
    ax.axhline(1.0, color=_REFERENCE, linestyle="--", linewidth=1, label="100% of total profit")
    ax.plot([whale.peak_entity_share], [whale.peak_share], "o", color=_CLASS_COLORS[1],
            label=f"peak {whale.peak_share:.0%} at {whale.peak_entity_share:.0%} of entities")
    ax.set_xlabel("share of entities, most profitable first")
    ax.set_ylabel("cumulative share of total profit")
    _percent(ax.xaxis)
    _percent(ax.yaxis)
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(bottom=min(0.0, float(points["cum_share"].min())))
    ax.legend(loc="lower right")
    return ax


def migration_heatmap(comparison: PeriodComparison, ax: Any = None) -> Any:
    """Heat map of the class migration between two periods, with the counts written in.

    Parameters
    ----------
    comparison : PeriodComparison
        From :func:`custometrics.compare_periods`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        One image of the 4 x 4 counts (rows: class before; columns: class after; A, B, C,
        none) and one text per cell.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> from custometrics.plot import migration_heatmap
    >>> c = cm.compare_periods({"a": 5.0, "b": 1.0}, {"a": 1.0, "b": 5.0})
    >>> ax = migration_heatmap(c)
    >>> ax.images[0].get_array().tolist()
    [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    """
    m = comparison.migration
    counts = m.to_numpy()
    ax = _axes(ax)
    image = ax.imshow(counts, cmap="Blues")
    labels = [str(c) for c in m.columns]
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([str(c) for c in m.index])
    ax.set_xlabel("class after")
    ax.set_ylabel("class before")
    high = counts.max() if counts.size else 0
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center",
                    color="white" if high and counts[i, j] > high / 2 else "black")
    ax.figure.colorbar(image, ax=ax, label="entities")
    return ax


# Colours of the break-even and tornado charts.
_REVENUE = "#1f77b4"
_COST = "#d62728"
_PROFIT = "#2ca02c"


def _cvp_inputs(model: Any) -> dict:
    """fixed_costs, price, unit_variable_cost and sales_units (None when absent) of a
    BreakEvenAnalysis, any object with those attributes, or a mapping with those keys."""
    names = ("fixed_costs", "price", "unit_variable_cost")
    if isinstance(model, Mapping):
        missing = [n for n in names if n not in model]
        get = model.get
    else:
        missing = [n for n in names if not hasattr(model, n)]

        def get(name: str, default: Any = None) -> Any:
            return getattr(model, name, default)
    if missing:
        raise TypeError(
            "break_even_chart: expected a BreakEvenAnalysis (custometrics.break_even_analysis) "
            "or a mapping with fixed_costs, price and unit_variable_cost; missing "
            + ", ".join(missing)
        )
    out = {n: get(n) for n in names}
    out["sales_units"] = get("sales_units", None)
    return out


def break_even_chart(model: Any, ax: Any = None, volume_max: Optional[float] = None) -> Any:
    """Break-even chart: the fixed-cost, total-cost and revenue lines over volume, the
    break-even point, and the loss (before it) and profit (after it) between revenue and
    total cost.

    Parameters
    ----------
    model : BreakEvenAnalysis or mapping
        From :func:`custometrics.break_even_analysis`, or any mapping (or object) with
        ``fixed_costs``, ``price`` and ``unit_variable_cost`` (and optionally
        ``sales_units``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    volume_max : float, optional
        Right end of the volume axis; default twice the larger of the break-even and the
        sales units.

    Returns
    -------
    matplotlib.axes.Axes
        Lines, in order: fixed costs, total costs and revenue over 0..volume_max (201
        points), then the break-even point as one marker when there is one in the range; two
        filled areas, loss (revenue below total cost) and profit; a legend.

    Raises
    ------
    ValueError
        For invalid inputs (as :func:`custometrics.break_even`), or when ``volume_max`` is
        not given and there is neither a break-even point nor sales above 0 to scale by.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from custometrics.plot import break_even_chart
    >>> ax = break_even_chart({"fixed_costs": 40_000, "price": 50, "unit_variable_cost": 30})
    >>> [float(line.get_ydata()[-1]) for line in ax.lines[:3]]  # at 4,000 units
    [40000.0, 160000.0, 200000.0]
    >>> ax.lines[3].get_xdata().tolist(), ax.lines[3].get_ydata().tolist()
    ([2000.0], [100000.0])
    """
    from .cvp import break_even, break_even_chart_data, default_volume_max

    inputs = _cvp_inputs(model)
    cvp = {k: inputs[k] for k in ("fixed_costs", "price", "unit_variable_cost")}
    be = break_even(**cvp)
    if volume_max is None:
        volume_max = default_volume_max(be.units, inputs["sales_units"])
    data = break_even_chart_data(**cvp, volume_max=volume_max, points=201)
    x = data["volume"].to_numpy()
    revenue = data["revenue"].to_numpy()
    total = data["total_costs"].to_numpy()
    ax = _axes(ax)
    ax.plot(x, data["fixed_costs"].to_numpy(), color=_REFERENCE, linestyle="--",
            label="fixed costs")
    ax.plot(x, total, color=_COST, label="total costs")
    ax.plot(x, revenue, color=_REVENUE, label="revenue")
    ax.fill_between(x, revenue, total, where=revenue <= total, interpolate=True, color=_COST,
                    alpha=0.15, label="loss")
    ax.fill_between(x, revenue, total, where=revenue >= total, interpolate=True,
                    color=_PROFIT, alpha=0.15, label="profit")
    if be.defined and be.units <= x[-1]:
        ax.plot([be.units], [be.revenue], "o", color="black",
                label=f"break-even: {be.units:,.6g} units, revenue {be.revenue:,.6g}")
    ax.set_xlabel("units sold")
    ax.set_ylabel("amount per period")
    ax.set_xlim(0.0, x[-1])
    ax.set_ylim(bottom=0.0)
    ax.legend(loc="upper left")
    return ax


def tornado_chart(table: pd.DataFrame, ax: Any = None,
                  value: Literal["profit", "break_even_units"] = "profit") -> Any:
    """Tornado chart: for each input, horizontal bars from the base case to the outcome with
    the input lowered and raised, the widest swing on top.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`custometrics.tornado` (its ``attrs`` hold the base case).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    value : {"profit", "break_even_units"}, default "profit"
        The outcome drawn. Break-even units do not move with volume (its bars have width 0),
        and a case without a break-even has no bar.

    Returns
    -------
    matplotlib.axes.Axes
        Bars of the lowered inputs (labelled "-x%"), then of the raised ones ("+x%"), one per
        variable each, at y = 0 (narrowest swing) .. n - 1 (widest); a vertical line at the
        base case; the variables as y tick labels.

    Raises
    ------
    ValueError
        For another ``value``, or a table without the base case in its ``attrs``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> from custometrics.plot import tornado_chart
    >>> t = cm.tornado(fixed_costs=40_000, price=50, unit_variable_cost=30, sales_units=2_500)
    >>> ax = tornado_chart(t)
    >>> len(ax.patches), [label.get_text() for label in ax.get_yticklabels()]
    (8, ['fixed_costs', 'volume', 'unit_variable_cost', 'price'])
    """
    columns = {"profit": ("low_profit", "high_profit", "profit_swing", "base_profit"),
               "break_even_units": ("low_break_even_units", "high_break_even_units",
                                    "break_even_units_swing", "base_break_even_units")}
    if value not in columns:
        raise ValueError(f"value: expected 'profit' or 'break_even_units', got {value!r}")
    low_col, high_col, swing_col, base_key = columns[value]
    if base_key not in getattr(table, "attrs", {}):
        raise ValueError("tornado_chart: expected the DataFrame of custometrics.tornado (its "
                         f"attrs hold the base case, {base_key!r})")
    base = table.attrs[base_key]
    if base is None:
        raise ValueError("tornado_chart: the base case has no break-even point to draw from")
    ordered = table.sort_values(swing_col, ascending=True, na_position="first", kind="stable")
    y = np.arange(len(ordered))
    change = table.attrs.get("change", 0.0)
    ax = _axes(ax)
    for column, color, sign in ((low_col, _COST, "-"), (high_col, _PROFIT, "+")):
        outcome = ordered[column]
        has = ~pd.isna(outcome).to_numpy()
        ends = outcome.to_numpy(dtype=np.float64, na_value=0.0)[has]
        ax.barh(y[has], ends - base, left=base, color=color, height=0.6,
                label=f"{sign}{change:.0%}")
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels([str(v) for v in ordered.index])
    ax.set_xlabel("profit" if value == "profit" else "break-even units")
    ax.legend(loc="lower right")
    return ax


def purchase_counts(table: pd.DataFrame, ax: Any = None) -> Any:
    """Bars of actual and expected customers per number of repeat purchases (Fader, Hardie &
    Lee 2005, figure 2), from ``model.expected_repeat_purchase_counts(...)``.

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> t = m.expected_repeat_purchase_counts([0, 0, 1, 3], [38.0, 38.0, 38.0, 38.0], 3)
    >>> ax = cm.plot.purchase_counts(t)
    >>> [len(c) for c in ax.containers]
    [4, 4]
    """
    ax = _axes(ax)
    pos = np.arange(len(table))
    ax.bar(pos - 0.2, table["actual"].to_numpy(), width=0.4, label="actual", color="#1f77b4")
    ax.bar(pos + 0.2, table["model"].to_numpy(), width=0.4, label="model", color="#ff7f0e")
    ax.set_xticks(pos, [str(i) for i in table.index])
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("customers")
    ax.legend()
    return ax


def calibration_holdout(check: CalibrationCheck, ax: Any = None) -> Any:
    """Mean holdout purchases, actual and predicted, by calibration frequency, from
    :func:`custometrics.retention.calibration_holdout_check`."""
    ax = _axes(ax)
    t = check.table
    pos = np.arange(len(t))
    ax.plot(pos, t["actual"].to_numpy(), marker="o", label="actual")
    ax.plot(pos, t["predicted"].to_numpy(), marker="s", linestyle="--", label="model")
    ax.set_xticks(pos, [str(i) for i in t.index])
    ax.set_xlabel("purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.set_title(f"MAE {check.mae:.3g}, total {check.total_actual:.0f} actual vs "
                 f"{check.total_predicted:.0f} predicted", fontsize="small")
    ax.legend()
    return ax


def p_alive_matrix(model: Any, max_frequency: int, max_recency: int, ax: Any = None) -> Any:
    """Heat map of P(alive) over frequency (x) and recency (y) for customers of age
    ``max_recency``: recent, frequent buyers are alive, frequent buyers gone quiet are not.

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> ax = cm.plot.p_alive_matrix(m, 10, 39)
    >>> ax.images[0].get_array().shape
    (40, 11)
    """
    ax = _axes(ax)
    z = model.conditional_probability_alive_matrix(max_frequency, max_recency)
    im = ax.imshow(z, origin="lower", aspect="auto", vmin=0.0, vmax=1.0, cmap="RdYlGn",
                   extent=(-0.5, max_frequency + 0.5, -0.5, max_recency + 0.5))
    ax.figure.colorbar(im, ax=ax, label="P(alive)")
    ax.set_xlabel("frequency (repeat purchases)")
    ax.set_ylabel("recency (age at the last purchase)")
    ax.set_title(f"P(alive) at age T = {max_recency}", fontsize="small")
    return ax


# Colours of the loyalty types and quadrants (unknown in grey).
_LOYALTY_COLORS = {
    "advocate": "#2ca02c", "loyal": "#1f77b4", "switcher": "#ff7f0e", "mercenary": "#9467bd",
    "hostage": "#8c564b", "terrorist": "#d62728", "unknown": "#bbbbbb",
    "js_loyalist": "#1f77b4", "js_apostle": "#2ca02c", "js_mercenary": "#9467bd",
    "js_hostage": "#8c564b", "js_defector": "#ff7f0e", "js_terrorist": "#d62728",
}


def loyalty_mix(labels: pd.DataFrame, ax: Any = None) -> Any:
    """Bars of the share of customers of each loyalty type (``unknown`` included, in grey).

    Parameters
    ----------
    labels : pandas.DataFrame
        From :func:`custometrics.classify_loyalty`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> labels = pd.DataFrame({"loyalty_type": ["advocate", "switcher", "unknown", "switcher"]})
    >>> ax = cm.plot.loyalty_mix(labels)
    >>> [round(p.get_height(), 2) for p in ax.patches][:3]
    [0.25, 0.0, 0.5]
    """
    from .loyalty_types import LOYALTY_TYPES

    ax = _axes(ax)
    types = pd.Series(labels["loyalty_type"]).astype(str)
    shares = types.value_counts(normalize=True).reindex(LOYALTY_TYPES, fill_value=0.0)
    ax.bar(shares.index, shares.to_numpy(),
           color=[_LOYALTY_COLORS[t] for t in shares.index])
    _percent(ax.yaxis)
    ax.set_ylabel("share of customers")
    ax.set_title("Loyalty mix")
    return ax


def satisfaction_loyalty(labels: pd.DataFrame, ax: Any = None, high_satisfaction: float = 4,
                         max_regular_cv: float = 0.5, seed: int = 0) -> Any:
    """Satisfaction x loyalty scatter with the Jones & Sasser quadrants drawn: satisfaction
    (jittered, as the answers are whole numbers) against the regularity of purchases (the CV
    of the gaps between purchase days, axis reversed so that regular buyers are at the top),
    each point coloured by its quadrant. Customers without a satisfaction answer or a
    measurable regularity are left out (counted in the title).

    Parameters
    ----------
    labels : pandas.DataFrame
        From :func:`custometrics.classify_loyalty`.
    high_satisfaction, max_regular_cv : float
        The cut points used for the labels (draws the quadrant lines).
    seed : int
        Seed of the jitter.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> labels = pd.DataFrame({"satisfaction": [5, 2, None], "regularity_cv": [0.1, 0.9, 0.2],
    ...                        "quadrant": ["js_apostle", "js_terrorist", "unknown"]})
    >>> ax = cm.plot.satisfaction_loyalty(labels)
    >>> ax.get_title()
    'Satisfaction x loyalty (1 customer not drawn)'
    """
    ax = _axes(ax)
    sat = pd.to_numeric(labels["satisfaction"], errors="coerce").to_numpy(dtype=float)
    cv = pd.to_numeric(labels["regularity_cv"], errors="coerce").to_numpy(dtype=float)
    quadrant = pd.Series(labels["quadrant"]).astype(str).to_numpy()
    ok = ~(np.isnan(sat) | np.isnan(cv))
    rng = np.random.default_rng(seed)
    x = sat[ok] + rng.uniform(-0.2, 0.2, ok.sum())
    for q in pd.unique(quadrant[ok]):
        m = quadrant[ok] == q
        ax.scatter(x[m], cv[ok][m], s=12, alpha=0.7, label=q,
                   color=_LOYALTY_COLORS.get(q, "#bbbbbb"))
    ax.axvline(high_satisfaction - 0.5, color=_REFERENCE, linestyle="--", linewidth=1)
    ax.axhline(max_regular_cv, color=_REFERENCE, linestyle="--", linewidth=1)
    ax.set_xlim(0.5, 5.5)
    if not ax.yaxis_inverted():
        ax.invert_yaxis()
    ax.set_xlabel("satisfaction (1..5)")
    ax.set_ylabel("CV of the gaps between purchases (regular at the top)")
    dropped = int((~ok).sum())
    noun = "customer" if dropped == 1 else "customers"
    ax.set_title("Satisfaction x loyalty" + (f" ({dropped} {noun} not drawn)" if dropped else ""))
    if ok.any():
        ax.legend(loc="best", fontsize="small")
    return ax


# Colours of the strategy zones of the attractiveness/strength matrix.
_ZONE_COLORS = {"invest/grow": "#2ca02c", "selective": "#ffbf00", "harvest/divest": "#d62728"}
_LEVELS = ("low", "medium", "high")


def rfm_heatmap(scores: pd.DataFrame, ax: Any = None,
                value: Literal["monetary", "count"] = "monetary") -> Any:
    """Heat map of the RFM grid: recency score (rows) by frequency score (columns), each cell
    the mean monetary value or the number of customers, written in.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`custometrics.segmentation.rfm` (columns ``r_score``, ``f_score``,
        ``monetary``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    value : {"monetary", "count"}
        Mean monetary value of the customers of a cell, or their number. Empty cells are left
        blank (masked), not drawn as 0.

    Returns
    -------
    matplotlib.axes.Axes
        One image of bins x bins cells (row 0 = recency score ``bins``, the most recent, at
        the top; column 0 = frequency score 1) and one text per non-empty cell.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from custometrics.segmentation import rfm
    >>> from custometrics.plot import rfm_heatmap
    >>> r = rfm(recency=[1, 30, 5], frequency=[4, 1, 2], monetary=[120.0, 15.0, 40.0])
    >>> ax = rfm_heatmap(r, value="count")
    >>> grid = ax.images[0].get_array()
    >>> int(grid[0, 4]), int(grid[4, 0]), int(grid.count())
    (1, 1, 3)
    """
    if value not in ("monetary", "count"):
        raise ValueError(f"value: expected 'monetary' or 'count', got {value!r}")
    have = list(getattr(scores, "columns", []))
    missing = [c for c in ("r_score", "f_score", "monetary") if c not in have]
    if missing:
        raise ValueError(f"scores: missing columns {missing}; pass the frame of segmentation.rfm")
    bins_attr = scores.attrs.get("bins")
    bins = len(bins_attr["recency"]["size"]) if bins_attr else int(
        max(scores["r_score"].max(), scores["f_score"].max()))
    r = scores["r_score"].to_numpy(dtype=np.int64)
    f = scores["f_score"].to_numpy(dtype=np.int64)
    counts = np.zeros((bins, bins))
    sums = np.zeros((bins, bins))
    rows, cols = bins - r, f - 1  # most recent on top
    np.add.at(counts, (rows, cols), 1.0)
    np.add.at(sums, (rows, cols), scores["monetary"].to_numpy(dtype=np.float64))
    empty = counts == 0
    grid = counts if value == "count" else np.divide(sums, counts, out=np.zeros_like(sums),
                                                     where=~empty)
    grid = np.ma.masked_array(grid, mask=empty)
    ax = _axes(ax)
    image = ax.imshow(grid, cmap="YlGnBu")
    ax.set_xticks(range(bins))
    ax.set_xticklabels([str(k + 1) for k in range(bins)])
    ax.set_yticks(range(bins))
    ax.set_yticklabels([str(bins - k) for k in range(bins)])
    ax.set_xlabel("frequency score")
    ax.set_ylabel("recency score")
    high = grid.max() if grid.count() else 0
    for i in range(bins):
        for j in range(bins):
            if empty[i, j]:
                continue
            text = f"{int(grid[i, j])}" if value == "count" else f"{grid[i, j]:,.0f}"
            ax.text(j, i, text, ha="center", va="center",
                    color="white" if high and grid[i, j] > high / 2 else "black")
    ax.figure.colorbar(image, ax=ax,
                       label="customers" if value == "count" else "mean monetary value")
    return ax


def segment_matrix_chart(table: pd.DataFrame, ax: Any = None, size: Any = None,
                         cuts: Tuple[float, float] = (1 / 3, 2 / 3)) -> Any:
    """The attractiveness/strength matrix as a bubble chart: one bubble per segment at
    (strength, attractiveness), its area proportional to ``size`` (revenue, say), on the nine
    cells shaded by strategy zone.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`custometrics.segmentation.attractiveness` with ``strength`` (columns
        ``score`` and ``strength``; the index names the segments).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    size : str, mapping or array-like, optional
        Bubble size per segment: a column of ``table``, a mapping segment -> value, or values
        in the order of the rows; must be >= 0. Default: equal bubbles.
    cuts : (float, float)
        The cut points used to place the segments (drawn as the cell borders).

    Returns
    -------
    matplotlib.axes.Axes
        Nine rectangles (``ax.patches``, zone colours, low-low first, row by row), one
        scatter collection (``ax.collections[0]``) of the bubbles and one label per segment.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from custometrics.segmentation import attractiveness
    >>> from custometrics.plot import segment_matrix_chart
    >>> crit = pd.DataFrame({"size": [1200, 800, 300]}, index=["A", "B", "C"])
    >>> strength = pd.DataFrame({"share": [0.9, 0.2, 0.7]}, index=["A", "B", "C"])
    >>> t = attractiveness(crit, strength=strength)
    >>> ax = segment_matrix_chart(t, size=[500.0, 300.0, 100.0])
    >>> len(ax.patches), ax.collections[0].get_offsets().tolist()
    (9, [[1.0, 1.0], [0.0, 0.5555555555555556], [0.7142857142857143, 0.0]])
    """
    if not isinstance(table, pd.DataFrame) or "strength" not in table.columns:
        raise ValueError("table: expected the frame of segmentation.attractiveness(..., "
                         "strength=...) with columns score and strength")
    low, high = float(cuts[0]), float(cuts[1])
    if not 0.0 < low < high < 1.0:
        raise ValueError(f"cuts: expected 0 < low < high < 1, got {cuts!r}")
    n = len(table)
    if size is None:
        s = np.full(n, 1.0)
    elif isinstance(size, str):
        s = table[size].to_numpy(dtype=np.float64)
    elif isinstance(size, Mapping):
        s = np.array([float(size[k]) for k in table.index])
    else:
        s = np.asarray(size, dtype=np.float64)
    if s.shape != (n,):
        raise ValueError(f"size: {s.size} values for {n} segments")
    if not np.all(np.isfinite(s)) or (s < 0).any():
        raise ValueError("size: values must be finite and >= 0")
    from matplotlib.patches import Rectangle

    ax = _axes(ax)
    edges = (0.0, low, high, 1.0)
    for a in range(3):  # attractiveness level (rows, bottom up)
        for st in range(3):  # strength level (columns, left to right)
            zone = ("invest/grow" if a + st >= 3 else "selective" if a + st == 2
                    else "harvest/divest")
            ax.add_patch(Rectangle((edges[st], edges[a]), edges[st + 1] - edges[st],
                                   edges[a + 1] - edges[a], facecolor=_ZONE_COLORS[zone],
                                   alpha=0.25, edgecolor="white", linewidth=2))
    area = 2000.0 * s / s.max() if s.max() > 0 else np.full(n, 100.0)
    x = table["strength"].to_numpy(dtype=np.float64)
    y = table["score"].to_numpy(dtype=np.float64)
    ax.scatter(x, y, s=area, color="#1f77b4", alpha=0.7, edgecolors="black", zorder=3)
    for name, xi, yi in zip(table.index, x, y):
        ax.annotate(str(name), (xi, yi), ha="center", va="center", fontsize=8, zorder=4)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xticks([(edges[k] + edges[k + 1]) / 2 for k in range(3)])
    ax.set_xticklabels(_LEVELS)
    ax.set_yticks([(edges[k] + edges[k + 1]) / 2 for k in range(3)])
    ax.set_yticklabels(_LEVELS)
    ax.set_xlabel("strength in the segment")
    ax.set_ylabel("segment attractiveness")
    return ax
