"""Retention scoring: probabilistic purchase models fitted by maximum likelihood in C++.

Estimators in the style of ``lifetimes`` (``fit`` returns the estimator, fitted ``params_``,
prediction methods under lifetimes' names) over numpy arrays, pandas and polars columns:

- :class:`BetaGeoModel` (BG/NBD, Fader, Hardie & Lee 2005), :class:`ModifiedBetaGeoModel`
  (MBG/NBD, Batislam, Denizel & Filiztekin 2007) and :class:`ParetoNBDModel` (Pareto/NBD,
  Schmittlein, Morrison & Colombo 1987): non-contractual purchasing and dropout, on
  per-customer ``frequency`` (repeat purchases), ``recency`` (age at the last purchase) and
  ``T`` (age at the end of the period), as :func:`custometrics.summarize` makes them;
- :class:`GammaGammaModel` (Fader, Hardie & Lee 2005, "RFM and CLV"): spend per purchase of
  repeat buyers, and :meth:`GammaGammaModel.customer_lifetime_value`;
- :class:`ShiftedBetaGeometricModel` (Fader & Hardie 2007): contractual retention of a cohort;
- :class:`BetaGeoBetaBinomModel` (BG/BB, Fader, Hardie & Shang 2010): repeat transactions at
  discrete opportunities (yearly donations, annual events), on (frequency, recency, n_periods);
- :func:`select_model`: BG/NBD, MBG/NBD and Pareto/NBD fitted on a calibration period and
  chosen by their holdout error or BIC (``custometrics fit --model auto``);
- prediction intervals of the expected purchases (``predict(..., interval="delta")``) from the
  fit's parameter covariance or a bootstrap;
- :func:`contact_list`, :func:`retention_economics`, :func:`calibration_holdout_check` and
  :func:`retention_overview` (the retention section of ``custometrics report``).

The fit compresses the customers to their unique (frequency, recency, T) rows, maximises the
log-likelihood with L-BFGS on the log-parameters with analytic gradients (both cores on large
inputs), and computes every likelihood in log space, so heavy buyers and long histories give
finite numbers. With the same parameters every prediction equals lifetimes 0.11.3's to 1e-6
relative on every CDNOW customer (the test suite compares them).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type, TypeVar, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import input_error
from ._frames import Table, float_array, key_index, _input_error, _to_numpy, to_seconds
from ._display import result_display

__all__ = [
    "BetaGeoModel", "ModifiedBetaGeoModel", "ParetoNBDModel", "GammaGammaModel",
    "ShiftedBetaGeometricModel", "BetaGeoBetaBinomModel", "ModelSelection", "select_model",
    "FitReport", "CalibrationCheck", "RetentionEconomics",
    "RetentionScenario", "RetentionOverview", "calibration_holdout_check", "contact_list",
    "purchase_rhythm",
    "retention_economics", "retention_overview", "score_customers",
]



class ConvergenceWarning(UserWarning):
    """A maximum-likelihood fit stopped before its gradient test was met.

    Issued by every ``fit`` (and :func:`retention_overview`) whose optimiser did not converge;
    the message names the model, the iterations, the gradient norm and the optimiser's reason,
    as the command-line tool's "NOT converged after N iterations (reason)" does. The estimates
    are kept (``fit_report_`` says how the fit ended) but may be far from the optimum.

    Examples
    --------
    >>> import custometrics as cm
    >>> issubclass(cm.ConvergenceWarning, UserWarning)
    True
    """


@result_display
@dataclass(frozen=True)
class FitReport:
    """How a maximum-likelihood fit ended (iterations, gradient norm, reason)."""

    converged: bool
    iterations: int
    function_evaluations: int
    gradient_norm: float
    reason: str


def _report(r: Any) -> FitReport:
    """The core's fit report as a FitReport."""
    return FitReport(bool(r.converged), int(r.iterations), int(r.function_evaluations),
                     float(r.gradient_norm), str(r.reason))


def _left_out(counts: Any) -> Dict[str, int]:
    """The customers the Gamma-Gamma fit left out (SpendSample or FitStatistics)."""
    return {"without_repeat_purchase": int(counts.without_repeat_purchase),
            "without_positive_spend": int(counts.without_positive_spend)}


def _columns(frequency: Any, recency: Any, T: Any, names: Sequence[str]) -> Tuple[Any, ...]:
    """Columns given as a frame (with lifetimes' column names, or their ``_cal`` forms) or
    one by one; returns float64 arrays and the index of the customers (or None)."""
    if recency is None and T is None and not isinstance(frequency, (np.ndarray, list, tuple)) \
            and hasattr(frequency, "columns"):
        frame = frequency
        table = Table(frame)
        have = set(table._names())
        out = []
        for n in names:
            col = n if n in have else (n + "_cal" if n + "_cal" in have else None)
            if col is None:
                raise input_error(f"data: column {n!r} (or {n + '_cal'!r}) not found; available "
                                  "columns: " + ", ".join(repr(c) for c in sorted(have)),
                                  argument='data')
            out.append(table.floats(col, n))
        index = frame.index if isinstance(frame, pd.DataFrame) else None
        return (*out, index)
    cols = [frequency, recency, T][: len(names)]
    out = []
    lengths = {}
    index = None
    for n, c in zip(names, cols):
        if c is None:
            raise input_error(f"{n}: a column is required", argument=n)
        if index is None and isinstance(c, pd.Series):
            index = c.index
        arr = float_array(_to_numpy(c, n), n)
        lengths[n] = arr.size
        out.append(np.ascontiguousarray(arr))
    if len(set(lengths.values())) > 1:
        raise input_error("columns differ in length: "
                          + ", ".join(f"{k!r} has {v}" for k, v in lengths.items()))
    return (*out, index)


def _weights(weights: Any, n: int) -> np.ndarray:
    if weights is None:
        return np.empty(0, dtype=np.float64)
    w = np.ascontiguousarray(float_array(_to_numpy(weights, "weights"), "weights"))
    if w.size != n:
        raise input_error(f"weights: has {w.size} values, the other columns have {n}",
                          argument='weights')
    return w


def _fit_options(penalizer: float, max_iterations: int, tol: float, initial: List[float],
                 threads: int) -> Any:
    """The core's fit options (``_core.FitOptions``, retention/fit.hpp) of a ``fit`` call."""
    return _core.FitOptions(penalizer=float(penalizer), max_iterations=int(max_iterations),
                            gradient_tolerance=float(tol), initial=initial, threads=int(threads))


def _series(values: np.ndarray, index: Any, name: str) -> Any:
    if index is None:
        return values
    return pd.Series(values, index=index, name=name)


def _keys_of(frame: Any, argument: str) -> List[str]:
    """The customer keys of a pandas frame: its ``customer_id`` column, else its index."""
    if isinstance(frame, pd.DataFrame) and "customer_id" in frame.columns:
        return [str(k) for k in frame["customer_id"]]
    if isinstance(frame, (pd.DataFrame, pd.Series)):
        return [str(k) for k in frame.index]
    raise input_error(f"{argument}: with covariates the customers must come as a pandas frame "
                      "(a customer_id column or the keys as index) to align the covariate rows",
                      argument=argument)


def _covariate_table(frame: Any) -> Tuple[List[str], List[Tuple[str, Any]]]:
    """A covariate frame as (keys, [(name, column)]): numeric and boolean columns as float64
    arrays, any other as labels (dummy-coded by the core against the first level)."""
    if not isinstance(frame, pd.DataFrame):
        raise input_error("covariates: expected a pandas DataFrame (customer_id column or keys "
                          "as index, one column per covariate)", argument='covariates')
    keys = _keys_of(frame, "covariates")
    columns: List[Tuple[str, Any]] = []
    for name in frame.columns:
        if name == "customer_id":
            continue
        col = frame[name]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            columns.append((str(name), np.ascontiguousarray(col.to_numpy(dtype=np.float64))))
        else:
            columns.append((str(name), [str(v) for v in col]))
    return keys, columns



def _covariate_args(rows: Any, argument: str, covariates: Any) -> Dict[str, Any]:
    """The core's covariate arguments of a call on the customers of ``rows`` (a summary or its
    ``frequency`` column: the keys ``argument`` names): none without ``covariates``."""
    if covariates is None:
        return {}
    ck, cols = _covariate_table(covariates)
    return dict(keys=_keys_of(rows, argument), covariate_keys=ck, covariate_columns=cols)

def _covariate_spec(life: Optional[Sequence[str]], trans: Optional[Sequence[str]],
                    constrained: Optional[Sequence[str]], life_penalizer: float,
                    trans_penalizer: float) -> Any:
    """The core's CovariateSpec of a fit's ``life``, ``trans``, ``constrained`` and penalties
    (the arguments of ``fit`` and :func:`custometrics.spark.fit`)."""
    return _core.CovariateSpec(
        life=[str(v) for v in (life or [])], trans=[str(v) for v in (trans or [])],
        constrained=[str(v) for v in (constrained or [])],
        life_penalizer=float(life_penalizer), trans_penalizer=float(trans_penalizer))


_F = TypeVar("_F", bound="_Fitted")


def _summary_record(frame: Any) -> Dict[str, Any]:
    """What a summary frame records about itself: the ``attrs`` of
    :func:`custometrics.summarize`, else the constant ``time_unit``, ``unit_scale``,
    ``observation_end`` and ``calibration_end`` columns of the CLI's summary CSV."""
    attrs = dict(getattr(frame, "attrs", None) or {})
    columns = getattr(frame, "columns", None)
    if columns is None or not isinstance(frame, pd.DataFrame):
        return attrs
    for name in ("time_unit", "unit_scale", "observation_end", "calibration_end"):
        if name in attrs or name not in columns or len(frame) == 0:
            continue
        values = frame[name].unique()
        if len(values) != 1:
            raise _core.DataError(f"{name}: the summary holds several values "
                                  f"({', '.join(map(str, values[:3]))}); one summary has one")
        attrs[name] = values[0]
    return attrs


def _frame_units(frame: Any) -> Tuple[Optional[str], Optional[float]]:
    """The time axis a summary frame records (see :func:`_summary_record`)."""
    record = _summary_record(frame)
    unit = record.get("time_unit")
    scale = record.get("unit_scale")
    return (None if unit is None else str(unit), None if scale is None else float(scale))


def _resolve_units(frame: Any, time_unit: Optional[str], unit_scale: Optional[float],
                   argument: str = "time_unit") -> Tuple[Optional[str], Optional[float]]:
    """The frame's recorded units, else the arguments, by the core's rule (hours become days
    / 24); an argument that contradicts the frame's record raises
    :class:`custometrics.InputError` naming both. (None, None) when nothing is known."""
    unit, scale = _frame_units(frame)
    if unit is None and scale is None and time_unit is None and unit_scale is None:
        return None, None
    u = _core.retention_resolve_units(unit, scale, time_unit,
                                      None if unit_scale is None else float(unit_scale),
                                      "the summary's attrs", argument, "unit_scale")
    return u.unit, u.scale


