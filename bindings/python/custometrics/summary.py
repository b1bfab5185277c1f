"""Per-customer summaries of a transaction log: the inputs of the BG/NBD, Pareto/NBD and
Gamma-Gamma retention models (frequency, recency, T, monetary value), an optional
calibration/holdout split, and per-customer totals."""

from __future__ import annotations

import datetime
import os
from typing import Any, Literal, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import input_error
from ._frames import Table, as_datetime_ns, csv_path, key_index, seconds_to_timestamp, to_seconds

_TimeLike = Union[str, datetime.date, pd.Timestamp, np.datetime64]
_Column = Any  # a column name, or an array-like (numpy array, pandas or polars Series, list)


def summarize(
    data: Any = None,
    *,
    customer: _Column = "customer_id",
    date: _Column = "date",
    amount: _Column = "amount",
    cost: Optional[_Column] = None,
    order: Optional[_Column] = None,
    time_unit: Literal["days", "weeks", "months", "day", "week", "month", "D", "W", "M"] = "days",
    unit_scale: float = 1.0,
    observation_end: Optional[_TimeLike] = None,
    calibration_end: Optional[_TimeLike] = None,
    returns: Literal["exclude", "net"] = "exclude",
    late: Literal["error", "drop"] = "error",
    include_first_transaction: bool = False,
    threads: int = 0,
    delimiter: str = ",",
    memory_limit: Optional[Union[str, int]] = None,
) -> pd.DataFrame:
    """Summarize a transaction log per customer, as lifetimes does, plus totals.

    The definitions are those of ``summary_data_from_transaction_data`` and
    ``calibration_and_holdout_data`` in lifetimes 0.11.3, and the results agree with it for
    every CDNOW customer (the test suite compares them): frequency, recency and T exactly,
    monetary values to a few units in the last place (pandas sums with Kahan compensation):

    - purchases are counted per period of ``time_unit``; several purchases in one period are
      one purchase whose value is their sum;
    - ``frequency`` is the number of purchase periods after the first (repeat purchases);
    - ``recency`` is (last purchase period - first purchase period) / ``unit_scale``;
    - ``T`` is (period of the observation end - first purchase period) / ``unit_scale``;
    - ``monetary_value`` is the mean value of the repeat purchase periods, 0 without one.

    Parameters
    ----------
    data : str, os.PathLike, pandas.DataFrame, polars.DataFrame, pyarrow.Table, Arrow stream, \
mapping of str to array, numpy structured array or None
        The transaction log, one row per purchase (or return). A path is a CSV file that the
        core reads and summarizes itself (:func:`custometrics.read_transactions`' reader, only
        the columns named here, no DataFrame in between, the GIL released); the frame is the
        one ``summarize(read_transactions(path), ...)`` gives, and errors name the file's
        line. pyarrow tables and record batches, and any object with ``__arrow_c_stream__``,
        are read column by column without pandas (numeric and time columns without a copy).
        With ``None``, pass the columns themselves as ``customer``, ``date`` and ``amount``.
    customer : str or array-like, default "customer_id"
        Customer key column: integers or strings (no nulls). Its name becomes the index name.
    date : str or array-like, default "date"
        Time of each row: datetime64 of any unit (pandas, polars or numpy; time-zone-aware
        values are taken at their wall time), ``datetime.date``/``datetime`` objects, or ISO
        8601 strings (``YYYY-MM-DD``, ``YYYYMMDD``, optionally with a time and a UTC offset),
        which are parsed by the C++ core (strictly: an unreadable value is an error naming its
        row).
    amount : str or array-like, default "amount"
        Money per row; negative amounts are returns (see ``returns``).
    cost : str or array-like, optional
        Cost of goods per row, in the sign of ``amount``; adds a ``profit`` column.
    order : str or array-like, optional
        Order key per row; ``orders`` then counts distinct orders instead of purchase rows.
    time_unit : {"days", "weeks", "months"}, default "days"
        Period in which purchases are counted ("D", "W", "M" also work). Weeks run Monday to
        Sunday, as pandas ``to_period("W")``.
    unit_scale : float, default 1.0
        Divides recency, T and duration (lifetimes' ``freq_multiplier``): days with 7 gives
        weeks with fractions, as in the CDNOW tables of the literature.
    observation_end : str, datetime, pandas.Timestamp or numpy.datetime64, optional
        End of the observation window; default: the time of the last row.
    calibration_end : str, datetime, pandas.Timestamp or numpy.datetime64, optional
        End of the calibration window. When given, the model columns get a ``_cal`` suffix and
        ``frequency_holdout``, ``monetary_value_holdout`` and ``duration_holdout`` are added, as
        lifetimes' ``calibration_and_holdout_data``: rows with calibration_end < time <=
        observation_end form the holdout; ``monetary_value_holdout`` is the mean of the holdout
        *rows*; customers whose first purchase follows the calibration end are left out.
    returns : {"exclude", "net"}, default "exclude"
        "exclude" keeps negative amounts out of the purchase periods (they still count in
        ``revenue``, ``returns`` and ``n_returns``); "net" sums them into their period, as
        lifetimes does.
    late : {"error", "drop"}, default "error"
        Rows after the observation end (by period; to the second with a calibration end):
        "error" raises naming the first one, "drop" leaves them out and counts them in
        ``df.attrs["rows_dropped_after_end"]`` (lifetimes drops them silently).
    include_first_transaction : bool, default False
        Count the first purchase period in ``frequency`` and ``monetary_value`` too (keep it
        False for the retention-model fitters).
    threads : int, default 0
        Threads for the core; 0 uses every hardware thread. The GIL is released meanwhile.
    delimiter : str, default ","
        The field separator of a CSV ``data`` path (one character).
    memory_limit : str or int, optional
        With a CSV path: bound the rows held in memory (``"512M"``, ``"2G"``, or bytes; at
        least 32M), as the command line's ``summarize --memory-limit``: a file whose log would
        not fit is cut into parts by customer on disk (``TMPDIR``), each summarized alone and
        the results merged; the frame is the same. The customers' results are held whole.

    Returns
    -------
    pandas.DataFrame
        One row per customer with a purchase in the (calibration) window, indexed by customer
        key in ascending order. Columns: ``frequency``, ``recency``, ``T``, ``monetary_value``
        (suffixed ``_cal`` with a calibration end, followed by ``frequency_holdout``,
        ``monetary_value_holdout`` and ``duration_holdout``), then totals over every row up to
        the observation end: ``revenue`` (net of returns), ``returns`` (refunded, positive),
        ``profit`` (only with ``cost``), ``n_purchases``, ``n_returns``, ``orders``, and
        ``first_purchase``/``last_purchase`` (datetime64[ns], NaT without a purchase row).

        ``df.attrs`` holds ``customers_without_purchase`` (a list of the keys of customers with
        rows but no purchase in the window: only returns, or a first purchase after the
        calibration end; they are not rows of the frame), ``rows_dropped_after_end``,
        ``observation_end``, ``time_unit`` ("days", "weeks" or "months") and ``unit_scale``
        (the time axis of recency and T, which the retention estimators record when fitted on
        the frame and which :func:`custometrics.score_customers` and
        :func:`custometrics.contact_list` read) and, with a holdout, ``calibration_end``.

    Raises
    ------
    ValueError
        For a missing column (naming it and listing the available ones), a null key or date
        (naming the column and row), a NaN or infinite amount or cost (naming the row and
        customer), an empty log, a row after the observation end under ``late="error"``, or an
        observation or calibration end outside the data.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> log = pd.DataFrame({
    ...     "customer_id": [1, 1, 1, 2],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-05"]),
    ...     "amount": [10.0, 5.0, 20.0, 7.5],
    ... })
    >>> df = cm.summarize(log, observation_end="2024-01-15")
    >>> df[["frequency", "recency", "T", "monetary_value"]]  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency     T  monetary_value
    customer_id
    1                  1.0      7.0  14.0            20.0
    2                  0.0      0.0  10.0             0.0
    >>> df["revenue"].tolist()
    [35.0, 7.5]
    """
    options = dict(
        time_unit=time_unit,
        unit_scale=float(unit_scale),
        observation_end=to_seconds(observation_end, "observation_end"),
        calibration_end=to_seconds(calibration_end, "calibration_end"),
        returns=returns,
        late=late,
        include_first_transaction=bool(include_first_transaction),
        threads=int(threads),
    )
    if isinstance(data, (str, os.PathLike)):
        path = csv_path(data, delimiter)
        for argument, spec in (("customer", customer), ("date", date), ("amount", amount),
                               ("cost", cost), ("order", order)):
            if spec is not None and not isinstance(spec, str):
                raise input_error(f"{argument}: with a CSV path, name the column (a str)",
                                  argument=argument)
        customer_name = customer
        all_keys, raw = _core.summarize_csv(
            path, _core.CsvColumns(customer=customer, date=date, amount=amount, cost=cost,
                                   order=order),
            delimiter, None if memory_limit is None else str(memory_limit), **options)
    else:
        if memory_limit is not None:
            raise input_error("memory_limit: applies to a CSV path only", argument="memory_limit")
        table = Table(data)
        customer_name, keys = table.keys(customer, "customer")
        _, ticks, ticks_per_second = table.times(date, "date")
        amounts = table.floats(amount, "amount")
        costs = table.floats(cost, "cost") if cost is not None else None
        order_name, orders = table.keys(order, "order") if order is not None else ("order", None)
        all_keys, raw = _core.summarize(
            customer=keys, time=ticks, ticks_per_second=ticks_per_second, amount=amounts,
            cost=costs, order=orders, customer_column=customer_name, order_column=order_name,
            **options)

    holdout = raw.calibration_end is not None
    suffix = "_cal" if holdout else ""
    cols = {
        f"frequency{suffix}": raw.frequency,
        f"recency{suffix}": raw.recency,
        f"T{suffix}": raw.T,
        f"monetary_value{suffix}": raw.monetary_value,
    }
    if holdout:
        cols["frequency_holdout"] = raw.frequency_holdout
        cols["monetary_value_holdout"] = raw.monetary_value_holdout
        cols["duration_holdout"] = np.full(len(raw), raw.duration_holdout)
    cols["revenue"] = raw.revenue
    cols["returns"] = raw.returns
    if cost is not None:
        cols["profit"] = raw.profit
    for name in ("n_purchases", "n_returns", "orders"):
        cols[name] = getattr(raw, name)
    cols["first_purchase"] = as_datetime_ns(raw.first_purchase)
    cols["last_purchase"] = as_datetime_ns(raw.last_purchase)

    index = key_index(all_keys[raw.customer], customer_name)
    df = pd.DataFrame(cols, index=index, copy=False)
    # Plain Python values: pandas compares attrs when frames are combined, and arrays would
    # make that comparison ambiguous.
    df.attrs["customers_without_purchase"] = all_keys[raw.customers_without_purchase].tolist()
    df.attrs["rows_dropped_after_end"] = int(raw.rows_dropped_after_end)
    df.attrs["observation_end"] = seconds_to_timestamp(raw.observation_end)
    df.attrs["time_unit"] = str(raw.time_unit)
    df.attrs["unit_scale"] = float(raw.unit_scale)
    if holdout:
        df.attrs["calibration_end"] = seconds_to_timestamp(raw.calibration_end)
    return df
