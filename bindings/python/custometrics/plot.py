"""Charts of the Pareto, break-even, segmentation, retention and loyalty analyses with
matplotlib (the optional extra ``plot``: ``pip install 'custometrics[plot]'``).

Each function draws on the Axes it is given (or on a new figure) and returns that Axes, so
charts can be combined, retitled and saved as usual. matplotlib is imported only when a chart
is drawn. Every chart has a title and axes named after what they show; the colours are the
Okabe-Ito palette (:data:`OKABE_ITO`), which stays distinct under the common colour-vision
deficiencies (no chart pairs red with green), and the colour maps are perceptually uniform
(cividis, Blues, YlGnBu).

lifetimes' plots are here under lifetimes' names and arguments
(:func:`plot_frequency_recency_matrix`, :func:`plot_probability_alive_matrix`,
:func:`plot_period_transactions`, :func:`plot_calibration_purchases_vs_holdout_purchases`,
:func:`plot_history_alive`, :func:`plot_cumulative_transactions`,
:func:`plot_incremental_transactions`, :func:`plot_expected_repeat_purchases`), also importable
as ``custometrics.lifetimes_compat.plotting``; their numbers come from the model's methods
(the core), never from arithmetic here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Optional, Tuple

import numpy as np
import pandas as pd

from . import _core
from ._errors import input_error

if TYPE_CHECKING:  # the annotations only: the analyses import plot for their .plot() methods
    from .pareto_analysis import ParetoResult, PeriodComparison, WhaleResult
    from .retention import CalibrationCheck

#: The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"; Wong 2011, Nature
#: Methods 8:441): eight colours that people with protanopia, deuteranopia or tritanopia still
#: tell apart. All the charts take their colours from it (plus greys).
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
_BLUE, _ORANGE, _SKY = OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"]
_VERMILLION, _PURPLE = OKABE_ITO["vermillion"], OKABE_ITO["reddish_purple"]
_GREY = "#999999"
_OTHERS = "#cccccc"

# Colours of the ABC classes and of the reference lines.
_CLASS_COLORS = {0: _BLUE, 1: _ORANGE, 2: _GREY}
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
        raise input_error(f"{what}: nothing to draw: {result.reason}", argument=what)


def _measure(result: Any, measure: Optional[str]) -> str:
    """The indicator's name for axes and titles: ``measure``, else the one the analysis
    recorded (the ``value=`` column, a Series' name), else "amount"."""
    return measure or getattr(result, "measure", None) or "amount"


def _entities(keys: pd.Index) -> str:
    """What the ranked entities are, for axes and titles: "customers" for an index named
    customer, else "entities"."""
    name = keys.name
    return f"{name}s" if isinstance(name, str) and name and name != "key" else "entities"


def pareto_chart(result: ParetoResult, ax: Any = None, top: Optional[int] = None,
                 measure: Optional[str] = None) -> Any:
    """Pareto chart: bars of the measure by rank, coloured by ABC class, the rest of the
    entities in one "others" bar, and the cumulative share over all entities as a line on a
    twin axis that ends at 100%, with the 80% mark and the rank where it is reached.

    Parameters
    ----------
    result : ParetoResult
        From :func:`custometrics.pareto`.
    ax : matplotlib.axes.Axes, optional
        Where to draw the bars; default a new figure.
    top : int, optional
        Number of top-ranked entities drawn as bars of their own; default 50. When there are
        more entities, the others are summed into one last bar labelled "others (m)". With 20
        or fewer bars, they are labelled with the entity keys.
    measure : str, optional
        Name of the measure for the axes and the title (default: the ``value=`` column or
        Series name the analysis recorded, else "amount").

    Returns
    -------
    matplotlib.axes.Axes
        The bars' Axes; the twin Axes of the cumulative line is its ``right_ax`` attribute
        (as pandas names it for ``secondary_y``). Its lines, in order: the cumulative share
        at ranks 1..k (k = bars of their own) and, with an "others" bar, 100% at its position
        k + 1, so the line always ends at 100% of the total; the dashed 80% line; a dotted
        vertical line at the rank where 80% is reached (``count_for_share(0.8)``) when that
        rank has a bar of its own, else at the point where the line crosses 80% on its way
        to the others bar. A text names that rank, and the title says how many entities
        make 80%.

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
    >>> ax = pareto_chart(cm.pareto([50.0, 30.0, 15.0, 5.0]), measure="revenue")
    >>> len(ax.patches), ax.right_ax.lines[0].get_ydata().tolist()
    (4, [0.5, 0.8, 0.95, 1.0])
    >>> ax.get_ylabel(), ax.get_title()
    ('revenue', 'Pareto chart of revenue: 2 of 4 entities (50%) make 80%')
    >>> ax = pareto_chart(cm.pareto([50.0, 30.0, 15.0, 5.0]), top=1)
    >>> [float(p.get_height()) for p in ax.patches], ax.right_ax.lines[0].get_ydata().tolist()
    ([50.0, 50.0], [0.5, 1.0])
    """
    _require_defined(result, "pareto_chart")
    n = result.n
    if top is not None and top < 1:
        raise input_error(f"top: must be at least 1, got {top!r}", argument='top')
    k = min(n, 50 if top is None else int(top))
    others = n - k
    name = _measure(result, measure)
    entities = _entities(result._keys)
    core = result._core
    all_cum = core.cum_share
    values = list(core.value[:k])
    colors = [_CLASS_COLORS[c] for c in core.abc[:k]]
    cum = list(all_cum[:k])
    if others:
        values.append(float(np.sum(core.value[k:])))  # the rest, summed
        colors.append(_OTHERS)
        cum.append(float(all_cum[n - 1]))  # the whole total: 100%
    x = np.arange(1, len(values) + 1)
    ax = _axes(ax)
    ax.bar(x, values, color=colors, width=0.8)
    ax.set_ylabel(name)
    ax.set_xlabel(f"{entities} by rank" if not others
                  else f"{entities} by rank (top {k:,} of {n:,}, then the others)")
    if k <= 20:
        labels = [str(key) for key in result._keys[:k]]
        ax.set_xticks(x)
        ax.set_xticklabels(labels + ([f"others ({others:,})"] if others else []),
                           rotation=45, ha="right")
    elif others:
        ticks = [1] + list(range(10, k + 1, 10))
        ax.set_xticks(ticks + [k + 1])
        ax.set_xticklabels([str(t) for t in ticks] + [f"others ({others:,})"])
    right = ax.twinx()
    right.plot(x, cum, color="black", marker="o" if len(x) <= 51 else None, markersize=3,
               label="cumulative share")
    right.axhline(0.8, color=_REFERENCE, linestyle="--", linewidth=1, label="80%")
    k80 = int(core.count_for_share(0.8))
    if k80 <= k:
        at = float(k80)
    else:  # crossed between the last own bar and the others bar
        before = float(cum[k - 1])
        at = k + (0.8 - before) / (float(cum[k]) - before)
    right.axvline(at, color=_REFERENCE, linestyle=":", linewidth=1)
    right.annotate(f"80% at rank {k80:,}", (at, 0.8), xytext=(4, -12),
                   textcoords="offset points", fontsize="small")
    right.set_ylim(0.0, max(1.05, float(max(cum)) * 1.05))
    right.set_ylabel(f"cumulative share of the total {name}")
    _percent(right.yaxis)
    from matplotlib.patches import Patch

    handles = [Patch(color=_CLASS_COLORS[i], label=c) for i, c in enumerate("ABC")]
    if others:
        handles.append(Patch(color=_OTHERS, label="others"))
    handles += right.get_lines()[:2]
    right.legend(handles=handles, loc="center right")
    ax.set_title(f"Pareto chart of {name}: {k80:,} of {n:,} {entities} ({k80 / n:.0%}) "
                 "make 80%")
    ax.right_ax = right
    return ax


def lorenz_curve(result: ParetoResult, ax: Any = None, measure: Optional[str] = None) -> Any:
    """Lorenz curve of the ranked values with the line of equality and the Gini coefficient.

    Parameters
    ----------
    result : ParetoResult
        From :func:`custometrics.pareto`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    measure : str, optional
        Name of the measure for the axis and the title (default: the one the analysis
        recorded, else "amount").

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
    name = _measure(result, measure)
    entities = _entities(result._keys)
    ax.set_xlabel(f"share of {entities}, smallest first")
    ax.set_ylabel(f"share of the total {name}")
    _percent(ax.xaxis)
    _percent(ax.yaxis)
    ax.set_xlim(0.0, 1.0)
    ax.legend(loc="upper left")
    ax.set_title(f"Lorenz curve of {name}")
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
    ax.plot([whale.peak_entity_share], [whale.peak_share], "o", color=_VERMILLION,
            label=f"peak {whale.peak_share:.0%} at {whale.peak_entity_share:.0%} of entities")
    ax.set_xlabel("share of entities, most profitable first")
    ax.set_ylabel("cumulative share of total profit")
    _percent(ax.xaxis)
    _percent(ax.yaxis)
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(bottom=min(0.0, float(points["cum_share"].min())))
    ax.legend(loc="lower right")
    ax.set_title("Whale curve of profit")
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
    ax.set_title("ABC class migration between the periods")
    return ax


# Colours of the break-even and tornado charts: blue and vermillion/orange, never
# green against red.
_REVENUE = _BLUE
_COST = _VERMILLION
_PROFIT = _SKY
_LOWERED = _ORANGE
_RAISED = _BLUE


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
    ax.set_ylabel("revenue and costs per period")
    ax.set_xlim(0.0, x[-1])
    ax.set_ylim(bottom=0.0)
    ax.legend(loc="upper left")
    ax.set_title("Break-even chart")
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
        raise input_error(f"value: expected 'profit' or 'break_even_units', got {value!r}",
                          argument='value')
    low_col, high_col, swing_col, base_key = columns[value]
    if base_key not in getattr(table, "attrs", {}):
        raise input_error("tornado_chart: expected the DataFrame of custometrics.tornado (its "
                          f"attrs hold the base case, {base_key!r})", argument='tornado_chart')
    base = table.attrs[base_key]
    if base is None:
        raise input_error("tornado_chart: the base case has no break-even point to draw from",
                          argument='tornado_chart')
    ordered = table.sort_values(swing_col, ascending=True, na_position="first", kind="stable")
    y = np.arange(len(ordered))
    change = table.attrs.get("change", 0.0)
    ax = _axes(ax)
    for column, color, sign in ((low_col, _LOWERED, "-"), (high_col, _RAISED, "+")):
        outcome = ordered[column]
        has = ~pd.isna(outcome).to_numpy()
        ends = outcome.to_numpy(dtype=np.float64, na_value=0.0)[has]
        ax.barh(y[has], ends - base, left=base, color=color, height=0.6,
                label=f"{sign}{change:.0%}")
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels([str(v) for v in ordered.index])
    what = "profit" if value == "profit" else "break-even units"
    ax.set_xlabel(what)
    ax.set_ylabel("input")
    ax.legend(loc="lower right")
    ax.set_title(f"Tornado chart: {what} with each input -/+{change:.0%}")
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
    ax.bar(pos - 0.2, table["actual"].to_numpy(), width=0.4, label="actual", color=_BLUE)
    ax.bar(pos + 0.2, table["model"].to_numpy(), width=0.4, label="model", color=_ORANGE)
    ax.set_xticks(pos, [str(i) for i in table.index])
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("customers")
    ax.legend()
    ax.set_title("Customers by repeat purchases: actual and model")
    return ax


def calibration_holdout(check: CalibrationCheck, ax: Any = None) -> Any:
    """Mean holdout purchases, actual and predicted, by calibration frequency, from
    :func:`custometrics.retention.calibration_holdout_check`."""
    ax = _axes(ax)
    t = check.table
    pos = np.arange(len(t))
    ax.plot(pos, t["actual"].to_numpy(), marker="o", label="actual", color=_BLUE)
    ax.plot(pos, t["predicted"].to_numpy(), marker="s", linestyle="--", label="model",
            color=_ORANGE)
    ax.set_xticks(pos, [str(i) for i in t.index])
    ax.set_xlabel("purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.set_title(f"Holdout purchases: actual and model\nMAE {check.mae:.3g}, total "
                 f"{check.total_actual:.0f} actual vs {check.total_predicted:.0f} predicted")
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
    im = ax.imshow(z, origin="lower", aspect="auto", vmin=0.0, vmax=1.0, cmap="cividis",
                   extent=(-0.5, max_frequency + 0.5, -0.5, max_recency + 0.5))
    ax.figure.colorbar(im, ax=ax, label="P(alive)")
    ax.set_xlabel("frequency (repeat purchases)")
    ax.set_ylabel("recency (age at the last purchase)")
    ax.set_title(f"P(alive) by frequency and recency at age T = {max_recency}")
    return ax


# Colours of the loyalty types and quadrants (unknown in grey).
_LOYALTY_COLORS = {
    "advocate": _BLUE, "loyal": _SKY, "switcher": _ORANGE, "mercenary": _PURPLE,
    "hostage": OKABE_ITO["black"], "terrorist": _VERMILLION, "unknown": "#bbbbbb",
    "js_loyalist": _SKY, "js_apostle": _BLUE, "js_mercenary": _PURPLE,
    "js_hostage": OKABE_ITO["black"], "js_defector": _ORANGE, "js_terrorist": _VERMILLION,
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
    >>> [round(float(p.get_height()), 2) for p in ax.patches][:3]
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
_ZONE_COLORS = {"invest/grow": _BLUE, "selective": OKABE_ITO["yellow"],
                "harvest/divest": _VERMILLION}
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
        raise input_error(f"value: expected 'monetary' or 'count', got {value!r}", argument='value')
    have = list(getattr(scores, "columns", []))
    missing = [c for c in ("r_score", "f_score", "monetary") if c not in have]
    if missing:
        raise input_error(f"scores: missing columns {missing}; pass the frame of segmentation.rfm",
                          argument='scores')
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
    ax.set_title("RFM grid: " + ("customers" if value == "count" else "mean monetary value")
                 + " by recency and frequency score")
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
        The limits are padded beyond 0 and 1 by the largest bubble's radius (at the figure's
        size when drawn), so that bubbles on the edges are whole.

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
        raise input_error("table: expected the frame of segmentation.attractiveness(..., "
                          "strength=...) with columns score and strength", argument='table')
    low, high = float(cuts[0]), float(cuts[1])
    if not 0.0 < low < high < 1.0:
        raise input_error(f"cuts: expected 0 < low < high < 1, got {cuts!r}", argument='cuts')
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
        raise input_error(f"size: {s.size} values for {n} segments", argument='size')
    if not np.all(np.isfinite(s)) or (s < 0).any():
        raise input_error("size: values must be finite and >= 0", argument='size')
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
    ax.scatter(x, y, s=area, color=_PURPLE, alpha=0.7, edgecolors="black", zorder=3)
    for name, xi, yi in zip(table.index, x, y):
        ax.annotate(str(name), (xi, yi), ha="center", va="center", fontsize=8, zorder=4)
    # Pad the limits by the largest bubble's radius so that bubbles at 0 or 1 are whole: a
    # radius of r pixels on an axis of w pixels needs a pad p with p / (1 + 2p) = r / w.
    radius = np.sqrt(area.max()) / 2.0 * ax.figure.dpi / 72.0 if n else 0.0
    box = ax.get_window_extent()
    pads = [min(0.45, radius / max(size - 2.0 * radius, 1.0)) + 0.01
            for size in (box.width, box.height)]
    ax.set_xlim(-pads[0], 1.0 + pads[0])
    ax.set_ylim(-pads[1], 1.0 + pads[1])
    ax.set_xticks([(edges[k] + edges[k + 1]) / 2 for k in range(3)])
    ax.set_xticklabels(_LEVELS)
    ax.set_yticks([(edges[k] + edges[k + 1]) / 2 for k in range(3)])
    ax.set_yticklabels(_LEVELS)
    ax.set_xlabel("strength in the segment")
    ax.set_ylabel("segment attractiveness")
    ax.set_title("Segment matrix: attractiveness and strength")
    return ax


# --------------------------------------------------------------------------------------------
# lifetimes' plots (lifetimes.plotting), under its names and arguments. Each takes its numbers
# from the model's methods (the core's predictions); the functions here only lay out the grid
# or the periods and draw.


def _fitted_data(model: Any, what: str) -> pd.DataFrame:
    """The summary the model was fitted on (``model.data`` of the lifetimes_compat fitters)."""
    data = getattr(model, "data", None)
    if data is None:
        raise input_error(
            f"{what}: the model has no fitted data (model.data); fit a "
            "custometrics.lifetimes_compat fitter, or pass the limits explicitly", argument=what)
    return data


def _matrix_limits(model: Any, max_frequency: Optional[int], max_recency: Optional[int],
                   what: str) -> Tuple[int, int]:
    """lifetimes' defaults: the largest frequency and the largest T of the fitted data."""
    if max_frequency is None:
        max_frequency = int(_fitted_data(model, what)["frequency"].max())
    if max_recency is None:
        max_recency = int(_fitted_data(model, what)["T"].max())
    if max_frequency < 0 or max_recency < 1:
        raise input_error(f"{what}: max_frequency must be >= 0 and max_recency >= 1, got "
                          f"{max_frequency} and {max_recency}", argument=what)
    return int(max_frequency), int(max_recency)


def frequency_recency_matrix(model: Any, T: float = 1, max_frequency: Optional[int] = None,
                             max_recency: Optional[int] = None) -> np.ndarray:
    """Expected purchases in the next ``T`` periods over recency 0..max_recency (rows) x
    frequency 0..max_frequency (columns), for customers of age ``max_recency``.

    The values are the model's ``conditional_expected_number_of_purchases_up_to_time`` at
    every (frequency, recency, max_recency) of the grid, in one call. A customer without
    repeat purchases has recency 0, so the impossible cells (frequency 0, recency > 0) hold
    the value at recency 0, as the BG/NBD formula gives there (its recency term vanishes at
    frequency 0: lifetimes' matrix is the same).

    Parameters
    ----------
    model : BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel or a lifetimes_compat fitter
        With parameters.
    T : float
        The horizon, in the model's time unit.
    max_frequency, max_recency : int, optional
        The grid's limits; default the largest frequency and the largest T of ``model.data``.

    Returns
    -------
    numpy.ndarray
        Shape (max_recency + 1, max_frequency + 1).

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> z = cm.plot.frequency_recency_matrix(m, 1, 2, 3)
    >>> z.shape, bool(z[3, 2] > z[0, 2])  # recent buyers buy more
    ((4, 3), True)
    """
    mf, mr = _matrix_limits(model, max_frequency, max_recency, "frequency_recency_matrix")
    tx, x = np.meshgrid(np.arange(mr + 1, dtype=float), np.arange(mf + 1, dtype=float),
                        indexing="ij")
    x, tx = x.ravel(), tx.ravel()
    ok = ~((x == 0) & (tx > 0))
    out = np.empty(x.size)
    out[ok] = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(
        float(T), x[ok], tx[ok], np.full(int(ok.sum()), float(mr))), dtype=float)
    out[~ok] = out[0]  # (0, 0): frequency 0 has recency 0
    return out.reshape(mr + 1, mf + 1)


