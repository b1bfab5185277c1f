"""Segmentation: RFM scores and named segments, k-means clusters of customers, a profile per
segment, and segment attractiveness (weighted criteria, AHP weights, the nine-cell
attractiveness/strength matrix).

Every figure is computed by the C++ core (``custometrics/rfm.hpp``, ``clustering.hpp``,
``segments.hpp`` and ``attractiveness.hpp`` document each definition, tie and edge case); this
module converts the input and shapes the output into DataFrames and dataclasses. Invalid input
(NaN, a negative recency, a label out of range, an inconsistent pairwise matrix, ...) raises
ValueError naming the input, the row and the value. Figures that do not exist (the mean of an
empty segment, a share of a total <= 0) are pandas' missing value ``<NA>``, never NaN.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import data_error, input_error
from ._frames import Table, csv_columns, csv_path, to_seconds
from ._typing import Column
from ._display import result_display

#: How a feature is scaled before clustering (``kmeans``, ``select_k``).
_Scaling = Literal["none", "log", "standardize", "log_standardize"]

# --------------------------------------------------------------------------------------------
# Helpers


def _columns(data: Any, specs: Mapping[str, Any]) -> dict:
    table = Table(data)
    return {arg: table.floats(spec, arg) for arg, spec in specs.items()}


def _optional(values: Sequence[Optional[float]]) -> pd.arrays.FloatingArray:
    """Figures that may not exist (None) as a nullable float column."""
    return pd.array(list(values), dtype="Float64")


#: The fields of a dimension's bins (``rfm(...).attrs["bins"]``), as the core names them.
_BIN_FIELDS = ("size", "target", "lower", "upper", "distinct", "warnings")


def _features(features: Any) -> Tuple[np.ndarray, List[str]]:
    """A feature matrix as float64 in Fortran order, and the feature names."""
    if isinstance(features, pd.DataFrame):
        names = [str(c) for c in features.columns]
        x = features.to_numpy(dtype=np.float64)
    elif hasattr(features, "to_numpy") and hasattr(features, "columns"):  # polars
        names = [str(c) for c in features.columns]
        x = features.to_numpy().astype(np.float64, copy=False)
    else:
        x = np.asarray(features, dtype=np.float64)
        if x.ndim == 1:
            x = x.reshape(-1, 1)
        names = [f"x{j}" for j in range(x.shape[1])] if x.ndim == 2 else []
    if x.ndim != 2:
        raise input_error(f"features: expected a 2-D table, got {x.ndim} dimensions",
                          argument='features')
    return np.asfortranarray(x), names


def _scaling(scaling: Union[_Scaling, Sequence[_Scaling]], d: int) -> List[str]:
    if isinstance(scaling, str):
        return [scaling] * d
    methods: List[str] = list(scaling)
    if len(methods) != d:
        raise input_error(f"scaling: {len(methods)} methods for {d} features", argument='scaling')
    return methods


def _positive_int(x: Any, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 1:
        raise input_error(f"{name}: expected an integer >= 1, got {x!r}", argument=name)
    return int(x)


def _kmeans_options(n_init: Any, max_iter: Any, tol: Any, seed: Any, threads: Any,
                    k: int = 8) -> Any:
    """The core's k-means options (``_core.KMeansOptions``, clustering.hpp); n_init and max_iter
    checked here as integers >= 1."""
    return _core.KMeansOptions(k=k, n_init=_positive_int(n_init, "n_init"),
                               max_iter=_positive_int(max_iter, "max_iter"), tolerance=float(tol),
                               seed=int(seed), threads=int(threads))


# --------------------------------------------------------------------------------------------
# RFM


def default_segment_map() -> pd.DataFrame:
    """The rules of the default RFM segment map (5 bins), first match wins.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment, r_min, r_max, f_min, f_max, m_min, m_max``, one rule per row in
        order (the table in ``custometrics/rfm.hpp``).

    Examples
    --------
    >>> from custometrics.segmentation import default_segment_map
    >>> m = default_segment_map()
    >>> m.loc[0, "segment"], m.iloc[0, 1:].astype(int).tolist()
    ('Champions', [4, 5, 4, 5, 4, 5])
    >>> len(m)
    11
    """
    return pd.DataFrame(_core.default_segment_rules(),
                        columns=["segment", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"])


def _map(segment_map: Any, bins: int) -> Any:
    """The core's segment map of ``segment_map`` (None: None)."""
    rules = _rules(segment_map)
    return None if rules is None else _core.SegmentMap(rules, int(bins))