class _Fitted:
    """Shared state of a fitted model: parameters, standard errors and the fit report."""

    _model = ""
    _param_names: Tuple[str, ...] = ()

    # Set by fit() (and from_json/load when the JSON has them); given parameters clear them.
    penalizer_coef: float
    params_: Optional[pd.Series]
    standard_errors_: pd.Series
    variance_matrix_: pd.DataFrame
    log_likelihood_: float
    n_: float
    fit_report_: FitReport
    unique_rows_: int

    def __init__(self, penalizer_coef: float = 0.0) -> None:
        if not np.isfinite(penalizer_coef) or penalizer_coef < 0:
            raise input_error(f"penalizer_coef: must be >= 0, got {penalizer_coef}",
                              argument='penalizer_coef')
        self.penalizer_coef = float(penalizer_coef)
        self.params_: Optional[pd.Series] = None

    # The statistics of a fit, which given parameters (set_params) make stale.
    _FIT_STATISTICS = ("standard_errors_", "variance_matrix_", "log_likelihood_", "n_",
                       "unique_rows_", "fit_report_", "customers_left_out_", "_statistics")
    # A purchase model fitted with covariates (see _PurchaseModel.fit).
    _COVARIATES = ("_covariates", "life_coefficients_", "trans_coefficients_",
                   "life_standard_errors_", "trans_standard_errors_", "reference_levels_")

    def __getstate__(self) -> Dict[str, Any]:
        """The pickled state: the members, the core's CovariateCoefficients by its members (so
        that a model with covariates pickles, e.g. into Spark's executors)."""
        state = dict(self.__dict__)
        if state.get("_covariates") is not None:
            state["_covariates"] = state["_covariates"]._asdict()
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        if isinstance(state.get("_covariates"), dict):
            state = dict(state, _covariates=_core.CovariateCoefficients(**state["_covariates"]))
        self.__dict__.update(state)

    def _set_covariates(self, c: Any, life_se: Any = None, trans_se: Any = None) -> None:
        """Keeps the core's CovariateCoefficients ``c`` and their standard errors."""
        self._covariates = c
        self.life_coefficients_ = pd.Series(list(c.life), index=list(c.life_names), dtype=float)
        self.trans_coefficients_ = pd.Series(list(c.trans), index=list(c.trans_names),
                                             dtype=float)
        nan_l = [np.nan] * len(c.life)
        nan_t = [np.nan] * len(c.trans)
        self.life_standard_errors_ = pd.Series(
            list(life_se) if life_se is not None and len(life_se) else nan_l,
            index=list(c.life_names), dtype=float)
        self.trans_standard_errors_ = pd.Series(
            list(trans_se) if trans_se is not None and len(trans_se) else nan_t,
            index=list(c.trans_names), dtype=float)
        self.reference_levels_ = dict(c.reference_levels)

    def _store(self, res: Any, unique_rows: int = 0, left_out: Any = None) -> None:
        """Keeps a fit: ``res`` is the core's FitResult, ``left_out`` the spend sample."""
        names = list(res.names)
        self.params_ = pd.Series(res.params, index=names, dtype=float)
        self.standard_errors_ = pd.Series(res.std_errors, index=names, dtype=float)
        self.variance_matrix_ = pd.DataFrame(np.asarray(res.covariance), index=names,
                                             columns=names)
        self.log_likelihood_ = float(res.log_likelihood)
        self.n_ = float(res.n)
        self.fit_report_ = _report(res.report)
        r = self.fit_report_
        if not r.converged:
            warnings.warn(ConvergenceWarning(
                f"{type(self).__name__}: the fit did not converge after {r.iterations} "
                f"iterations ({r.reason}; gradient norm {r.gradient_norm:.3g}); the parameters "
                "may be far from the maximum-likelihood estimate: see fit_report_"),
                stacklevel=3)
        self.unique_rows_ = int(unique_rows)
        counts = _left_out(left_out) if left_out is not None else {}
        if left_out is not None:
            self.customers_left_out_ = counts
        # The statistics the core's fitted model (to_json) keeps.
        self._statistics = _core.retention_fit_statistics(res, int(unique_rows), **counts)

    # The time axis of the summary the model was fitted on (purchase models); None: not recorded.
    time_unit_: Optional[str] = None
    unit_scale_: float = 1.0

    def _fitted_model(self) -> Any:
        """The core's FittedModel of this estimator (parameters, fit statistics, units)."""
        self._p()
        model = self._model or ("gamma-gamma" if isinstance(self, GammaGammaModel) else None)
        if model is None:
            raise TypeError(f"{type(self).__name__}: only the purchase models and the "
                            "Gamma-Gamma model have a JSON form")
        f = _core.FittedModel()
        f.model = model
        f.names = [str(n) for n in self.params_.index]
        f.params = [float(v) for v in self.params_.to_numpy()]
        if self.time_unit_ is not None:
            f.set_units(self.time_unit_, float(self.unit_scale_))
        f.fit = getattr(self, "_statistics", None)
        f.covariates = getattr(self, "_covariates", None)
        return f

    def to_json(self) -> str:
        """The model as the core's JSON (the form ``custometrics fit --out`` writes and
        ``custometrics score --params`` reads): model, parameters, standard errors,
        log-likelihood, fit report, the summary's ``time_unit`` and ``unit_scale`` when
        recorded, and the library version. Numbers are written so that they read back equal."""
        return str(self._fitted_model().to_json())

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes :meth:`to_json` to ``path``, all or nothing (the core's output file: a failed
        write raises :class:`custometrics.Error` and leaves no partial file)."""
        _core.write_text_file(os.fspath(path), self.to_json())

    @classmethod
    def from_json(cls: Type["_F"], text: str, source: str = "<json>") -> "_F":
        """An estimator from the core's JSON (:meth:`to_json`, ``custometrics fit --out``, or a
        flat object of this model's parameters); raises :class:`custometrics.InputError` when
        the JSON holds another model."""
        model = cls._model or ("gamma-gamma" if issubclass(cls, GammaGammaModel) else None)
        if model is None:
            raise TypeError(f"{cls.__name__}: only the purchase models and the Gamma-Gamma "
                            "model have a JSON form")
        f = _core.FittedModel.from_json(text, str(source), model)
        out = cls()
        out._load(f)
        return out

    @classmethod
    def load(cls: Type["_F"], path: Union[str, "os.PathLike[str]"]) -> "_F":
        """Reads a model written by :meth:`save` or ``custometrics fit --out``.

        Examples
        --------
        >>> import custometrics as cm, os, tempfile
        >>> m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> path = os.path.join(tempfile.mkdtemp(), "bg.json")
        >>> m.save(path)
        >>> cm.BetaGeoModel.load(path).params_.to_dict() == m.params_.to_dict()
        True
        """
        with open(path, encoding="utf-8") as f:
            return cls.from_json(f.read(), os.fspath(path))

    def _load(self, f: Any) -> None:
        names = list(f.names)
        self.params_ = pd.Series(list(f.params), index=names, dtype=float)
        self.time_unit_ = f.time_unit
        self.unit_scale_ = float(f.unit_scale)
        fit = f.fit
        if fit is not None:
            self._statistics = fit
            self.standard_errors_ = pd.Series(fit.std_errors, index=names, dtype=float)
            cov = np.asarray(fit.covariance)
            k = len(names)  # JSON of 0.1.0 records none; with covariates it covers them too
            if cov.ndim == 2 and k > 0 and cov.shape[0] == cov.shape[1] >= k:
                self.variance_matrix_ = pd.DataFrame(cov[:k, :k], index=names, columns=names)
            self.log_likelihood_ = float(fit.log_likelihood)
            self.n_ = float(fit.n)
            self.unique_rows_ = int(fit.unique_rows)
            self.fit_report_ = _report(fit.report)
            if f.model == "gamma-gamma":
                self.customers_left_out_ = _left_out(fit)
        if getattr(f, "covariates", None) is not None:
            self._set_covariates(f.covariates, fit.life_std_errors if fit is not None else None,
                                 fit.trans_std_errors if fit is not None else None)

    def _p(self) -> List[float]:
        if self.params_ is None:
            raise input_error(f"{type(self).__name__}: not fitted; call fit() or set params")
        return [float(v) for v in self.params_.to_numpy()]

    def set_params(self, **params: float) -> "_Fitted":
        """Uses given parameters (by name) instead of a fit, e.g. published estimates."""
        missing = [n for n in self._param_names if n not in params]
        extra = [n for n in params if n not in self._param_names]
        if missing or extra:
            raise input_error(f"params: expected {', '.join(self._param_names)}; "
                              + (f"missing {missing} " if missing else "")
                              + (f"unknown {extra}" if extra else ""), argument='params')
        for n in self._param_names:
            v = float(params[n])
            if not np.isfinite(v) or v <= 0:
                raise input_error(f"params: {n} must be > 0 and finite, got {v}", argument='params')
        self.params_ = pd.Series([float(params[n]) for n in self._param_names],
                                 index=list(self._param_names), dtype=float)
        for name in self._FIT_STATISTICS + self._COVARIATES:  # they belong to the fit
            self.__dict__.pop(name, None)
        self.time_unit_ = None  # given parameters: the unit is not recorded
        self.unit_scale_ = 1.0
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """Coefficients, standard errors and 95% bounds, as lifetimes' ``summary``."""
        self._p()
        se = getattr(self, "standard_errors_", pd.Series(np.nan, index=self.params_.index))
        return pd.DataFrame({"coef": self.params_, "se(coef)": se,
                             "lower 95% bound": self.params_ - 1.96 * se,
                             "upper 95% bound": self.params_ + 1.96 * se})

    def _repr_html_(self) -> str:
        """In a notebook: the parameters with standard errors and bounds, and the fit."""
        if self.params_ is None:
            return f"<b>{type(self).__name__}</b>: not fitted"
        head = f"<b>{type(self).__name__}</b>"
        if hasattr(self, "n_"):
            head += f", fitted on {self.n_:,.0f} customers"
        ll = getattr(self, "log_likelihood_", None)
        if ll is not None:
            head += f", log-likelihood {ll:,.4f}"
        return head + self.summary.to_html()

    def __repr__(self) -> str:
        if self.params_ is None:
            return f"<custometrics.{type(self).__name__}: not fitted>"
        p = ", ".join(f"{k}: {v:.4g}" for k, v in self.params_.items())
        n = f", fitted on {self.n_:.0f} customers" if hasattr(self, "n_") else ""
        return f"<custometrics.{type(self).__name__}: {p}{n}>"


