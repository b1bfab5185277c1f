"""Retention models on a Spark DataFrame of per-customer summaries: fit and score.

:func:`fit` fits a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) or the Gamma-Gamma spend model
on a summary such as :func:`custometrics.spark.summarize` returns. The likelihood depends on a
customer's (frequency, recency, T) only (Gamma-Gamma: (frequency, monetary value)), so the
summary is first compressed in Spark to its distinct rows with their customer counts:

- at most ``collect_limit`` distinct rows (default 1,000,000: about 32 MB on the driver), they
  are collected and fitted by the single-machine estimator with the counts as weights: the
  very fit :mod:`custometrics.retention` makes on the whole summary. Summaries in days over a
  few years stay far below: the distinct triples grow with the number of distinct
  (frequency, recency, T) values, not with customers (the CDNOW sample: 2,357 customers,
  1,016 rows; 10^6 generated customers over two years in days: 374,344 rows);
- above it, the rows stay in the executors (cached), and the core's L-BFGS driver runs on the
  driver with a log-likelihood and gradient summed over the partitions by one Spark job per
  evaluation (the executors evaluate it with the core's kernels): same optimiser, same
  stopping rules, same standard errors; the sums differ from the single-machine fit only in
  their order, so the parameters agree to the fit's tolerance.

:func:`score` computes P(alive), the expected purchases over a horizon, the median time to the
next purchase (and its date), and with a Gamma-Gamma model the expected spend and the lifetime
value, per customer in the executors, with the core's ``score_customers``; a model fitted with
covariates scores each customer at its own parameters from a covariate DataFrame joined on the
customer key (``covariates=``), as the single-machine ``score_customers(..., covariates=)``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as St

from .. import _core
from .. import retention as _retention
from .._errors import data_error, input_error
from .._frames import to_seconds
from . import _checks

_FIELDS = ("argument", "row", "key", "column", "value")


def _named(error: Any, names: Sequence[str], *values: np.ndarray) -> Any:
    """The core's check error for the distinct rows (x, a[, t]) with the offending row's values
    added under the summary's column names; its fields (``row`` is the position among those
    rows) are kept."""
    shown = ", ".join(f"{n} = {v[error.row]:g}" for n, v in zip(names, values))
    out = type(error)(f"{error} (summary rows with {shown})")
    for f in _FIELDS:
        setattr(out, f, getattr(error, f, None))
    return out


def _fields(error: Any) -> tuple:
    """An error as plain values that travel from an executor to the driver."""
    return (type(error).__name__, str(error)) + tuple(getattr(error, f, None) for f in _FIELDS)


def _raise(state: tuple) -> None:
    """Raises the custometrics error that `_fields` described."""
    cls = getattr(_core, state[0])
    error = cls(state[1])
    for f, v in zip(_FIELDS, state[2:]):
        setattr(error, f, v)
    raise error

__all__ = ["fit", "score", "contacts", "model_by_name"]

# The estimator of each canonical model name (the core's canonical_model_name reads the names).
_ESTIMATORS = {
    "bgnbd": _retention.BetaGeoModel, "mbgnbd": _retention.ModifiedBetaGeoModel,
    "pnbd": _retention.ParetoNBDModel, "ggomnbd": _retention.GGompertzNBDModel,
    "gamma-gamma": _retention.GammaGammaModel,
}

Model = Union[_retention.BetaGeoModel, _retention.ModifiedBetaGeoModel,
              _retention.ParetoNBDModel, _retention.GGompertzNBDModel,
              _retention.GammaGammaModel]


def _first_error_or_sum(u: tuple, v: tuple) -> tuple:
    """Reduces the check jobs' (error fields, partition totals) pairs: the first error, else the
    merged totals."""
    if u[0] is not None or v[0] is not None:
        return u if u[0] is not None else v
    return (None, u[1] + v[1])


def model_by_name(name: str, penalizer_coef: float = 0.0) -> Model:
    """A new estimator from its name, read by the core as every face reads model names.

    Names are the core's (``canonical_model_name``, retention/fitted_model.hpp): "bgnbd",
    "mbgnbd", "pnbd", "ggomnbd", "gamma-gamma" and their spellings ("BG/NBD", "pareto_nbd",
    "GGompertz/NBD", "gamma_gamma", "gg", lifetimes' "BetaGeoFitter", "ParetoNBDFitter", ...; case
    and separators do not matter), the names ``custometrics fit --model`` takes. BG/BB is not
    fitted in Spark.

    Raises
    ------
    custometrics.InputError
        An unknown name (``argument`` "model", ``value`` the name) or "bgbb".

    Examples
    --------
    >>> type(model_by_name("GGompertz/NBD")).__name__
    'GGompertzNBDModel'
    """
    key = _core.canonical_model_name(str(name), "model")
    if key not in _ESTIMATORS:
        raise input_error(f"model: {name!r} is not fitted in Spark (the purchase models bgnbd, "
                          "mbgnbd, pnbd, ggomnbd and gamma-gamma are)", argument="model",
                          value=name)
    return _ESTIMATORS[key](penalizer_coef=penalizer_coef)


def _core_name(model: Model) -> Optional["_core.PurchaseModel"]:
    """The core's purchase model of an estimator; None for the Gamma-Gamma spend model."""
    if isinstance(model, _retention.GammaGammaModel):
        return None
    return model._kind


