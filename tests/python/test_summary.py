"""custometrics.summarize against lifetimes 0.11.3 on CDNOW, the published CDNOW summary, and
small cases worked out by hand; then every kind of bad input.

lifetimes' summaries are committed digests (tests/reference/lifetimes/summary.json, made by
tests/reference/lifetimes/make_fixtures.py with lifetimes 0.11.3) of lifetimes' CDNOW log,
committed as tests/reference/lifetimes/CDNOW_master.txt.gz."""

import datetime as dt
import hashlib
import pathlib

import numpy as np
import pandas as pd
import pytest

import custometrics as cm
from lifetimes_reference import fixture, load_cdnow_master

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED_CDNOW = REPO.parent / "shared" / "data" / "cdnow"
MODEL_COLUMNS = ["frequency", "recency", "T", "monetary_value"]


# --------------------------------------------------------------------------------------------
# Side by side with lifetimes on the full CDNOW log (23,570 customers, 69,659 rows)


@pytest.fixture(scope="module")
def cdnow():
    tx = load_cdnow_master()
    assert len(tx) == 69659 and tx["customer_id"].nunique() == 23570
    return tx


@pytest.fixture(scope="module")
def peer():
    """lifetimes 0.11.3's summaries of this log (tests/reference/lifetimes/make_fixtures.py:
    summary()), one digest per frame: lifetimes' columns are compared bit for bit, so each is
    stored as the SHA-256 of its float64 bytes, with its sum and every 500th row."""
    return fixture("summary")


def assert_matches_lifetimes(ours, theirs, columns=None):
    """Same customers in the same (ascending) order, every lifetimes column equal.

    Every column is compared exactly, bit for bit (the SHA-256 of the float64 values): the
    core sums money with the same Kahan-compensated summation, in the same row order, as
    pandas' groupby sum and mean do inside lifetimes. The stored sample rows and sums come
    first, so that a difference names its column and a customer.
    """
    assert ours.index.name == theirs["index_name"]
    assert len(ours) == theirs["rows"]
    index = np.ascontiguousarray(ours.index.to_numpy(), dtype="<i8")
    np.testing.assert_array_equal(index[theirs["sample_positions"].astype(int)],
                                  theirs["sample_index"])
    assert hashlib.sha256(index.tobytes()).hexdigest() == theirs["index_sha256"]
    for col in columns or theirs["columns"]:
        v = np.ascontiguousarray(ours[col].to_numpy(), dtype="<f8")
        np.testing.assert_array_equal(v[theirs["sample_positions"].astype(int)],
                                      theirs[col]["sample"], err_msg=col)
        assert v.sum() == pytest.approx(theirs[col]["sum"], rel=1e-12), col
        assert hashlib.sha256(v.tobytes()).hexdigest() == theirs[col]["sha256"], col


# (lifetimes freq, lifetimes freq_multiplier) -> (custometrics time_unit, unit_scale)
UNITS = [("D", 1), ("W", 1), ("D", 7)]


def key(freq, multiplier, include_first):
    return f"{freq}_{multiplier}_{'first' if include_first else 'repeat'}"


@pytest.mark.parametrize("freq, multiplier", UNITS)
@pytest.mark.parametrize("include_first", [False, True])
def test_summary_equals_lifetimes_on_cdnow(cdnow, peer, freq, multiplier, include_first):
    theirs = peer["summary_" + key(freq, multiplier, include_first)]
    ours = cm.summarize(cdnow, time_unit=freq, unit_scale=multiplier,
                        include_first_transaction=include_first)
    assert list(ours.columns[:4]) == theirs["columns"]
    assert_matches_lifetimes(ours, theirs)


@pytest.mark.parametrize("freq, multiplier", UNITS)
@pytest.mark.parametrize("include_first", [False, True])
def test_calibration_holdout_equals_lifetimes_on_cdnow(cdnow, peer, freq, multiplier,
                                                       include_first):
    theirs = peer["calibration_" + key(freq, multiplier, include_first)]
    ours = cm.summarize(cdnow, time_unit=freq, unit_scale=multiplier,
                        calibration_end="1997-09-30", observation_end="1998-06-30",
                        include_first_transaction=include_first)
    assert list(ours.columns[:7]) == theirs["columns"]
    assert_matches_lifetimes(ours, theirs)
    assert ours.attrs["calibration_end"] == pd.Timestamp("1997-09-30")