class _PurchaseModel(_Fitted):
    """A non-contractual purchase model: fit on (frequency, recency, T) and predictions."""

    @property
    def _kind(self) -> "_core.PurchaseModel":
        """The core's PurchaseModel of the model's name ``_model`` (what the core takes)."""
        return getattr(_core.PurchaseModel, self._model)

    def fit(self, frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, *,
            initial_params: Optional[Sequence[float]] = None, max_iterations: int = 1000,
            tol: float = 1e-9, threads: int = 0, time_unit: Optional[str] = None,
            unit_scale: Optional[float] = None, covariates: Any = None,
            life: Optional[Sequence[str]] = None, trans: Optional[Sequence[str]] = None,
            constrained: Optional[Sequence[str]] = None, life_penalizer: float = 0.0,
            trans_penalizer: float = 0.0) -> "_PurchaseModel":
        """Fits the model by maximum likelihood.

        Parameters
        ----------
        frequency : array-like or DataFrame
            Repeat purchases per customer; or a DataFrame with columns ``frequency``,
            ``recency`` and ``T`` (or ``frequency_cal``, ... as from a calibration summary).
        recency, T : array-like
            Age at the last purchase (0 without repeat purchases) and age at the end of the
            period, in the same time unit.
        weights : array-like, optional
            Customers per row (for data already compressed to unique rows).
        initial_params : sequence of float, optional
            Starting parameters in the model's order (default: lifetimes' start, all 0.1 in
            log... see the model's docstring).
        max_iterations, tol : int, float
            L-BFGS limits: stop when the gradient norm (log-parameters, mean log-likelihood)
            is below ``tol * max(1, |log params|)``.
        threads : int
            0 uses both cores on large inputs.
        time_unit, unit_scale : str, float, optional
            The time axis of recency and T ("days", "weeks", "months"; the scale they are
            divided by), recorded in ``time_unit_`` and ``unit_scale_`` so that scoring refuses
            a summary of another unit. A frame from :func:`custometrics.summarize` records its
            own (``attrs``); an argument that contradicts it is an error. Neither: not recorded
            (``time_unit_`` None), and any summary is accepted, as before.
        covariates : pandas.DataFrame, optional
            Time-invariant covariates, one row per customer (a ``customer_id`` column or the
            keys as index; the summary's customers are its ``customer_id`` column or index),
            in CLVTools' parameterisation (``custometrics/retention/covariates.hpp``):
            Pareto/NBD alpha_i = alpha exp(-g_trans' z_i), beta_i = beta exp(-g_life' z_i);
            BG/NBD and MBG/NBD alpha_i as above, a_i = a exp(g_life' z_i),
            b_i = b exp(g_life' z_i). Numeric columns are used as they are, others are
            dummy-coded against their first level (``reference_levels_``). A customer without a
            covariate row raises :class:`custometrics.DataError` naming its key.
        life, trans : sequence of str
            The covariate columns of the lifetime (dropout) and the transaction process.
        constrained : sequence of str
            Covariates with one coefficient on both processes (CLVTools' ``names.cov.constr``).
        life_penalizer, trans_penalizer : float
            L2 penalties on the coefficients (CLVTools' ``reg.lambdas``), on the mean
            log-likelihood.

        Returns
        -------
        self
            With ``params_``, ``standard_errors_``, ``variance_matrix_``, ``log_likelihood_``
            (total over customers), ``n_``, ``unique_rows_``, ``fit_report_``, ``time_unit_``
            and ``unit_scale_``; with covariates ``params_`` are the base (z = 0) parameters
            and ``life_coefficients_``, ``trans_coefficients_``, ``life_standard_errors_``,
            ``trans_standard_errors_`` and ``reference_levels_`` hold the rest.

        Examples
        --------
        >>> import custometrics as cm, pandas as pd
        >>> s = cm.summarize(cm.generate(customers=300, seed=3))
        >>> cov = pd.DataFrame({"vip": [i % 2 for i in range(len(s))]}, index=s.index)
        >>> m = cm.ParetoNBDModel().fit(s, covariates=cov, life=["vip"], trans=["vip"])
        >>> list(m.trans_coefficients_.index)
        ['vip']

        Raises
        ------
        ValueError
            For NaN, negative or inconsistent rows (naming the argument, the customer position
            and the value), or a fit that cannot reach finite parameters.
        """
        x, tx, t_age, index = _columns(frequency, recency, T, ("frequency", "recency", "T"))
        w = _weights(weights, x.size)
        init = [] if initial_params is None else [float(v) for v in initial_params]
        unit, scale = _resolve_units(frequency, time_unit, unit_scale)
        if covariates is not None or life or trans or constrained:
            spec = _covariate_spec(life, trans, constrained, life_penalizer, trans_penalizer)
            _core.check_covariate_request(spec, covariates is not None)
            if weights is not None:
                raise ValueError("weights: a fit with covariates takes one row per customer")
            keys = _keys_of(frequency, "frequency")
            ck, cols = _covariate_table(covariates)
            cf = _core.retention_fit_covariates(
                self._kind, x, tx, t_age, keys, ck, cols, spec,
                _fit_options(self.penalizer_coef, max_iterations, tol, init, threads))
            return self._store_covariates(cf, x.size, unit, scale)
        for name in self._COVARIATES:
            self.__dict__.pop(name, None)
        res, unique_rows = _core.retention_fit(self._kind, x, tx, t_age, w, _fit_options(
            self.penalizer_coef, max_iterations, tol, init, threads))
        self._store(res, unique_rows)
        self.time_unit_ = unit
        self.unit_scale_ = 1.0 if scale is None else scale
        return self

    def _store_covariates(self, cf: Any, n: int, unit: Optional[str],
                          scale: Optional[float]) -> "_PurchaseModel":
        """Keeps a fit with covariates: ``cf`` is the core's CovariateFit of ``n`` customers on a
        summary of time axis (``unit``, ``scale``; None: not recorded). Used by ``fit`` and by
        :func:`custometrics.spark.fit`, so that both keep the same attributes."""
        for name in self._FIT_STATISTICS + self._COVARIATES:
            self.__dict__.pop(name, None)
        self._store(cf.fit, n)
        base = list(self._param_names)
        self.params_ = self.params_[base]
        self.standard_errors_ = self.standard_errors_[base]
        self.variance_matrix_ = self.variance_matrix_.loc[base, base]
        self._statistics = cf.fitted_model(unit or "days", 1.0 if scale is None else scale).fit
        self._set_covariates(cf.coefficients, cf.life_std_errors, cf.trans_std_errors)
        self.time_unit_ = unit
        self.unit_scale_ = 1.0 if scale is None else scale
        return self

    def _predict_covariates(self, what: str, core_what: str, frequency: Any, recency: Any,
                            T: Any, covariates: Any, t: float = 0.0) -> Any:
        """A prediction of a model with covariates: each customer at its own parameters."""
        c = getattr(self, "_covariates", None)
        if c is None:
            raise input_error("covariates: this model was fitted without covariates",
                              argument='covariates')
        if covariates is None:
            raise input_error("covariates: this model was fitted with covariates: pass the "
                              "customers' covariate frame (covariates=...)", argument='covariates')
        x, tx, t_age, index = _columns(frequency, recency, T, ("frequency", "recency", "T"))
        keys = _keys_of(frequency, "frequency")
        ck, cols = _covariate_table(covariates)
        alive, expected = _core.retention_covariate_predict(self._kind, self._p(), c, keys, ck,
                                                            cols, x, tx, t_age, float(t))
        return _series(alive if core_what == "p_alive" else expected, index, what)

    def _predict(self, what: str, predict: Callable[..., np.ndarray], frequency: Any,
                 recency: Any, T: Any, *t: float) -> Any:
        """``predict`` (a per-customer prediction of the core) of the customers, as a Series
        named ``what`` (a number for one customer given as numbers)."""
        if getattr(self, "_covariates", None) is not None:
            raise input_error(f"{what}: this model was fitted with covariates; P(alive) and the "
                              "expected purchases take covariates=..., the other predictions "
                              "are not available with covariates yet", argument=what)
        scalar = np.ndim(frequency) == 0 and np.ndim(recency) == 0 and np.ndim(T) == 0 \
            and recency is not None and T is not None
        if scalar:  # one customer: numbers in, a number out
            frequency, recency, T = ([float(v)] for v in (frequency, recency, T))
        x, tx, t_age, index = _columns(frequency, recency, T, ("frequency", "recency", "T"))
        out = predict(self._kind, self._p(), x, tx, t_age, *(float(v) for v in t))
        return float(out[0]) if scalar else _series(out, index, what)

    def conditional_probability_alive(self, frequency: Any, recency: Any = None,
                                      T: Any = None, *, covariates: Any = None) -> Any:
        """P(alive) of each customer at the end of the period, given (frequency, recency, T);
        a model fitted with covariates needs the customers' ``covariates`` frame (each
        customer at its own parameters)."""
        if covariates is not None or getattr(self, "_covariates", None) is not None:
            return self._predict_covariates("p_alive", "p_alive", frequency, recency, T,
                                            covariates)
        return self._predict("p_alive", _core.retention_p_alive, frequency, recency, T)

    def conditional_expected_number_of_purchases_up_to_time(
            self, t: float, frequency: Any, recency: Any = None, T: Any = None, *,
            covariates: Any = None) -> Any:
        """Expected purchases of each customer in the next ``t`` periods, given its history
        (with ``covariates`` for a model fitted with them)."""
        if covariates is not None or getattr(self, "_covariates", None) is not None:
            return self._predict_covariates("conditional_expected_purchases",
                                            "expected_purchases", frequency, recency, T,
                                            covariates, t)
        return self._predict("conditional_expected_purchases",
                             _core.retention_conditional_expected_purchases, frequency, recency,
                             T, t)

    def predict(self, t: float, frequency: Any, recency: Any = None, T: Any = None, *,
                interval: Optional[str] = None, level: float = 0.9, draws: int = 1000,
                seed: int = 42, threads: int = 0, covariates: Any = None) -> Any:
        """Expected purchases of each customer in the next ``t`` periods, optionally with a
        prediction interval.

        Without ``interval`` it is :meth:`conditional_expected_number_of_purchases_up_to_time`
        (lifetimes' alias). With ``interval`` it returns a DataFrame (one row per customer, the
        input's index) with ``expected_purchases``, ``lower``, ``upper`` and ``std_error``, and
        the total over customers in ``attrs`` (``total``, ``total_lower``, ``total_upper``,
        ``total_std_error``, ``method``, ``level``, ``draws``, ``failed_draws``): the core's
        intervals (``custometrics/retention/intervals.hpp``), the same as ``custometrics score
        --interval``.

        Parameters
        ----------
        interval : {"delta", "parametric", "bootstrap"}, optional
            ``delta``: the delta method on the log-parameters with the fit's covariance
            (``variance_matrix_``); ``parametric``: draws of the parameters from that
            covariance; ``bootstrap`` (or ``nonparametric``): refits on customers resampled from
            these customers, which must be the ones the model was fitted on. The intervals
            cover the uncertainty of the parameters, not the Poisson noise of the purchases.
            A model fitted with covariates needs ``covariates`` and draws (or refits) every
            coefficient with the parameters.
        level : float
            Coverage, in (0, 1).
        draws, seed : int
            Bootstrap draws and their seed (the same seed gives the same interval on any
            number of threads).
        threads : int
            0: the process default (:func:`custometrics.set_default_threads`).
        covariates : DataFrame, optional
            The customers' covariates (a model fitted with covariates: keyed as in ``fit``),
            each customer at its own parameters; a customer without a row raises
            :class:`custometrics.DataError` with its ``key``.

        Raises
        ------
        custometrics.InputError
            For a model without covariance (given parameters, or JSON written before the
            covariance was recorded) with the delta method or the parametric bootstrap, a level
            outside (0, 1), fewer than 2 draws or an unknown method.

        Examples
        --------
        >>> import custometrics as cm
        >>> s = cm.summarize(cm.generate(customers=300, seed=3))
        >>> m = cm.BetaGeoModel().fit(s)
        >>> out = m.predict(30, s, interval="delta", level=0.9)
        >>> bool((out["lower"] <= out["expected_purchases"]).all())
        True
        """
        if interval is None:
            return self.conditional_expected_number_of_purchases_up_to_time(
                t, frequency, recency, T, covariates=covariates)
        x, tx, t_age, index = _columns(frequency, recency, T, ("frequency", "recency", "T"))
        extra = _covariate_args(frequency, "frequency", covariates)
        res = _core.retention_intervals(
            self._fitted_model(), float(t), x, tx, t_age, str(interval), _core.IntervalOptions(
                level=float(level), draws=int(draws), seed=int(seed), threads=int(threads),
                fit=_core.FitOptions(penalizer=self.penalizer_coef)), None, np.empty(0),
            _core.ClvOptions(), **extra)
        return _interval_frame(res, "expected_purchases", x.size, index)

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        """E[X(t)]: expected purchases of a new customer in (0, t]; ``t`` scalar or array."""
        scalar = np.ndim(t) == 0
        ts = np.atleast_1d(np.asarray(t, dtype=np.float64))
        out = _core.retention_expected_purchases(self._kind, self._p(), ts)
        return float(out[0]) if scalar else out

    def probability_of_n_purchases_up_to_time(self, t: float, n: Any) -> Any:
        """P(X(t) = n) for a new customer; ``n`` an integer or an array of integers."""
        scalar = np.ndim(n) == 0
        ns = np.atleast_1d(np.asarray(n))
        if ns.dtype.kind not in "iu" and not np.all(ns == np.floor(ns)):
            raise input_error(f"n: expected whole numbers, got {ns[ns != np.floor(ns)][0]}",
                              argument='n')
        out = _core.retention_probability_of_purchases(self._kind, self._p(), float(t),
                                                       ns.astype(np.int64))
        return float(out[0]) if scalar else out

    def next_purchase_time(self, frequency: Any, recency: Any = None, T: Any = None) -> Any:
        """Median time from the end of the period to the next purchase, if the customer is
        alive: the posterior purchase rate is Gamma(r + x, alpha + T), so the wait w has
        P(W > w) = ((alpha + T) / (alpha + T + w))^(r + x) and the median is
        (alpha + T)(2^(1/(r + x)) - 1)."""
        return self._predict("next_purchase_time", _core.retention_next_purchase_time, frequency,
                             recency, T)

    def log_likelihood(self, frequency: Any, recency: Any = None, T: Any = None) -> Any:
        """The log-likelihood of each customer's (frequency, recency, T)."""
        return self._predict("log_likelihood", _core.retention_log_likelihood, frequency,
                             recency, T)

    def conditional_probability_alive_matrix(self, max_frequency: int,
                                             max_recency: int) -> np.ndarray:
        """P(alive) over frequency 0..max_frequency (columns) x recency 0..max_recency (rows),
        for customers of age T = max_recency, as lifetimes' matrix."""
        if max_frequency < 0 or max_recency <= 0:
            raise input_error("max_frequency must be >= 0 and max_recency > 0, got "
                              f"{max_frequency} and {max_recency}")
        tx, x = np.meshgrid(np.arange(max_recency + 1, dtype=float),
                            np.arange(max_frequency + 1, dtype=float), indexing="ij")
        x = x.ravel().copy()
        tx = tx.ravel().copy()
        ok = ~((x == 0) & (tx > 0))
        out = np.full(x.size, np.nan)
        out[ok] = _core.retention_p_alive(self._kind, self._p(), x[ok], tx[ok],
                                          np.full(int(ok.sum()), float(max_recency)))
        # lifetimes evaluates x = 0 at any recency as recency 0 (the data cannot have it).
        zero = (x == 0)
        out[zero] = out[zero & (tx == 0)][0]
        return out.reshape(max_recency + 1, max_frequency + 1)

    def expected_repeat_purchase_counts(self, frequency: Any, T: Any = None,
                                        max_frequency: int = 7) -> pd.DataFrame:
        """Customers with 0, 1, ..., ``max_frequency``+ repeat purchases: actual against the
        model's expectation sum_i P(X(T_i) = x) (Fader, Hardie & Lee 2005, figure 2)."""
        if T is None and hasattr(frequency, "columns"):
            x, _, t_age, _ = _columns(frequency, None, None, ("frequency", "recency", "T"))
        else:
            x, t_age, _ = _columns(frequency, T, None, ("frequency", "T"))
        if max_frequency < 1:
            raise input_error(f"max_frequency: must be >= 1, got {max_frequency}",
                              argument='max_frequency')
        expected = _core.retention_purchase_count_distribution(self._kind, self._p(), t_age,
                                                               int(max_frequency))
        actual = np.bincount(np.minimum(x.astype(np.int64), max_frequency),
                             minlength=max_frequency + 1).astype(float)
        labels = [str(i) for i in range(max_frequency)] + [f"{max_frequency}+"]
        return pd.DataFrame({"actual": actual, "model": expected},
                            index=pd.Index(labels, name="repeat_purchases"))


