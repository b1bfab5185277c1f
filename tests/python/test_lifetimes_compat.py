"""custometrics.lifetimes_compat against lifetimes 0.11.3: its quickstart run both ways.

The quickstart of lifetimes' documentation (docs/Quickstart.md of lifetimes 0.11, on the CDNOW
sample and the 5,000-customer transaction log shipped with lifetimes) is one code text below,
executed once after ``from lifetimes import ...`` and once after
``from custometrics.lifetimes_compat import ...``, the only line that differs. Every value it
shows is compared: fitted parameters to 1e-5 relative (the two optimizers stop at the same
maximum a little apart: BG/NBD and Gamma-Gamma agree to about 5e-7), predictions to 1e-6
relative at the same parameters, summaries exactly (same index, columns, dtypes, values).
The plotting cells (``lifetimes.plotting``) are run both ways in test_plot.py.

Without lifetimes (numpy 2 / pandas 3: lifetimes 0.11.3 needs pandas < 2), lifetimes' side of
the quickstart is its committed record (tests/reference/lifetimes/quickstart.json.gz, made by
tests/reference/lifetimes/make_fixtures.py), and the compat side reads lifetimes' data sets from
the copies in tests/reference/lifetimes (the quickstart's ``from lifetimes.datasets import``
lines become ``from lifetimes_reference import``). The checks that call lifetimes at values
chosen here (parameters, the summaries' options) read lifetimes' answers from the record
tests/reference/lifetimes/checks.json.gz there (``recorded``); where lifetimes is installed they
call it live and check the record against it. No test here skips without lifetimes.
"""

import contextlib
import io
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest

import custometrics as cm

from lifetimes_reference import (HAVE_LIFETIMES, load_cdnow_summary, load_transaction_data,
                                 quickstart_results, recorded)

if HAVE_LIFETIMES:
    import lifetimes
    from lifetimes import utils as lifetimes_utils

LIFETIMES_IMPORTS = """
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data, calibration_and_holdout_data
"""
COMPAT_IMPORTS = """
from custometrics.lifetimes_compat import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from custometrics.lifetimes_compat import summary_data_from_transaction_data, calibration_and_holdout_data
"""

