"""Break-even analysis (cost-volume-profit): the sales volume at which revenue covers total
cost, for one product, a sales mix, fixed costs that step with capacity, and revenue and cost
series over time; the margin above it, how it moves when price or costs change, and the data
of the break-even chart.

With price ``p`` and unit variable cost ``v`` per unit and fixed costs ``F`` per period, the
profit of ``Q`` units is ``Q (p - v) - F``; the contribution margin is ``p - v``, break-even
is ``F / (p - v)`` units (Horngren, Datar & Rajan, *Cost Accounting*, ch. 3; Garrison,
Noreen & Brewer, *Managerial Accounting*, ch. 5-6). Every figure is computed by the C++ core
(``custometrics/break_even.hpp`` documents each definition); this module converts the input
and shapes the output.

Unreachable is a result, not an error: with a contribution margin <= 0 there is no
break-even, the result has ``defined`` False, a ``reason``, and None for the figures that do
not exist (never NaN; in DataFrames, pandas' missing value ``<NA>``). Invalid input (negative
fixed costs, a price that is not finite or <= 0, shares that do not sum to 1, a tax rate
outside [0, 1), ...) raises ValueError naming the input and its value.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._errors import input_error
from ._frames import Table, _is_polars_frame, float_array, seconds_to_timestamp, to_seconds
from ._display import result_display

_Column = Any  # a column name, or an array-like (numpy array, pandas or polars Series, list)

# --------------------------------------------------------------------------------------------
# Input


def _number(x: Any, name: str) -> float:
    """A scalar input as float (its range is checked by the core, which names it)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {type(x).__name__} {x!r}")
    return float(x)


def _optional(x: Any, name: str) -> Optional[float]:
    return None if x is None else _number(x, name)


def _model(fixed_costs: Any, price: Any, unit_variable_cost: Any) -> tuple:
    return (_number(fixed_costs, "fixed_costs"), _number(price, "price"),
            _number(unit_variable_cost, "unit_variable_cost"))


def _nullable(values: Any, defined: Any) -> pd.arrays.FloatingArray:
    """Float64 values with pandas' missing value where not ``defined`` (never NaN)."""
    values = np.asarray(values, dtype=np.float64)
    missing = ~np.asarray(defined, dtype=bool)
    return pd.arrays.FloatingArray(np.where(missing, 0.0, values), missing)


def _if(defined: bool, x: float) -> Optional[float]:
    return x if defined else None


# --------------------------------------------------------------------------------------------
# One product


@result_display
@dataclass(frozen=True)
class BreakEvenPoint:
    """A break-even point and the contribution margin it rests on (see :func:`break_even`).

    Attributes
    ----------
    contribution_margin : float
        Price - unit variable cost, per unit.
    contribution_margin_ratio : float
        Contribution margin / price.
    defined : bool
        False when the contribution margin is <= 0: no volume breaks even.
    reason : str
        Why it is not defined, else "".
    units, revenue : float or None
        Break-even units (fixed costs / contribution margin) and revenue (units * price);
        None when not defined.
    """

    contribution_margin: float
    contribution_margin_ratio: float
    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]

    @classmethod
    def _from_core(cls, p: Any) -> "BreakEvenPoint":
        return cls(contribution_margin=p.contribution_margin,
                   contribution_margin_ratio=p.contribution_margin_ratio, defined=p.defined,
                   reason=p.reason, units=_if(p.defined, p.units),
                   revenue=_if(p.defined, p.revenue))


@result_display
@dataclass(frozen=True)
class TargetProfitResult:
    """Sales needed for a target profit (see :func:`target_profit`).

    Attributes
    ----------
    pre_tax_profit : float
        The target before tax: ``target / (1 - tax_rate)`` for a target > 0, else the target.
    defined : bool
        False when the contribution margin is <= 0, or the target is a loss larger than the
        fixed costs (it would need negative units).
    reason : str
        Why it is not defined, else "".
    units, revenue : float or None
        ``(fixed_costs + pre_tax_profit) / contribution_margin`` and units * price.
    """

    pre_tax_profit: float
    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]


@result_display
@dataclass(frozen=True)
class MarginOfSafety:
    """How far sales can fall before a loss (see :func:`margin_of_safety`).

    Attributes
    ----------
    defined : bool
        False when there is no break-even or the sales are 0.
    reason : str
        Why it is not defined, else "".
    units, revenue : float or None
        Sales units - break-even units (negative below break-even), and that times the price.
    ratio : float or None
        ``units / sales_units``: the share of sales, 0.2 for 20%.
    """

    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]
    ratio: Optional[float]


@result_display
@dataclass(frozen=True)
class OperatingLeverage:
    """Degree of operating leverage at a sales level (see :func:`operating_leverage`).

    Attributes
    ----------
    contribution : float
        Total contribution margin: sales units * contribution margin.
    profit : float
        Contribution - fixed costs.
    defined : bool
        False at break-even (profit 0), where the degree grows without bound.
    reason : str
        Why it is not defined, else "".
    degree : float or None
        Contribution / profit: the % change of profit per % change of sales; negative below
        break-even.
    """

    contribution: float
    profit: float
    defined: bool
    reason: str
    degree: Optional[float]