class BetaGeoModel(_PurchaseModel):
    """The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

    While alive a customer buys at rate lambda ~ Gamma(r, alpha); after each purchase they
    drop out with probability p ~ Beta(a, b). Parameters ``r, alpha, a, b``; the default
    start is lifetimes' (all 0.1... see ``fit``). On the CDNOW sample (2,357 customers, 39
    weeks) the fit gives r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood
    -9582.4, as published.

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> round(m.conditional_probability_alive(2, 30.43, 38.86), 4)
    0.7266
    >>> round(m.conditional_expected_number_of_purchases_up_to_time(52, 2, 30.43, 38.86), 4)
    1.5587
    """

    _model = "bgnbd"
    _param_names = ("r", "alpha", "a", "b")


class ModifiedBetaGeoModel(_PurchaseModel):
    """The MBG/NBD model (Batislam, Denizel & Filiztekin 2007): BG/NBD in which a customer may
    also drop out right after the first purchase. Parameters ``r, alpha, a, b``."""

    _model = "mbgnbd"
    _param_names = ("r", "alpha", "a", "b")


class ParetoNBDModel(_PurchaseModel):
    """The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): purchases at rate
    lambda ~ Gamma(r, alpha), lifetime exponential with rate mu ~ Gamma(s, beta). Parameters
    ``r, alpha, s, beta``; on the CDNOW sample: r = 0.553, alpha = 10.578, s = 0.606,
    beta = 11.669, log-likelihood -9595.0 (Fader, Hardie & Lee 2005)."""

    _model = "pnbd"
    _param_names = ("r", "alpha", "s", "beta")


class GGompertzNBDModel(_PurchaseModel):
    """The GGompertz/NBD model (Bemmaor & Glady 2012) as in CLVTools: purchases at rate
    lambda ~ Gamma(r, alpha) while alive, a Gompertz lifetime P(tau > t) = exp(-eta (e^{bt} - 1))
    with eta ~ Gamma(s, beta). Parameters ``r, alpha, b, s, beta`` (CLVTools' order); b -> 0
    with beta / b fixed is Pareto/NBD. The likelihood's integral is evaluated in the core
    (adaptive Gauss-Kronrod, analytic gradient); the fit, P(alive), the expected transactions
    (CLVTools' CET) and covariates work as for the other models.

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.GGompertzNBDModel().set_params(r=0.597, alpha=11.58, b=2.45e-5, s=0.523,
    ...                                       beta=2.17e-4)
    >>> round(m.conditional_probability_alive(2, 10.714, 38.857), 3)
    0.309
    """

    _model = "ggomnbd"
    _param_names = ("r", "alpha", "b", "s", "beta")


class GammaGammaModel(_Fitted):
    """The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV:
    using iso-value curves"; lifetimes' ``GammaGammaFitter``).

    A customer's purchases are Gamma(p, nu) around their mean, and nu ~ Gamma(q, v) across
    customers; spend is assumed independent of the purchase process. Fitted on repeat buyers
    (frequency > 0) with their mean repeat-purchase value: on the 946 CDNOW repeat buyers,
    p = 6.25, q = 3.74, v = 15.44, as published.

    Examples
    --------
    >>> import custometrics as cm
    >>> gg = cm.GammaGammaModel().set_params(p=6.25, q=3.74, v=15.44)
    >>> round(float(gg.conditional_expected_average_profit([2.0], [22.35])[0]), 4)
    24.6637
    """

    _param_names = ("p", "q", "v")
    customers_left_out_: Dict[str, int]

    def fit(self, frequency: Any, monetary_value: Any = None, weights: Any = None, *,
            initial_params: Optional[Sequence[float]] = None, max_iterations: int = 1000,
            tol: float = 1e-9, threads: int = 0) -> "GammaGammaModel":
        """Fits the model on repeat buyers by maximum likelihood.

        Parameters
        ----------
        frequency : array-like or DataFrame
            Repeat purchases per customer; or a DataFrame with ``frequency`` and
            ``monetary_value`` columns (a whole summary will do).
        monetary_value : array-like
            Mean value of the repeat purchases.
        weights : array-like, optional
            Customers per row.

        Returns
        -------
        self
            With ``customers_left_out_``: the customers the fit did not use, by reason.

        Notes
        -----
        The sample is the core's one policy, the same as ``custometrics fit --model
        gamma-gamma`` and the report's: repeat buyers (frequency > 0) with a positive mean
        spend (monetary_value > 0). Customers without a repeat purchase have no spend to model,
        those whose repeat purchases net to zero or less none the Gamma distribution
        describes; both are counted in ``customers_left_out_`` (``without_repeat_purchase``,
        ``without_positive_spend``) and a ``UserWarning`` says how many. (Until 0.1.0 a
        customer without a repeat purchase raised an error.) NaN or negative frequencies and
        NaN spend raise :class:`custometrics.DataError` naming the customer.
        """
        if monetary_value is None and hasattr(frequency, "columns"):
            x, m, _ = _columns(frequency, None, None, ("frequency", "monetary_value"))
        else:
            x, m, _ = _columns(frequency, monetary_value, None, ("frequency", "monetary_value"))
        w = _weights(weights, x.size)
        init = [] if initial_params is None else [float(v) for v in initial_params]
        res, sample = _core.retention_fit_gamma_gamma(x, m, w, _fit_options(
            self.penalizer_coef, max_iterations, tol, init, threads))
        self._store(res, len(sample), sample)
        left = sum(self.customers_left_out_.values())
        if left:
            warnings.warn(
                f"GammaGammaModel.fit: {left} customers left out of the spend sample "
                f"({self.customers_left_out_['without_repeat_purchase']} without a repeat "
                f"purchase, {self.customers_left_out_['without_positive_spend']} with a mean "
                "repeat spend <= 0); see customers_left_out_", UserWarning, stacklevel=2)
        return self

    def conditional_expected_average_profit(self, frequency: Any,
                                            monetary_value: Any = None) -> Any:
        """E[spend per purchase | x, m] (FHL 2005, "RFM and CLV", eq. 5): the weighted mean
        w m + (1 - w) p v / (q - 1) of the customer's own mean m and the population mean, with
        weight w = p x / (p x + q - 1); the population mean for customers without a repeat
        purchase (x = 0)."""
        if monetary_value is None and hasattr(frequency, "columns"):
            x, m, index = _columns(frequency, None, None, ("frequency", "monetary_value"))
        else:
            x, m, index = _columns(frequency, monetary_value, None,
                                   ("frequency", "monetary_value"))
        out = _core.retention_gamma_gamma_spend(self._p(), x, m)
        return _series(out, index, "expected_average_profit")

    def customer_lifetime_value(self, transaction_prediction_model: _PurchaseModel,
                                frequency: Any, recency: Any, T: Any, monetary_value: Any,
                                time: float = 12, discount_rate: float = 0.01,
                                freq: str = "D", *, interval: Optional[str] = None,
                                level: float = 0.9, draws: int = 1000, seed: int = 42,
                                threads: int = 0, covariates: Any = None) -> Any:
        """Discounted lifetime value over ``time`` months, as lifetimes defines it, optionally
        with a prediction interval.

        For months i = 1..time, the expected purchases of month i (the conditional expectation
        up to the end of month i minus that up to its start, months of 30 days, 4.345 weeks or
        1 month as ``freq`` says the model's time unit is) times the expected spend per
        purchase, discounted by (1 + discount_rate)^i.

        With ``interval`` it returns a DataFrame (one row per customer) with ``clv``, ``lower``,
        ``upper`` and ``std_error``, and the total over customers in ``attrs`` (``total``,
        ``total_lower``, ``total_upper``, ``total_std_error``, ``method``, ``level``, ``draws``,
        ``failed_draws``): the core's ``customer_lifetime_value_intervals``
        (``custometrics/retention/intervals.hpp``), the same as ``custometrics score
        --spend-params ... --interval``. Both models' parameter uncertainty counts, taken as
        independent: ``delta`` uses both covariances (``variance_matrix_``), ``parametric``
        draws both models' parameters, ``bootstrap`` refits both on resampled customers (these
        customers, which must be the ones both models were fitted on; the Gamma-Gamma refits
        use this model's ``penalizer_coef``). ``level``, ``draws``, ``seed``, ``threads`` as in
        the purchase models' ``predict``. A purchase model fitted with covariates takes the
        customers' ``covariates`` frame (indexed by the keys of ``frequency``) and values each
        customer at its own parameters, as :func:`custometrics.score_customers`' ``clv`` with
        ``covariates`` does.

        Examples
        --------
        >>> import custometrics as cm
        >>> s = cm.summarize(cm.generate(customers=300, seed=3))
        >>> bg = cm.BetaGeoModel().fit(s)
        >>> gg = cm.GammaGammaModel().fit(s)
        >>> v = gg.customer_lifetime_value(bg, s["frequency"], s["recency"], s["T"],
        ...                                s["monetary_value"], interval="delta")
        >>> bool((v["lower"] <= v["clv"]).all() and (v["clv"] <= v["upper"]).all())
        True
        """
        per_month = _core.retention_periods_per_month(str(freq))  # lifetimes' CLV step
        if not np.isfinite(discount_rate) or discount_rate <= -1:
            raise input_error(f"discount_rate: must be > -1, got {discount_rate}",
                              argument='discount_rate')
        x, tx, t_age, index = _columns(frequency, recency, T, ("frequency", "recency", "T"))
        _, m, _ = _columns(frequency, monetary_value, None, ("frequency", "monetary_value"))
        if time != int(time) or time < 1:
            raise input_error(f"time: must be a whole number of months >= 1, got {time}",
                              argument='time')
        model = transaction_prediction_model
        options = _core.ClvOptions(months=int(time), discount_rate=float(discount_rate),
                                   periods_per_month=per_month)
        if interval is not None:
            extra = _covariate_args(frequency, "frequency", covariates)
            res = _core.retention_intervals(
                model._fitted_model(), 0.0, x, tx, t_age, str(interval), _core.IntervalOptions(
                    level=float(level), draws=int(draws), seed=int(seed), threads=int(threads),
                    fit=_core.FitOptions(penalizer=model.penalizer_coef),
                    spend_fit=_core.FitOptions(penalizer=self.penalizer_coef)),
                self._fitted_model(), m, options, **extra)
            return _interval_frame(res, "clv", x.size, index)
        if covariates is not None or getattr(model, "_covariates", None) is not None:
            # Each customer at its own parameters: the core's scores (score_customers' clv).
            scores = _core.retention_score(
                model._fitted_model(), self._fitted_model(), x, tx, t_age, m,
                np.empty(0, dtype=np.float64), str(freq), 1.0,
                _core.ScoreOptions(clv_months=int(time), discount_rate=float(discount_rate)),
                **_covariate_args(frequency, "frequency", covariates))
            return _series(np.asarray(scores.clv), index, "clv")
        out = _core.retention_clv(model._kind, model._p(), self._p(), x, tx, t_age, m, options)
        return _series(out, index, "clv")