def _heat_map(z: np.ndarray, ax: Any, title: str, xlabel: str, ylabel: str, label: str,
              kwargs: dict) -> Any:
    """lifetimes' matrix plot: the image (rows from the top, no interpolation) made square,
    a colour bar, the title and labels."""
    ax = _axes(ax)
    kwargs.setdefault("interpolation", "none")
    kwargs.setdefault("cmap", "cividis")
    image = ax.imshow(z, **kwargs)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    extent = image.get_extent()
    ax.set_aspect(abs((extent[1] - extent[0]) / (extent[3] - extent[2])))
    ax.figure.colorbar(image, ax=ax, label=label)
    return ax


def plot_frequency_recency_matrix(model: Any, T: float = 1,
                                  max_frequency: Optional[int] = None,
                                  max_recency: Optional[int] = None,
                                  title: Optional[str] = None,
                                  xlabel: str = "Customer's Historical Frequency",
                                  ylabel: str = "Customer's Recency", ax: Any = None,
                                  **kwargs: Any) -> Any:
    """lifetimes' frequency/recency matrix: a heat map of the expected purchases in the next
    ``T`` periods by frequency (x) and recency (y), for customers of age ``max_recency``.

    Parameters
    ----------
    model
        A purchase model with parameters (see :func:`frequency_recency_matrix`).
    T : float
        The horizon.
    max_frequency, max_recency : int, optional
        Limits of the grid; default the largest frequency and T of ``model.data``.
    title, xlabel, ylabel : str, optional
        As lifetimes' (the default title names the horizon).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure (lifetimes always draws on ``plt.subplot(111)``).
    **kwargs
        Passed to ``imshow`` (default ``cmap="cividis"``, ``interpolation="none"``).

    Returns
    -------
    matplotlib.axes.Axes
        Its image holds :func:`frequency_recency_matrix` (recency 0 in the top row).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> ax = cm.plot.plot_frequency_recency_matrix(m, T=4, max_frequency=5, max_recency=38)
    >>> ax.images[0].get_array().shape
    (39, 6)
    """
    z = frequency_recency_matrix(model, T, max_frequency, max_recency)
    if title is None:
        title = (f"Expected Number of Future Purchases for {T} Unit{'s'[T == 1:]} of Time,"
                 "\nby Frequency and Recency of a Customer")
    return _heat_map(z, ax, title, xlabel, ylabel, "expected purchases", kwargs)


