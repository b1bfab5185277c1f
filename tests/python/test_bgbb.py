"""Issue 15's faces: BG/BB (BetaGeoBetaBinomModel) against lifetimes' BetaGeoBetaBinomFitter on its
donation data, the model choice (select_model) against the CLI's `fit --model auto` on the same
file, and the prediction intervals (predict(..., interval=...) and the lifetime value's,
GammaGammaModel.customer_lifetime_value(..., interval=...), also against the CLI) against a
delta-method value worked out here by numerical differentiation. lifetimes' values are committed fixtures
(tests/reference/lifetimes/bgbb.json, made by tests/reference/lifetimes/make_fixtures.py).

Tolerances: the fits are two optimisers reaching one optimum (lifetimes: scipy BFGS to 1e-7 on
the mean log-likelihood; ours L-BFGS to 1e-9), so parameters agree to 2e-5 relative and our
log-likelihood is no lower; predictions at the same parameters are the same formulas (FHS
eqs. 11, 13), 1e-9 relative (lifetimes adds 1e-15 to the likelihood's sum, 1e-15/L relative here).
"""

import json
import pathlib

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from cli_tool import run

from lifetimes_reference import fixture, load_donations

REFERENCE = pathlib.Path(__file__).resolve().parents[1] / "reference"


@pytest.fixture(scope="module")
def donations():
    return load_donations()


@pytest.fixture(scope="module")
def peer():
    """lifetimes 0.11.3's BetaGeoBetaBinomFitter fit on the donations (weights) and its
    predictions (tests/reference/lifetimes/make_fixtures.py: bgbb())."""
    return fixture("bgbb")


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / np.abs(b))


def test_bgbb_fit_matches_lifetimes(donations, peer):
    m = cm.BetaGeoBetaBinomModel().fit(donations)  # the frame: periods and weights columns
    assert list(m.params_.index) == ["alpha", "beta", "gamma", "delta"]
    assert peer["params_names"] == list(m.params_.index)
    assert rel(m.params_.to_numpy(), peer["params"]) < 2e-5
    # FHS 2010's published estimates.
    assert np.allclose(m.params_.to_numpy(), [1.204, 0.750, 0.657, 2.783], atol=5e-4)
    n = donations["weights"].sum()
    peer_ll = peer["log_likelihood"]
    assert m.log_likelihood_ >= peer_ll - 1e-7
    assert m.n_ == n == 11104 and m.unique_rows_ == 22
    # lifetimes' standard errors (autograd Hessian): the same information matrix.
    assert rel(m.standard_errors_.to_numpy(), peer["standard_errors"]) < 1e-3
    # Columns one by one give the same fit; threads do not change it.
    m2 = cm.BetaGeoBetaBinomModel().fit(donations["frequency"], donations["recency"],
                                        donations["periods"], donations["weights"], threads=2)
    assert rel(m2.params_.to_numpy(), m.params_.to_numpy()) < 1e-12


def test_bgbb_predictions_match_lifetimes_at_the_same_parameters(donations, peer):
    d = donations
    m = cm.BetaGeoBetaBinomModel().set_params(**dict(zip(peer["params_names"], peer["params"])))
    x, tx, n = (d[c].to_numpy(float) for c in ("frequency", "recency", "periods"))
    for future in (1, 5, 10):
        ours = m.conditional_expected_number_of_purchases_up_to_time(future, x, tx, n)
        theirs = peer[f"conditional_expected_{future}"]
        assert rel(ours, theirs) < 1e-9
    for ahead in (1, 3):
        ours = m.conditional_probability_alive(ahead, x, tx, n)
        theirs = peer[f"conditional_probability_alive_{ahead}"]
        assert rel(ours, theirs) < 1e-9
    # lifetimes' table N P(X(6) = x), x = 0..6 (FHS eq. 7), with N = 11,104.
    m.n_ = 11104.0
    ours = m.expected_number_of_transactions_in_first_n_periods(6)["model"].to_numpy()
    theirs = peer["first_6_periods_model"]
    assert rel(ours, theirs) < 1e-9
    assert abs(m.probability_of_n_purchases_up_to_time(6, np.arange(7)).sum() - 1) < 1e-12
    # A Series with the frame's index for a frame; a number for numbers.
    s = m.predict(5, d)
    assert isinstance(s, pd.Series) and s.index.equals(d.index)
    assert isinstance(m.conditional_probability_alive(1, 6, 6, 6), float)