def _pick(df: DataFrame, given: Optional[str], name: str, argument: str) -> _checks.Spec:
    """The column for ``argument``: ``given``, else ``name`` or ``name + "_cal"``."""
    if given is None:
        have = set(df.columns)
        given = name if name in have else (name + "_cal" if name + "_cal" in have else name)
    return _checks.column(df, given, argument, "number")


def _compressed(df: DataFrame, specs: Sequence[_checks.Spec], spend: bool) -> DataFrame:
    """The distinct rows of ``specs`` (as doubles) with their customer count ``w``."""
    cols = [s.col.cast("double").alias(n) for s, n in zip(specs, ("x", "a", "t"))]
    rows = df.select(*cols)
    if spend:
        rows = rows.filter(F.col("x") > 0)  # the Gamma-Gamma model covers repeat buyers
    keys = ["x", "a"] if spend else ["x", "a", "t"]
    return rows.groupBy(*keys).agg(F.count(F.lit(1)).cast("double").alias("w"))


def fit(
    model: Union[str, Model],
    summary: DataFrame,
    *,
    frequency: Optional[str] = None,
    recency: Optional[str] = None,
    T: Optional[str] = None,
    monetary_value: Optional[str] = None,
    penalizer_coef: Optional[float] = None,
    initial_params: Optional[Sequence[float]] = None,
    max_iterations: int = 1000,
    tol: float = 1e-9,
    collect_limit: int = 1_000_000,
    customer: str = "customer_id",
    covariates: Optional[DataFrame] = None,
    life: Optional[Sequence[str]] = None,
    trans: Optional[Sequence[str]] = None,
    constrained: Optional[Sequence[str]] = None,
    life_penalizer: float = 0.0,
    trans_penalizer: float = 0.0,
) -> Model:
    """Fit a retention model on a Spark DataFrame of per-customer summaries, with or without
    time-invariant covariates.

    Parameters
    ----------
    model : str or estimator
        "bgnbd", "mbgnbd", "pnbd", "ggomnbd" or "gamma_gamma" (any name
        :func:`model_by_name` reads), or an unfitted estimator of :mod:`custometrics.retention`
        (its ``penalizer_coef`` is used).
    summary : pyspark.sql.DataFrame
        One row per customer, e.g. from :func:`custometrics.spark.summarize`.
    frequency, recency, T, monetary_value : str, optional
        Column names; default ``frequency``, ``recency``, ``T`` and ``monetary_value`` or
        their ``_cal`` forms (calibration summaries). Gamma-Gamma uses ``frequency`` and
        ``monetary_value`` of the repeat buyers (rows with frequency > 0; the others are left
        out, where the single-machine fit would refuse them).
    penalizer_coef : float, optional
        L2 penalty, as the estimators take it (overrides the estimator's).
    initial_params, max_iterations, tol
        As the estimators' ``fit``.
    collect_limit : int, default 1,000,000
        The most distinct rows fitted on the driver; above it the fit is distributed (see the
        module docstring). 0 always distributes. With covariates: the most customers.
    customer : str, default "customer_id"
        The key column of ``summary`` and ``covariates`` (with covariates only).
    covariates : pyspark.sql.DataFrame, optional
        Time-invariant covariates of a purchase model, one row per customer: the ``customer``
        key and one column per covariate, as the single-machine ``fit(..., covariates=frame)``
        takes them (numeric and boolean columns as numbers, any other as labels, dummy-coded
        against the first level). It may be ``summary`` itself when that holds the covariate
        columns. Joined to the summary on the key (compared as strings); a summary customer
        without a covariate row raises :class:`custometrics.DataError` with ``key`` that
        customer and ``argument`` "covariates"; a null label reads "None" (as ``str`` of a
        pandas None).
    life, trans, constrained, life_penalizer, trans_penalizer
        As the estimators' ``fit``: the covariates of the lifetime and the transaction process,
        those with one coefficient on both, the L2 penalties on the coefficients.

    Returns
    -------
    estimator
        Fitted, as :mod:`custometrics.retention` returns it (``params_``, ``standard_errors_``,
        ``log_likelihood_``, ``fit_report_``, with covariates ``life_coefficients_``,
        ``trans_coefficients_``, their standard errors, ``reference_levels_``, ...), plus
        ``n_distinct_rows_`` (with covariates: the customers) and ``fit_path_``
        ("collected" or "distributed").

    Covariates. The fit with covariates evaluates one customer per row (customers with the same
    summary row may differ in their covariates), so the summary is not compressed. Up to
    ``collect_limit`` customers the joined rows are collected and fitted by the estimator's own
    ``fit(..., covariates=...)``. Above it they stay in the executors: one job collects the
    levels of the categorical covariates and counts the customers, the driver fixes the coding
    from them (the core's ``covariate_layout``), one job checks every partition (the summary
    rows as the single-machine fit checks them, each customer's covariates coded by the core:
    the errors name the customer's key), and the core's optimiser runs on the driver over the
    log-likelihood and gradient summed over the partitions (each partition: the core's
    ``partition_covariate_log_likelihood``), with the start, time scaling and standard errors of
    the single-machine fit (including its start: the optimum without covariates, fitted over the
    same partitions), which it equals to a small fraction of the standard errors (the sums run
    in another order).

    Examples
    --------
    >>> from custometrics.spark import fit  # doctest: +SKIP
    >>> m = fit("pnbd", summary, covariates=cov, life=["Gender"], trans=["Gender"])  # doctest: +SKIP
    >>> m.trans_coefficients_  # doctest: +SKIP

    Raises
    ------
    ValueError
        A missing or non-numeric column (before any job), or a null or NaN in one (found by
        one aggregate pass before the fit's jobs); an unknown
        model; bad rows (as the single-machine fit: negative, recency above T, ...).
    """
    summary = _checks.frame(summary, "summary")
    est = model_by_name(model) if isinstance(model, str) else model
    if not isinstance(est, (_retention._PurchaseModel, _retention.GammaGammaModel)):
        raise TypeError(f"model: expected a model name or a BetaGeoModel, ModifiedBetaGeoModel, "
                        f"ParetoNBDModel or GammaGammaModel, got {type(model).__name__}")
    if penalizer_coef is not None:
        est.penalizer_coef = float(penalizer_coef)
    spend = isinstance(est, _retention.GammaGammaModel)
    if spend and (covariates is not None or life or trans or constrained):
        raise input_error("covariates: the Gamma-Gamma spend model takes no covariates",
                          argument="covariates")
    specs = [_pick(summary, frequency, "frequency", "frequency")]
    if spend:
        specs.append(_pick(summary, monetary_value, "monetary_value", "monetary_value"))
    else:
        specs += [_pick(summary, recency, "recency", "recency"), _pick(summary, T, "T", "T")]
    if collect_limit < 0:
        raise input_error(f"collect_limit: must be >= 0, got {collect_limit}",
                          argument="collect_limit", value=collect_limit)
    if covariates is not None or life or trans or constrained:
        spec = _retention._covariate_spec(life, trans, constrained, life_penalizer,
                                          trans_penalizer)
        _core.check_covariate_request(spec, covariates is not None)
        init = None if initial_params is None else [float(v) for v in initial_params]
        _CovariateFit(est, summary, covariates, spec, specs, customer).fit(
            init, max_iterations, tol, collect_limit)
        return est

    _checks.scan(summary, specs)  # nulls, NaN: one job, before the fit's jobs
    rows = _compressed(summary, specs, spend).cache()
    try:
        n_rows = rows.count()
        if n_rows == 0:
            raise data_error("summary: no customers to fit"
                             + (" (no repeat buyer: frequency > 0)" if spend else ""),
                             argument="summary")
        init = None if initial_params is None else [float(v) for v in initial_params]
        names = [s.name for s in specs]
        if n_rows <= collect_limit:
            local = rows.toPandas()
            x, a, w = (local[c].to_numpy(np.float64) for c in ("x", "a", "w"))
            t = None if spend else local["t"].to_numpy(np.float64)
            try:
                _core.spark_totals(_core_name(est), x, a, np.zeros(0) if t is None else t, w)
            except _core.DataError as e:
                raise _named(e, names, x, a, *([] if t is None else [t])) from None
            if spend:
                est.fit(x, a, weights=w, initial_params=init, max_iterations=max_iterations,
                        tol=tol)
            else:
                est.fit(x, a, t, weights=w, initial_params=init,
                        max_iterations=max_iterations, tol=tol)
            est.fit_path_ = "collected"
        else:
            _fit_distributed(est, rows, spend, init, max_iterations, tol, names)
            est.fit_path_ = "distributed"
        est.n_distinct_rows_ = int(n_rows)
    finally:
        rows.unpersist()
    return est