# lifetimes 0.11 docs/Quickstart.md, cell by cell; `results[...] = x` records what the
# documentation shows (a printed value or a cell's last expression).
QUICKSTART = textwrap.dedent("""
    from lifetimes.datasets import load_cdnow_summary
    data = load_cdnow_summary(index_col=[0])
    print(data.head())
    results["data.head()"] = data.head()

    bgf = BetaGeoFitter(penalizer_coef=0.0)
    bgf.fit(data['frequency'], data['recency'], data['T'])
    print(bgf)
    results["print(bgf)"] = str(bgf)
    results["bgf.summary"] = bgf.summary
    results["bgf.params_"] = bgf.params_

    t = 1
    data['predicted_purchases'] = bgf.conditional_expected_number_of_purchases_up_to_time(t, data['frequency'], data['recency'], data['T'])
    results["data.sort_values(by='predicted_purchases').tail(5)"] = data.sort_values(by='predicted_purchases').tail(5)

    from lifetimes.datasets import load_transaction_data

    transaction_data = load_transaction_data()
    print(transaction_data.head())

    summary = summary_data_from_transaction_data(transaction_data, 'id', 'date', observation_period_end='2014-12-31')
    print(summary.head())
    results["summary"] = summary

    bgf.fit(summary['frequency'], summary['recency'], summary['T'])
    results["bgf.params_ (transactions)"] = bgf.params_
    results["print(bgf) (transactions)"] = str(bgf)

    summary_cal_holdout = calibration_and_holdout_data(transaction_data, 'id', 'date',
                                            calibration_period_end='2014-09-01',
                                            observation_period_end='2014-12-31' )
    print(summary_cal_holdout.head())
    results["summary_cal_holdout"] = summary_cal_holdout

    bgf.fit(summary_cal_holdout['frequency_cal'], summary_cal_holdout['recency_cal'], summary_cal_holdout['T_cal'])
    results["bgf.params_ (calibration)"] = bgf.params_

    t = 10 #predict purchases in 10 periods
    individual = summary.iloc[20]
    # The below function is an alias to `bfg.conditional_expected_number_of_purchases_up_to_time`
    results["bgf.predict(t, individual)"] = bgf.predict(t, individual['frequency'], individual['recency'], individual['T'])

    from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

    summary_with_money_value = load_cdnow_summary_data_with_monetary_value()
    summary_with_money_value.head()
    returning_customers_summary = summary_with_money_value[summary_with_money_value['frequency']>0]

    print(returning_customers_summary.head())
    results["returning_customers_summary"] = returning_customers_summary
    results["corr"] = returning_customers_summary[['monetary_value', 'frequency']].corr()

    ggf = GammaGammaFitter(penalizer_coef = 0)
    ggf.fit(returning_customers_summary['frequency'],
            returning_customers_summary['monetary_value'])
    print(ggf)
    results["print(ggf)"] = str(ggf)
    results["ggf.params_"] = ggf.params_

    print(ggf.conditional_expected_average_profit(
            summary_with_money_value['frequency'],
            summary_with_money_value['monetary_value']
        ).head(10))
    results["conditional_expected_average_profit"] = ggf.conditional_expected_average_profit(
            summary_with_money_value['frequency'],
            summary_with_money_value['monetary_value']
        )

    print("Expected conditional average profit: %s, Average profit: %s" % (
        ggf.conditional_expected_average_profit(
            summary_with_money_value['frequency'],
            summary_with_money_value['monetary_value']
        ).mean(),
        summary_with_money_value[summary_with_money_value['frequency']>0]['monetary_value'].mean()
    ))
    results["expected conditional average profit (mean)"] = ggf.conditional_expected_average_profit(
            summary_with_money_value['frequency'],
            summary_with_money_value['monetary_value']
        ).mean()

    # refit the BG model to the summary_with_money_value dataset
    bgf.fit(summary_with_money_value['frequency'], summary_with_money_value['recency'], summary_with_money_value['T'])
    results["bgf.params_ (monetary)"] = bgf.params_

    print(ggf.customer_lifetime_value(
        bgf, #the model to use to predict the number of future transactions
        summary_with_money_value['frequency'],
        summary_with_money_value['recency'],
        summary_with_money_value['T'],
        summary_with_money_value['monetary_value'],
        time=12, # months
        discount_rate=0.01 # monthly discount rate ~ 12.7% annually
    ).head(10))
    results["customer_lifetime_value"] = ggf.customer_lifetime_value(
        bgf,
        summary_with_money_value['frequency'],
        summary_with_money_value['recency'],
        summary_with_money_value['T'],
        summary_with_money_value['monetary_value'],
        time=12,
        discount_rate=0.01
    )
""")


def run(imports, code):
    """Runs ``imports`` + ``code`` in a fresh namespace; returns its ``results`` and output."""
    namespace = {"results": {}}
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(imports + code, "<quickstart>", "exec"), namespace)
    return namespace["results"], namespace, out.getvalue()


@pytest.fixture(scope="module")
def quickstart():
    """(lifetimes' run, the compat run), each (results, namespace, output): lifetimes' live
    where it is installed, else its stored results (namespace and output None)."""
    if HAVE_LIFETIMES:
        theirs = run(LIFETIMES_IMPORTS, QUICKSTART)
        ours = run(COMPAT_IMPORTS, QUICKSTART)
    else:
        theirs = (quickstart_results(), None, None)
        ours = run(COMPAT_IMPORTS, QUICKSTART.replace("from lifetimes.datasets import",
                                                      "from lifetimes_reference import"))
    return theirs, ours


def kind(name):
    """How a result is compared: 'params', 'repr', or 'exact'; predictions otherwise."""
    if "params_" in name or name.startswith("bgf.summary"):
        return "params"
    if name.startswith("print("):
        return "repr"
    if name in ("data.head()", "summary", "summary_cal_holdout", "returning_customers_summary",
                "corr"):
        return "exact"
    return "prediction"


