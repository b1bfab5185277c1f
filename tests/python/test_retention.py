"""Retention models against published estimates and lifetimes 0.11.3, customer by customer.

lifetimes' values are committed fixtures (tests/reference/lifetimes/retention.json, made by
tests/reference/lifetimes/make_fixtures.py with lifetimes 0.11.3), so these tests run without
lifetimes and on numpy 2 / pandas 3 too. The CDNOW sample (2,357 customers, 39-week
calibration, weeks) is lifetimes' copy, committed in tests/reference/lifetimes; the
published maximum-likelihood estimates are those of Fader, Hardie & Lee (2005), "Counting your
customers the easy way" (BG/NBD), "A note on deriving the Pareto/NBD model" and "RFM and CLV"
(Gamma-Gamma, on the 946 repeat buyers).
"""

import numpy as np
import pandas as pd
import pytest

import custometrics as cm

from lifetimes_reference import fixture, load_cdnow_master
from lifetimes_reference import load_cdnow_summary_data_with_monetary_value

BGNBD = dict(r=0.243, alpha=4.414, a=0.793, b=2.426)
PNBD = dict(r=0.553, alpha=10.578, s=0.606, beta=11.669)
GG = dict(p=6.25, q=3.74, v=15.44)


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary_data_with_monetary_value()


@pytest.fixture(scope="module")
def peer():
    """lifetimes 0.11.3's values (tests/reference/lifetimes/make_fixtures.py: retention())."""
    return fixture("retention")


def by_customer(cdnow, peer):
    """Positions into the fixture's distinct (frequency, recency, T) rows, one per customer:
    lifetimes' predictions are functions of these three numbers, so the stored distinct rows
    give every customer's value."""
    rows = np.stack([cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T")], axis=1)
    u, inverse = np.unique(rows, axis=0, return_inverse=True)
    d = peer["distinct_rows"]
    np.testing.assert_array_equal(u, np.stack([d["frequency"], d["recency"], d["T"]], axis=1))
    return inverse.ravel()


def sig3(x):
    return float(f"{x:.3g}")


def rel(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))


# ---- published estimates

def test_bgnbd_fit_matches_published_estimates(cdnow):
    m = cm.BetaGeoModel().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert m.fit_report_.converged, m.fit_report_
    for k, v in BGNBD.items():
        assert sig3(m.params_[k]) == sig3(v), (k, m.params_[k])
    assert m.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    assert m.n_ == 2357
    assert (m.standard_errors_ > 0).all()


def test_bgnbd_fit_from_a_frame_equals_fit_from_columns(cdnow):
    a = cm.BetaGeoModel().fit(cdnow)
    b = cm.BetaGeoModel().fit(cdnow["frequency"].to_numpy(), cdnow["recency"].to_numpy(),
                              cdnow["T"].to_numpy())
    np.testing.assert_array_equal(a.params_.to_numpy(), b.params_.to_numpy())


def test_pareto_nbd_fit_matches_published_estimates(cdnow):
    m = cm.ParetoNBDModel().fit(cdnow)
    assert m.fit_report_.converged, m.fit_report_
    for k, v in PNBD.items():
        assert sig3(m.params_[k]) == sig3(v), (k, m.params_[k])
    assert m.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)


def test_gamma_gamma_fit_matches_published_estimates(cdnow, peer):
    buyers = cdnow[cdnow["frequency"] > 0]
    assert len(buyers) == 946
    m = cm.GammaGammaModel().fit(buyers["frequency"], buyers["monetary_value"])
    for k, v in GG.items():
        assert sig3(m.params_[k]) == sig3(v), (k, m.params_[k])
    # lifetimes' GammaGammaFitter on the same buyers (its documented output: p 6.248802,
    # q 3.744588, v 15.447748); FHL print v = 15.44, lifetimes and we find 15.4477.
    np.testing.assert_allclose(m.params_.to_numpy(), peer["gamma_gamma_fit"], rtol=1e-5)


# ---- agreement with lifetimes at the same parameters, every customer

@pytest.mark.parametrize("ours,theirs,params", [
    (cm.BetaGeoModel, "BetaGeoFitter", BGNBD),
    (cm.ModifiedBetaGeoModel, "ModifiedBetaGeoFitter", BGNBD),
    (cm.ParetoNBDModel, "ParetoNBDFitter", PNBD),
])
def test_predictions_equal_lifetimes_on_every_cdnow_customer(cdnow, peer, ours, theirs, params):
    x, tx, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    m = ours().set_params(**params)
    ref = peer[theirs]
    at = by_customer(cdnow, peer)
    assert rel(m.conditional_probability_alive(x, tx, T),
               ref["conditional_probability_alive"][at]) < 1e-6
    for t in (1.0, 10.0, 39.0, 52.0):
        assert rel(m.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T),
                   ref[f"conditional_expected_{t:g}"][at]) < 1e-6
    ts = np.array([0.5, 1.0, 10.0, 39.0, 78.0])
    np.testing.assert_array_equal(ref["expected_at"], ts)
    assert rel(m.expected_number_of_purchases_up_to_time(ts), ref["expected"]) < 1e-6
    if theirs != "ParetoNBDFitter":  # lifetimes' Pareto/NBD has only the conditional form
        for n in range(0, 8):
            assert rel(m.probability_of_n_purchases_up_to_time(39.0, n),
                       ref["probability_of_n_at_39"][n]) < 1e-6, n