def plot_probability_alive_matrix(
        model: Any, max_frequency: Optional[int] = None, max_recency: Optional[int] = None,
        title: str = "Probability Customer is Alive,\nby Frequency and Recency of a Customer",
        xlabel: str = "Customer's Historical Frequency", ylabel: str = "Customer's Recency",
        ax: Any = None, **kwargs: Any) -> Any:
    """lifetimes' P(alive) matrix: a heat map of the probability that a customer is alive by
    frequency (x) and recency (y), at age ``max_recency``, from the model's
    ``conditional_probability_alive_matrix`` (the core's P(alive) on the grid).

    Parameters
    ----------
    model
        A purchase model with parameters.
    max_frequency, max_recency : int, optional
        Limits of the grid; default the largest frequency and T of ``model.data``.
    title, xlabel, ylabel : str, optional
        As lifetimes'.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    **kwargs
        Passed to ``imshow`` (default ``cmap="cividis"``, ``interpolation="none"``; the
        colour scale is 0..1 unless ``vmin``/``vmax`` are given).

    Returns
    -------
    matplotlib.axes.Axes
        Its image holds the matrix (recency 0 in the top row).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> ax = cm.plot.plot_probability_alive_matrix(m, max_frequency=5, max_recency=38)
    >>> float(ax.images[0].get_array()[0, 0])  # no repeat purchase: alive (BG/NBD)
    1.0
    """
    mf, mr = _matrix_limits(model, max_frequency, max_recency, "plot_probability_alive_matrix")
    z = np.asarray(model.conditional_probability_alive_matrix(mf, mr), dtype=float)
    kwargs.setdefault("vmin", 0.0)
    kwargs.setdefault("vmax", 1.0)
    return _heat_map(z, ax, title, xlabel, ylabel, "P(alive)", kwargs)