def rel(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def test_quickstart_runs_both_ways_with_the_same_results(quickstart):
    (theirs, _, _), (ours, _, _) = quickstart
    assert_same_quickstart(ours, theirs)


def test_the_stored_quickstart_is_lifetimes_own(quickstart):
    """The committed record shows the numbers of lifetimes' documentation, and equals lifetimes'
    live run exactly where lifetimes is installed (the fixture is not stale)."""
    stored = quickstart_results()
    assert stored["print(bgf)"] == ("<lifetimes.BetaGeoFitter: fitted with 2357 subjects, "
                                    "a: 0.79, alpha: 4.41, b: 2.43, r: 0.24>")
    np.testing.assert_allclose(stored["bgf.summary"]["coef"], [0.242593, 4.413532, 0.792886,
                                                               2.425752], atol=5e-7)
    assert stored["print(ggf)"] == ("<lifetimes.GammaGammaFitter: fitted with 946 subjects, "
                                    "p: 6.25, q: 3.74, v: 15.45>")
    assert stored["summary"].loc[2].tolist() == [6.0, 142.0, 292.0]
    if not HAVE_LIFETIMES:
        return
    (theirs, _, _), _ = quickstart
    assert list(stored) == list(theirs)
    # To 1e-10 relative, not bit for bit: lifetimes' optimiser runs on numpy and scipy, whose
    # last digits vary with the machine's vector instructions (a 13th-digit difference seen
    # between two machines); a stale record differs far more.
    for name, ref in theirs.items():
        got = stored[name]
        assert type(got) is type(ref), name
        if isinstance(ref, pd.DataFrame):
            pd.testing.assert_frame_equal(got, ref, check_exact=False, rtol=1e-10, atol=0)
        elif isinstance(ref, pd.Series):
            pd.testing.assert_series_equal(got, ref, check_exact=False, rtol=1e-10, atol=0)
        elif isinstance(ref, float):
            assert got == pytest.approx(ref, rel=1e-10, abs=0), name
        else:
            assert got == ref, name


def assert_same_quickstart(ours, theirs):
    assert list(ours) == list(theirs)
    for name, ref in theirs.items():
        got = ours[name]
        how = kind(name)
        if how == "repr":
            assert got == ref.replace("<lifetimes.", "<custometrics.lifetimes_compat."), name
            continue
        assert type(got) is type(ref), (name, type(got), type(ref))
        if isinstance(ref, (pd.Series, pd.DataFrame)):
            pd.testing.assert_index_equal(got.index, ref.index)
            if isinstance(ref, pd.DataFrame):
                pd.testing.assert_index_equal(got.columns, ref.columns)
                assert got.dtypes.equals(ref.dtypes), name
            else:
                assert got.name == ref.name and got.dtype == ref.dtype, name
        if how == "exact":
            if isinstance(ref, pd.DataFrame):
                pd.testing.assert_frame_equal(got, ref, check_exact=True)
            else:
                pd.testing.assert_series_equal(got, ref, check_exact=True)
        elif how == "params":
            assert rel(got, ref) < 1e-5, (name, got, ref)
        else:
            # Predictions from each side's own fit: the parameters differ by up to ~5e-7, which
            # moves the 12-month CLV by ~2e-6; test_predictions_equal_at_the_same_parameters
            # holds them to 1e-6 at equal parameters.
            assert rel(got, ref) < 1e-5, (name, rel(got, ref))


def test_quickstart_shows_the_documented_numbers(quickstart):
    """The compat run reproduces the values printed in lifetimes' documentation."""
    _, (ours, _, _) = quickstart
    assert ours["print(bgf)"] == ("<custometrics.lifetimes_compat.BetaGeoFitter: fitted with 2357 "
                                  "subjects, a: 0.79, alpha: 4.41, b: 2.43, r: 0.24>")
    np.testing.assert_allclose(ours["bgf.summary"]["coef"], [0.242593, 4.413532, 0.792886,
                                                             2.425752], rtol=2e-6)
    np.testing.assert_allclose(ours["bgf.summary"]["se(coef)"], [0.012557, 0.378221, 0.185719,
                                                                 0.705345], rtol=1e-4)
    top = ours["data.sort_values(by='predicted_purchases').tail(5)"]
    assert top.index.tolist() == [509, 841, 1981, 157, 1516]
    np.testing.assert_allclose(top["predicted_purchases"],
                               [0.424877, 0.474738, 0.486526, 0.662396, 0.710623], rtol=1e-5)
    assert ours["summary"].loc[2].tolist() == [6.0, 142.0, 292.0]
    assert ours["summary_cal_holdout"].loc[2].tolist() == [6.0, 142.0, 171.0, 0.0, 121.0]
    assert ours["print(ggf)"].endswith("fitted with 946 subjects, p: 6.25, q: 3.74, v: 15.45>")
    np.testing.assert_allclose(ours["conditional_expected_average_profit"].head(3),
                               [24.658619, 18.911489, 35.170981], rtol=1e-6)
    np.testing.assert_allclose(ours["customer_lifetime_value"].loc[[1, 2, 6]],
                               [140.096211, 18.943467, 1003.868107], rtol=1e-5)


# ---- predictions at equal parameters (the compat fitter's), every customer

def lifetimes_like(compat):
    """A lifetimes fitter of the same model with the compat fitter's parameters."""
    ref = getattr(lifetimes, type(compat).__name__)()
    ref.params_ = compat.params_.copy()
    if hasattr(ref, "conditional_expected_number_of_purchases_up_to_time"):
        ref.predict = ref.conditional_expected_number_of_purchases_up_to_time
    return ref


def same(got, ref, rtol=1e-6):
    assert type(got) is type(ref), (type(got), type(ref))
    if isinstance(ref, pd.Series):
        pd.testing.assert_index_equal(got.index, ref.index)
        assert got.name == ref.name
    assert np.shape(got) == np.shape(ref)
    assert rel(got, ref) < rtol, rel(got, ref)


def at_recorded_params(ns, name, *data):
    """The compat fitter ``name`` fitted on ``data``, then set to the parameters the record
    holds for that fit (so lifetimes' recorded answers are at the very same numbers)."""
    fitted = ns[name]().fit(*data)
    params = recorded(f"{name} params {len(data[0])}", lambda: dict(fitted.params_),
                      compare=False)
    assert rel(list(params.values()), fitted.params_) < 1e-6  # the fit has not moved
    return ns[name]().set_params(**params)


def prediction_values(model, x, tx, T):
    """What a purchase fitter predicts for the calibration summary: one code for both sides
    (series over every customer; arrays over every 5th and those of age 0, to keep the record
    small)."""
    ts = np.array([1.0, 10.0, 100.0])
    some = (np.arange(len(x)) % 5 == 0) | (T.to_numpy() == 0)
    xa, txa, Ta = (v.to_numpy()[some] for v in (x, tx, T))
    out = {
        "p_alive": model.conditional_probability_alive(x, tx, T),
        "predict 10": model.predict(10, x, tx, T),
        "p_alive numpy": model.conditional_probability_alive(xa, txa, Ta),
        "p_alive scalar": model.conditional_probability_alive(2, 30.0, 40.0),
        "predict scalar": model.predict(10, 2.0, 30.0, 40.0),
        "predict times": model.predict(ts, 2.0, 30.0, 40.0),
        "expected times": model.expected_number_of_purchases_up_to_time(ts),
        "expected scalar": model.expected_number_of_purchases_up_to_time(10.0),
    }
    for t in (1, 10.0, 121):
        out[f"conditional numpy {t}"] = model.conditional_expected_number_of_purchases_up_to_time(
            t, xa, txa, Ta)
    if type(model).__name__ != "ParetoNBDFitter":  # lifetimes' matrix needs its fitted data
        out["matrix"] = model.conditional_probability_alive_matrix(10, 50)
    return out


@pytest.mark.parametrize("name", ["BetaGeoFitter", "ModifiedBetaGeoFitter", "ParetoNBDFitter"])
def test_predictions_equal_at_the_same_parameters(quickstart, name):
    _, (_, ns, _) = quickstart
    cal = ns["summary_cal_holdout"]  # has a customer with T_cal = 0 (id 394)
    assert ((cal["T_cal"] == 0) & (cal["frequency_cal"] == 0)).sum() >= 1
    x, tx, T = cal["frequency_cal"], cal["recency_cal"], cal["T_cal"]
    ours = at_recorded_params(ns, name, x, tx, T)
    got = prediction_values(ours, x, tx, T)
    ref = recorded(f"{name} predictions",
                   lambda: prediction_values(lifetimes_like(ours), x, tx, T))
    assert list(got) == list(ref)
    for key in ref:
        if key != "matrix":
            same(got[key], ref[key])
    if "matrix" in ref:
        m_ours, m_ref = got["matrix"], ref["matrix"]
        assert m_ours.shape == m_ref.shape == (51, 11)
        # Frequency 0 with recency > 0 cannot occur; BG/NBD gives 1 there, lifetimes' MBG/NBD
        # evaluates its formula anyway and custometrics repeats the recency-0 value (the
        # module docstring says so): compared where a customer can be.
        cols = slice(None) if name == "BetaGeoFitter" else slice(1, None)
        assert rel(m_ours[:, cols], m_ref[:, cols]) < 1e-6
        assert rel(m_ours[:, 0], m_ref[0, 0]) < 1e-6


@pytest.mark.parametrize("freq", ["D", "W", "M", "H"])
def test_gamma_gamma_and_clv_equal_at_the_same_parameters(quickstart, freq):
    _, (_, ns, _) = quickstart
    money = ns["summary_with_money_value"]
    buyers = ns["returning_customers_summary"]
    x, tx, T, m = (money[c] for c in ("frequency", "recency", "T", "monetary_value"))
    ggf = at_recorded_params(ns, "GammaGammaFitter", buyers["frequency"], buyers["monetary_value"])
    purchases = {name: at_recorded_params(ns, name, x, tx, T)
                 for name in ("BetaGeoFitter", "ParetoNBDFitter")}

    def values(gg, models):
        out = {"profit": gg.conditional_expected_average_profit(x, m),
               "profit scalar": gg.conditional_expected_average_profit(2, 22.35)}
        for name, model in models.items():
            out[name] = gg.customer_lifetime_value(model, x, tx, T, m, time=6, discount_rate=0.02,
                                                   freq=freq)
        return out

    got = values(ggf, purchases)
    ref = recorded(f"gamma-gamma and CLV {freq}", lambda: values(
        lifetimes_like(ggf), {k: lifetimes_like(v) for k, v in purchases.items()}))
    assert list(got) == list(ref)
    for key in ref:
        same(got[key], ref[key])


# ---- the summaries beyond the quickstart: money, returns, weeks, multiplier, formats

@pytest.fixture(scope="module")
def log():
    """lifetimes' transaction log with a time of day and a monetary value (some negative)."""
    t = load_transaction_data()
    rng = np.random.default_rng(17)
    t["date"] = pd.to_datetime(t["date"]) + pd.to_timedelta(rng.integers(0, 86400, len(t)), "s")
    t["value"] = np.round(rng.gamma(2.0, 20.0, len(t)), 2)
    t.loc[rng.random(len(t)) < 0.05, "value"] *= -1  # returns
    # The same log as when the record was made (numpy's Generator streams are stable).
    digest = {"seconds": (t["date"] - pd.Timestamp("2014-01-01")).dt.total_seconds().sum(),
              "values": t["value"].sum()}
    digest = {k: float(v) for k, v in digest.items()}
    assert digest == recorded("log digest", lambda: digest)
    return t


def both(name, function, *args, **kwargs):
    """(the compat function's frame, lifetimes' frame: live where installed, else recorded
    under ``name``)."""
    from custometrics import lifetimes_compat

    def live():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(lifetimes_utils, function)(*args, **kwargs)

    return getattr(lifetimes_compat, function)(*args, **kwargs), recorded(name, live)


def equal_frames(got, ref):
    pd.testing.assert_index_equal(got.index, ref.index)
    pd.testing.assert_index_equal(got.columns, ref.columns)
    money = [c for c in ref.columns if c.startswith("monetary_value")]
    rest = [c for c in ref.columns if c not in money]
    pd.testing.assert_frame_equal(got[rest], ref[rest], check_exact=True)
    # Means of money: pandas sums with compensation, the core in order; a few ulps apart.
    pd.testing.assert_frame_equal(got[money], ref[money], check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("freq,multiplier", [("D", 1), ("W", 1), ("D", 7), ("W", 4)])
@pytest.mark.parametrize("first", [False, True])
def test_summary_equals_lifetimes(log, freq, multiplier, first):
    got, ref = both(f"summary {freq} {multiplier} {first}",
                    "summary_data_from_transaction_data", log, "id", "date",
                    monetary_value_col="value", observation_period_end="2014-12-31",
                    freq=freq, freq_multiplier=multiplier, include_first_transaction=first)
    assert got.index.name == "id" and list(got.columns) == ["frequency", "recency", "T",
                                                            "monetary_value"]
    assert (got["monetary_value"] < 0).any()  # returns are summed into their period
    equal_frames(got, ref)


def test_summary_without_money_and_without_end_equals_lifetimes(log):
    got, ref = both("summary plain", "summary_data_from_transaction_data", log, "id", "date")
    equal_frames(got, ref)
    assert list(got.columns) == ["frequency", "recency", "T"]


def test_summary_parses_dates_with_datetime_format(log):
    from custometrics.lifetimes_compat import summary_data_from_transaction_data
    text = log.assign(date=log["date"].dt.strftime("%d/%m/%Y %H:%M:%S"))
    got = summary_data_from_transaction_data(text, "id", "date", monetary_value_col="value",
                                             datetime_format="%d/%m/%Y %H:%M:%S",
                                             observation_period_end="31/12/2014 00:00:00")
    # lifetimes sorts the rows by the date *text* before parsing it, so with day-first text
    # its "first purchase" (left out of monetary_value) is not the earliest one; the compat
    # summary of the text equals lifetimes' summary of the parsed dates.
    _, ref = both("summary D 1 False", "summary_data_from_transaction_data", log, "id", "date",
                  monetary_value_col="value", observation_period_end="2014-12-31")
    equal_frames(got, ref)
    _, ref_text = both("summary day-first text", "summary_data_from_transaction_data", text,
                       "id", "date",
                       monetary_value_col="value", datetime_format="%d/%m/%Y %H:%M:%S",
                       observation_period_end="31/12/2014 00:00:00")
    equal_frames(got[["frequency", "recency", "T"]], ref_text[["frequency", "recency", "T"]])


@pytest.mark.parametrize("freq,multiplier", [("D", 1), ("W", 1), ("D", 7)])
@pytest.mark.parametrize("first", [False, True])
def test_calibration_and_holdout_equals_lifetimes(log, freq, multiplier, first):
    got, ref = both(f"calibration {freq} {multiplier} {first}", "calibration_and_holdout_data",
                    log, "id", "date",
                    calibration_period_end="2014-09-01 12:00",
                    observation_period_end="2014-12-30 18:00", freq=freq,
                    freq_multiplier=multiplier, monetary_value_col="value",
                    include_first_transaction=first)
    assert list(got.columns) == ["frequency_cal", "recency_cal", "T_cal", "monetary_value_cal",
                                 "frequency_holdout", "monetary_value_holdout",
                                 "duration_holdout"]
    equal_frames(got, ref)


def test_calibration_without_holdout_rows_raises_as_lifetimes(log):
    from custometrics.lifetimes_compat import calibration_and_holdout_data
    with pytest.raises(ValueError, match="There is no data available"):
        calibration_and_holdout_data(log, "id", "date", calibration_period_end="2015-06-01")


# ---- the other fitters' fits

def test_modified_beta_geo_fit_equals_lifetimes(quickstart):
    _, (_, ours, _) = quickstart
    s = ours["summary"]
    got = ours["ModifiedBetaGeoFitter"](penalizer_coef=0.01).fit(s["frequency"], s["recency"],
                                                                 s["T"])

    def live():
        ref = lifetimes.ModifiedBetaGeoFitter(penalizer_coef=0.01).fit(s["frequency"],
                                                                       s["recency"], s["T"])
        return {"params": ref.params_, "summary index": ref.summary.index.tolist()}

    ref = recorded("MBG/NBD fit, penalizer 0.01", live)
    assert rel(got.params_, ref["params"]) < 1e-5
    assert got.summary.index.tolist() == ref["summary index"]


def test_pareto_nbd_fit_reaches_lifetimes_maximum(quickstart):
    _, (_, ours, _) = quickstart
    cal = ours["summary_cal_holdout"]
    x, tx, T = cal["frequency_cal"], cal["recency_cal"], cal["T_cal"]
    got = ours["ParetoNBDFitter"](penalizer_coef=0.01).fit(x, tx, T)
    # lifetimes' Nelder-Mead (tol 1e-4) stops near the maximum; ours is not lower on lifetimes'
    # objective: -sum ll / mean weight + c sum of the parameters (alpha, beta / max T) squared,
    # with the data in units of the largest T.
    scaled = np.array([1.0, 1 / T.max(), 1.0, 1 / T.max()])
    data = (x.to_numpy(), (tx / T.max()).to_numpy(), (T / T.max()).to_numpy())

    def objective(params):  # the same with custometrics' log-likelihood
        p = dict(zip(["r", "alpha", "s", "beta"], np.asarray(params) * scaled))
        # Customers of age 0 (id 394) add log P(no purchase in no time) = log 1 = 0; the core
        # refuses T = 0, so they are left out of its sum.
        aged = data[2] > 0
        ll = cm.ParetoNBDModel().set_params(**p).log_likelihood(*(d[aged] for d in data))
        return -np.sum(ll) + 0.01 * np.sum((np.asarray(params) * scaled) ** 2)

    def live():
        np.random.seed(0)  # lifetimes starts Nelder-Mead at a random point
        ref = lifetimes.ParetoNBDFitter(penalizer_coef=0.01).fit(x, tx, T)
        objective = ref._negative_log_likelihood(np.asarray(ref.params_) * scaled, *data,
                                                 np.ones(len(x)), 0.01)
        return {"params": ref.params_, "objective": float(objective)}

    ref = recorded("Pareto/NBD fit, penalizer 0.01", live)
    # custometrics' objective is lifetimes' (at lifetimes' optimum), and ours is not above it.
    assert objective(ref["params"].to_numpy()) == pytest.approx(ref["objective"], rel=1e-10)
    assert objective(got.params_.to_numpy()) <= ref["objective"] + 1e-9
    assert rel(got.params_, ref["params"]) < 1e-3


def test_fit_options_and_index(quickstart):
    _, (_, ns, _) = quickstart
    data = ns["data"]
    a = ns["BetaGeoFitter"]().fit(data["frequency"], data["recency"], data["T"],
                                  index=data.index, maxiter=500, tol=1e-10)
    assert a.data.index.equals(data.index)
    assert list(a.data.columns) == ["frequency", "recency", "T", "weights"]
    # lifetimes' start (log-parameters, alpha / max T) reaches the same maximum
    b = ns["BetaGeoFitter"]().fit(data["frequency"], data["recency"], data["T"],
                                  initial_params=[0.1, 0.1, 0.1, 0.1])
    assert rel(a.params_, b.params_) < 1e-6
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ns["BetaGeoFitter"]().fit(data["frequency"], data["recency"], data["T"], verbose=True)
    assert "converged=True" in out.getvalue()
    # weights: compressed rows give the unweighted fit
    rows = data.groupby(["frequency", "recency", "T"]).size().rename("w").reset_index()
    c = ns["BetaGeoFitter"]().fit(rows["frequency"], rows["recency"], rows["T"], rows["w"])
    assert rel(c.params_, a.params_) < 1e-6


# ---- save_model / load_model: the core's JSON

def test_save_model_and_load_model_round_trip(quickstart, tmp_path):
    _, (_, ns, _) = quickstart
    data = ns["data"]
    for name, cols in (("BetaGeoFitter", ("frequency", "recency", "T")),
                       ("ParetoNBDFitter", ("frequency", "recency", "T"))):
        fitted = ns[name]().fit(*(data[c] for c in cols))
        path = tmp_path / f"{name}.json"
        fitted.save_model(str(path))
        loaded = ns[name]()
        loaded.load_model(str(path))
        pd.testing.assert_series_equal(loaded.params_, fitted.params_, check_exact=True)
        pd.testing.assert_frame_equal(loaded.summary, fitted.summary, check_exact=True)
        assert loaded.predict(10, 2, 30.0, 38.0) == fitted.predict(10, 2, 30.0, 38.0)
        # the file is the core's fitted-model JSON, as custometrics' own models read it
        core_model = {"BetaGeoFitter": cm.BetaGeoModel,
                      "ParetoNBDFitter": cm.ParetoNBDModel}[name].load(str(path))
        assert core_model.params_.equals(fitted.params_)
    ggf = ns["ggf"]
    ggf.save_model(str(tmp_path / "gg.json"), save_data=False)
    other = ns["GammaGammaFitter"]()
    other.load_model(str(tmp_path / "gg.json"))
    assert other.params_.equals(ggf.params_)


# ---- what is not supported raises, naming the argument

def test_unsupported_arguments_raise_naming_them(quickstart, log, tmp_path):
    from custometrics import lifetimes_compat as lc
    _, (_, ns, _) = quickstart
    data = ns["data"]
    x, tx, T = data["frequency"], data["recency"], data["T"]
    cases = [
        ("freq", lambda: lc.summary_data_from_transaction_data(log, "id", "date", freq="M")),
        ("freq", lambda: lc.summary_data_from_transaction_data(log, "id", "date", freq="h")),
        ("freq", lambda: lc.calibration_and_holdout_data(log, "id", "date", "2014-09-01",
                                                         freq="H")),
        ("datetime_col", lambda: lc.summary_data_from_transaction_data(log, "id", "when")),
        ("monetary_value_col", lambda: lc.summary_data_from_transaction_data(
            log, "id", "date", monetary_value_col="spend")),
        ("iterative_fitting", lambda: lc.ParetoNBDFitter().fit(x, tx, T, iterative_fitting=3)),
        ("fit_method", lambda: lc.ParetoNBDFitter().fit(x, tx, T, fit_method="Powell")),
        ("gtol", lambda: lc.BetaGeoFitter().fit(x, tx, T, gtol=1e-3)),
        ("q_constraint", lambda: lc.GammaGammaFitter().fit([1, 2], [3.0, 4.0],
                                                           q_constraint=True)),
        ("monetary_value", lambda: lc.GammaGammaFitter().fit([1, 2], [3.0, 0.0])),
        ("values_to_save", lambda: lc.BetaGeoFitter().set_params(r=1, alpha=1, a=1, b=1)
         .save_model(str(tmp_path / "m.json"), values_to_save=[None])),
        ("conditional_probability_of_n_purchases_up_to_time",
         lambda: lc.ParetoNBDFitter().conditional_probability_of_n_purchases_up_to_time(
             1, 10, x, tx, T)),
    ]
    for argument, call in cases:
        with pytest.raises(cm.InputError) as info:
            call()
        assert info.value.argument == argument
        assert str(info.value).startswith(argument + ":")


def test_load_model_refuses_a_lifetimes_pickle(tmp_path):
    import base64

    from custometrics import lifetimes_compat as lc
    path = str(tmp_path / "lifetimes.pkl")

    def live():  # the file lifetimes' save_model writes (a dill pickle), as text
        ref = lifetimes.BetaGeoFitter()
        ref.params_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0})
        ref.save_model(path)
        with open(path, "rb") as f:
            return base64.b64encode(f.read()).decode()

    with open(path, "wb") as f:
        f.write(base64.b64decode(recorded("lifetimes pickle", live)))
    with pytest.raises(cm.InputError, match="dill pickles") as info:
        lc.BetaGeoFitter().load_model(path)
    assert info.value.argument == "path"


def test_the_package_exports_the_module():
    import custometrics
    import custometrics.lifetimes_compat as lc
    assert custometrics.lifetimes_compat is lc
    assert issubclass(lc.BetaGeoFitter, cm.BetaGeoModel)
    assert issubclass(lc.ModifiedBetaGeoFitter, cm.ModifiedBetaGeoModel)
    assert not issubclass(lc.ModifiedBetaGeoFitter, cm.BetaGeoModel)
    assert issubclass(lc.ParetoNBDFitter, cm.ParetoNBDModel)
    assert issubclass(lc.GammaGammaFitter, cm.GammaGammaModel)
