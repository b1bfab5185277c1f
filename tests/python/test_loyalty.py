"""custometrics.loyalty_types: loyalty labels, NPS, spending types, churn reasons and customer
profitability, on logs worked by hand (the same as tests/cpp/test_loyalty.cpp and
test_profitability.cpp) and against pandas, numpy and scipy computing the same figures."""

import re

import numpy as np
import pandas as pd
import pytest

import custometrics as cm


def small_log():
    # A every 10 days (days 0..30), B on days 0, 2, 12, 14, C once on day 20 with a return of
    # 20 on day 21, E once on day 35 (the observation end). Discounts: A on 2 of 4 purchases.
    rows = [("A", 0, 10), ("A", 10, 10), ("A", 20, 10), ("A", 30, 10), ("B", 0, 5), ("B", 2, 5),
            ("B", 12, 5), ("B", 14, 5), ("C", 20, 50), ("C", 21, -20), ("E", 35, 5)]
    start = pd.Timestamp("2020-01-01")
    return pd.DataFrame({
        "customer_id": [r[0] for r in rows],
        "date": [start + pd.Timedelta(days=r[1]) for r in rows],
        "amount": [float(r[2]) for r in rows],
        "cost": [0.6 * r[2] if r[0] != "C" else 0.9 * r[2] for r in rows],
        "discount": [0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0],
    })


SIGNALS = pd.DataFrame({
    "customer_id": ["A", "B", "C", "Z"],
    "satisfaction": [5, 2, 4, 1],
    "recommend": [10, 2, 8, 0],
    "complaints": [None, 3, None, None],
    "share_of_wallet": [None, None, 0.3, None],
})


def test_labels_rules_and_signals():
    df = cm.classify_loyalty(small_log(), signals=SIGNALS)
    assert df.index.tolist() == ["A", "B", "C", "E"]
    # C bought once: no switcher whatever its share of wallet (the article's switcher buys
    # regularly; before issue 14 it was one).
    assert df["loyalty_type"].astype(str).tolist() == ["advocate", "terrorist", "unknown",
                                                       "unknown"]
    assert df["quadrant"].astype(str).tolist() == ["js_apostle", "js_terrorist", "js_mercenary",
                                                   "unknown"]
    assert df.loc["A", "rule"] == ("advocate: purchase days 4 >= 3, regularity_cv 0 <= 0.5, "
                                   "recency_ratio 0.5 <= 2, recommend 10 >= 9")
    assert df.loc["B", "rule"] == "terrorist: satisfaction 2 <= 2, complaints 3 >= 1"
    assert df.loc["C", "rule"] == "unknown: missing discount_share, promotion_share, promotion_lift"
    assert df.loc["E", "missing"] == "discount_share, promotion_share, promotion_lift"
    assert df.loc["A", "decided_by"] == ("behaviour: purchase_days, regularity_cv, recency_ratio; "
                                         "stated: recommend")
    assert df.loc["B", "decided_by"] == "stated: satisfaction, complaints"
    assert df.loc["E", "decided_by"] == ""
    assert df.attrs["unmatched"] == ["Z"]
    # Stated signals come back as given; unknown ones as NaN.
    assert df.loc["C", "share_of_wallet"] == 0.3
    assert np.isnan(df.loc["A", "share_of_wallet"])
    assert np.isnan(df.loc["E", "satisfaction"])


def test_behavioural_signals_against_pandas():
    log = small_log()
    df = cm.classify_loyalty(log)
    # Peer: pandas, gaps between distinct purchase days, sample std / mean.
    for key in ["A", "B"]:
        rows = log[(log.customer_id == key) & (log.amount >= 0)]
        days = rows["date"].dt.normalize().drop_duplicates().sort_values()
        gaps = days.diff().dropna().dt.days.astype(float)
        assert df.loc[key, "regularity_cv"] == pytest.approx(gaps.std() / gaps.mean(), rel=1e-12)
        assert df.loc[key, "mean_interval"] == pytest.approx(gaps.mean())
    # By hand: B's cv = sqrt(64/3) / (14/3) = 0.98974; recency ratio 21 / (14/3) = 4.5.
    assert df.loc["B", "regularity_cv"] == pytest.approx(0.9897433186)
    assert df.loc["B", "recency_ratio"] == pytest.approx(4.5)
    assert df.loc["B", "frequency_trend"] == -1
    assert np.isnan(df.loc["C", "regularity_cv"])
    assert df.loc["C", "return_share"] == pytest.approx(0.4)
    assert np.isnan(df.loc["A", "discount_share"])  # no discount column given
    with_discount = cm.classify_loyalty(log, discount="discount", signals=SIGNALS)
    assert with_discount.loc["A", "discount_share"] == 0.5
    # Half bought on discount: mercenary comes before advocate (satisfied or not).
    assert with_discount.loc["A", "loyalty_type"] == "mercenary"