def _blocks(rows: DataFrame, spend: bool):
    """The rows as one (x, a, t, w) block of numpy arrays per partition, cached."""
    def to_block(it):
        _checks.executor_setup()
        batch = list(it)
        if not batch:
            return []
        x = np.fromiter((r[0] for r in batch), np.float64, len(batch))
        a = np.fromiter((r[1] for r in batch), np.float64, len(batch))
        t = np.zeros(len(batch)) if spend else np.fromiter((r[2] for r in batch), np.float64,
                                                           len(batch))
        w = np.fromiter((r[-1] for r in batch), np.float64, len(batch))
        return [(x, a, t, w)]

    # One block per executor core at most: each evaluation is one task per block, and the
    # task overhead, not the arithmetic, dominates below millions of rows per block.
    rows = rows.select("x", "a", *([] if spend else ["t"]), "w")
    cores = rows.sparkSession.sparkContext.defaultParallelism
    if rows.rdd.getNumPartitions() > cores:
        rows = rows.coalesce(cores)
    return rows.rdd.mapPartitions(to_block)


def _fit_distributed(est: Model, rows: DataFrame, spend: bool,
                     init: Optional[list], max_iterations: int, tol: float,
                     names: Sequence[str]) -> None:
    name = _core_name(est)
    blocks = _blocks(rows, spend).cache()
    try:
        # One job: the rows checked as the single-machine fit checks them (the first error is
        # raised here, on the driver), and the totals the fit needs.
        def check(block):
            from custometrics import _core as core

            x, a, t, w = block
            try:
                return (None, core.spark_totals(name, x, a, t, w))
            except core.DataError as e:
                return (_fields(_named(e, names, x, a, *([] if spend else [t]))), None)

        error, totals = blocks.map(check).reduce(_first_error_or_sum)
        if error is not None:
            _raise(error)
        scale = 1.0 if spend else totals.time_scale

        def evaluate(params):
            p = list(params)

            def one(block):
                from custometrics import _core as core

                x, a, t, w = block
                ll, g = core.spark_loglik(name, p, x, a, t, w, scale)
                return (ll, np.asarray(g))

            ll, g = blocks.map(one).reduce(lambda u, v: (u[0] + v[0], u[1] + v[1]))
            return ll, [float(v) for v in g]

        res = _core.spark_fit(name, evaluate, totals, _retention._fit_options(
            est.penalizer_coef, max_iterations, tol, init or [], 1))
        est._store(res)
    finally:
        blocks.unpersist()