def test_pareto_nbd_log_likelihood_equals_lifetimes_per_customer(cdnow, peer):
    x, tx, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    ours = cm.ParetoNBDModel().set_params(**PNBD).log_likelihood(x, tx, T)
    assert rel(ours, peer["pareto_nbd_log_likelihood"][by_customer(cdnow, peer)]) < 1e-8


def test_bgnbd_log_likelihood_total_equals_lifetimes(cdnow, peer):
    x, tx, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    ours = cm.BetaGeoModel().set_params(**BGNBD).log_likelihood(x, tx, T)
    assert ours.sum() == pytest.approx(peer["bgnbd_log_likelihood_total"], rel=1e-10)


def test_gamma_gamma_spend_and_clv_equal_lifetimes(cdnow, peer):
    buyers = cdnow[cdnow["frequency"] > 0]
    np.testing.assert_array_equal(buyers.index.to_numpy(), peer["buyers_customer_id"])
    gg = cm.GammaGammaModel().set_params(**GG)
    assert rel(gg.conditional_expected_average_profit(buyers["frequency"],
                                                      buyers["monetary_value"]),
               peer["gamma_gamma_average_profit"]) < 1e-10
    bg = cm.BetaGeoModel().set_params(**BGNBD)
    args = [buyers[c] for c in ("frequency", "recency", "T", "monetary_value")]
    for time, rate, freq in ((12, 0.01, "W"), (3, 0.0, "W"), (24, 0.02, "M")):
        ours = gg.customer_lifetime_value(bg, *args, time=time, discount_rate=rate, freq=freq)
        assert rel(ours, peer[f"clv_{time}_{rate:g}_{freq}"]) < 1e-6, (time, rate, freq)
        assert isinstance(ours, pd.Series) and ours.index.equals(buyers.index)


# ---- robustness

def test_heavy_buyers_give_finite_numbers():
    x = np.array([0.0, 1.0, 50.0, 500.0, 2000.0])
    tx = np.array([0.0, 5.0, 300.0, 900.0, 999.0])
    T = np.array([10.0, 10.0, 400.0, 1000.0, 1000.0])
    for model, params in ((cm.BetaGeoModel, BGNBD), (cm.ParetoNBDModel, PNBD),
                          (cm.ModifiedBetaGeoModel, BGNBD)):
        m = model().set_params(**params)
        for v in (m.conditional_probability_alive(x, tx, T), m.log_likelihood(x, tx, T),
                  m.conditional_expected_number_of_purchases_up_to_time(52.0, x, tx, T),
                  m.next_purchase_time(x, tx, T)):
            assert np.all(np.isfinite(v)), (model, v)
        p = m.conditional_probability_alive(x, tx, T)
        assert np.all((p >= 0) & (p <= 1))


def test_next_purchase_time_is_the_lomax_median():
    # Posterior rate Gamma(r + x, alpha + T): P(W > w) = ((alpha+T)/(alpha+T+w))^(r+x).
    m = cm.BetaGeoModel().set_params(**BGNBD)
    w = m.next_purchase_time(np.array([2.0]), np.array([30.43]), np.array([38.86]))[0]
    r, alpha = BGNBD["r"], BGNBD["alpha"]
    expected = (alpha + 38.86) * (2.0 ** (1.0 / (r + 2.0)) - 1.0)  # = 14.93...
    assert w == pytest.approx(expected, rel=1e-12)
    assert ((alpha + 38.86) / (alpha + 38.86 + w)) ** (r + 2.0) == pytest.approx(0.5)


@pytest.mark.parametrize("bad,message", [
    (dict(frequency=[1.0, np.nan], recency=[1.0, 1.0], T=[2.0, 2.0]), "frequency"),
    (dict(frequency=[1.0, -1.0], recency=[1.0, 1.0], T=[2.0, 2.0]), "frequency"),
    (dict(frequency=[1.0, 1.5], recency=[1.0, 1.0], T=[2.0, 2.0]), "frequency"),
    (dict(frequency=[1.0, 1.0], recency=[1.0, 3.0], T=[2.0, 2.0]), "recency"),
    (dict(frequency=[1.0, 1.0], recency=[1.0, 1.0], T=[2.0, 0.0]), "T"),
    (dict(frequency=[1.0, 0.0], recency=[1.0, 1.0], T=[2.0, 2.0]), "recency"),
])
def test_bad_rows_name_the_argument_and_customer(bad, message):
    with pytest.raises(ValueError, match=message) as e:
        cm.BetaGeoModel().fit(bad["frequency"], bad["recency"], bad["T"])
    assert "1" in str(e.value)  # customer position 1