def test_rules_are_configurable():
    df = cm.classify_loyalty(small_log(), signals=SIGNALS, rules={"max_recency_ratio": 0.4})
    # A's recency ratio 0.5 > 0.4: no longer regular, so neither advocate nor apostle.
    assert df.loc["A", "loyalty_type"] == "unknown"
    assert df.loc["A", "quadrant"] == "js_mercenary"
    with pytest.raises(ValueError, match="unknown rule threshold"):
        cm.classify_loyalty(small_log(), rules={"max_regular_vc": 0.4})
    with pytest.raises(ValueError, match="high_satisfaction: value is 7"):
        cm.classify_loyalty(small_log(), rules={"high_satisfaction": 7})


def test_article_types_from_behaviour():
    # Worked by hand as in tests/cpp/test_loyalty.cpp ("rhythm share, promotions and list
    # prices"). Promotion days 0..8 of the log's 36 (0.25); B bought on days 0, 2 of 0, 2, 12,
    # 14: promotion share 0.5, lift 2; gaps 2, 10, 2: cycle 2, rhythm share 3 / 7.
    log = small_log()
    promotions = pd.DataFrame({"start": ["2020-01-01"], "end": ["2020-01-09"]})
    df = cm.classify_loyalty(log, promotions=promotions)
    assert df.loc["B", "promotion_share"] == 0.5 and df.loc["B", "promotion_lift"] == 2
    assert df.loc["B", "rhythm_share"] == pytest.approx(3 / 7)
    assert df.loc["A", "rhythm_share"] == 1 and df.loc["A", "promotion_lift"] == 1
    # B (recency ratio 4.5 > 2, no longer active) buys at promotion peaks: mercenary.
    assert df.loc["B", "loyalty_type"] == "mercenary"
    assert df.loc["B", "decided_by"] == "behaviour: promotion_share, promotion_lift"
    # A regular buyer without a survey is loyal ("systematisch ..., ohne weitere
    # Produktwerbung"); the same periods as pairs give the same result.
    assert df.loc["A", "loyalty_type"] == "loyal"
    pairs = cm.classify_loyalty(log, promotions=[("2020-01-01", "2020-01-09")])
    assert pairs["loyalty_type"].tolist() == df["loyalty_type"].tolist()
    # Paid below list price on 2 of A's 4 purchases: mercenary.
    log["list"] = log["amount"] + log["discount"]
    assert cm.classify_loyalty(log, list_price="list").loc["A", "discount_share"] == 0.5
    assert cm.classify_loyalty(log, list_price="list").loc["A", "loyalty_type"] == "mercenary"
    # A switcher skips cycles of its own rhythm: every 10 days with one 30-day gap: rhythm share
    # 4 / 6 < 0.8. A stated share of wallet of 0.95 decides over it (the example).
    days = [0, 10, 20, 50, 60, 65]
    sw = pd.DataFrame({"customer_id": ["S"] * 5 + ["T"],
                       "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D"),
                       "amount": 1.0})
    out = cm.classify_loyalty(sw)
    assert out.loc["S", "rhythm_share"] == pytest.approx(4 / 6)
    assert out.loc["S", "loyalty_type"] == "switcher"
    stated = cm.classify_loyalty(sw, signals={"customer_id": ["S"], "satisfaction": [5],
                                              "share_of_wallet": [0.95]})
    assert stated.loc["S", "loyalty_type"] != "switcher"
    with pytest.raises(ValueError, match="promotions: no column 'end'"):
        cm.classify_loyalty(log, promotions={"start": ["2020-01-01"]})
    with pytest.raises(ValueError, match="ends .* before it starts"):
        cm.classify_loyalty(log, promotions=[("2020-01-09", "2020-01-01")])


def test_polars_signals_and_boolean_alternative():
    pl = pytest.importorskip("polars")
    signals = pl.DataFrame({"customer_id": ["B"], "satisfaction": [1], "recommend": [7],
                            "complaints": [0], "has_alternative": [False]})
    log = small_log()
    log.loc[log.customer_id == "B", "date"] = pd.to_datetime(
        ["2020-01-01", "2020-01-11", "2020-01-21", "2020-01-31"])
    log = pl.DataFrame({c: log[c].tolist() for c in ["customer_id", "date", "amount"]})
    df = cm.classify_loyalty(log, signals=signals)
    # Dissatisfied, quiet, locked in and still buying: hostage.
    assert df.loc["B", "loyalty_type"] == "hostage"
    assert df.loc["B", "rule"] == ("hostage: has_alternative no, purchase days 4 >= 2, "
                                   "recency_ratio 0.5 <= 2")


