"""One core, three faces: the command-line tool, the Python package and the Spark module give the
same answers on the same inputs, because each only parses, calls the core and formats.

Inputs: a generated log with costs, products, channels and returns (written by `custometrics
generate`), and the CDNOW master log (../shared/data/cdnow, skipped where absent). Each test
runs the CLI on the CSV file and the Python package on the same file read by
``read_transactions``, and compares the written numbers: exactly where both faces do the same
arithmetic in the same order (summaries, Pareto ranks and classes, scores and contact lists from
the same summary and model files, break-even figures), else to 1e-12 relative
(fits: the optimiser's path is the same, but sums over threads may round differently; Pareto
totals: the CLI sums per entity in file order, Python per thread and then adds). The Spark
module (local mode) is held against Python for summaries, Pareto figures and fits. The C++ face
is tests/cpp/test_cross_face.cpp: the same log generated in memory by the core, against its CSV
and the workflow functions the CLI and Python call.
"""

import io
import json
import pathlib

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from cli_tool import run
from spark_session import spark  # noqa: F401

SHARED = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data" / "cdnow"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated log of 1,500 customers over two years with costs, products, channels and 5%
    returns, as the CSV file the CLI reads."""
    path = tmp_path_factory.mktemp("cross") / "log.csv"
    run("generate", "--customers", "1500", "--seed", "5", "--return-rate", "0.05",
        "--out", path)
    return path


@pytest.fixture(scope="module")
def cdnow(tmp_path_factory):
    """The CDNOW master log (23,570 customers, 1997-01..1998-06) as a CSV file."""
    src = SHARED / "CDNOW_master.txt"
    if not src.exists():
        pytest.skip("CDNOW data not found beside the checkout (../shared/data/cdnow)")
    raw = pd.read_csv(src, sep=r"\s+", header=0,
                      names=["customer_id", "date", "quantity", "amount"],
                      dtype={"customer_id": np.int64, "date": str})
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    path = tmp_path_factory.mktemp("cdnow") / "cdnow.csv"
    raw.to_csv(path, index=False)
    return path


def _csv(text_or_path):
    # round_trip: pandas' default float parser is not correctly rounded (22.349999999999998
    # written by the CLI would read back as 22.35).
    source = text_or_path if isinstance(text_or_path, pathlib.Path) else io.StringIO(text_or_path)
    return pd.read_csv(source, keep_default_na=False, float_precision="round_trip")


SUMMARY_COLUMNS = ["frequency", "recency", "T", "monetary_value", "revenue", "returns",
                   "n_purchases", "n_returns", "orders"]


@pytest.mark.parametrize("options", [
    {},
    {"time_unit": "weeks"},
    {"time_unit": "days", "unit_scale": 7.0},
    {"calibration_end": "2021-06-30"},
])
def test_summary_is_the_same_from_the_cli_and_python(generated, tmp_path, options):
    args = ["summarize", generated, "--out", tmp_path / "s.csv"]
    for name, value in options.items():
        args += ["--" + name.replace("_", "-"), str(value)]
    run(*args)
    cli = _csv(tmp_path / "s.csv").set_index("customer_id")
    log = cm.read_transactions(str(generated))
    py = cm.summarize(log, cost="cost", **options)
    assert list(cli.index) == list(py.index)
    sfx = "_cal" if "calibration_end" in options else ""
    columns = [c + sfx if c in ("frequency", "recency", "T", "monetary_value") else c
               for c in SUMMARY_COLUMNS] + ["profit"]
    if sfx:
        columns += ["frequency_holdout", "monetary_value_holdout", "duration_holdout"]
    for c in columns:
        # The CLI writes the shortest text that reads back to the same double: bit-identical.
        np.testing.assert_array_equal(cli[c].to_numpy(float), py[c].to_numpy(float), err_msg=c)


def test_cdnow_summary_is_the_same_from_the_cli_and_python(cdnow, tmp_path):
    run("summarize", cdnow, "--time-unit", "days", "--unit-scale", "7", "--out", tmp_path / "s.csv")
    cli = _csv(tmp_path / "s.csv").set_index("customer_id")
    py = cm.summarize(cm.read_transactions(str(cdnow)), unit_scale=7.0)
    assert len(cli) == len(py) == 23570
    for c in SUMMARY_COLUMNS:
        np.testing.assert_array_equal(cli[c].to_numpy(float), py[c].to_numpy(float), err_msg=c)


def test_cdnow_fit_scores_and_pareto_are_the_same_from_the_cli_and_python(cdnow, tmp_path):
    """CDNOW through both faces beyond the summary: the BG/NBD fit (1e-12), the scores of the
    CLI's summary and model files (exact: same arithmetic, same order) and the Pareto table of
    revenue by customer."""
    summary = tmp_path / "s.csv"
    run("summarize", cdnow, "--time-unit", "weeks", "--out", summary)
    fit = json.loads(run("fit", summary, "--format", "json"))
    run("fit", summary, "--out", tmp_path / "bg.json")
    run("score", summary, "--params", tmp_path / "bg.json", "--out", tmp_path / "scores.csv")
    log = cm.read_transactions(str(cdnow))
    s = cm.summarize(log, time_unit="weeks")
    m = cm.BetaGeoModel().fit(s["frequency"], s["recency"], s["T"])
    assert set(fit["params"]) == set(m.params_.index)
    for name, value in fit["params"].items():
        assert value == pytest.approx(m.params_[name], rel=1e-12), name
    frame = pd.read_csv(summary, index_col="customer_id", float_precision="round_trip")
    scores = cm.score_customers(cm.BetaGeoModel.load(tmp_path / "bg.json"), frame)
    ref = pd.read_csv(tmp_path / "scores.csv", index_col="customer_id",
                      float_precision="round_trip")
    assert len(ref) == 23570
    for col in ("p_alive", "expected_purchases"):
        np.testing.assert_array_equal(scores[col], ref[col], err_msg=col)
    out = json.loads(run("pareto", cdnow, "--by", "customer", "--measure", "revenue",
                         "--out", tmp_path / "p.csv", "--format", "json"))
    table = _csv(tmp_path / "p.csv")
    py = cm.pareto(log, by="customer_id", value="amount")
    ranked = table[table["class"] != "none"]
    assert list(ranked["key"].astype(str)) == [str(k) for k in py.entities.index]
    assert list(ranked["class"]) == [str(c) for c in py.entities["abc"]]
    np.testing.assert_allclose(ranked["value"].to_numpy(float),
                               py.entities["value"].to_numpy(float), rtol=1e-12, atol=1e-9)
    figures = out["pareto"] if "pareto" in out else out
    assert figures["n"] == py.n
    assert figures["gini"] == pytest.approx(py.gini, rel=1e-12)
    # The figures tests/cpp/test_cross_face.cpp checks the C++ face against (recorded from the
    # CLI): the CLI still prints them, so the C++ face, the CLI and Python agree.
    recorded = json.loads((pathlib.Path(__file__).parents[1] / "reference" /
                           "cdnow_cross_face.json").read_text())
    cli = pd.read_csv(summary, float_precision="round_trip")
    assert len(cli) == recorded["customers"]
    for c, total in recorded["summary_sums"].items():
        assert sum(cli[c].to_numpy(float).tolist()) == total, c  # in file order, as C++ adds
    for name, value in recorded["bgnbd"]["params"].items():
        assert fit["params"][name] == pytest.approx(value, rel=1e-12), name
    assert fit["log_likelihood"] == pytest.approx(recorded["bgnbd"]["log_likelihood"],
                                                  rel=1e-12)
    for k, value in recorded["pareto"].items():
        assert figures[k] == (value if k in ("n", "classes") else pytest.approx(value, rel=1e-12))


@pytest.mark.parametrize("by,measure", [("customer", "revenue"), ("product", "profit"),
                                        ("channel", "revenue"), ("customer", "profit")])
def test_pareto_table_is_the_same_from_the_cli_and_python(generated, tmp_path, by, measure):
    out = json.loads(run("pareto", generated, "--by", by, "--measure", measure,
                         "--out", tmp_path / "p.csv", "--format", "json"))
    table = _csv(tmp_path / "p.csv")
    log = cm.read_transactions(str(generated))
    key = {"customer": "customer_id"}.get(by, by)
    log["profit"] = log["amount"] - log["cost"]
    py = cm.pareto(log, by=key, value="amount" if measure == "revenue" else "profit")
    ranked = table[table["class"] != "none"]
    e = py.entities
    assert list(ranked["key"].astype(str)) == [str(k) for k in e.index]
    np.testing.assert_array_equal(ranked["rank"].to_numpy(int), e["rank"].to_numpy(int))
    assert list(ranked["class"]) == [str(c) for c in e["abc"]]
    np.testing.assert_allclose(ranked["value"].to_numpy(float), e["value"].to_numpy(float),
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(ranked["cum_share"].to_numpy(float),
                               e["cum_share"].to_numpy(float), rtol=1e-12)
    assert len(table) - len(ranked) == py.not_ranked
    figures = out["pareto"] if "pareto" in out else out
    assert figures["n"] == py.n
    assert figures["classes"] == py.class_counts
    assert figures["gini"] == pytest.approx(py.gini, rel=1e-12)
    assert figures["entities_for_80pct"] == pytest.approx(py.entities_for_80pct, rel=1e-12)
    assert figures["top20_share"] == pytest.approx(py.top20_share, rel=1e-12)


@pytest.mark.parametrize("model,estimator", [("bgnbd", cm.BetaGeoModel),
                                             ("mbgnbd", cm.ModifiedBetaGeoModel),
                                             ("pnbd", cm.ParetoNBDModel)])
def test_fit_is_the_same_from_the_cli_and_python(generated, tmp_path, model, estimator):
    run("summarize", generated, "--out", tmp_path / "s.csv")
    fit = json.loads(run("fit", tmp_path / "s.csv", "--model", model, "--format", "json"))
    s = cm.summarize(cm.read_transactions(str(generated)))
    m = estimator().fit(s["frequency"], s["recency"], s["T"])
    got = {("gamma" if k == "v" else k): v for k, v in m.params_.items()}
    assert set(fit["params"]) == set(got)
    for name, value in fit["params"].items():
        assert value == pytest.approx(got[name], rel=1e-12), name
    assert fit["log_likelihood"] == pytest.approx(m.log_likelihood_, rel=1e-12)


def test_spend_fit_is_the_same_from_the_cli_and_python(generated, tmp_path):
    run("summarize", generated, "--out", tmp_path / "s.csv")
    fit = json.loads(run("fit", tmp_path / "s.csv", "--model", "gamma-gamma", "--format", "json"))
    s = cm.summarize(cm.read_transactions(str(generated)))
    buyers = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    m = cm.GammaGammaModel().fit(buyers["frequency"], buyers["monetary_value"])
    assert fit["params"]["p"] == pytest.approx(m.params_["p"], rel=1e-12)
    assert fit["params"]["q"] == pytest.approx(m.params_["q"], rel=1e-12)
    assert fit["params"]["gamma"] == pytest.approx(m.params_["v"], rel=1e-12)


def test_scores_and_contacts_are_the_same_from_the_cli_and_python(generated, tmp_path):
    summary = tmp_path / "sum.csv"
    run("summarize", generated, "--time-unit", "weeks", "--out", summary)
    run("fit", summary, "--out", tmp_path / "bg.json")
    run("fit", summary, "--model", "gamma-gamma", "--out", tmp_path / "gg.json")
    run("contacts", summary, "--params", tmp_path / "bg.json", "--spend-params",
        tmp_path / "gg.json", "--within-days", "120", "--lead-days", "10",
        "--out", tmp_path / "contacts.csv")
    run("score", summary, "--params", tmp_path / "bg.json", "--spend-params",
        tmp_path / "gg.json", "--out", tmp_path / "scores.csv")
    # Python reads the CLI's summary (its time_unit, unit_scale and observation_end columns
    # give the unit and the end, as for the CLI) and models.
    frame = pd.read_csv(summary, index_col="customer_id", float_precision="round_trip")
    assert set(frame["time_unit"]) == {"weeks"}
    bg = cm.BetaGeoModel.load(tmp_path / "bg.json")
    gg = cm.GammaGammaModel.load(tmp_path / "gg.json")
    assert bg.time_unit_ == "weeks"
    end = frame["observation_end"].iloc[0]
    py = cm.contact_list(bg, gg, frame, within=120.0, lead_time=10.0)
    assert py.equals(cm.contact_list(bg, gg, frame, within=120.0, lead_time=10.0, freq="W",
                                     as_of=end))
    ref = pd.read_csv(tmp_path / "contacts.csv", index_col="customer_id",
                      float_precision="round_trip")
    assert len(ref) > 0
    assert list(py.index) == list(ref.index)
    np.testing.assert_array_equal(py["p_alive"], ref["p_alive"])  # shortest round-trip text
    np.testing.assert_array_equal(py["clv"], ref["clv"])
    assert [str(d.date()) for d in py["call_date"]] == list(ref["call_date"])
    assert [str(d.date()) for d in py["next_purchase_date"]] == list(ref["next_purchase_date"])
    scores = cm.score_customers(bg, frame, gg)
    ref = pd.read_csv(tmp_path / "scores.csv", index_col="customer_id",
                      float_precision="round_trip")
    for col in ("p_alive", "expected_purchases", "expected_spend", "clv"):
        np.testing.assert_array_equal(scores[col], ref[col])
    assert [str(d.date()) for d in scores["next_purchase_date"]] == \
        list(ref["next_purchase_date"])
    # A model of another unit is refused by both faces; a contradicting argument too.
    days = frame.drop(columns=["time_unit", "unit_scale"])
    with pytest.raises(cm.InputError, match="fitted on a summary in weeks"):
        cm.contact_list(bg, gg, days, freq="D")
    with pytest.raises(cm.InputError, match="contradicts"):
        cm.contact_list(bg, gg, frame, freq="D")
    with pytest.raises(cm.InputError, match="as_of"):
        cm.score_customers(bg, frame, as_of="2000-01-01")


def test_spark_summary_and_pareto_equal_python(generated, spark):
    from custometrics import spark as cms

    log = cm.read_transactions(str(generated))
    frame = spark.createDataFrame(
        log[["customer_id", "date", "amount", "cost"]].astype({"customer_id": "int64"})
    ).repartition(3)
    got = cms.summarize(frame, cost="cost").toPandas().set_index("customer_id").sort_index()
    want = cm.summarize(log, cost="cost")
    for c in SUMMARY_COLUMNS + ["profit"]:
        np.testing.assert_array_equal(got[c].to_numpy(float), want[c].to_numpy(float), err_msg=c)
    exact = cms.pareto_exact(frame, by="customer_id", value="amount")
    py = cm.pareto(log, by="customer_id", value="amount")
    assert exact.n == py.n
    assert exact.class_counts == py.class_counts
    assert exact.gini == pytest.approx(py.gini, rel=1e-12)



@pytest.mark.parametrize("fixed", [2000.0, 5000.0])
def test_break_even_over_time_is_the_same_from_the_cli_and_python(generated, fixed):
    out = json.loads(run("break-even", "--log", generated, "--fixed-costs-per-month", str(fixed),
                         "--format", "json"))
    log = cm.read_transactions(str(generated))
    py = cm.break_even_over_time_from_log(log, fixed_costs_per_month=fixed)
    months = pd.DataFrame(out["months"])
    # 24 calendar months, 2020-01..2021-12; total cost = cost of goods + 24 x the fixed costs.
    assert list(months["month"]) == [d.strftime("%Y-%m") for d in py.periods.index]
    assert len(months) == 24
    assert out["cumulative_cost"] == pytest.approx(log["cost"].sum() + 24 * fixed, rel=1e-12)
    assert out["cumulative_revenue"] == pytest.approx(log["amount"].sum(), rel=1e-12)
    # The same arithmetic in the same order: bit-identical (the JSON numbers read back exactly).
    for c in ("cumulative_revenue", "cumulative_cost"):
        np.testing.assert_array_equal(months[c].to_numpy(float), py.periods[c].to_numpy(),
                                      err_msg=c)
    assert out["reached"] is py.reached
    if fixed == 2000.0:
        # Reached in May 2020 (profit turns positive there), at the time the CLI prints.
        assert py.reached and out["break_even_time"] == "2020-05-25T18:44:58"
        assert py.date == pd.Timestamp(out["break_even_time"])
        assert out["break_even_month"] == py.periods.index[py.period].strftime("%Y-%m")
    else:
        # Not reached: the gap is cost - revenue at the end (213,493.79 - 145,302.62).
        assert not py.reached
        assert out["remaining_gap"] == py.remaining_gap
        assert py.remaining_gap == pytest.approx(68191.17, abs=1e-6)


def test_break_even_figures_are_the_same_from_the_cli_and_python(generated):
    # One product with the log's average purchase: price and unit cost per purchase row.
    log = cm.read_transactions(str(generated))
    buys = log[log["amount"] > 0]
    price = float(buys["amount"].mean())
    cost = float(buys["cost"].mean())
    args = dict(fixed_costs=20000.0, price=price, unit_variable_cost=cost,
                sales_units=float(len(buys)), target_profit=5000.0, tax_rate=0.25,
                depreciation=4000.0)
    cli = ["break-even", "--format", "json"]
    for name, value in args.items():
        cli += ["--" + name.replace("_", "-"), repr(value)]  # repr: the shortest exact text
    out = json.loads(run(*cli))
    py = cm.break_even_analysis(**args)
    assert out == py.to_dict()
    # Independent check of the first figures: F / (p - v) and its revenue.
    assert out["break_even_units"] == pytest.approx(20000.0 / (price - cost), rel=1e-12)
    assert out["break_even_revenue"] == pytest.approx(price * 20000.0 / (price - cost),
                                                      rel=1e-12)


@pytest.mark.parametrize("model,estimator", [("bgnbd", cm.BetaGeoModel),
                                             ("mbgnbd", cm.ModifiedBetaGeoModel),
                                             ("pnbd", cm.ParetoNBDModel),
                                             ("gamma_gamma", cm.GammaGammaModel)])
def test_spark_fit_equals_python(generated, spark, model, estimator):
    from custometrics import spark as cms

    log = cm.read_transactions(str(generated))
    frame = spark.createDataFrame(
        log[["customer_id", "date", "amount"]].astype({"customer_id": "int64"})
    ).repartition(3)
    summary = cms.summarize(frame)
    got = cms.fit(model, summary)  # the distinct rows collected: the single-machine fit
    assert got.fit_path_ == "collected"
    s = cm.summarize(log)
    if estimator is cm.GammaGammaModel:
        buyers = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
        want = estimator().fit(buyers["frequency"], buyers["monetary_value"])
    else:
        want = estimator().fit(s["frequency"], s["recency"], s["T"])
    np.testing.assert_allclose(got.params_, want.params_, rtol=1e-12)
    np.testing.assert_allclose(got.log_likelihood_, want.log_likelihood_, rtol=1e-12)
    assert got.n_ == want.n_


@pytest.mark.parametrize("by,measure", [("customer_id", "amount"), ("product", "profit"),
                                        ("channel", "amount")])
def test_spark_pareto_table_equals_python(generated, spark, by, measure):
    """The per-entity table of pareto_exact (rank, cumulative share, class) is Python's."""
    from custometrics import spark as cms

    log = cm.read_transactions(str(generated))
    log["profit"] = log["amount"] - log["cost"]
    frame = spark.createDataFrame(
        log[["customer_id", "product", "channel", "amount", "profit"]]
        .astype({"customer_id": "int64", "product": str, "channel": str})).repartition(3)
    py = cm.pareto(log, by=by, value=measure)
    got = cms.pareto_exact(frame, by=by, value=measure).entities.toPandas()
    e = py.entities
    assert len(got) == py.n
    # Totals: Spark adds an entity's values in another order than Python, so they agree to
    # 1e-12, and entities whose totals tie in exact arithmetic (two customers with 140.97) may
    # differ in the last bit and swap ranks. Each group of equal totals (to 1e-9) must hold
    # the same entities at the same ranks, in the same classes.
    np.testing.assert_allclose(np.sort(got["value"].to_numpy(float)),
                               np.sort(e["value"].to_numpy(float)), rtol=1e-12, atol=1e-9)

    def groups(keys, values, classes):
        out = {}
        for k, v, c in zip(keys, values, classes):
            out.setdefault(round(float(v), 6), set()).add((str(k), str(c)))
        return out

    assert groups(got["key"], got["value"], got["class"]) == groups(e.index, e["value"], e["abc"])
    np.testing.assert_array_equal(got["rank"].to_numpy(int), np.arange(1, py.n + 1))
    np.testing.assert_allclose(got["cum_share"].to_numpy(float), e["cum_share"].to_numpy(float),
                               rtol=1e-12)