def _covariate_columns(used: Sequence[str], numeric: dict, has: np.ndarray,
                       values: Sequence[Any]) -> list:
    """(name, numbers or labels) of the rows ``has`` of one block's covariate columns ``used``
    (the core's ``covariate_columns``)."""
    out = []
    for n, v in zip(used, values):
        if numeric[n]:
            out.append((n, np.asarray(v, np.float64)[has]))
        else:
            out.append((n, [str(u) for u, h in zip(v, has) if h]))
    return out


def _covariate_frame(summary: DataFrame, key: _checks.Spec, covariates: Any, customer: str,
                     wanted: Optional[set] = None) -> Tuple[DataFrame, dict, list]:
    """The covariate frame to join to the summary on ``_cm_key`` (the key as a string), with
    ``_cm_has`` (true: the customer has a row) and the covariate columns ``_cm_c0``, ...; the
    {name: numeric} of every covariate column; the names of those that travel (``wanted``, or
    all of them). Numeric (and boolean) columns travel as numbers, any other as labels (a null
    label reads "None"), as the single-machine fit and scores read a pandas frame.
    ``covariates`` may be ``summary`` itself."""
    cov = _checks.frame(covariates, "covariates")
    cov_key = _checks.column(cov, customer, "covariates", "key")
    fields = [f for f in cov.schema.fields if f.name != cov_key.name]
    numeric = {f.name: isinstance(f.dataType, (St.NumericType, St.BooleanType)) for f in fields}
    used = [f.name for f in fields if wanted is None or f.name in wanted]

    def value(name: str) -> Any:
        c = F.col(_checks._quoted(name))
        return c.cast("double") if numeric[name] else F.coalesce(c.cast("string"), F.lit("None"))

    source, source_key = (summary, key) if covariates is summary else (cov, cov_key)
    right = source.select(source_key.col.cast("string").alias("_cm_key"),
                          F.lit(True).alias("_cm_has"),
                          *[value(n).alias(f"_cm_c{i}") for i, n in enumerate(used)])
    return right, numeric, used