def test_observation_end_inside_the_log_equals_lifetimes(cdnow, peer):
    # lifetimes drops the rows after the observation end silently; late="drop" counts them.
    theirs = peer["summary_observation_end_1997-12-31"]
    ours = cm.summarize(cdnow, observation_end="1997-12-31", late="drop")
    assert_matches_lifetimes(ours, theirs)
    assert ours.attrs["rows_dropped_after_end"] == int((cdnow["date"] > "1997-12-31").sum())
    with pytest.raises(ValueError, match=r"after the observation end 1997-12-31"):
        cm.summarize(cdnow, observation_end="1997-12-31")


def test_totals_equal_pandas_groupby_on_cdnow(cdnow):
    ours = cm.summarize(cdnow)
    g = cdnow.groupby("customer_id")
    np.testing.assert_allclose(ours["revenue"], g["amount"].sum(), rtol=1e-12)
    np.testing.assert_array_equal(ours["n_purchases"], g.size())
    np.testing.assert_array_equal(ours["first_purchase"], g["date"].min())
    np.testing.assert_array_equal(ours["last_purchase"], g["date"].max())
    assert (ours["returns"] == 0).all() and (ours["n_returns"] == 0).all()


def test_monetary_value_bitwise_equal_to_lifetimes(cdnow, peer):
    ours = cm.summarize(cdnow)
    assert_matches_lifetimes(ours, peer["summary_D_1_repeat"], columns=["monetary_value"])


# --------------------------------------------------------------------------------------------
# The published CDNOW sample summary (Fader, Hardie & Lee; shipped with lifetimes)


def test_published_cdnow_sample_summary():
    if not SHARED_CDNOW.is_dir():
        pytest.skip(f"{SHARED_CDNOW} not present")
    # CDNOW_sample.txt: customer id, sample ID (1..2357, the ID of the published table), date,
    # number of CDs, dollars. The table: 39-week calibration (1997-01-01..1997-09-30) in weeks
    # with fractions, rounded to 2 decimals.
    tx = pd.read_csv(SHARED_CDNOW / "CDNOW_sample.txt", sep=r"\s+", header=None,
                     names=["master_id", "ID", "date", "n", "amount"])
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    published = pd.read_csv(SHARED_CDNOW / "cdnow_customers_summary_with_transactions.csv",
                            index_col="ID")
    ours = cm.summarize(tx, customer="ID", unit_scale=7, calibration_end="1997-09-30",
                        observation_end="1998-06-30")
    assert len(ours) == len(published) == 2357
    np.testing.assert_array_equal(ours.index, published.index)
    np.testing.assert_array_equal(ours["frequency_cal"], published["x"])
    for col, pub in [("recency_cal", "t_x"), ("T_cal", "T"), ("monetary_value_cal", "zbar")]:
        # Rounded to 2 decimals: within half a cent (97.575 is printed 97.58 there, and is
        # 97.57499999999999 in binary).
        np.testing.assert_allclose(ours[col], published[pub], rtol=0, atol=0.005 + 1e-9)
    # Customer 1 (master id 4): purchases 1997-01-01 $29.33, 01-18 $29.73, 08-02 $14.96 in the
    # calibration period: x = 2, t_x = 213 days / 7 = 30.43, T = 272 / 7 = 38.86,
    # zbar = (29.73 + 14.96) / 2 = 22.345.
    row = ours.loc[1]
    assert (row["frequency_cal"], row["recency_cal"], row["T_cal"]) == (2, 213 / 7, 272 / 7)
    assert row["monetary_value_cal"] == pytest.approx(22.345, abs=1e-12)


# --------------------------------------------------------------------------------------------
# Small cases worked out by hand


def small_log():
    return pd.DataFrame({
        "customer_id": ["A", "A", "A", "A", "B"],
        "date": pd.to_datetime(["2024-01-01 00:00", "2024-01-01 18:30", "2024-01-04 00:00",
                                "2024-01-10 00:00", "2024-01-05 00:00"]),
        "amount": [10.0, 5.0, 20.0, 30.0, 8.0],
    })


