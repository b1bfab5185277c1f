"""custometrics break-even functions and charts: textbook cases worked out by hand (the
arithmetic is in the comments), unreachable cases as results, and bad input."""

import json
import math
import subprocess

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from cli_tool import cli

# The textbook model of every single-product test: price 50, unit variable cost 30,
# fixed costs 40,000 per period.
MODEL = {"fixed_costs": 40_000.0, "price": 50.0, "unit_variable_cost": 30.0}

# --------------------------------------------------------------------------------------------
# One product


def test_break_even_textbook():
    # cm = 50 - 30 = 20; ratio 20 / 50 = 0.4; 40,000 / 20 = 2,000 units; 2,000 * 50 = 100,000
    # (= 40,000 / 0.4).
    be = cm.break_even(**MODEL)
    assert be == cm.BreakEvenPoint(contribution_margin=20.0, contribution_margin_ratio=0.4,
                                   defined=True, reason="", units=2000.0, revenue=100_000.0)


def test_target_profit_before_and_after_tax():
    # (40,000 + 10,000) / 20 = 2,500 units, revenue 125,000.
    r = cm.target_profit(**MODEL, target_profit=10_000)
    assert (r.pre_tax_profit, r.units, r.revenue) == (10_000.0, 2500.0, 125_000.0)
    # Net 14,000 after 30% tax: 14,000 / (1 - 0.3) = 20,000 before tax;
    # (40,000 + 20,000) / 20 = 3,000 units, revenue 150,000.
    r = cm.target_profit(**MODEL, target_profit=14_000, tax_rate=0.3)
    assert r.defined and r.reason == ""
    assert r.pre_tax_profit == pytest.approx(20_000.0, rel=1e-15)
    assert r.units == pytest.approx(3000.0, rel=1e-15)
    assert r.revenue == pytest.approx(150_000.0, rel=1e-15)
    # No tax on a loss: a target of -4,000 stays -4,000 -> 36,000 / 20 = 1,800 units.
    assert cm.target_profit(**MODEL, target_profit=-4_000, tax_rate=0.3).units == 1800.0
    # A loss above the fixed costs would need negative units: not defined.
    worse = cm.target_profit(**MODEL, target_profit=-50_000)
    assert not worse.defined and worse.units is None and worse.reason


def test_margin_of_safety_and_operating_leverage():
    # Sales 2,500, break-even 2,000: 500 units, 500 * 50 = 25,000, 500 / 2,500 = 20%.
    m = cm.margin_of_safety(**MODEL, sales_units=2_500)
    assert (m.units, m.revenue, m.ratio, m.defined) == (500.0, 25_000.0, 0.2, True)
    # DOL at 2,500: contribution 2,500 * 20 = 50,000, profit 10,000 -> 5.
    d = cm.operating_leverage(**MODEL, sales_units=2_500)
    assert (d.contribution, d.profit, d.degree) == (50_000.0, 10_000.0, 5.0)
    # Below break-even, 1,500 units: 30,000 / -10,000 = -3; margin -500 units, -1/3.
    assert cm.operating_leverage(**MODEL, sales_units=1_500).degree == -3.0
    below = cm.margin_of_safety(**MODEL, sales_units=1_500)
    assert below.units == -500.0 and below.ratio == pytest.approx(-1 / 3, rel=1e-15)
    # At break-even the profit is 0: DOL undefined, None (not NaN or inf).
    at = cm.operating_leverage(**MODEL, sales_units=2_000)
    assert not at.defined and at.degree is None and at.reason and at.profit == 0.0
    # No sales: no margin of safety share.
    zero = cm.margin_of_safety(**MODEL, sales_units=0)
    assert not zero.defined and zero.ratio is None


def test_cash_break_even():
    # Depreciation 10,000 of the 40,000: (40,000 - 10,000) / 20 = 1,500 units, 75,000.
    c = cm.cash_break_even(**MODEL, non_cash_costs=10_000)
    assert (c.units, c.revenue, c.defined) == (1500.0, 75_000.0, True)