def _rules(segment_map: Any) -> Optional[list]:
    if segment_map is None:
        return None
    if isinstance(segment_map, pd.DataFrame):
        cols = ["segment", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"]
        missing = [c for c in cols if c not in segment_map.columns]
        if missing:
            raise input_error(f"segment_map: missing columns {missing}", argument='segment_map')
        rows = segment_map[cols].itertuples(index=False)
    else:
        rows = segment_map
    out = []
    for i, row in enumerate(rows):
        r = tuple(row)
        if len(r) != 7:
            raise input_error(f"segment_map: rule {i}: expected (segment, r_min, r_max, f_min, "
                              f"f_max, m_min, m_max), got {r!r}", argument='segment_map')
        out.append((str(r[0]),) + tuple(int(v) for v in r[1:]))
    return out


def check_segment_map(segment_map: Any, bins: int = 5) -> Dict[str, Any]:
    """Checks an RFM segment map: cells no rule covers, overlapping rules, shadowed rules.

    Parameters
    ----------
    segment_map : DataFrame or sequence of tuples
        Rules ``(segment, r_min, r_max, f_min, f_max, m_min, m_max)`` in order; first match
        wins.
    bins : int
        Scores 1..bins.

    Raises
    ------
    DataError
        For a malformed rule (a score outside 1..bins, a min above its max, an empty or the
        reserved name "Unclassified"), with the core's check of a map file: ``row`` the rule's
        position, ``key`` its name, ``column`` ("r_min" ... "m_max" or "segment") and ``value``.

    Returns
    -------
    dict
        ``uncovered`` (cells (r, f, m), at most 1000 listed), ``uncovered_count``,
        ``overlaps`` ((first rule, second rule, shared cells, example cell)), ``shadowed``
        (indices of rules that never fire), ``cells_won`` per rule and ``warnings``.

    Examples
    --------
    >>> from custometrics.segmentation import check_segment_map
    >>> r = check_segment_map([("top", 2, 2, 1, 2, 1, 2), ("any", 1, 2, 1, 2, 1, 2),
    ...                        ("never", 2, 2, 2, 2, 2, 2)], bins=2)
    >>> r["uncovered_count"], r["shadowed"]
    (0, [2])
    """
    m = _map(segment_map, bins) if segment_map is not None else _core.default_segment_map()
    r = m.report
    return {"uncovered": [(c.r, c.f, c.m) for c in r.uncovered],
            "uncovered_count": r.uncovered_count,
            "overlaps": [(o.first, o.second, o.cells, (o.example.r, o.example.f, o.example.m))
                         for o in r.overlaps],
            "shadowed": [int(i) for i in r.shadowed],
            "cells_won": [int(i) for i in r.cells_won],
            "warnings": list(r.warnings), "segments": list(m.segments)}


def rfm(data: Any = None, *, recency: Column = "recency", frequency: Column = "frequency",
        monetary: Column = "monetary", bins: int = 5,
        ties: Literal["grouped", "first"] = "grouped", segment_map: Any = None,
        fm: Literal["separate", "combined"] = "separate", threads: int = 0,
        analysis_date: Any = None, delimiter: str = ",",
        memory_limit: Optional[Union[str, int]] = None,
        columns: Optional[Mapping[str, str]] = None) -> pd.DataFrame:
    """RFM scores 1..bins by quantiles and the named segment of each customer.

    Scores are by quantiles of each dimension, recency reversed (the most recent get
    ``bins``); ``ties="grouped"`` never splits equal values across scores, ``ties="first"``
    is pandas' ``qcut(x.rank(method="first"), bins, labels=False) + 1``. Segments come from
    the default map (5 bins) or ``segment_map``; cells no rule covers are "Unclassified".

    Parameters
    ----------
    data : str, os.PathLike, DataFrame, mapping of arrays or None
        Per-customer table holding the columns named below, or None with the columns given as
        arrays. Or the path of a transaction CSV file (``customer_id``, ``date``, ``amount``,
        and an order column by its conventional name), summarized and scored by the core as the
        command line's ``rfm`` does: recency in days to ``analysis_date``, frequency in
        orders, monetary the net revenue (:func:`custometrics.summarize` with its defaults);
        customers with only returns are not scored.
    recency, frequency, monetary : str or array-like
        Days since the last purchase (>= 0), purchases or orders (>= 0), net revenue.
    bins : int
        Scores per dimension, 2..100; the default map needs 5.
    ties : {"grouped", "first"}
        How equal values are binned.
    segment_map : DataFrame or sequence of tuples, optional
        Rules ``(segment, r_min, r_max, f_min, f_max, m_min, m_max)``, first match wins.
    fm : {"separate", "combined"}
        Classify by the cell (R, F, M), or by (R, FM, FM) with FM = ceil((F + M) / 2), the
        combined score of the table the default map comes from (no customer of the default
        map is then "Unclassified").
    threads : int
        0 = all hardware threads.
    analysis_date : str, datetime, pandas.Timestamp or numpy.datetime64, optional
        With a CSV path: the day recency is measured to (default: the day after the last
        purchase).
    delimiter : str, default ","
        The field separator of a CSV ``data`` path (one character).
    memory_limit : str or int, optional
        With a CSV path: bound the rows held in memory (``"512M"``, ``"2G"``, or bytes; at
        least 32M), as the command line's ``rfm --memory-limit``: a file whose log would not
        fit is cut into parts by customer on disk (``TMPDIR``), each read row by row into one
        set of totals per customer, and the customers binned together; the result is the same.
        Memory grows with the customers (and their distinct orders), not the rows, save for
        customers whose rows are not in date order in the file: their rows are held, 24
        bytes each, to be added in date order as the summary adds them.
    columns : mapping, optional
        With a CSV path: the file's header names of the columns whose names are not the
        conventional ones, by role, as :func:`read_transactions` takes them
        (``{"customer": "cust", "date": "day", "amount": "revenue", "order": "receipt"}``),
        as the command line's ``--customer``, ``--date``... The index is named after the
        customer column.

    Returns
    -------
    pandas.DataFrame
        Columns ``recency, frequency, monetary, r_score, f_score, m_score, cell, segment``
        (segment categorical, in the order of the map); the index of ``data`` when it is a
        pandas DataFrame; with a CSV path, the customer keys (index ``customer_id``), and
        ``attrs["customers_left_out"]`` the keys of the customers not scored (no purchase row,
        only returns: no recency), as the command line's ``--rejected`` lists them.
        ``attrs["warnings"]`` lists uneven bins and map gaps, ``attrs["segment_count"]`` the
        customers per segment.

    Examples
    --------
    >>> from custometrics.segmentation import rfm
    >>> r = rfm(recency=[1, 30, 5], frequency=[4, 1, 2], monetary=[120.0, 15.0, 40.0])
    >>> r[["r_score", "f_score", "m_score", "cell"]].values.tolist()
    [[5, 5, 5, 555], [1, 1, 1, 111], [3, 3, 3, 333]]
    >>> r["segment"].tolist()
    ['Champions', 'Lost', 'Loyal Customers']
    >>> rfm(recency=[1, 2, 3, 4, 5], frequency=[50, 10, 20, 30, 40],
    ...     monetary=[10, 40, 50, 20, 30], fm="combined")["segment"].tolist()
    ['Loyal Customers', 'Loyal Customers', 'Loyal Customers', 'At Risk', "Can't Lose Them"]
    """
    index = data.index if isinstance(data, pd.DataFrame) else None
    if isinstance(data, (str, os.PathLike)):
        chosen = {"recency": recency, "frequency": frequency, "monetary": monetary}
        for name, column in chosen.items():  # columns of a frame: a path has no such column
            if not (isinstance(column, str) and column == name):
                raise input_error(f"{name}: names a column of a frame; name a CSV file's "
                                  "columns with columns=", argument=name)
        chosen_columns = csv_columns(columns)
        all_keys, ids, r_s, f_s, m_s, raw, left_out = _core.rfm_csv(
            csv_path(data, delimiter), chosen_columns, delimiter,
            None if memory_limit is None else str(memory_limit),
            to_seconds(analysis_date, "analysis_date"), int(bins), ties, fm,
            _map(segment_map, bins), int(threads))
        cols = {"recency": r_s, "frequency": f_s, "monetary": m_s}
        index = pd.Index(all_keys[ids], name=chosen_columns.customer)
        left_out_keys = all_keys[left_out].tolist()
    else:
        path_only = {"memory_limit": memory_limit, "analysis_date": analysis_date,
                     "columns": columns}
        given = [name for name, v in path_only.items() if v is not None]
        if given:
            raise input_error(f"{', '.join(given)}: apply to a CSV path only",
                              argument=given[0])
        cols = _columns(data, {"recency": recency, "frequency": frequency,
                               "monetary": monetary})
        raw = _core.rfm(cols["recency"], cols["frequency"], cols["monetary"], int(bins), ties,
                        fm, _map(segment_map, bins), int(threads))
    names = list(raw.segment_names)
    out = pd.DataFrame({
        "recency": cols["recency"], "frequency": cols["frequency"],
        "monetary": cols["monetary"],
        "r_score": raw.r_score.astype(np.int64), "f_score": raw.f_score.astype(np.int64),
        "m_score": raw.m_score.astype(np.int64), "cell": raw.cell.astype(np.int64),
        "segment": pd.Categorical.from_codes(raw.segment.astype(np.int64),
                                             categories=names),
    })
    if index is not None:
        out.index = index
    if isinstance(data, (str, os.PathLike)):  # not scored: no purchase row (only returns)
        out.attrs["customers_left_out"] = left_out_keys
    out.attrs["warnings"] = list(raw.warnings)
    out.attrs["map_warnings"] = list(raw.map_warnings)
    out.attrs["segment_count"] = dict(zip(names, raw.segment_count))
    out.attrs["bins"] = {k: {f: getattr(getattr(raw, k + "_bins"), f) for f in _BIN_FIELDS}
                         for k in ("recency", "frequency", "monetary")}
    return out


# --------------------------------------------------------------------------------------------
# k-means


@result_display
@dataclass(frozen=True)
class KMeansResult:
    """A k-means clustering (see :func:`kmeans`).

    Attributes
    ----------
    labels : numpy.ndarray
        Cluster of each row, 0..k-1 (uint32).
    centres : numpy.ndarray
        k x d, in the scaled space.
    centres_data : pandas.DataFrame
        The centres in the units of the data (scaling undone), one row per cluster.
    inertia : float
        Sum of squared distances to the own centre, in the scaled space.
    iterations : int
        Centre updates of the run kept.
    converged : bool
        Stopped by no label change or the tolerance (not by ``max_iter``).
    sizes : list of int
        Rows per cluster.
    """

    labels: np.ndarray
    centres: np.ndarray
    centres_data: pd.DataFrame
    inertia: float
    iterations: int
    converged: bool
    sizes: List[int]

    @classmethod
    def _from_core(cls, r: Any, names: List[str]) -> "KMeansResult":
        return cls(labels=r.labels, centres=np.array(r.centres),
                   centres_data=pd.DataFrame(r.centres_data, columns=names),
                   inertia=r.inertia, iterations=r.iterations,
                   converged=r.converged, sizes=[int(n) for n in r.sizes])


def kmeans(features: Any, k: Optional[int] = None, *, init: Any = None, n_init: int = 10,
           max_iter: int = 300, tol: float = 1e-4, seed: int = 0,
           scaling: Union[_Scaling, Sequence[_Scaling]] = "none",
           threads: int = 0) -> KMeansResult:
    """k-means (Lloyd) with k-means++ seeding and restarts, on scaled features.

    Parameters
    ----------
    features : DataFrame or 2-D array
        One row per customer, one column per feature.
    k : int, optional
        Clusters; required unless ``init`` is given.
    init : 2-D array, optional
        Initial centres (k x d) in the scaled space: one run from them, as scikit-learn's
        ``KMeans(init=centres, n_init=1)``.
    n_init, max_iter, tol, seed : optional
        Restarts, most centre updates per run, tolerance (relative to the mean feature
        variance, as scikit-learn's ``tol``), seed of the k-means++ draws.
    scaling : str or sequence of str
        ``"none"``, ``"log"`` (log1p), ``"standardize"`` or ``"log_standardize"``, for all
        features or one per feature.
    threads : int
        0 = all hardware threads; the result does not depend on it.

    Examples
    --------
    >>> import numpy as np
    >>> from custometrics.segmentation import kmeans
    >>> r = kmeans(np.array([[0.0], [2], [4], [10], [12]]), init=np.array([[0.0], [2]]))
    >>> r.labels.tolist(), r.inertia, r.iterations
    ([0, 0, 0, 1, 1], 10.0, 3)
    """
    x, names = _features(features)
    methods = _scaling(scaling, x.shape[1])
    if init is None:
        if k is None:
            raise input_error("k: required unless init is given", argument='k')
        k = _positive_int(k, "k")
        init_arr = None
    else:
        init_arr = np.asfortranarray(np.asarray(init, dtype=np.float64))
        if init_arr.ndim != 2:
            raise input_error(f"init: expected a 2-D array, got {init_arr.ndim} dimensions",
                              argument='init')
        if k is not None and int(k) != init_arr.shape[0]:
            raise input_error(f"k: {k} differs from the {init_arr.shape[0]} rows of init",
                              argument='k')
        k = init_arr.shape[0]
    d = _core.kmeans(x, init_arr, _kmeans_options(n_init, max_iter, tol, seed, threads, k=int(k)),
                     methods, names)
    return KMeansResult._from_core(d, names)


def select_k(features: Any, k_min: int = 2, k_max: int = 10, *, silhouette_limit: int = 10_000,
             n_init: int = 10, max_iter: int = 300, tol: float = 1e-4, seed: int = 0,
             scaling: Union[_Scaling, Sequence[_Scaling]] = "none",
             threads: int = 0) -> Tuple[int, KMeansResult, pd.DataFrame]:
    """k chosen by the mean silhouette among k_min..k_max (ties to the smaller k).

    Returns
    -------
    (k, KMeansResult, DataFrame)
        The chosen k, its clustering, and the table ``k, silhouette, inertia`` of every k.

    Examples
    --------
    >>> import numpy as np
    >>> from custometrics.segmentation import select_k
    >>> x = np.array([[0.0], [0.1], [5], [5.1], [10], [10.1]])
    >>> k, best, table = select_k(x, 2, 4)
    >>> k, sorted(best.sizes)
    (3, [2, 2, 2])
    """
    x, names = _features(features)
    d = _core.kmeans_select_k(x, int(k_min), int(k_max), int(silhouette_limit),
                              _kmeans_options(n_init, max_iter, tol, seed, threads),
                              _scaling(scaling, x.shape[1]), names)
    table = pd.DataFrame({"k": [t.k for t in d.table],
                          "silhouette": [float(t.silhouette) for t in d.table],
                          "inertia": [float(t.inertia) for t in d.table]})
    return d.k, KMeansResult._from_core(d.best, names), table


def silhouette(features: Any, labels: Any, *, sample_size: int = 10_000, seed: int = 0,
               threads: int = 0) -> float:
    """Mean silhouette of ``labels`` on the rows of ``features`` as given (no scaling), on a
    sample of ``sample_size`` rows drawn from ``seed`` when there are more.

    Examples
    --------
    >>> from custometrics.segmentation import silhouette
    >>> round(silhouette([[0.0], [1], [5], [6]], [0, 0, 1, 1]), 6) == round(79 / 99, 6)
    True
    """
    x, _ = _features(features)
    labels = np.ascontiguousarray(np.asarray(labels), dtype=np.uint32)
    return _core.silhouette(x, labels, int(sample_size), int(seed), int(threads)).mean


# --------------------------------------------------------------------------------------------
# Profiles


def segment_profiles(labels: Any, data: Any = None, *, recency: Column = "recency",
                     frequency: Column = "frequency", monetary: Column = "monetary",
                     revenue: Optional[Column] = None, profit: Optional[Column] = None,
                     names: Optional[Sequence[str]] = None,
                     extra: Optional[Mapping[str, Any]] = None,
                     mix: Optional[Mapping[str, Any]] = None) -> pd.DataFrame:
    """A profile per segment: size and share of customers, revenue and profit share, mean
    recency, frequency and monetary value, and optionally the mean of any per-customer score
    (P(alive), lifetime value) and the mix of any per-customer label (loyalty type).

    Parameters
    ----------
    labels : array-like or categorical
        One segment per customer: integer labels 0..S-1 (k-means), or a pandas Categorical /
        categorical Series (the ``segment`` column of :func:`rfm`), whose categories name the
        segments.
    data : DataFrame, mapping or None
        Holds the named columns.
    recency, frequency, monetary : str or array-like
        Per-customer RFM values.
    revenue : str or array-like, optional
        Net revenue per customer (default: ``monetary``).
    profit : str or array-like, optional
        Profit per customer; adds ``profit`` and ``profit_share``.
    names : sequence of str, optional
        Names of integer labels 0..S-1 (S = len(names)); default "0", "1", ...
    extra : mapping of str to array-like, optional
        Per-customer numbers averaged per segment, e.g. ``{"p_alive": ..., "clv": ...}`` from
        the retention models: adds a ``mean_<name>`` column each (``<NA>`` for an empty
        segment; a NaN or infinite value is an error naming the customer).
    mix : mapping of str to array-like, optional
        Per-customer labels whose shares per segment are reported, e.g. ``{"loyalty":
        labels["loyalty_type"]}`` from :func:`classify_loyalty`: adds a ``<name>:<label>``
        column per label (the share of the segment's customers with it; missing labels are an
        error).

    Returns
    -------
    pandas.DataFrame
        Indexed by segment: ``customers, customer_share, revenue, revenue_share, [profit,
        profit_share,] mean_recency, mean_frequency, mean_monetary, repeat_rate[, margin]``
        (repeat rate: share of the segment's customers with frequency > 1; margin: profit /
        revenue); empty segments are kept with ``<NA>`` means; shares of a total <= 0 and
        margins of a revenue <= 0 are ``<NA>``. The columns are the data-derived criteria of
        :func:`attractiveness`.

    Examples
    --------
    >>> from custometrics.segmentation import segment_profiles
    >>> p = segment_profiles([0, 1, 0, 2, 1], recency=[1, 30, 3, 90, 20],
    ...                      frequency=[5, 1, 3, 1, 2], monetary=[50, 10, 30, 5, 15])
    >>> row = p.loc["0"]
    >>> int(row["customers"]), float(row["revenue"]), float(row["mean_recency"])
    (2, 80.0, 2.0)
    >>> round(float(p.loc["0", "revenue_share"]), 4)
    0.7273
    """
    specs = {"recency": recency, "frequency": frequency, "monetary": monetary}
    specs["revenue"] = monetary if revenue is None else revenue
    if profit is not None:
        specs["profit"] = profit
    cols = _columns(data, specs)
    if isinstance(labels, pd.Series) and isinstance(labels.dtype, pd.CategoricalDtype):
        labels = labels.array
    if isinstance(labels, pd.Categorical):
        if names is not None:
            raise input_error("names: the categories of a categorical label name the segments",
                              argument='names')
        if (labels.codes < 0).any():
            raise input_error(f"labels: row {int(np.argmax(labels.codes < 0))} is missing",
                              argument='labels')
        names = [str(c) for c in labels.categories]
        codes = labels.codes.astype(np.uint32)
    else:
        arr = np.asarray(labels)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"labels: expected integer labels or a categorical, got dtype "
                            f"{arr.dtype}")
        if arr.size and arr.min() < 0:
            raise data_error(f"labels: row {int(np.argmin(arr))}: label {int(arr.min())} is "
                             "negative", argument='labels', row=int(np.argmin(arr)))
        codes = arr.astype(np.uint32)
        count = len(names) if names is not None else (int(arr.max()) + 1 if arr.size else 0)
        names = list(names) if names is not None else [str(i) for i in range(count)]
    # Extra numbers and the 0/1 indicator of each mix label, averaged per segment by the core
    # (the mean of an indicator is the label's share of the segment).
    n = codes.size
    extra_columns: List[str] = []
    extra_values: List[Tuple[str, np.ndarray]] = []
    for name, spec in (extra or {}).items():
        v = Table(data).floats(spec, name) if isinstance(spec, str) else \
            Table(None).floats(spec, name)
        if v.size != n:
            raise input_error(f"extra[{name!r}]: has {v.size} values for {n} customers")
        extra_columns.append(f"mean_{name}")
        extra_values.append((f"extra[{name!r}]", v))
    for name, spec in (mix or {}).items():
        values = Table(data).get(spec, name)[1] if isinstance(spec, str) else np.asarray(spec)
        if len(values) != n:
            raise input_error(f"mix[{name!r}]: has {len(values)} labels for {n} customers")
        na = np.asarray(pd.isna(values))
        if na.any():
            raise input_error(f"mix[{name!r}]: customer {int(np.argmax(na))}: label is missing")
        cat = pd.Categorical(values)
        for j, label in enumerate(cat.categories):
            extra_columns.append(f"{name}:{label}")
            extra_values.append((f"mix[{name!r}]", (cat.codes == j).astype(np.float64)))
    p = _core.segment_profiles(np.ascontiguousarray(codes), len(names), cols["recency"],
                               cols["frequency"], cols["monetary"], cols["revenue"],
                               cols.get("profit"), [str(x) for x in names], extra_values)
    segs = p.segments

    def figure_of(get: Any) -> pd.arrays.FloatingArray:
        return _optional([get(q) for q in segs])

    def figure(name: str) -> pd.arrays.FloatingArray:
        return figure_of(lambda q: getattr(q, name))

    out = pd.DataFrame({
        "customers": np.asarray([q.customers for q in segs], dtype=np.int64),
        "customer_share": figure("customer_share"),
        "revenue": np.asarray([q.revenue for q in segs], dtype=np.float64),
        "revenue_share": figure("revenue_share"),
    }, index=pd.Index([q.name for q in segs], name="segment"))
    with_profit = p.profit is not None
    if with_profit:
        out["profit"] = figure("profit")
        out["profit_share"] = figure("profit_share")
    for k in ("mean_recency", "mean_frequency", "mean_monetary", "repeat_rate"):
        out[k] = figure(k)
    if with_profit:
        out["margin"] = figure("margin")
    for k, column in enumerate(extra_columns):
        out[column] = figure_of(lambda q: q.extra_means[k])
    return out


