"""The sales report of a transaction log: what ``custometrics report`` prints, as an object.

The report is built once by the C++ core (``include/custometrics/report.hpp``) and written by
its writers, so the text, the JSON and the HTML page here are those of the command-line tool
for the same input, byte for byte: overview, Pareto by customer, product and channel, RFM
segments, retention, break-even (with ``fixed_costs_per_month``), loyalty and profitability.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional, Union

from . import _core
from ._frames import Table

__all__ = ["Report", "report"]

PathLike = Union[str, "os.PathLike[str]"]


class Report:
    """A computed report: ``str(r)`` or :attr:`text` is the text report, :meth:`to_dict` /
    :meth:`to_json` the JSON one, :meth:`to_html` the self-contained page (also shown by
    Jupyter). Build it with :func:`report`."""

    def __init__(self, core: Any) -> None:
        self._core = core

    @property
    def text(self) -> str:
        """The text report, as ``custometrics report`` prints it."""
        return str(self._core.text())

    def to_json(self) -> str:
        """The report as one JSON object (``custometrics report --format json``)."""
        return str(self._core.json())

    def to_dict(self) -> Dict[str, Any]:
        """The JSON report as a dict."""
        return dict(json.loads(self.to_json()))

    def to_html(self, path: Optional[PathLike] = None) -> str:
        """The report as one self-contained HTML page (inline charts, no script, nothing
        fetched); written to ``path`` when given, all or nothing (the core's output file: a
        failed write raises :class:`custometrics.Error` and leaves no partial file). Returns the
        page."""
        page = str(self._core.html())
        if path is not None:
            _core.write_text_file(os.fspath(path), page)
        return page

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        first = self.text.split("\n", 1)[0]
        return f"<Report {first!r}>"


def report(
    data: Any = None,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    cost: Optional[str] = None,
    product: Optional[str] = None,
    channel: Optional[str] = None,
    fixed_costs_per_month: Optional[float] = None,
    signals: Optional[PathLike] = None,
    costs: Optional[PathLike] = None,
    criteria: Optional[PathLike] = None,
    sample_customers: int = 10_000,
    sample_seed: int = 42,
    currency: Optional[str] = None,
    lang: str = "en",
    members: Optional[PathLike] = None,
    margin_rate: Optional[float] = None,
    period_days: int = 365,
    discount_rate: float = 0.1,
    uplift: float = 5.0,
    horizon: int = 5,
    acquisition_spend: Optional[float] = None,
    retention_spend: Optional[float] = None,
    locale: Optional[str] = None,
) -> Report:
    """The sales report of a transaction log, as ``custometrics report`` makes it.

    Parameters
    ----------
    data : str, os.PathLike, DataFrame, mapping of columns or None
        A CSV file (read by the core's reader, as the CLI does), a frame of transactions, or
        None for the generated sample of ``sample_customers`` customers with ``sample_seed``.
    customer, date, amount : str
        Column names of the key, the date and the amount (negative: a return).
    cost, product, channel : str, optional
        Optional columns; when not named, they are found by their conventional names
        (``cost``, ``product``, ``channel``) as every subcommand does. A file may also give a
        ``margin`` or ``unit_cost`` column (see :func:`custometrics.read_transactions`).
    fixed_costs_per_month : float, optional
        Adds the break-even section (needs a cost column).
    signals : str or os.PathLike, optional
        Per-customer signals CSV for the loyalty section (see ``custometrics loyalty --help``).
    costs : str or os.PathLike, optional
        Cost-rate JSON file for the profitability section (used with a cost column).
    criteria : str or os.PathLike, optional
        Criteria CSV of segments with attractiveness and strength criteria (the format of
        ``custometrics attractiveness --criteria``; ``rfm --criteria-out`` writes one to which
        an ``axis`` row adds strength): adds the attractiveness/strength matrix section.
    sample_customers, sample_seed : int
        The generated sample when ``data`` is None.
    currency : str, optional
        ISO 4217 code of the amounts in the text and the page (``"EUR"`` writes ``€1,234.50``,
        in German ``1,234.50 €``; other codes follow the number); None: plain numbers. The JSON
        is unchanged.
    lang : {"en", "de"}
        Language of the text and the page (German with the article's terms); JSON keys stay
        English.
    members : str or os.PathLike, optional
        Members CSV of a loyalty programme (``customer_id``, ``joined``; the reader of
        ``custometrics programme``): adds the programme section, members against matched
        non-members before and after joining (see :func:`custometrics.evaluate_programme`).
    margin_rate : float, optional
        Margin share of the amount, 0..1, for a log without a cost column: the retention
        economics and programme sections need a margin (the cost column gives it otherwise).
    period_days, discount_rate, uplift, horizon, acquisition_spend, retention_spend
        The retention economics section's options, those of
        :func:`custometrics.log_retention_economics` (``custometrics report`` takes them as
        ``--period-days`` and so on): the "+5% loyal customers" and "8 times" of the article
        worked out on the log. A log shorter than two periods leaves the section out, saying
        why.
    locale : {"en", "de"}, optional
        Number and date formats of the text and the page: ``"de"`` writes ``1.234,56``,
        ``12,3 %`` and dates in prose as ``01.03.2024`` (tables keep ISO dates); None: those of
        ``lang``. The JSON stays locale-free.

    Returns
    -------
    Report

    Examples
    --------
    >>> import custometrics as cm
    >>> r = cm.report(sample_customers=300, sample_seed=1)
    >>> print(r.text.splitlines()[0])
    custometrics report: generated sample (300 customers, seed 1)
    >>> r.to_dict()["customers"]
    300
    """
    fixed = None if fixed_costs_per_month is None else float(fixed_costs_per_month)
    request = _core.ReportRequest(
        fixed_costs_per_month=fixed, signals="" if signals is None else os.fspath(signals),
        costs="" if costs is None else os.fspath(costs),
        criteria="" if criteria is None else os.fspath(criteria), currency=currency or "",
        lang=str(lang), locale=locale or "", prefix="",  # errors name the keyword: "costs", not "--costs"
        members="" if members is None else os.fspath(members),
        economics=_core.LogEconomicsOptions(
            margin_rate=margin_rate, period_days=period_days, discount_rate=discount_rate,
            uplift=uplift, horizon=horizon, acquisition_spend=acquisition_spend,
            retention_spend=retention_spend))
    if data is None:
        return Report(_core.report_sample(int(sample_customers), int(sample_seed), request))
    columns = _core.CsvColumns(customer=customer, date=date, amount=amount, cost=cost,
                               product=product, channel=channel)
    if isinstance(data, (str, os.PathLike)):
        return Report(_core.report_file(os.fspath(data), columns, request))
    table = Table(data)
    found = _core.report_resolve_columns(table._names(), columns)
    _, keys = table.keys(customer, "customer")
    _, ticks, per_second = table.times(date, "date")
    amounts = table.floats(amount, "amount")
    cost_values = table.floats(found.cost, "cost") if found.cost else None
    products = table.keys(found.product, "product")[1] if found.product else None
    channels = table.keys(found.channel, "channel")[1] if found.channel else None
    return Report(_core.report_columns(keys, ticks, per_second, amounts, cost_values, products,
                                       channels, "data frame", request))
