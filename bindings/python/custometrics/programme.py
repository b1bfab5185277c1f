"""Evaluation of a loyalty programme (Kundenbindungsprogramm) over the C++ core
(include/custometrics/programme.hpp documents the design, every definition and its sources).

Members are compared with matched non-members before and after joining: the
difference-in-differences of purchases, spend, retention and margin per member, the incremental
margin against the programme's cost and the ROI, each with a percentile-bootstrap interval. The
numbers and their text and JSON are the core's, the same as ``custometrics programme`` prints.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from . import _core
from ._core_result import CoreResult
from ._errors import data_error, input_error
from ._frames import Table
from ._typing import Column

#: The article's thirteen common loyalty programmes, in its order (``type=`` takes these or
#: their number 1..13).
PROGRAMME_TYPES: list[str] = [
    "customer_card", "cumulative_discounts", "special_terms", "prizes", "unique_experience",
    "charity", "club", "restricted_access", "customer_service", "coalition", "trade_in",
    "customer_training", "support_24_7"]

_OUTCOMES = ["frequency", "spend", "retention", "margin"]


class ProgrammeEvaluation(CoreResult):
    """The result of :func:`evaluate_programme`: the core's ``programme_result``.

    Attributes are read from the core's result: ``members``, ``evaluated``, ``controls``,
    ``candidates``, ``excluded`` (count per reason), ``frequency``, ``spend``, ``retention``,
    ``margin`` (each with ``member_pre``, ``member_post``, ``control_pre``, ``control_post``,
    ``effect``, ``relative``, ``std_error``, ``ci_low``, ``ci_high``), ``incremental_margin``,
    ``cost``, ``net``, ``roi`` (``defined``, ``value``, ``ci_low``, ``ci_high``) and the rest of
    programme.hpp's ``programme_result``.
    """

    _writers = "programme"

    @property
    def effects(self) -> pd.DataFrame:
        """One row per outcome (frequency: purchases per month, spend and margin per month,
        retention: share active), the columns of ``programme_effect``."""
        cols = ["member_pre", "member_post", "control_pre", "control_post", "effect",
                "relative", "std_error", "ci_low", "ci_high"]
        rows = []
        for name in _OUTCOMES:
            e = getattr(self._raw, name)
            rows.append([np.nan if getattr(e, c) is None else getattr(e, c) for c in cols])
        return pd.DataFrame(rows, index=pd.Index(_OUTCOMES, name="outcome"), columns=cols)


def _members(members: Any, key: str, joined: str) -> tuple[list[str], np.ndarray]:
    """Member keys as text and joining times as epoch seconds."""
    if isinstance(members, (str, bytes)) or hasattr(members, "__fspath__"):
        frame = pd.read_csv(members, dtype={key: str})
    elif isinstance(members, pd.DataFrame):
        frame = members
    elif hasattr(members, "get_column") and hasattr(members, "columns"):  # polars
        frame = pd.DataFrame({c: members.get_column(c).to_list() for c in members.columns})
    else:
        frame = pd.DataFrame(members)
    for name in (key, joined):
        if name not in frame.columns:
            raise input_error(f"members: no column {name!r}; columns: "
                              + ", ".join(map(repr, frame.columns)), argument='members')
    keys = frame[key]
    if keys.isna().any():
        raise data_error(f"members: {key}: row {int(np.argmax(keys.isna()))} has no key",
                         argument='members', row=int(np.argmax(keys.isna())))
    times = pd.to_datetime(frame[joined])
    if times.isna().any():
        raise data_error(f"members: {joined}: row {int(np.argmax(times.isna()))} has no date",
                         argument='members', row=int(np.argmax(times.isna())))
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)
    seconds = times.to_numpy().astype("datetime64[s]").astype(np.int64)
    return [str(k) for k in keys.tolist()], seconds


def evaluate_programme(
    data: Any,
    members: Any,
    *,
    customer: Column = "customer_id",
    date: Column = "date",
    amount: Column = "amount",
    cost: Optional[Column] = "cost",
    discount: Optional[Column] = None,
    margin_rate: Optional[float] = None,
    card_cost: float = 0.0,
    programme_cost: float = 0.0,
    type: Optional[str] = None,
    pre_days: int = 180,
    post_days: int = 180,
    caliper: float = 0.5,
    with_replacement: bool = False,
    level: float = 0.95,
    bootstrap: int = 1000,
    seed: int = 42,
    members_customer: str = "customer_id",
    members_joined: str = "joined",
) -> ProgrammeEvaluation:
    """Evaluates a loyalty programme: members against matched non-members before and after
    joining (programme.hpp documents the design).

    Each member is matched to the nearest non-member on recency, purchases and spend in the
    ``pre_days`` before joining; the effect on purchases, spend, retention (share active) and
    margin is the mean over pairs of (member after - before) - (control after - before). The
    incremental margin over the ``post_days`` is set against the programme's cost (the
    discounts of members' rows after joining, ``card_cost`` per member and ``programme_cost``
    shared by the members): ROI = (incremental margin - cost) / cost, with percentile-bootstrap
    intervals (``bootstrap`` resamples of the pairs, seeded).

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame or mapping
        The transaction log (see :func:`custometrics.summarize`).
    members : pandas.DataFrame, mapping, polars.DataFrame or path of a CSV file
        One row per member: ``members_customer`` (the key) and ``members_joined`` (the date).
    customer, date, amount : str or array-like
        Columns of the log.
    cost : str, array-like or None, default "cost"
        Cost of goods per row; the default column is used when the log has one (as the CLI
        does). Without it, ``margin_rate`` is required.
    discount : str or array-like, optional
        The programme's discount per row (money, >= 0), a cost of the programme.
    margin_rate : float, optional
        Margin share of the amount, 0..1, without a cost column.
    card_cost, programme_cost : float
        Card and reward cost per member, and the fixed cost of the programme, over the
        post-period.
    type : str, optional
        The programme's type, a label: one of :data:`PROGRAMME_TYPES` or its number "1".."13".
    pre_days, post_days, caliper, with_replacement, level, bootstrap, seed
        The design (see programme.hpp); the defaults are the CLI's.

    Returns
    -------
    ProgrammeEvaluation
        The core's result: ``effects`` (a DataFrame), ``roi``, ``incremental_margin``, ...,
        ``text`` and ``to_json()`` identical to ``custometrics programme``.

    Raises
    ------
    custometrics.InputError, custometrics.DataError
        For a bad option, a member listed twice, or when no member can be evaluated.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> days = pd.to_timedelta([0, 40, 80, 120, 160, 200, 240, 280, 320, 360], unit="D")
    >>> log = pd.DataFrame({
    ...     "customer_id": ["M"] * 10 + ["N"] * 10,
    ...     "date": list(pd.Timestamp("2020-01-01") + days) * 2,
    ...     "amount": [10.0] * 20,
    ... })
    >>> members = pd.DataFrame({"customer_id": ["M"], "joined": ["2020-07-01"]})
    >>> r = cm.evaluate_programme(log, members, margin_rate=0.3, pre_days=150, post_days=150,
    ...                           bootstrap=50)
    >>> r.evaluated, r.frequency.effect
    (1, 0.0)
    """
    table = Table(data)
    customer_name, keys = table.keys(customer, "customer")
    _, ticks, ticks_per_second = table.times(date, "date")
    amounts = table.floats(amount, "amount")
    if isinstance(cost, str) and cost == "cost" and "cost" not in table._names():
        cost = None
    costs = table.floats(cost, "cost") if cost is not None else None
    disc = table.floats(discount, "discount") if discount is not None else None
    member_keys, joined = _members(members, members_customer, members_joined)
    raw = _core.evaluate_programme(
        customer=keys, time=ticks, ticks_per_second=ticks_per_second, amount=amounts, cost=costs,
        discount=disc, member_keys=member_keys, joined=joined,
        type=None if type is None else str(type), options=_core.ProgrammeOptions(
            pre_days=int(pre_days), post_days=int(post_days),
            with_replacement=bool(with_replacement), caliper=float(caliper),
            margin_rate=None if margin_rate is None else float(margin_rate),
            card_cost_per_member=float(card_cost), fixed_costs=float(programme_cost),
            level=float(level), bootstrap=int(bootstrap), seed=int(seed)),
        customer_column=customer_name,
    )
    return ProgrammeEvaluation(raw)