def test_hand_worked_days():
    df = cm.summarize(small_log(), observation_end="2024-01-11")
    # A: purchase days (since 2024-01-01) 0 ($10 + $5 = $15, one period), 3 ($20), 9 ($30).
    #    frequency = 3 periods - 1 = 2; recency = 9 - 0 = 9; T = 10 - 0 = 10;
    #    monetary = (20 + 30) / 2 = 25.
    # B: one purchase on day 4: frequency 0, recency 0, T = 10 - 4 = 6, monetary 0.
    expected = pd.DataFrame({"frequency": [2.0, 0.0], "recency": [9.0, 0.0], "T": [10.0, 6.0],
                             "monetary_value": [25.0, 0.0]},
                            index=pd.Index(["A", "B"], name="customer_id"))
    pd.testing.assert_frame_equal(df[MODEL_COLUMNS], expected)
    assert df["revenue"].tolist() == [65.0, 8.0]
    assert df["n_purchases"].tolist() == [4, 1]
    assert df["orders"].tolist() == [4, 1]
    assert df.loc["A", "first_purchase"] == pd.Timestamp("2024-01-01")
    assert df.loc["A", "last_purchase"] == pd.Timestamp("2024-01-10")
    assert df.attrs["observation_end"] == pd.Timestamp("2024-01-11")
    assert df.attrs["customers_without_purchase"] == []


def test_hand_worked_include_first_and_scale():
    df = cm.summarize(small_log(), observation_end="2024-01-11", include_first_transaction=True,
                      unit_scale=7)
    # A: frequency = 3 periods; monetary = (15 + 20 + 30) / 3 = 65 / 3; recency = 9 / 7;
    #    T = 10 / 7. B: frequency 1, monetary 8, T = 6 / 7.
    assert df["frequency"].tolist() == [3.0, 1.0]
    assert df["monetary_value"].tolist() == [65 / 3, 8.0]
    assert df["recency"].tolist() == [9 / 7, 0.0]
    assert df["T"].tolist() == [10 / 7, 6 / 7]


def test_hand_worked_weeks():
    df = cm.summarize(small_log(), observation_end="2024-01-11", time_unit="weeks")
    # 2024-01-01 is a Monday. Weeks: A buys in week 0 (Jan 1 and 4: $35) and week 1 (Jan 10:
    # $30); B in week 0; the end (Jan 11) is in week 1.
    # A: frequency 1, recency 1, T 1, monetary 30. B: frequency 0, recency 0, T 1.
    assert df["frequency"].tolist() == [1.0, 0.0]
    assert df["recency"].tolist() == [1.0, 0.0]
    assert df["T"].tolist() == [1.0, 1.0]
    assert df["monetary_value"].tolist() == [30.0, 0.0]


def test_hand_worked_months():
    log = pd.DataFrame({"customer_id": [1, 1, 1],
                        "date": pd.to_datetime(["2024-01-31", "2024-02-01", "2024-04-15"]),
                        "amount": [1.0, 2.0, 4.0]})
    df = cm.summarize(log, time_unit="months", observation_end="2024-06-30")
    # Months by number: Jan (0), Feb (1), Apr (3); end in Jun (5).
    # frequency 2, recency 3, T 5, monetary (2 + 4) / 2 = 3.
    assert df.loc[1, MODEL_COLUMNS].tolist() == [2.0, 3.0, 5.0, 3.0]


def test_hand_worked_calibration_holdout():
    log = pd.DataFrame({
        "customer_id": [1, 1, 1, 1, 2],
        "date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-08", "2024-01-09",
                                "2024-01-07"]),
        "amount": [10.0, 20.0, 40.0, 60.0, 5.0],
    })
    df = cm.summarize(log, calibration_end="2024-01-05", observation_end="2024-01-10")
    # Customer 1, calibration (up to Jan 5): days 0 ($10) and 2 ($20): frequency_cal 1,
    # recency_cal 2, T_cal = 4 - 0 = 4, monetary_value_cal 20. Holdout: Jan 8 and 9: two
    # periods, mean of the rows (40 + 60) / 2 = 50. duration_holdout = 9 - 4 = 5 days.
    # Customer 2 first buys on Jan 7, after the calibration end: not a row.
    assert list(df.columns[:7]) == ["frequency_cal", "recency_cal", "T_cal",
                                    "monetary_value_cal", "frequency_holdout",
                                    "monetary_value_holdout", "duration_holdout"]
    assert df.index.tolist() == [1]
    assert df.iloc[0, :7].tolist() == [1.0, 2.0, 4.0, 20.0, 2.0, 50.0, 5.0]
    assert df.attrs["customers_without_purchase"] == [2]
    # Totals run over the whole window, holdout included.
    assert df.loc[1, "revenue"] == 130.0