class _CovariateFit:
    """A fit with covariates (see :func:`fit`): the summary joined to the covariates, the
    coding's levels, and the collected or the distributed fit. Everything computed is the
    core's; this class moves rows and errors between Spark and it."""

    def __init__(self, est: Model, summary: DataFrame, covariates: Any, spec: Any,
                 specs: Sequence[_checks.Spec], customer: str) -> None:
        self.est, self.spec = est, spec
        self.kind = _core_name(est)
        self.names = [s.name for s in specs]
        key = _checks.column(summary, customer, "customer", "key")
        named = set(spec.life) | set(spec.trans) | set(spec.constrained)
        right, self.numeric, self.used = _covariate_frame(summary, key, covariates, customer,
                                                          named)
        _checks.scan(summary, [key] + list(specs))  # nulls, NaN: one job, before the others
        left = summary.select(key.col.cast("string").alias("_cm_key"),
                              *[s.col.cast("double").alias(n)
                                for s, n in zip(specs, ("x", "a", "t"))])
        self.rows = left.join(right, "_cm_key", "left")

    def _levels(self, found: dict) -> list:
        """The covariate columns with the levels of the categorical ones (the core's
        ``covariate_levels``)."""
        return [(n, list(found.get(n, []))) for n in self.numeric]

    def fit(self, init: Optional[list], max_iterations: int, tol: float,
            collect_limit: int) -> None:
        """Fits ``est``: one job for the count and the levels, the coding checked by the core
        on the driver, then the collected or the distributed fit (see :func:`fit`)."""
        est, spec, kind = self.est, self.spec, self.kind
        rows = self.rows.cache()
        try:
            cats = [(i, n) for i, n in enumerate(self.used) if not self.numeric[n]]
            agg = rows.agg(F.count(F.lit(1)).alias("n"), *[
                F.collect_set(F.when(F.col("_cm_has"), F.col(f"_cm_c{i}"))).alias(f"_cm_l{i}")
                for i, _ in cats]).first()
            n = int(agg["n"])
            if n == 0:
                raise data_error("summary: no customers to fit", argument="summary")
            levels = self._levels({name: agg[f"_cm_l{i}"] for i, name in cats})
            empty = np.zeros(0)
            # The coding's errors (a covariate that is not a column, ...), before the fit's jobs.
            _core.spark_covariate_block(
                kind, [], empty, empty, empty, [], [],
                _covariate_columns(self.used, self.numeric, np.zeros(0, bool),
                                   [[]] * len(self.used)), levels, spec, 1.0)
            if n <= collect_limit:
                self._collected(rows, init, max_iterations, tol)
                est.fit_path_ = "collected"
            else:
                self._distributed(rows, levels, init, max_iterations, tol)
                est.fit_path_ = "distributed"
            est.n_distinct_rows_ = n
        finally:
            rows.unpersist()

    def _collected(self, rows: DataFrame, init: Optional[list], max_iterations: int,
                   tol: float) -> None:
        """The estimator's own covariate fit on the joined rows collected to the driver."""
        import pandas as pd

        local = rows.toPandas()
        summary = pd.DataFrame({"customer_id": local["_cm_key"], "frequency": local["x"],
                                "recency": local["a"], "T": local["t"]})
        has = local["_cm_has"].fillna(False).to_numpy(bool)
        cov = pd.DataFrame({"customer_id": local["_cm_key"][has].to_numpy()})
        for i, name in enumerate(self.used):
            cov[name] = local[f"_cm_c{i}"][has].to_numpy()
        spec = self.spec
        try:
            self.est.fit(summary, covariates=cov, life=spec.life, trans=spec.trans,
                         constrained=spec.constrained, life_penalizer=spec.life_penalizer,
                         trans_penalizer=spec.trans_penalizer, initial_params=init,
                         max_iterations=max_iterations, tol=tol)
        except _core.DataError as e:
            if e.key is None and e.row is not None and e.argument != "covariates":
                # A summary row the single-machine checks refused: named by its customer.
                e.key = str(summary["customer_id"].iloc[e.row])
            raise

    def _distributed(self, rows: DataFrame, levels: list, init: Optional[list],
                     max_iterations: int, tol: float) -> None:
        """The core's partitioned covariate fit: the rows stay in the executors as one block
        per core; a check job, then one job per evaluation of the driver's L-BFGS."""
        kind, names, spec_fields = self.kind, self.names, self.spec._asdict()
        used, numeric = self.used, self.numeric

        def to_block(it):
            _checks.executor_setup()
            batch = list(it)
            if not batch:
                return []
            keys = [r["_cm_key"] for r in batch]
            x, a, t = (np.fromiter((r[c] for r in batch), np.float64, len(batch))
                       for c in ("x", "a", "t"))
            has = np.fromiter((bool(r["_cm_has"]) for r in batch), bool, len(batch))
            values = [[r[f"_cm_c{i}"] for r in batch] for i in range(len(used))]
            cov_keys = [k for k, h in zip(keys, has) if h]
            return [(keys, x, a, t, cov_keys, _covariate_columns(used, numeric, has, values))]

        cores = rows.sparkSession.sparkContext.defaultParallelism
        if rows.rdd.getNumPartitions() > cores:
            rows = rows.coalesce(cores)
        blocks = rows.rdd.mapPartitions(to_block).cache()

        def block(b, params, scale):
            from custometrics import _core as core

            keys, x, a, t, cov_keys, columns = b
            return core.spark_covariate_block(kind, params, x, a, t, keys, cov_keys, columns,
                                              levels, core.CovariateSpec(**spec_fields), scale)

        try:
            # One job: every customer checked (the summary row as the single-machine fit checks
            # it, the covariates coded by the core), the first error raised here; the totals.
            def check(b):
                from custometrics import _core as core

                keys, x, a, t = b[:4]
                try:
                    totals = core.spark_totals(kind, x, a, t, np.ones(len(x)))
                except core.DataError as e:
                    out = _named(e, names, x, a, t)
                    out.key, out.row = keys[e.row], None
                    return (_fields(out), None)
                try:
                    block(b, [], 1.0)
                except (core.DataError, core.InputError) as e:
                    e.row = None  # a position within the partition: the key names the customer
                    return (_fields(e), None)
                return (None, totals)

            error, totals = blocks.map(check).reduce(_first_error_or_sum)
            if error is not None:
                _raise(error)
            scale = totals.time_scale

            def evaluate(params):
                p = list(params)

                def one(b):
                    ll, g = block(b, p, scale)
                    return (ll, np.asarray(g))

                ll, g = blocks.map(one).reduce(lambda u, v: (u[0] + v[0], u[1] + v[1]))
                return ll, [float(v) for v in g]

            est = self.est
            cf = _core.spark_fit(kind, evaluate, totals, _retention._fit_options(
                est.penalizer_coef, max_iterations, tol, init or [], 1), levels, self.spec)
            est._store_covariates(cf, totals.rows, None, None)
        finally:
            blocks.unpersist()


# ---------------------------------------------------------------------------------------------
# Scoring


