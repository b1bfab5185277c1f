"""Purchase models with time-invariant covariates (issue 15) against CLVTools 0.12.1: the
committed fixtures of tests/reference/clvtools (apparel, 600 customers, weeks, Gender and Channel
on both processes; see its README). No lifetimes here: lifetimes has no covariates."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pandas as pd
import pytest

import custometrics as cm

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "reference", "clvtools")


def _apparel(fit: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    p = pd.read_csv(os.path.join(FIXTURES, f"predictions_apparel_{fit}.csv"),
                    dtype={"Id": str})
    summary = pd.DataFrame({"frequency": p["x"].to_numpy(), "recency": p["t.x"].to_numpy(),
                            "T": p["T.cal"].to_numpy()}, index=pd.Index(p["Id"], name="customer_id"))
    cov = pd.DataFrame({"Gender": p["Gender"].to_numpy(), "Channel": p["Channel"].to_numpy()},
                       index=pd.Index(p["Id"], name="customer_id"))
    return summary, cov, p


def _params(fit: str) -> pd.DataFrame:
    t = pd.read_csv(os.path.join(FIXTURES, "params.csv"))
    return t[(t.dataset == "apparel") & (t.fit == fit)].set_index("parameter")


def _loglik(fit: str) -> float:
    t = pd.read_csv(os.path.join(FIXTURES, "fits.csv"))
    return float(t[(t.dataset == "apparel") & (t.fit == fit)].log_likelihood.iloc[0])


def test_pareto_nbd_fit_reaches_clvtools():
    summary, cov, p = _apparel("pnbd_cov")
    # Shuffled covariate rows: aligned by key, not by position.
    m = cm.ParetoNBDModel().fit(summary, covariates=cov.sample(frac=1, random_state=1),
                                life=["Gender", "Channel"], trans=["Gender", "Channel"])
    ref = _params("pnbd_cov")
    got = dict(m.params_)
    se = dict(m.standard_errors_)
    for proc in ("life", "trans"):
        for name in ("Gender", "Channel"):
            got[f"{proc}.{name}"] = getattr(m, f"{proc}_coefficients_")[name]
            se[f"{proc}.{name}"] = getattr(m, f"{proc}_standard_errors_")[name]
    opt = pd.read_csv(os.path.join(FIXTURES, "options_params.csv"))
    tight = opt[opt.fit == "pnbd_cov_tight"].set_index("parameter").estimate
    for name, row in ref.iterrows():
        # CLVTools run to its optimum (options_params.csv; README): r 1.838963, alpha 92.9628,
        # s 0.591305, beta 49.5132, life.Gender -0.641869, life.Channel 0.789759,
        # trans.Gender 0.286136, trans.Channel 0.623930.
        assert got[name] == pytest.approx(tight[name], rel=1e-4), name
        # Its default stop (params.csv) is ~1e-3 relative short: within 0.01 standard errors.
        assert abs(got[name] - row.estimate) < 0.01 * row.std_error, name
        assert se[name] == pytest.approx(row.std_error, rel=1e-2), name
    assert m.log_likelihood_ >= _loglik("pnbd_cov")
    assert m.log_likelihood_ == pytest.approx(tight["logLik"], rel=1e-11)
    # Predictions per customer (their own parameters) against CLVTools' at its default-stop
    # parameters, ~1e-3 relative away (the exact check at equal parameters is the next test).
    alive = m.conditional_probability_alive(summary, covariates=cov)
    cet = m.predict(float(p["period.length"].iloc[0]), summary, covariates=cov)
    assert list(alive.index) == list(summary.index)
    np.testing.assert_allclose(alive.to_numpy(), p["PAlive"].to_numpy(), atol=5e-3)
    np.testing.assert_allclose(cet.to_numpy(), p["CET"].to_numpy(), rtol=5e-3)


def test_predictions_at_clvtools_parameters_equal_its_own():
    summary, cov, p = _apparel("bgnbd_cov")
    ref = _params("bgnbd_cov").estimate
    m = cm.BetaGeoModel().set_params(r=ref["r"], alpha=ref["alpha"], a=ref["a"], b=ref["b"])
    # A model with given coefficients: through the JSON form, as `custometrics fit` writes it.
    doc = m.to_json().rstrip().rstrip("}") + (
        ', "covariates": {"life": {"Gender": %r, "Channel": %r}, "trans": {"Gender": %r, '
        '"Channel": %r}}}' % tuple(float(ref[k]) for k in (  # a Python float's repr is JSON
            "life.Gender", "life.Channel", "trans.Gender", "trans.Channel")))
    m = cm.BetaGeoModel.from_json(doc)
    alive = m.conditional_probability_alive(summary, covariates=cov)
    cet = m.conditional_expected_number_of_purchases_up_to_time(
        float(p["period.length"].iloc[0]), summary, covariates=cov)
    np.testing.assert_allclose(alive.to_numpy(), p["PAlive"].to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(cet.to_numpy(), p["CET"].to_numpy(), rtol=1e-8)


def test_bg_nbd_fit_no_worse_than_clvtools():
    summary, cov, _ = _apparel("bgnbd_cov")
    m = cm.BetaGeoModel().fit(summary, covariates=cov, life=["Gender", "Channel"],
                              trans=["Gender", "Channel"])
    # No interior optimum (README): compare the likelihood only.
    assert m.log_likelihood_ >= _loglik("bgnbd_cov") - 1e-3


def test_json_round_trip_and_categorical():
    summary, cov, _ = _apparel("pnbd_cov")
    labelled = cov.assign(Channel=np.where(cov.Channel == 1, "online", "offline"))
    m = cm.ParetoNBDModel().fit(summary, covariates=labelled, life=["Gender", "Channel"],
                                trans=["Gender"], constrained=["Gender"], time_unit="weeks")
    assert m.reference_levels_ == {"Channel": "offline"}
    assert list(m.life_coefficients_.index) == ["Gender", "Channel=online"]
    assert m.life_coefficients_["Gender"] == m.trans_coefficients_["Gender"]
    back = cm.ParetoNBDModel.from_json(m.to_json())
    pd.testing.assert_series_equal(back.life_coefficients_, m.life_coefficients_)
    pd.testing.assert_series_equal(back.trans_standard_errors_, m.trans_standard_errors_)
    assert back.reference_levels_ == m.reference_levels_
    pd.testing.assert_series_equal(back.conditional_probability_alive(summary, covariates=labelled),
                                   m.conditional_probability_alive(summary, covariates=labelled))


def test_errors_name_the_customer():
    summary, cov, _ = _apparel("pnbd_cov")
    with pytest.raises(cm.DataError) as e:
        cm.ParetoNBDModel().fit(summary, covariates=cov.iloc[:-1], life=["Gender"])
    assert e.value.key == summary.index[-1]
    m = cm.ParetoNBDModel().fit(summary, covariates=cov, trans=["Channel"])
    with pytest.raises(ValueError, match="covariates"):
        m.conditional_probability_alive(summary)
    with pytest.raises(ValueError, match="covariates"):
        m.next_purchase_time(summary)
    with pytest.raises(cm.InputError):
        cm.ParetoNBDModel().fit(summary, covariates=cov, life=["Age"])


def test_score_customers_with_covariates():
    """score_customers(covariates=): the core's score_customers with each customer at its own
    parameters (covariate_customer_params, the rule of every face) equals the estimator's own
    per-customer predictions (retention_covariate_predict, another path through the core), with
    the covariate rows in another order than the summary's; the errors name the covariates."""
    summary, cov, _ = _apparel("pnbd_cov")
    m = cm.ParetoNBDModel().fit(summary, covariates=cov, life=["Gender", "Channel"],
                                trans=["Gender", "Channel"])
    shuffled = cov.sample(frac=1, random_state=3)
    out = cm.score_customers(m, summary, horizon=10, covariates=shuffled, freq="W")
    np.testing.assert_allclose(out["p_alive"],
                               m.conditional_probability_alive(summary, covariates=cov),
                               rtol=1e-12)
    np.testing.assert_allclose(out["expected_purchases"],
                               m.conditional_expected_number_of_purchases_up_to_time(
                                   10, summary, covariates=cov), rtol=1e-12)
    # A model with covariates pickles (Spark ships it to its executors) and scores the same.
    back = pickle.loads(pickle.dumps(m))
    pd.testing.assert_frame_equal(cm.score_customers(back, summary, horizon=10, covariates=cov,
                                                     freq="W"), out)
    # The covariates move the scores: customers with the same summary row differ by them.
    plain = cm.ParetoNBDModel().set_params(**m.params_.to_dict())
    assert np.abs(cm.score_customers(plain, summary, freq="W")["p_alive"].to_numpy()
                  - out["p_alive"].to_numpy()).max() > 1e-3
    with pytest.raises(cm.DataError, match="has no covariate row") as e:
        cm.score_customers(m, summary, covariates=cov.iloc[1:], freq="W")
    assert (e.value.argument, e.value.key) == ("covariates", summary.index[0])
    for model, table in ((m, None), (plain, cov)):
        with pytest.raises(cm.InputError, match="covariates") as e:
            cm.score_customers(model, summary, covariates=table, freq="W")
        assert e.value.argument == "covariates"
