"""Every result shows briefly in a terminal and as a table in a notebook (issue 17): a repr of
a few short lines, whatever the size of the data behind it, and a ``_repr_html_`` with the
headline figures."""

import pandas as pd
import pytest

import custometrics as cm


@pytest.fixture(scope="module")
def results():
    log = cm.generate(customers=1500, seed=9)
    first, second = log[log["date"] < "2021-01-01"], log[log["date"] >= "2021-01-01"]
    summary = cm.summarize(log, time_unit="weeks")
    calibration = cm.summarize(log, calibration_end="2021-06-30", time_unit="weeks")
    bg = cm.BetaGeoModel().fit(summary)
    per = cm.aggregate(log, by="customer_id", value="amount")
    values = pd.DataFrame({"recency": per["count"], "frequency": per["count"],
                           "monetary": per["sum"]})
    return {
        "pareto": cm.pareto(log, by="customer_id", value="amount"),
        "whale": cm.whale_curve(log.assign(p=log["amount"] - log["cost"]),
                                by="customer_id", value="p"),
        "gini": cm.gini(per["sum"]),
        "periods": cm.compare_periods(first, second, by="customer_id", value="amount"),
        "break_even": cm.break_even_analysis(fixed_costs=40_000, price=50,
                                             unit_variable_cost=30, sales_units=2_500),
        "point": cm.break_even(fixed_costs=40_000, price=50, unit_variable_cost=30),
        "over_time": cm.break_even_over_time_from_log(log, fixed_costs_per_month=3_000),
        "model": bg,
        "selection": cm.select_model(calibration, by="mae"),
        "check": cm.calibration_holdout_check(bg, calibration),
        "overview": cm.retention_overview(cm.summarize(log)),
        "economics": cm.retention_economics(margin=100, retention_rate=0.8,
                                            discount_rate=0.1, points=5),
        "kmeans": cm.kmeans(values, 3, scaling="log_standardize", seed=1),
        "ahp": cm.ahp_weights([[1, 2], [0.5, 1]], ["size", "growth"]),
        "report": cm.report(log),
    }


@pytest.mark.parametrize("name", [
    "pareto", "whale", "gini", "periods", "break_even", "point", "over_time", "model",
    "selection", "check", "overview", "economics", "kmeans", "ahp"])
def test_repr_is_short(results, name):
    text = repr(results[name])
    lines = text.splitlines()
    assert len(lines) <= 30, text
    assert max(map(len, lines)) <= 120, text
    assert type(results[name]).__name__ in text


@pytest.mark.parametrize("name", [
    "pareto", "whale", "gini", "periods", "break_even", "point", "over_time", "model",
    "selection", "check", "overview", "economics", "kmeans", "ahp", "report"])
def test_notebook_display_is_a_table(results, name):
    page = results[name]._repr_html_()
    assert "<table" in page


def test_period_comparison_summarises_its_key_lists(results):
    # Before: the repr printed every key that entered or left class A (thousands of them).
    c = results["periods"]
    text = repr(c)
    assert f"entered_a=<{len(c.entered_a):,} items>" in text  # sizes are not field values
    assert str(c.entered_a[-1]) not in text.split("entered_a=")[1].split(",")[0]
    page = c._repr_html_()
    assert "migration" in page and "<b>PeriodComparison</b>" in page


def test_model_display_has_the_parameters_and_errors(results):
    page = results["model"]._repr_html_()
    for name in ["r", "alpha", "a", "b", "se(coef)", "log-likelihood"]:
        assert name in page