def _interval_frame(res: Any, name: str, n: int, index: Any) -> pd.DataFrame:
    """The core's PredictionIntervals as a frame: ``name`` (the estimate), ``lower``, ``upper``
    and ``std_error`` per customer (``index``, else 0..n-1), the total's in ``attrs``."""
    keys = index if index is not None else pd.RangeIndex(n, name="customer")
    out = pd.DataFrame({name: res.estimate, "lower": res.lower, "upper": res.upper,
                        "std_error": res.std_error}, index=keys)
    out.attrs.update(total=res.total, total_lower=res.total_lower, total_upper=res.total_upper,
                     total_std_error=res.total_std_error, method=res.method, level=res.level,
                     draws=res.draws, failed_draws=res.failed_draws)
    return out


class ShiftedBetaGeometricModel(_Fitted):
    """The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007, "How to
    project customer retention", J. Interactive Marketing 21(1)).

    Each customer renews each period with a constant probability 1 - theta, theta ~ Beta(alpha,
    beta) across customers, so the cohort's retention rate rises over time. Fitted on the
    number of customers still active at the start of each period of one cohort.

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.ShiftedBetaGeometricModel().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> m.params_.round(3).to_dict()
    {'alpha': 0.704, 'beta': 1.182}
    """

    _param_names = ("alpha", "beta")

    def fit(self, active: Any, *, initial_params: Optional[Sequence[float]] = None,
            max_iterations: int = 1000, tol: float = 1e-9) -> "ShiftedBetaGeometricModel":
        """Fits the model to ``active[t]``, the customers active at the start of period t
        (``active[0]`` the cohort size, non-increasing, at least two periods)."""
        a = np.ascontiguousarray(float_array(_to_numpy(active, "active"), "active"))
        init = [] if initial_params is None else [float(v) for v in initial_params]
        self._store(_core.retention_fit_sbg(a, _fit_options(self.penalizer_coef, max_iterations,
                                                            tol, init, 1)))
        self.n_ = float(a[0]) if a.size else 0.0
        return self

    def survival(self, t: Any) -> Any:
        """S(t): the share of the cohort still active after t periods."""
        return self._at(_core.retention_sbg_survival, t)

    def retention_rate(self, t: Any) -> Any:
        """r(t) = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1), t >= 1."""
        return self._at(_core.retention_sbg_retention_rate, t)

    def _at(self, quantity: Callable[..., np.ndarray], t: Any) -> Any:
        scalar = np.ndim(t) == 0
        ts = np.atleast_1d(np.asarray(t))
        if not np.all(np.isfinite(ts)) or not np.all(ts == np.floor(ts)) or np.any(ts < 0):
            raise input_error(f"t: expected whole periods >= 0, got {t}", argument='t')
        out = quantity(self._p(), ts.astype(np.int64))
        return float(out[0]) if scalar else out

    def discounted_expected_residual_lifetime(self, discount_rate: float,
                                              renewals: int = 0) -> float:
        """DERL (Fader & Hardie 2010): the expected discounted number of further payments of a
        customer who has renewed ``renewals`` times, at ``discount_rate`` per period."""
        return float(_core.retention_sbg_derl(self._p(), float(discount_rate), int(renewals)))


def _bgbb_columns(frequency: Any, recency: Any, n_periods: Any) -> Tuple[Any, ...]:
    """BG/BB's columns: given one by one, or a frame with ``frequency``, ``recency`` and the
    opportunities as the CLI reads a summary CSV: ``T`` (or ``T_cal``), else lifetimes'
    ``n_periods`` (its argument) or ``periods`` (its donation table)."""
    if recency is None and n_periods is None and hasattr(frequency, "columns"):
        table = Table(frequency)
        have = set(table._names())
        name = next((c for c in ("T", "T_cal", "n_periods", "periods") if c in have), None)
        if name is None:
            raise input_error("data: column 'n_periods' (or 'periods', 'T') not found; available "
                              "columns: " + ", ".join(repr(c) for c in sorted(have)),
                              argument='data')
        x, tx, index = _columns(frequency, None, None, ("frequency", "recency"))
        return x, tx, np.ascontiguousarray(table.floats(name, name)), index
    return _columns(frequency, recency, n_periods, ("frequency", "recency", "n_periods"))


class BetaGeoBetaBinomModel(_Fitted):
    """The BG/BB model of repeat transactions at discrete opportunities (Fader, Hardie & Shang
    2010, "Customer-base analysis in a discrete-time noncontractual setting"; lifetimes'
    ``BetaGeoBetaBinomFitter``).

    Transactions can only happen at opportunities 1, 2, ... (a yearly donation drive, an
    annual event). While alive a customer transacts at each opportunity with probability
    p ~ Beta(alpha, beta); before each opportunity a customer alive so far dies with
    probability theta ~ Beta(gamma, delta). A customer is (frequency x, recency t_x, n_periods
    n): repeat transactions, the opportunity of the last one (0 without one) and the
    opportunities observed, whole numbers with x <= t_x <= n. On FHS's donation data (11,104
    donors, n = 6): alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, as published. The core
    is ``custometrics/retention/bg_bb.hpp`` (``custometrics fit --model bgbb``).

    Examples
    --------
    >>> import custometrics as cm
    >>> m = cm.BetaGeoBetaBinomModel().set_params(alpha=1.204, beta=0.750, gamma=0.657,
    ...                                          delta=2.783)
    >>> round(m.conditional_probability_alive(1, 6, 6, 6), 4)
    0.9304
    >>> round(m.conditional_expected_number_of_purchases_up_to_time(5, 6, 6, 6), 3)
    3.752
    """

    _model = "bgbb"
    _param_names = ("alpha", "beta", "gamma", "delta")

    def fit(self, frequency: Any, recency: Any = None, n_periods: Any = None,
            weights: Any = None, *, initial_params: Optional[Sequence[float]] = None,
            max_iterations: int = 1000, tol: float = 1e-9,
            threads: int = 0) -> "BetaGeoBetaBinomModel":
        """Fits the model by maximum likelihood on the customers' unique patterns.

        Parameters
        ----------
        frequency : array-like or DataFrame
            Repeat transactions per customer; or a DataFrame with ``frequency``, ``recency``
            and ``n_periods`` (or ``periods``, ``T``) and optionally ``weights``.
        recency, n_periods : array-like
            The opportunity of the last transaction (0 without one) and the opportunities
            observed: whole numbers, ``frequency <= recency <= n_periods``.
        weights : array-like, optional
            Customers per row (lifetimes' donation table has one row per pattern).
        initial_params, max_iterations, tol, threads
            As :meth:`BetaGeoModel.fit` (lifetimes' start: all log-parameters 0.1).

        Returns
        -------
        self
            With ``params_``, ``standard_errors_``, ``variance_matrix_``, ``log_likelihood_``,
            ``n_`` (total weight), ``unique_rows_`` (patterns) and ``fit_report_``.

        Raises
        ------
        custometrics.DataError
            For a value that is not a whole number, recency above n_periods, frequency above
            recency, or recency > 0 with frequency 0, naming the column, the customer and the
            value.
        """
        x, tx, n, _ = _bgbb_columns(frequency, recency, n_periods)
        if weights is None and recency is None and hasattr(frequency, "columns") \
                and "weights" in set(Table(frequency)._names()):
            weights = Table(frequency).floats("weights", "weights")
        w = _weights(weights, x.size)
        init = [] if initial_params is None else [float(v) for v in initial_params]
        res, patterns = _core.bgbb_fit(x, tx, n, w, _fit_options(
            self.penalizer_coef, max_iterations, tol, init, threads))
        self._store(res, patterns)
        return self

    def _per_customer(self, name: str, call: Callable[..., np.ndarray], frequency: Any,
                      recency: Any, n_periods: Any) -> Any:
        """``call(params, x, t_x, n)`` of the core per customer: a Series named ``name`` (a
        number for one customer given as numbers)."""
        scalar = recency is not None and n_periods is not None and np.ndim(frequency) == 0 \
            and np.ndim(recency) == 0 and np.ndim(n_periods) == 0
        if scalar:
            frequency, recency, n_periods = ([float(v)] for v in (frequency, recency, n_periods))
        x, tx, n, index = _bgbb_columns(frequency, recency, n_periods)
        out = call(self._p(), x, tx, n)
        return float(out[0]) if scalar else _series(out, index, name)

    def conditional_probability_alive(self, m_periods_in_future: int, frequency: Any,
                                      recency: Any = None, n_periods: Any = None) -> Any:
        """P(alive at opportunity n + m_periods_in_future) given (x, t_x, n) (FHS eq. 11 for
        m = 1; lifetimes' argument order)."""
        m = int(m_periods_in_future)
        return self._per_customer(
            "p_alive", lambda p, x, tx, n: _core.bgbb_p_alive(p, x, tx, n, m), frequency,
            recency, n_periods)

    def conditional_expected_number_of_purchases_up_to_time(
            self, m_periods_in_future: int, frequency: Any, recency: Any = None,
            n_periods: Any = None) -> Any:
        """E[X(n, n + m)]: expected transactions at the next ``m_periods_in_future``
        opportunities given (x, t_x, n) (FHS eq. 13)."""
        m = int(m_periods_in_future)
        return self._per_customer(
            "conditional_expected_purchases",
            lambda p, x, tx, n: _core.bgbb_conditional_expected_purchases(p, x, tx, n, m),
            frequency, recency, n_periods)

    def predict(self, m_periods_in_future: int, frequency: Any, recency: Any = None,
                n_periods: Any = None) -> Any:
        """Alias of :meth:`conditional_expected_number_of_purchases_up_to_time`."""
        return self.conditional_expected_number_of_purchases_up_to_time(
            m_periods_in_future, frequency, recency, n_periods)

    def discounted_expected_residual_transactions(self, discount_rate: float, frequency: Any,
                                                  recency: Any = None,
                                                  n_periods: Any = None) -> Any:
        """DERT(d): the discounted expected transactions after opportunity n, the next one
        discounted once (FHS eq. 14); times the margin per transaction, the residual value.
        ``discount_rate`` 0 needs gamma > 1."""
        d = float(discount_rate)
        return self._per_customer("dert", lambda p, x, tx, n: _core.bgbb_dert(p, x, tx, n, d),
                                  frequency, recency, n_periods)

    def expected_number_of_purchases_up_to_time(self, n: Any) -> Any:
        """E[X(n)]: expected transactions of a new customer at the first ``n`` opportunities
        (FHS eq. 8); ``n`` a whole number or an array of them."""
        scalar = np.ndim(n) == 0
        ns = np.atleast_1d(np.asarray(n))
        if not np.all(ns == np.floor(ns)):
            raise input_error(f"n: expected whole numbers, got {n}", argument='n')
        out = np.array([_core.bgbb_expected_purchases(self._p(), int(k)) for k in ns])
        return float(out[0]) if scalar else out

    def probability_of_n_purchases_up_to_time(self, n: int, x: Any) -> Any:
        """P(X(n) = x): a new customer makes ``x`` transactions at the first ``n``
        opportunities (FHS eq. 7)."""
        scalar = np.ndim(x) == 0
        xs = np.atleast_1d(np.asarray(x))
        if not np.all(xs == np.floor(xs)):
            raise input_error(f"x: expected whole numbers, got {x}", argument='x')
        out = np.array([_core.bgbb_probability_of_purchases(self._p(), int(n), int(k))
                        for k in xs])
        return float(out[0]) if scalar else out

    def expected_number_of_transactions_in_first_n_periods(self, n: int) -> pd.DataFrame:
        """lifetimes' table: for x = 0..n, the expected number of the fitted customers (``n_``)
        with x transactions at the first ``n`` opportunities, N P(X(n) = x)."""
        if not hasattr(self, "n_"):
            raise input_error("BetaGeoBetaBinomModel: needs a fit (the number of customers)",
                              argument='BetaGeoBetaBinomModel')
        xs = np.arange(int(n) + 1)
        p = self.probability_of_n_purchases_up_to_time(int(n), xs)
        return pd.DataFrame({"model": self.n_ * p}, index=pd.Index(xs, name="frequency"))