def test_empty_and_mismatched_input():
    with pytest.raises(ValueError):
        cm.BetaGeoModel().fit([], [], [])
    with pytest.raises(ValueError, match="length"):
        cm.BetaGeoModel().fit([1.0, 2.0], [1.0], [2.0, 3.0])
    with pytest.raises(ValueError, match="not fitted"):
        cm.BetaGeoModel().conditional_probability_alive([1.0], [1.0], [2.0])
    with pytest.raises(ValueError, match="alpha"):
        cm.BetaGeoModel().set_params(r=1.0, alpha=-1.0, a=1.0, b=1.0)


def test_weights_equal_repeated_rows(cdnow):
    rows = cdnow.groupby(["frequency", "recency", "T"]).size().rename("w").reset_index()
    a = cm.BetaGeoModel().fit(rows["frequency"], rows["recency"], rows["T"], weights=rows["w"])
    b = cm.BetaGeoModel().fit(cdnow)
    np.testing.assert_allclose(a.params_.to_numpy(), b.params_.to_numpy(), rtol=1e-6)
    assert a.log_likelihood_ == pytest.approx(b.log_likelihood_, rel=1e-9)


def test_penalized_fit_equals_lifetimes(cdnow, peer):
    ours = cm.BetaGeoModel(penalizer_coef=0.1).fit(cdnow)
    np.testing.assert_allclose(ours.params_.to_numpy(), peer["bgnbd_penalized_0.1_fit"],
                               rtol=1e-4)


def test_expected_repeat_purchase_counts_add_up(cdnow):
    m = cm.BetaGeoModel().set_params(**BGNBD)
    t = m.expected_repeat_purchase_counts(cdnow["frequency"], cdnow["T"], max_frequency=7)
    assert t["actual"].sum() == 2357 and t["model"].sum() == pytest.approx(2357)
    # FHL 2005 figure 2: about 1,411 zero-repeat customers actual, the model close to it.
    assert t.loc["0", "actual"] == 1411
    assert t.loc["0", "model"] == pytest.approx(1411, rel=0.03)


def test_mbgnbd_fit_equals_lifetimes(cdnow, peer):
    ours = cm.ModifiedBetaGeoModel().fit(cdnow)
    ref = dict(zip(["r", "alpha", "a", "b"], peer["mbgnbd_fit"]))
    # The same maximum: our log-likelihood at lifetimes' optimum is not higher than ours.
    at_ref = cm.ModifiedBetaGeoModel().set_params(**ref)
    assert ours.log_likelihood_ >= at_ref.log_likelihood(cdnow).sum() - 1e-6
    np.testing.assert_allclose(ours.params_.to_numpy(), peer["mbgnbd_fit"], rtol=2e-3)


# ---- contractual retention (Fader & Hardie 2007, "How to project customer retention")

@pytest.mark.parametrize("active,alpha,beta", [
    ([1000, 631, 468, 382, 326, 289, 262, 241], 0.704, 1.182),   # "regular"
    ([1000, 869, 743, 653, 593, 551, 517, 491], 0.668, 3.806),   # "high end"
])
def test_sbg_fit_reproduces_the_published_cohorts(active, alpha, beta):
    m = cm.ShiftedBetaGeometricModel().fit(active)
    assert round(m.params_["alpha"], 3) == alpha
    assert round(m.params_["beta"], 3) == beta
    # S(1) = beta / (alpha + beta); r(t) = (beta + t - 1) / (alpha + beta + t - 1).
    a, b = m.params_["alpha"], m.params_["beta"]
    assert m.survival(1) == pytest.approx(b / (a + b), rel=1e-12)
    assert m.retention_rate(5) == pytest.approx((b + 4) / (a + b + 4), rel=1e-12)
    np.testing.assert_allclose(m.survival(np.arange(4)),
                               [1.0, b / (a + b), b / (a + b) * (b + 1) / (a + b + 1),
                                b / (a + b) * (b + 1) / (a + b + 1) * (b + 2) / (a + b + 2)],
                               rtol=1e-12)


def test_sbg_derl_is_the_discounted_sum_of_survival_ratios():
    m = cm.ShiftedBetaGeometricModel().set_params(alpha=0.704, beta=1.182)
    d, n = 0.1, 3  # after 3 renewals, facing the 4th: sum_j S(n+1+j)/S(n) (1+d)^-j
    s = m.survival(np.arange(n, n + 3000))
    expected = np.sum(s[1:] / s[0] / (1 + d) ** np.arange(len(s) - 1))
    assert m.discounted_expected_residual_lifetime(d, n) == pytest.approx(expected, rel=1e-6)


def test_sbg_bad_counts():
    with pytest.raises(ValueError, match="period"):
        cm.ShiftedBetaGeometricModel().fit([100, 80, 90])
    with pytest.raises(ValueError):
        cm.ShiftedBetaGeometricModel().fit([100])


# ---- contact list, economics, calibration check