def score(
    summary: DataFrame,
    model: Model,
    spend_model: Optional[_retention.GammaGammaModel] = None,
    *,
    customer: str = "customer_id",
    frequency: Optional[str] = None,
    recency: Optional[str] = None,
    T: Optional[str] = None,
    monetary_value: Optional[str] = None,
    t: float = 30.0,
    time_unit: str = "days",
    unit_scale: float = 1.0,
    observation_end: Any = None,
    months: int = 12,
    discount_rate: float = 0.01,
    covariates: Optional[DataFrame] = None,
) -> DataFrame:
    """Per-customer scores of a fitted purchase model (and spend model), in the executors:
    each partition is scored by the core's ``score_customers``, the function behind
    :func:`custometrics.score_customers` and ``custometrics score``, so the numbers are the same.

    Parameters
    ----------
    summary : pyspark.sql.DataFrame
        One row per customer with the customer key and the model columns (see :func:`fit`).
    model : BetaGeoModel, ModifiedBetaGeoModel or ParetoNBDModel
        Fitted (or with ``set_params``).
    spend_model : GammaGammaModel, optional
        Adds ``expected_average_profit`` and ``clv``.
    customer : str
        The key column, kept as the first column of the result.
    t : float, default 30
        Horizon of ``expected_purchases``, in the model's time unit (that of recency and T).
    time_unit, unit_scale : str, float
        The time unit of the summary (as given to summarize: hours, days, weeks or months):
        one model time unit is ``unit_scale`` periods of ``time_unit``. Used for the CLV's
        months (days: 30 a month, weeks: 4.345, as lifetimes) and ``next_purchase_date``. A
        model that records its unit (loaded from a fit's JSON) refuses another one.
    observation_end : str, datetime or Timestamp, optional
        End of the observation period; adds ``next_purchase_date`` = observation_end +
        next_purchase_time (to the second, as the core computes it; null where the wait is
        infinite or ends after 9999-12-31).
    months, discount_rate : int, float
        The CLV horizon in months and the monthly discount rate, as
        ``GammaGammaModel.customer_lifetime_value``.
    covariates : pyspark.sql.DataFrame, optional
        The customers' covariates of a model fitted with them (by :func:`fit` or the
        single-machine ``fit(..., covariates=...)``): one row per customer, the ``customer``
        key and the covariate columns, as :func:`fit` takes them (it may be ``summary``
        itself). Joined to the summary on the key (as strings); each partition then scores its
        customers at their own parameters with the core's ``score_customers``, the numbers of
        :func:`custometrics.score_customers` with ``covariates=`` and ``custometrics score
        --covariates``. A summary customer without a covariate row raises
        :class:`custometrics.DataError` on the driver with ``key`` that customer and
        ``argument`` "covariates" (one check job, before the scores); a model fitted with
        covariates scored without them, or the reverse, or a covariate column the model reads
        missing from the frame, raises :class:`custometrics.InputError` naming ``covariates``
        before any job.

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer``, ``p_alive``, ``expected_purchases``, ``next_purchase_time``
        (``next_purchase_date``), with a spend model ``expected_average_profit`` and ``clv``:
        the values of :func:`custometrics.score_customers` on the same rows (its
        ``next_purchase_in`` and ``expected_spend``).

    Raises
    ------
    custometrics.InputError
        Before any job, for what the core refuses: an unknown unit, a bad scale, ``months``
        not a whole number >= 1, a model fitted in another unit, covariates missing for a model
        with them (``argument`` "covariates").
    custometrics.DataError
        A summary row the core refuses, a customer without a covariate row (``key`` names
        the customer).
    """
    options = dict(horizon=float(t), clv_months=months, discount_rate=float(discount_rate),
                   analysis_date=to_seconds(observation_end, "observation_end"))
    scoring = _Scoring(model, spend_model, time_unit, unit_scale, options)
    selected, key_field = scoring.select(summary, customer, frequency, recency, T,
                                         monetary_value, covariates)
    names = ["p_alive", "expected_purchases", "next_purchase_time"]
    if spend_model is not None:
        names += ["expected_average_profit", "clv"]
    fields = [key_field] + [St.StructField(n, St.DoubleType(), True) for n in names]
    if scoring.dated:
        fields.append(St.StructField("next_purchase_date", St.TimestampNTZType(), True))
    schema = St.StructType(fields)

    def run(batches):
        _checks.executor_setup()
        import pyarrow as pa

        for batch in batches:
            if batch.num_rows == 0:
                continue
            s = scoring.scores(batch)
            cols = [batch.column(0), pa.array(s.p_alive), pa.array(s.expected_purchases),
                    pa.array(s.next_purchase_wait)]
            if spend_model is not None:
                cols += [pa.array(s.expected_spend), pa.array(s.clv)]
            if scoring.dated:
                cols.append(_timestamps(s.next_purchase_date))
            yield pa.RecordBatch.from_arrays(cols, names=[f.name for f in schema.fields])

    return scoring.checked(selected).mapInArrow(run, schema)