def break_even(*, fixed_costs: float, price: float, unit_variable_cost: float) -> BreakEvenPoint:
    """Break-even units and revenue of one product: ``F / (p - v)`` and ``F / ((p - v) / p)``.

    Parameters
    ----------
    fixed_costs : float
        Fixed costs per period, finite and >= 0.
    price : float
        Price per unit, finite and > 0.
    unit_variable_cost : float
        Variable cost per unit, finite and >= 0.

    Returns
    -------
    BreakEvenPoint
        With ``defined`` False, a ``reason`` and None for units and revenue when the
        contribution margin is <= 0.

    Raises
    ------
    ValueError
        Naming the invalid input and its value.

    Examples
    --------
    >>> import custometrics as cm
    >>> be = cm.break_even(fixed_costs=40_000, price=50, unit_variable_cost=30)
    >>> be.contribution_margin, be.contribution_margin_ratio, be.units, be.revenue
    (20.0, 0.4, 2000.0, 100000.0)
    >>> cm.break_even(fixed_costs=40_000, price=30, unit_variable_cost=30).units is None
    True
    """
    return BreakEvenPoint._from_core(
        _core.break_even(_core.CvpModel(*_model(fixed_costs, price, unit_variable_cost))))


def cash_break_even(*, fixed_costs: float, price: float, unit_variable_cost: float,
                    non_cash_costs: float) -> BreakEvenPoint:
    """Cash break-even: the volume at which receipts cover the fixed costs paid in cash,
    ``(F - D) / (p - v)``, with ``D`` the non-cash part of the fixed costs (depreciation,
    amortisation).

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    non_cash_costs : float
        The non-cash part of ``fixed_costs`` (depreciation): 0 <= non_cash_costs <=
        fixed_costs.

    Returns
    -------
    BreakEvenPoint

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.cash_break_even(fixed_costs=40_000, price=50, unit_variable_cost=30,
    ...                    non_cash_costs=10_000).units  # 30,000 / 20
    1500.0
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    return BreakEvenPoint._from_core(
        _core.cash_break_even(_core.CvpModel(f, p, v), _number(non_cash_costs, "non_cash_costs")))


def target_profit(*, fixed_costs: float, price: float, unit_variable_cost: float,
                  target_profit: float, tax_rate: float = 0.0) -> TargetProfitResult:
    """Units and revenue that earn a target profit, before tax or after tax at a rate.

    With ``tax_rate`` t > 0 the target is the net profit after tax, and the profit before tax
    is ``target / (1 - t)`` (no tax is charged on a loss, so a target <= 0 is taken as is);
    the units are ``(F + profit before tax) / (p - v)``.

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    target_profit : float
        The profit wanted (after tax when ``tax_rate`` > 0), finite.
    tax_rate : float, default 0
        Income tax rate in [0, 1).

    Returns
    -------
    TargetProfitResult

    Examples
    --------
    >>> import custometrics as cm
    >>> r = cm.target_profit(fixed_costs=40_000, price=50, unit_variable_cost=30,
    ...                      target_profit=14_000, tax_rate=0.3)
    >>> r.pre_tax_profit, r.units, r.revenue  # 14,000 / 0.7; 60,000 / 20
    (20000.0, 3000.0, 150000.0)
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    r = _core.target_profit(_core.CvpModel(f, p, v), _number(target_profit, "target_profit"),
                            _number(tax_rate, "tax_rate"))
    return TargetProfitResult(pre_tax_profit=r.pre_tax_profit, defined=r.defined,
                              reason=r.reason, units=_if(r.defined, r.units),
                              revenue=_if(r.defined, r.revenue))


def margin_of_safety(*, fixed_costs: float, price: float, unit_variable_cost: float,
                     sales_units: float) -> MarginOfSafety:
    """Margin of safety at a sales volume: units, revenue and share of sales above
    break-even.

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    sales_units : float
        Units sold (or planned), finite and >= 0.

    Returns
    -------
    MarginOfSafety
        Not defined without a break-even, or at 0 sales.

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.margin_of_safety(fixed_costs=40_000, price=50, unit_variable_cost=30,
    ...                         sales_units=2_500)
    >>> m.units, m.revenue, m.ratio  # 2,500 - 2,000; 500 * 50; 500 / 2,500
    (500.0, 25000.0, 0.2)
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    r = _core.margin_of_safety(_core.CvpModel(f, p, v), _number(sales_units, "sales_units"))
    return MarginOfSafety(defined=r.defined, reason=r.reason, units=_if(r.defined, r.units),
                          revenue=_if(r.defined, r.revenue), ratio=_if(r.defined, r.ratio))


def operating_leverage(*, fixed_costs: float, price: float, unit_variable_cost: float,
                       sales_units: float) -> OperatingLeverage:
    """Degree of operating leverage at a sales volume: contribution / operating profit.

    Undefined at break-even (profit 0 within rounding); negative below it.

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    sales_units : float
        Units sold, finite and >= 0.

    Returns
    -------
    OperatingLeverage

    Examples
    --------
    >>> import custometrics as cm
    >>> d = cm.operating_leverage(fixed_costs=40_000, price=50, unit_variable_cost=30,
    ...                           sales_units=2_500)
    >>> d.contribution, d.profit, d.degree  # 2,500 * 20; - 40,000; 50,000 / 10,000
    (50000.0, 10000.0, 5.0)
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    r = _core.operating_leverage(_core.CvpModel(f, p, v), _number(sales_units, "sales_units"))
    return OperatingLeverage(contribution=r.contribution, profit=r.profit, defined=r.defined,
                             reason=r.reason, degree=_if(r.defined, r.degree))


