"""Retention economics measured in the log: the article's "+5% loyal customers" and "8x".

:func:`log_retention_economics` measures the retention rate (customers who buy in a period and
again in the next), the revenue and margin per customer and the new customers per period in a
transaction log, then projects "+5 points" and "+5 percent" of retention over a horizon and
compares acquisition with retention spend. The computation and both texts are the core's
(retention/log_economics.hpp), the same as ``custometrics retention-economics``.
:func:`custometrics.retention_economics` is the same arithmetic for figures typed in by hand.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from . import _core
from ._core_result import CoreResult
from ._frames import Table, time_array
from ._typing import Column

__all__ = ["LogEconomics", "log_retention_economics"]


class LogEconomics(CoreResult):
    """The result of :func:`log_retention_economics`: the core's ``log_economics_result``.

    Attributes are read from the core's result: ``retention_rate`` with ``retention_ci_low`` /
    ``retention_ci_high`` (Wilson 95%), ``retained`` and ``retention_base``,
    ``revenue_per_customer``, ``margin_per_customer``, ``customers_now``,
    ``new_customers_per_period``, ``rows``, ``rows_used``, ``rows_before``, ``rows_after``,
    ``scenarios`` (observed, +points, +percent), ``spend`` (None without spends), ``timing``
    ("start" or "end": when a period's margin is earned) and the rest of
    log_economics.hpp's ``log_economics_result``.
    """

    _writers = "log_economics"

    @property
    def periods(self) -> pd.DataFrame:
        """One row per complete period, oldest first: start, end (exclusive), active,
        retained, new_customers, revenue, margin, retention_rate (NaN for the oldest)."""
        rows = [(p.start, p.end, p.active, p.retained, p.new_customers, p.revenue, p.margin,
                 np.nan if p.retention_rate is None else p.retention_rate)
                for p in self._raw.periods]
        f = pd.DataFrame(rows, columns=["start", "end", "active", "retained", "new_customers",
                                        "revenue", "margin", "retention_rate"])
        for c in ("start", "end"):
            f[c] = pd.to_datetime(f[c], unit="s")
        return f

    @property
    def scenarios_frame(self) -> pd.DataFrame:
        """One row per scenario and projected period: scenario, retention_rate, period,
        customers, revenue, margin."""
        rows = [(s.name, s.retention_rate, p.period, p.customers, p.revenue, p.margin)
                for s in self._raw.scenarios for p in s.projection]
        return pd.DataFrame(rows, columns=["scenario", "retention_rate", "period", "customers",
                                           "revenue", "margin"])


def log_retention_economics(
    data: Any,
    *,
    customer: Column = "customer_id",
    date: Column = "date",
    amount: Column = "amount",
    cost: Optional[Column] = "cost",
    margin_rate: Optional[float] = None,
    period_days: int = 365,
    end: Any = None,
    discount_rate: float = 0.1,
    uplift: float = 5.0,
    horizon: int = 5,
    acquisition_spend: Optional[float] = None,
    retention_spend: Optional[float] = None,
    timing: str = "start",
) -> LogEconomics:
    """Retention rate, margin and new customers measured in the log, and what ``uplift``
    points or percent more retention do to revenue, margin and lifetime value.

    The log is cut into complete periods of ``period_days`` counted back from ``end``. The
    retention rate is the share of the customers who bought in a period that bought again in
    the next, pooled over the periods; revenue and margin per customer are per active customer
    and period. The projection over ``horizon`` periods follows today's active customers at
    each rate plus the observed new customers per period. With ``acquisition_spend`` and
    ``retention_spend`` (money per period) it sets them against each other: the article's
    "8x", the cost per new and per retained customer, and the break-even retention spend.
    retention/log_economics.hpp documents every formula.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame or mapping
        The transaction log (see :func:`custometrics.summarize`).
    customer, date, amount : str or array-like
        Columns of the log.
    cost : str, array-like or None, default "cost"
        Cost of goods per row; the default column is used when the log has one (as the CLI
        does). Without it, ``margin_rate`` is required.
    margin_rate : float, optional
        Margin share of the amount, 0..1, without a cost column.
    period_days : int, default 365
        Length of a period.
    end : date-like, optional
        The last period ends before this time (e.g. "2024-01-01" for calendar years); default:
        the midnight after the last row's day.
    discount_rate : float, default 0.1
        Per period, for the lifetime value.
    uplift : float, default 5
        The scenarios' increase: ``uplift`` points and ``uplift`` percent.
    horizon : int, default 5
        Periods projected.
    acquisition_spend, retention_spend : float, optional
        Money spent per period on winning new customers and on keeping customers.
    timing : {"start", "end"}
        When a period's margin is earned (see :func:`custometrics.retention_economics`).

    Returns
    -------
    LogEconomics
        The core's result, with ``periods`` and ``scenarios_frame`` DataFrames, ``text`` and
        ``to_json()`` identical to ``custometrics retention-economics``.

    Raises
    ------
    custometrics.InputError
        For a bad option, no cost column without ``margin_rate``, or a log shorter than two
        periods.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> log = pd.DataFrame({
    ...     "customer_id": ["A", "A", "B", "B", "C"],
    ...     "date": ["2020-01-05", "2020-01-15", "2020-01-01", "2020-01-08", "2020-01-19"],
    ...     "amount": [10.0, 10.0, 20.0, 20.0, 30.0]})
    >>> r = cm.log_retention_economics(log, margin_rate=0.5, period_days=10,
    ...                                end="2020-01-21")
    >>> r.retention_rate, r.customers_now, r.new_customers_per_period  # A kept, B lost, C new
    (0.5, 2.0, 1.0)
    """
    table = Table(data)
    customer_name, keys = table.keys(customer, "customer")
    _, ticks, ticks_per_second = table.times(date, "date")
    amounts = table.floats(amount, "amount")
    if isinstance(cost, str) and cost == "cost" and "cost" not in table._names():
        cost = None
    costs = table.floats(cost, "cost") if cost is not None else None
    end_seconds = None
    if end is not None:
        t, per_second = time_array(np.array([end], dtype=object), "end")
        end_seconds = int(t[0]) // per_second
    options = _core.LogEconomicsOptions(
        period_days=period_days, end=end_seconds, margin_rate=margin_rate,
        discount_rate=discount_rate, uplift=uplift, horizon=horizon,
        acquisition_spend=acquisition_spend, retention_spend=retention_spend)
    raw = _core.log_retention_economics(
        customer=keys, time=ticks, ticks_per_second=ticks_per_second, amount=amounts,
        cost=costs, customer_column=customer_name, options=options, timing=str(timing))
    return LogEconomics(raw)