def _spark_summary_and_models(generated, spark, tmp_path):
    """The CLI's weekly summary of the generated log as a Spark frame, and its BG/NBD and
    Gamma-Gamma fits (read back by Python)."""
    summary = tmp_path / "sum.csv"
    run("summarize", generated, "--time-unit", "weeks", "--out", summary)
    run("fit", summary, "--out", tmp_path / "bg.json")
    run("fit", summary, "--model", "gamma-gamma", "--out", tmp_path / "gg.json")
    frame = pd.read_csv(summary, index_col="customer_id", float_precision="round_trip")
    columns = ["frequency", "recency", "T", "monetary_value"]
    rows = spark.createDataFrame(frame[columns].reset_index()).repartition(3)
    return (frame, rows, cm.BetaGeoModel.load(tmp_path / "bg.json"),
            cm.GammaGammaModel.load(tmp_path / "gg.json"), frame["observation_end"].iloc[0])


def test_spark_scores_and_contacts_equal_python(generated, spark, tmp_path):
    """Spark's score and contacts run the core's score_customers and contact_list in the
    executors: the numbers are Python's (and so the CLI's, tested above), bit for bit."""
    from custometrics import spark as cms

    frame, rows, bg, gg, end = _spark_summary_and_models(generated, spark, tmp_path)
    py = cm.score_customers(bg, frame, gg)
    got = cms.score(rows, bg, gg, time_unit="weeks", observation_end=end) \
        .toPandas().set_index("customer_id").loc[py.index]
    for mine, theirs in [("p_alive", "p_alive"), ("expected_purchases", "expected_purchases"),
                         ("next_purchase_time", "next_purchase_in"),
                         ("expected_average_profit", "expected_spend"), ("clv", "clv")]:
        np.testing.assert_array_equal(got[mine].to_numpy(float), py[theirs].to_numpy(float),
                                      err_msg=mine)
    known = py["next_purchase_date"].notna()
    assert known.sum() > 0
    assert list(got["next_purchase_date"][known].dt.floor("D")) == \
        list(py["next_purchase_date"][known])
    for top in (None, 25):
        want = cm.contact_list(bg, gg, frame, within=120.0, lead_time=10.0, top=top)
        listed = cms.contacts(rows, bg, gg, within=120.0, lead_time=10.0, top=top,
                              time_unit="weeks", observation_end=end).toPandas()
        assert len(want) > 0 and len(listed) == len(want)
        assert list(listed["customer_id"]) == list(want.index)
        for c in ("next_purchase_in", "call_in", "p_alive", "clv"):
            np.testing.assert_array_equal(listed[c].to_numpy(float), want[c].to_numpy(float),
                                          err_msg=c)
        assert list(listed["call_date"].dt.floor("D")) == list(want["call_date"])
    # The core's checks, on the driver before any job, with the fields Python gets.
    with pytest.raises(cm.InputError, match="fitted on a summary in weeks") as err:
        cms.score(rows, bg, gg, time_unit="days")
    with pytest.raises(cm.InputError) as mine:
        cms.contacts(rows, bg, gg, within=0.0, time_unit="weeks")
    with pytest.raises(cm.InputError) as theirs:
        cm.contact_list(bg, gg, frame, within=0.0)
    assert (mine.value.argument, str(mine.value)) == (theirs.value.argument, str(theirs.value))
    assert err.value.argument is not None
    # No spend model: the core's contact_list refuses (its one copy of that rule), on the driver.
    with pytest.raises(cm.InputError) as mine:
        cms.contacts(rows, bg, None, time_unit="weeks")
    with pytest.raises(cm.InputError) as theirs:
        cm.contact_list(bg, None, frame)
    assert (mine.value.argument, str(mine.value)) == (theirs.value.argument, str(theirs.value))
    assert mine.value.argument == "spend"
    # A row the core refuses (recency above T) raises on the driver with the core's fields and
    # the customer as key, before any score is handed out; Python names the same column.
    bad = frame.copy()
    bad.loc[bad.index[5], "recency"] = bad["T"].iloc[5] + 1.0
    rows = spark.createDataFrame(bad[["frequency", "recency", "T", "monetary_value"]]
                                 .reset_index()).repartition(3)
    with pytest.raises(cm.DataError) as theirs:
        cm.score_customers(bg, bad, gg)
    for call in (lambda: cms.score(rows, bg, gg, time_unit="weeks"),
                 lambda: cms.contacts(rows, bg, gg, time_unit="weeks")):
        with pytest.raises(cm.DataError) as mine:
            call()
        assert mine.value.argument == theirs.value.argument == "recency"
        assert mine.value.key == str(bad.index[5])