def test_contact_list_ranks_by_lifetime_value_within_the_window(cdnow):
    bg = cm.BetaGeoModel().set_params(**BGNBD)
    gg = cm.GammaGammaModel().set_params(**GG)
    # Window and lead time in days (4 and 2 weeks of the CDNOW summary).
    c = cm.contact_list(bg, gg, cdnow, within=28.0, lead_time=14.0, freq="W",
                        as_of="1997-09-30")
    assert len(c) > 0
    assert (c["next_purchase_in"] <= 4.0).all()
    np.testing.assert_allclose(c["call_in"], np.maximum(0.0, c["next_purchase_in"] - 2.0))
    assert c["clv"].is_monotonic_decreasing
    # Every listed customer's figures are the model's own.
    first = c.index[0]
    row = cdnow.loc[first]
    assert c["next_purchase_in"].iloc[0] == pytest.approx(
        bg.next_purchase_time(row["frequency"], row["recency"], row["T"]), rel=1e-12)
    clv = gg.customer_lifetime_value(bg, cdnow["frequency"], cdnow["recency"], cdnow["T"],
                                     cdnow["monetary_value"], freq="W")
    assert c["clv"].iloc[0] == pytest.approx(clv.loc[first], rel=1e-12)
    # Customers outside the window are the ones whose median wait is longer.
    wait = bg.next_purchase_time(cdnow)
    assert set(c.index) == set(wait.index[wait <= 4.0])
    assert c["call_date"].iloc[0] == (pd.Timestamp("1997-09-30") + pd.to_timedelta(
        c["call_in"].iloc[0] * 7, unit="D")).floor("D")
    assert len(cm.contact_list(bg, gg, cdnow, within=28.0, freq="W", top=3)) == 3


def test_contact_list_top_zero_means_all_rows_as_the_cli(cdnow):
    # One rule in the core (contact_days.top): 0, like `contacts --top 0`, and None list every
    # customer of the window; a positive top keeps the first rows; a negative one is an error.
    bg = cm.BetaGeoModel().set_params(**BGNBD)
    gg = cm.GammaGammaModel().set_params(**GG)
    every = cm.contact_list(bg, gg, cdnow, within=28.0, freq="W")
    wait = bg.next_purchase_time(cdnow)
    assert len(every) == int((wait <= 4.0).sum()) > 3
    pd.testing.assert_frame_equal(cm.contact_list(bg, gg, cdnow, within=28.0, freq="W", top=0),
                                  every)
    pd.testing.assert_frame_equal(cm.contact_list(bg, gg, cdnow, within=28.0, freq="W", top=3),
                                  every.iloc[:3])
    with pytest.raises(cm.InputError, match="top"):
        cm.contact_list(bg, gg, cdnow, within=28.0, freq="W", top=-1)


def test_set_params_clears_the_statistics_of_the_fit(cdnow):
    # Given parameters have no standard errors, covariance or log-likelihood: the fit's would
    # describe other parameters, and to_json would write them next to the new ones.
    m = cm.BetaGeoModel().fit(cdnow)
    assert m.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    assert '"std_errors"' in m.to_json()
    m.set_params(**BGNBD)
    for name in ("standard_errors_", "variance_matrix_", "log_likelihood_", "n_",
                 "unique_rows_", "fit_report_"):
        assert not hasattr(m, name), name
    assert m.summary["se(coef)"].isna().all()
    assert '"std_errors"' not in m.to_json()
    assert "fitted on" not in repr(m)
    with pytest.warns(UserWarning, match="left out"):
        gg = cm.GammaGammaModel().fit(cdnow["frequency"], cdnow["monetary_value"])
    assert gg.customers_left_out_["without_repeat_purchase"] == 2357 - 946
    gg.set_params(**GG)
    assert not hasattr(gg, "customers_left_out_")
    assert not hasattr(gg, "log_likelihood_")


def test_a_fitted_model_pickles_with_its_fit_statistics(cdnow):
    # Spark ships fitted estimators to its workers by pickling them; the statistics the JSON
    # form writes come along (the core's FitStatistics pickles).
    import pickle
    m = cm.BetaGeoModel().fit(cdnow, time_unit="weeks")
    back = pickle.loads(pickle.dumps(m))
    assert back.to_json() == m.to_json()
    assert '"std_errors"' in back.to_json()
    np.testing.assert_array_equal(back.conditional_probability_alive(cdnow),
                                  m.conditional_probability_alive(cdnow))


def test_retention_economics_hand_calculation():
    # m = 100, r = 0.8, d = 0.1: start-of-period CLV = 100 * 1.1 / 0.3 = 366.67; at r = 0.85,
    # 100 * 1.1 / 0.25 = 440 (+20%). End-of-period: 100 * 0.8 / 0.3 = 266.67.
    e = cm.retention_economics(100, 0.8, 0.1, 5)
    assert e.before.lifetime_value == pytest.approx(1100 / 3)
    assert e.after.lifetime_value == pytest.approx(440.0)
    assert e.lifetime_value_change == pytest.approx(0.2)
    end = cm.retention_economics(100, 0.8, 0.1, 5, timing="end")
    assert end.before.lifetime_value == pytest.approx(800 / 3)
    # Steady state with 1,000 new customers a period: 1000 / (1 - r) customers.
    s = cm.retention_economics(100, 0.8, 0.1, 5, new_customers=1000, acquisition_cost=50)
    assert s.before.steady_state_customers == pytest.approx(5000)
    assert s.after.steady_state_customers == pytest.approx(1000 / 0.15)
    with pytest.raises(ValueError, match="retention"):
        cm.retention_economics(100, 1.2, 0.1)
    with pytest.raises(ValueError, match="timing"):
        cm.retention_economics(100, 0.8, 0.1, timing="middle")