def test_returns_exclude_vs_net():
    log = pd.DataFrame({
        "customer_id": [7, 7, 7, 7, 8],
        "date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-05", "2024-01-05",
                                "2024-01-02"]),
        "amount": [50.0, -20.0, 30.0, -10.0, -5.0],
        "cost": [30.0, -12.0, 18.0, -6.0, -3.0],
    })
    ex = cm.summarize(log, cost="cost")
    # exclude: purchase periods day 0 ($50) and day 4 ($30); returns never form a period.
    # frequency 1, recency 4, T 4, monetary 30. Totals: revenue 50 - 20 + 30 - 10 = 50,
    # returns 30, profit 50 - (30 - 12 + 18 - 6) = 20, 2 purchase rows, 2 return rows.
    assert ex.loc[7, MODEL_COLUMNS].tolist() == [1.0, 4.0, 4.0, 30.0]
    assert ex.loc[7, ["revenue", "returns", "profit"]].tolist() == [50.0, 30.0, 20.0]
    assert ex.loc[7, ["n_purchases", "n_returns"]].tolist() == [2, 2]
    # Customer 8 only returned something: no row, but listed.
    assert ex.index.tolist() == [7]
    assert ex.attrs["customers_without_purchase"] == [8]
    net = cm.summarize(log, cost="cost", returns="net")
    # net (as lifetimes): periods day 0 ($50), day 2 (-$20), day 4 ($30 - $10 = $20):
    # frequency 2, recency 4, monetary (-20 + 20) / 2 = 0. Customer 8 has a (negative) period.
    assert net.loc[7, MODEL_COLUMNS].tolist() == [2.0, 4.0, 4.0, 0.0]
    assert net.index.tolist() == [7, 8]
    assert net.loc[8, "first_purchase"] is pd.NaT


def test_late_policy_error_vs_drop():
    log = small_log()
    with pytest.raises(ValueError) as e:
        cm.summarize(log, observation_end="2024-01-06")
    # The first late row is row 3 (A, 2024-01-10).
    assert 'row 3 (customer "A")' in str(e.value)
    assert "2024-01-10" in str(e.value) and "after the observation end 2024-01-06" in str(e.value)
    df = cm.summarize(log, observation_end="2024-01-06", late="drop")
    assert df.attrs["rows_dropped_after_end"] == 1
    # A without the Jan 10 row: days 0 and 3: frequency 1, recency 3, T 5, monetary 20.
    assert df.loc["A", MODEL_COLUMNS].tolist() == [1.0, 3.0, 5.0, 20.0]


def test_order_counts_distinct_orders():
    log = small_log().assign(order=["o1", "o1", "o2", "o3", "o9"])
    df = cm.summarize(log, order="order")
    assert df["orders"].tolist() == [3, 1]


# --------------------------------------------------------------------------------------------
# Every input form gives the same frame


def small_log_polars():
    pl = pytest.importorskip("polars")
    return pl.DataFrame({
        "customer_id": ["A", "A", "A", "A", "B"],
        "date": [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, 18, 30),
                 dt.datetime(2024, 1, 4), dt.datetime(2024, 1, 10), dt.datetime(2024, 1, 5)],
        "amount": [10.0, 5.0, 20.0, 30.0, 8.0],
    })


def expected_frame():
    return cm.summarize(small_log(), observation_end="2024-01-11")


def test_string_keys_sorted_and_unicode():
    log = pd.DataFrame({"customer_id": ["zoë", "Émile", "zoë", "adam"],
                        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
                                                "2024-01-04"]),
                        "amount": [1.0, 2.0, 3.0, 4.0]})
    df = cm.summarize(log)
    assert df.index.tolist() == sorted(["zoë", "Émile", "adam"], key=lambda s: s.encode())
    assert df.loc["zoë", "frequency"] == 1.0