@pytest.mark.parametrize("signals, message", [
    ({"customer_id": ["A"], "satisfaction": [6]},
     'satisfaction: customer "A": value is 6 (must be a whole number 1..5)'),
    ({"customer_id": ["B"], "recommend": [11]},
     'recommend: customer "B": value is 11 (must be a whole number 0..10)'),
    ({"customer_id": ["B"], "recommend": [7.5]}, 'recommend: customer "B": value is 7.5'),
    ({"customer_id": ["A", "A"], "satisfaction": [4, 5]}, 'customer "A" appears twice'),
    ({"customer_id": ["A"], "has_alternative": ["maybe"]}, "is not a yes/no answer"),
    ({"customer_id": ["A"], "share_of_wallet": [1.5]}, "share_of_wallet: customer \"A\""),
])
def test_bad_signals(signals, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        cm.classify_loyalty(small_log(), signals=pd.DataFrame(signals))


def test_nps_against_hand_and_pandas():
    scores = [10, 9, 8, 7, 6, 0, None]
    segment = ["a", "a", "a", "b", "b", "b", "b"]
    t = cm.nps(scores, segment)
    assert t.loc["overall", "score"] == 0
    assert t.loc["a", "score"] == pytest.approx(200 / 3)
    assert t.loc["b", "missing"] == 1
    # Peer: the definition in pandas on random answers.
    rng = np.random.default_rng(1)
    s = pd.Series(rng.integers(0, 11, 500).astype(float))
    s[rng.random(500) < 0.1] = np.nan
    answered = s.dropna()
    want = 100 * ((answered >= 9).mean() - (answered <= 6).mean())
    assert cm.nps(s).loc["overall", "score"] == pytest.approx(want, abs=1e-12)
    assert cm.nps_categories([9, 8, 6, np.nan]).tolist() == ["promoter", "passive", "detractor",
                                                             "missing"]
    assert np.isnan(cm.nps([None]).loc["overall", "score"])
    with pytest.raises(ValueError, match="recommend: customer 1: value is 11"):
        cm.nps([5, 11])


def test_spending_types_scale_and_proxy():
    # Reverse-scored item 2b: answering 5 instead of 1 lowers the total by 4.
    t = cm.spending_types([6, 6, 5, 5, 9, 1, 11], [3, 3, 2, 2, 4, 1, 5], [1, 5, 4, 3, 3, 5, 1],
                          [3, 3, 2, 2, 3, 1, 5])
    assert t["total"].tolist() == [17, 13, 11, 12, 19, 4, 26]
    assert t["spending_type"].astype(str).tolist() == [
        "unconflicted", "unconflicted", "tightwad", "unconflicted", "spendthrift", "tightwad",
        "spendthrift"]
    with pytest.raises(ValueError, match="item 1 \\(describe\\): row 0: answer is 12"):
        cm.spending_types([12], [1], [1], [1])
    # Proxy against numpy's quantiles (linear), per group, cut at the article's 24/61/15.
    rng = np.random.default_rng(3)
    spend = rng.lognormal(3, 1, 200)
    group = rng.integers(0, 3, 200)
    got = cm.spending_proxy(spend, group)
    for g in range(3):
        lo, hi = np.quantile(spend[group == g], [0.24, 0.85])
        want = np.where(spend[group == g] < lo, "tightwad (proxy)",
                        np.where(spend[group == g] > hi, "spendthrift (proxy)",
                                 "unconflicted (proxy)"))
        assert got[group == g].tolist() == want.tolist()
    assert cm.spending_proxy([np.nan, 1.0]).tolist()[0] == "unknown"


def test_churn_reasons_against_scipy():
    stats = pytest.importorskip("scipy.stats")
    answers = (["no_longer_needed"] * 30 + ["too_expensive"] * 20 + ["quality"] * 10
               + ["service"] * 10 + ["competitor_offer"] * 10 + ["moved"] * 10 + ["other"] * 10)
    ref = dict(zip(cm.loyalty_types.CHURN_REASONS, [0.1, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1]))
    t = cm.churn_reasons(answers, ref)
    want = stats.chisquare([30, 20, 10, 10, 10, 10, 10],
                           f_exp=[100 * ref[r] for r in cm.loyalty_types.CHURN_REASONS])
    assert t.attrs["chi_square"] == pytest.approx(want.statistic, rel=1e-12)
    assert t.attrs["p_value"] == pytest.approx(want.pvalue, rel=1e-9)
    assert t.attrs["df"] == 6
    assert t.loc["too_expensive", "expected"] == pytest.approx(30)
    assert t.loc["no_longer_needed", "share"] == 0.3
    with pytest.raises(ValueError, match="no share for"):
        cm.churn_reasons(answers, {"quality": 1.0})
    # The article's reasons by name: too_expensive (20 answers) is not in it; the other 80 are
    # tested against 5/14/68/9/3/1 per cent (scipy on the 6 reasons with a share).
    art = cm.churn_reasons(answers, "article")
    shares = [0.05, 0.14, 0.68, 0.09, 0.03, 0.01]
    want = stats.chisquare([30, 10, 10, 10, 10, 10], f_exp=[80 * s for s in shares])
    assert art.attrs["not_in_reference"] == 20 and art.attrs["df"] == 5
    assert not art.loc["too_expensive", "in_reference"]
    assert art.attrs["chi_square"] == pytest.approx(want.statistic, rel=1e-12)
    assert art.attrs["p_value"] == pytest.approx(want.pvalue, rel=1e-9)
    assert art.attrs["warnings"][0].startswith("too_expensive: 20 answers not in the reference")
    with pytest.raises(cm.InputError, match='unknown reference "uniform"'):
        cm.churn_reasons(answers, "uniform")


def test_buyer_types_against_the_article():
    stats = pytest.importorskip("scipy.stats")
    # The proxy cuts 1..100 at the article's 24/61/15: exactly 24, 61 and 15.
    proxy = cm.spending_proxy(np.arange(1, 101))
    assert proxy.value_counts().to_dict() == {"unconflicted (proxy)": 61,
                                              "tightwad (proxy)": 24, "spendthrift (proxy)": 15}
    # "quartiles" gives the former cuts: 25, 50, 25 (25.75 and 75.25 on 1..100).
    q = cm.spending_proxy(np.arange(1, 101), reference="quartiles").value_counts().to_dict()
    assert q == {"unconflicted (proxy)": 50, "tightwad (proxy)": 25, "spendthrift (proxy)": 25}
    # The questionnaire's types tested against 24/61/15 (scipy chisquare alongside).
    t = cm.spending_types([6, 2, 11, 6], [3, 1, 5, 3], [1, 5, 1, 1], [3, 1, 4, 3])
    want = stats.chisquare([1, 2, 1], f_exp=[4 * 0.24, 4 * 0.61, 4 * 0.15])
    assert t.attrs["chi_square"] == pytest.approx(want.statistic, rel=1e-12)
    assert t.attrs["p_value"] == pytest.approx(want.pvalue, rel=1e-9)
    assert t.attrs["reference"] == {"tightwad": 0.24, "unconflicted": 0.61, "spendthrift": 0.15}
    with pytest.raises(ValueError, match='"price" is not a reason code'):
        cm.churn_reasons(["price"])


def test_customer_profitability_by_hand_and_whale_curve():
    # The log of tests/cpp/test_profitability.cpp: A, B (with a return) and C.
    log = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B", "C", "C"],
        "order": ["o1", "o1", "o2", "o3", "o3", "o4", "o5"],
        "date": pd.date_range("2024-01-01", periods=7),
        "amount": [100.0, 50, 100, 400, -100, 20, 20],
        "cost": [60.0, 30, 60, 380, -95, 10, 10],
        "discount": [10.0, 0, 0, 0, 0, 0, 0],
        "late": [30.0, 30, 0, 0, 0, 0, 0],
    })
    p = cm.customer_profitability(
        log, order="order", discount="discount", payment_delay="late",
        tickets=pd.Series({"A": 1, "B": 2, "Z": 5}),
        costs={"per_order": 2, "per_return": 5, "per_ticket": 10, "cost_of_capital": 0.0365})
    # A: 250 + 10 - 150 = 110 margin; 10 discount + 4 orders + 10 ticket + 0.45 delay.
    assert p.loc["A", "gross_margin"] == 110
    assert p.loc["A", "cost_to_serve"] == pytest.approx(24.45)
    assert p.loc["A", "profit"] == pytest.approx(85.55)
    assert p.loc["B", "profit"] == -12
    assert p.loc["C", "profit"] == 16
    assert p["large_unprofitable"].tolist() == [False, True, False]
    assert p.loc["A", "reason"] == "not wanted: fails tickets per order 0.5 <= 0.2"
    assert p.attrs["large_threshold"] == pytest.approx(280)
    assert p.attrs["tickets_unmatched"] == ["Z"]
    # Identity against pandas: profit = revenue - cost - the service costs.
    by = log.groupby("customer_id")
    assert np.allclose(p["profit"], by.amount.sum() - by.cost.sum() - p.order_cost
                       - p.return_cost - p.service_cost - p.delay_cost)
    w = cm.whale_curve(p["profit"])
    assert w.peak_share == pytest.approx(101.55 / 89.55)
    with pytest.raises(ValueError, match="per_order: value is -1"):
        cm.customer_profitability(log, costs={"per_order": -1})
    with pytest.raises(ValueError, match="unknown field"):
        cm.customer_profitability(log, costs={"per_ordr": 1})