def test_calibration_holdout_check_on_generated_customers():
    log = cm.generate(customers=5000, seed=3, start="2020-01-01", end="2021-12-31")
    s = cm.summarize(log, unit_scale=7.0, calibration_end="2021-06-30")
    m = cm.BetaGeoModel().fit(s)
    check = cm.calibration_holdout_check(m, s)
    assert check.table["customers"].sum() == len(s)
    assert check.total_actual == s["frequency_holdout"].sum()
    # The generator follows the BG/NBD story: the holdout total is predicted within 10%.
    assert check.total_predicted == pytest.approx(check.total_actual, rel=0.1)
    assert check.mae > 0 and check.rmse >= check.mae
    pred = m.conditional_expected_number_of_purchases_up_to_time(
        s["duration_holdout"].iloc[0], s["frequency_cal"], s["recency_cal"], s["T_cal"])
    assert check.total_predicted == pytest.approx(pred.sum(), rel=1e-12)


def test_retention_plots_draw_the_data(cdnow):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = cm.BetaGeoModel().set_params(**BGNBD)
    t = m.expected_repeat_purchase_counts(cdnow)
    ax = cm.plot.purchase_counts(t)
    heights = [p.get_height() for p in ax.containers[0]]
    np.testing.assert_allclose(heights, t["actual"].to_numpy())
    ax = cm.plot.p_alive_matrix(m, 5, 39)
    z = ax.images[0].get_array()
    assert z.shape == (40, 6)
    assert z[39, 5] == pytest.approx(m.conditional_probability_alive(5, 39.0, 39.0))
    plt.close("all")


def test_contact_list_and_calibration_check_bad_input(cdnow):
    bg = cm.BetaGeoModel().set_params(**BGNBD)
    gg = cm.GammaGammaModel().set_params(**GG)
    with pytest.raises(ValueError, match="freq"):
        cm.contact_list(bg, gg, cdnow, freq="Y")
    with pytest.raises(cm.InputError, match="within_days") as e:
        cm.contact_list(bg, gg, cdnow, within=-1.0)
    assert e.value.argument == "within_days"
    with pytest.raises(cm.InputError, match="lead_days"):
        cm.contact_list(bg, gg, cdnow, lead_time=float("nan"))
    with pytest.raises(ValueError, match="frequency_cal"):
        cm.calibration_holdout_check(bg, cdnow)  # not a calibration/holdout summary
    s = pd.DataFrame({"frequency_cal": [1.0, 0.0], "recency_cal": [2.0, 0.0],
                      "T_cal": [5.0, 5.0], "frequency_holdout": [1.0, 0.0],
                      "duration_holdout": [3.0, 4.0]})
    with pytest.raises(ValueError, match="duration_holdout"):
        cm.calibration_holdout_check(bg, s)
    with pytest.raises(ValueError, match="max_frequency"):
        cm.calibration_holdout_check(bg, s.assign(duration_holdout=3.0), max_frequency=0)


# ---- the fitted model as a value, its time unit, scores and contacts through the core

def test_save_load_round_trip_is_bit_exact(cdnow, tmp_path):
    m = cm.BetaGeoModel().fit(cdnow, time_unit="weeks")
    assert (m.time_unit_, m.unit_scale_) == ("weeks", 1.0)
    path = tmp_path / "bg.json"
    m.save(path)
    back = cm.BetaGeoModel.load(path)
    for a, b in [(m.params_, back.params_), (m.standard_errors_, back.standard_errors_)]:
        assert list(a.index) == list(b.index)
        assert a.to_numpy().tobytes() == b.to_numpy().tobytes()  # every bit
    assert back.log_likelihood_ == m.log_likelihood_
    assert back.n_ == 2357 and back.unique_rows_ == m.unique_rows_ > 0
    assert back.fit_report_ == m.fit_report_
    assert (back.time_unit_, back.unit_scale_) == ("weeks", 1.0)
    assert back.to_json() == m.to_json()
    d = __import__("json").loads(m.to_json())
    assert d["model"] == "bgnbd" and d["time_unit"] == "weeks" and d["version"] == cm.__version__
    # The spend model: "gamma" written, no unit, the left-out counts kept.
    with pytest.warns(UserWarning, match="1411 without a repeat purchase"):
        gg = cm.GammaGammaModel().fit(cdnow)
    g2 = cm.GammaGammaModel.from_json(gg.to_json())
    assert g2.params_.to_numpy().tobytes() == gg.params_.to_numpy().tobytes()
    assert g2.customers_left_out_ == gg.customers_left_out_ and g2.time_unit_ is None
    assert '"gamma":' in gg.to_json() and "time_unit" not in gg.to_json()
    with pytest.raises(cm.InputError, match="differs from the model"):
        cm.ParetoNBDModel.load(path)