def test_numpy_and_dict_inputs_equal_pandas():
    log = small_log()
    cols = {c: log[c].to_numpy() for c in log.columns}
    pd.testing.assert_frame_equal(cm.summarize(cols, observation_end="2024-01-11"),
                                  expected_frame())
    # The columns themselves, as numpy arrays (the index is then named after the argument).
    direct = cm.summarize(customer=cols["customer_id"], date=cols["date"],
                          amount=cols["amount"], observation_end="2024-01-11")
    pd.testing.assert_frame_equal(direct, expected_frame().rename_axis("customer"))
    # A numpy structured array.
    rec = np.array(list(zip(["A", "A", "A", "A", "B"], cols["date"], cols["amount"])),
                   dtype=[("customer_id", "U4"), ("date", "M8[ns]"), ("amount", "f8")])
    pd.testing.assert_frame_equal(cm.summarize(rec, observation_end="2024-01-11"),
                                  expected_frame())


def test_polars_input_equals_pandas():
    pl = pytest.importorskip("polars")
    plog = small_log_polars()  # Datetime("us")
    pd.testing.assert_frame_equal(cm.summarize(plog, observation_end="2024-01-11"),
                                  expected_frame())
    categorical = plog.with_columns(pl.col("customer_id").cast(pl.Categorical))
    pd.testing.assert_frame_equal(cm.summarize(categorical, observation_end="2024-01-11"),
                                  expected_frame())
    dates = plog.with_columns(pl.col("date").dt.date())
    by_day = cm.summarize(dates, observation_end="2024-01-11")
    pd.testing.assert_frame_equal(by_day[MODEL_COLUMNS], expected_frame()[MODEL_COLUMNS])


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns", "D"])
def test_datetime64_units(unit):
    log = small_log()
    if unit == "D":  # whole days: the 18:30 purchase falls on its day
        log["date"] = log["date"].dt.floor("D")
    log = {c: log[c].to_numpy() for c in log.columns}
    log["date"] = log["date"].astype(f"datetime64[{unit}]")
    df = cm.summarize(log, observation_end=np.datetime64("2024-01-11"))
    pd.testing.assert_frame_equal(df[MODEL_COLUMNS], expected_frame()[MODEL_COLUMNS])


def test_date_strings_and_objects():
    log = small_log()
    iso = log.assign(date=["2024-01-01", "2024-01-01T18:30:00", "20240104", "2024-01-10",
                           "2024-01-05 00:00"])
    pd.testing.assert_frame_equal(cm.summarize(iso, observation_end="2024-01-11"),
                                  expected_frame())
    objs = log.assign(date=[d.to_pydatetime() for d in log["date"]]).astype({"date": object})
    pd.testing.assert_frame_equal(cm.summarize(objs, observation_end=dt.date(2024, 1, 11)),
                                  expected_frame())
    aware = log.assign(date=log["date"].dt.tz_localize("Europe/Paris"))
    # Time-zone-aware dates count at their wall time.
    pd.testing.assert_frame_equal(cm.summarize(aware, observation_end="2024-01-11")[MODEL_COLUMNS],
                                  expected_frame()[MODEL_COLUMNS])


def test_nullable_and_categorical_pandas_columns():
    log = small_log()
    log["customer_id"] = log["customer_id"].astype("category")
    log["amount"] = log["amount"].astype("Float64")
    pd.testing.assert_frame_equal(cm.summarize(log, observation_end="2024-01-11"),
                                  expected_frame())
    ints = small_log().assign(customer_id=pd.array([1, 1, 1, 1, 2], dtype="Int64"))
    assert cm.summarize(ints).index.tolist() == [1, 2]


# --------------------------------------------------------------------------------------------
# Bad input


def test_missing_column_names_it_and_lists_the_others():
    with pytest.raises(ValueError, match=r"amount: column 'value' not found; available "
                                         r"columns: 'customer_id', 'date', 'amount'"):
        cm.summarize(small_log(), amount="value")


def test_nan_amount_names_row_and_customer():
    log = small_log()
    log.loc[4, "amount"] = np.nan
    with pytest.raises(ValueError, match=r'amount: row 4 \(customer "B"\): value is nan'):
        cm.summarize(log)


def test_infinite_amount_names_row_and_customer():
    log = small_log()
    log.loc[2, "amount"] = -np.inf
    with pytest.raises(ValueError, match=r'amount: row 2 \(customer "A"\): value is -inf'):
        cm.summarize(log)