def test_customer_profitability_service_tiers_and_cuts():
    # The hand-worked case of tests/cpp/test_profitability.cpp ("service tiers"): profits
    # A 85.55, B -12, C 16. Positive total 101.55: A's share before it is 0 < 0.8 (tier A), C's
    # 85.55 / 101.55 = 0.842 is in [0.8, 0.95) (tier B), B (profit <= 0) is D.
    log = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B", "C", "C"],
        "order": ["o1", "o1", "o2", "o3", "o3", "o4", "o5"],
        "date": pd.date_range("2024-01-01", periods=7),
        "amount": [100.0, 50, 100, 400, -100, 20, 20],
        "cost": [60.0, 30, 60, 380, -95, 10, 10],
        "discount": [10.0, 0, 0, 0, 0, 0, 0],
        "late": [30.0, 30, 0, 0, 0, 0, 0],
    })
    rates = {"per_order": 2, "per_return": 5, "per_ticket": 10, "cost_of_capital": 0.0365}
    tickets = pd.Series({"A": 1, "B": 2})
    p = cm.customer_profitability(log, order="order", discount="discount",
                                  payment_delay="late", tickets=tickets, costs=rates)
    assert p["tier"].tolist() == ["A", "D", "B"]
    assert (p.attrs["tier_cut_a"], p.attrs["tier_cut_b"]) == (0.8, 0.95)
    t = p.attrs["tiers"]
    assert list(t) == ["A", "B", "C", "D"]
    assert t["A"]["customers"] == 1
    assert t["A"]["profit"] == pytest.approx(85.55)
    assert t["A"]["cost_to_serve"] == pytest.approx(24.45)  # 10 + 4 + 10 + 0.45
    assert t["B"]["customers"] == 1 and t["B"]["gross_margin"] == 20  # C: 40 - 20
    assert t["C"] == {"customers": 0, "revenue": 0, "gross_margin": 0, "cost_to_serve": 0,
                      "profit": 0}
    assert t["D"]["customers"] == 1 and t["D"]["revenue"] == 300 and t["D"]["profit"] == -12
    # Each tier's totals are the sums of its customers' columns.
    for tier, row in t.items():
        members = p[p["tier"] == tier]
        assert row["customers"] == len(members)
        assert row["profit"] == pytest.approx(members["profit"].sum())
    # With tier_a 0.9 C's share before (0.842) is below it: both positive customers are A.
    q = cm.customer_profitability(log, order="order", discount="discount",
                                  payment_delay="late", tickets=tickets,
                                  costs={**rates, "tier_a": 0.9})
    assert q["tier"].tolist() == ["A", "D", "A"]
    assert q.attrs["tier_cut_a"] == 0.9
    assert q.attrs["tiers"]["A"]["customers"] == 2
    assert q.attrs["tiers"]["A"]["profit"] == pytest.approx(101.55)


def test_plots():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = cm.classify_loyalty(small_log(), signals=SIGNALS)
    ax = cm.plot.loyalty_mix(df)
    # advocate, loyal, switcher, mercenary, hostage, terrorist, unknown: 1, 0, 0, 0, 0, 1, 2.
    assert [p.get_height() for p in ax.patches] == [0.25, 0, 0, 0, 0, 0.25, 0.5]
    ax = cm.plot.satisfaction_loyalty(df)
    # A (5, cv 0) and B (2, cv 0.99) are drawn; C (no cv) and E (no satisfaction) are not.
    assert ax.get_title() == "Satisfaction x loyalty (2 customers not drawn)"
    assert sum(len(c.get_offsets()) for c in ax.collections) == 2
    plt.close("all")