@result_display
@dataclass(frozen=True)
class ModelSelection:
    """A model choice among BG/NBD, MBG/NBD and Pareto/NBD (:func:`select_model`).

    ``criterion`` is what was minimised ("mae", "rmse", "aggregate" or "bic"), ``chosen`` the
    name of the chosen model ("bgnbd", "mbgnbd", "pnbd"; None when no fit was usable) and
    ``model`` its fitted estimator. ``candidates`` has one row per candidate model, in the
    tie-breaking order: ``usable``, ``reason``, ``log_likelihood``, ``aic``, ``bic``, ``mae``,
    ``rmse``, ``aggregate_error`` (NaN without a holdout) and ``score`` (the criterion, NaN when
    not usable). ``has_holdout``, ``duration`` and ``customers`` describe the data.
    """

    criterion: str
    chosen: Optional[str]
    model: Optional[_PurchaseModel]
    candidates: pd.DataFrame
    has_holdout: bool
    duration: float
    customers: int


_MODEL_CLASSES: Dict[str, Type[_PurchaseModel]] = {
    "bgnbd": BetaGeoModel, "mbgnbd": ModifiedBetaGeoModel, "pnbd": ParetoNBDModel,
    "ggomnbd": GGompertzNBDModel}


def select_model(summary: Any, holdout: Any = None, duration: Optional[float] = None, *,
                 by: Optional[str] = None, models: Sequence[str] = ("bgnbd", "mbgnbd", "pnbd"),
                 penalizer_coef: float = 0.0, max_iterations: int = 1000, tol: float = 1e-9,
                 threads: int = 0) -> ModelSelection:
    """Fits BG/NBD, MBG/NBD and Pareto/NBD on the calibration summary and chooses one by its
    holdout error, or by BIC without a holdout: the core's ``select_purchase_model``
    (``custometrics/retention/selection.hpp``), the same table as ``custometrics fit --model
    auto``.

    Parameters
    ----------
    summary : DataFrame
        ``frequency``, ``recency``, ``T`` (or their ``_cal`` forms, as from
        :func:`custometrics.summarize` with a calibration end or lifetimes'
        ``calibration_and_holdout_data``) per customer; with ``frequency_holdout`` and
        ``duration_holdout`` columns the holdout is taken from them.
    holdout : array-like, optional
        The customers' holdout purchases (instead of the ``frequency_holdout`` column).
    duration : float, optional
        The holdout's length in the summary's periods (instead of ``duration_holdout``).
    by : {"mae", "rmse", "aggregate", "bic"}, optional
        The criterion (smaller is better): the per-customer mean absolute or root mean square
        holdout error, the error of the holdout total, or BIC of the calibration fit. Default:
        mae with a holdout, bic without.
    models : sequence of str
        The candidates, first wins a tie ("ggomnbd" may be added; it is not a default: it
        usually goes to its Pareto/NBD limit and costs a numerical integral per customer).
    penalizer_coef, max_iterations, tol, threads
        Of every fit (as :meth:`BetaGeoModel.fit`).

    Returns
    -------
    ModelSelection

    Examples
    --------
    >>> import custometrics as cm
    >>> log = cm.generate(customers=400, seed=5)
    >>> s = cm.summarize(log, calibration_end="2021-06-30")
    >>> choice = cm.select_model(s, by="mae")
    >>> choice.chosen in ("bgnbd", "mbgnbd", "pnbd"), list(choice.candidates.index)
    (True, ['bgnbd', 'mbgnbd', 'pnbd'])
    """
    x, tx, t_age, _ = _columns(summary, None, None, ("frequency", "recency", "T"))
    have = set(Table(summary)._names()) if hasattr(summary, "columns") else set()
    if holdout is None and "frequency_holdout" in have:
        holdout = Table(summary).floats("frequency_holdout", "frequency_holdout")
    if duration is None and holdout is not None and "duration_holdout" in have:
        duration = _summary_record(summary).get("duration_holdout")
        if duration is None:
            d = Table(summary).floats("duration_holdout", "duration_holdout")
            if d.size and not np.all(d == d[0]):
                raise _core.DataError("duration_holdout: the summary holds several values; "
                                      "one summary has one")
            duration = float(d[0]) if d.size else None
    if holdout is not None:
        h = np.ascontiguousarray(float_array(_to_numpy(holdout, "holdout"), "holdout"))
        if duration is None:
            raise _input_error("duration: the holdout's length is needed (no duration_holdout "
                               "column)", "duration", None, "")
    else:
        h = np.empty(0, dtype=np.float64)
        if by is not None and _core.retention_needs_holdout(str(by)):
            raise _input_error(f"by: {by} scores a holdout period, but the summary has no "
                               "frequency_holdout column and no holdout was given; or choose "
                               "bic", "by", None, by)
    res, unique_rows = _core.retention_select(x, tx, t_age, h, float(duration or 0.0),
                                 None if by is None else str(by),
                                 _core.SelectionOptions(
        models=[_core.parse_purchase_model(str(m), "models") for m in models],
        fit=_fit_options(penalizer_coef, max_iterations, tol, [], threads)))
    rows = res.models
    nan = float("nan")
    candidates = pd.DataFrame(
        {"usable": [r.usable for r in rows], "reason": [r.reason for r in rows],
         "log_likelihood": [r.log_likelihood for r in rows], "aic": [r.aic for r in rows],
         "bic": [r.bic for r in rows],
         "mae": [r.mae if res.has_holdout else nan for r in rows],
         "rmse": [r.rmse if res.has_holdout else nan for r in rows],
         "aggregate_error": [r.aggregate_error if res.has_holdout else nan for r in rows],
         "score": [r.score for r in rows]},
        index=pd.Index([r.model for r in rows], name="model"))
    chosen = model = None
    if res.chosen is not None:
        best = rows[res.chosen]
        chosen = best.model
        model = _MODEL_CLASSES[chosen](penalizer_coef)
        model._store(best.fit, int(unique_rows))
        unit, scale = _resolve_units(summary, None, None)
        model.time_unit_ = unit
        model.unit_scale_ = 1.0 if scale is None else scale
    return ModelSelection(criterion=res.criterion, chosen=chosen, model=model,
                          candidates=candidates, has_holdout=res.has_holdout,
                          duration=res.duration, customers=res.customers)


@result_display
@dataclass(frozen=True)
class CalibrationCheck:
    """Holdout purchases against the model's prediction from the calibration period.

    ``table`` has one row per calibration frequency (0, 1, ..., ``max_frequency``+): the
    customers in it, their mean actual holdout purchases and the mean prediction.
    ``mae`` and ``rmse`` are over customers; ``total_actual`` and ``total_predicted`` the sums
    over all customers; ``bin_mape`` the mean absolute percentage error over the table's rows
    with an actual mean > 0.
    """

    table: pd.DataFrame
    mae: float
    rmse: float
    total_actual: float
    total_predicted: float
    bin_mape: float

    def plot(self, ax: Any = None) -> Any:
        """Actual vs predicted holdout purchases by calibration frequency (see
        :func:`custometrics.plot.calibration_holdout`)."""
        from .plot import calibration_holdout

        return calibration_holdout(self, ax=ax)


def calibration_holdout_check(model: _PurchaseModel, summary: Any,
                              max_frequency: int = 7) -> CalibrationCheck:
    """Compares holdout purchases with the model's prediction, per calibration frequency.

    Parameters
    ----------
    model : BetaGeoModel, ModifiedBetaGeoModel or ParetoNBDModel
        Fitted on (or given parameters for) the calibration period.
    summary : DataFrame
        From :func:`custometrics.summarize` with ``calibration_end`` (or lifetimes'
        ``calibration_and_holdout_data``): ``frequency_cal``, ``recency_cal``, ``T_cal``,
        ``frequency_holdout`` and ``duration_holdout``.
    max_frequency : int, default 7
        Calibration frequencies of this or more share the last row.

    Returns
    -------
    CalibrationCheck
    """
    table = Table(summary)
    x = table.floats("frequency_cal", "summary")
    tx = table.floats("recency_cal", "summary")
    t_age = table.floats("T_cal", "summary")
    actual = table.floats("frequency_holdout", "summary")
    duration = table.floats("duration_holdout", "summary")
    if duration.size == 0:
        raise input_error("summary: no customers", argument='summary')
    if not np.all(duration == duration[0]) or not duration[0] > 0:
        raise input_error("summary: duration_holdout must be one positive value for all "
                          f"customers, got {np.unique(duration)[:5]}", argument='summary')
    res = _core.retention_holdout_check(model._kind, model._p(), x, tx, t_age, actual,
                                        float(duration[0]), int(max_frequency))
    labels = [str(i) for i in range(max_frequency)] + [f"{max_frequency}+"]
    frame = pd.DataFrame({"customers": res.customers, "actual": res.actual,
                          "predicted": res.predicted},
                         index=pd.Index(labels, name="frequency_cal"))
    return CalibrationCheck(table=frame, mae=res.mae, rmse=res.rmse,
                            total_actual=res.total_actual, total_predicted=res.total_predicted,
                            bin_mape=res.bin_mape)