class _Scoring:
    """What :func:`score` and :func:`contacts` share: the models and options, checked by the
    core on the driver (``check_only``: no customer is made up); the summary's key and model
    columns picked, scanned and selected (key, frequency, recency, T[, monetary value]), with
    covariates joined (``select``); and the core's ``score_customers`` of one Arrow batch of
    that selection in the executors (the object is pickled into them: it holds no DataFrame)."""

    def __init__(self, model: Model, spend_model: Optional[_retention.GammaGammaModel],
                 time_unit: str, unit_scale: float, options: dict) -> None:
        _check_models(model, spend_model)
        self.model, self.spend_model = model, spend_model
        self.time_unit, self.unit_scale, self.options = time_unit, float(unit_scale), options
        self.dated = options["analysis_date"] is not None
        self.numeric: Optional[dict] = None  # the covariate columns (name: numeric), if given
        self.used: list = []

    def select(self, summary: DataFrame, customer: str, frequency: Optional[str],
               recency: Optional[str], T: Optional[str], monetary_value: Optional[str],
               covariates: Optional[DataFrame] = None) -> Tuple[DataFrame, Any]:
        """(the selection, the key's StructField) of the summary, its columns scanned, the
        covariates (if given) joined as :func:`fit` joins them; the core's checks of the models,
        the options and the covariates against the model (a model with covariates needs them,
        a covariate column the model reads must be there) run first, on the driver."""
        summary = _checks.frame(summary, "summary")
        key = _checks.column(summary, customer, "customer", "key")
        right = None
        if covariates is not None:
            right, self.numeric, self.used = _covariate_frame(summary, key, covariates, customer)
        self._core(None, check_only=True)
        specs = [_pick(summary, frequency, "frequency", "frequency"),
                 _pick(summary, recency, "recency", "recency"), _pick(summary, T, "T", "T")]
        if self.spend_model is not None:
            specs.append(_pick(summary, monetary_value, "monetary_value", "monetary_value"))
        _checks.scan(summary, [key] + specs)
        columns = [key.col.alias(customer)] + [s.col.cast("double").alias(f"_cm{i}")
                                               for i, s in enumerate(specs)]
        if right is None:
            selected = summary.select(*columns)
        else:
            names = [customer] + [f"_cm{i}" for i in range(len(specs))] + ["_cm_key", "_cm_has"] \
                + [f"_cm_c{i}" for i in range(len(self.used))]
            left = summary.select(*columns, key.col.cast("string").alias("_cm_key"))
            selected = left.join(right, "_cm_key", "left").select(*names)
        return selected, St.StructField(customer, key.dtype, key.nullable)

    def _core(self, batch: Any, check_only: bool = False) -> Any:
        def col(i: int) -> np.ndarray:
            if batch is None:
                return np.empty(0, np.float64)
            return batch.column(i).to_numpy(zero_copy_only=False).astype(np.float64)

        table = {}
        if self.numeric is not None:  # the batch's covariate table, coded by the core
            at = 1 + 3 + (self.spend_model is not None)  # after the key and the model columns
            keys = [] if batch is None else [str(k) for k in batch.column(at).to_pylist()]
            has = np.zeros(0, bool) if batch is None else np.asarray(
                batch.column(at + 1).fill_null(False).to_numpy(zero_copy_only=False), bool)
            values = [[] if batch is None else batch.column(at + 2 + i).to_pylist()
                      for i in range(len(self.used))]
            table = dict(keys=keys, covariate_keys=[k for k, h in zip(keys, has) if h],
                         covariate_columns=_covariate_columns(self.used, self.numeric, has,
                                                              values))
        spend = self.spend_model._fitted_model() if self.spend_model is not None else None
        return _core.retention_score(self.model._fitted_model(), spend, col(1), col(2), col(3),
                                     col(4) if spend is not None else np.empty(0, np.float64),
                                     np.empty(0, np.float64), self.time_unit, self.unit_scale,
                                     _core.ScoreOptions(**self.options), check_only, **table)

    def scores(self, batch: Any) -> Any:
        """The core's scores of one batch of the selection."""
        return self._core(batch)

    def checked(self, selected: DataFrame) -> DataFrame:
        """The selection, after one job that runs the core's checks of every summary row
        (``check_only``: nothing is scored), so that a row the core refuses (recency above T,
        a negative frequency) raises on the driver as the core's error with its fields,
        ``key`` the customer, and not as Spark's text from an executor."""
        def check(batches):
            _checks.executor_setup()
            import pyarrow as pa

            for batch in batches:
                if batch.num_rows == 0:
                    continue
                try:
                    self._core(batch, check_only=True)
                except (_core.InputError, _core.DataError) as e:
                    state = [str(v) if v is not None else None for v in _fields(e)]
                    key = None if e.row is None else str(batch.column(0)[e.row].as_py())
                    yield pa.RecordBatch.from_arrays(
                        [pa.array([v], type=pa.string()) for v in state + [key]],
                        names=["kind", "message", *_FIELDS, "key_of_row"])
                    return

        schema = St.StructType([St.StructField(n, St.StringType(), True)
                                for n in ("kind", "message", *_FIELDS, "key_of_row")])
        bad = selected.mapInArrow(check, schema).limit(1).collect()
        if bad:
            b = bad[0]
            # The core's error names the customer (covariates) or its row within the batch.
            note = "" if b["key"] is not None or b["key_of_row"] is None else (
                " (the customer numbers count within a Spark partition: this is the summary "
                f"row of customer {b['key_of_row']})")
            error = getattr(_core, b["kind"])(f"{b['message']}{note}")
            for f in _FIELDS:
                setattr(error, f, b[f])
            error.row, error.key = None, b["key"] if b["key"] is not None else b["key_of_row"]
            raise error
        return selected