@result_display
@dataclass(frozen=True)
class BreakEvenAnalysis:
    """The figures of ``custometrics break-even`` for one product (see
    :func:`break_even_analysis`).

    Attributes
    ----------
    fixed_costs, price, unit_variable_cost : float
        The model.
    sales_units, target_profit, depreciation : float or None
        The optional inputs, as given.
    tax_rate : float
        The tax rate of the target profit.
    contribution_margin, contribution_margin_ratio : float
        Per unit, and as a share of the price.
    break_even_units, break_even_revenue : float or None
        None when there is no break-even (contribution margin <= 0).
    target_units : float or None
        Units for ``target_profit`` (after tax at ``tax_rate``); None when not asked or not
        defined.
    margin_of_safety_units, margin_of_safety_pct : float or None
        At ``sales_units``: units above break-even and their percent of sales (20.0 for 20%,
        as the CLI prints it).
    operating_leverage : float or None
        Degree of operating leverage at ``sales_units``.
    cash_break_even_units : float or None
        ``(fixed_costs - depreciation) / contribution_margin``.
    defined, reason : bool, str
        Whether there is a break-even, and why not.
    reasons : dict
        For each figure asked for that is None, why (the figure's name -> reason).
    """

    fixed_costs: float
    price: float
    unit_variable_cost: float
    sales_units: Optional[float]
    target_profit: Optional[float]
    tax_rate: float
    depreciation: Optional[float]
    contribution_margin: float
    contribution_margin_ratio: float
    break_even_units: Optional[float]
    break_even_revenue: Optional[float]
    target_units: Optional[float]
    margin_of_safety_units: Optional[float]
    margin_of_safety_pct: Optional[float]
    operating_leverage: Optional[float]
    cash_break_even_units: Optional[float]
    defined: bool
    reason: str
    reasons: Dict[str, str] = field(default_factory=dict)
    _figures: tuple = field(default=(), repr=False, compare=False)

    def to_dict(self) -> Dict[str, Optional[float]]:
        """The keys and values of the CLI's JSON: the figures always printed, and those
        whose inputs were given (None where the CLI prints null)."""
        return dict(self._figures)

    def plot(self, ax: Any = None, volume_max: Optional[float] = None) -> Any:
        """Draw the break-even chart (see :func:`custometrics.plot.break_even_chart`)."""
        from . import plot

        return plot.break_even_chart(self, ax=ax, volume_max=volume_max)