# --------------------------------------------------------------------------------------------
# Attractiveness


@result_display
@dataclass(frozen=True)
class AHPResult:
    """Weights from a pairwise comparison matrix (see :func:`ahp_weights`).

    Attributes
    ----------
    weights : pandas.Series
        Principal eigenvector, summing to 1, by criterion.
    lambda_max, consistency_index, random_index, consistency_ratio : float
        Saaty's consistency figures: CI = (lambda_max - n) / (n - 1), CR = CI / RI(n).
    consistent : bool
        CR <= 0.10.
    """

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    consistent: bool


def ahp_weights(pairwise: Any, criteria: Optional[Sequence[str]] = None, *,
                accept_inconsistent: bool = False,
                reciprocal_tolerance: float = 0.01) -> AHPResult:
    """Criterion weights by the analytic hierarchy process (Saaty): the principal eigenvector
    of the pairwise comparison matrix, with its consistency ratio. A ratio above 0.10 raises
    ValueError unless ``accept_inconsistent``.

    Parameters
    ----------
    pairwise : DataFrame or 2-D array
        a_ij = how much more important criterion i is than j (1..9 and reciprocals). A
        DataFrame's columns name the criteria.
    criteria : sequence of str, optional
        Names (default: the DataFrame's columns, else "c0", "c1", ...).

    Examples
    --------
    >>> from custometrics.segmentation import ahp_weights
    >>> r = ahp_weights([[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]], ["size", "growth", "fit"])
    >>> r.weights.round(3).tolist(), round(r.consistency_ratio, 3)
    ([0.637, 0.258, 0.105], 0.033)
    """
    if criteria is None and isinstance(pairwise, pd.DataFrame):
        criteria = [str(c) for c in pairwise.columns]
    a = np.asfortranarray(np.asarray(pairwise, dtype=np.float64))
    if criteria is None:
        criteria = [f"c{j}" for j in range(a.shape[0] if a.ndim == 2 else 0)]
    d = _core.ahp(a, [_core.Criterion(str(c)) for c in criteria], _core.AhpOptions(
        accept_inconsistent=bool(accept_inconsistent),
        reciprocal_tolerance=float(reciprocal_tolerance)))
    return AHPResult(weights=pd.Series(d.weights, index=list(criteria), name="weight"),
                     lambda_max=d.lambda_max, consistency_index=d.consistency_index,
                     random_index=d.random_index, consistency_ratio=d.consistency_ratio,
                     consistent=d.consistent)