def test_bgbb_published_values_and_json():
    m = cm.BetaGeoBetaBinomModel().set_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    # FHS 2010 (bg_bb.hpp's examples): P(alive at 7) of a 6-of-6 donor = 8.783/9.44.
    assert m.conditional_probability_alive(1, 6, 6, 6) == pytest.approx(8.783 / 9.44, rel=1e-12)
    assert m.discounted_expected_residual_transactions(0.1, 6, 6, 6) == pytest.approx(5.9087,
                                                                                      abs=1e-4)
    assert m.expected_number_of_purchases_up_to_time(6) == pytest.approx(2.2196, abs=1e-4)
    with pytest.raises(cm.DataError) as e:  # recency above n
        m.conditional_probability_alive(1, [1.0], [7.0], [6.0])
    assert e.value.argument == "recency" and e.value.row == 0


def test_bgbb_json_round_trip_and_cli(tmp_path, donations):
    m = cm.BetaGeoBetaBinomModel().fit(donations)
    path = tmp_path / "bb.json"
    m.save(path)
    d = json.loads(path.read_text())
    assert d["model"] == "bgbb" and len(d["covariance"]) == 4 and "time_unit" not in d
    back = cm.BetaGeoBetaBinomModel.load(path)
    assert back.params_.to_dict() == m.params_.to_dict()
    assert np.array_equal(back.variance_matrix_.to_numpy(), m.variance_matrix_.to_numpy())
    # The CLI fits the same table to the same numbers.
    cli = json.loads(run("fit", REFERENCE / "donations.csv", "--model", "bgbb", "--format",
                         "json"))
    assert rel([cli["params"][k] for k in m.params_.index], m.params_.to_numpy()) < 1e-12
    with pytest.raises(cm.InputError):
        cm.BetaGeoModel.load(path)  # another model's file


@pytest.fixture(scope="module")
def cdnow_holdout(tmp_path_factory):
    """The CDNOW calibration/holdout fixture (39 + 39 weeks) as a summary CSV, and its frame."""
    raw = pd.read_csv(REFERENCE / "selection_cdnow.csv")
    frame = pd.DataFrame({"frequency_cal": raw["x"].to_numpy(),
                          "recency_cal": raw["t_x"].to_numpy(), "T_cal": raw["T"].to_numpy(),
                          "frequency_holdout": raw["x_holdout"].to_numpy(),
                          "duration_holdout": 39.0, "time_unit": "weeks"},
                         index=pd.Index([f"c{i}" for i in range(len(raw))], name="customer_id"))
    path = tmp_path_factory.mktemp("select") / "cdnow_cal.csv"
    frame.to_csv(path)
    return path, frame


@pytest.mark.parametrize("by", ["mae", "rmse", "aggregate", "bic"])
def test_select_model_equals_the_cli(cdnow_holdout, by):
    path, frame = cdnow_holdout
    cli = json.loads(run("fit", path, "--model", "auto", "--select-by", by, "--format", "json"))
    ours = cm.select_model(frame, by=by)
    assert ours.criterion == cli["criterion"] == by
    assert ours.chosen == cli["chosen"]
    assert list(ours.candidates.index) == [r["model"] for r in cli["models"]]
    for r in cli["models"]:
        row = ours.candidates.loc[r["model"]]
        for k in ("log_likelihood", "bic", "aic", "mae", "rmse", "aggregate_error", "score"):
            assert row[k] == r[k], (r["model"], k)  # the same core, shortest round-trip text
    assert ours.model is not None and ours.model.time_unit_ == "weeks"
    assert type(ours.model).__name__ == {"bgnbd": "BetaGeoModel", "mbgnbd": "ModifiedBetaGeoModel",
                                         "pnbd": "ParetoNBDModel"}[ours.chosen]