def test_intervals_with_covariates():
    # Prediction intervals of a model with covariates (the core's covariate intervals): around
    # the same expected purchases as the prediction without them, reproducible by seed on any
    # thread count and after a JSON round trip (which keeps every coefficient's covariance).
    summary, cov, _ = _apparel("pnbd_cov")
    m = cm.ParetoNBDModel().fit(summary, covariates=cov, life=["Gender", "Channel"],
                                trans=["Gender", "Channel"], time_unit="weeks")
    point = m.predict(52, summary, covariates=cov)
    d = m.predict(52, summary, interval="delta", covariates=cov)
    np.testing.assert_array_equal(d["expected_purchases"].to_numpy(), point.to_numpy())
    assert (d["lower"] <= d["expected_purchases"]).all()
    assert (d["expected_purchases"] <= d["upper"]).all()
    assert (d["upper"] > d["lower"]).all()
    assert d.attrs["total_lower"] < d.attrs["total"] < d.attrs["total_upper"]
    p1 = m.predict(52, summary, interval="parametric", draws=200, seed=3, threads=1,
                   covariates=cov)
    back = cm.ParetoNBDModel.from_json(m.to_json())
    p2 = back.predict(52, summary, interval="parametric", draws=200, seed=3, threads=3,
                      covariates=cov)
    pd.testing.assert_frame_equal(p1, p2)
    pd.testing.assert_frame_equal(back.variance_matrix_, m.variance_matrix_)  # the base block
    # Parameter uncertainty of the same order by both methods (the draws' sd against delta).
    ratio = p1.attrs["total_std_error"] / d.attrs["total_std_error"]
    assert 0.8 < ratio < 1.25, ratio
    # score_customers scores a model with covariates at each customer's own parameters.
    sc = cm.score_customers(m, summary, horizon=52, freq="W", covariates=cov)
    np.testing.assert_array_equal(sc["expected_purchases"].to_numpy(), point.to_numpy())


