"""Reading a transaction log from CSV into a pandas DataFrame."""

from __future__ import annotations

import os
from typing import Optional, Union

import pandas as pd

from . import _core
from ._frames import csv_path, log_frame


def read_transactions(
    path: Union[str, "os.PathLike[str]"],
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    cost: Optional[str] = None,
    margin: Optional[str] = None,
    unit_cost: Optional[str] = None,
    quantity: Optional[str] = None,
    order: Optional[str] = None,
    product: Optional[str] = None,
    channel: Optional[str] = None,
    delimiter: str = ",",
) -> pd.DataFrame:
    """Read a transaction log from a CSV file with the streaming C++ reader.

    The file is RFC 4180 CSV with a header line; columns are found by name. The optional
    columns follow the rule of the command-line tool: a column named here must be in the
    header; one not named is read when the header has its conventional name (``cost``, else
    ``margin``, else ``unit_cost`` with a quantity; ``quantity``; ``order_id``, else
    ``order``; ``product``; ``channel``). Keys are read as integers while every key of a column is a canonical
    integer, else as strings (so "0042" stays "0042"). Dates are ISO 8601 (``YYYY-MM-DD``,
    ``YYYYMMDD``, optionally with a time and a UTC offset, converted to UTC). Numbers use '.'
    as the decimal point whatever the locale. The GIL is released while the file is read.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    customer, date, amount : str
        Header names of the required columns.
    cost, margin, unit_cost : str, optional
        At most one: the cost of goods of the row, its margin (cost = amount - margin), or the
        cost per unit (cost = unit_cost * quantity, needs ``quantity``). Any of them gives a
        cost column, named after ``cost`` or else "cost". Default: the conventional names.
    quantity, order, product, channel : str, optional
        Header names of optional columns; default their conventional names when present.
    delimiter : str, default ","
        One character separating fields.

    Returns
    -------
    pandas.DataFrame
        One row per record, in file order, with the columns under the names given: customer and
        order keys as int64 or str, the date as datetime64[ns], amounts (and cost, quantity) as
        float64, product and channel as categoricals.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        For a missing column, an unreadable date or number, a NaN or infinite amount or cost,
        an empty customer key, a record with the wrong number of fields, an unterminated quote
        (each naming the file, line, column and value), or a file without data rows.

    Examples
    --------
    >>> import os, tempfile
    >>> import custometrics as cm
    >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("customer_id,date,amount\\n7,2024-01-02,9.5\\nC-1,2024-01-03,4\\n")
    >>> cm.read_transactions(path)
      customer_id       date  amount
    0           7 2024-01-02     9.5
    1         C-1 2024-01-03     4.0
    """
    path = csv_path(path, delimiter)
    chosen = _core.CsvColumns(customer=customer, date=date, amount=amount, cost=cost,
                              margin=margin, unit_cost=unit_cost, quantity=quantity, order=order,
                              product=product, channel=channel)
    raw = _core.read_csv(path, chosen, delimiter)
    found = raw.pop("columns")  # the columns read, with the optional ones found by name
    names = {"customer": customer, "time": date, "amount": amount, "cost": found.cost,
             "quantity": found.quantity, "order": found.order, "product": found.product,
             "channel": found.channel}
    return log_frame(raw, names)