def _per_criterion(value: Any, cols: List[str], name: str, default: str) -> List[str]:
    if value is None:
        return [default] * len(cols)
    if isinstance(value, str):
        return [value] * len(cols)
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in cols]
        if unknown:
            raise input_error(f"{name}: unknown criteria {unknown}; the criteria are {cols}",
                              argument=name)
        return [str(value.get(c, default)) for c in cols]
    value = [str(v) for v in value]
    if len(value) != len(cols):
        raise input_error(f"{name}: {len(value)} entries for {len(cols)} criteria", argument=name)
    return value


def _scores(table: pd.DataFrame, directions: Any, normalisation: Any, weights: Any) -> Any:
    cols = [str(c) for c in table.columns]
    if isinstance(weights, Mapping):
        missing = [c for c in cols if c not in weights]
        if missing:
            raise input_error(f"weights: no weight for {missing}", argument='weights')
        w = [float(weights[c]) for c in cols]
    elif weights is None:
        w = [1.0] * len(cols)
    else:
        w = [float(x) for x in weights]
    crit = [_core.Criterion(c, d, n) for c, d, n in
            zip(cols, _per_criterion(directions, cols, "directions", "more"),
                _per_criterion(normalisation, cols, "normalisation", "min_max"))]
    return _core.score_segments(np.asfortranarray(table.to_numpy(dtype=np.float64)), crit,
                                np.asarray(w, dtype=np.float64))