def test_select_model_lifetimes_values_and_errors(cdnow_holdout):
    _, frame = cdnow_holdout
    c = cm.select_model(frame)  # mae by default with a holdout
    # lifetimes 0.11.3's holdout MAE (tests/reference/selection_reference.py).
    assert c.chosen == "pnbd"
    assert np.allclose(c.candidates["mae"].to_numpy(), [0.7855, 0.7648, 0.7545], atol=1e-4)
    # The holdout given as arrays gives the same table.
    plain = frame[["frequency_cal", "recency_cal", "T_cal"]]
    c2 = cm.select_model(plain, frame["frequency_holdout"], 39.0, threads=2)
    assert np.array_equal(c2.candidates["score"].to_numpy(), c.candidates["score"].to_numpy())
    assert cm.select_model(plain).criterion == "bic"  # no holdout
    with pytest.raises(cm.InputError) as e:
        cm.select_model(plain, by="mae")
    assert e.value.argument == "by"
    with pytest.raises(cm.InputError) as e:
        cm.select_model(frame, by="median")
    assert e.value.argument == "by"


def test_delta_interval_by_hand(cdnow_holdout):
    """The delta method's standard error recomputed here: the BG/NBD prediction at the
    log-parameters moved by +-h (central differences), J Sigma_theta J' with Sigma_theta =
    D^-1 Sigma D^-1 (D = diag(params), Sigma our fit's covariance). The prediction is the
    model's own conditional expectation at the moved parameters (equal to lifetimes' on every
    CDNOW customer to 1e-6, test_retention.py); the derivative and the sandwich are done here,
    independently of the core's delta-method code."""
    _, frame = cdnow_holdout
    x, tx, T = (frame[c].to_numpy(float) for c in ("frequency_cal", "recency_cal", "T_cal"))
    m = cm.BetaGeoModel().fit(x, tx, T)
    out = m.predict(39.0, x, tx, T, interval="delta", level=0.9)
    p = m.params_.to_numpy()
    cov = m.variance_matrix_.to_numpy()
    sigma = cov / np.outer(p, p)
    h = 1e-5

    def g(q):
        at = cm.BetaGeoModel().set_params(**dict(zip(["r", "alpha", "a", "b"], q)))
        return at.conditional_expected_number_of_purchases_up_to_time(39.0, x, tx, T)

    J = np.stack([(g(p * np.exp(h * e)) - g(p * np.exp(-h * e))) / (2 * h)
                  for e in np.eye(4)], axis=1)
    se = np.sqrt(np.einsum("ij,jk,ik->i", J, sigma, J))
    assert rel(out["std_error"].to_numpy()[se > 1e-6], se[se > 1e-6]) < 1e-4
    z = 1.6448536269514722  # the normal's 95% quantile
    assert np.allclose(out["upper"], out["expected_purchases"] + z * out["std_error"], rtol=1e-12)
    low = np.maximum(0, out["expected_purchases"] - z * out["std_error"])
    assert np.allclose(out["lower"], low, rtol=1e-12, atol=1e-15)
    total_se = np.sqrt(J.sum(0) @ sigma @ J.sum(0))
    assert out.attrs["total_std_error"] == pytest.approx(total_se, rel=1e-4)
    assert out.attrs["total"] == pytest.approx(g(p).sum(), rel=1e-9)


