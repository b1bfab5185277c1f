"""custometrics.evaluate_programme and `custometrics programme`: one evaluation in the core,
the same numbers and the same JSON from both faces, and a generated log with a known uplift
recovered (and none found where there is none)."""

import json

import numpy as np
import pandas as pd
import pytest

import custometrics as cm

from cli_tool import run

LAUNCH = pd.Timestamp("2021-01-01")


def generated(uplift, customers=2000, seed=3):
    """Poisson buyers over 2020-2021 (rates Gamma(2, 1/60) per day: one a month on average,
    no dropout), 20 per purchase at a cost of 12 (margin 8). Members join at the launch with a
    probability rising with their purchases in the 180 days before (0.1 + 0.05 each, at most
    0.7): selection on behaviour, which the matching must undo. After joining, members buy at
    (1 + uplift) times their rate for 180 days. Returns the log, the members and the expected
    extra purchases per member and month (uplift x the members' mean rate x 30.4375)."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(2.0, 1.0 / 60.0, customers)
    start, days = pd.Timestamp("2020-01-01"), 731
    launch = (LAUNCH - start).days
    rows_c, rows_d = [], []
    for c in range(customers):
        n = rng.poisson(rate[c] * days)
        rows_c.append(np.full(n, c))
        rows_d.append(np.sort(rng.uniform(0, days, n)).astype(int))
    cust, day = np.concatenate(rows_c), np.concatenate(rows_d)
    pre = np.bincount(cust[(day >= launch - 180) & (day < launch)], minlength=customers)
    first = np.full(customers, days)
    np.minimum.at(first, cust, day)
    joins = (rng.uniform(size=customers) < np.minimum(0.7, 0.1 + 0.05 * pre)) & (first < launch)
    extra_c, extra_d = [], []
    for c in np.flatnonzero(joins):
        n = rng.poisson(uplift * rate[c] * 180)
        extra_c.append(np.full(n, c))
        extra_d.append(launch + rng.uniform(0, 180, n).astype(int))
    if extra_c:
        cust = np.concatenate([cust] + extra_c)
        day = np.concatenate([day] + extra_d)
    log = pd.DataFrame({"customer_id": [f"C{c}" for c in cust],
                        "date": start + pd.to_timedelta(day, unit="D"),
                        "amount": 20.0, "cost": 12.0})
    members = pd.DataFrame({"customer_id": [f"C{c}" for c in np.flatnonzero(joins)],
                            "joined": LAUNCH})
    expected = uplift * rate[joins].mean() * 30.4375
    return log, members, expected


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    log, members, _ = generated(0.3, customers=600, seed=7)
    d = tmp_path_factory.mktemp("programme")
    log.assign(date=log["date"].dt.strftime("%Y-%m-%d")).to_csv(d / "log.csv", index=False)
    members.assign(joined="2021-01-01").to_csv(d / "members.csv", index=False)
    return d / "log.csv", d / "members.csv"


def test_cli_and_python_give_the_same_numbers(files):
    log_file, members_file = files
    log = pd.read_csv(log_file)
    members = pd.read_csv(members_file)
    r = cm.evaluate_programme(log, members, card_cost=5, programme_cost=300, type="coalition",
                              bootstrap=200, seed=9)
    args = [str(log_file), "--members", str(members_file), "--card-cost", "5",
            "--programme-cost", "300", "--type", "10", "--bootstrap", "200", "--seed", "9"]
    out = run("programme", *args, "--format", "json")
    # The same writer: byte-identical JSON, and the numbers behind it.
    assert r.to_json() == out
    d = json.loads(out)
    assert d["type"] == "coalition" and d["type_name"] == "Erstellung von Koalitions-Treueprogrammen"
    assert d["evaluated"] == r.evaluated > 0
    for name in ("frequency", "spend", "retention", "margin"):
        e = getattr(r, name)
        assert d[name]["effect"] == e.effect and d[name]["ci_low"] == e.ci_low
        assert r.effects.loc[name, "effect"] == e.effect
    assert d["roi"]["value"] == r.roi.value and d["economics"]["cost"] == r.cost
    # Cost per member: card 5 + 300 / members (margin from the cost column: 8 per purchase).
    assert r.cost == pytest.approx(5 + 300 / r.members)
    assert d["design"]["margin_from_cost"] is True
    assert r.text == run("programme", *args)
    # The members file as a path gives the same result as its frame.
    assert cm.evaluate_programme(log, members_file, card_cost=5, programme_cost=300,
                                 type="coalition", bootstrap=200, seed=9).to_json() == out


def test_known_uplift_recovered_and_none_found_without_one():
    log0, members0, _ = generated(0.0)
    log1, members1, expected = generated(0.3)
    r0 = cm.evaluate_programme(log0, members0, bootstrap=300, seed=1, level=0.99)
    r1 = cm.evaluate_programme(log1, members1, bootstrap=300, seed=1, level=0.99)
    assert r0.evaluated >= 300 and r1.evaluated >= 300
    # No uplift: every interval covers 0.
    for name in ("frequency", "spend", "margin"):
        e = getattr(r0, name)
        assert e.ci_low < 0 < e.ci_high, (name, e.effect, e.ci_low, e.ci_high)
    # +30%: the effect is detected and within 3 standard errors of the truth (the members'
    # mean extra purchases per month; the evaluated members are a subset, so the truth is
    # approximate at the level of the selection, well inside 3 standard errors here).
    f = r1.frequency
    assert f.ci_low > 0
    assert abs(f.effect - expected) < 3 * f.std_error, (f.effect, expected, f.std_error)
    assert abs(f.relative - 0.3) < 3 * f.std_error / (f.member_post - f.effect)
    # Spend and margin follow at 20 and 8 per purchase.
    assert r1.spend.effect == pytest.approx(20 * f.effect)
    assert r1.margin.effect == pytest.approx(8 * f.effect)


def test_bad_input_names_the_argument():
    log, members, _ = generated(0.0, customers=200)
    with pytest.raises(cm.InputError) as e:
        cm.evaluate_programme(log, members, type="newsletter")
    assert e.value.argument == "type"
    with pytest.raises(ValueError, match="members: no column 'joined'"):
        cm.evaluate_programme(log, members.drop(columns="joined"))
    with pytest.raises(cm.InputError) as e:
        cm.evaluate_programme(log.drop(columns="cost"), members)
    assert "margin_rate" in str(e.value)