def plot_period_transactions(model: Any, max_frequency: int = 7,
                             title: str = "Frequency of Repeat Transactions",
                             xlabel: str = "Number of Calibration Period Transactions",
                             ylabel: str = "Customers", ax: Any = None,
                             **kwargs: Any) -> Any:
    """lifetimes' period transactions: customers by number of repeat purchases, actual (from
    ``model.data``) and the model's, side by side.

    The model's bars are the exact expectation sum_i P(X(T_i) = x) from the model's
    ``expected_repeat_purchase_counts`` (lifetimes simulates a data set of the same size, so
    its bars vary from call to call), and the last bar pools ``max_frequency`` and more
    ("7+"; lifetimes leaves those customers out).

    Parameters
    ----------
    model
        A lifetimes_compat fitter (its ``data`` holds frequency and T).
    max_frequency : int
        Bars for 0 .. max_frequency - 1 repeat purchases and max_frequency+.
    title, xlabel, ylabel : str
        As lifetimes'.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    **kwargs
        Passed to ``bar``.

    Returns
    -------
    matplotlib.axes.Axes
        Two bar containers, "Actual" and "Model".

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import custometrics as cm
    >>> from custometrics.lifetimes_compat import BetaGeoFitter
    >>> bgf = BetaGeoFitter().fit([0, 1, 2, 0, 5], [0.0, 10, 20, 0, 30], [40.0, 40, 40, 40, 40])
    >>> ax = cm.plot.plot_period_transactions(bgf, max_frequency=3)
    >>> [float(b.get_height()) for b in ax.containers[0]]
    [2.0, 1.0, 1.0, 1.0]
    """
    data = _fitted_data(model, "plot_period_transactions")
    table = model.expected_repeat_purchase_counts(data["frequency"], data["T"],
                                                  max_frequency=int(max_frequency))
    ax = _axes(ax)
    labels = kwargs.pop("label", ["Actual", "Model"])
    pos = np.arange(len(table))
    ax.bar(pos - 0.2, table["actual"].to_numpy(), width=0.4, label=labels[0], color=_BLUE,
           **kwargs)
    ax.bar(pos + 0.2, table["model"].to_numpy(), width=0.4, label=labels[1], color=_ORANGE,
           **kwargs)
    ax.set_xticks(pos, [str(i) for i in table.index])
    ax.legend()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