def break_even_analysis(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    sales_units: Optional[float] = None,
    target_profit: Optional[float] = None,
    tax_rate: float = 0.0,
    depreciation: Optional[float] = None,
) -> BreakEvenAnalysis:
    """Every single-product figure at once, as ``custometrics break-even`` prints them.

    Break-even units and revenue always; with ``target_profit`` the units for it (after tax
    at ``tax_rate``); with ``sales_units`` the margin of safety and operating leverage; with
    ``depreciation`` the cash break-even.

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    sales_units : float, optional
        Units sold, for the margin of safety and operating leverage.
    target_profit : float, optional
        Profit wanted (after tax when ``tax_rate`` > 0).
    tax_rate : float, default 0
        In [0, 1).
    depreciation : float, optional
        Non-cash part of the fixed costs, for the cash break-even (0 <= depreciation <=
        fixed_costs).

    Returns
    -------
    BreakEvenAnalysis
        ``to_dict()`` gives the CLI's JSON keys; ``plot()`` the break-even chart.

    Raises
    ------
    ValueError
        Naming the invalid input and its value.

    Examples
    --------
    >>> import custometrics as cm
    >>> a = cm.break_even_analysis(fixed_costs=40_000, price=50, unit_variable_cost=30,
    ...                            sales_units=2_500, target_profit=10_000, depreciation=10_000)
    >>> a.to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'contribution_margin': 20.0, 'contribution_margin_ratio': 0.4, 'break_even_units': 2000.0,
     'break_even_revenue': 100000.0, 'target_units': 2500.0, 'margin_of_safety_units': 500.0,
     'margin_of_safety_pct': 20.0, 'operating_leverage': 5.0, 'cash_break_even_units': 1500.0}
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    q = _optional(sales_units, "sales_units")
    target = _optional(target_profit, "target_profit")
    tax = _number(tax_rate, "tax_rate")
    dep = _optional(depreciation, "depreciation")
    a = _core.break_even_analysis(_core.BreakEvenInputs(
        model=_core.CvpModel(f, p, v), sales_units=q, target_profit=target, tax_rate=tax,
        depreciation=dep))
    core_figures = a.figures()  # in the CLI's key order
    figures = tuple((x.name, _if(x.defined, x.value)) for x in core_figures)
    values = dict(figures)
    be = a.break_even
    return BreakEvenAnalysis(
        fixed_costs=f, price=p, unit_variable_cost=v, sales_units=q, target_profit=target,
        tax_rate=tax, depreciation=dep, contribution_margin=be.contribution_margin,
        contribution_margin_ratio=be.contribution_margin_ratio,
        break_even_units=values["break_even_units"],
        break_even_revenue=values["break_even_revenue"],
        target_units=values.get("target_units"),
        margin_of_safety_units=values.get("margin_of_safety_units"),
        margin_of_safety_pct=values.get("margin_of_safety_pct"),
        operating_leverage=values.get("operating_leverage"),
        cash_break_even_units=values.get("cash_break_even_units"),
        defined=be.defined, reason=be.reason,
        reasons={x.name: x.reason for x in core_figures if not x.defined},
        _figures=figures,
    )


# --------------------------------------------------------------------------------------------
# Sales mix


@result_display
@dataclass(frozen=True)
class MixBreakEven:
    """Break-even of products sold in a fixed mix (see :func:`break_even_mix`).

    Attributes
    ----------
    fixed_costs : float
        The fixed costs shared by the mix.
    basis : str
        How the shares were given: "units" or "revenue".
    average_price : float
        Price of one mix unit: the unit-share-weighted average price.
    weighted_contribution_margin, weighted_contribution_margin_ratio : float
        Unit-share-weighted contribution margin, and that / the average price.
    defined : bool
        False when the weighted contribution margin is <= 0.
    reason : str
        Why it is not defined, else "".
    units, revenue : float or None
        Total break-even units (fixed costs / weighted margin) and revenue.
    products : pandas.DataFrame
        One row per product, indexed by product: ``price``, ``unit_variable_cost``,
        ``contribution_margin``, ``unit_share``, ``revenue_share``, ``break_even_units`` and
        ``break_even_revenue`` (the last two Float64, missing when not defined).
    """

    fixed_costs: float
    basis: str
    average_price: float
    weighted_contribution_margin: float
    weighted_contribution_margin_ratio: float
    defined: bool
    reason: str
    units: Optional[float]
    revenue: Optional[float]
    products: pd.DataFrame = field(repr=False, compare=False)


def _product_index(table: Table, data: Any, product: Any, n: int) -> pd.Index:
    """The products' names as given (``product``, else the ``product`` column of ``data``),
    else positions 0..n-1; whether they are unique is checked by the core."""
    if product is None:
        if data is None or "product" not in table._names():
            return pd.RangeIndex(n, name="product")
        product = "product"
    name, keys = table.get(product, "product")
    return pd.Index(np.asarray(keys), name=name)


def break_even_mix(
    data: Any = None,
    *,
    fixed_costs: float,
    product: Optional[_Column] = None,
    price: _Column = "price",
    unit_variable_cost: _Column = "unit_variable_cost",
    mix: _Column = "mix",
    basis: Literal["units", "revenue"] = "units",
    tolerance: float = 1e-6,
) -> MixBreakEven:
    """Break-even of several products sold in a fixed mix.

    The mix behaves as one product whose price and unit variable cost are the averages
    weighted by the unit shares (Horngren et al., ch. 3, "Multiple Products"). Shares by
    revenue ``r_i`` become shares by units ``(r_i / p_i) / sum_j (r_j / p_j)``. A product may
    have a negative margin; only the weighted one must be > 0.

    Parameters
    ----------
    data : pandas or polars DataFrame, mapping of columns, optional
        One row per product, with the columns below (by default ``product``, ``price``,
        ``unit_variable_cost`` and ``mix``, as the CLI's mix CSV). With ``data=None``, pass
        the columns themselves.
    fixed_costs : float
        Fixed costs of the period, finite and >= 0.
    product : str or array-like, optional
        Product names (unique); default the ``product`` column if there is one, else 0..n-1.
    price, unit_variable_cost, mix : str or array-like
        Price and unit variable cost per product, and its share of units (or of revenue).
    basis : {"units", "revenue"}, default "units"
        What the shares are shares of.
    tolerance : float, default 1e-6
        How far the shares may sum from 1 (they are then divided by their sum).

    Returns
    -------
    MixBreakEven

    Raises
    ------
    ValueError
        For an empty mix, an invalid price, unit cost or share (naming the column and the
        product's position), shares whose sum is not 1, or a duplicated product.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> products = pd.DataFrame({"product": ["a", "b", "c"], "price": [20.0, 30.0, 50.0],
    ...                          "unit_variable_cost": [12.0, 18.0, 35.0],
    ...                          "mix": [0.5, 0.3, 0.2]})
    >>> r = cm.break_even_mix(products, fixed_costs=53_000)
    >>> round(r.weighted_contribution_margin, 10), round(r.units, 6)  # .5*8 + .3*12 + .2*15
    (10.6, 5000.0)
    >>> r.products[["break_even_units", "break_even_revenue"]].round(6)
    ... # doctest: +NORMALIZE_WHITESPACE
             break_even_units  break_even_revenue
    product
    a                  2500.0             50000.0
    b                  1500.0             45000.0
    c                  1000.0             50000.0
    """
    table = Table(data)
    price_name, raw_price = table.get(price, "price")
    cost_name, raw_cost = table.get(unit_variable_cost, "unit_variable_cost")
    mix_name, raw_mix = table.get(mix, "mix")
    p = np.ascontiguousarray(float_array(raw_price, price_name))
    v = np.ascontiguousarray(float_array(raw_cost, cost_name))
    s = np.ascontiguousarray(float_array(raw_mix, mix_name))
    index = _product_index(table, data, product, len(p))
    f = _number(fixed_costs, "fixed_costs")
    names = [] if isinstance(index, pd.RangeIndex) else [str(k) for k in index]
    r = _core.break_even_mix(f, names, p, v, s, str(basis), _number(tolerance, "tolerance"),
                             _core.MixNames(product=str(index.name), price=price_name,
                                            unit_variable_cost=cost_name, share=mix_name))
    defined = r.defined
    products = pd.DataFrame({
        "price": p,
        "unit_variable_cost": v,
        "contribution_margin": r.contribution_margin,
        "unit_share": r.unit_share,
        "revenue_share": r.revenue_share,
        "break_even_units": _nullable(r.product_units, np.full(len(p), defined)),
        "break_even_revenue": _nullable(r.product_revenue, np.full(len(p), defined)),
    }, index=index)
    return MixBreakEven(
        fixed_costs=f, basis=str(basis), average_price=r.average_price,
        weighted_contribution_margin=r.weighted_contribution_margin,
        weighted_contribution_margin_ratio=r.weighted_contribution_margin_ratio,
        defined=defined, reason=r.reason, units=_if(defined, r.units),
        revenue=_if(defined, r.revenue), products=products,
    )


@result_display
@dataclass(frozen=True)
class SalesMix:
    """The current sales mix of transaction rows (see :func:`sales_mix_from_log`).

    Attributes
    ----------
    products : pandas.DataFrame
        One row per product with net units > 0, in ascending key order: ``product``,
        ``price`` (net amount / net units), ``unit_variable_cost`` (net cost / net units),
        ``mix`` (share of units) and ``quantity`` (net units); ready for
        :func:`break_even_mix`.
    excluded : list
        Products with net units <= 0 (no unit price), left out of the mix.
    excluded_amount : float
        Net amount of the excluded products.
    """

    products: pd.DataFrame = field(compare=False)
    excluded: List[Any]
    excluded_amount: float


def sales_mix_from_log(
    data: Any = None,
    *,
    product: _Column = "product",
    amount: _Column = "amount",
    cost: _Column = "cost",
    quantity: _Column = "quantity",
) -> SalesMix:
    """The mix, average price and average unit cost per product of transaction rows.

    Returns are netted: a row with a negative amount takes ``|quantity|`` units off its
    product (its cost, negative like its amount, comes off too). Rows with quantity 0 (fees)
    add to the amount and cost but not to the units. Cost of goods is the only variable cost
    a log knows.

    Parameters
    ----------
    data : pandas or polars DataFrame, mapping of columns, optional
        The transaction rows; with ``data=None``, pass the columns themselves.
    product, amount, cost, quantity : str or array-like
        Product key (integers or strings), net amount (negative for returns), cost of goods
        and units of each row.

    Returns
    -------
    SalesMix

    Examples
    --------
    >>> import custometrics as cm
    >>> rows = {"product": ["p1", "p1", "p1", "p2"], "amount": [200.0, 100.0, -40.0, 30.0],
    ...         "cost": [120.0, 60.0, -24.0, 10.0], "quantity": [10.0, 5.0, 2.0, 3.0]}
    >>> m = cm.sales_mix_from_log(rows)
    >>> m.products  # p1: 13 units, 260 / 13 = 20, 156 / 13 = 12  # doctest: +NORMALIZE_WHITESPACE
      product  price  unit_variable_cost     mix  quantity
    0      p1   20.0           12.000000  0.8125      13.0
    1      p2   10.0            3.333333  0.1875       3.0
    """
    table = Table(data)
    product_name, keys = table.keys(product, "product")
    a = table.floats(amount, "amount")
    c = table.floats(cost, "cost")
    q = table.floats(quantity, "quantity")
    product_keys, r = _core.sales_mix_from_log(keys, a, c, q, product_name)
    products = pd.DataFrame({
        product_name: product_keys[r.product],
        "price": r.price,
        "unit_variable_cost": r.unit_variable_cost,
        "mix": r.share,
        "quantity": r.quantity,
    })
    return SalesMix(products=products, excluded=product_keys[r.excluded].tolist(),
                    excluded_amount=r.excluded_amount)


# --------------------------------------------------------------------------------------------
# Stepped fixed costs


@result_display
@dataclass(frozen=True)
class SteppedBreakEven:
    """Break-even points under fixed costs that step with capacity (see
    :func:`break_even_stepped`).

    Attributes
    ----------
    contribution_margin : float
        Price - unit variable cost.
    units : list of float
        The break-even points that lie inside their band, ascending.
    defined : bool
        Whether there is at least one.
    reason : str
        Why there is none, else "".
    bands : pandas.DataFrame
        One row per band: ``from``, ``to``, ``fixed_costs``, ``units`` (the band's candidate
        ``fixed_costs / contribution_margin``; missing when the margin is <= 0), ``revenue``,
        ``in_band`` and ``reason`` (why the candidate is not a break-even point, else "").
    """

    contribution_margin: float
    units: List[float]
    defined: bool
    reason: str
    bands: pd.DataFrame = field(repr=False, compare=False)


def _band_columns(bands: Any) -> tuple:
    if isinstance(bands, pd.DataFrame) or _is_polars_frame(bands) or isinstance(bands, Mapping):
        table = Table(bands)
        return tuple(table.floats(c, "bands") for c in ("from", "to", "fixed_costs"))
    rows = [tuple(b) for b in bands]
    if any(len(b) != 3 for b in rows):
        raise input_error("bands: expected (from, to, fixed_costs) for every band",
                          argument='bands')
    cols = np.array(rows, dtype=np.float64).reshape(len(rows), 3)
    return tuple(np.ascontiguousarray(cols[:, k]) for k in range(3))


def break_even_stepped(bands: Any, *, price: float,
                       unit_variable_cost: float) -> SteppedBreakEven:
    """Break-even points when fixed costs step with capacity.

    For each band ``[from, to)`` of volume, ``F_band / (p - v)`` is a break-even point when it
    lies inside the band (a point on ``to`` belongs to the next band). Profit can turn positive
    in one band and negative again when the next step is taken, so there may be several
    points, or none.

    Parameters
    ----------
    bands : DataFrame or mapping with columns ``from``, ``to``, ``fixed_costs``, or a sequence
        of ``(from, to, fixed_costs)``
        In order and contiguous (each ``to`` the next ``from``), 0 <= from < to; the last
        ``to`` may be infinite.
    price, unit_variable_cost : float
        As for :func:`break_even`.

    Returns
    -------
    SteppedBreakEven

    Raises
    ------
    ValueError
        Naming the band that overlaps, leaves a gap or has an invalid bound or cost.

    Examples
    --------
    >>> import custometrics as cm
    >>> r = cm.break_even_stepped([(0, 3_000, 40_000), (3_000, 6_000, 70_000)],
    ...                           price=50, unit_variable_cost=30)
    >>> r.units  # 40,000 / 20 and 70,000 / 20
    [2000.0, 3500.0]
    """
    start, end, fixed = _band_columns(bands)
    r = _core.break_even_stepped(_number(price, "price"),
                                 _number(unit_variable_cost, "unit_variable_cost"),
                                 start, end, fixed)
    has_margin = r.contribution_margin > 0
    n = len(start)
    frame = pd.DataFrame({
        "from": start,
        "to": end,
        "fixed_costs": fixed,
        "units": _nullable([b.units for b in r.bands], np.full(n, has_margin)),
        "revenue": _nullable([b.revenue for b in r.bands], np.full(n, has_margin)),
        "in_band": np.array([b.in_band for b in r.bands], dtype=bool),
        "reason": [b.reason for b in r.bands],
    })
    return SteppedBreakEven(contribution_margin=r.contribution_margin,
                            units=[float(u) for u in r.units], defined=r.defined,
                            reason=r.reason, bands=frame)


# --------------------------------------------------------------------------------------------
# Over time


@result_display
@dataclass(frozen=True)
class BreakEvenOverTime:
    """When cumulative revenue reaches cumulative total cost (see
    :func:`break_even_over_time`).

    Attributes
    ----------
    reached : bool
        Whether break-even is reached in the data (the core's ``defined``).
    date : pandas.Timestamp or None
        The interpolated time it is reached (to the second); None when not reached.
    period : int or None
        Position of the period in which it is reached.
    remaining_gap : float or None
        When not reached: cumulative cost - cumulative revenue at the end; None when reached.
    reason : str
        Why it is not reached, else "".
    end : pandas.Timestamp
        End of the last period (exclusive).
    periods : pandas.DataFrame
        Indexed by ``period_start``: ``cumulative_revenue``, ``cumulative_cost`` and
        ``cumulative_profit`` at each period's end.
    """

    reached: bool
    date: Optional[pd.Timestamp]
    period: Optional[int]
    remaining_gap: Optional[float]
    reason: str
    end: pd.Timestamp
    periods: pd.DataFrame = field(repr=False, compare=False)

    @classmethod
    def _from_core(cls, r: Any) -> "BreakEvenOverTime":
        periods = pd.DataFrame({
            "cumulative_revenue": r.cumulative_revenue,
            "cumulative_cost": r.cumulative_cost,
            "cumulative_profit": r.cumulative_profit,
        }, index=pd.DatetimeIndex(r.period_start_ns.view("datetime64[ns]"), name="period_start"))
        reached = r.defined
        return cls(reached=reached, date=seconds_to_timestamp(r.time) if reached else None,
                   period=int(r.period) if reached else None,
                   remaining_gap=None if reached else r.remaining_gap, reason=r.reason,
                   end=seconds_to_timestamp(r.end), periods=periods)


def break_even_over_time(
    data: Any = None,
    *,
    period_start: _Column = "period_start",
    revenue: _Column = "revenue",
    cost: _Column = "cost",
    end: Any = None,
) -> BreakEvenOverTime:
    """The first time cumulative revenue reaches cumulative total cost, from revenue and total
    cost (fixed plus variable) per period.

    Revenue and cost accrue evenly within a period, so cumulative profit is linear there: the
    break-even is where the profit line of the first period ending in profit crosses 0. If the
    first period already ends in profit, the break-even is its start. Not reached:
    ``reached`` False and the remaining gap.

    Parameters
    ----------
    data : pandas or polars DataFrame, mapping of columns, optional
        One row per period; with ``data=None``, pass the columns themselves.
    period_start : str or array-like
        Start of each period (datetime64, date objects or ISO 8601 strings), increasing.
    revenue, cost : str or array-like
        Revenue and total cost of each period.
    end : date-like, optional
        End of the last period (exclusive). Default: for starts on the first of a month, as
        many months after the last start as between the last two; else the last start plus
        the last period's length. Required with a single period.

    Returns
    -------
    BreakEvenOverTime

    Raises
    ------
    ValueError
        For lengths that differ, no period, starts not increasing, ``end`` not after the last
        start, or a non-finite revenue or cost (naming the period).

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> r = cm.break_even_over_time(
    ...     period_start=pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
    ...     revenue=[1_000.0, 3_000.0, 3_000.0], cost=[2_000.0, 1_500.0, 1_500.0])
    >>> r.reached, r.date  # profit -1,000 then +500: 2/3 of February's 29 days
    (True, Timestamp('2024-02-20 08:00:00'))
    """
    table = Table(data)
    _, ticks, per_second = table.times(period_start, "period_start")
    starts = np.ascontiguousarray(ticks // per_second if per_second != 1 else ticks)
    rev = np.ascontiguousarray(table.floats(revenue, "revenue"))
    cst = np.ascontiguousarray(table.floats(cost, "cost"))
    end_s = None if end is None else to_seconds(end, "end")  # None: the core's default
    return BreakEvenOverTime._from_core(_core.break_even_over_time(starts, end_s, rev, cst))


def break_even_over_time_from_log(
    data: Any = None,
    *,
    fixed_costs_per_month: float,
    date: _Column = "date",
    amount: _Column = "amount",
    cost: _Column = "cost",
) -> BreakEvenOverTime:
    """:func:`break_even_over_time` over the calendar months of a transaction log.

    Revenue is the net amount of each month (returns negative), total cost its cost of goods
    plus ``fixed_costs_per_month``. Months run from that of the first transaction to that of
    the last, empty months included; the last month counts whole.

    Parameters
    ----------
    data : pandas or polars DataFrame, mapping of columns, optional
        The transaction rows; with ``data=None``, pass the columns themselves.
    fixed_costs_per_month : float
        Finite and >= 0.
    date, amount, cost : str or array-like
        Time, net amount and cost of goods of each row.

    Returns
    -------
    BreakEvenOverTime

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2024-01-10", "2024-02-05", "2024-02-20"]),
    ...                     "amount": [1_500.0, 2_500.0, 2_500.0],
    ...                     "cost": [500.0, 500.0, 500.0]})
    >>> r = cm.break_even_over_time_from_log(log, fixed_costs_per_month=2_000)
    >>> r.periods["cumulative_profit"].tolist()  # -1,000 in January, +1,000 in February
    [-1000.0, 1000.0]
    >>> r.date  # half way through February
    Timestamp('2024-02-15 12:00:00')
    """
    table = Table(data)
    _, ticks, per_second = table.times(date, "date")
    a = table.floats(amount, "amount")
    c = table.floats(cost, "cost")
    return BreakEvenOverTime._from_core(_core.break_even_over_time_log(
        ticks, per_second, a, c, _number(fixed_costs_per_month, "fixed_costs_per_month")))


# --------------------------------------------------------------------------------------------
# Sensitivity and chart data


def tornado(*, fixed_costs: float, price: float, unit_variable_cost: float,
            sales_units: float, change: float = 0.1) -> pd.DataFrame:
    """The tornado table: profit and break-even units with each input moved by -x and +x,
    one at a time.

    Price, unit variable cost, fixed costs and sales volume are each lowered and raised by
    ``change`` (volume moves the profit only).

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    sales_units : float
        The sales volume of the base case, finite and >= 0.
    change : float, default 0.1
        The relative change, 0 <= change < 1 (0.1 for +-10%).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``variable`` ("price", "unit_variable_cost", "fixed_costs", "volume"), by
        profit swing descending: ``low_value`` and ``high_value`` (the input moved),
        ``low_profit``, ``high_profit``, ``profit_swing`` (their absolute difference),
        ``low_break_even_units``, ``high_break_even_units`` and ``break_even_units_swing``
        (Float64, missing where there is no break-even). ``attrs`` holds ``change``,
        ``sales_units``, ``base_profit`` and ``base_break_even_units`` (None if undefined).

    Examples
    --------
    >>> import custometrics as cm
    >>> t = cm.tornado(fixed_costs=40_000, price=50, unit_variable_cost=30, sales_units=2_500)
    >>> t[["low_profit", "high_profit", "profit_swing"]].round(6)
    ... # doctest: +NORMALIZE_WHITESPACE
                        low_profit  high_profit  profit_swing
    variable
    price                  -2500.0      22500.0       25000.0
    unit_variable_cost     17500.0       2500.0       15000.0
    volume                  5000.0      15000.0       10000.0
    fixed_costs            14000.0       6000.0        8000.0
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    q = _number(sales_units, "sales_units")
    r = _core.tornado(_core.CvpModel(f, p, v), q, _number(change, "change"))
    rows = r.rows
    low_units = _nullable([row.low.break_even.units for row in rows],
                          [row.low.break_even.defined for row in rows])
    high_units = _nullable([row.high.break_even.units for row in rows],
                           [row.high.break_even.defined for row in rows])
    frame = pd.DataFrame({
        "low_value": [row.low.value for row in rows],
        "high_value": [row.high.value for row in rows],
        "low_profit": [row.low.profit for row in rows],
        "high_profit": [row.high.profit for row in rows],
        "profit_swing": [row.profit_swing for row in rows],
        "low_break_even_units": low_units,
        "high_break_even_units": high_units,
        "break_even_units_swing": _nullable(
            [row.break_even_units_swing or 0.0 for row in rows],
            [row.break_even_units_swing is not None for row in rows]),
    }, index=pd.Index([row.variable for row in rows], name="variable"))
    base = r.base
    frame.attrs.update(change=float(change), sales_units=q, base_profit=r.base_profit,
                       base_break_even_units=_if(base.defined, base.units))
    return frame