def test_break_even_analysis_has_the_cli_figures():
    a = cm.break_even_analysis(**MODEL, sales_units=2_500, target_profit=14_000, tax_rate=0.3,
                               depreciation=10_000)
    assert a.contribution_margin == 20.0 and a.contribution_margin_ratio == 0.4
    assert (a.break_even_units, a.break_even_revenue) == (2000.0, 100_000.0)
    assert a.target_units == pytest.approx(3000.0, rel=1e-15)
    assert (a.margin_of_safety_units, a.margin_of_safety_pct) == (500.0, 20.0)
    assert a.operating_leverage == 5.0 and a.cash_break_even_units == 1500.0
    assert a.defined and a.reason == "" and a.reasons == {}
    assert list(a.to_dict()) == [
        "contribution_margin", "contribution_margin_ratio", "break_even_units",
        "break_even_revenue", "target_units", "margin_of_safety_units", "margin_of_safety_pct",
        "operating_leverage", "cash_break_even_units"]
    # Without the optional inputs their figures are None and not in the CLI keys.
    plain = cm.break_even_analysis(**MODEL)
    assert plain.target_units is None and plain.operating_leverage is None
    assert list(plain.to_dict()) == ["contribution_margin", "contribution_margin_ratio",
                                     "break_even_units", "break_even_revenue"]
    # At break-even the DOL is None and says why.
    at = cm.break_even_analysis(**MODEL, sales_units=2_000)
    assert at.operating_leverage is None and "operating_leverage" in at.reasons
    assert at.margin_of_safety_units == 0.0


@pytest.mark.parametrize("model,options", [
    # The textbook case: every figure defined (see test_break_even_analysis_has_the_cli_figures).
    (MODEL, {"sales_units": 2_500, "target_profit": 14_000, "tax_rate": 0.3,
             "depreciation": 10_000}),
    # At break-even: the DOL is null; an awkward price so that the figures are not round.
    ({"fixed_costs": 12_345.67, "price": 19.99, "unit_variable_cost": 7.31},
     {"sales_units": 12_345.67 / (19.99 - 7.31), "target_profit": 1_000.5}),
    # No contribution margin: nulls for every break-even figure.
    ({"fixed_costs": 40_000.0, "price": 25.0, "unit_variable_cost": 30.0},
     {"sales_units": 100, "target_profit": 1_000, "depreciation": 1_000}),
    (MODEL, {}),
])
def test_cli_and_python_give_the_same_break_even_figures(model, options):
    # Both faces call the one core function: the same keys, the same nulls, the same numbers
    # to the last bit (the CLI's JSON writes the shortest text that reads back exactly).
    args = [cli(), "break-even", "--format", "json"]
    for name, value in {**model, **options}.items():
        args += ["--" + name.replace("_", "-"), repr(float(value))]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == cm.break_even_analysis(**model, **options).to_dict()


@pytest.mark.parametrize("price,cost", [(30.0, 30.0), (25.0, 30.0)])
def test_no_contribution_margin_is_a_result(price, cost):
    # cm = 0 or -5: every unit adds to the loss; no break-even, no NaN.
    model = {"fixed_costs": 40_000.0, "price": price, "unit_variable_cost": cost}
    be = cm.break_even(**model)
    assert not be.defined and be.units is None and be.revenue is None
    assert "contribution margin" in be.reason
    assert be.contribution_margin == price - cost
    assert cm.target_profit(**model, target_profit=1_000).units is None
    assert cm.margin_of_safety(**model, sales_units=100).units is None
    assert cm.cash_break_even(**model, non_cash_costs=1_000).units is None
    a = cm.break_even_analysis(**model, sales_units=100, target_profit=1_000,
                               depreciation=1_000)
    assert not a.defined and "contribution margin" in a.reason
    assert a.break_even_units is None and a.target_units is None
    assert a.margin_of_safety_pct is None and a.cash_break_even_units is None
    assert {"break_even_units", "target_units", "cash_break_even_units"} <= set(a.reasons)
    # DOL is still computed: 100 * cm / (100 * cm - 40,000).
    assert a.operating_leverage == pytest.approx(100 * (price - cost) /
                                                 (100 * (price - cost) - 40_000), rel=1e-15)
    for value in a.to_dict().values():
        assert value is None or math.isfinite(value)