_HOLDOUT_X = {
    "frequency_cal": "Purchases in calibration period",
    "recency_cal": "Age of customer at last purchase",
    "T_cal": "Age of customer at the end of calibration period",
    "time_since_last_purchase": "Time since user made last purchase",
}


def plot_calibration_purchases_vs_holdout_purchases(model: Any,
                                                    calibration_holdout_matrix: pd.DataFrame,
                                                    kind: str = "frequency_cal", n: int = 7,
                                                    ax: Any = None, **kwargs: Any) -> Any:
    """lifetimes' calibration/holdout plot: the mean actual holdout purchases and the mean
    prediction by calibration frequency (or recency, T, time since the last purchase).

    Each customer's prediction is the model's
    ``conditional_expected_number_of_purchases_up_to_time(duration_holdout, ...)`` of its
    calibration history (one call); customers are grouped by ``kind`` and the first ``n``
    groups drawn, as lifetimes does. For whole-population figures (MAE, a pooled last bin)
    see :func:`custometrics.retention.calibration_holdout_check`.

    Parameters
    ----------
    model
        A purchase model fitted on the calibration period.
    calibration_holdout_matrix : pandas.DataFrame
        From :func:`custometrics.lifetimes_compat.calibration_and_holdout_data` (or
        :func:`custometrics.summarize` with ``calibration_end``).
    kind : {"frequency_cal", "recency_cal", "T_cal", "time_since_last_purchase"}
        The grouping on the x axis.
    n : int
        Groups drawn (the smallest values of ``kind``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    **kwargs
        Passed to ``DataFrame.plot``.

    Returns
    -------
    matplotlib.axes.Axes
        Two lines, ``frequency_holdout`` (actual) and ``model_predictions``.
    """
    if kind not in _HOLDOUT_X:
        raise input_error(f"kind: expected one of {sorted(_HOLDOUT_X)}, got {kind!r}",
                          argument='kind')
    summary = calibration_holdout_matrix.copy()
    duration = float(summary["duration_holdout"].iloc[0])
    summary["model_predictions"] = np.asarray(
        model.conditional_expected_number_of_purchases_up_to_time(
            duration, summary["frequency_cal"].to_numpy(dtype=float),
            summary["recency_cal"].to_numpy(dtype=float),
            summary["T_cal"].to_numpy(dtype=float)), dtype=float)
    if kind == "time_since_last_purchase":
        summary[kind] = summary["T_cal"] - summary["recency_cal"]
    means = summary.groupby(kind)[["frequency_holdout", "model_predictions"]].mean().iloc[:n]
    kwargs.setdefault("color", [_BLUE, _ORANGE])
    ax = means.plot(ax=_axes(ax), **kwargs)
    ax.set_title("Actual Purchases in Holdout Period vs Predicted Purchases")
    ax.set_xlabel(_HOLDOUT_X[kind])
    ax.set_ylabel("Average of Purchases in Holdout Period")
    ax.legend()
    return ax


