"""lifetimes 0.11 names over custometrics: change the import line, keep the notebook.

``from custometrics.lifetimes_compat import BetaGeoFitter, GammaGammaFitter,
summary_data_from_transaction_data`` in place of the ``lifetimes`` imports runs a lifetimes
notebook on the custometrics core: the same class, method and argument names, the same
column names and return types (a pandas Series where lifetimes returns one, an array or a
number where it does), and the same numbers (the test suite runs lifetimes' quickstart both
ways and compares every result). Included:

- :class:`BetaGeoFitter`, :class:`ModifiedBetaGeoFitter`, :class:`ParetoNBDFitter` and
  :class:`GammaGammaFitter`: subclasses of :class:`custometrics.BetaGeoModel`,
  :class:`~custometrics.ModifiedBetaGeoModel`, :class:`~custometrics.ParetoNBDModel` and
  :class:`~custometrics.GammaGammaModel` that take lifetimes' ``fit`` arguments and add its
  attributes (``data``, ``confidence_intervals_``) and methods (``save_model``,
  ``load_model``); every custometrics method (``to_json``, ``next_purchase_time``, ...) is
  still there.
- :func:`summary_data_from_transaction_data` and :func:`calibration_and_holdout_data`: lifetimes'
  arguments and output columns (only those), computed by :func:`custometrics.summarize`.

Where lifetimes and custometrics differ, this module follows lifetimes:

- negative amounts (returns) are summed into their period, as lifetimes does (custometrics'
  ``summarize`` leaves them out of the purchase periods by default); rows after the period of
  the observation end are dropped silently; dates are parsed by ``pandas.to_datetime`` with
  ``datetime_format``, as lifetimes parses them (custometrics parses ISO 8601 strictly), but
  the first purchase is the earliest one (lifetimes sorts the date text before parsing it, so
  with day-first text its "first" purchase, left out of ``monetary_value``, may not be);
- customers with T = 0 (first purchase at the end of the period, so frequency = recency = 0),
  which custometrics' models refuse, are accepted: they are evaluated at T = 1e-300, which is
  T = 0 to double precision in every formula (alpha + T == alpha), so their log-likelihood is 0
  as in lifetimes and their predictions are lifetimes' values at T = 0;
- ``ParetoNBDFitter``'s ``penalizer_coef`` is lifetimes' (its objective divides the sum by the
  mean weight, not the total: the core gets c / n);
- ``initial_params`` are lifetimes' (log-parameters with alpha in units of the largest T for
  the BG models, natural parameters in those units for Pareto/NBD, log-parameters for
  Gamma-Gamma);
- the monetary value must be positive for ``GammaGammaFitter.fit``, as in lifetimes.

What differs, by design:

- the fit is the core's L-BFGS with analytic gradients, which converges to lifetimes' maximum
  (BG/NBD and Gamma-Gamma parameters agree to 1e-6 on CDNOW) or to a higher likelihood
  (lifetimes' Pareto/NBD stops early with Nelder-Mead); ``tol`` (default: the core's 1e-9) is
  the core's gradient tolerance, ``maxiter`` its iteration limit, ``verbose`` prints the fit
  report. ``ParetoNBDFitter`` also has standard errors (lifetimes' has none).
- ``save_model``/``load_model`` write and read the core's fitted-model JSON (parameters and fit
  statistics, the form ``custometrics fit --out`` writes), not a dill pickle: ``data`` is not
  saved, and lifetimes' pickles cannot be read.
- ``ModifiedBetaGeoFitter.conditional_probability_alive_matrix``: the frequency-0 column holds
  P(alive) at recency 0 in every row (a customer without repeat purchases has recency 0, as in
  BG/NBD's matrix); lifetimes evaluates its formula at the impossible (0, recency > 0).
- a non-integer frequency raises :class:`custometrics.DataError` (lifetimes' BG fitters
  truncate it silently); a Gamma-Gamma customer without a repeat purchase is left out of the
  fit with a warning (lifetimes' likelihood is NaN there).

Not supported, and an error naming the argument (:class:`custometrics.InputError`) rather than
ignored: ``freq="M"`` and ``"H"``/``"h"`` in the summary functions (lifetimes measures months
as 30.437 days and counts hourly periods; custometrics' summary counts whole days, weeks or
months), the scipy options ``fit_method`` (other than the default), ``iterative_fitting`` > 1,
``q_constraint=True``, ``values_to_save`` and any other scipy option in ``**kwargs``.

lifetimes' plots: ``from custometrics.lifetimes_compat.plotting import
plot_frequency_recency_matrix`` (and the others of ``lifetimes.plotting``) gives
:mod:`custometrics.plot`, where they are, under lifetimes' names.

Examples
--------
>>> from custometrics.lifetimes_compat import BetaGeoFitter
>>> bgf = BetaGeoFitter(penalizer_coef=0.0)
>>> _ = bgf.fit([2, 1, 0, 0], [30.43, 1.71, 0.0, 0.0], [38.86, 38.86, 38.86, 38.86])
>>> sorted(bgf.params_.index)
['a', 'alpha', 'b', 'r']
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import input_error
from . import plot as plotting
from .retention import (BetaGeoModel, GammaGammaModel, GGompertzNBDModel, ModifiedBetaGeoModel,
                        ParetoNBDModel)
from .summary import summarize

# lifetimes' module layout: ``lifetimes.plotting`` -> ``custometrics.lifetimes_compat.plotting``
# (the module custometrics.plot itself), importable with ``import ... .plotting`` too.
sys.modules[__name__ + ".plotting"] = plotting

__all__ = [
    "BetaGeoFitter", "ModifiedBetaGeoFitter", "ParetoNBDFitter", "GGompertzNBDFitter",
    "GammaGammaFitter",
    "summary_data_from_transaction_data", "calibration_and_holdout_data",
]


def _unsupported(argument: str, reason: str, value: Any = None) -> "_core.InputError":
    """An :class:`custometrics.InputError` naming ``argument``."""
    e = _core.InputError(f"{argument}: {reason}")
    e.argument, e.row, e.key, e.column = argument, None, None, None
    e.value = None if value is None else str(value)
    return e


def _fit_options(kwargs: Dict[str, Any], verbose: bool, maxiter: Optional[int],
                 tol: Optional[float]) -> Tuple[bool, Dict[str, Any]]:
    """The core's fit options from lifetimes' scipy options: ``disp`` is ``verbose``,
    ``maxiter`` the iteration limit; any other option raises naming it."""
    kwargs = dict(kwargs)
    verbose = bool(verbose or kwargs.pop("disp", False))
    if "maxiter" in kwargs:
        maxiter = kwargs.pop("maxiter")
    if kwargs:
        name = sorted(kwargs)[0]
        raise _unsupported(name, "a scipy.optimize option that custometrics' fit (L-BFGS in the "
                           "core) does not have; supported: tol, maxiter, disp, verbose",
                           kwargs[name])
    options: Dict[str, Any] = {}
    if maxiter is not None:
        options["max_iterations"] = int(maxiter)
    if tol is not None:
        options["tol"] = float(tol)
    return verbose, options


def _out(values: np.ndarray, inputs: Sequence[Any]) -> Any:
    """``values`` shaped as lifetimes returns them for these inputs: a Series on the index of
    the first Series input, a numpy float for scalars, else an array."""
    for v in inputs:
        if isinstance(v, pd.Series):
            return pd.Series(values, index=v.index)
    if all(np.ndim(v) == 0 for v in inputs):
        return np.float64(values[0])
    return values.reshape(np.broadcast_shapes(*(np.shape(v) for v in inputs)))


def _flat(*columns: Any) -> Tuple[np.ndarray, ...]:
    """The columns as equally long 1-d float arrays (broadcast, as lifetimes' arithmetic)."""
    arrays = [np.asarray(c.to_numpy() if isinstance(c, pd.Series) else c, dtype=np.float64)
              for c in columns]
    return tuple(np.ascontiguousarray(a.ravel()) for a in np.broadcast_arrays(*arrays))


# lifetimes accepts customers of age T = 0 (first purchase at the end of the period, so
# frequency = recency = 0), which the core refuses. Every formula uses T only as alpha + T (and
# beta + T), where 1e-300 vanishes in double precision (alpha > 1e-280), so the core evaluated
# at T = 1e-300 gives lifetimes' value at T = 0 exactly: a log-likelihood of 0 (such a customer
# contributes nothing to the fit, as in lifetimes), P(alive) and the conditional expectation of a
# new customer.
_T_ZERO = 1e-300


def _age(T: np.ndarray) -> np.ndarray:
    """T with 0 replaced by :data:`_T_ZERO`."""
    return np.where(T == 0, _T_ZERO, T)


class _LifetimesFitter:
    """What the four lifetimes fitters share: ``data``, confidence intervals, repr and the
    JSON form of ``save_model``/``load_model``."""

    params_: Any
    standard_errors_: Any
    data: pd.DataFrame

    @property
    def confidence_intervals_(self) -> pd.DataFrame:
        """95% bounds of the parameters (coef -+ 1.96 se), as lifetimes'."""
        s = self.summary  # type: ignore[attr-defined]
        return s[["lower 95% bound", "upper 95% bound"]]

    def __repr__(self) -> str:
        name = f"custometrics.lifetimes_compat.{type(self).__name__}"
        if getattr(self, "params_", None) is None:
            return f"<{name}>"
        subjects = f" fitted with {self.data.shape[0]:d} subjects," if hasattr(self, "data") \
            else ""
        params = ", ".join(f"{k}: {v:.2f}" for k, v in sorted(self.params_.items()))
        return f"<{name}:{subjects} {params}>"

    def save_model(self, path: Union[str, "os.PathLike[str]"], save_data: bool = True,
                   save_generate_data_method: bool = True,
                   values_to_save: Optional[Sequence[Any]] = None) -> None:
        """Writes the model as the core's fitted-model JSON (:meth:`to_json`) to ``path``.

        The JSON holds the parameters and the fit statistics, not ``data`` nor a data
        generator, so ``save_data`` and ``save_generate_data_method`` change nothing;
        ``values_to_save`` (attributes replaced in lifetimes' pickle) raises
        :class:`custometrics.InputError`.

        Examples
        --------
        >>> import os, tempfile
        >>> from custometrics.lifetimes_compat import BetaGeoFitter
        >>> bgf = BetaGeoFitter().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> path = os.path.join(tempfile.mkdtemp(), "bgf.json")
        >>> bgf.save_model(path)
        >>> other = BetaGeoFitter()
        >>> other.load_model(path)
        >>> other.params_.equals(bgf.params_)
        True
        """
        if values_to_save is not None:
            raise _unsupported("values_to_save", "the JSON form holds the parameters and the "
                               "fit only; there are no pickled attributes to replace")
        self.save(path)  # type: ignore[attr-defined]

    def load_model(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Reads a model written by :meth:`save_model` (or ``custometrics fit --out``) into this
        fitter, in place as lifetimes does. A lifetimes (dill) pickle cannot be read: refit
        the model, or save its ``params_`` and use ``set_params``."""
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            raise _unsupported("path", "not a custometrics model JSON (lifetimes' dill pickles "
                               "cannot be read: refit, or set_params(**params_))",
                               os.fspath(path)) from None
        loaded = type(self).from_json(text, os.fspath(path))  # type: ignore[attr-defined]
        self.__dict__.update(loaded.__dict__)
        self.__dict__.pop("data", None)


class _PurchaseFitter(_LifetimesFitter):
    """lifetimes' fit signature and return types over a custometrics purchase model."""

    _scaled = (1,)  # positions of the parameters lifetimes fits in units of the largest T
    _log_start = True  # lifetimes' initial_params are log-parameters
    _per_row_penalty = False  # Pareto/NBD: lifetimes divides by the mean weight

    def fit(self, frequency: Any, recency: Any, T: Any, weights: Any = None,
            initial_params: Any = None, verbose: bool = False, tol: Optional[float] = None,
            index: Any = None, **kwargs: Any) -> Any:
        """Fits the model (BG/NBD, MBG/NBD) by maximum likelihood, with lifetimes' arguments.

        Parameters
        ----------
        frequency, recency, T : array-like
            Repeat purchases, age at the last purchase, age at the end of the period.
        weights : array-like, optional
            Customers per row.
        initial_params : array-like, optional
            lifetimes' start: log(r), log(alpha / max T), log(a), log(b).
        verbose : bool
            Print the fit report.
        tol : float, optional
            The core's gradient tolerance (default 1e-9; lifetimes' 1e-7 is scipy's).
        index : array-like, optional
            Index of ``data``.
        **kwargs
            ``maxiter`` (iterations) and ``disp`` (as ``verbose``); other scipy options
            raise :class:`custometrics.InputError`.

        Returns
        -------
        self
            With ``params_``, ``summary``, ``standard_errors_``, ``variance_matrix_``,
            ``confidence_intervals_``, ``data`` and the custometrics fit statistics.
        """
        return self._fit(frequency, recency, T, weights, initial_params, verbose, tol, index,
                         None, kwargs)

    def _fit(self, frequency: Any, recency: Any, T: Any, weights: Any, initial_params: Any,
             verbose: bool, tol: Optional[float], index: Any, maxiter: Optional[int],
             kwargs: Dict[str, Any]) -> Any:
        verbose, options = _fit_options(kwargs, verbose, maxiter, tol)
        x, tx, t = _flat(frequency, recency, T)
        w = np.ones_like(x) if weights is None else _flat(weights)[0]
        if w.size != x.size:
            raise _unsupported("weights", f"has {w.size} values, frequency has {x.size}")
        init = None
        if initial_params is not None:
            init = np.asarray(initial_params, dtype=np.float64).copy()
            if self._log_start:
                init = np.exp(init)
            largest = float(t.max()) if t.size else 1.0
            for j in self._scaled:
                init[j] *= largest
        penalizer = self.penalizer_coef
        if self._per_row_penalty:  # lifetimes: -sum / mean weight + c P = n (-sum / W + c/n P)
            penalizer /= x.size
        given = self.penalizer_coef
        self.penalizer_coef = penalizer
        try:
            super().fit(x, tx, _age(t), None if weights is None else w,  # type: ignore[misc]
                        initial_params=None if init is None else list(init), **options)
        finally:
            self.penalizer_coef = given
        self.data = pd.DataFrame({"frequency": self._frequency_column(frequency, x),
                                  "recency": tx, "T": t,
                                  "weights": np.ones(x.size, dtype=int) if weights is None else w},
                                 index=index)
        if verbose:
            print(self.fit_report_)  # type: ignore[attr-defined]
        return self

    @staticmethod
    def _frequency_column(frequency: Any, x: np.ndarray) -> np.ndarray:
        return x.astype(int)

    def _at(self, what: str, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        # The core's per-customer prediction of `what`; P(alive) takes no horizon.
        if what == "p_alive":
            def call(x: np.ndarray, tx: np.ndarray, age: np.ndarray, _: float) -> Any:
                return self._predict(what, _core.retention_p_alive, x, tx, age)  # type: ignore
        else:
            def call(x: np.ndarray, tx: np.ndarray, age: np.ndarray, h: float) -> Any:
                return self._predict(what, _core.retention_conditional_expected_purchases,  # type: ignore
                                     x, tx, age, h)
        if np.ndim(t) == 0:
            x, tx, age = _flat(frequency, recency, T)
            return np.asarray(call(x, tx, _age(age), float(t)))
        ts, x, tx, age = _flat(t, frequency, recency, T)
        out = np.empty_like(ts)
        for v in np.unique(ts):
            m = ts == v
            out[m] = call(x[m], tx[m], _age(age[m]), float(v))
        return out

    def conditional_probability_alive(self, frequency: Any, recency: Any,
                                      T: Any) -> Any:
        """P(alive) of customers with history (frequency, recency, T), as lifetimes'
        (an array for the BG models, the input's shape for Pareto/NBD)."""
        values = self._at("p_alive", 0.0, frequency, recency, T)
        return np.atleast_1d(_out(values, (frequency, recency, T)))

    def conditional_expected_number_of_purchases_up_to_time(self, t: Any, frequency: Any,
                                                            recency: Any, T: Any) -> Any:
        """Expected repeat purchases in the next ``t`` periods given (frequency, recency, T);
        a Series for Series input, as lifetimes'."""
        values = self._at("conditional_expected_purchases", t, frequency, recency, T)
        return _out(values, (t, frequency, recency, T))

    def predict(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Alias of :meth:`conditional_expected_number_of_purchases_up_to_time`."""
        return self.conditional_expected_number_of_purchases_up_to_time(t, frequency, recency, T)

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        """E[X(t)] of a new customer; the type of ``t`` (number, array or Series)."""
        values = np.asarray(super().expected_number_of_purchases_up_to_time(  # type: ignore
            _flat(t)[0]))
        return _out(values, (t,))

    def conditional_probability_alive_matrix(self, max_frequency: Optional[int] = None,
                                             max_recency: Optional[int] = None) -> np.ndarray:
        """P(alive) over recency (rows) x frequency (columns) at T = max_recency; the
        defaults are the largest frequency and T of the fitted data, as lifetimes'."""
        max_frequency = max_frequency or int(self.data["frequency"].max())
        max_recency = max_recency or int(self.data["T"].max())
        return super().conditional_probability_alive_matrix(  # type: ignore[misc]
            int(max_frequency), int(max_recency))


class BetaGeoFitter(_PurchaseFitter, BetaGeoModel):
    """lifetimes' ``BetaGeoFitter`` (BG/NBD) over :class:`custometrics.BetaGeoModel`.

    Parameters
    ----------
    penalizer_coef : float, default 0
        lifetimes' L2 penalty on the parameters (r, alpha in units of the largest T, a, b).

    Examples
    --------
    >>> from custometrics.lifetimes_compat import BetaGeoFitter
    >>> bgf = BetaGeoFitter().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> bgf.conditional_probability_alive(2, 30.43, 38.86).round(4)
    array([0.7266])
    """


class ModifiedBetaGeoFitter(_PurchaseFitter, ModifiedBetaGeoModel):
    """lifetimes' ``ModifiedBetaGeoFitter`` (MBG/NBD) over
    :class:`custometrics.ModifiedBetaGeoModel`; arguments as :class:`BetaGeoFitter`.

    Examples
    --------
    >>> from custometrics.lifetimes_compat import ModifiedBetaGeoFitter
    >>> m = ModifiedBetaGeoFitter().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> list(m.params_.index)
    ['r', 'alpha', 'a', 'b']
    """


class ParetoNBDFitter(_PurchaseFitter, ParetoNBDModel):
    """lifetimes' ``ParetoNBDFitter`` over :class:`custometrics.ParetoNBDModel`.

    ``penalizer_coef`` is lifetimes' (its objective is the sum of log-likelihoods divided by
    the mean weight, plus the penalty).

    Examples
    --------
    >>> from custometrics.lifetimes_compat import ParetoNBDFitter
    >>> pnbd = ParetoNBDFitter().set_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
    >>> list(pnbd.params_.index)
    ['r', 'alpha', 's', 'beta']
    """

    _scaled = (1, 3)
    _log_start = False
    _per_row_penalty = True

    def fit(self, frequency: Any, recency: Any, T: Any, weights: Any = None,
            iterative_fitting: int = 1, initial_params: Any = None, verbose: bool = False,
            tol: Optional[float] = None, index: Any = None, fit_method: str = "Nelder-Mead",
            maxiter: int = 2000, **kwargs: Any) -> "ParetoNBDFitter":
        """Fits the Pareto/NBD model, with lifetimes' arguments.

        ``initial_params`` are lifetimes' (r, alpha / max T, s, beta / max T); ``maxiter`` is
        the core's iteration limit and ``tol`` its gradient tolerance (default 1e-9).
        ``iterative_fitting`` (random restarts) and ``fit_method`` (scipy's method) choose
        lifetimes' optimizer; the core's L-BFGS needs neither, so only their defaults (1,
        "Nelder-Mead") are accepted, and other values raise :class:`custometrics.InputError`.
        The other arguments are :meth:`BetaGeoFitter.fit`'s.
        """
        if iterative_fitting != 1:
            raise _unsupported("iterative_fitting", "random restarts of lifetimes' Nelder-Mead; "
                               "custometrics fits once by L-BFGS with analytic gradients "
                               "(leave it at 1)", iterative_fitting)
        if fit_method != "Nelder-Mead":
            raise _unsupported("fit_method", "custometrics fits by L-BFGS in the core; "
                               "scipy methods cannot be chosen", fit_method)
        return self._fit(frequency, recency, T, weights, initial_params, verbose, tol, index,
                         maxiter, kwargs)

    @staticmethod
    def _frequency_column(frequency: Any, x: np.ndarray) -> np.ndarray:
        return np.asarray(frequency).ravel()

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """P(alive), in the input's shape (a Series for Series input), as lifetimes'."""
        values = self._at("p_alive", 0.0, frequency, recency, T)
        return _out(values, (frequency, recency, T))

    def conditional_probability_of_n_purchases_up_to_time(self, n: Any, t: Any, frequency: Any,
                                                          recency: Any, T: Any) -> Any:
        """Not in custometrics: raises :class:`custometrics.InputError`."""
        raise _unsupported("conditional_probability_of_n_purchases_up_to_time",
                           "not available in custometrics (the unconditional "
                           "probability_of_n_purchases_up_to_time is)")


class GGompertzNBDFitter(_PurchaseFitter, GGompertzNBDModel):
    """A lifetimes-style fitter over :class:`custometrics.GGompertzNBDModel` (lifetimes has no
    GGompertz/NBD; the signature is :class:`BetaGeoFitter`'s).

    ``initial_params`` are the natural parameters (r, alpha, b, s, beta) in the input's time
    unit; the penalty is fit.hpp's (BG/NBD's).

    Examples
    --------
    >>> from custometrics.lifetimes_compat import GGompertzNBDFitter
    >>> g = GGompertzNBDFitter().set_params(r=0.597, alpha=11.58, b=2.45e-5, s=0.523,
    ...                                     beta=2.17e-4)
    >>> list(g.params_.index)
    ['r', 'alpha', 'b', 's', 'beta']
    """

    _scaled = ()
    _log_start = False


class GammaGammaFitter(_LifetimesFitter, GammaGammaModel):
    """lifetimes' ``GammaGammaFitter`` over :class:`custometrics.GammaGammaModel`.

    Examples
    --------
    >>> from custometrics.lifetimes_compat import GammaGammaFitter
    >>> ggf = GammaGammaFitter().set_params(p=6.25, q=3.74, v=15.44)
    >>> round(float(ggf.conditional_expected_average_profit(2, 22.35)), 4)
    24.6637
    """

    def fit(self, frequency: Any, monetary_value: Any, weights: Any = None,
            initial_params: Any = None, verbose: bool = False, tol: Optional[float] = None,
            index: Any = None, q_constraint: bool = False, **kwargs: Any) -> "GammaGammaFitter":
        """Fits the Gamma-Gamma model, with lifetimes' arguments.

        ``initial_params`` are lifetimes' log(p), log(q), log(v); a monetary value <= 0 raises
        :class:`custometrics.InputError` as lifetimes' check does; ``q_constraint=True``
        (lifetimes bounds q below) raises it too. The other arguments are
        :meth:`BetaGeoFitter.fit`'s.
        """
        if q_constraint:
            raise _unsupported("q_constraint", "custometrics' Gamma-Gamma fit has no bound on q",
                               q_constraint)
        verbose, options = _fit_options(kwargs, verbose, None, tol)
        x, m = _flat(frequency, monetary_value)
        if np.any(m <= 0):
            i = int(np.flatnonzero(m <= 0)[0])
            raise _unsupported("monetary_value", "There exist non-positive (<= 0) values in "
                               f"the monetary_value vector (position {i})", m[i])
        w = np.ones_like(x) if weights is None else _flat(weights)[0]
        init = None if initial_params is None else list(np.exp(np.asarray(initial_params,
                                                                           dtype=np.float64)))
        GammaGammaModel.fit(self, x, m, None if weights is None else w, initial_params=init,
                            **options)
        self.data = pd.DataFrame({"monetary_value": m, "frequency": x,
                                  "weights": np.ones(x.size, dtype=int) if weights is None
                                  else w}, index=index)
        if verbose:
            print(self.fit_report_)
        return self

    def conditional_expected_average_profit(self, frequency: Any = None,
                                            monetary_value: Any = None) -> Any:
        """E[spend per purchase | frequency, monetary value]; the fitted data by default."""
        if monetary_value is None:
            monetary_value = self.data["monetary_value"]
        if frequency is None:
            frequency = self.data["frequency"]
        x, m = _flat(frequency, monetary_value)
        values = np.asarray(GammaGammaModel.conditional_expected_average_profit(self, x, m))
        return _out(values, (frequency, monetary_value))

    def customer_lifetime_value(self, transaction_prediction_model: Any, frequency: Any,
                                recency: Any, T: Any, monetary_value: Any, time: float = 12,
                                discount_rate: float = 0.01, freq: str = "D") -> pd.Series:
        """Discounted lifetime value over ``time`` months, as lifetimes': a Series named
        "clv" on the index of ``frequency`` (see
        :meth:`custometrics.GammaGammaModel.customer_lifetime_value`)."""
        x, tx, t, m = _flat(frequency, recency, T, monetary_value)
        values = np.asarray(GammaGammaModel.customer_lifetime_value(
            self, transaction_prediction_model, x, tx, t, m, time, discount_rate, freq))
        index = frequency.index if isinstance(frequency, pd.Series) else None
        return pd.Series(values, index=index, name="clv")


_UNITS = {"D": "days", "W": "weeks"}


def _time_unit(freq: str) -> str:
    unit = _UNITS.get(freq)
    if unit is None:
        raise _unsupported("freq", "custometrics' summary counts purchases per day ('D') or "
                           "week ('W') here; lifetimes' 'M' (months of 30.437 days) and "
                           "'H'/'h' (hours) have no custometrics equivalent", freq)
    return unit


def _parsed(transactions: Any, customer_id_col: str, datetime_col: str,
            monetary_value_col: Optional[str], datetime_format: Optional[str]) -> pd.DataFrame:
    """The columns lifetimes reads, dates parsed as lifetimes parses them, and an amount of 1
    per row when there is no monetary value."""
    cols = [customer_id_col, datetime_col] + ([monetary_value_col] if monetary_value_col else [])
    missing = [c for c in cols if c not in transactions.columns]
    if missing:
        arg = {customer_id_col: "customer_id_col", datetime_col: "datetime_col"}.get(
            missing[0], "monetary_value_col")
        raise _unsupported(arg, f"column {missing[0]!r} not found; available columns: "
                           + ", ".join(repr(c) for c in transactions.columns), missing[0])
    out = pd.DataFrame({
        "customer": transactions[customer_id_col].to_numpy(),
        "date": pd.to_datetime(transactions[datetime_col], format=datetime_format).to_numpy(),
        "amount": (transactions[monetary_value_col].to_numpy(dtype=np.float64)
                   if monetary_value_col else np.ones(len(transactions))),
    })
    return out


def _end(value: Any, datetime_format: Optional[str]) -> pd.Timestamp:
    return pd.to_datetime(value, format=datetime_format)


def summary_data_from_transaction_data(
        transactions: pd.DataFrame, customer_id_col: str, datetime_col: str,
        monetary_value_col: Optional[str] = None, datetime_format: Optional[str] = None,
        observation_period_end: Any = None, freq: str = "D", freq_multiplier: float = 1,
        include_first_transaction: bool = False) -> pd.DataFrame:
    """lifetimes' per-customer summary (frequency, recency, T [, monetary_value]), computed by
    :func:`custometrics.summarize`.

    Purchases are counted per period of ``freq`` ("D" days or "W" weeks, Monday to Sunday);
    ``freq_multiplier`` divides recency and T (custometrics' ``unit_scale``). As in lifetimes,
    dates are parsed with ``pandas.to_datetime(..., format=datetime_format)``, negative amounts
    are summed into their period, and rows after the period of ``observation_period_end``
    (default: the last date) are dropped.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (named ``customer_id_col``, ascending): ``frequency``,
        ``recency``, ``T`` and, with ``monetary_value_col``, ``monetary_value``, all float.

    Examples
    --------
    >>> import pandas as pd
    >>> from custometrics.lifetimes_compat import summary_data_from_transaction_data
    >>> log = pd.DataFrame({"id": [1, 1, 2], "date": ["2024-01-01", "2024-01-08", "2024-01-05"]})
    >>> summary_data_from_transaction_data(  # doctest: +NORMALIZE_WHITESPACE
    ...     log, "id", "date", observation_period_end="2024-01-15")
        frequency  recency     T
    id
    1         1.0      7.0  14.0
    2         0.0      0.0  10.0
    """
    unit = _time_unit(freq)
    log = _parsed(transactions, customer_id_col, datetime_col, monetary_value_col,
                  datetime_format)
    end = log["date"].max() if observation_period_end is None else _end(observation_period_end,
                                                                        datetime_format)
    # lifetimes keeps every row of the end's period (it compares period starts): the core gets
    # the last second of that period, which has the same period and so the same T.
    end = end.to_period(freq).end_time.floor("s")
    s = summarize(log, customer="customer", date="date", amount="amount", time_unit=unit,
                  unit_scale=float(freq_multiplier), observation_end=end, returns="net",
                  late="drop", include_first_transaction=bool(include_first_transaction))
    cols = ["frequency", "recency", "T"] + (["monetary_value"] if monetary_value_col else [])
    out = s[cols].astype(float)
    out.index.name = customer_id_col
    out.attrs = {}
    return out


def calibration_and_holdout_data(
        transactions: pd.DataFrame, customer_id_col: str, datetime_col: str,
        calibration_period_end: Any, observation_period_end: Any = None, freq: str = "D",
        freq_multiplier: float = 1, datetime_format: Optional[str] = None,
        monetary_value_col: Optional[str] = None,
        include_first_transaction: bool = False) -> pd.DataFrame:
    """lifetimes' calibration/holdout summary, computed by :func:`custometrics.summarize` with
    a calibration end.

    The calibration columns are :func:`summary_data_from_transaction_data` of the rows up to
    ``calibration_period_end`` (inclusive); the holdout counts the purchase periods
    (``frequency_holdout``) and the mean row value (``monetary_value_holdout``) of the rows
    after it up to ``observation_period_end`` (default: the last date); ``duration_holdout``
    is the periods between the two ends divided by ``freq_multiplier``. Customers first seen in
    the holdout are not rows. As lifetimes, a holdout without rows raises ``ValueError``.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (named ``customer_id_col``): ``frequency_cal``, ``recency_cal``,
        ``T_cal`` [, ``monetary_value_cal``], ``frequency_holdout`` [,
        ``monetary_value_holdout``], ``duration_holdout``.

    Examples
    --------
    >>> import pandas as pd
    >>> from custometrics.lifetimes_compat import calibration_and_holdout_data
    >>> log = pd.DataFrame({"id": [1, 1, 2, 1],
    ...                     "date": ["2024-01-01", "2024-01-08", "2024-01-05", "2024-01-20"]})
    >>> calibration_and_holdout_data(  # doctest: +NORMALIZE_WHITESPACE
    ...     log, "id", "date", "2024-01-10", "2024-01-31")
        frequency_cal  recency_cal  T_cal  frequency_holdout  duration_holdout
    id
    1             1.0          7.0    9.0                1.0              21.0
    2             0.0          0.0    5.0                0.0              21.0
    """
    unit = _time_unit(freq)
    log = _parsed(transactions, customer_id_col, datetime_col, monetary_value_col,
                  datetime_format)
    end = log["date"].max() if observation_period_end is None else _end(observation_period_end,
                                                                        datetime_format)
    cal = _end(calibration_period_end, datetime_format)
    if not ((log["date"] > cal) & (log["date"] <= end)).any():
        raise input_error("There is no data available. Check the `observation_period_end` and "
                          "`calibration_period_end` and confirm that values in `transactions` "
                          "occur prior to those dates.")
    s = summarize(log, customer="customer", date="date", amount="amount", time_unit=unit,
                  unit_scale=float(freq_multiplier), observation_end=end, calibration_end=cal,
                  returns="net", late="drop",
                  include_first_transaction=bool(include_first_transaction))
    money = bool(monetary_value_col)
    cols = (["frequency_cal", "recency_cal", "T_cal"] + (["monetary_value_cal"] if money else [])
            + ["frequency_holdout"] + (["monetary_value_holdout"] if money else [])
            + ["duration_holdout"])
    out = s[cols].astype(float)
    out.index.name = customer_id_col
    out.attrs = {}
    return out