@pytest.mark.parametrize("change,name", [
    ({"fixed_costs": -1.0}, "fixed_costs"),
    ({"fixed_costs": math.inf}, "fixed_costs"),
    ({"price": math.nan}, "price"),
    ({"price": math.inf}, "price"),
    ({"price": 0.0}, "price"),
    ({"unit_variable_cost": -3.0}, "unit_variable_cost"),
])
def test_invalid_model_names_the_input(change, name):
    model = {**MODEL, **change}
    for f in (cm.break_even, cm.break_even_analysis):
        with pytest.raises(ValueError, match=rf"^{name}: must be"):
            f(**model)


def test_invalid_options_name_the_input():
    with pytest.raises(ValueError, match=r"^tax_rate: must be in \[0, 1\), got 1"):
        cm.target_profit(**MODEL, target_profit=1.0, tax_rate=1.0)
    with pytest.raises(ValueError, match=r"^tax_rate: must be in \[0, 1\)"):
        cm.break_even_analysis(**MODEL, target_profit=1.0, tax_rate=-0.1)
    with pytest.raises(ValueError, match=r"^tax_rate"):  # even without a target
        cm.break_even_analysis(**MODEL, tax_rate=1.0)
    with pytest.raises(ValueError, match=r"^target_profit: must be finite"):
        cm.target_profit(**MODEL, target_profit=math.nan)
    with pytest.raises(ValueError, match=r"^sales_units"):
        cm.margin_of_safety(**MODEL, sales_units=-1)
    with pytest.raises(ValueError, match=r"^non_cash_costs: must be between 0 and fixed_costs"):
        cm.cash_break_even(**MODEL, non_cash_costs=50_000)
    with pytest.raises(ValueError, match=r"^depreciation: must be between 0 and fixed_costs"):
        cm.break_even_analysis(**MODEL, depreciation=50_000)
    with pytest.raises(TypeError, match=r"^price: expected a number"):
        cm.break_even(fixed_costs=1.0, price="50", unit_variable_cost=1.0)


# --------------------------------------------------------------------------------------------
# Sales mix


def test_three_product_mix_by_units():
    # Prices 20, 30, 50; unit costs 12, 18, 35 -> margins 8, 12, 15; unit shares .5, .3, .2.
    # Weighted cm = .5*8 + .3*12 + .2*15 = 4 + 3.6 + 3 = 10.6; F 53,000 -> 5,000 units:
    # 2,500, 1,500, 1,000; revenue 2,500*20 + 1,500*30 + 1,000*50 = 50,000 + 45,000 + 50,000
    # = 145,000. Average price .5*20 + .3*30 + .2*50 = 29; ratio 10.6 / 29.
    products = pd.DataFrame({"product": ["a", "b", "c"], "price": [20.0, 30.0, 50.0],
                             "unit_variable_cost": [12.0, 18.0, 35.0], "mix": [0.5, 0.3, 0.2]})
    r = cm.break_even_mix(products, fixed_costs=53_000)
    assert r.defined and r.basis == "units"
    assert r.weighted_contribution_margin == pytest.approx(10.6, rel=1e-14)
    assert r.average_price == pytest.approx(29.0, rel=1e-14)
    assert r.weighted_contribution_margin_ratio == pytest.approx(10.6 / 29, rel=1e-14)
    assert r.units == pytest.approx(5000.0, rel=1e-14)
    assert r.revenue == pytest.approx(145_000.0, rel=1e-14)
    p = r.products
    assert p.index.name == "product" and p.index.tolist() == ["a", "b", "c"]
    assert p["contribution_margin"].tolist() == [8.0, 12.0, 15.0]
    np.testing.assert_allclose(p["break_even_units"].to_numpy(dtype=float),
                               [2500.0, 1500.0, 1000.0], rtol=1e-14)
    np.testing.assert_allclose(p["break_even_revenue"].to_numpy(dtype=float),
                               [50_000.0, 45_000.0, 50_000.0], rtol=1e-14)
    np.testing.assert_allclose(p["revenue_share"], [50 / 145, 45 / 145, 50 / 145], rtol=1e-14)
    # The same from plain arrays, products by position.
    arrays = cm.break_even_mix(fixed_costs=53_000, price=[20, 30, 50],
                               unit_variable_cost=[12, 18, 35], mix=np.array([0.5, 0.3, 0.2]))
    assert arrays.products.index.tolist() == [0, 1, 2]
    assert arrays.units == pytest.approx(5000.0, rel=1e-14)


