"""Charts of the Pareto analysis with matplotlib (the optional extra ``plot``:
``pip install 'custometrics[plot]'``).

Each function draws on the Axes it is given (or on a new figure) and returns that Axes, so
charts can be combined, titled and saved as usual. matplotlib is imported only when a chart
is drawn.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

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


def pareto_chart(result: Any, ax: Any = None, top: Optional[int] = None) -> Any:
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


def lorenz_curve(result: Any, ax: Any = None) -> Any:
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


def whale_curve_plot(whale: Any, ax: Any = None) -> Any:
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


def migration_heatmap(comparison: Any, ax: Any = None) -> Any:
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
