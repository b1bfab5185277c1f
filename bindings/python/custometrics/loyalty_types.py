"""Loyalty and buyer types, Net Promoter, spending types, churn reasons and customer
profitability over the C++ core (include/custometrics/loyalty.hpp and profitability.hpp,
where every rule, threshold and source is documented).

Every label comes with the rule that produced it and the values behind it; a signal that is
not known (NaN or None in a signals column) is never guessed: a rule that needs it does not
fire, and a customer no rule can decide is ``unknown`` with the missing signals listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

import numpy as np
import pandas as pd

from . import _core
from ._errors import data_error, input_error
from ._frames import Table, key_array, key_index, to_seconds
from ._typing import Column, TimeLike

#: The six loyalty types and ``unknown``, in the order of the core's codes.
LOYALTY_TYPES: list[str] = ["advocate", "loyal", "switcher", "mercenary", "hostage", "terrorist",
                            "unknown"]
#: The Jones & Sasser quadrants with their refinements, in the order of the core's codes; the
#: prefix ``js_`` keeps them apart from the loyalty types of the same words.
QUADRANTS: list[str] = ["js_loyalist", "js_apostle", "js_mercenary", "js_hostage", "js_defector",
                        "js_terrorist", "unknown"]
#: Net Promoter categories.
NPS_CATEGORIES: list[str] = ["promoter", "passive", "detractor", "missing"]
#: Spending types of the Tightwad-Spendthrift scale.
SPENDING_TYPES: list[str] = ["tightwad", "unconflicted", "spendthrift", "unknown"]
#: Coded churn and non-purchase reasons.
CHURN_REASONS: list[str] = ["no_longer_needed", "too_expensive", "quality", "service",
                            "competitor_offer", "moved", "other"]

_SIGNALS = ["satisfaction", "recommend", "referrals", "complaints", "share_of_wallet"]


def _frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "get_column") and hasattr(data, "columns"):  # polars, without pyarrow
        return pd.DataFrame({c: data.get_column(c).to_list() for c in data.columns})
    return pd.DataFrame(data)


def _numbers(values: Any, name: str) -> np.ndarray:
    """A signal column as float64 with NaN for missing (None, NA, NaN)."""
    s = pd.Series(values)
    try:
        return pd.to_numeric(s, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected numbers (NaN or None when unknown)") from None


def _booleans(values: Any, name: str) -> np.ndarray:
    """1.0 / 0.0 / NaN from booleans, 1/0, or "yes"/"no"/"true"/"false"; anything else raises."""
    out = np.full(len(values), np.nan)
    for i, v in enumerate(pd.Series(values).tolist()):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            continue
        if isinstance(v, str):
            low = v.strip().lower()
            if low in ("yes", "true", "1"):
                out[i] = 1.0
                continue
            if low in ("no", "false", "0"):
                out[i] = 0.0
                continue
        elif v in (True, False, 0, 1):
            out[i] = float(v)
            continue
        raise data_error(f"{name}: row {i}: value {v!r} is not a yes/no answer",
                         argument=name, row=i)
    return out


def _promotions(promotions: Any) -> list[tuple[int, int]]:
    """Promotion periods as (start, end) epoch seconds, from a frame or mapping with the
    columns start and end, or from pairs of dates."""
    if promotions is None:
        return []
    if isinstance(promotions, Mapping) or hasattr(promotions, "columns"):
        frame = _frame(promotions)
        for name in ("start", "end"):
            if name not in frame.columns:
                raise input_error(f"promotions: no column {name!r}; columns: "
                                  + ", ".join(map(repr, frame.columns)), argument='promotions')
        pairs = list(zip(frame["start"].tolist(), frame["end"].tolist()))
    else:
        pairs = list(promotions)
    out = []
    for i, pair in enumerate(pairs):
        start, end = pair
        out.append((to_seconds(start, f"promotions: row {i}: start"),
                    to_seconds(end, f"promotions: row {i}: end")))
    return out


def classify_loyalty(
    data: Any = None,
    *,
    customer: Column = "customer_id",
    date: Column = "date",
    amount: Column = "amount",
    discount: Optional[Column] = None,
    payment_delay: Optional[Column] = None,
    list_price: Optional[Column] = None,
    promotions: Any = None,
    signals: Any = None,
    signals_customer: str = "customer_id",
    rules: Optional[Mapping[str, float]] = None,
    observation_end: Optional[TimeLike] = None,
) -> pd.DataFrame:
    """Loyalty type and satisfaction x loyalty quadrant of every customer of a log, each with
    the rule that fired and the signals behind it.

    The six types are the article's (loyalty.hpp quotes its sentence beside each rule). The
    rules are tried in order, the first that is true gives the label (defaults; every
    threshold can be changed through ``rules``). Behaviour decides where no survey was
    asked; where the survey asked the quantity a behavioural stand-in estimates, the answer
    decides (satisfaction over returns, share of wallet over the rhythm share):

    1. terrorist: dissatisfied (satisfaction <= 2, else returns >= 0.2 of purchases) and
       vocal (complaints >= 1 or recommend <= 6);
    2. hostage: no alternative supplier and still buying (>= 2 purchase days, recency ratio
       <= 2), whatever the satisfaction;
    3. mercenary: discount share >= 0.5 (discount > 0 or paid below list price), or half the
       purchase days in the listed promotions at twice the promotions' share of days;
    4. advocate: regular (>= 3 purchase days, CV of the gaps <= 0.5, recency ratio <= 2) and
       recommend >= 9 or referrals >= 1;
    5. switcher: an active repeat buyer (>= 3 purchase days, recency ratio <= 2) who buys
       elsewhere: share of wallet < 0.5, else a rhythm share < 0.8 (own cycles skipped);
       irregular timing alone is not a switcher;
    6. loyal: regular, and no recommendation recorded.

    The column ``decided_by`` names the signals that decided the type, by source
    ("behaviour: ...; stated: ..."). The quadrants (Jones & Sasser 1995) cross satisfaction
    >= 4 with "regular" and carry the prefix ``js_``: js_loyalist (js_apostle when also
    recommending), js_mercenary, js_hostage, js_defector (js_terrorist when also vocal).

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame, mapping of str to array or None
        The transaction log (see :func:`custometrics.summarize` for the accepted forms).
    customer, date, amount : str or array-like
        Columns of the log (defaults "customer_id", "date", "amount").
    discount : str or array-like, optional
        Discount given per row (>= 0); a purchase with a discount > 0 was bought on discount.
    payment_delay : str or array-like, optional
        Days each row was paid late (>= 0).
    list_price : str or array-like, optional
        The row's amount at list price (>= 0); a row paid below it was bought on discount.
    promotions : pandas.DataFrame, mapping or sequence of (start, end), optional
        Promotion periods, whole days from start to end: a frame or mapping with the columns
        ``start`` and ``end``, or pairs of dates.
    signals : pandas.DataFrame, polars.DataFrame or mapping, optional
        What is known per customer: a key column ``signals_customer`` and any of
        satisfaction (1..5), recommend (0..10), referrals, complaints, share_of_wallet (0..1)
        and has_alternative (bool, 1/0 or yes/no). NaN or None is "not known". Keys not in the
        log are listed in ``df.attrs["unmatched"]``; a key given twice raises.
    signals_customer : str, default "customer_id"
        The key column of ``signals``.
    rules : mapping of str to float, optional
        Thresholds to change, by the names of ``loyalty_rules`` in loyalty.hpp, e.g.
        ``{"max_regular_cv": 0.4, "high_satisfaction": 5}``.
    observation_end : str, datetime or pandas.Timestamp, optional
        End of the observation window (default: the last row).

    Returns
    -------
    pandas.DataFrame
        One row per customer, indexed by key (ascending): ``loyalty_type``, ``rule``,
        ``decided_by``, ``missing`` (the signals that kept rules from deciding, for
        ``unknown``), ``quadrant``, ``quadrant_rule``, the behavioural signals
        (``purchase_days``, ``regularity_cv``, ``mean_interval``, ``days_since_last``,
        ``recency_ratio``, ``tenure_days``, ``frequency_trend``, ``discount_share``,
        ``rhythm_share``, ``promotion_share``, ``promotion_lift``, ``return_share``,
        ``payment_delay``, ``revenue``; NaN where not measurable) and the stated ones
        (NaN where not known). ``loyalty_type`` and ``quadrant`` are categoricals.

    Raises
    ------
    ValueError
        For a signal out of range (satisfaction 6, recommend 11: naming the customer and the
        value), a customer given twice in ``signals``, an unknown rule name, or what
        :func:`custometrics.summarize` rejects in the log.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> log = pd.DataFrame({
    ...     "customer_id": ["A"] * 4 + ["B"] * 2,
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-31",
    ...                             "2024-01-05", "2024-02-05"]),
    ...     "amount": [10.0, 10.0, 10.0, 10.0, 8.0, 8.0],
    ... })
    >>> signals = pd.DataFrame({"customer_id": ["A", "B"], "satisfaction": [5, 2],
    ...                         "recommend": [10, 3]})
    >>> df = cm.classify_loyalty(log, signals=signals)
    >>> df[["loyalty_type", "quadrant"]]  # doctest: +NORMALIZE_WHITESPACE
                loyalty_type   quadrant
    customer_id
    A               advocate  js_apostle
    B              terrorist  js_terrorist
    >>> print(df.loc["A", "rule"])
    advocate: purchase days 4 >= 3, regularity_cv 0 <= 0.5, recency_ratio 0.5 <= 2, recommend 10 >= 9
    """
    table = Table(data)
    customer_name, keys = table.keys(customer, "customer")
    _, ticks, ticks_per_second = table.times(date, "date")
    amounts = table.floats(amount, "amount")
    disc = table.floats(discount, "discount") if discount is not None else None
    delay = table.floats(payment_delay, "payment_delay") if payment_delay is not None else None
    lists = table.floats(list_price, "list_price") if list_price is not None else None

    sig: dict = {name: None for name in _SIGNALS + ["has_alternative"]}
    sig_keys = None
    if signals is not None:
        frame = _frame(signals)
        if signals_customer not in frame.columns:
            raise input_error(f"signals: no key column {signals_customer!r}; columns: "
                              + ", ".join(map(repr, frame.columns)), argument='signals')
        col = frame[signals_customer]
        if col.isna().any():
            raise data_error(f"signals: {signals_customer}: row {int(np.argmax(col.isna()))} "
                             "has no key", argument='signals', row=int(np.argmax(col.isna())))
        sig_keys = key_array(col.to_numpy(), signals_customer)
        for name in _SIGNALS:
            if name in frame.columns:
                sig[name] = _numbers(frame[name], name)
        if "has_alternative" in frame.columns:
            sig["has_alternative"] = _booleans(frame["has_alternative"], "has_alternative")

    keys_out, behaviour, labels, stated, unmatched = _core.classify_loyalty(
        customer=keys, time=ticks, ticks_per_second=ticks_per_second, amount=amounts,
        discount=disc, payment_delay=delay, list_amount=lists,
        promotions=_promotions(promotions),
        observation_end=to_seconds(observation_end, "observation_end"),
        signal_customer=sig_keys, rules=list(dict(rules or {}).items()),
        signals=[(name, col) for name, col in sig.items() if col is not None],
        customer_column=customer_name,
    )
    index = key_index(keys_out, customer_name)
    cols = {
        "loyalty_type": pd.Categorical.from_codes(labels.type, LOYALTY_TYPES),
        "rule": labels.rule,
        "decided_by": labels.decided_by,
        "missing": [", ".join(m) for m in labels.missing],
        "quadrant": pd.Categorical.from_codes(labels.quadrant, QUADRANTS),
        "quadrant_rule": labels.quadrant_rule,
    }
    for name in ("purchase_days", "regularity_cv", "mean_interval", "days_since_last",
                 "recency_ratio", "tenure_days", "frequency_trend", "discount_share",
                 "rhythm_share", "promotion_share", "promotion_lift", "return_share",
                 "payment_delay", "revenue"):
        cols[name] = getattr(behaviour, name)
    for name in (*_SIGNALS, "has_alternative"):
        cols[name] = getattr(stated, name)
    df = pd.DataFrame(cols, index=index)
    df.attrs["unmatched"] = [] if sig_keys is None else sig_keys[unmatched].tolist()
    return df


def nps_categories(scores: Any) -> pd.Series:
    """Net Promoter category of each answer: promoter (9-10), passive (7-8), detractor (0-6),
    or missing (NaN/None).

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.nps_categories([10, 7, 3, None]).tolist()
    ['promoter', 'passive', 'detractor', 'missing']
    """
    raw = _core.net_promoter(_numbers(scores, "scores"), None)
    return pd.Series(pd.Categorical.from_codes(raw.category, NPS_CATEGORIES), name="nps")


def nps(scores: Any, segment: Any = None) -> pd.DataFrame:
    """Net Promoter score (Reichheld 2003): 100 (promoters - detractors) / answered, overall
    and per segment.

    Parameters
    ----------
    scores : array-like
        Likelihood to recommend, whole numbers 0..10; NaN or None when not answered.
    segment : array-like, optional
        A segment name per answer; adds one row per segment (ascending).

    Returns
    -------
    pandas.DataFrame
        Rows ``overall`` then the segments; columns ``promoters``, ``passives``,
        ``detractors``, ``missing``, ``answered`` and ``score`` (-100..100; NaN when nobody in
        the row answered).

    Raises
    ------
    ValueError
        For a score outside 0..10 or not whole, naming its position and value.

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.nps([10, 9, 8, 7, 6, 0, None], segment=["a", "a", "a", "b", "b", "b", "b"])
    ... # doctest: +NORMALIZE_WHITESPACE
             promoters  passives  detractors  missing  answered      score
    overall          2         2           2        1         6   0.000000
    a                2         1           0        0         3  66.666667
    b                0         1           2        1         3 -66.666667
    """
    seg = None if segment is None else [str(s) for s in pd.Series(segment).tolist()]
    raw = _core.net_promoter(_numbers(scores, "scores"), seg)
    names = ["overall"] + list(raw.segments)
    rows = [raw.overall] + list(raw.by_segment)
    return pd.DataFrame(
        [(r.promoters, r.passives, r.detractors, r.missing, r.answered,
          np.nan if r.score is None else r.score) for r in rows],
        index=names,
        columns=["promoters", "passives", "detractors", "missing", "answered", "score"],
    )


def spending_types(describe: Any, trouble_limiting: Any, trouble_spending: Any,
                   sale_scenario: Any, reference: Optional[str] = "article") -> pd.DataFrame:
    """Tightwad-Spendthrift scale (Rick, Cryder & Loewenstein 2008): totals and types.

    The raw answers as printed in the questionnaire: ``describe`` 1 (tightwad) .. 11
    (spendthrift); ``trouble_limiting`` ("trouble limiting your spending?") 1 never .. 5
    always; ``trouble_spending`` ("trouble spending money?") 1 never .. 5 always,
    reverse-scored as 6 - answer; ``sale_scenario`` 1 (holds back) .. 5 (cannot resist).
    Total 4..26: tightwad <= 11, spendthrift >= 19, else unconflicted.

    ``reference`` names the shares the types are tested against (Pearson's chi-square):
    "article" (the article's 24% tightwads, 61% unconflicted, 15% spendthrifts, after Rick et
    al.), "quartiles" (25/50/25) or None for no test.

    Returns
    -------
    pandas.DataFrame
        ``total`` and ``spending_type`` per respondent; ``df.attrs`` holds ``reference`` and,
        with answers, ``chi_square``, ``df``, ``p_value`` and ``warnings``.

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.spending_types([6, 2, 11], [3, 1, 5], [1, 5, 1], [3, 1, 4])
       total spending_type
    0     17  unconflicted
    1      5      tightwad
    2     25   spendthrift
    """
    items = [np.asarray(x, dtype=np.int64) for x in
             (describe, trouble_limiting, trouble_spending, sale_scenario)]
    scores = _core.tightwad_spendthrift(*items)
    df = pd.DataFrame({"total": scores.total,
                       "spending_type": pd.Categorical.from_codes(scores.type, SPENDING_TYPES)})
    if reference is not None:
        counts = np.bincount(scores.type, minlength=3)[:3].astype(np.uint64).tolist()
        fit = _core.spending_fit(counts, str(reference))
        df.attrs["reference"] = dict(zip(SPENDING_TYPES[:3], _core.spending_reference(reference)))
        if fit.tested:
            df.attrs.update(chi_square=fit.chi_square, df=fit.df, p_value=fit.p_value)
        df.attrs["warnings"] = list(fit.warnings)
    return df


def spending_proxy(spend: Any, group: Any = None, reference: str = "article",
                   low: Optional[float] = None, high: Optional[float] = None) -> pd.Series:
    """The behavioural *proxy* of the spending type: spend below the ``low`` quantile of
    comparable customers (same ``group``) is "tightwad (proxy)", above the ``high`` quantile
    "spendthrift (proxy)", else "unconflicted (proxy)"; NaN spend gives "unknown". It measures
    spending level, not the pain of paying the scale measures.

    By default the cuts are the shares of ``reference``: "article" (24% tightwads, 61%
    unconflicted, 15% spendthrifts: the 0.24 and 0.85 quantiles) or "quartiles" (0.25 and
    0.75), so the proxy's shares are the reference's by construction; ``low`` and ``high``
    override them.

    Examples
    --------
    >>> import custometrics as cm
    >>> cm.spending_proxy([1, 2, 3, 4, 5]).tolist()
    ['tightwad (proxy)', 'unconflicted (proxy)', 'unconflicted (proxy)', \
'unconflicted (proxy)', 'spendthrift (proxy)']
    """
    g = None
    if group is not None:
        g = pd.factorize(pd.Series(group))[0].astype(np.int64)
    codes = _core.spending_proxy(_numbers(spend, "spend"), g,
                                 None if low is None else float(low),
                                 None if high is None else float(high), str(reference))
    labels = [t if t == "unknown" else f"{t} (proxy)" for t in SPENDING_TYPES]
    return pd.Series([labels[c] for c in codes], name="spending_type")


def churn_reasons(answers: Any,
                  reference: Optional[Mapping[str, float] | str] = None) -> pd.DataFrame:
    """Tally of coded churn or non-purchase reasons and, with a ``reference`` distribution,
    Pearson's chi-square goodness-of-fit test (df 6).

    Parameters
    ----------
    answers : array-like of str
        Codes: no_longer_needed, too_expensive, quality, service, competitor_offer, moved,
        other.
    reference : str or mapping of str to float, optional
        "article" (the article's reasons for leaving: 68% service, i.e. the attitude towards
        customers, 14% quality, 9% competitor_offer, 5% no_longer_needed, i.e. a change of
        activity, 3% moved, 1% other; too_expensive 0), or the share of each of the seven
        reasons (>= 0, summing to 1). Answers in a reason of share 0 are "not in the
        reference" and the test runs on the others.

    Returns
    -------
    pandas.DataFrame
        ``count``, ``share`` and (with a reference) ``in_reference`` and ``expected`` per
        reason; ``df.attrs`` holds ``not_in_reference``, ``chi_square``, ``df``, ``p_value``
        and ``warnings`` (answers not in the reference, expected counts below 5).

    Examples
    --------
    >>> import custometrics as cm
    >>> answers = ["too_expensive"] * 30 + ["quality"] * 20 + ["other"] * 50
    >>> t = cm.churn_reasons(answers)
    >>> float(t.loc["too_expensive", "share"])
    0.3
    """
    ans = [str(a) for a in pd.Series(answers).tolist()]
    ref = None
    if isinstance(reference, str):
        ref = list(_core.churn_reference(reference))
    elif reference is not None:
        unknown = set(reference) - set(CHURN_REASONS)
        if unknown:
            raise input_error(f"reference: unknown reasons {sorted(unknown)}; codes: "
                              + ", ".join(CHURN_REASONS), argument='reference')
        missing = [r for r in CHURN_REASONS if r not in reference]
        if missing:
            raise input_error(f"reference: no share for {missing}", argument='reference')
        ref = [float(reference[r]) for r in CHURN_REASONS]
    raw = _core.churn_reasons(ans, ref)
    df = pd.DataFrame({"count": raw.count, "share": raw.share},
                      index=pd.Index(CHURN_REASONS, name="reason"))
    if raw.tested:
        df["in_reference"] = list(raw.in_reference)
        df["expected"] = raw.expected
        df.attrs.update(not_in_reference=raw.not_in_reference, chi_square=raw.chi_square,
                        df=raw.df, p_value=raw.p_value)
    df.attrs["warnings"] = list(raw.warnings)
    return df


# The totals of each service tier (profitability.hpp service_tier_totals).
_TIER_TOTALS = ("customers", "revenue", "gross_margin", "cost_to_serve", "profit")


def customer_profitability(
    data: Any = None,
    *,
    customer: Column = "customer_id",
    date: Column = "date",
    amount: Column = "amount",
    cost: Column = "cost",
    order: Optional[Column] = None,
    discount: Optional[Column] = None,
    payment_delay: Optional[Column] = None,
    tickets: Any = None,
    costs: Optional[Mapping[str, float]] = None,
) -> pd.DataFrame:
    """Profit per customer: gross margin minus the cost to serve, with the wanted and the
    large-but-unprofitable customers flagged (profitability.hpp documents every line).

    gross margin = revenue + discounts - cost of goods (margin at list prices); cost to serve
    = discounts + per_order x orders + per_return x return rows + per_ticket x tickets +
    amount x cost_of_capital x days late / 365; profit = gross margin - cost to serve.

    Parameters
    ----------
    data, customer, date, amount, cost, order : see :func:`custometrics.summarize`
        ``cost`` is required (the cost of goods per row).
    discount, payment_delay : str or array-like, optional
        Discount given and days paid late, per row.
    tickets : pandas.Series or mapping, optional
        Service tickets per customer key (customers not listed: none).
    costs : mapping of str to float, optional
        Rates ``per_order``, ``per_return``, ``per_ticket``, ``cost_of_capital`` (yearly) and
        flag thresholds ``large_quantile`` (0.8), ``max_return_rate`` (0.1),
        ``max_tickets_per_order`` (0.2), ``max_payment_delay_days`` (0); default all rates 0.

    Returns
    -------
    pandas.DataFrame
        One row per customer key: ``revenue``, ``cost``, ``discounts``, ``gross_margin``,
        ``order_cost``, ``return_cost``, ``service_cost``, ``delay_cost``, ``cost_to_serve``,
        ``profit``, ``orders``, ``return_rows``, ``large``, ``large_unprofitable``, ``wanted``
        (bool), ``reason`` and ``tier`` (the service tier: A, B, C by the cumulative share of
        the positive profit, cut at ``tier_a`` 0.8 and ``tier_b`` 0.95 of ``costs``, D for
        profit <= 0; profitability.hpp). ``df.attrs`` holds ``criteria_skipped``, ``large_threshold``,
        ``median_margin_rate``, ``median_order_value``, the cuts used (``tier_cut_a``,
        ``tier_cut_b``) and ``tiers``: per tier ("A".."D") a dict of ``customers``,
        ``revenue``, ``gross_margin``, ``cost_to_serve`` and ``profit`` (the service cost of
        each tier beside the margin it earns, as the CLI's ``service_tiers``); ``df["profit"]``
        is what :func:`custometrics.whale_curve` takes.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> log = pd.DataFrame({
    ...     "customer_id": ["A", "A", "B", "B"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05", "2024-01-06"]),
    ...     "amount": [100.0, 100.0, 400.0, -100.0],
    ...     "cost": [60.0, 60.0, 380.0, -95.0],
    ... })
    >>> p = cm.customer_profitability(log, costs={"per_order": 2, "per_return": 5})
    >>> p[["gross_margin", "cost_to_serve", "profit"]]  # doctest: +NORMALIZE_WHITESPACE
                 gross_margin  cost_to_serve  profit
    customer_id
    A                    80.0            4.0    76.0
    B                    15.0            7.0     8.0
    """
    table = Table(data)
    customer_name, keys = table.keys(customer, "customer")
    _, ticks, ticks_per_second = table.times(date, "date")
    amounts = table.floats(amount, "amount")
    costs_col = table.floats(cost, "cost")
    orders = table.keys(order, "order")[1] if order is not None else None
    disc = table.floats(discount, "discount") if discount is not None else None
    delay = table.floats(payment_delay, "payment_delay") if payment_delay is not None else None
    t_keys = t_vals = None
    if tickets is not None:
        s = pd.Series(tickets)
        t_keys = key_array(s.index.to_numpy(), "tickets")
        t_vals = _numbers(s.to_numpy(), "tickets")
    keys_out, raw, unmatched = _core.customer_profitability(
        customer=keys, time=ticks, ticks_per_second=ticks_per_second, amount=amounts,
        cost=costs_col, order=orders, discount=disc, payment_delay=delay,
        ticket_customer=t_keys, tickets=t_vals, settings=list(dict(costs or {}).items()),
        customer_column=customer_name,
    )
    cols = {name: getattr(raw, name) for name in (
        "revenue", "cost", "discounts", "gross_margin", "order_cost", "return_cost",
        "service_cost", "delay_cost", "cost_to_serve", "profit", "orders", "return_rows")}
    for name in ("large", "large_unprofitable", "wanted"):
        cols[name] = getattr(raw, name).astype(bool)
    cols["reason"] = raw.reason
    cols["tier"] = raw.tier
    df = pd.DataFrame(cols, index=key_index(keys_out, customer_name))
    for name in ("large_threshold", "median_margin_rate", "median_order_value", "tier_cut_a",
                 "tier_cut_b"):
        df.attrs[name] = float(getattr(raw, name))
    df.attrs["tiers"] = {tier: {name: getattr(t, name) for name in _TIER_TOTALS}
                         for tier, t in zip("ABCD", raw.tiers)}
    df.attrs["criteria_skipped"] = list(raw.criteria_skipped)
    df.attrs["tickets_unmatched"] = [] if t_keys is None else t_keys[unmatched].tolist()
    return df
