"""custometrics.spark.fit and score against the single-machine estimators on the CDNOW sample
summary (2,357 customers, weeks; lifetimes' copy): the collected fit is the same fit, the
distributed fit (forced with collect_limit=0) reaches the same optimum, the scores computed in
the executors equal the estimators' methods customer by customer."""

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from spark_session import spark  # noqa: F401

pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def cdnow():
    from lifetimes_reference import load_cdnow_summary_data_with_monetary_value

    s = load_cdnow_summary_data_with_monetary_value().reset_index()
    assert len(s) == 2357
    return s


@pytest.fixture(scope="module")
def frame(spark, cdnow):
    return spark.createDataFrame(cdnow).repartition(3).cache()


def test_collected_fit_is_the_single_machine_fit(frame, cdnow):
    from custometrics.spark import fit

    fitted = {}
    for name, cls in ((cm.BetaGeoModel(), cm.BetaGeoModel),
                      ("ParetoNBDFitter", cm.ParetoNBDModel)):
        got = fitted[cls] = fit(name, frame)
        want = cls().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
        assert got.fit_path_ == "collected" and isinstance(got, cls)
        # 2,357 customers, 1,016 distinct (frequency, recency, T) rows (fit.hpp).
        assert got.n_distinct_rows_ == 1016
        np.testing.assert_allclose(got.params_, want.params_, rtol=1e-12)
        np.testing.assert_allclose(got.log_likelihood_, want.log_likelihood_, rtol=1e-12)
    # Published BG/NBD estimates on this data (Fader, Hardie & Lee 2005): r = 0.243,
    # alpha = 4.414, a = 0.793, b = 2.426.
    np.testing.assert_allclose(fitted[cm.BetaGeoModel].params_, [0.243, 4.414, 0.793, 2.426],
                               atol=6e-4)


def test_distributed_fit_reaches_the_single_machine_optimum(frame, cdnow):
    from custometrics.spark import fit

    want = cm.BetaGeoModel(penalizer_coef=0.001).fit(cdnow["frequency"], cdnow["recency"],
                                                     cdnow["T"])
    # Each evaluation is a Spark job (~0.1-0.5 s in local mode): the fit starts 10% off the
    # optimum to keep the test short; from lifetimes' start it takes 19 iterations, as the
    # single-machine fit, and ends within 2e-7 of it.
    got = fit("bgnbd", frame, collect_limit=0, penalizer_coef=0.001,
              initial_params=want.params_.to_numpy() * 1.1)
    assert got.fit_path_ == "distributed" and got.fit_report_.converged
    np.testing.assert_allclose(got.params_, want.params_, rtol=1e-6)
    np.testing.assert_allclose(got.log_likelihood_, want.log_likelihood_, rtol=1e-9)
    np.testing.assert_allclose(got.standard_errors_, want.standard_errors_, rtol=1e-4)
    assert got.n_ == 2357


def test_gamma_gamma_collected_and_distributed(frame, cdnow):
    from custometrics.spark import fit

    repeat = cdnow[cdnow["frequency"] > 0]
    want = cm.GammaGammaModel().fit(repeat["frequency"], repeat["monetary_value"])
    # 946 repeat buyers; published p = 6.25, q = 3.74, v = 15.44.
    assert want.n_ == 946
    collected = fit("gamma_gamma", frame)
    np.testing.assert_allclose(collected.params_, want.params_, rtol=1e-12)
    distributed = fit(cm.GammaGammaModel(), frame, collect_limit=0,
                      initial_params=want.params_.to_numpy() * 0.9)
    assert distributed.fit_path_ == "distributed"
    np.testing.assert_allclose(distributed.params_, want.params_, rtol=1e-6)
    np.testing.assert_allclose(distributed.log_likelihood_, want.log_likelihood_, rtol=1e-10)