def alive_path(model: Any, t: int, transactions: pd.DataFrame, datetime_col: str,
               freq: str = "D") -> pd.Series:
    """P(alive) of one customer at each period 0..t after its first purchase (lifetimes'
    ``calculate_alive_path``).

    The customer's history at period k (its frequency: periods with a purchase after the
    first, its recency: the last such period, its age k) is counted from ``transactions``;
    the probabilities come from the model's ``conditional_probability_alive`` in one call.
    Age 0 (the day of the first purchase) is evaluated as lifetimes_compat evaluates T = 0.

    Parameters
    ----------
    model
        A purchase model with parameters, in the time unit of ``freq``.
    t : int
        The last period.
    transactions : pandas.DataFrame
        The customer's transactions (one customer).
    datetime_col : str
        Their date column.
    freq : str
        The period (a pandas frequency: "D", "W", ...).

    Returns
    -------
    pandas.Series
        P(alive) by age 0..max(t, the last purchase period).
    """
    from .lifetimes_compat import _age

    dates = pd.to_datetime(transactions[datetime_col])
    per_period = pd.Series(1, index=pd.DatetimeIndex(dates)).resample(freq).sum()
    bought = (per_period.to_numpy() > 0).astype(np.int64)
    bought = np.append(bought, np.zeros(max(0, t + 1 - bought.size), dtype=np.int64))
    age = np.arange(bought.size, dtype=float)
    frequency = np.cumsum(bought) - 1.0  # the first purchase is not a repeat purchase
    recency = np.maximum.accumulate(np.where(bought > 0, age, 0.0))
    p = np.asarray(model.conditional_probability_alive(frequency, recency, _age(age)),
                   dtype=float)
    return pd.Series(p, index=pd.RangeIndex(bought.size, name="T"), name="p_alive")


