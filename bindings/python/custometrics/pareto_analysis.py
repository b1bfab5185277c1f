"""Pareto analysis of one indicator per entity: the ranked 80/20 curve, ABC classes, Lorenz
curve and Gini, the whale curve of profit, and the comparison of two periods.

The method, for any indicator (revenue or profit per customer, volume per product, revenue
per channel): total the indicator per entity, rank the entities by it (largest first, ties by
key), turn each total into a share of the grand total, accumulate the shares, and find the
entities that together make 80%. Every figure is computed by the C++ core
(``custometrics/pareto.hpp`` documents each definition); this module converts the input and
shapes the output.

Entities with a value <= 0 (customers whose returns cancel their purchases) are by default not
ranked: they are listed separately (``nonpositive="separate"``). With ``nonpositive="include"``
they are ranked last and the shares are of the total of all values, so the cumulative share
can rise above 1 before it falls back to 1.
"""

from __future__ import annotations

import html
import math
import numbers
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Dict, List, Literal, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import input_error
from ._frames import (Table, _is_polars_frame, _is_polars_series, csv_columns, csv_path,
                      float_array, key_index)
from ._display import result_display

_Column = Any  # a column name, or an array-like (numpy array, pandas or polars Series, list)
_Rule = Literal["before", "including"]
_Nonpositive = Literal["separate", "include"]

_CLASSES = ("A", "B", "C")


# --------------------------------------------------------------------------------------------
# Input


def _check_options(a: float, b: float) -> None:
    """The thresholds, named as the caller knows them (the core checks them too)."""
    if not (isinstance(a, numbers.Real) and math.isfinite(a) and 0.0 < a < 1.0):
        raise input_error(f"a: the A threshold must be in (0, 1), got {a!r}", argument='a')
    if not (isinstance(b, numbers.Real) and math.isfinite(b) and a < b <= 1.0):
        raise input_error(f"b: the B threshold must be in (a, 1] = ({a!r}, 1] (a < b <= 1), "
                          f"got {b!r}", argument='b')


def _key(keys: pd.Index, i: int) -> Any:
    """Key i as a plain Python value (for messages)."""
    return keys[i:i + 1].tolist()[0]


