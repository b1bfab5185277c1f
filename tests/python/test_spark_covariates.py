"""custometrics.spark.fit with covariates (issue 15) against the single-machine covariate fit on
the same data: a generated summary with a numeric and a categorical covariate (always present)
and the apparel data (../shared/data/apparel, Gender and Channel; skipped when absent). The
distributed fit (collect_limit=0: every partition evaluates the core's covariate log-likelihood
of its customers, the driver sums and optimises) reaches the single-machine optimum; the
collected fit is the single-machine fit itself, for all four purchase models. Spark's score and
contacts of a model with covariates equal the single-machine score_customers(covariates=) and
contact_list(covariates=) to 1e-12. Also GGompertz/NBD in Spark, and the model names read by the
core."""

import os

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from spark_session import spark  # noqa: F401

pytest.importorskip("pyspark")

APPAREL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "apparel")
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "reference", "clvtools")


@pytest.fixture(scope="module")
def generated():
    """600 generated customers (seed 7, days) with a numeric covariate ``spend_band`` (0, 1, 2 by
    key) and a categorical ``region`` (labels "north", "south", "west"; reference "north")."""
    s = cm.summarize(cm.generate(customers=600, seed=7)).reset_index()
    keys = s["customer_id"].astype(str)
    k = np.arange(len(s))
    cov = pd.DataFrame({"customer_id": keys, "spend_band": (k % 3).astype(float),
                        "region": np.array(["north", "south", "west"])[(k * 7 // 5) % 3]})
    summary = pd.DataFrame({"customer_id": keys, "frequency": s["frequency"],
                            "recency": s["recency"], "T": s["T"]})
    return summary, cov


def _close_errors(got, want, rtol, ridge=False):
    """Standard errors equal to ``rtol``. On GGompertz/NBD's ridge (``ridge``: b and beta near
    0, the Pareto/NBD limit) the information matrix is nearly singular and either fit may find
    it not positive definite (no standard errors: NaN); there they are compared where both
    fits have them."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if ridge:
        both = np.isfinite(got) & np.isfinite(want)
        got, want = got[both], want[both]
    np.testing.assert_allclose(got, want, rtol=rtol)


def _same_fit(got, want, rtol, se_rtol=None, ridge=False):
    """The Spark fit equals the single-machine one: parameters, coefficients, their standard
    errors (to ``se_rtol`` when given; ``ridge``: see _close_errors) and the log-likelihood."""
    se_rtol = rtol if se_rtol is None else se_rtol
    assert got.fit_report_.converged and want.fit_report_.converged
    np.testing.assert_allclose(got.params_, want.params_, rtol=rtol)
    np.testing.assert_allclose(got.log_likelihood_, want.log_likelihood_, rtol=rtol)
    _close_errors(got.standard_errors_, want.standard_errors_, se_rtol, ridge)
    for name in ("life_coefficients_", "trans_coefficients_"):
        assert list(getattr(got, name).index) == list(getattr(want, name).index)
        np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=rtol,
                                   atol=rtol)
    for name in ("life_standard_errors_", "trans_standard_errors_"):
        _close_errors(getattr(got, name), getattr(want, name), se_rtol, ridge)
    assert got.reference_levels_ == want.reference_levels_
    assert got.n_ == want.n_


def _optimum(m):
    """A fitted model's parameters and coefficients (no constrained ones) in the fit's order."""
    return list(m.params_) + list(m.life_coefficients_) + list(m.trans_coefficients_)


@pytest.mark.parametrize("model", ["pnbd", "bgnbd"])
def test_generated_distributed_and_collected_equal_single_machine(spark, generated, model):
    from custometrics.spark import fit, model_by_name, score

    summary, cov = generated
    kw = dict(life=["spend_band", "region"], trans=["region"])
    want = model_by_name(model).fit(summary, covariates=cov, **kw)
    # The categorical covariate: two dummies against the reference level "north".
    assert list(want.life_coefficients_.index) == ["spend_band", "region=south", "region=west"]
    assert want.reference_levels_ == {"region": "north"}
    frame = spark.createDataFrame(summary).repartition(3)
    cov_frame = spark.createDataFrame(cov.sample(frac=1, random_state=2)).repartition(2)
    collected = fit(model, frame, covariates=cov_frame, **kw)
    assert collected.fit_path_ == "collected"
    # The estimator's own fit on the customers in the order Spark collects them: the sums in
    # another order (9e-12 relative seen).
    _same_fit(collected, want, 1e-8)
    if model != "pnbd":
        return
    # Distributed: each evaluation is a Spark job (seconds on a loaded machine), so the fit
    # starts at the single-machine optimum; the optimiser's path from the default start over
    # partitions is tests/cpp/test_retention_covariate_partition.cpp's. The log-likelihood,
    # its gradient (the fit stops at once only if the summed gradient is below tolerance)
    # and the standard errors (from the summed gradients) are the partitions'.
    got = fit(model, frame, covariates=cov_frame, collect_limit=0,
              initial_params=_optimum(want), **kw)
    assert got.fit_path_ == "distributed" and got.n_distinct_rows_ == 600
    _same_fit(got, want, 1e-8)
    # A model with covariates scored without them: the core refuses it on the driver.
    with pytest.raises(cm.InputError, match="covariates") as e:
        score(frame, got)
    assert e.value.argument == "covariates"


def test_covariates_in_the_summary_frame_and_constraints(spark, generated):
    from custometrics.spark import fit

    summary, cov = generated
    both = summary.merge(cov, on="customer_id")
    kw = dict(life=["spend_band"], trans=["spend_band"], constrained=["region"],
              life_penalizer=0.01)
    want = cm.ParetoNBDModel().fit(both[["customer_id", "frequency", "recency", "T"]],
                                   covariates=cov, **kw)
    assert list(want.life_coefficients_.index) == ["spend_band", "region=south", "region=west"]
    frame = spark.createDataFrame(both).repartition(2)
    got = fit("pnbd", frame, covariates=frame, **kw)
    _same_fit(got, want, 1e-8)


def test_customer_without_covariates_names_the_key(spark, generated):
    from custometrics.spark import fit

    summary, cov = generated
    frame = spark.createDataFrame(summary).repartition(3)
    missing = spark.createDataFrame(cov[cov.customer_id != "17"])
    for limit in (0, 10_000):  # distributed and collected: the core's error, its fields
        with pytest.raises(cm.DataError, match="covariates: customer 17 has no covariate row") \
                as e:
            fit("pnbd", frame, covariates=missing, life=["region"], collect_limit=limit)
        assert (e.value.argument, e.value.key) == ("covariates", "17")
    # A label the coding does not know cannot arise (the levels are collected first); a
    # covariate that is not a column is the core's InputError before any fit job.
    with pytest.raises(cm.InputError, match="no column age") as e:
        fit("pnbd", frame, covariates=missing, life=["age"])
    assert e.value.column == "age"
    with pytest.raises(cm.InputError, match="covariates") as e:
        fit("pnbd", frame, life=["region"])
    assert e.value.argument == "covariates"
    with pytest.raises(cm.InputError, match="Gamma-Gamma"):
        fit("gamma_gamma", frame, covariates=missing, life=["region"])


@pytest.mark.parametrize("model", ["mbgnbd", "ggomnbd"])
def test_mbg_nbd_and_ggompertz_nbd_equal_single_machine(spark, generated, model):
    """MBG/NBD and GGompertz/NBD with covariates: the collected and the distributed Spark fits
    equal the single-machine fit (parameters, coefficients, log-likelihood and standard errors)
    to 1e-8, as Pareto/NBD and BG/NBD above. The distributed fit starts at the single-machine
    optimum (see above): the log-likelihood, gradient and standard errors summed over the
    partitions are the ones tested. One exception: GGompertz/NBD's optimum on these data (and
    on apparel) is near its Pareto/NBD limit (b and beta near 0, a nearly flat direction), where
    the standard errors of the distributed fit (the information from gradients summed in
    another order) differ by up to 9% (b, beta) and 1e-4 (the others): compared to 0.1 there,
    the point estimates still to 1e-8."""
    from custometrics.spark import fit, model_by_name

    summary, cov = generated
    kw = dict(life=["spend_band", "region"], trans=["region"])
    want = model_by_name(model).fit(summary, covariates=cov, **kw)
    assert list(want.trans_coefficients_.index) == ["region=south", "region=west"]
    frame = spark.createDataFrame(summary).repartition(3)
    cov_frame = spark.createDataFrame(cov.sample(frac=1, random_state=2)).repartition(2)
    collected = fit(model, frame, covariates=cov_frame, **kw)
    assert type(collected) is type(want) and collected.fit_path_ == "collected"
    _same_fit(collected, want, 1e-8)
    got = fit(model, frame, covariates=cov_frame, collect_limit=0,
              initial_params=_optimum(want), **kw)
    assert got.fit_path_ == "distributed" and got.n_distinct_rows_ == 600
    _same_fit(got, want, 1e-8, se_rtol=0.1 if model == "ggomnbd" else None,
              ridge=model == "ggomnbd")


def _same_scores(got, want):
    """Spark's score columns against the single-machine score_customers, customer by customer,
    to 1e-12 relative."""
    for a, b in (("p_alive", "p_alive"), ("expected_purchases", "expected_purchases"),
                 ("next_purchase_time", "next_purchase_in"),
                 ("expected_average_profit", "expected_spend"), ("clv", "clv")):
        if a in got.columns:
            np.testing.assert_allclose(got[a].to_numpy(), want[b].to_numpy(), rtol=1e-12,
                                       atol=0)


def test_score_and_contacts_with_covariates(spark, generated):
    """Spark's score and contacts of a model fitted with covariates: each customer at its own
    parameters (the core's covariate_customer_params and score_customers in the executors)
    equal the single-machine score_customers(covariates=) and contact_list(covariates=) to
    1e-12; the covariates may be the summary itself; a customer without a covariate row is the
    core's error naming the key, raised on the driver."""
    from custometrics.spark import contacts, score

    summary, cov = generated
    s = cm.summarize(cm.generate(customers=600, seed=7))  # the fixture's, with the spend
    local = summary.set_index("customer_id").assign(monetary_value=s["monetary_value"].to_numpy())
    repeat = local[local.frequency > 0]
    gg = cm.GammaGammaModel().fit(repeat["frequency"], repeat["monetary_value"])
    want = cm.ParetoNBDModel().fit(summary, covariates=cov, life=["spend_band", "region"],
                                   trans=["region"])
    single = cm.score_customers(want, local, gg, horizon=30, covariates=cov)
    # The single-machine scores are the estimator's own per-customer predictions.
    np.testing.assert_allclose(single["p_alive"], want.conditional_probability_alive(
        local, covariates=cov), rtol=1e-12)
    frame = spark.createDataFrame(local.reset_index()).repartition(3)
    cov_frame = spark.createDataFrame(cov.sample(frac=1, random_state=2)).repartition(2)
    got = score(frame, want, gg, t=30, covariates=cov_frame).toPandas() \
        .set_index("customer_id").loc[local.index]
    _same_scores(got, single)
    # The covariates in the summary frame itself.
    both = spark.createDataFrame(local.reset_index().merge(cov, on="customer_id"))
    _same_scores(score(both, want, gg, t=30, covariates=both).toPandas()
                 .set_index("customer_id").loc[local.index], single)
    listed = contacts(frame, want, gg, covariates=cov_frame, within=60).toPandas() \
        .set_index("customer_id")
    plan = cm.contact_list(want, gg, local, covariates=cov, within=60)
    assert len(plan) > 10 and sorted(listed.index) == sorted(plan.index)
    np.testing.assert_allclose(listed.loc[plan.index, "clv"], plan["clv"], rtol=1e-12)
    # Errors: a customer without a covariate row (the check job, on the driver), a model with
    # covariates scored without them and the reverse, a column the model reads that is not in
    # the frame (both before any job).
    missing = spark.createDataFrame(cov[cov.customer_id != "17"])
    with pytest.raises(cm.DataError, match="covariates: customer 17 has no covariate row") as e:
        score(frame, want, covariates=missing)
    assert (e.value.argument, e.value.key) == ("covariates", "17")
    with pytest.raises(cm.DataError, match="customer 17") as e:
        contacts(frame, want, gg, covariates=missing)
    assert e.value.key == "17"
    plain = cm.ParetoNBDModel().set_params(**want.params_.to_dict())
    for model, table in ((want, None), (plain, cov_frame)):
        with pytest.raises(cm.InputError, match="covariates") as e:
            score(frame, model, covariates=table)
        assert e.value.argument == "covariates"
    with pytest.raises(cm.InputError, match="no column region") as e:
        score(frame, want, covariates=cov_frame.drop("region"))
    assert e.value.column == "region"


@pytest.mark.skipif(not os.path.exists(os.path.join(APPAREL, "apparelStaticCov.csv")),
                    reason="../shared/data/apparel is not present")
def test_apparel_pareto_nbd(spark):
    from custometrics.spark import fit, score

    # The apparel summary of the CLVTools fixtures (600 customers, weeks, estimation end
    # 2006-12-31) with the covariates of ../shared/data/apparel.
    p = pd.read_csv(os.path.join(FIXTURES, "predictions_apparel_pnbd_cov.csv"), dtype={"Id": str})
    summary = pd.DataFrame({"customer_id": p["Id"], "frequency": p["x"], "recency": p["t.x"],
                            "T": p["T.cal"]})
    cov = pd.read_csv(os.path.join(APPAREL, "apparelStaticCov.csv"), dtype={"Id": str}) \
        .rename(columns={"Id": "customer_id"})
    kw = dict(life=["Gender", "Channel"], trans=["Gender", "Channel"])
    want = cm.ParetoNBDModel().fit(summary, covariates=cov, **kw)
    # CLVTools' optimum (tests/reference/clvtools/options_params.csv): r 1.838963,
    # trans.Channel 0.623930, as test_retention_covariates checks.
    assert want.params_["r"] == pytest.approx(1.838963, rel=1e-4)
    assert want.trans_coefficients_["Channel"] == pytest.approx(0.623930, rel=1e-4)
    got = fit("pnbd", spark.createDataFrame(summary).repartition(3),
              covariates=spark.createDataFrame(cov), collect_limit=0,
              initial_params=_optimum(want), **kw)
    assert got.fit_path_ == "distributed"
    _same_fit(got, want, 1e-8)
    # Scored in Spark with the covariates: the single-machine scores, customer by customer.
    local = summary.set_index("customer_id")
    single = cm.score_customers(got, local, horizon=10, covariates=cov, freq="W")
    scores = score(spark.createDataFrame(summary).repartition(2), got, t=10, time_unit="weeks",
                   covariates=spark.createDataFrame(cov)).toPandas()
    _same_scores(scores.set_index("customer_id").loc[local.index], single)


def test_ggompertz_nbd_fit_and_score(spark):
    from custometrics.spark import fit, model_by_name, score

    p = pd.read_csv(os.path.join(FIXTURES, "predictions_apparel_ggomnbd.csv"), dtype={"Id": str})
    summary = pd.DataFrame({"customer_id": p["Id"], "frequency": p["x"], "recency": p["t.x"],
                            "T": p["T.cal"]})
    frame = spark.createDataFrame(summary).repartition(3)
    want = cm.GGompertzNBDModel().fit(summary)
    got = fit("GGompertz/NBD", frame)
    assert isinstance(got, cm.GGompertzNBDModel) and got.fit_path_ == "collected"
    np.testing.assert_allclose(got.params_, want.params_, rtol=1e-12)
    np.testing.assert_allclose(got.log_likelihood_, want.log_likelihood_, rtol=1e-12)
    distributed = fit("ggomnbd", frame, collect_limit=0, initial_params=want.params_)
    assert distributed.fit_path_ == "distributed"
    np.testing.assert_allclose(distributed.log_likelihood_, want.log_likelihood_, rtol=1e-12)
    np.testing.assert_allclose(distributed.params_, want.params_, rtol=1e-8)
    # The ridge (b, beta near 0): the standard errors move by a few percent with the order of
    # the partitions' sums (4% seen with pyspark 4), as in the covariate fits above.
    _close_errors(distributed.standard_errors_, want.standard_errors_, 0.1, ridge=True)
    scores = score(frame, want, t=10, time_unit="weeks").toPandas() \
        .set_index("customer_id").loc[summary["customer_id"]]
    s = summary.set_index("customer_id")
    np.testing.assert_array_equal(scores["p_alive"], want.conditional_probability_alive(
        s["frequency"], s["recency"], s["T"]))
    np.testing.assert_array_equal(scores["expected_purchases"],
                                  want.conditional_expected_number_of_purchases_up_to_time(
                                      10, s["frequency"], s["recency"], s["T"]))
    # The names, read by the core as the CLI reads --model.
    for name, cls in (("BetaGeoFitter", cm.BetaGeoModel), ("mbg/nbd", cm.ModifiedBetaGeoModel),
                      ("pareto_nbd", cm.ParetoNBDModel), ("GGOM", cm.GGompertzNBDModel),
                      ("gg", cm.GammaGammaModel), ("GammaGammaFitter", cm.GammaGammaModel)):
        assert type(model_by_name(name)) is cls
    with pytest.raises(cm.InputError, match="not fitted in Spark") as e:
        model_by_name("bgbb")
    assert (e.value.argument, e.value.value) == ("model", "bgbb")