def plot_history_alive(model: Any, t: int, transactions: pd.DataFrame, datetime_col: str,
                       freq: str = "D", start_date: Any = None, ax: Any = None,
                       **kwargs: Any) -> Any:
    """lifetimes' history of P(alive): one customer's probability of being alive over time
    (:func:`alive_path`), with its purchases as dashed vertical lines.

    Parameters
    ----------
    model
        A purchase model with parameters, in the time unit of ``freq``.
    t : int
        Periods after the first purchase to draw.
    transactions : pandas.DataFrame
        The customer's transactions.
    datetime_col : str
        Their date column.
    freq : str
        The period ("D", "W", ...).
    start_date : datetime, optional
        Left end of the x axis; default the first purchase.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    **kwargs
        Passed to ``plot`` for the P(alive) line.

    Returns
    -------
    matplotlib.axes.Axes
        The P(alive) line (dates on x) and one collection of purchase lines.
    """
    dates = pd.to_datetime(transactions[datetime_col])
    if start_date is None:
        start_date = dates.min()
    path = alive_path(model, t, transactions, datetime_col, freq)
    path_dates = pd.date_range(start=dates.min(), periods=len(path), freq=freq)
    per_period = pd.Series(1, index=pd.DatetimeIndex(dates)).resample(freq).sum()
    ax = _axes(ax)
    kwargs.setdefault("color", _BLUE)
    ax.plot(path_dates, path.to_numpy(), "-", label="P_alive", **kwargs)
    ax.vlines(per_period.index[per_period.to_numpy() >= 1], ymin=0, ymax=1, colors=_ORANGE,
              linestyles="dashed", label="purchases")
    ax.set_ylim(0, 1.0)
    ax.set_yticks(np.arange(0, 1.1, 0.1))
    ax.set_xlim(start_date, path_dates[-1])
    ax.legend(loc=3)
    ax.set_ylabel("P_alive")
    ax.set_title("History of P_alive")
    return ax


def expected_cumulative_transactions(model: Any, transactions: pd.DataFrame,
                                     datetime_col: str, customer_id_col: str, t: int,
                                     datetime_format: Optional[str] = None, freq: str = "D",
                                     set_index_date: bool = False) -> pd.DataFrame:
    """Actual and expected cumulative repeat transactions of all customers over the first
    ``t`` periods (lifetimes' ``expected_cumulative_transactions``; Fader, Hardie & Lee 2005,
    "A note on implementing the Pareto/NBD model in MATLAB", p. 8).

    A customer's first purchase period is its cohort; a purchase in a later period (one per
    customer and period) is a repeat transaction. The expected count at period i is the sum
    over the cohorts c < i of (customers in c) x E[X(i - c)], with E[X(s)] the model's
    ``expected_number_of_purchases_up_to_time`` (one call for s = 1..t); the actual count at
    row j is the number of repeat transactions in periods 0..j (the rows are lifetimes'). The
    counts are the core's ``cumulative_transactions`` (retention/diagnostics.hpp).

    Returns
    -------
    pandas.DataFrame
        Columns ``actual`` and ``predicted``; index 0..t-1 (or the periods' dates with
        ``set_index_date``).
    """
    if int(t) < 1:
        raise input_error(f"t: must be at least 1, got {t!r}", argument='t')
    t = int(t)
    dates = pd.to_datetime(transactions[datetime_col], format=datetime_format)
    periods = pd.DatetimeIndex(dates).to_period(freq)
    start = dates.min().to_period(freq)
    offset = periods.asi8 - start.ordinal  # periods since the first purchase of anyone
    customers = pd.factorize(transactions[customer_id_col])[0].astype(np.int64)
    expected = np.asarray(model.expected_number_of_purchases_up_to_time(
        np.arange(1, t + 1, dtype=float)), dtype=float)  # E[X(s)], s = 1..t
    curve = _core.retention_cumulative_transactions(customers, offset.astype(np.int64), expected)
    if set_index_date:
        index: Any = pd.period_range(start, periods=t + 1, freq=freq)[:-1]
    else:
        index = range(0, t)
    return pd.DataFrame({"actual": curve.actual, "predicted": curve.predicted}, index=index)