def _values_by_entity(data: Any, argument: str, *, by_key: bool = True
                      ) -> Tuple[pd.Index, np.ndarray]:
    """The keys and float64 values of one value per entity.

    Keys: a pandas Series' index, a mapping's keys, else positions 0..n-1. With ``by_key``,
    a duplicated key is an error and the entities are put in ascending key order (where the
    keys sort), so that the core's ties by position are ties by key. A NaN, infinite or
    missing value is an error naming the entity's key.
    """
    if isinstance(data, pd.DataFrame) or _is_polars_frame(data):
        raise input_error(
            f"{argument}: got a DataFrame; pass by= (the entity column) and value= (the "
            "indicator) to total its rows per entity, or value= alone for one row per entity",
            argument=argument,
        )
    if isinstance(data, pd.Series):
        keys = data.index
        if isinstance(data.dtype, pd.api.extensions.ExtensionDtype):
            raw = data.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            raw = data.to_numpy()
    elif _is_polars_series(data):
        keys = pd.RangeIndex(len(data))
        raw = data.cast(float).to_numpy() if data.dtype.is_numeric() else data.to_numpy()
    elif isinstance(data, Mapping):
        keys = pd.Index(list(data.keys()))
        raw = np.array(list(data.values()), dtype=object) if len(data) else np.empty(0)
    elif data is None:
        raise input_error(f"{argument}: no values given", argument=argument)
    else:
        raw = np.asarray(data)
        keys = pd.RangeIndex(len(raw)) if raw.ndim == 1 else None
    raw = np.asarray(raw)
    if raw.ndim != 1:
        raise input_error(f"{argument}: expected one value per entity (1-D), got shape "
                          f"{raw.shape}", argument=argument)
    if raw.dtype.kind == "O":
        try:
            raw = np.array([np.nan if v is None or v is pd.NA else v for v in raw],
                           dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{argument}: expected numbers, got {raw.dtype} values") from None
    values = float_array(raw, argument)
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise input_error(f"{argument}: entity {_key(keys, i)!r}: value is {values[i]}",
                          argument=argument)
    if by_key and not isinstance(keys, pd.RangeIndex):
        if not keys.is_unique:
            dup = _key(keys, int(np.argmax(keys.duplicated())))
            raise input_error(
                f"{argument}: entity {dup!r} appears more than once; give one value per "
                "entity, or transaction rows with by= and value= to total them",
                argument=argument, key=dup,
            )
        if not keys.is_monotonic_increasing:
            try:
                order = keys.argsort()
            except TypeError:  # keys of mixed types do not sort: ties stay by position
                order = None
            if order is not None:
                keys = keys.take(order)
                values = values[order]
    return keys, np.ascontiguousarray(values)


def _per_entity_input(data: Any, value: Any) -> Tuple[Any, str]:
    """The values per entity given as ``data``, or as ``value`` (a column of ``data``, or the
    values themselves), and the name they go by in errors. A pandas column keeps its index as
    the entity keys."""
    if value is None:
        return data, "data"
    if data is None:
        return value, "value"
    name, column = Table(data).get(value, "value")  # checks that the column exists
    if isinstance(data, pd.DataFrame) and isinstance(value, str):
        column = data[value]
    return column, name


# --------------------------------------------------------------------------------------------
# Results


def _amount(x: float) -> str:
    """An amount for a repr: thousands separated, at most two decimals (12,345.6)."""
    text = f"{x:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _html_table(title: str, rows: List[Tuple[str, str]]) -> str:
    """A small HTML table of (figure, value) rows under a bold title, for Jupyter."""
    body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                   f"<td style='text-align:right'>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<b>{html.escape(title)}</b><table>{body}</table>"


def _points(xy: Tuple[np.ndarray, np.ndarray], y_name: str) -> pd.DataFrame:
    return pd.DataFrame({"entity_share": xy[0], y_name: xy[1]})


def _max_points(max_points: Optional[int]) -> Optional[int]:
    if max_points is not None and (not isinstance(max_points, (int, np.integer))
                                   or max_points < 1):
        raise input_error(f"max_points: must be a positive integer or None, got {max_points!r}",
                          argument='max_points')
    return None if max_points is None else int(max_points)


@dataclass(frozen=True)
class ParetoResult:
    """A Pareto analysis: headline figures, ranked entities, curves (see :func:`pareto`).

    Attributes
    ----------
    n : int
        Ranked entities (under ``nonpositive="separate"``, those with a value > 0).
    total : float
        Sum of the ranked values.
    gini, gini_small_sample, gini_rsv : float
        Gini coefficient ``G = 2 sum_i i x(i) / (n T) - (n + 1) / n`` of the ranked values
        (ascending ``x(i)``, total ``T``), its small-sample form ``G n / (n - 1)`` (0 for one
        entity), and the Raffinetti-Siletti-Vernizzi form that stays within [0, (n - 1) / n]
        with negative values (equal to ``gini`` without them).
    entities_for_80pct : float
        Smallest top fraction of the ranked entities that makes 80% of the total.
    top20_share : float
        Share of the total made by the top 20% (``ceil(0.2 n)``) of the ranked entities.
    class_counts, class_shares : dict
        Entities and share of the total in each ABC class, keyed "A", "B", "C".
    not_ranked, not_ranked_total : int, float
        Entities left out of the ranking (value <= 0 under ``nonpositive="separate"``) and
        the sum of their values (<= 0); see ``not_ranked_entities``.
    defined : bool
        False when there is nothing to rank (no entity, or none > 0); then ``reason`` says
        why and the figures are 0.
    reason : str
        Why the analysis is not defined, else "".
    a, b, rule, nonpositive
        The options used.
    entities : pandas.DataFrame
        One row per ranked entity, by rank, indexed by key (the index is named after the
        ``by`` column or the Series index, else "key"): ``value``, ``rank`` (1-based),
        ``share``, ``cum_share``, ``cum_entity_share`` (rank / n) and ``abc`` (a categorical
        A, B, C).
    not_ranked_entities : pandas.DataFrame
        The entities left out of the ranking, indexed by key, with their ``value``
        (descending, then by key).
    """

    n: int
    total: float
    gini: float
    gini_small_sample: float
    gini_rsv: float
    entities_for_80pct: float
    top20_share: float
    class_counts: Dict[str, int]
    class_shares: Dict[str, float]
    not_ranked: int
    not_ranked_total: float
    defined: bool
    reason: str
    a: float
    b: float
    rule: str
    nonpositive: str
    _core: Any = field(repr=False, compare=False)
    _keys: pd.Index = field(repr=False, compare=False)
    _not_ranked_keys: pd.Index = field(repr=False, compare=False)
    _not_ranked_values: np.ndarray = field(repr=False, compare=False)
    #: Name of the indicator (the ``value=`` column or the Series' name), used by the charts'
    #: axes and titles; None when the values came without a name.
    measure: Optional[str] = field(default=None, repr=False, compare=False)

    def _headlines(self) -> List[Tuple[str, str]]:
        """The headline figures as (name, text) pairs, for the repr and the HTML repr."""
        rows = [("n", f"{self.n:,}"), ("total", _amount(self.total))]
        if self.defined:
            rows += [
                ("80% of the total", f"top {self.entities_for_80pct:.1%} of the entities"),
                ("top 20% of the entities", f"{self.top20_share:.1%} of the total"),
                ("classes", ", ".join(f"{c} {self.class_counts[c]:,} "
                                      f"({self.class_shares[c]:.1%})" for c in _CLASSES)),
                ("gini", f"{self.gini:.4g}"),
            ]
        else:
            rows.append(("not defined", self.reason))
        if self.not_ranked:
            rows.append(("not ranked", f"{self.not_ranked:,} "
                                       f"(total {_amount(self.not_ranked_total)})"))
        return rows

    def __repr__(self) -> str:
        """A few lines: n, total, Gini, who makes 80%, what the top 20% make, the classes."""
        r = dict(self._headlines())
        if not self.defined:
            lines = [f"ParetoResult(n={r['n']}, total={r['total']}, "
                     f"not defined: {self.reason}"]
        else:
            lines = [f"ParetoResult(n={r['n']}, total={r['total']}, gini={r['gini']}",
                     f"  80% of the total from the {r['80% of the total']}; "
                     f"the top 20% make {self.top20_share:.1%}",
                     f"  classes {r['classes']}"]
        if self.not_ranked:
            lines.append(f"  not ranked {r['not ranked']}")
        return "\n".join(lines) + ")"

    def _repr_html_(self) -> str:
        return _html_table("ParetoResult", self._headlines())

    @classmethod
    def _from_core(cls, core: Any, keys: pd.Index, not_ranked_keys: pd.Index,
                   not_ranked_values: np.ndarray, options: dict,
                   measure: Optional[str] = None) -> "ParetoResult":
        g = core.gini
        return cls(
            n=len(core), total=core.total, gini=g.gini, gini_small_sample=g.gini_small_sample,
            gini_rsv=g.gini_rsv, entities_for_80pct=core.entities_for_80pct,
            top20_share=core.top20_share,
            class_counts=dict(zip(_CLASSES, core.class_count)),
            class_shares=dict(zip(_CLASSES, core.class_share)),
            not_ranked=len(not_ranked_keys), not_ranked_total=core.nonpositive_total,
            defined=core.defined, reason=core.reason, **options,
            _core=core, _keys=keys, _not_ranked_keys=not_ranked_keys,
            _not_ranked_values=not_ranked_values, measure=measure,
        )

    @cached_property
    def entities(self) -> pd.DataFrame:
        core = self._core
        rank = np.arange(1, self.n + 1, dtype=np.int64)
        return pd.DataFrame({
            "value": core.value,
            "rank": rank,
            "share": core.share,
            "cum_share": core.cum_share,
            "cum_entity_share": rank / self.n if self.n else np.empty(0),
            "abc": pd.Categorical.from_codes(core.abc.astype(np.int8), categories=_CLASSES),
        }, index=self._keys)

    @cached_property
    def not_ranked_entities(self) -> pd.DataFrame:
        return pd.DataFrame({"value": self._not_ranked_values}, index=self._not_ranked_keys)

    def top_share(self, fraction: float) -> float:
        """Share of the total made by the top ``ceil(fraction * n)`` ranked entities.

        ``fraction * n`` is rounded up with a relative tolerance of 1e-12 (the top 20% of 10
        entities are 2 whatever the last bit of 0.2 * 10); 0 for no entity. Raises ValueError
        unless 0 <= fraction <= 1.
        """
        return self._core.top_share(float(fraction))

    def entities_for_share(self, share: float) -> float:
        """Smallest top fraction k / n of the ranked entities whose values make ``share``.

        Raises ValueError unless 0 <= share <= 1.
        """
        return self._core.entities_for_share(float(share))

    def curve(self, max_points: Optional[int] = 1000) -> pd.DataFrame:
        """The cumulative line of the Pareto chart: ``entity_share`` k / n and ``cum_share``
        of the top k, k = 0..n, at most ``max_points`` exact points at evenly spaced k (ends
        included; None for all). Empty when not defined."""
        return _points(self._core.curve(_max_points(max_points)), "cum_share")

    def lorenz(self, max_points: Optional[int] = 1000) -> pd.DataFrame:
        """The Lorenz curve: ``entity_share`` i / n and ``value_share`` held by the i smallest,
        i = 0..n, at most ``max_points`` exact points (None for all). Empty when not defined.
        """
        return _points(self._core.lorenz(_max_points(max_points)), "value_share")

    def plot(self, kind: Literal["pareto", "lorenz"] = "pareto", ax: Any = None,
             **kwargs: Any) -> Any:
        """Draw the Pareto chart (``kind="pareto"``, see :func:`custometrics.plot.pareto_chart`)
        or the Lorenz curve (``kind="lorenz"``); returns the matplotlib Axes."""
        from . import plot

        if kind == "pareto":
            return plot.pareto_chart(self, ax=ax, **kwargs)
        if kind == "lorenz":
            return plot.lorenz_curve(self, ax=ax, **kwargs)
        raise input_error(f"kind: expected 'pareto' or 'lorenz', got {kind!r}", argument='kind')


@dataclass(frozen=True)
class WhaleResult:
    """The whale curve of profit per entity (see :func:`whale_curve`).

    Attributes
    ----------
    n : int
        Entities, whatever their profit.
    total : float
        Total profit.
    profit_total, loss_total : float
        Sum of the positive profits, and the profit destroyed by the loss makers (positive).
    loss_entities, loss_entity_share : int, float
        Entities with a profit < 0, and their share of the entities.
    loss_share : float
        Profit destroyed by the loss makers as a share of the total profit.
    peak_share : float
        Highest cumulative share of total profit (profit_total / total, >= 1).
    peak_count, peak_entity_share : int, float
        Fewest top entities at the peak (the profitable ones), and their share of entities.
    defined : bool
        False when there is no entity or the total profit is <= 0: then only ``n``,
        ``total``, ``profit_total``, ``loss_total``, ``loss_entities`` and
        ``loss_entity_share`` are given, ``reason`` says why and ``entities`` is empty.
    reason : str
        Why the curve is not defined, else "".
    entities : pandas.DataFrame
        Every entity by rank (highest profit first, ties by key), indexed by key: ``value``,
        ``rank`` (1-based), ``cum_share`` (cumulative profit / total) and
        ``cum_entity_share``.
    """

    n: int
    total: float
    profit_total: float
    loss_total: float
    loss_entities: int
    loss_entity_share: float
    loss_share: float
    peak_share: float
    peak_count: int
    peak_entity_share: float
    defined: bool
    reason: str
    _core: Any = field(repr=False, compare=False)
    _keys: pd.Index = field(repr=False, compare=False)

    def _headlines(self) -> List[Tuple[str, str]]:
        """The headline figures as (name, text) pairs, for the repr and the HTML repr."""
        rows = [("n", f"{self.n:,}"), ("total", _amount(self.total))]
        if self.defined:
            rows.append(("peak", f"{self.peak_share:.1%} of the total from the top "
                                 f"{self.peak_entity_share:.1%} of the entities"))
        else:
            rows.append(("not defined", self.reason))
        rows.append(("loss makers", f"{self.loss_entities:,} ({self.loss_entity_share:.1%}) "
                                    f"destroy {_amount(self.loss_total)}"
                                    + (f" = {self.loss_share:.1%} of the total"
                                       if self.defined else "")))
        return rows

    def __repr__(self) -> str:
        """Two lines: n, total and the peak; the loss makers and what they destroy."""
        r = dict(self._headlines())
        head = (f"peak {r['peak']}" if self.defined else f"not defined: {self.reason}")
        return (f"WhaleResult(n={r['n']}, total={r['total']}, {head}\n"
                f"  loss makers {r['loss makers']})")

    def _repr_html_(self) -> str:
        return _html_table("WhaleResult", self._headlines())

    @classmethod
    def _from_core(cls, core: Any, keys: pd.Index) -> "WhaleResult":
        return cls(
            n=core.n, total=core.total, profit_total=core.profit_total,
            loss_total=core.loss_total, loss_entities=core.loss_entities,
            loss_entity_share=core.loss_entity_share, loss_share=core.loss_share,
            peak_share=core.peak_share, peak_count=core.peak_count,
            peak_entity_share=core.peak_entity_share, defined=core.defined,
            reason=core.reason, _core=core, _keys=keys,
        )

    @cached_property
    def entities(self) -> pd.DataFrame:
        core = self._core
        m = len(self._keys)
        rank = np.arange(1, m + 1, dtype=np.int64)
        return pd.DataFrame({
            "value": core.value,
            "rank": rank,
            "cum_share": core.cum_share,
            "cum_entity_share": rank / m if m else np.empty(0),
        }, index=self._keys)

    def curve(self, max_points: Optional[int] = 1000) -> pd.DataFrame:
        """Points of the whale curve: ``entity_share`` k / n and ``cum_share`` of the top k,
        k = 0..n, at most ``max_points`` exact points (None for all), the peak among them.
        Empty when not defined."""
        return _points(self._core.curve(_max_points(max_points)), "cum_share")

    def plot(self, ax: Any = None) -> Any:
        """Draw the whale curve (:func:`custometrics.plot.whale_curve_plot`); returns the Axes."""
        from . import plot

        return plot.whale_curve_plot(self, ax=ax)


@result_display
@dataclass(frozen=True)
class GiniResult:
    """Gini coefficients of a set of values (see :func:`gini`); ``float(result)`` is ``gini``.

    Attributes
    ----------
    n : int
        Number of values.
    total : float
        Their sum.
    defined : bool
        Whether ``gini`` is defined: some value and a total > 0.
    reason : str
        Why not, else "".
    gini : float
        ``2 sum_i i x(i) / (n T) - (n + 1) / n`` on ascending values; 0 when not defined,
        above 1 possible with negative values.
    gini_small_sample : float
        ``gini * n / (n - 1)``; 0 for one value.
    rsv_defined : bool
        Whether ``gini_rsv`` is defined: some value is non-zero.
    gini_rsv : float
        The Raffinetti-Siletti-Vernizzi normalisation, within [0, (n - 1) / n] whatever the
        signs: ``sum_i sum_j |x_i - x_j| / (2 n sum |x|)``.
    """

    n: int
    total: float
    defined: bool
    reason: str
    gini: float
    gini_small_sample: float
    rsv_defined: bool
    gini_rsv: float

    def __float__(self) -> float:
        if not self.defined:
            raise input_error(f"gini: not defined: {self.reason}", argument='gini')
        return self.gini


@result_display
@dataclass(frozen=True)
class PeriodComparison:
    """Two periods of one indicator compared (see :func:`compare_periods`).

    Attributes
    ----------
    before, after : ParetoResult
        The Pareto analysis of each period, over the union of the entities of both (an
        entity absent from a period has value 0 there).
    migration : pandas.DataFrame
        4 x 4 counts of entities by class before (rows) and after (columns): "A", "B", "C"
        and "none" (not ranked in that period: new, gone, or <= 0).
    entered_a, left_a : list
        Keys of the entities in A after but not before, and in A before but not after, in
        ascending key order.
    spearman : float
        Spearman's rank correlation of the values of the entities with a value > 0 in both
        periods (average ranks for ties); 0 when not defined.
    spearman_n : int
        Entities it is computed over.
    spearman_defined : bool
        False with fewer than 2 such entities or all values tied in one period.
    spearman_reason : str
        Why not, else "".
    changes_defined : bool
        Whether both periods are defined; the changes are 0 otherwise.
    gini_change, entities_for_80pct_change, top20_share_change : float
        After minus before.
    """

    before: ParetoResult
    after: ParetoResult
    migration: pd.DataFrame
    entered_a: List[Any]
    left_a: List[Any]
    spearman: float
    spearman_n: int
    spearman_defined: bool
    spearman_reason: str
    changes_defined: bool
    gini_change: float
    entities_for_80pct_change: float
    top20_share_change: float

    def plot(self, ax: Any = None) -> Any:
        """Draw the migration heat map (:func:`custometrics.plot.migration_heatmap`)."""
        from . import plot

        return plot.migration_heatmap(self, ax=ax)


# --------------------------------------------------------------------------------------------
# Functions


def pareto(
    data: Any = None,
    *,
    by: Optional[_Column] = None,
    value: Optional[_Column] = None,
    a: float = 0.8,
    b: float = 0.95,
    rule: _Rule = "before",
    nonpositive: _Nonpositive = "separate",
    threads: int = 0,
    delimiter: str = ",",
    memory_limit: Optional[Union[str, int]] = None,
    columns: Optional[Mapping[str, str]] = None,
) -> ParetoResult:
    """Pareto (80/20) analysis of one indicator per entity, with ABC classes and Gini.

    Ranks the entities by value, largest first (ties by key), and gives each its share of the
    total, its cumulative share and an ABC class; the headline figures are the fraction of
    entities that make 80% of the total, the share made by the top 20%, the class counts and
    shares, and the Gini coefficient.

    From transaction rows (``by=`` and ``value=``), the totals per entity are computed by the
    core in the same call, without the GIL: the equivalent of
    ``df.groupby(by)[value].sum()`` followed by the ranking.

    From a CSV file's path, the core reads the file itself (no DataFrame in between, the GIL
    released), totals and ranks as the command line's ``pareto`` does, within ``memory_limit``.

    Parameters
    ----------
    data : str, os.PathLike, pandas.Series, numpy array, list, mapping, pandas or polars DataFrame, or None
        One value per entity: a Series (keyed by its index), a mapping ``{key: value}``, or a
        numpy array, list or polars Series (keyed by position). Or the path of a transaction
        CSV file (columns ``customer_id``, ``date``, ``amount`` and the conventional names of
        ``cost``, ``quantity``, ``product``, ``channel``, as ``read_transactions`` finds them).
        Or transaction rows: a
        DataFrame (or a mapping of column names to arrays) with ``by`` and ``value``; a
        pandas DataFrame with ``value`` alone is one row per entity, keyed by its index.
        Keys must be unique; ties are broken by key (by position for keys that do not sort,
        such as a mix of types).
    by : str or array-like, optional
        Entity key column of the rows (integers or strings, no nulls); its name becomes the
        index name of ``entities``. With ``data=None``, the keys themselves. With a CSV path,
        as the command line's ``--by``: "customer" (the default), "product", "channel", or
        any other column of the file.
    value : str or array-like, optional
        The indicator column (revenue, profit, quantity): summed per entity. With a CSV path,
        as the command line's ``--measure``: "revenue" (the default: the amount), "profit"
        (amount - cost), "quantity", or any other numeric column.
    a, b : float, default 0.8 and 0.95
        Class thresholds on the cumulative share, 0 < a < b <= 1.
    rule : {"before", "including"}, default "before"
        "before": an entity is in A while the cumulative share *before* it is below ``a``
        (A covers at least ``a`` of the total, and a single dominant entity is in A);
        "including": in A while the cumulative share *including* it is at most ``a`` (A
        covers at most ``a`` and may be empty). B likewise with ``b``, C the rest.
    nonpositive : {"separate", "include"}, default "separate"
        Entities with a value <= 0: "separate" leaves them out of the ranking and lists them
        in ``not_ranked_entities``; "include" ranks them last, in class C, with shares of the
        total of all values (which must then be > 0).
    threads : int, default 0
        Threads for the core; 0 uses every hardware thread.
    delimiter : str, default ","
        The field separator of a CSV ``data`` path (one character).
    memory_limit : str or int, optional
        With a CSV path: bound the rows held in memory (``"512M"``, ``"2G"``, or bytes; at
        least 32M), as the command line's ``pareto --memory-limit``: a file whose log would
        not fit is cut into parts by entity on disk (``TMPDIR``), each read row by row into
        one total per entity, and the totals ranked together; the result is the same. Memory
        grows with the entities, not the rows: one entity holding most rows costs nothing.
    columns : mapping, optional
        With a CSV path: the file's header names of the columns whose names are not the
        conventional ones, by role, as :func:`read_transactions` takes them:
        ``{"customer": "cust", "amount": "revenue", "product": "sku"}`` (roles: customer,
        date, amount, cost, margin, unit_cost, quantity, order, product, channel), as the
        command line's ``--customer``, ``--amount``... The index of ``entities`` is named
        after the key column read.

    Returns
    -------
    ParetoResult
        Headline figures as attributes, ``entities`` (a DataFrame by rank), ``top_share(f)``,
        ``entities_for_share(s)``, ``curve()`` and ``lorenz()`` points, and ``plot()``. With
        nothing to rank, ``defined`` is False and ``reason`` says why.

    Raises
    ------
    ValueError
        For bad options (naming ``a``, ``b``, ``rule`` or ``nonpositive``), a missing column,
        a NaN or infinite value (naming the entity, or for rows the row and its key), a
        duplicated entity key, or a total <= 0 under ``nonpositive="include"``.

    Examples
    --------
    >>> import custometrics as cm
    >>> r = cm.pareto({"a": 50.0, "b": 30.0, "c": 15.0, "d": 5.0, "e": 0.0})
    >>> r.n, r.gini, r.entities_for_80pct, r.top20_share
    (4, 0.375, 0.5, 0.5)
    >>> r.class_counts
    {'A': 2, 'B': 1, 'C': 1}
    >>> r.entities  # doctest: +NORMALIZE_WHITESPACE
         value  rank  share  cum_share  cum_entity_share abc
    key
    a     50.0     1   0.50       0.50              0.25   A
    b     30.0     2   0.30       0.80              0.50   A
    c     15.0     3   0.15       0.95              0.75   B
    d      5.0     4   0.05       1.00              1.00   C
    >>> r.not_ranked_entities.index.tolist()
    ['e']

    From transaction rows:

    >>> rows = {"customer": [7, 3, 7, 5], "amount": [20.0, 10.0, 5.0, -2.0]}
    >>> r = cm.pareto(rows, by="customer", value="amount")
    >>> r.entities[["value", "abc"]]  # doctest: +NORMALIZE_WHITESPACE
              value abc
    customer
    7          25.0   A
    3          10.0   A
    >>> r.not_ranked, r.not_ranked_total
    (1, -2.0)
    """
    _check_options(a, b)
    options = {"a": a, "b": b, "rule": rule, "nonpositive": nonpositive}
    core_options = _core.pareto_options(float(a), float(b), str(rule), str(nonpositive),
                                        int(threads))
    if isinstance(data, (str, os.PathLike)):
        by = "customer" if by is None else by
        value = "revenue" if value is None else value
        if not isinstance(by, str) or not isinstance(value, str):
            raise input_error("by, value: with a CSV path, name them (a str)", argument="by")
        core, all_keys, totals, name = _core.pareto_csv(
            csv_path(data, delimiter), csv_columns(columns), delimiter, by, value,
            None if memory_limit is None else str(memory_limit), core_options)
        return ParetoResult._from_core(core, key_index(all_keys[core.entity], name),
                                       key_index(all_keys[core.nonpositive], name),
                                       totals[core.nonpositive], options, value)
    if memory_limit is not None or columns is not None:
        which = "memory_limit" if memory_limit is not None else "columns"
        raise input_error(f"{which}: applies to a CSV path only", argument=which)
    if by is not None:
        if value is None:
            raise input_error("value: a value column is required with by=", argument='value')
        table = Table(data)
        by_name, keys = table.keys(by, "by")
        value_name, raw = table.get(value, "value")
        values = float_array(raw, value_name)
        core, ranked, rest_keys, rest_values = _core.pareto_rows(
            keys, values, core_options, by_name, value_name)
        return ParetoResult._from_core(core, key_index(ranked, by_name),
                                       key_index(rest_keys, by_name), rest_values, options,
                                       _measure(data, value))
    keys, values = _values_by_entity(*_per_entity_input(data, value))
    core = _core.pareto(values, core_options)
    key_name = keys.name if keys.name is not None else "key"
    return ParetoResult._from_core(
        core, keys.take(core.entity).rename(key_name),
        keys.take(core.nonpositive).rename(key_name), values[core.nonpositive], options,
        _measure(data, value))


def _measure(data: Any, value: Any) -> Optional[str]:
    """The indicator's name for the charts: the ``value=`` column's name, else the name of a
    Series given as ``data`` or ``value``; None without one."""
    if isinstance(value, str):
        return value
    named = value if value is not None else data
    name = getattr(named, "name", None)
    return name if isinstance(name, str) and name else None


def whale_curve(
    data: Any = None,
    *,
    by: Optional[_Column] = None,
    value: Optional[_Column] = None,
    threads: int = 0,
) -> WhaleResult:
    """The whale curve of profit per entity (Kaplan & Cooper, *Cost & Effect*, 1998).

    Entities are ranked by profit, highest first (ties by key), and the cumulative profit is
    taken as a share of the total profit: the curve rises above 100% over the profitable
    entities to its peak, stays there over those at zero, and falls back to 100% over the
    loss makers. The figures: the peak share and where it is reached, the loss makers and the
    profit they destroy.

    Parameters
    ----------
    data, by, value
        Profit per entity, or transaction rows with ``by=`` and ``value=``, as for
        :func:`pareto` (every entity is ranked, whatever the sign of its profit).
    threads : int, default 0
        Threads for the core; 0 uses every hardware thread.

    Returns
    -------
    WhaleResult
        With ``defined`` False (and a ``reason``; no NaN) when there is no entity or the
        total profit is <= 0.

    Raises
    ------
    ValueError
        For a missing column, a NaN or infinite profit (naming the entity, or the row and its
        key), or a duplicated entity key.

    Examples
    --------
    >>> import custometrics as cm
    >>> w = cm.whale_curve({"a": 30.0, "b": 10.0, "c": -20.0, "d": 0.0})
    >>> w.total, w.peak_share, w.peak_count, w.loss_entities, w.loss_total, w.loss_share
    (20.0, 2.0, 2, 1, 20.0, 1.0)
    >>> w.entities["cum_share"].tolist()
    [1.5, 2.0, 2.0, 1.0]
    """
    if by is not None:
        if value is None:
            raise input_error("value: a value column is required with by=", argument='value')
        table = Table(data)
        by_name, keys = table.keys(by, "by")
        value_name, raw = table.get(value, "value")
        core, ranked = _core.whale_rows(keys, float_array(raw, value_name), int(threads),
                                        by_name, value_name)
        return WhaleResult._from_core(core, key_index(ranked, by_name))
    keys, values = _values_by_entity(*_per_entity_input(data, value))
    core = _core.whale_curve(values, int(threads))
    key_name = keys.name if keys.name is not None else "key"
    return WhaleResult._from_core(core, keys.take(core.entity).rename(key_name))


def gini(values: Any, *, threads: int = 0) -> GiniResult:
    """Gini coefficients of a set of values, zeros and negatives included.

    On the values in ascending order x(1) <= ... <= x(n) with total T (Gini 1912; Damgaard &
    Weiner 2000): ``G = 2 sum_i i x(i) / (n T) - (n + 1) / n``, 0 for equal values and
    (n - 1) / n when one of n values is non-zero; the small-sample form ``G n / (n - 1)``;
    and the Raffinetti-Siletti-Vernizzi form (2015) that stays within [0, (n - 1) / n] when
    some values are negative (where G can exceed 1).

    Parameters
    ----------
    values : array-like, pandas or polars Series, or mapping
        The values (their keys, if any, only name a NaN in the error).
    threads : int, default 0
        Threads for the core's sort; 0 uses every hardware thread.

    Returns
    -------
    GiniResult
        ``float(result)`` is ``result.gini`` (and raises when it is not defined: no values,
        or a total <= 0).

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.gini([0, 0, 0, 5]).gini
    0.75
    >>> g = cm.gini([-2.0, 1.0, 4.0])  # G = 12/9; RSV: 12/21
    >>> round(g.gini, 4), round(g.gini_rsv, 4)
    (1.3333, 0.5714)
    """
    _, v = _values_by_entity(values, "values", by_key=False)
    g = _core.gini(v, int(threads))
    return GiniResult(n=g.n, total=g.total, defined=g.defined, reason=g.reason, gini=g.gini,
                      gini_small_sample=g.gini_small_sample, rsv_defined=g.rsv_defined,
                      gini_rsv=g.gini_rsv)


def compare_periods(
    before: Any,
    after: Any,
    *,
    by: Optional[_Column] = None,
    value: Optional[_Column] = None,
    a: float = 0.8,
    b: float = 0.95,
    rule: _Rule = "before",
    nonpositive: _Nonpositive = "separate",
    threads: int = 0,
) -> PeriodComparison:
    """Compare two periods of one indicator: class migration, entries into and exits from A,
    rank correlation, and the change in Gini and in the 80/20 figures.

    The two periods are aligned on the union of their entity keys; an entity absent from a
    period has value 0 there, so under ``nonpositive="separate"`` it is not ranked in that
    period (class "none"): ``migration.loc["none", "A"]`` counts new entities that went
    straight to A, ``migration.loc["A", "none"]`` former A entities that are gone.

    Parameters
    ----------
    before, after : pandas.Series, mapping, array-like or DataFrame
        One value per entity in each period, keyed as for :func:`pareto` (arrays by
        position), or transaction rows of each period with ``by=`` and ``value=``.
    by, value : str, optional
        Entity key and indicator columns of the rows, when ``before`` and ``after`` are rows.
    a, b, rule, nonpositive, threads
        As for :func:`pareto`, for both periods.

    Returns
    -------
    PeriodComparison

    Raises
    ------
    ValueError
        As :func:`pareto`, naming ``before`` or ``after``.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> before = pd.Series({"a": 10.0, "b": 20.0, "c": 20.0, "d": 30.0})
    >>> after = pd.Series({"a": 1.0, "b": 3.0, "c": 2.0, "d": 4.0, "e": 50.0})
    >>> c = cm.compare_periods(before, after)
    >>> round(c.spearman, 4)  # over a..d: 3 / sqrt(10)
    0.9487
    >>> c.entered_a, c.left_a  # before: d, b, c in A; after: e alone
    (['e'], ['b', 'c', 'd'])
    >>> c.migration  # doctest: +NORMALIZE_WHITESPACE
    after   A  B  C  none
    before
    A       0  2  1     0
    B       0  0  1     0
    C       0  0  0     0
    none    1  0  0     0
    """
    _check_options(a, b)
    if by is not None or value is not None:
        if by is None or value is None:
            raise input_error("by, value: give both to compare transaction rows, or neither")
        from .aggregation import aggregate

        before = aggregate(before, by=by, value=value, moments=False, threads=threads)["sum"]
        after = aggregate(after, by=by, value=value, moments=False, threads=threads)["sum"]
    kb, vb = _values_by_entity(before, "before")
    ka, va = _values_by_entity(after, "after")
    if kb.equals(ka):
        keys = kb
    else:
        keys = kb.union(ka)
        vb = pd.Series(vb, index=kb).reindex(keys, fill_value=0.0).to_numpy()
        va = pd.Series(va, index=ka).reindex(keys, fill_value=0.0).to_numpy()
    key_name = kb.name if kb.name is not None else ka.name if ka.name is not None else "key"
    keys = keys.rename(key_name)
    raw = _core.compare_periods(vb, va, _core.pareto_options(float(a), float(b), str(rule),
                                                             str(nonpositive), int(threads)))
    options = {"a": a, "b": b, "rule": rule, "nonpositive": nonpositive}

    def period(core: Any, values: np.ndarray) -> ParetoResult:
        return ParetoResult._from_core(core, keys.take(core.entity), keys.take(core.nonpositive),
                                       values[core.nonpositive], options)

    labels = list(_CLASSES) + ["none"]
    return PeriodComparison(
        before=period(raw.before, vb),
        after=period(raw.after, va),
        migration=pd.DataFrame(np.array(raw.migration, dtype=np.int64),
                               index=pd.Index(labels, name="before"),
                               columns=pd.Index(labels, name="after")),
        entered_a=keys.take(raw.entered_a).tolist(),
        left_a=keys.take(raw.left_a).tolist(),
        spearman=raw.spearman.rho,
        spearman_n=raw.spearman.n,
        spearman_defined=raw.spearman.defined,
        spearman_reason=raw.spearman.reason,
        changes_defined=raw.changes_defined,
        gini_change=raw.gini_change,
        entities_for_80pct_change=raw.entities_for_80pct_change,
        top20_share_change=raw.top20_share_change,
    )
