"""custometrics.log_retention_economics against the hand-worked log of
tests/cpp/test_retention_log_economics.cpp, the CLI's `retention-economics` (byte-identical
JSON and text), and its errors."""
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from cli_tool import run

# Periods of 10 days ending 2020-01-31 (the day after E's purchase on day 29): P2 [0, 10),
# P1 [10, 20), P0 [20, 30); A's row on day -3 is the incomplete head.
ROWS = [("A", -3, 10), ("A", 5, 10), ("A", 15, 10), ("A", 25, 10), ("B", 2, 20), ("B", 12, 20),
        ("C", 8, 30), ("D", 14, 40), ("D", 16, -40), ("E", 29, 50), ("F", 25, -5),
        ("G", 11, 10), ("G", 27, 10)]


@pytest.fixture()
def log() -> pd.DataFrame:
    t0 = pd.Timestamp("2020-01-01")
    return pd.DataFrame({"customer_id": [r[0] for r in ROWS],
                         "date": [t0 + pd.Timedelta(days=r[1]) for r in ROWS],
                         "amount": [float(r[2]) for r in ROWS]})


def test_the_hand_worked_log(log):
    r = cm.log_retention_economics(log, margin_rate=0.5, period_days=10, horizon=2,
                                   acquisition_spend=300, retention_spend=100)
    # Active P2 {A, B, C}, P1 {A, B, D, G}, P0 {A, E, G}; retained A, B then A, G: 4 of 7.
    assert (r.retained, r.retention_base) == (4, 7)
    assert r.retention_rate == pytest.approx(4 / 7, rel=1e-15)
    # Revenue 60 + 40 + 65 over 10 customer-periods; new per period (P1 2, P0 1) = 1.5.
    assert r.revenue_per_customer == pytest.approx(16.5)
    assert r.margin_per_customer == pytest.approx(8.25)
    assert (r.customers_now, r.new_customers_per_period) == (3.0, 1.5)
    p = r.periods
    assert list(p["active"]) == [3, 4, 3] and list(p["new_customers"]) == [2, 2, 1]
    assert p["start"].iloc[0] == pd.Timestamp("2020-01-01") and np.isnan(p["retention_rate"][0])
    q = 4 / 7 + 0.05  # "+5 points": customers 3q + 1.5, then 3q^2 + 1.5 (1 + q)
    f = r.scenarios_frame
    plus = f[f["scenario"] == "+5 points"]
    assert list(plus["customers"]) == pytest.approx([3 * q + 1.5, 3 * q * q + 1.5 * (1 + q)])
    assert plus["revenue"].sum() == pytest.approx(16.5 * plus["customers"].sum())
    s = r.spend
    assert (s.cost_per_new_customer, s.cost_per_retained_customer) == (200.0, 50.0)
    assert s.break_even_retention_spend == pytest.approx(30.0)  # 3 x 0.05 x 200


def test_cli_and_python_give_the_same_output(log, tmp_path):
    path = tmp_path / "log.csv"
    log.assign(date=log["date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    args = ["retention-economics", str(path), "--period-days", "10", "--margin-rate", "0.5",
            "--acquisition-spend", "300", "--retention-spend", "100", "--end", "2020-01-31"]
    r = cm.log_retention_economics(pd.read_csv(path), margin_rate=0.5, period_days=10,
                                   acquisition_spend=300, retention_spend=100,
                                   end=dt.date(2020, 1, 31))
    out = run(*args, "--format", "json")
    assert r.to_json() == out
    assert r.to_dict()["retention"]["rate"] == r.retention_rate
    assert r.text == run(*args)


def test_the_timing_is_on_the_result(log):
    # The margin timing the result was computed with, as the core names it (and the JSON).
    r = cm.log_retention_economics(log, margin_rate=0.5, period_days=10)
    assert r.timing == "start" and r.to_dict()["design"]["timing"] == "start"
    e = cm.log_retention_economics(log, margin_rate=0.5, period_days=10, timing="end")
    assert e.timing == "end" and e.to_dict()["design"]["timing"] == "end"
    # At the end of periods the lifetime value is m q / (1 + d - q), at the start
    # m (1 + d) / (1 + d - q): their ratio is q / (1 + d) with q = 4/7, d = 0.1.
    ratio = e.scenarios[0].lifetime_value / r.scenarios[0].lifetime_value
    assert ratio == pytest.approx((4 / 7) / 1.1, rel=1e-12)


def test_the_cost_column_is_used_when_present(log):
    r = cm.log_retention_economics(log.assign(cost=log["amount"] * 0.25), period_days=10)
    assert r.margin_from_cost and r.margin_per_customer == pytest.approx(16.5 * 0.75)


@pytest.mark.parametrize("kwargs, argument", [
    (dict(period_days=10), "margin_rate"),
    (dict(margin_rate=0.5), "period_days"),  # 34 days: not two periods of 365
    (dict(margin_rate=0.5, period_days=10, timing="middle"), "timing"),
    (dict(margin_rate=0.5, period_days=10, horizon=0), "horizon"),
    (dict(margin_rate=0.5, period_days=10, retention_spend=-1), "retention_spend"),
])
def test_bad_input_names_the_argument(log, kwargs, argument):
    with pytest.raises(cm.InputError) as e:
        cm.log_retention_economics(log, **kwargs)
    assert e.value.argument == argument