def test_cdnow_through_spark_equals_python(cdnow, spark):
    """CDNOW through Spark: the summary and the scores bit for bit, the BG/NBD fit and the
    Gini to 1e-12, the Pareto class counts exactly."""
    from custometrics import spark as cms

    log = cm.read_transactions(str(cdnow))
    frame = spark.createDataFrame(
        log[["customer_id", "date", "amount"]].astype({"customer_id": "int64"})).repartition(4)
    summary = cms.summarize(frame, time_unit="weeks").cache()
    got = summary.toPandas().set_index("customer_id").sort_index()
    want = cm.summarize(log, time_unit="weeks")
    assert len(got) == len(want) == 23570
    for c in ("frequency", "recency", "T", "monetary_value", "revenue"):
        np.testing.assert_array_equal(got[c].to_numpy(float), want[c].to_numpy(float), err_msg=c)
    fit = cms.fit("bgnbd", summary)
    py = cm.BetaGeoModel().fit(want["frequency"], want["recency"], want["T"])
    np.testing.assert_allclose(fit.params_, py.params_, rtol=1e-12)
    # Scores of the same model: Spark's executors and Python run the same core function.
    scores = cms.score(summary, py, time_unit="weeks").toPandas() \
        .set_index("customer_id").sort_index()
    mine = cm.score_customers(py, want)
    np.testing.assert_array_equal(scores["p_alive"].to_numpy(), mine["p_alive"].to_numpy())
    np.testing.assert_array_equal(scores["expected_purchases"].to_numpy(),
                                  mine["expected_purchases"].to_numpy())
    summary.unpersist()
    # The Pareto classes of customers by revenue (1e-12 for the shares; ties see above).
    exact = cms.pareto_exact(frame, by="customer_id", value="amount")
    ranked = cm.pareto(log, by="customer_id", value="amount")
    assert exact.n == ranked.n and exact.class_counts == ranked.class_counts
    assert exact.gini == pytest.approx(ranked.gini, rel=1e-12)