def test_intervals_with_covariates_errors():
    summary, cov, _ = _apparel("pnbd_cov")
    m = cm.ParetoNBDModel().fit(summary, covariates=cov, trans=["Channel"])
    with pytest.raises(cm.DataError) as e:
        m.predict(52, summary, interval="delta", covariates=cov.iloc[:-1])
    assert e.value.key == summary.index[-1]
    with pytest.raises(cm.InputError, match="covariates") as e:
        m.predict(52, summary, interval="delta")
    assert e.value.argument == "covariates"
    with pytest.raises(cm.InputError, match="covariates"):
        cm.score_customers(m, summary)
    with pytest.raises(cm.DataError) as e:
        cm.score_customers(m, summary, covariates=cov.iloc[1:])
    assert e.value.key == summary.index[0]
    plain = cm.ParetoNBDModel().fit(summary)
    with pytest.raises(cm.InputError):
        plain.predict(52, summary, interval="delta", covariates=cov)
    with pytest.raises(cm.InputError, match="covariates"):
        cm.score_customers(plain, summary, covariates=cov)


def test_lifetime_value_with_covariates():
    """GammaGammaModel.customer_lifetime_value of a purchase model with covariates, without an
    interval: each customer at its own parameters, equal to the delta interval's estimate (the
    core's interval code) and to score_customers' clv (its scores), and moved by the covariates."""
    summary, cov, _ = _apparel("pnbd_cov")
    m = cm.ParetoNBDModel().fit(summary, covariates=cov, life=["Gender", "Channel"],
                                trans=["Gender", "Channel"], time_unit="weeks")
    spend = np.random.default_rng(5).gamma(4.0, 10.0, len(summary))
    s = summary.assign(monetary_value=np.where(summary["frequency"] > 0, spend, 0.0))
    gg = cm.GammaGammaModel().fit(s[s["frequency"] > 0])
    args = (m, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    clv = gg.customer_lifetime_value(*args, time=6, freq="W", covariates=cov)
    delta = gg.customer_lifetime_value(*args, time=6, freq="W", covariates=cov, interval="delta")
    np.testing.assert_array_equal(clv.to_numpy(), delta["clv"].to_numpy())
    sc = cm.score_customers(m, s, gg, months=6, freq="W", covariates=cov.sample(frac=1,
                                                                                random_state=1))
    np.testing.assert_array_equal(clv.to_numpy(), sc["clv"].to_numpy())
    assert list(clv.index) == list(s.index)
    plain = cm.ParetoNBDModel().set_params(**m.params_.to_dict())
    assert np.abs(gg.customer_lifetime_value(plain, *args[1:], time=6, freq="W").to_numpy()
                  - clv.to_numpy()).max() > 1e-3
    with pytest.raises(cm.InputError, match="covariates") as e:
        gg.customer_lifetime_value(*args, time=6, freq="W")
    assert e.value.argument == "covariates"
    with pytest.raises(cm.DataError) as e:
        gg.customer_lifetime_value(*args, time=6, freq="W", covariates=cov.iloc[1:])
    assert e.value.key == s.index[0]