@result_display
@dataclass(frozen=True)
class RetentionOverview:
    """The retention overview of a customer base (the retention section of
    ``custometrics report``), as :func:`retention_overview` returns it.

    ``purchase_model`` is the fitted BG/NBD model, ``spend_model`` the Gamma-Gamma model (None
    when ``spend_reason`` says why there is none). ``customers`` are those with T > 0, every
    figure is over them; ``too_new`` those with T = 0, left out; ``spend_buyers`` the repeat
    buyers with a positive spend the spend model was fitted on. ``expected_alive`` is the sum
    of P(alive), ``at_risk`` the customers with P(alive) below the threshold and
    ``at_risk_revenue`` their revenue (``revenue``: of all customers), ``expected_purchases``
    the purchases expected over the horizon, ``clv_total`` the lifetime value of all customers
    and ``top_clv`` that of the top customers by it, indexed by the summary's index.
    """

    purchase_model: "BetaGeoModel"
    spend_model: Optional["GammaGammaModel"]
    spend_reason: str
    customers: int
    too_new: int
    spend_buyers: int
    expected_alive: float
    at_risk: int
    at_risk_revenue: float
    revenue: float
    expected_purchases: float
    clv_total: float
    top_clv: pd.Series


def retention_overview(summary: Any, *, horizon: float = 90.0, at_risk_below: float = 0.5,
                       months: int = 12, discount_rate: float = 0.01, freq: str = "D",
                       top: int = 5) -> RetentionOverview:
    """The retention overview of a customer base: the retention section of
    ``custometrics report``, computed by the same core function.

    Fits BG/NBD on the customers with T > 0 (those first seen on the last day are left out and
    counted) and, when there are at least 10 repeat buyers with a positive spend, Gamma-Gamma
    on them; then the expected alive customers, the customers at risk (P(alive) below
    ``at_risk_below``) and their revenue, the purchases expected over ``horizon`` periods, and
    the discounted lifetime value over ``months`` in total and of the ``top`` customers.

    Parameters
    ----------
    summary : DataFrame
        From :func:`custometrics.summarize`: ``frequency``, ``recency``, ``T``,
        ``monetary_value`` and ``revenue``, one row per customer.
    horizon : float, default 90
        Periods of the summary's unit for ``expected_purchases``.
    at_risk_below : float, default 0.5
        The P(alive) threshold of "at risk".
    months, discount_rate : int, float
        The lifetime value's horizon and monthly discount rate.
    freq : {"D", "W", "M", "H"}
        The summary's time unit (for the lifetime value's months), as lifetimes names it.
    top : int, default 5
        Customers listed in ``top_clv``.

    Returns
    -------
    RetentionOverview

    Examples
    --------
    >>> import custometrics as cm
    >>> s = cm.summarize(cm.generate(customers=500, seed=1))
    >>> o = cm.retention_overview(s)
    >>> o.customers + o.too_new == len(s)
    True
    """
    per_month = _core.retention_periods_per_month(str(freq))  # lifetimes' CLV step
    if top < 0:
        raise input_error(f"top: must be >= 0, got {top}", argument='top')
    table = Table(summary)
    cols = [table.floats(c, "summary")
            for c in ("frequency", "recency", "T", "monetary_value", "revenue")]
    clv = _core.ClvOptions(months=int(months), discount_rate=float(discount_rate),
                           periods_per_month=per_month)
    res = _core.retention_overview(*cols, _core.RetentionOverviewOptions(
        horizon=float(horizon), at_risk_below=float(at_risk_below), clv=clv, top=int(top)))
    purchase = BetaGeoModel()
    purchase._store(res.purchase)
    spend = None
    if res.spend is not None:
        spend = GammaGammaModel()
        spend._store(res.spend)
    index = summary.index if isinstance(summary, pd.DataFrame) else pd.RangeIndex(len(cols[0]))
    top_clv = pd.Series(res.top_clv, index=index[res.top_customers], name="clv")
    return RetentionOverview(
        purchase_model=purchase, spend_model=spend, spend_reason=res.spend_reason,
        customers=res.customers, too_new=res.too_new, spend_buyers=res.spend_buyers,
        expected_alive=res.expected_alive, at_risk=res.at_risk,
        at_risk_revenue=res.at_risk_revenue, revenue=res.revenue,
        expected_purchases=res.expected_purchases, clv_total=res.clv_total, top_clv=top_clv)


def _summary_axis(summary: Any, freq: Optional[str], as_of: Any) -> Tuple[str, float, Any]:
    """The summary's time unit, scale and analysis date: its ``attrs`` (from
    :func:`custometrics.summarize`), else ``freq`` (default days, scale 1) and ``as_of``;
    an argument that contradicts the attrs raises :class:`custometrics.InputError`."""
    unit, scale = _resolve_units(summary, freq, None, "freq")
    record = _summary_record(summary)
    end = record.get("calibration_end", record.get("observation_end"))
    when = to_seconds(as_of, "as_of")
    recorded = to_seconds(end, "summary.attrs") if end is not None else None
    if when is not None and recorded is not None and when != recorded:
        e = _core.InputError(f"as_of: {as_of} contradicts the end {end} of the summary's attrs")
        e.argument, e.row, e.key, e.column, e.value = "as_of", None, None, None, str(as_of)
        raise e
    return (unit or "days", 1.0 if scale is None else scale,
            when if when is not None else recorded)


def _dates(seconds: np.ndarray) -> pd.DatetimeIndex:
    """Epoch seconds (the core's no_time as NaT) as the days on which they fall."""
    s = np.asarray(seconds, dtype=np.int64)
    missing = s == np.iinfo(np.int64).min
    # datetime64[ns] holds 1677-09-22 .. 2262-04-11; a later date (a customer who buys once in
    # centuries) is NaT here, and said, where the CLI writes it as text.
    lo, hi = pd.Timestamp.min.value // 10**9 + 86400, pd.Timestamp.max.value // 10**9 - 86400
    beyond = ~missing & ((s < lo) | (s > hi))
    if beyond.any():
        warnings.warn(f"{int(beyond.sum())} next-purchase dates fall outside the years 1677-2262 "
                      "that pandas can hold; they are NaT (next_purchase_time has the wait)",
                      RuntimeWarning, stacklevel=3)
    missing = missing | beyond
    out = pd.to_datetime(np.where(missing, 0, s), unit="s").floor("D")
    return out.where(~missing)


def _scores(model: Any, spend_model: Optional["GammaGammaModel"], summary: Any,
            horizon: float, months: int, discount_rate: float, freq: Optional[str],
            as_of: Any, contacts: bool = False, covariates: Any = None) -> Tuple[Any, Any]:
    """The core's ``score_customers`` of the summary (``contacts``: for a contact list, which
    the core refuses for a BG/BB model); a BG/BB model reads ``n_periods`` (or ``periods``);
    the ``covariates`` frame goes to the core with the summary's keys."""
    if getattr(model, "_model", None) == "bgbb":
        x, tx, t_age, index = _bgbb_columns(summary, None, None)
    else:
        x, tx, t_age, index = _columns(summary, None, None, ("frequency", "recency", "T"))
    if spend_model is not None:
        _, m, _ = _columns(summary, None, None, ("frequency", "monetary_value"))
    else:
        m = np.empty(0, dtype=np.float64)
    # Customers per row, when the frame has them: BG/BB weighs its totals, the others refuse.
    w = np.empty(0, dtype=np.float64)
    if hasattr(summary, "columns") and "weights" in set(Table(summary)._names()):
        w = np.ascontiguousarray(Table(summary).floats("weights", "weights"))
    unit, scale, when = _summary_axis(summary, freq, as_of)
    if months != int(months):  # a whole number to pass on; the core checks the range
        raise input_error(f"months: must be a whole number of months >= 1, got {months}",
                          argument='months')
    spend = spend_model._fitted_model() if spend_model is not None else None
    table = _covariate_args(summary, "summary", covariates)
    scores = _core.retention_score(model._fitted_model(), spend, x, tx, t_age, m, w, unit, scale,
                                   _core.ScoreOptions(horizon=float(horizon),
                                                      clv_months=int(months),
                                                      discount_rate=float(discount_rate),
                                                      analysis_date=when, contacts=contacts),
                                   **table)
    return scores, index


def score_customers(model: _PurchaseModel, summary: Any,
                    spend_model: Optional["GammaGammaModel"] = None, *, horizon: float = 30.0,
                    months: int = 12, discount_rate: float = 0.01, freq: Optional[str] = None,
                    as_of: Any = None, covariates: Any = None) -> pd.DataFrame:
    """P(alive), expected purchases, expected spend, lifetime value and next purchase of every
    customer: the core's ``score_customers``, the same numbers as ``custometrics score``.

    Parameters
    ----------
    model : BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel or BetaGeoBetaBinomModel
        Fitted (or given parameters). A model that records its time unit (fitted on a frame of
        :func:`custometrics.summarize`, or loaded from JSON that records it) refuses a summary
        of another unit or scale with :class:`custometrics.InputError` naming both. A BG/BB
        model reads ``n_periods`` (or ``periods``, ``T``) as the opportunities and returns
        ``p_alive`` (at the next opportunity), ``expected_purchases`` (at the next ``horizon``
        opportunities, a whole number) and ``dert`` (at ``discount_rate`` per opportunity):
        its own methods' numbers; with a spend model it raises :class:`custometrics.InputError`
        naming ``spend``. A ``weights`` column (customers per row) is passed on: BG/BB reads
        it, a continuous-time model refuses it with :class:`custometrics.InputError` naming
        ``weights`` (it scores one row per customer).
    summary : DataFrame
        ``frequency``, ``recency``, ``T`` (and ``monetary_value`` with a spend model) per
        customer; its index names the customers. Its ``attrs`` (from
        :func:`custometrics.summarize`) give the time unit, scale and the end of the period.
    spend_model : GammaGammaModel, optional
        Adds ``expected_spend`` and ``clv``.
    horizon : float
        Periods of the summary's unit for ``expected_purchases``.
    months, discount_rate
        Of the lifetime value (lifetimes' definition: ``months`` monthly steps of
        30 days / 4.345 weeks / 1 month divided by the unit scale, discounted per month).
    freq : {"D", "H", "W", "M"} or a unit name, optional
        The summary's unit when its ``attrs`` do not record one (default days).
    as_of : date-like, optional
        The end of the summary period when its ``attrs`` do not record one: adds
        ``next_purchase_date``.
    covariates : DataFrame, optional
        The customers' covariates (``customer_id`` column or the keys as index, one column per
        covariate, as ``fit(..., covariates=...)`` takes them) of a model fitted with them:
        each customer is scored at its own parameters (``custometrics score --covariates``).
        The summary's customers are its ``customer_id`` column, else its index. A customer
        without a covariate row raises :class:`custometrics.DataError` with ``key`` that
        customer and ``argument`` "covariates"; a model with covariates scored without them
        (or the reverse) raises :class:`custometrics.InputError` naming ``covariates``.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer: ``p_alive``, ``expected_purchases``, ``next_purchase_in``
        (median wait given alive, in periods), ``next_purchase_date`` (the day it falls on,
        NaT without an end date) and, with a spend model, ``expected_spend`` and ``clv``.

    Examples
    --------
    >>> import custometrics as cm, pandas as pd
    >>> bg = cm.BetaGeoModel().set_params(r=1.0, alpha=1.0, a=1.0, b=1.0)
    >>> s = pd.DataFrame({"frequency": [1.0], "recency": [1.0], "T": [2.0]}, index=["P"])
    >>> out = cm.score_customers(bg, s, as_of="2024-01-10")
    >>> round(float(out.loc["P", "p_alive"]), 6), str(out.loc["P", "next_purchase_date"].date())
    (0.307692, '2024-01-11')
    """
    scores, index = _scores(model, spend_model, summary, horizon, months, discount_rate, freq,
                            as_of, covariates=covariates)
    keys = index if index is not None else pd.RangeIndex(len(scores), name="customer")
    if scores.bg_bb:
        return pd.DataFrame({"p_alive": scores.p_alive,
                             "expected_purchases": scores.expected_purchases,
                             "dert": scores.dert}, index=keys)
    cols: Dict[str, Any] = {"p_alive": scores.p_alive,
                            "expected_purchases": scores.expected_purchases,
                            "next_purchase_in": scores.next_purchase_wait,
                            "next_purchase_date": _dates(scores.next_purchase_date)}
    if scores.with_spend:
        cols["expected_spend"] = scores.expected_spend
        cols["clv"] = scores.clv
    return pd.DataFrame(cols, index=keys)