def test_mix_by_revenue_share_and_from_polars():
    pl = pytest.importorskip("polars")
    # Revenue shares .4, .3, .3 at prices 20, 30, 50: r/p = .02, .01, .006 (sum .036) ->
    # unit shares 5/9, 5/18, 1/6. Weighted cm = 5/9*8 + 5/18*12 + 1/6*15 = 185/18.
    frame = pl.DataFrame({"product": ["a", "b", "c"], "price": [20.0, 30.0, 50.0],
                          "unit_variable_cost": [12.0, 18.0, 35.0], "mix": [0.4, 0.3, 0.3]})
    r = cm.break_even_mix(frame, fixed_costs=18_500, basis="revenue")
    np.testing.assert_allclose(r.products["unit_share"], [5 / 9, 5 / 18, 1 / 6], rtol=1e-14)
    np.testing.assert_allclose(r.products["revenue_share"], [0.4, 0.3, 0.3], rtol=1e-14)
    assert r.weighted_contribution_margin == pytest.approx(185 / 18, rel=1e-14)
    assert r.units == pytest.approx(18_500 / (185 / 18), rel=1e-14)  # 1,800 units


def test_mix_without_margin_and_bad_mixes():
    # Weighted cm = .5 * (10 - 12) + .5 * (10 - 9) = -0.5: no break-even; the per-product
    # break-even columns are missing values, not NaN.
    r = cm.break_even_mix(fixed_costs=1_000, price=[10.0, 10.0], unit_variable_cost=[12.0, 9.0],
                          mix=[0.5, 0.5])
    assert not r.defined and r.units is None and "contribution margin" in r.reason
    assert r.products["break_even_units"].isna().all()
    assert str(r.products["break_even_units"].dtype) == "Float64"
    products = pd.DataFrame({"price": [20.0, 30.0], "unit_variable_cost": [12.0, 18.0],
                             "mix": [0.5, 0.4]})
    with pytest.raises(ValueError, match=r"^mix: the shares sum to 0.9, not 1"):
        cm.break_even_mix(products, fixed_costs=1_000)
    with pytest.raises(ValueError, match=r"^shares: the shares sum to 0.9"):  # a named Series
        cm.break_even_mix(products, fixed_costs=1_000, mix=pd.Series([0.5, 0.4], name="shares"))
    with pytest.raises(ValueError, match=r"^price: product 1: must be finite and > 0, got nan"):
        cm.break_even_mix(products.assign(price=[20.0, np.nan]), fixed_costs=1_000)
    with pytest.raises(ValueError, match=r"^basis: expected 'units' or 'revenue'"):
        cm.break_even_mix(products.assign(mix=[0.5, 0.5]), fixed_costs=1_000, basis="value")
    with pytest.raises(ValueError, match=r"^price: the mix is empty"):
        cm.break_even_mix(fixed_costs=1_000, price=[], unit_variable_cost=[], mix=[])
    with pytest.raises(ValueError, match=r"^product: product 'a' appears more than once"):
        cm.break_even_mix(products.assign(product=["a", "a"], mix=[0.5, 0.5]),
                          fixed_costs=1_000)