def test_gamma_gamma_leaves_out_non_buyers_and_says_so(cdnow):
    # The CDNOW sample: 2,357 customers, 946 repeat buyers; the fit on the whole summary
    # uses those with a positive mean spend, the same as the fit on them alone.
    buyers = cdnow[(cdnow["frequency"] > 0) & (cdnow["monetary_value"] > 0)]
    no_repeat = int((cdnow["frequency"] == 0).sum())
    no_spend = int(((cdnow["frequency"] > 0) & (cdnow["monetary_value"] <= 0)).sum())
    assert no_repeat == 1411
    with pytest.warns(UserWarning, match=f"{no_repeat + no_spend} customers left out"):
        whole = cm.GammaGammaModel().fit(cdnow)
    assert whole.customers_left_out_ == {"without_repeat_purchase": no_repeat,
                                         "without_positive_spend": no_spend}
    alone = cm.GammaGammaModel().fit(buyers["frequency"], buyers["monetary_value"])
    assert alone.customers_left_out_ == {"without_repeat_purchase": 0,
                                         "without_positive_spend": 0}
    assert whole.params_.to_numpy().tobytes() == alone.params_.to_numpy().tobytes()
    assert whole.n_ == len(buyers) == 946
    # Three more customers: x 1 with m 0 and x 2 with m -5 (no positive spend), x 0 with m 5
    # (no repeat purchase): the counts grow by 2 and 1, the parameters do not change.
    extra = pd.DataFrame({"frequency": [1.0, 2.0, 0.0], "monetary_value": [0.0, -5.0, 5.0]})
    more = pd.concat([cdnow[["frequency", "monetary_value"]], extra], ignore_index=True)
    with pytest.warns(UserWarning):
        grown = cm.GammaGammaModel().fit(more)
    assert grown.customers_left_out_ == {"without_repeat_purchase": no_repeat + 1,
                                         "without_positive_spend": no_spend + 2}
    assert grown.params_.to_numpy().tobytes() == alone.params_.to_numpy().tobytes()
    with pytest.raises(cm.DataError, match="frequency"):
        cm.GammaGammaModel().fit([1.0, np.nan], [2.0, 3.0])


def test_summarize_records_its_time_axis_and_a_weeks_fit_refuses_days():
    log = cm.generate(customers=400, seed=3)
    weeks = cm.summarize(log, time_unit="weeks")
    days = cm.summarize(log)
    assert (weeks.attrs["time_unit"], weeks.attrs["unit_scale"]) == ("weeks", 1.0)
    assert (days.attrs["time_unit"], days.attrs["unit_scale"]) == ("days", 1.0)
    assert cm.summarize(log, unit_scale=7.0).attrs["unit_scale"] == 7.0
    bg = cm.BetaGeoModel().fit(weeks)
    assert (bg.time_unit_, bg.unit_scale_) == ("weeks", 1.0)
    with pytest.raises(cm.InputError, match="fitted on a summary in weeks.*is in days"):
        cm.score_customers(bg, days)
    with pytest.raises(cm.InputError, match="contradicts"):
        cm.BetaGeoModel().fit(days, time_unit="weeks")
    with pytest.raises(cm.InputError, match="contradicts"):
        cm.score_customers(bg, weeks, freq="D")
    # The same model scores its own summary; dates from the summary's observation end.
    s = cm.score_customers(bg, weeks)
    assert len(s) == len(weeks)
    assert (s["next_purchase_date"] >= weeks.attrs["observation_end"].floor("D")).all()
    # Given parameters record no unit: any summary is accepted, as before.
    given = cm.BetaGeoModel().set_params(**bg.params_.to_dict())
    assert given.time_unit_ is None
    assert len(cm.score_customers(given, days)) == len(days)


def test_score_customers_equals_the_model_methods(cdnow):
    bg = cm.BetaGeoModel().set_params(**BGNBD)
    gg = cm.GammaGammaModel().set_params(**GG)
    s = cm.score_customers(bg, cdnow, gg, horizon=52.0, freq="W", as_of="1997-09-30")
    assert s["p_alive"].to_numpy().tobytes() == \
        bg.conditional_probability_alive(cdnow).to_numpy().tobytes()
    np.testing.assert_array_equal(
        s["expected_purchases"], bg.predict(52.0, cdnow["frequency"], cdnow["recency"],
                                            cdnow["T"]))
    np.testing.assert_array_equal(
        s["clv"], gg.customer_lifetime_value(bg, cdnow["frequency"], cdnow["recency"],
                                             cdnow["T"], cdnow["monetary_value"], freq="W"))
    np.testing.assert_array_equal(s["next_purchase_in"], bg.next_purchase_time(cdnow))
    # By hand (the CLI test's customer): r = alpha = a = b = 1, x 1, t_x 1, T 2 days.
    one = cm.BetaGeoModel().set_params(r=1.0, alpha=1.0, a=1.0, b=1.0)
    p = pd.DataFrame({"frequency": [1.0, 0.0], "recency": [1.0, 0.0], "T": [2.0, 2.0],
                      "monetary_value": [10.0, 0.0]}, index=["P", "Q"])
    out = cm.score_customers(one, p, cm.GammaGammaModel().set_params(p=2.0, q=3.0, v=4.0),
                             as_of="2024-01-10")
    assert out.loc["P", "p_alive"] == pytest.approx(4 / 13, rel=1e-14)
    assert out.loc["P", "expected_spend"] == pytest.approx(7.0, rel=1e-14)
    assert str(out.loc["P", "next_purchase_date"].date()) == "2024-01-11"
    assert str(out.loc["Q", "next_purchase_date"].date()) == "2024-01-13"