def price_volume_grid(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    sales_units: float,
    price_changes: Sequence[float] = (-0.1, 0.0, 0.1),
    volume_changes: Sequence[float] = (-0.1, 0.0, 0.1),
) -> pd.DataFrame:
    """Profit over a two-way grid of price and volume changes.

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    sales_units : float
        The base sales volume.
    price_changes, volume_changes : sequence of float
        Relative changes, each finite and > -1.

    Returns
    -------
    pandas.DataFrame
        Profit at ``price * (1 + price_change)`` (rows, index ``price_change``) and
        ``sales_units * (1 + volume_change)`` (columns, ``volume_change``); ``attrs`` holds
        the ``prices`` and ``volumes`` as lists.

    Examples
    --------
    >>> import custometrics as cm
    >>> g = cm.price_volume_grid(fixed_costs=40_000, price=50, unit_variable_cost=30,
    ...                          sales_units=2_500)
    >>> g.round(6)  # (45, 2,250): 2,250 * 15 - 40,000  # doctest: +NORMALIZE_WHITESPACE
    volume_change    -0.1      0.0      0.1
    price_change
    -0.1          -6250.0  -2500.0   1250.0
     0.0           5000.0  10000.0  15000.0
     0.1          16250.0  22500.0  28750.0
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    pc = np.ascontiguousarray(np.asarray(price_changes, dtype=np.float64))
    vc = np.ascontiguousarray(np.asarray(volume_changes, dtype=np.float64))
    g = _core.price_volume_grid(_core.CvpModel(f, p, v), _number(sales_units, "sales_units"), pc, vc)
    frame = pd.DataFrame(g.profit.reshape(len(pc), len(vc)),
                         index=pd.Index(pc, name="price_change"),
                         columns=pd.Index(vc, name="volume_change"))
    frame.attrs.update(prices=list(g.price), volumes=list(g.volume))
    return frame


def default_volume_max(break_even_units: Optional[float],
                       sales_units: Optional[float] = None) -> float:
    """The right end of a break-even chart: twice the larger of break-even and sales units
    (the core's ``default_volume_max``; :class:`custometrics.InputError`, a ValueError, when
    neither is > 0).

    >>> default_volume_max(2_000.0, 2_500.0)
    5000.0
    """
    return _core.default_volume_max(
        None if break_even_units is None else float(break_even_units),
        None if sales_units is None else float(sales_units))


def break_even_chart_data(
    *,
    fixed_costs: float,
    price: float,
    unit_variable_cost: float,
    volume_max: Optional[float] = None,
    points: int = 51,
    volume_min: float = 0.0,
) -> pd.DataFrame:
    """The lines of a break-even chart at evenly spaced volumes.

    Parameters
    ----------
    fixed_costs, price, unit_variable_cost : float
        As for :func:`break_even`.
    volume_max : float, optional
        Right end; default twice the break-even units.
    points : int, default 51
        Volumes, >= 2, both ends included.
    volume_min : float, default 0
        Left end, 0 <= volume_min < volume_max.

    Returns
    -------
    pandas.DataFrame
        Columns ``volume``, ``fixed_costs`` (F), ``total_costs`` (F + v * volume) and
        ``revenue`` (p * volume).

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.break_even_chart_data(fixed_costs=40_000, price=50, unit_variable_cost=30,
    ...                          volume_max=4_000, points=5)  # doctest: +NORMALIZE_WHITESPACE
       volume  fixed_costs  total_costs   revenue
    0     0.0      40000.0      40000.0       0.0
    1  1000.0      40000.0      70000.0   50000.0
    2  2000.0      40000.0     100000.0  100000.0
    3  3000.0      40000.0     130000.0  150000.0
    4  4000.0      40000.0     160000.0  200000.0
    """
    f, p, v = _model(fixed_costs, price, unit_variable_cost)
    if volume_max is None:
        volume_max = default_volume_max(break_even(fixed_costs=f, price=p,
                                                   unit_variable_cost=v).units)
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)):
        raise TypeError(f"points: expected an integer, got {points!r}")
    if points < 2:
        raise input_error(f"points: must be >= 2, got {points}", argument='points')
    c = _core.break_even_chart_data(_core.CvpModel(f, p, v), _number(volume_max, "volume_max"), int(points),
                                    _number(volume_min, "volume_min"))
    return pd.DataFrame({k: getattr(c, k) for k in ("volume", "fixed_costs", "total_costs",
                                                    "revenue")})