def test_scores_equal_the_estimators(spark, frame, cdnow):
    from custometrics.spark import score

    bg = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    gg = cm.GammaGammaModel().set_params(p=6.25, q=3.74, v=15.44)
    got = score(frame, bg, gg, t=10, time_unit="weeks", observation_end="1997-09-30") \
        .toPandas().set_index("customer_id").sort_index()
    s = cdnow.set_index("customer_id").sort_index()
    x, tx, age, m = s["frequency"], s["recency"], s["T"], s["monetary_value"]
    assert list(got.columns) == ["p_alive", "expected_purchases", "next_purchase_time",
                                 "expected_average_profit", "clv", "next_purchase_date"]
    np.testing.assert_array_equal(got["p_alive"], bg.conditional_probability_alive(x, tx, age))
    np.testing.assert_array_equal(
        got["expected_purchases"], bg.conditional_expected_number_of_purchases_up_to_time(
            10, x, tx, age))
    np.testing.assert_array_equal(got["next_purchase_time"], bg.next_purchase_time(x, tx, age))
    np.testing.assert_array_equal(got["expected_average_profit"],
                                  gg.conditional_expected_average_profit(x, m))
    np.testing.assert_array_equal(got["clv"], gg.customer_lifetime_value(
        bg, x, tx, age, m, time=12, discount_rate=0.01, freq="W"))
    # The date: the end plus the median wait in weeks, to the second as the core (and so the
    # CLI and Python) writes it (customer 1: worked out from the wait).
    wait = bg.next_purchase_time(x, tx, age).iloc[0]
    assert got["next_purchase_date"].iloc[0] == pd.Timestamp("1997-09-30") + pd.Timedelta(
        seconds=round(wait * 7 * 86400))
    # Every customer once; P(alive) of customer 1 (x=2, t_x=30.43, T=38.86) as the BG/NBD
    # docstring example: 0.7266.
    assert len(got) == 2357 and round(got.loc[1, "p_alive"], 4) == 0.7266


def test_bad_input(spark, frame, cdnow):
    from custometrics.spark import fit, score

    # The core's reading of model names (canonical_model_name), as the CLI's --model.
    with pytest.raises(cm.InputError, match='^model: unknown model "bgbd" \\(expected bgnbd, '
                       'mbgnbd, pnbd, ggomnbd, gamma-gamma or bgbb\\)$') as e:
        fit("bgbd", frame)
    assert (e.value.argument, e.value.value) == ("model", "bgbd")
    with pytest.raises(cm.InputError, match="collect_limit: must be >= 0, got -1") as e:
        fit("bgnbd", frame, collect_limit=-1)
    assert (e.value.argument, e.value.value) == ("collect_limit", "-1")
    with pytest.raises(cm.DataError, match=r"^summary: no customers to fit \(no repeat buyer") as e:
        fit("gamma_gamma", frame.filter("frequency = 0"))
    assert e.value.argument == "summary"
    with pytest.raises(ValueError, match="recency: column 'recency' not found"):
        fit("bgnbd", frame.drop("recency"))
    bad = spark.createDataFrame(pd.DataFrame({"frequency": [1.0, 2.0], "recency": [5.0, 9.0],
                                              "T": [6.0, 8.0]}))
    for limit in (10, 0):  # collected and distributed: the single-machine check, the values
        with pytest.raises(ValueError, match=r"^recency: value 9 is above T \(8\) \(summary rows "
                           r"with frequency = 2, recency = 9, T = 8\)$") as e:
            fit("bgnbd", bad, collect_limit=limit)
        # The core's error with its fields (the row: a position among the distinct rows).
        assert isinstance(e.value, cm.DataError)
        assert (e.value.argument, e.value.value) == ("recency", "9")
        assert e.value.row in (0, 1)
    with pytest.raises(TypeError, match="model: expected a fitted purchase model"):
        score(frame, cm.GammaGammaModel())
    # The options, checked by the core on the driver before any job (the checks of
    # score_customers), as InputErrors with the argument and the value.
    bg = cm.BetaGeoModel().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for options, argument, value in ((dict(time_unit="years"), "time_unit", "years"),
                                     (dict(unit_scale=-2.0), "unit_scale", "-2")):
        with pytest.raises(cm.InputError, match=f"^{argument}: ") as e:
            score(frame, bg, **options)
        assert e.value.argument == argument
        assert e.value.value in (value, None)
    with pytest.raises(ValueError, match="BetaGeoModel: not fitted"):
        score(frame, cm.BetaGeoModel())