# ---- the core's holdout check and retention overview (issue 13: one implementation)

def _numpy_holdout_check(model, s, max_frequency=7):
    """The numpy implementation calibration_holdout_check had before it moved into the core,
    kept verbatim as the reference."""
    x = s["frequency_cal"].to_numpy(float)
    tx = s["recency_cal"].to_numpy(float)
    t_age = s["T_cal"].to_numpy(float)
    actual = s["frequency_holdout"].to_numpy(float)
    duration = s["duration_holdout"].to_numpy(float)
    predicted = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(
        float(duration[0]), x, tx, t_age))
    bins = np.minimum(x.astype(np.int64), max_frequency)
    n = np.bincount(bins, minlength=max_frequency + 1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_actual = np.bincount(bins, weights=actual, minlength=max_frequency + 1) / n
        mean_predicted = np.bincount(bins, weights=predicted, minlength=max_frequency + 1) / n
    ok = (n > 0) & (mean_actual > 0)
    err = predicted - actual
    return dict(customers=n, actual=mean_actual, predicted=mean_predicted,
                mae=float(np.mean(np.abs(err))), rmse=float(np.sqrt(np.mean(err ** 2))),
                total_actual=float(actual.sum()), total_predicted=float(predicted.sum()),
                bin_mape=float(np.mean(np.abs(mean_predicted[ok] - mean_actual[ok])
                                       / mean_actual[ok])) if ok.any() else float("nan"))


@pytest.fixture(scope="module")
def cdnow_holdout():
    tx = load_cdnow_master()
    return cm.summarize(tx, unit_scale=7.0, calibration_end="1997-09-30")


@pytest.mark.parametrize("model,max_frequency", [
    (cm.BetaGeoModel, 7), (cm.ParetoNBDModel, 7), (cm.ModifiedBetaGeoModel, 3),
])
def test_holdout_check_equals_the_former_numpy_implementation(cdnow_holdout, model,
                                                              max_frequency):
    s = cdnow_holdout
    m = model().fit(s)
    check = cm.calibration_holdout_check(m, s, max_frequency=max_frequency)
    ref = _numpy_holdout_check(m, s, max_frequency)
    np.testing.assert_array_equal(check.table["customers"].to_numpy(), ref["customers"])
    np.testing.assert_allclose(check.table["actual"].to_numpy(), ref["actual"], rtol=1e-14)
    np.testing.assert_allclose(check.table["predicted"].to_numpy(), ref["predicted"],
                               rtol=1e-12)
    for key in ("mae", "rmse", "total_actual", "total_predicted", "bin_mape"):
        assert getattr(check, key) == pytest.approx(ref[key], rel=1e-12), key
    # CDNOW (FHL 2005 figure 4): 23,570 customers, the zero-repeat group is the largest.
    assert check.table["customers"].sum() == 23570
    assert check.table["customers"].iloc[0] == check.table["customers"].max()


def test_holdout_check_bad_rows_are_data_errors():
    bg = cm.BetaGeoModel().set_params(**BGNBD)
    s = pd.DataFrame({"frequency_cal": [1.0, 0.0], "recency_cal": [2.0, 0.0],
                      "T_cal": [5.0, 5.0], "frequency_holdout": [1.0, np.nan],
                      "duration_holdout": [3.0, 3.0]})
    with pytest.raises(cm.DataError) as e:
        cm.calibration_holdout_check(bg, s)
    assert (e.value.argument, e.value.row) == ("holdout_frequency", 1)
    with pytest.raises(cm.DataError) as e:
        cm.calibration_holdout_check(bg, s.assign(recency_cal=[6.0, 0.0],
                                                  frequency_holdout=1.0))
    assert (e.value.argument, e.value.row, e.value.value) == ("recency", 0, "6")


def test_retention_overview_equals_the_report():
    # `custometrics report --format json` on its generated sample (10,000 customers, seed 42,
    # summarised in days), captured before the overview moved into the core (commit 989b57b).
    log = cm.generate(customers=10000, seed=42)
    s = cm.summarize(log)
    o = cm.retention_overview(s)
    assert (o.customers, o.too_new, o.at_risk) == (10000, 0, 2551)
    np.testing.assert_allclose(
        o.purchase_model.params_.to_numpy(),
        [0.2389413419434957, 31.907507235499235, 0.7829943138153462, 2.4249394880758093],
        rtol=1e-12)
    assert o.purchase_model.log_likelihood_ == pytest.approx(-106535.66167745266, rel=1e-12)
    assert o.expected_alive == pytest.approx(7302.661586136928, rel=1e-12)
    assert o.at_risk_revenue == pytest.approx(327164.2400000004, rel=1e-12)
    assert o.expected_purchases == pytest.approx(1772.182499351684, rel=1e-12)
    np.testing.assert_allclose(o.spend_model.params_.to_numpy(),
                               [6.824724379253993, 3.831511430175679, 14.622718282310764],
                               rtol=1e-12)
    assert o.clv_total == pytest.approx(209564.00065458298, rel=1e-12)
    assert list(o.top_clv.index) == [5808, 230, 1866, 6388, 4354]
    np.testing.assert_allclose(o.top_clv.to_numpy(),
                               [1622.3556877984968, 1367.6936760274061, 1283.6741687845142,
                                1156.6701046649791, 1098.0020286077463], rtol=1e-12)
    assert o.spend_reason == ""
    assert o.revenue == pytest.approx(s["revenue"].sum(), rel=1e-12)
    # The same figures as the estimators give from the overview's models.
    alive = o.purchase_model.conditional_probability_alive(s)
    assert o.expected_alive == pytest.approx(alive.sum(), rel=1e-12)
    assert o.at_risk == int((alive < 0.5).sum())


def test_retention_overview_options_and_too_few_buyers():
    s = pd.DataFrame({"frequency": [0.0, 1, 2, 0, 3, 0, 0], "recency": [0.0, 5, 8, 0, 9, 0, 0],
                      "T": [10.0, 10, 10, 4, 12, 7, 0], "monetary_value": [0.0, 10, 20, 0, 15, 0, 0],
                      "revenue": [5.0, 20, 60, 5, 60, 5, 9]}, index=list("abcdefg"))
    o = cm.retention_overview(s, top=2)
    assert (o.customers, o.too_new, o.spend_buyers) == (6, 1, 3)
    assert o.spend_model is None
    assert o.spend_reason == ("fewer than 10 repeat buyers with a positive spend (3; 3 without a "
                              "repeat purchase, 0 with a mean repeat spend <= 0)")
    assert o.revenue == 155.0  # customer g (T = 0) left out
    assert len(o.top_clv) == 0
    with pytest.raises(cm.InputError, match="horizon"):
        cm.retention_overview(s, horizon=-1.0)
    with pytest.raises(ValueError, match="freq"):
        cm.retention_overview(s, freq="Y")
    with pytest.raises(ValueError, match="revenue"):
        cm.retention_overview(s.drop(columns="revenue"))


def test_fit_that_did_not_converge_warns_with_the_optimiser_status(cdnow):
    # Issue 16: a fit that stopped early returned silently. Two iterations cannot meet the
    # gradient test from the default start on CDNOW (the converged fit above takes dozens).
    with pytest.warns(cm.ConvergenceWarning) as caught:
        m = cm.BetaGeoModel().fit(cdnow, max_iterations=2)
    assert not m.fit_report_.converged
    message = str(caught[0].message)
    assert message.startswith(
        f"BetaGeoModel: the fit did not converge after {m.fit_report_.iterations} iterations (")
    assert m.fit_report_.iterations <= 2
    assert m.fit_report_.reason in message and "fit_report_" in message
    assert issubclass(cm.ConvergenceWarning, UserWarning)
    # A converged fit does not warn.
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", cm.ConvergenceWarning)
        assert cm.BetaGeoModel().fit(cdnow).fit_report_.converged


@pytest.mark.parametrize("model, params", [(cm.BetaGeoModel, BGNBD), (cm.ParetoNBDModel, PNBD)])
def test_a_summary_scored_again_gives_the_values_of_a_fresh_call(model, params):
    """The core remembers the unique rows of the last summary it scored (unique_rows.hpp) and
    recognises the same columns bit for bit: the values stay those of the per-customer (scalar)
    functions, which never use the memo, and columns changed in place are checked and
    compressed again."""
    s = cm.summarize(cm.generate(customers=4000, seed=21), time_unit="weeks")
    m = model().set_params(**params)
    x, tx, T = (s[c].to_numpy().copy() for c in ("frequency", "recency", "T"))
    sample = range(0, len(x), 7)

    def scalar(i):
        return (m.conditional_probability_alive(x[i], tx[i], T[i]),
                m.conditional_expected_number_of_purchases_up_to_time(52, x[i], tx[i], T[i]))

    alive = m.conditional_probability_alive(x, tx, T)
    expected = m.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T)  # remembered
    again = (m.conditional_probability_alive(x.copy(), tx.copy(), T.copy()),  # recognised
             m.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T))
    assert np.array_equal(alive, again[0]) and np.array_equal(expected, again[1])
    for i in sample:
        assert (alive[i], expected[i]) == scalar(i), i
    # Changed in place: a bad row is refused (checked again), a good change scored afresh.
    k = int(np.flatnonzero(x > 0)[-1])
    tx[k] = T[k] + 1
    with pytest.raises(cm.DataError) as e:
        m.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T)
    assert (e.value.argument, e.value.row) == ("recency", k)
    tx[k] = T[k]
    x[k] += 1
    alive = m.conditional_probability_alive(x, tx, T)
    expected = m.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T)
    assert (alive[k], expected[k]) == scalar(k)