def test_nan_cost_names_row():
    log = small_log().assign(cost=[1.0, np.nan, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r'cost: row 1 \(customer "A"\)'):
        cm.summarize(log, cost="cost")


def test_null_keys_name_column_and_row():
    log = small_log()
    log.loc[3, "customer_id"] = None
    with pytest.raises(ValueError, match=r"customer_id: row 3 is missing"):
        cm.summarize(log)
    ints = small_log().assign(customer_id=[1.0, 1.0, np.nan, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"customer_id: row 2 is missing"):
        cm.summarize(ints)
    nullable = small_log().assign(customer_id=pd.array([1, None, 1, 1, 2], dtype="Int64"))
    with pytest.raises(ValueError, match=r"customer_id: row 1 is missing"):
        cm.summarize(nullable)


def test_null_keys_polars():
    pl = pytest.importorskip("polars")
    log = small_log_polars().with_columns(
        pl.Series("customer_id", ["A", "A", None, "A", "B"]))
    with pytest.raises(ValueError, match=r"customer_id: row 2 is missing"):
        cm.summarize(log)


def test_null_dates_name_column_and_row():
    log = small_log()
    log.loc[1, "date"] = pd.NaT
    with pytest.raises(ValueError, match=r"date: row 1 is missing \(NaT\)"):
        cm.summarize(log)
    text = small_log().assign(when=["2024-01-01", None, "2024-01-03", "2024-01-04", "x"])
    with pytest.raises(ValueError, match=r"when: row 1 is missing"):
        cm.summarize(text, date="when")


def test_unreadable_date_string_names_row_and_value():
    log = small_log().assign(date=["2024-01-01", "2024-01-02", "2023-02-29", "2024-01-04",
                                   "2024-01-05"])
    with pytest.raises(ValueError, match=r"date: row 2: cannot read '2023-02-29'"):
        cm.summarize(log)


def test_integer_dates_are_rejected_with_advice():
    log = small_log().assign(date=[20240101] * 5)
    with pytest.raises(TypeError, match=r"date: expected dates .* got dtype int64"):
        cm.summarize(log)


def test_empty_frame():
    empty = small_log().iloc[:0]
    with pytest.raises(ValueError, match=r"the log is empty"):
        cm.summarize(empty)
    with pytest.raises(ValueError, match=r"the log is empty"):
        cm.summarize(pd.DataFrame({"customer_id": [], "date": [], "amount": []}))


def test_observation_end_before_the_data():
    with pytest.raises(ValueError, match=r"observation_end: 2023-12-31 is before the first "
                                         r"transaction \(2024-01-01\)"):
        cm.summarize(small_log(), observation_end="2023-12-31")


def test_calibration_end_outside_the_data():
    with pytest.raises(ValueError, match=r"calibration_end: 2023-06-01 is before the first "
                                         r"transaction"):
        cm.summarize(small_log(), calibration_end="2023-06-01")
    with pytest.raises(ValueError, match=r"calibration_end: 2024-02-01 is not before the "
                                         r"observation end \(2024-01-11\)"):
        cm.summarize(small_log(), calibration_end="2024-02-01", observation_end="2024-01-11")


def test_bad_options_name_the_argument():
    with pytest.raises(ValueError, match=r"time_unit"):
        cm.summarize(small_log(), time_unit="fortnights")
    with pytest.raises(ValueError, match=r"returns: unknown returns policy \"keep\""):
        cm.summarize(small_log(), returns="keep")
    with pytest.raises(ValueError, match=r"late: unknown policy"):
        cm.summarize(small_log(), late="ignore")
    with pytest.raises(ValueError, match=r"unit_scale"):
        cm.summarize(small_log(), unit_scale=0)
    with pytest.raises(ValueError, match=r"observation_end: cannot read 'soon'"):
        cm.summarize(small_log(), observation_end="soon")


def test_columns_of_different_lengths():
    with pytest.raises(ValueError, match=r"columns differ in length"):
        cm.summarize(customer=[1, 2], date=np.array(["2024-01-01"] * 3, dtype="M8[D]"),
                     amount=[1.0, 2.0, 3.0])


def test_column_name_without_data():
    with pytest.raises(ValueError, match=r"customer: got the column name 'customer_id' but no "
                                         r"data"):
        cm.summarize()


def test_mixed_key_types():
    log = small_log().assign(customer_id=["A", 1, "A", "A", "B"])
    with pytest.raises(ValueError, match=r"customer_id: row 1: key 1 is a int, expected str"):
        cm.summarize(log)