def _check_models(model: Any, spend_model: Any) -> None:
    """TypeError unless a fitted purchase model and no spend model or a fitted Gamma-Gamma."""
    if not isinstance(model, _retention._PurchaseModel):
        raise TypeError(f"model: expected a fitted purchase model, got {type(model).__name__}")
    model._p()
    if spend_model is not None:
        if not isinstance(spend_model, _retention.GammaGammaModel):
            raise TypeError("spend_model: expected a GammaGammaModel, got "
                            f"{type(spend_model).__name__}")
        spend_model._p()


def _timestamps(seconds: np.ndarray) -> Any:
    """Epoch seconds (the core's no_time, which it gives for an infinite wait and a date after
    9999-12-31, as null) as an Arrow timestamp column."""
    import pyarrow as pa

    s = np.asarray(seconds, dtype=np.int64)
    known = s != np.iinfo(np.int64).min
    return pa.array(np.where(known, s, 0) * 1_000_000, type=pa.timestamp("us"), mask=~known)


def contacts(
    summary: DataFrame,
    model: Model,
    spend_model: _retention.GammaGammaModel,
    *,
    customer: str = "customer_id",
    frequency: Optional[str] = None,
    recency: Optional[str] = None,
    T: Optional[str] = None,
    monetary_value: Optional[str] = None,
    within: float = 30.0,
    lead_time: float = 14.0,
    top: Optional[int] = None,
    time_unit: str = "days",
    unit_scale: float = 1.0,
    observation_end: Any = None,
    months: int = 12,
    discount_rate: float = 0.01,
    covariates: Optional[DataFrame] = None,
) -> DataFrame:
    """Customers to call before their next purchase, ranked by lifetime value, in the executors:
    the core's contact list, the rows of :func:`custometrics.contact_list` and
    ``custometrics contacts`` on the same summary.

    Each partition scores its customers with the core's ``score_customers`` and keeps those
    the core's ``contact_list`` lists (the median wait to the next purchase at most ``within``
    days; the call ``lead_time`` days before it, not before the end of the period); Spark then
    ranks them by lifetime value, highest first, ties by customer key (the order of a summary
    sorted by key, as ``summarize`` writes it), and keeps the first ``top``.

    Parameters
    ----------
    summary : pyspark.sql.DataFrame
        One row per customer with the key and ``frequency``, ``recency``, ``T`` and
        ``monetary_value`` (see :func:`score`).
    model, spend_model : fitted purchase model and GammaGammaModel
    within, lead_time : float
        Days (30 and 14), as :func:`custometrics.contact_list`.
    top : int, optional
        At most this many rows; None or 0: all of them.
    time_unit, unit_scale, observation_end, months, discount_rate
        As :func:`score`; ``observation_end`` adds ``call_date`` and ``next_purchase_date``.
    covariates : pyspark.sql.DataFrame, optional
        The customers' covariates of a model fitted with them, as :func:`score`.

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer``, ``next_purchase_in``, ``call_in`` (summary periods), ``p_alive``,
        ``clv`` (and ``call_date``, ``next_purchase_date``), highest value first.

    Raises
    ------
    custometrics.InputError
        Before any job, for the options the core refuses (``within`` <= 0, ``lead_time`` < 0,
        ``top`` < 0, an unknown unit, a model fitted in another unit).
    """
    _check_models(model, spend_model)
    n_top = 0 if top is None else top
    within_days, lead_days = float(within), float(lead_time)
    _core.retention_check_contact_days(within_days, lead_days, n_top)
    options = dict(horizon=30.0, clv_months=months, discount_rate=float(discount_rate),
                   analysis_date=to_seconds(observation_end, "observation_end"), contacts=True)
    scoring = _Scoring(model, spend_model, time_unit, unit_scale, options)
    selected, key_field = scoring.select(summary, customer, frequency, recency, T,
                                         monetary_value, covariates)
    names = ["next_purchase_in", "call_in", "p_alive", "clv"]
    fields = [key_field] + [St.StructField(n, St.DoubleType(), False) for n in names]
    if scoring.dated:
        fields += [St.StructField(n, St.TimestampNTZType(), True)
                   for n in ("call_date", "next_purchase_date")]
    schema = St.StructType(fields)

    def run(batches):
        _checks.executor_setup()
        import pyarrow as pa

        from custometrics import _core as core

        for batch in batches:
            if batch.num_rows == 0:
                continue
            plan = core.retention_contact_list(scoring.scores(batch), within_days, lead_days, 0,
                                               None, "model")
            c = plan.columns
            if len(c.customer) == 0:
                continue
            cols = [batch.column(0).take(pa.array(c.customer.astype(np.int64))),
                    pa.array(c.next_purchase), pa.array(c.call_at), pa.array(c.p_alive),
                    pa.array(c.clv)]
            if scoring.dated:
                cols += [_timestamps(c.call_date), _timestamps(c.next_purchase_date)]
            yield pa.RecordBatch.from_arrays(cols, names=[f.name for f in schema.fields])

    listed = scoring.checked(selected).mapInArrow(run, schema)
    listed = listed.orderBy(F.col("clv").desc(), F.col(customer).asc())
    return listed.limit(n_top) if n_top else listed