def test_sales_mix_from_log():
    # p1 sells 10 for 200 (cost 120) and 5 for 100 (cost 60), one return of 2 for -40 (cost
    # -24): 13 units, price 260 / 13 = 20, unit cost 156 / 13 = 12. p2: 3 for 30 (cost 9):
    # price 10, unit cost 3. p3 is sold once and returned: net units 0, excluded, net amount 0
    # plus a fee of 5 with quantity 0 -> 5. Shares 13/16, 3/16.
    rows = pd.DataFrame({
        "product": ["p1", "p1", "p1", "p2", "p3", "p3", "p3"],
        "amount": [200.0, 100.0, -40.0, 30.0, 50.0, -50.0, 5.0],
        "cost": [120.0, 60.0, -24.0, 9.0, 20.0, -20.0, 0.0],
        "quantity": [10.0, 5.0, 2.0, 3.0, 1.0, 1.0, 0.0],
    })
    m = cm.sales_mix_from_log(rows)
    p = m.products
    assert p["product"].tolist() == ["p1", "p2"]
    assert p["quantity"].tolist() == [13.0, 3.0]
    np.testing.assert_allclose(p["price"], [20.0, 10.0], rtol=1e-15)
    np.testing.assert_allclose(p["unit_variable_cost"], [12.0, 3.0], rtol=1e-15)
    np.testing.assert_allclose(p["mix"], [13 / 16, 3 / 16], rtol=1e-15)
    assert m.excluded == ["p3"] and m.excluded_amount == 5.0
    # Straight into the mix: weighted cm = 13/16 * 8 + 3/16 * 7 = 125/16; F 1,250 -> 160 units.
    r = cm.break_even_mix(p, fixed_costs=1_250)
    assert r.units == pytest.approx(160.0, rel=1e-14)
    assert r.products.index.tolist() == ["p1", "p2"]
    with pytest.raises(ValueError, match=r"^quantity: column 'quantity' not found"):
        cm.sales_mix_from_log(rows.drop(columns="quantity"))


# --------------------------------------------------------------------------------------------
# Stepped fixed costs


def test_two_bands_two_points_and_none():
    # cm 20. [0, 3,000) F 40,000 -> 2,000 (inside); [3,000, 6,000) F 70,000 -> 3,500 (inside).
    r = cm.break_even_stepped([(0, 3_000, 40_000), (3_000, 6_000, 70_000)], price=50,
                              unit_variable_cost=30)
    assert r.defined and r.units == [2000.0, 3500.0] and r.reason == ""
    assert r.bands["in_band"].tolist() == [True, True]
    assert r.bands["revenue"].tolist() == [100_000.0, 175_000.0]
    # [0, 1,500) and [1,500, 3,000) with the same costs: 2,000 lies above the first band,
    # 3,500 above the second: none.
    bands = pd.DataFrame({"from": [0.0, 1_500.0], "to": [1_500.0, 3_000.0],
                          "fixed_costs": [40_000.0, 70_000.0]})
    none = cm.break_even_stepped(bands, price=50, unit_variable_cost=30)
    assert not none.defined and none.units == [] and "no break-even point" in none.reason
    assert none.bands["units"].tolist() == [2000.0, 3500.0]
    assert none.bands["in_band"].tolist() == [False, False]
    assert all("above the band" in s for s in none.bands["reason"])
    # No margin: candidates missing, reason given.
    flat = cm.break_even_stepped(bands, price=30, unit_variable_cost=30)
    assert not flat.defined and flat.bands["units"].isna().all()
    # A gap between bands names the band.
    with pytest.raises(ValueError, match=r"^bands: band 1 starts at 2000 but band 0 ends at "
                                         r"1500 \(gap\)"):
        cm.break_even_stepped([(0, 1_500, 1.0), (2_000, 3_000, 1.0)], price=50,
                              unit_variable_cost=30)
    with pytest.raises(ValueError, match=r"^bands: band 0 fixed_costs"):
        cm.break_even_stepped([(0, 1_500, -1.0)], price=50, unit_variable_cost=30)


# --------------------------------------------------------------------------------------------
# Over time


def test_series_crosses_between_two_periods():
    # Months from 2024-01-01: revenue 1,000, 3,000, 3,000; cost 2,000, 1,500, 1,500.
    # Cumulative profit -1,000 at the end of January, -1,000 + 1,500 = +500 at the end of
    # February: it crosses 0 after 1,000 / 1,500 = 2/3 of February's 29 days = 19 1/3 days
    # = 19 days 8 hours: 2024-02-20 08:00. The end is inferred as 2024-04-01.
    starts = pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    r = cm.break_even_over_time(period_start=starts, revenue=[1_000.0, 3_000.0, 3_000.0],
                                cost=np.array([2_000.0, 1_500.0, 1_500.0]))
    assert r.reached and r.period == 1 and r.remaining_gap is None and r.reason == ""
    assert r.date == pd.Timestamp("2024-02-20 08:00:00")
    assert r.end == pd.Timestamp("2024-04-01")
    assert r.periods.index.tolist() == starts.tolist()
    assert r.periods["cumulative_profit"].tolist() == [-1_000.0, 500.0, 2_000.0]