def purchase_rhythm(data: Any, *, customer: Any = "customer_id", date: Any = "date",
                    amount: Any = "amount", min_purchases: int = 3, max_cv: float = 0.5,
                    max_overdue_cycles: float = 1.0) -> pd.DataFrame:
    """Each customer's own purchase rhythm and, for a regular buyer, the next purchase it says.

    The article: call a customer who buys towards the end of every month two weeks before it.
    Over the distinct days with a purchase (amount >= 0), per customer: ``mean_gap`` (days,
    (last - first) / (days - 1)), ``gap_cv`` (sample standard deviation of the gaps over their
    mean), ``regular`` (at least ``min_purchases`` days and ``gap_cv <= max_cv``, the loyalty
    types' rule), ``last_purchase`` and ``next_purchase`` (last purchase + mean gap, for a
    regular buyer at most ``max_overdue_cycles`` cycles past it at the log's last row; NaT
    otherwise). retention/rhythm.hpp documents the method; :func:`contact_list` takes the
    result as ``rhythm``.

    Parameters
    ----------
    data, customer, date, amount : see :func:`custometrics.summarize`
    min_purchases : int, default 3
        Purchase days a rhythm needs (at least 3: a coefficient of variation needs two gaps).
    max_cv : float, default 0.5
        Regular: coefficient of variation of the gaps at most this.
    max_overdue_cycles : float, default 1
        A regular buyer further past their own date has lapsed and has no ``next_purchase``.

    Returns
    -------
    pandas.DataFrame
        One row per customer key: ``purchase_days``, ``mean_gap``, ``gap_cv``, ``regular``
        (bool), ``last_purchase``, ``next_purchase``.

    Examples
    --------
    >>> import pandas as pd
    >>> import custometrics as cm
    >>> log = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "B"],
    ...                     "date": ["2024-01-01", "2024-01-31", "2024-03-01",
    ...                              "2024-02-01", "2024-03-01"],
    ...                     "amount": [10.0, 10.0, 10.0, 20.0, 20.0]})
    >>> r = cm.purchase_rhythm(log)
    >>> r.loc["A", "next_purchase"], bool(r.loc["B", "regular"])
    (Timestamp('2024-03-31 00:00:00'), False)
    """
    table = Table(data)
    customer_name, keys = table.keys(customer, "customer")
    _, ticks, ticks_per_second = table.times(date, "date")
    options = _core.RhythmOptions(min_purchases=min_purchases, max_cv=max_cv,
                                  max_overdue_cycles=max_overdue_cycles)
    keys_out, raw = _core.purchase_rhythm(
        customer=keys, time=ticks, ticks_per_second=ticks_per_second,
        amount=table.floats(amount, "amount"), customer_column=customer_name, options=options)
    return pd.DataFrame({
        "purchase_days": raw.purchase_days, "mean_gap": raw.mean_gap, "gap_cv": raw.gap_cv,
        "regular": raw.regular.astype(bool),  # the dates to the second, as the CLI uses them
        "last_purchase": raw.last_purchase.astype("datetime64[s]"),
        "next_purchase": raw.next_purchase.astype("datetime64[s]")},
        index=key_index(keys_out, customer_name))


def contact_list(model: _PurchaseModel, spend_model: GammaGammaModel, summary: Any, *,
                 within: float = 30.0, lead_time: float = 14.0, months: int = 12,
                 discount_rate: float = 0.01, freq: Optional[str] = None, as_of: Any = None,
                 top: Optional[int] = None, rhythm: Optional[pd.DataFrame] = None,
                 timing: str = "model", covariates: Any = None) -> pd.DataFrame:
    """Customers to call before their next purchase, ranked by lifetime value.

    The core's contact list, the same as ``custometrics contacts``: a customer is listed when
    the median wait to their next purchase, given that they are alive
    (:meth:`BetaGeoModel.next_purchase_time`), is at most ``within`` **days** after the end of
    the period; the call falls ``lead_time`` **days** before it (not before the end of the
    period). Both are converted to the summary's periods with its unit (weeks: 7 days; months:
    30.4375 days; times the unit scale). The value at risk is the lifetime value over
    ``months`` (:meth:`GammaGammaModel.customer_lifetime_value`), which is already weighted by
    P(alive): customers who have probably left rank low, valuable ones who are still buying
    high.

    Until 0.1.0 ``within`` and ``lead_time`` were in the summary's unit, so with weeks a
    window of 30 meant 30 weeks; they are days now, as in the CLI (``--within-days``,
    ``--lead-days``).

    Parameters
    ----------
    model : BetaGeoModel, ModifiedBetaGeoModel or ParetoNBDModel
    spend_model : GammaGammaModel
    summary : DataFrame
        ``frequency``, ``recency``, ``T`` and ``monetary_value`` per customer (as from
        :func:`custometrics.summarize`, whose ``attrs`` give the unit, scale and end date); its
        index names the customers.
    within, lead_time : float
        Days (30 and 14).
    months, discount_rate
        Of the lifetime value, as :meth:`GammaGammaModel.customer_lifetime_value`.
    freq : {"D", "H", "W", "M"}, optional
        The summary's unit when its ``attrs`` do not record one (default days).
    as_of : date-like, optional
        The end of the summary period when its ``attrs`` do not record one: adds
        ``call_date`` and ``next_purchase_date``.
    top : int, optional
        At most this many rows; None or 0: all of them (as ``custometrics contacts --top 0``).
    rhythm : DataFrame, optional
        :func:`purchase_rhythm` of the customers' log (as ``contacts --log``): adds each
        listed customer's own-rhythm date and the days until it is due beside the model's.
    timing : {"model", "rhythm"}
        Time the calls by the purchase model (default) or, for the customers with an
        own-rhythm date, by it (an overdue regular buyer is due now; ``--timing rhythm``).
    covariates : DataFrame, optional
        The customers' covariates of a model fitted with them, as :func:`score_customers`.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer, highest value first: ``next_purchase_in``, ``call_in`` (in the
        summary's periods), ``p_alive``, ``clv`` (and, with an end date, ``call_date`` and
        ``next_purchase_date``: the days on which they fall); with ``rhythm`` also ``timing``
        (which date the call is planned on), ``rhythm_date`` and ``due_days`` (negative:
        overdue).
    """
    scores, index = _scores(model, spend_model, summary, 30.0, months, discount_rate, freq,
                            as_of, contacts=True, covariates=covariates)
    if top is not None and int(top) < 0:
        raise _core.InputError(f"top: must be >= 0, got {top}")
    # The core's rule, as the CLI's --top: at most `top` rows, 0 (or None) for all of them.
    dates = None
    if rhythm is not None:  # the own-rhythm date of each summary customer, by key (NaT: none)
        own = rhythm["next_purchase"].reindex(index if index is not None else [])
        dates = own.to_numpy("datetime64[s]").astype(np.int64)
    plan = _core.retention_contact_list(scores, float(within), float(lead_time),
                                        0 if top is None else int(top), dates, str(timing))
    c = plan.columns
    who = c.customer.astype(np.int64)
    keys = index[who] if index is not None else pd.Index(who, name="customer")
    out = pd.DataFrame({"next_purchase_in": c.next_purchase, "call_in": c.call_at,
                        "p_alive": c.p_alive, "clv": c.clv}, index=keys)
    if len(scores) and scores.analysis_date[0] != np.iinfo(np.int64).min:
        out["call_date"] = _dates(c.call_date)
        out["next_purchase_date"] = _dates(c.next_purchase_date)
    if rhythm is not None:
        out["timing"] = np.array(c.timing, dtype=object)
        out["rhythm_date"], out["due_days"] = _dates(c.rhythm_date), c.due_days
    return out


@result_display
@dataclass(frozen=True)
class RetentionScenario:
    """Lifetime value and customer-base value at one retention rate."""

    retention_rate: float
    lifetime_value: float
    base_value: float
    steady_state_customers: Optional[float]
    steady_state_profit: Optional[float]


@result_display
@dataclass(frozen=True)
class RetentionEconomics:
    """A retention rate before and after a change, with relative changes (after/before - 1,
    None where the before value is 0 or not defined)."""

    before: RetentionScenario
    after: RetentionScenario
    lifetime_value_change: Optional[float]
    base_value_change: Optional[float]
    steady_state_profit_change: Optional[float]


def retention_economics(margin: float, retention_rate: float, discount_rate: float,
                        points: float = 5.0, *, customers: float = 0.0,
                        new_customers: float = 0.0, acquisition_cost: float = 0.0,
                        timing: str = "start") -> RetentionEconomics:
    """What ``points`` percentage points more retention do to lifetime value and profit.

    A customer brings ``margin`` per period and stays with probability ``retention_rate``;
    cash flows are discounted at ``discount_rate`` per period. The lifetime value is
    m (1 + d)/(1 + d - r) with the margin at the start of each period (``timing="start"``),
    or m r/(1 + d - r) at its end (Gupta & Lehmann 2003's margin multiple). Today's
    ``customers`` and a flow of ``new_customers`` per period at ``acquisition_cost`` each give
    the value of the customer base and its steady-state profit per period (Reichheld & Sasser
    1990's "5% more retention" question).

    Examples
    --------
    >>> import custometrics as cm
    >>> e = cm.retention_economics(100, 0.8, 0.1, 5, customers=10000)
    >>> round(e.before.lifetime_value, 2), round(e.after.lifetime_value, 2)
    (366.67, 440.0)
    >>> round(e.lifetime_value_change, 4)
    0.2
    """
    c = _core.retention_uplift(float(margin), float(retention_rate), float(discount_rate),
                               float(points), float(customers), float(new_customers),
                               float(acquisition_cost), str(timing))

    def scenario(s: Any) -> RetentionScenario:
        return RetentionScenario(s.retention_rate, s.lifetime_value, s.base_value,
                                 s.steady_state_customers, s.steady_state_profit)

    return RetentionEconomics(before=scenario(c.before), after=scenario(c.after),
                              lifetime_value_change=c.lifetime_value_change,
                              base_value_change=c.base_value_change,
                              steady_state_profit_change=c.steady_state_profit_change)