def _tracking(model: Any, transactions: pd.DataFrame, datetime_col: str, customer_id_col: str,
              t: int, t_cal: float, datetime_format: Optional[str], freq: str,
              set_index_date: bool, title: str, xlabel: str, ylabel: str, ax: Any,
              incremental: bool, kwargs: dict) -> Any:
    frame = expected_cumulative_transactions(model, transactions, datetime_col,
                                             customer_id_col, t, datetime_format, freq,
                                             set_index_date)
    if incremental:
        frame = frame - frame.shift(1)
    kwargs.setdefault("color", [_BLUE, _ORANGE])
    ax = frame.plot(ax=_axes(ax), title=title, **kwargs)
    if set_index_date:
        x_vline = frame.index[int(t_cal)]
        xlabel = "date"
    else:
        x_vline = t_cal
    ax.axvline(x=x_vline, color=_VERMILLION, linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_cumulative_transactions(model: Any, transactions: pd.DataFrame, datetime_col: str,
                                 customer_id_col: str, t: int, t_cal: float,
                                 datetime_format: Optional[str] = None, freq: str = "D",
                                 set_index_date: bool = False,
                                 title: str = "Tracking Cumulative Transactions",
                                 xlabel: str = "day", ylabel: str = "Cumulative Transactions",
                                 ax: Any = None, **kwargs: Any) -> Any:
    """lifetimes' tracking plot: actual and expected cumulative repeat transactions over the
    first ``t`` periods (:func:`expected_cumulative_transactions`), with a dashed line at
    the end of the calibration period ``t_cal``.

    Returns
    -------
    matplotlib.axes.Axes
        Lines ``actual`` and ``predicted`` (the frame's columns), then the ``t_cal`` line.
    """
    return _tracking(model, transactions, datetime_col, customer_id_col, t, t_cal,
                     datetime_format, freq, set_index_date, title, xlabel, ylabel, ax, False,
                     kwargs)


def plot_incremental_transactions(model: Any, transactions: pd.DataFrame, datetime_col: str,
                                  customer_id_col: str, t: int, t_cal: float,
                                  datetime_format: Optional[str] = None, freq: str = "D",
                                  set_index_date: bool = False,
                                  title: str = "Tracking Daily Transactions",
                                  xlabel: str = "day", ylabel: str = "Transactions",
                                  ax: Any = None, **kwargs: Any) -> Any:
    """lifetimes' incremental tracking plot: actual and expected repeat transactions per
    period (the differences of :func:`expected_cumulative_transactions`; the first period
    has none), with a dashed line at ``t_cal``.

    Returns
    -------
    matplotlib.axes.Axes
        Lines ``actual`` and ``predicted``, then the ``t_cal`` line.
    """
    return _tracking(model, transactions, datetime_col, customer_id_col, t, t_cal,
                     datetime_format, freq, set_index_date, title, xlabel, ylabel, ax, True,
                     kwargs)


def plot_expected_repeat_purchases(model: Any,
                                   title: str = "Expected Number of Repeat Purchases per "
                                                "Customer",
                                   xlabel: str = "Time Since First Purchase", ax: Any = None,
                                   label: Optional[str] = None, **kwargs: Any) -> Any:
    """lifetimes' expected repeat purchases of a new customer, E[X(t)] from the model's
    ``expected_number_of_purchases_up_to_time``: solid up to the largest T of
    ``model.data``, dashed to 1.5 times it (100 points each).

    Returns
    -------
    matplotlib.axes.Axes
        Two lines (the fitted range and the extrapolation).
    """
    max_t = float(_fitted_data(model, "plot_expected_repeat_purchases")["T"].max())
    ax = _axes(ax)
    color = kwargs.pop("c", None) or kwargs.pop("color", None) or _BLUE
    for lo, hi, style, name in ((0.0, max_t, "-", label), (max_t, 1.5 * max_t, "--", None)):
        times = np.linspace(lo, hi, 100)
        ax.plot(times, np.asarray(model.expected_number_of_purchases_up_to_time(times)),
                color=color, ls=style, label=name, **kwargs)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("expected repeat purchases")
    if label is not None:
        ax.legend(loc="lower right")
    return ax