def test_series_not_reached_and_from_a_frame():
    # Weekly periods: revenue 1,000, 1,000, cost 2,000, 1,500: cumulative profit -1,000 then
    # -1,500: not reached, remaining gap 1,500. The end is the last start + 7 days.
    frame = pd.DataFrame({"week": pd.to_datetime(["2024-01-01", "2024-01-08"]),
                          "sales": [1_000.0, 1_000.0], "costs": [2_000.0, 1_500.0]})
    r = cm.break_even_over_time(frame, period_start="week", revenue="sales", cost="costs")
    assert not r.reached and r.date is None and r.period is None
    assert r.remaining_gap == 1_500.0 and r.reason
    assert r.end == pd.Timestamp("2024-01-15")
    with pytest.raises(ValueError, match=r"^end: required with a single period"):
        cm.break_even_over_time(period_start=["2024-01-01"], revenue=[1.0], cost=[1.0])
    with pytest.raises(ValueError, match=r"^period_start: period 1 .* is not after"):
        cm.break_even_over_time(period_start=["2024-02-01", "2024-01-01"], revenue=[1.0, 1.0],
                                cost=[1.0, 1.0], end="2024-03-01")
    with pytest.raises(ValueError, match=r"^cost: period 0 .*: value is nan"):
        cm.break_even_over_time(period_start=["2024-01-01"], revenue=[1.0], cost=[np.nan],
                                end="2024-02-01")


def test_over_time_from_log():
    # January: revenue 1,500, cost 500 + fixed 2,000 -> -1,000. February has no rows: -2,000
    # fixed -> -3,000. March: revenue 6,000, cost 1,000 + 2,000 -> +3,000: cumulative 0 at
    # the end of March, reached exactly then: 3,000 / 3,000 of March's 31 days = 2024-04-01.
    log = pd.DataFrame({"date": pd.to_datetime(["2024-01-10", "2024-03-05", "2024-03-20"]),
                        "amount": [1_500.0, 3_000.0, 3_000.0], "cost": [500.0, 500.0, 500.0]})
    r = cm.break_even_over_time_from_log(log, fixed_costs_per_month=2_000)
    assert r.periods["cumulative_profit"].tolist() == [-1_000.0, -3_000.0, 0.0]
    assert r.reached and r.period == 2 and r.date == pd.Timestamp("2024-04-01")
    with pytest.raises(ValueError, match=r"^fixed_costs_per_month: must be finite and >= 0"):
        cm.break_even_over_time_from_log(log, fixed_costs_per_month=-1)


# --------------------------------------------------------------------------------------------
# Sensitivity and chart data


