"""custometrics.purchase_rhythm and contact_list(rhythm=..., timing=...) against the hand-worked
log of tests/cpp/test_rhythm.cpp, and the same contact list from `custometrics contacts --log`."""
import math

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from cli_tool import run

# A buys every 30 days (Jan 1, Jan 31 twice, Mar 1; a return on Feb 15), B irregularly (Jan 1,
# Jan 3, Mar 1), C twice (Feb 1, Mar 1), D every 10 days in October 2023, then stops.
ROWS = [("A", "2024-01-01", 10.0), ("A", "2024-01-31", 10.0), ("A", "2024-01-31", 5.0),
        ("A", "2024-02-15", -5.0), ("A", "2024-03-01", 10.0), ("B", "2024-01-01", 20.0),
        ("B", "2024-01-03", 20.0), ("B", "2024-03-01", 20.0), ("C", "2024-02-01", 30.0),
        ("C", "2024-03-01", 30.0), ("D", "2023-10-01", 40.0), ("D", "2023-10-11", 40.0),
        ("D", "2023-10-21", 40.0)]


@pytest.fixture()
def log() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=["customer_id", "date", "amount"])


def test_purchase_rhythm_by_hand(log):
    r = cm.purchase_rhythm(log)
    assert list(r.index) == ["A", "B", "C", "D"]
    assert list(r["purchase_days"]) == [3, 3, 2, 3]
    # A: gaps 30, 30 (2024 is a leap year): mean 30, CV 0, next Mar 1 + 30 days = Mar 31.
    assert (r.loc["A", "mean_gap"], r.loc["A", "gap_cv"]) == (30.0, 0.0)
    assert r.loc["A", "regular"]
    assert r.loc["A", "next_purchase"] == pd.Timestamp("2024-03-31")
    # B: gaps 2, 58: CV sqrt(2 * 28^2) / 30 = 1.32 > 0.5, no rhythm; C: one gap, no CV.
    assert r.loc["B", "gap_cv"] == pytest.approx(math.sqrt(2 * 28 * 28) / 30)
    assert not r.loc["B", "regular"] and pd.isna(r.loc["B", "next_purchase"])
    assert r.loc["C", "mean_gap"] == 29 and math.isnan(r.loc["C", "gap_cv"])
    assert pd.isna(r.loc["C", "next_purchase"])
    # D is regular, but its own date (Oct 31) is 12 cycles before the log's end: lapsed.
    assert r.loc["D", "regular"] and pd.isna(r.loc["D", "next_purchase"])
    late = cm.purchase_rhythm(log, max_overdue_cycles=13)
    assert late.loc["D", "next_purchase"] == pd.Timestamp("2023-10-31")
    with pytest.raises(cm.InputError, match="min_purchases"):
        cm.purchase_rhythm(log, min_purchases=2)


def test_contacts_by_rhythm_the_same_from_the_cli_and_python(log, tmp_path):
    # A summary of A, B and C analysed on Mar 1 2024, BG/NBD r = alpha = a = b = 1 and
    # Gamma-Gamma p = 2, q = 3, v = 4 (the CLI test's models).
    summary = pd.DataFrame({"customer_id": ["A", "B", "C"], "frequency": [2.0, 2.0, 1.0],
                            "recency": [60.0, 60.0, 29.0], "T": [60.0, 60.0, 29.0],
                            "monetary_value": [10.0, 20.0, 30.0]})
    summary.to_csv(tmp_path / "sum.csv", index=False)
    log.to_csv(tmp_path / "log.csv", index=False)
    (tmp_path / "bg.json").write_text(
        '{"model": "bgnbd", "params": {"r": 1, "alpha": 1, "a": 1, "b": 1}}\n')
    (tmp_path / "gg.json").write_text(
        '{"model": "gamma-gamma", "params": {"p": 2, "q": 3, "gamma": 4}}\n')
    bg = cm.BetaGeoModel().set_params(r=1, alpha=1, a=1, b=1)
    gg = cm.GammaGammaModel().set_params(p=2, q=3, v=4)
    frame = summary.set_index("customer_id")
    rhythm = cm.purchase_rhythm(log)
    for timing in ("model", "rhythm"):
        run("contacts", tmp_path / "sum.csv", "--params", tmp_path / "bg.json",
            "--spend-params", tmp_path / "gg.json", "--as-of", "2024-03-01", "--log",
            tmp_path / "log.csv", "--timing", timing, "--top", "0",
            "--out", tmp_path / f"{timing}.csv")
        ref = pd.read_csv(tmp_path / f"{timing}.csv", index_col="customer_id",
                          float_precision="round_trip", keep_default_na=False)
        py = cm.contact_list(bg, gg, frame, as_of="2024-03-01", rhythm=rhythm, timing=timing)
        assert list(py.index) == list(ref.index)
        np.testing.assert_array_equal(py["clv"], ref["clv"])
        assert [str(d.date()) for d in py["call_date"]] == list(ref["call_date"])
        assert [str(d.date()) for d in py["next_purchase_date"]] == \
            list(ref["next_purchase_date"])
        assert list(py["timing"]) == list(ref["timing"])
        assert [("" if pd.isna(d) else str(d.date())) for d in py["rhythm_date"]] == \
            list(ref["rhythm_date"])
        due = [math.nan if str(d) == "" else float(d) for d in ref["due_days"]]
        np.testing.assert_array_equal(py["due_days"], due)
        if timing == "rhythm":
            # A is timed by its own cycle: due in 30 days (Mar 31), called 14 days before.
            assert py.loc["A", "timing"] == "rhythm" and py.loc["A", "due_days"] == 30
            assert py.loc["A", "next_purchase_date"] == pd.Timestamp("2024-03-31")
            assert py.loc["A", "call_date"] == pd.Timestamp("2024-03-17")
            assert py.loc["A", "next_purchase_in"] == 30
        # B and C have no rhythm: the model times them under both timings.
        assert set(py.loc[py.index != "A", "timing"]) <= {"model"}
    with pytest.raises(cm.InputError, match="timing"):
        cm.contact_list(bg, gg, frame, as_of="2024-03-01", timing="rhythm")