def attractiveness(criteria: pd.DataFrame, *, directions: Any = None, normalisation: Any = None,
                   weights: Any = None, pairwise: Any = None, accept_inconsistent: bool = False,
                   strength: Optional[pd.DataFrame] = None, strength_directions: Any = None,
                   strength_normalisation: Any = None, strength_weights: Any = None,
                   cuts: Tuple[float, float] = (1 / 3, 2 / 3)) -> pd.DataFrame:
    """Weighted attractiveness score and rank of each segment and, with ``strength``, its cell
    and zone in the nine-cell attractiveness/strength matrix.

    Parameters
    ----------
    criteria : pandas.DataFrame
        One row per segment (the index names them), one column per criterion, raw values.
    directions : str, mapping or sequence, optional
        ``"more"`` (default) or ``"less"`` is better, for all criteria or per criterion.
    normalisation : str, mapping or sequence, optional
        ``"min_max"`` (default), ``"z_score"`` or ``"rank"``.
    weights : mapping or sequence, optional
        Non-negative weights, normalised to sum 1 (default: equal).
    pairwise : DataFrame or 2-D array, optional
        A pairwise comparison matrix in the order of the columns: weights by AHP
        (:func:`ahp_weights`) instead of ``weights``.
    strength : pandas.DataFrame, optional
        The company's strength criteria per segment (same index), scored the same way with
        ``strength_directions``, ``strength_normalisation`` and ``strength_weights``.
    cuts : (float, float)
        Low and high cut points of both axes on [0, 1].

    Returns
    -------
    pandas.DataFrame
        Indexed by segment: ``score, rank`` and, with ``strength``, ``strength,
        attractiveness_level, strength_level, cell`` (``"high/low"``) and ``zone``.
        ``attrs``: ``weights``, ``consistency_ratio`` (with ``pairwise``) and
        ``sensitivity`` (a DataFrame: per criterion, the weight at which the top segment
        changes moving down or up, and the new top; ``<NA>`` = never).

    Examples
    --------
    >>> import pandas as pd
    >>> from custometrics.segmentation import attractiveness
    >>> crit = pd.DataFrame({"size": [1200, 800, 300], "growth": [0.10, 0.25, 0.05],
    ...                      "competition": [5, 2, 1]}, index=["A", "B", "C"])
    >>> r = attractiveness(crit, directions={"competition": "less"},
    ...                    weights={"size": 2, "growth": 1, "competition": 1})
    >>> r["score"].round(4).tolist(), r["rank"].tolist()
    ([0.5625, 0.7153, 0.25], [2, 1, 3])
    """
    if not isinstance(criteria, pd.DataFrame):
        raise TypeError(f"criteria: expected a pandas DataFrame, got {type(criteria).__name__}")
    if pairwise is not None and weights is not None:
        raise input_error("weights and pairwise: give one of them")
    ahp = None
    if pairwise is not None:
        ahp = ahp_weights(pairwise, [str(c) for c in criteria.columns],
                          accept_inconsistent=accept_inconsistent)
        weights = ahp.weights.to_numpy()
    a = _scores(criteria, directions, normalisation, weights)
    out = pd.DataFrame({"score": a.score, "rank": np.asarray(a.rank, dtype=np.int64)},
                       index=criteria.index)
    if strength is not None:
        if not isinstance(strength, pd.DataFrame) or not strength.index.equals(criteria.index):
            raise input_error("strength: expected a DataFrame with the same index (segments) "
                              "as criteria", argument='strength')
        s = _scores(strength, strength_directions, strength_normalisation, strength_weights)
        m = _core.attractiveness_matrix(np.asarray(a.score), np.asarray(s.score),
                                        float(cuts[0]), float(cuts[1]))
        out["strength"] = s.score
        out["attractiveness_level"] = [c.attractiveness for c in m.cells]
        out["strength_level"] = [c.strength for c in m.cells]
        out["cell"] = [f"{c.attractiveness}/{c.strength}" for c in m.cells]
        out["zone"] = [c.zone for c in m.cells]
    cols = [str(c) for c in criteria.columns]
    segs = list(criteria.index)
    rows = []
    for x in a.sensitivity:
        down, up = x.down, x.up
        rows.append({"criterion": cols[x.criterion], "weight": x.weight,
                     "down": down.weight if down else None,
                     "new_top_down": segs[down.new_top] if down else None,
                     "up": up.weight if up else None,
                     "new_top_up": segs[up.new_top] if up else None})
    sens = pd.DataFrame(rows)
    for c in ("down", "up"):
        sens[c] = sens[c].astype("Float64")
    out.attrs["weights"] = dict(zip(cols, a.weights))
    out.attrs["sensitivity"] = sens
    if ahp is not None:
        out.attrs["consistency_ratio"] = ahp.consistency_ratio
    return out


def target_customers(assignments: Any, segments: Sequence[Any]) -> np.ndarray:
    """Positions of the customers whose segment is one of ``segments``, ascending.

    Examples
    --------
    >>> from custometrics.segmentation import target_customers
    >>> target_customers(["a", "b", "a", "c"], ["a", "c"]).tolist()
    [0, 2, 3]
    """
    labels = pd.Series(np.asarray(assignments, dtype=object))
    return np.flatnonzero(labels.isin(list(segments)).to_numpy())
