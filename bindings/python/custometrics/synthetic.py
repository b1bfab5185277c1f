"""A seeded synthetic transaction log with known ground truth (BG/NBD purchases, Gamma-Gamma
spend), for demos, tests and benchmarks."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Dict, Literal, Tuple, TypedDict, Union, overload

import pandas as pd

from . import _core
from ._frames import as_datetime_ns, log_frame, to_seconds
from ._typing import TimeLike

if sys.version_info >= (3, 11):
    from typing import Unpack
elif TYPE_CHECKING:  # only in the annotations, which are not evaluated at run time
    from typing_extensions import Unpack


class _GeneratorParams(TypedDict, total=False):
    """The further keyword parameters of :func:`generate`; their defaults are the core's
    (``_core.generate_defaults()``), so they are not repeated here."""

    acquisition_share: float
    r: float
    alpha: float
    a: float
    b: float
    p_spend: float
    q_spend: float
    v_spend: float
    products: int
    channels: int
    return_rate: float
    threads: int


@overload
def generate(
    customers: int = 10000,
    seed: int = 42,
    start: TimeLike = "2020-01-01",
    end: TimeLike = "2021-12-31",
    *,
    truth: Literal[False] = False,
    **params: Unpack[_GeneratorParams],
) -> pd.DataFrame: ...


@overload
def generate(
    customers: int = 10000,
    seed: int = 42,
    start: TimeLike = "2020-01-01",
    end: TimeLike = "2021-12-31",
    *,
    truth: Literal[True],
    **params: Unpack[_GeneratorParams],
) -> Tuple[pd.DataFrame, pd.DataFrame]: ...


@overload
def generate(
    customers: int = 10000,
    seed: int = 42,
    start: TimeLike = "2020-01-01",
    end: TimeLike = "2021-12-31",
    *,
    truth: bool,
    **params: Unpack[_GeneratorParams],
) -> Union[pd.DataFrame, Tuple[pd.DataFrame, pd.DataFrame]]: ...


def generate(
    customers: int = 10000,
    seed: int = 42,
    start: TimeLike = "2020-01-01",
    end: TimeLike = "2021-12-31",
    *,
    truth: bool = False,
    **params: Unpack[_GeneratorParams],
) -> Union[pd.DataFrame, Tuple[pd.DataFrame, pd.DataFrame]]:
    """Generate a seeded transaction log whose customers follow the BG/NBD story.

    While alive, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha) per
    day, and drops out after each purchase with probability p ~ Beta(a, b) (Fader, Hardie & Lee
    2005). Spend per purchase follows the Gamma-Gamma model. Customers join uniformly over the
    first ``acquisition_share`` of the period; each purchase buys one product through one
    channel and is returned with probability ``return_rate`` (a negative row a few days later).
    The same seed gives the same log on every platform, whatever ``threads``.

    Parameters
    ----------
    customers : int, default 10000
        Number of customers (keys 1..customers).
    seed : int, default 42
        Seed of the random stream.
    start, end : str, datetime, pandas.Timestamp or numpy.datetime64
        First and last day (inclusive) of the log.
    truth : bool, default False
        Also return the drawn truth per customer.
    **params
        Further parameters of the generator, defaults in parentheses: ``acquisition_share``
        (0.5), BG/NBD ``r`` (0.243), ``alpha`` (30.9, in days), ``a`` (0.793), ``b`` (2.426),
        Gamma-Gamma ``p_spend`` (6.25), ``q_spend`` (3.74), ``v_spend`` (15.44), ``products``
        (50), ``channels`` (3), ``return_rate`` (0.03), ``threads`` (0 = all).

    Returns
    -------
    pandas.DataFrame or tuple of pandas.DataFrame
        The log with columns ``customer_id`` (int64), ``date`` (datetime64[ns]), ``amount``,
        ``cost`` and the categoricals ``product`` and ``channel``, in date order.
        With ``truth=True``, also a frame indexed by ``customer_id`` with ``lambda`` (purchase
        rate per day), ``p_dropout``, ``mean_spend``, ``acquired`` and ``death`` (NaT for
        customers alive at the end).

    Raises
    ------
    TypeError
        For an unknown parameter.
    ValueError
        For a parameter out of its domain (naming it).

    Examples
    --------
    >>> import custometrics as cm
    >>> log, truth = cm.generate(customers=100, seed=7, truth=True)
    >>> log.columns.tolist()
    ['customer_id', 'date', 'amount', 'cost', 'product', 'channel']
    >>> log["customer_id"].nunique() <= 100, len(truth)
    (True, 100)
    >>> log.equals(cm.generate(customers=100, seed=7))
    True
    """
    defaults = _core.generate_defaults()
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise TypeError(
            f"generate() got unknown parameters {', '.join(unknown)}; known: "
            + ", ".join(sorted(set(defaults) - {"customers", "seed", "start", "end"}))
        )
    args: Dict[str, Any] = dict(params)
    args.update(
        customers=customers,
        seed=seed,
        start=to_seconds(start, "start"),
        end=to_seconds(end, "end"),
    )
    raw, raw_truth = _core.generate(_core.GenerateOptions(**args))
    names = {"customer": "customer_id", "time": "date", "amount": "amount"}
    log = log_frame(raw, names)
    if not truth:
        return log
    keys = raw["customer_keys"]
    truth_df = pd.DataFrame(
        {
            "lambda": raw_truth["lambda"],
            "p_dropout": raw_truth["p_dropout"],
            "mean_spend": raw_truth["mean_spend"],
            "acquired": as_datetime_ns(raw_truth["acquired"]),
            "death": as_datetime_ns(raw_truth["death"]),
        },
        index=pd.Index(keys, name="customer_id"),
        copy=False,
    )
    return log, truth_df