def test_tornado_by_hand():
    # Base: 2,500 units, profit 2,500 * 20 - 40,000 = 10,000. +-10% one at a time:
    # price 45 / 55: 2,500 * 15 - 40,000 = -2,500; 2,500 * 25 - 40,000 = 22,500 (swing
    #   25,000); break-even 40,000 / 15 = 2,666.67 and 40,000 / 25 = 1,600.
    # unit cost 27 / 33: 2,500 * 23 - 40,000 = 17,500; 2,500 * 17 - 40,000 = 2,500 (15,000).
    # volume 2,250 / 2,750: 45,000 - 40,000 = 5,000; 55,000 - 40,000 = 15,000 (10,000);
    #   break-even unchanged, 2,000.
    # fixed 36,000 / 44,000: 50,000 - 36,000 = 14,000; 6,000 (8,000); break-even 1,800 / 2,200.
    t = cm.tornado(**MODEL, sales_units=2_500)
    assert t.index.tolist() == ["price", "unit_variable_cost", "volume", "fixed_costs"]
    assert t.loc["price", ["low_value", "high_value"]].tolist() == pytest.approx([45.0, 55.0],
                                                                                 rel=1e-15)
    np.testing.assert_allclose(t["low_profit"], [-2_500.0, 17_500.0, 5_000.0, 14_000.0],
                               rtol=1e-12)
    np.testing.assert_allclose(t["high_profit"], [22_500.0, 2_500.0, 15_000.0, 6_000.0],
                               rtol=1e-12)
    np.testing.assert_allclose(t["profit_swing"], [25_000.0, 15_000.0, 10_000.0, 8_000.0],
                               rtol=1e-12)
    assert t.loc["price", "low_break_even_units"] == pytest.approx(40_000 / 15, rel=1e-14)
    assert t.loc["price", "high_break_even_units"] == pytest.approx(1_600.0, rel=1e-14)
    assert t.loc["fixed_costs", "low_break_even_units"] == pytest.approx(1_800.0, rel=1e-14)
    assert t.loc["volume", "break_even_units_swing"] == 0.0
    assert t.attrs == {"change": 0.1, "sales_units": 2_500.0, "base_profit": 10_000.0,
                       "base_break_even_units": 2_000.0}
    # Lowering the price by 40% to 30 leaves no margin: that break-even is missing.
    deep = cm.tornado(**MODEL, sales_units=2_500, change=0.4)
    assert pd.isna(deep.loc["price", "low_break_even_units"])
    assert pd.isna(deep.loc["price", "break_even_units_swing"])
    with pytest.raises(ValueError, match=r"^change: must be in \[0, 1\)"):
        cm.tornado(**MODEL, sales_units=2_500, change=1.0)


def test_price_volume_grid():
    # (45, 2,250): 2,250 * 15 - 40,000 = -6,250; (55, 2,750): 2,750 * 25 - 40,000 = 28,750;
    # (50, 2,500): 10,000.
    g = cm.price_volume_grid(**MODEL, sales_units=2_500)
    assert g.index.name == "price_change" and g.columns.name == "volume_change"
    assert g.loc[-0.1, -0.1] == pytest.approx(-6_250.0, rel=1e-12)
    assert g.loc[0.1, 0.1] == pytest.approx(28_750.0, rel=1e-12)
    assert g.loc[0.0, 0.0] == 10_000.0
    assert g.attrs["prices"] == pytest.approx([45.0, 50.0, 55.0], rel=1e-15)
    with pytest.raises(ValueError, match=r"^volume_changes: index 1"):
        cm.price_volume_grid(**MODEL, sales_units=2_500, volume_changes=[0.0, -1.0])


def test_chart_data():
    # 0..4,000 in 5 points: total costs 40,000 + 30 * volume, revenue 50 * volume.
    d = cm.break_even_chart_data(**MODEL, volume_max=4_000, points=5)
    assert d["volume"].tolist() == [0.0, 1_000.0, 2_000.0, 3_000.0, 4_000.0]
    assert d["fixed_costs"].tolist() == [40_000.0] * 5
    assert d["total_costs"].tolist() == [40_000.0, 70_000.0, 100_000.0, 130_000.0, 160_000.0]
    assert d["revenue"].tolist() == [0.0, 50_000.0, 100_000.0, 150_000.0, 200_000.0]
    # Default range: twice the break-even, 0..4,000 in 51 points.
    default = cm.break_even_chart_data(**MODEL)
    assert len(default) == 51 and default["volume"].iloc[-1] == 4_000.0
    with pytest.raises(ValueError, match=r"^volume_max: required"):
        cm.break_even_chart_data(fixed_costs=1.0, price=1.0, unit_variable_cost=2.0)
    with pytest.raises(ValueError, match=r"^points: must be >= 2"):
        cm.break_even_chart_data(**MODEL, volume_max=10.0, points=1)