@pytest.mark.parametrize("fixed", [2000.0, 5000.0])
def test_spark_break_even_over_time_equals_python(generated, spark, fixed):
    """Spark totals each partition's months in the executors and the core adds them up: the
    months, the cumulative figures (1e-12: the sums within a month run in another order) and
    the break-even date of Python (and so of the CLI, tested above)."""
    from custometrics import spark as cms

    log = cm.read_transactions(str(generated))
    frame = spark.createDataFrame(log[["date", "amount", "cost"]]).repartition(3)
    got = cms.break_even_over_time(frame, fixed_costs_per_month=fixed)
    want = cm.break_even_over_time_from_log(log, fixed_costs_per_month=fixed)
    assert list(got.periods.index) == list(want.periods.index)
    for c in ("cumulative_revenue", "cumulative_cost", "cumulative_profit"):
        np.testing.assert_allclose(got.periods[c].to_numpy(), want.periods[c].to_numpy(),
                                   rtol=1e-12, atol=1e-6, err_msg=c)
    assert got.reached is want.reached
    if want.reached:
        assert abs((got.date - want.date).total_seconds()) <= 1
    else:
        assert got.remaining_gap == pytest.approx(want.remaining_gap, rel=1e-12)
    with pytest.raises(cm.InputError) as mine:
        cms.break_even_over_time(frame, fixed_costs_per_month=-1.0)
    with pytest.raises(cm.InputError) as theirs:
        cm.break_even_over_time_from_log(log, fixed_costs_per_month=-1.0)
    assert (mine.value.argument, str(mine.value)) == (theirs.value.argument, str(theirs.value))