def test_intervals_threads_seed_and_errors(cdnow_holdout, tmp_path):
    _, frame = cdnow_holdout
    x, tx, T = (frame[c].to_numpy(float) for c in ("frequency_cal", "recency_cal", "T_cal"))
    m = cm.BetaGeoModel().fit(x, tx, T)
    a = m.predict(39.0, x, tx, T, interval="parametric", draws=200, seed=3, threads=1)
    b = m.predict(39.0, x, tx, T, interval="parametric", draws=200, seed=3, threads=2)
    assert a.equals(b)  # the seed decides, not the threads
    assert a.attrs["method"] == "parametric_bootstrap" and a.attrs["draws"] == 200
    # The parametric bootstrap's spread agrees with the delta method's on this large sample.
    d = m.predict(39.0, x, tx, T, interval="delta")
    assert abs(a.attrs["total_std_error"] / d.attrs["total_std_error"] - 1) < 0.2
    # Without interval: the plain prediction, as before.
    plain = m.predict(39.0, x, tx, T)
    assert np.array_equal(np.asarray(plain), d["expected_purchases"].to_numpy())
    # Given parameters have no covariance: refused, naming the argument.
    given = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    with pytest.raises(cm.InputError) as e:
        given.predict(39.0, x, tx, T, interval="delta")
    assert e.value.argument == "interval"
    # A JSON file of 0.1.0 (no covariance) loads and predicts, but gives no interval.
    old = json.loads(m.to_json())
    del old["covariance"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    loaded = cm.BetaGeoModel.load(path)
    assert np.array_equal(np.asarray(loaded.predict(39.0, x, tx, T)), np.asarray(plain))
    with pytest.raises(cm.InputError):
        loaded.predict(39.0, x, tx, T, interval="delta")
    with pytest.raises(cm.InputError) as e:
        m.predict(39.0, x, tx, T, interval="delta", level=1.5)
    assert e.value.argument == "level"


def test_results_pickle_and_unknown_names(cdnow_holdout, donations):
    import pickle

    _, frame = cdnow_holdout
    c = cm.select_model(frame, by="rmse")
    back = pickle.loads(pickle.dumps(c))
    pd.testing.assert_frame_equal(back.candidates, c.candidates)
    assert back.chosen == c.chosen and back.model.to_json() == c.model.to_json()  # covariance too
    bb = cm.BetaGeoBetaBinomModel().fit(donations)
    assert pickle.loads(pickle.dumps(bb)).to_json() == bb.to_json()
    x, tx, T = (frame[k].to_numpy(float) for k in ("frequency_cal", "recency_cal", "T_cal"))
    with pytest.raises(cm.InputError) as e:
        c.model.predict(39.0, x, tx, T, interval="wald")
    assert e.value.argument == "interval" and e.value.value == "wald"
    with pytest.raises(cm.InputError) as e:
        cm.select_model(frame, models=("bgnbd", "gompertz"))
    assert e.value.argument == "models"


@pytest.fixture(scope="module")
def generated_clv():
    """A generated log's summary (BG/NBD and Gamma-Gamma truth, days) with both models fitted."""
    s = cm.summarize(cm.generate(customers=600, seed=21))
    return s, cm.BetaGeoModel().fit(s), cm.GammaGammaModel().fit(s)


def _clv_columns(s):
    return tuple(s[c].to_numpy(float) for c in ("frequency", "recency", "T", "monetary_value"))


def test_clv_delta_interval_by_hand(generated_clv):
    """The lifetime value's delta-method standard error recomputed here: the plain
    customer_lifetime_value at each of the 7 natural parameters (r, alpha, a, b; p, q, v) moved
    by +-h p_j, and J Sigma J' with Sigma block-diagonal (the two fits' covariances, taken as
    independent), on the natural scale: another step and another scale than the core's."""
    s, bg, gg = generated_clv
    x, tx, T, m = _clv_columns(s)
    out = gg.customer_lifetime_value(bg, x, tx, T, m, interval="delta", level=0.9)
    plain = gg.customer_lifetime_value(bg, x, tx, T, m)
    assert np.array_equal(out["clv"].to_numpy(), np.asarray(plain))  # the same numbers
    p0, g0 = bg.params_.to_numpy(), gg.params_.to_numpy()
    sigma = np.zeros((7, 7))
    sigma[:4, :4] = bg.variance_matrix_.to_numpy()
    sigma[4:, 4:] = gg.variance_matrix_.to_numpy()
    theta = np.concatenate([p0, g0])

    def value(q):
        b = cm.BetaGeoModel().set_params(**dict(zip(["r", "alpha", "a", "b"], q[:4])))
        g = cm.GammaGammaModel().set_params(**dict(zip(["p", "q", "v"], q[4:])))
        return np.asarray(g.customer_lifetime_value(b, x, tx, T, m))

    J = np.stack([(value(theta + 1e-4 * theta * e) - value(theta - 1e-4 * theta * e))
                  / (2e-4 * theta @ e) for e in np.eye(7)], axis=1)
    se = np.sqrt(np.einsum("ij,jk,ik->i", J, sigma, J))
    assert rel(out["std_error"].to_numpy(), se) < 1e-5
    z = 1.6448536269514722
    assert np.allclose(out["upper"], out["clv"] + z * out["std_error"], rtol=1e-12)
    assert np.allclose(out["lower"], np.maximum(0, out["clv"] - z * out["std_error"]),
                       rtol=1e-12, atol=1e-12)
    total_se = np.sqrt(J.sum(0) @ sigma @ J.sum(0))
    assert out.attrs["total_std_error"] == pytest.approx(total_se, rel=1e-5)
    assert out.attrs["total"] == pytest.approx(np.sum(plain), rel=1e-12)
    assert out.attrs["method"] == "delta"


def test_clv_intervals_equal_the_cli(generated_clv, tmp_path):
    """Cross-face: `score --spend-params --interval` writes the same clv_lower/clv_upper and
    the same total's interval as Python (one core function; CSV numbers round-trip)."""
    s, bg, gg = generated_clv
    x, tx, T, m = _clv_columns(s)
    s.to_csv(tmp_path / "s.csv")
    bg.save(tmp_path / "bg.json")
    gg.save(tmp_path / "gg.json")
    for method in ("delta", "parametric"):
        out = gg.customer_lifetime_value(bg, x, tx, T, m, interval=method, draws=100, seed=4)
        run("score", str(tmp_path / "s.csv"), "--params", str(tmp_path / "bg.json"),
            "--spend-params", str(tmp_path / "gg.json"), "--interval", method, "--draws", "100",
            "--seed", "4", "--out", str(tmp_path / "scores.csv"))
        cli = pd.read_csv(tmp_path / "scores.csv")
        assert rel(cli["clv_lower"].to_numpy(), out["lower"].to_numpy()) < 1e-12
        assert rel(cli["clv_upper"].to_numpy(), out["upper"].to_numpy()) < 1e-12
        totals = json.loads(run("score", str(tmp_path / "s.csv"), "--params",
                                str(tmp_path / "bg.json"), "--spend-params",
                                str(tmp_path / "gg.json"), "--interval", method, "--draws",
                                "100", "--seed", "4", "--format", "json"))
        assert totals["clv_total_lower"] == pytest.approx(out.attrs["total_lower"], rel=1e-12)
        assert totals["clv_total_upper"] == pytest.approx(out.attrs["total_upper"], rel=1e-12)


def test_clv_intervals_seed_threads_and_errors(generated_clv):
    s, bg, gg = generated_clv
    x, tx, T, m = _clv_columns(s)
    a = gg.customer_lifetime_value(bg, x, tx, T, m, interval="parametric", draws=200, seed=3,
                                   threads=1)
    b = gg.customer_lifetime_value(bg, x, tx, T, m, interval="parametric", draws=200, seed=3,
                                   threads=2)
    assert a.equals(b)  # the seed decides, not the threads
    c = gg.customer_lifetime_value(bg, x, tx, T, m, interval="parametric", draws=200, seed=4)
    assert not a.equals(c)
    d = gg.customer_lifetime_value(bg, x, tx, T, m, interval="delta")
    assert abs(a.attrs["total_std_error"] / d.attrs["total_std_error"] - 1) < 0.25
    boot = gg.customer_lifetime_value(bg, x, tx, T, m, interval="bootstrap", draws=20, seed=5)
    again = gg.customer_lifetime_value(bg, x, tx, T, m, interval="bootstrap", draws=20, seed=5,
                                       threads=2)
    assert boot.equals(again) and boot.attrs["failed_draws"] == 0
    assert (boot["lower"] <= boot["upper"]).all()
    # A spend model of given parameters has no covariance: refused, naming the argument.
    given = cm.GammaGammaModel().set_params(p=6.25, q=3.74, v=15.44)
    with pytest.raises(cm.InputError) as e:
        given.customer_lifetime_value(bg, x, tx, T, m, interval="delta")
    assert e.value.argument == "interval"
    with pytest.raises(cm.InputError) as e:
        gg.customer_lifetime_value(bg, x, tx, T, m, interval="wald")
    assert e.value.argument == "interval" and e.value.value == "wald"


def test_bgbb_score_equals_python(donations, peer, tmp_path):
    """Cross-face: `custometrics score --params BGBB.json` and `cm.score_customers` (both the
    core's score_customers) give the numbers of BetaGeoBetaBinomModel's own predictions
    (P(alive at n + 1), E[X(n, n + 5)], DERT(0.1)) for every donation pattern, and their
    weighted totals; P(alive) and E[X(n, n + 5)] are lifetimes' (bgbb.json) at its fit."""
    bb = cm.BetaGeoBetaBinomModel().fit(donations)
    bb.save(tmp_path / "bb.json")
    path = tmp_path / "donations.csv"
    donations.to_csv(path, index=False)
    run("score", str(path), "--params", str(tmp_path / "bb.json"), "--horizon", "5",
        "--discount-rate", "0.1", "--out", str(tmp_path / "scores.csv"))
    cli = pd.read_csv(tmp_path / "scores.csv")
    x, tx, n = (donations[c] for c in ("frequency", "recency", "periods"))
    alive = bb.conditional_probability_alive(1, x, tx, n).to_numpy()
    next5 = bb.conditional_expected_number_of_purchases_up_to_time(5, x, tx, n).to_numpy()
    dert = bb.discounted_expected_residual_transactions(0.1, x, tx, n).to_numpy()
    assert rel(cli["p_alive"].to_numpy(), alive) < 1e-12
    assert rel(cli["expected_purchases"].to_numpy(), next5) < 1e-12
    assert rel(cli["dert"].to_numpy(), dert) < 1e-12
    assert rel(alive, peer["conditional_probability_alive_1"]) < 1e-6  # lifetimes: its own fit
    py = cm.score_customers(bb, donations, horizon=5, discount_rate=0.1)
    assert list(py.columns) == ["p_alive", "expected_purchases", "dert"]
    assert rel(py["p_alive"].to_numpy(), alive) < 1e-12
    assert rel(py["dert"].to_numpy(), dert) < 1e-12
    totals = json.loads(run("score", str(path), "--params", str(tmp_path / "bb.json"),
                            "--horizon", "5", "--discount-rate", "0.1", "--format", "json"))
    w = donations["weights"].to_numpy(float)
    assert totals["expected_purchases"] == pytest.approx(w @ next5, rel=1e-12)
    assert totals["dert_total"] == pytest.approx(w @ dert, rel=1e-12)
    assert totals["expected_alive"] == pytest.approx(w @ alive, rel=1e-12)


def test_bgbb_score_refusals(donations):
    """The core's check_score_request refuses what BG/BB cannot do, with the error's fields:
    a spend model, a contact list (no calendar), a horizon of part of an opportunity; a
    continuous-time model refuses a weights column instead of scoring each row once."""
    bb = cm.BetaGeoBetaBinomModel().set_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    gg = cm.GammaGammaModel().set_params(p=6.25, q=3.74, v=15.44)
    with pytest.raises(cm.InputError) as e:
        cm.score_customers(bb, donations.assign(monetary_value=10.0), gg)
    assert e.value.argument == "spend"
    with pytest.raises(cm.InputError) as e:
        cm.score_customers(bb, donations, horizon=2.5)
    assert e.value.argument == "horizon" and e.value.value == "2.5"
    with pytest.raises(cm.InputError) as e:
        cm.contact_list(bb, None, donations)
    assert e.value.argument == "model" and e.value.value == "bgbb"
    bg = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    frame = donations.rename(columns={"periods": "T"})
    with pytest.raises(cm.InputError) as e:
        cm.score_customers(bg, frame)
    assert e.value.argument == "weights"
    assert len(cm.score_customers(bg, frame.drop(columns="weights"))) == 22


def test_bgbb_interval_refused_with_the_request(donations):
    """Prediction intervals of BG/BB scores: the core's request check (check_score_models)
    refuses them with ``argument`` "interval" before any customer, the refusal of the CLI's
    ``score --interval`` (tests/cli_test.sh): here through the options every face passes, on no
    customers (the driver's check) and on the donations; a continuous-time model takes them."""
    bb = cm.BetaGeoBetaBinomModel().set_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    empty = np.empty(0, np.float64)
    x, tx, n = (donations[c].to_numpy(np.float64) for c in ("frequency", "recency", "periods"))
    options = cm._core.ScoreOptions(horizon=5.0, intervals=True)
    for rows in ((empty, empty, empty), (x, tx, n)):
        for check_only in (True, False):
            with pytest.raises(cm.InputError, match="interval: prediction intervals are not "
                               "derived for a BG/BB model") as e:
                cm._core.retention_score(bb._fitted_model(), None, *rows, empty, empty, "days",
                                         1.0, options, check_only)
            assert (e.value.argument, e.value.value) == ("interval", "bgbb")
    bg = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    s = cm._core.retention_score(bg._fitted_model(), None, x, tx, n, empty, empty, "days", 1.0,
                                 options)
    assert len(s) == 22