# --------------------------------------------------------------------------------------------
# Plots


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def test_break_even_chart(plt):
    a = cm.break_even_analysis(**MODEL, sales_units=2_500)
    ax = a.plot()
    # Default range: twice the larger of break-even (2,000) and sales (2,500) = 5,000.
    fixed, total, revenue, point = ax.lines
    assert fixed.get_xdata()[0] == 0.0 and fixed.get_xdata()[-1] == 5_000.0
    assert fixed.get_ydata()[-1] == 40_000.0
    assert total.get_ydata()[0] == 40_000.0 and total.get_ydata()[-1] == 190_000.0
    assert revenue.get_ydata()[0] == 0.0 and revenue.get_ydata()[-1] == 250_000.0
    assert point.get_xdata().tolist() == [2_000.0] and point.get_ydata().tolist() == [100_000.0]
    assert len(ax.collections) == 2  # the loss and the profit areas
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:5] == ["fixed costs", "total costs", "revenue", "loss", "profit"]
    # The loss area lies left of break-even, the profit area right of it.
    loss, gain = (c.get_paths()[0].vertices for c in ax.collections)
    assert loss[:, 0].max() == pytest.approx(2_000.0) and gain[:, 0].min() == pytest.approx(2_000.0)
    # A given Axes and range; a mapping as the model; a break-even beyond the range is
    # not marked.
    fig, ax2 = plt.subplots()
    assert cm.plot.break_even_chart(MODEL, ax=ax2, volume_max=1_000) is ax2
    assert len(ax2.lines) == 3 and ax2.lines[2].get_ydata()[-1] == 50_000.0
    with pytest.raises(TypeError, match="missing price"):
        cm.plot.break_even_chart({"fixed_costs": 1.0, "unit_variable_cost": 1.0})


def test_tornado_chart(plt):
    t = cm.tornado(**MODEL, sales_units=2_500)
    ax = cm.plot.tornado_chart(t)
    # 4 variables x (low, high) bars, widest on top (highest y).
    assert len(ax.patches) == 8
    labels = [lbl.get_text() for lbl in ax.get_yticklabels()]
    assert labels == ["fixed_costs", "volume", "unit_variable_cost", "price"]
    # Bars start at the base profit 10,000 and end at the case's profit: price's low bar
    # (y = 3) ends at -2,500, its high bar at 22,500.
    low = [p for p in ax.patches[:4] if abs(p.get_y() + p.get_height() / 2 - 3) < 1e-9]
    high = [p for p in ax.patches[4:] if abs(p.get_y() + p.get_height() / 2 - 3) < 1e-9]
    assert low[0].get_x() == 10_000.0
    assert low[0].get_x() + low[0].get_width() == pytest.approx(-2_500.0, rel=1e-12)
    assert high[0].get_x() + high[0].get_width() == pytest.approx(22_500.0, rel=1e-12)
    # By break-even units: price swing 2,666.67 - 1,600 first; volume does not move it.
    ax = cm.plot.tornado_chart(t, value="break_even_units")
    labels = [lbl.get_text() for lbl in ax.get_yticklabels()]
    assert labels[-1] == "price" and labels[0] == "volume"
    # A case without break-even has no bar.
    deep = cm.tornado(**MODEL, sales_units=2_500, change=0.4)
    assert len(cm.plot.tornado_chart(deep, value="break_even_units").patches) == 7
    with pytest.raises(ValueError, match="value: expected"):
        cm.plot.tornado_chart(t, value="revenue")
    with pytest.raises(ValueError, match="attrs"):
        cm.plot.tornado_chart(pd.DataFrame(t.to_dict()))


def test_tornado_break_even_swing_comes_from_the_core():
    # p 10, v 9.5, F 1,000: a 10% price cut (9) or unit-cost rise (10.45) leaves no
    # break-even, so no swing (pandas' NA, not NaN); fixed costs 900 / 1,100 at cm 0.5 give
    # 1,800 / 2,200 units: swing 400; volume moves no break-even: 0.
    t = cm.tornado(fixed_costs=1_000, price=10, unit_variable_cost=9.5, sales_units=100,
                   change=0.1)
    swing = t["break_even_units_swing"]
    assert swing.isna().tolist() == [True, False, True, False]
    assert swing["fixed_costs"] == pytest.approx(400.0)
    assert swing["volume"] == 0.0
    # The chart's default right end: twice the larger of break-even and sales units.
    from custometrics.cvp import default_volume_max
    assert default_volume_max(2_000.0, 2_500.0) == 5_000.0
    with pytest.raises(cm.InputError) as e:
        default_volume_max(None, 0.0)
    assert e.value.argument == "volume_max"
