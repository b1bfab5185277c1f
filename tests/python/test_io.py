"""custometrics.generate (determinism, shape, truth) and custometrics.read_transactions (round
trip through CSV files written by pandas, and errors naming file, line, column and value)."""

import numpy as np
import pandas as pd
import pytest

import custometrics as cm


# --------------------------------------------------------------------------------------------
# generate


def test_generate_is_deterministic():
    a = cm.generate(customers=500, seed=11)
    b = cm.generate(customers=500, seed=11, threads=1)
    pd.testing.assert_frame_equal(a, b)
    c = cm.generate(customers=500, seed=12)
    assert not a.equals(c)


def test_generate_columns_and_truth():
    log, truth = cm.generate(customers=300, seed=3, start="2021-01-01", end="2021-12-31",
                             truth=True, channels=2, products=9, return_rate=0.1)
    assert list(log.columns) == ["customer_id", "date", "amount", "cost", "product", "channel"]
    assert log["customer_id"].dtype == np.int64
    assert log["date"].dtype == np.dtype("datetime64[ns]")
    assert log["date"].min() >= pd.Timestamp("2021-01-01")
    assert log["date"].max() < pd.Timestamp("2022-01-01")
    assert log["date"].is_monotonic_increasing
    assert set(log["customer_id"]) <= set(range(1, 301))
    assert log["product"].cat.categories.tolist() == [f"P{i}" for i in range(1, 10)]
    assert len(log["channel"].cat.categories) == 2
    # Returns are negative rows with amount and cost reversed.
    assert (log["amount"] < 0).any()
    assert ((log["amount"] < 0) == (log["cost"] < 0)).all()
    assert list(truth.columns) == ["lambda", "p_dropout", "mean_spend", "acquired", "death"]
    assert truth.index.tolist() == list(range(1, 301))
    # Each customer's first purchase is its acquisition time.
    first = log.groupby("customer_id")["date"].min()
    np.testing.assert_array_equal(first.to_numpy(), truth.loc[first.index, "acquired"].to_numpy())
    assert ((truth["p_dropout"] > 0) & (truth["p_dropout"] < 1)).all()


def test_generate_summarizes():
    log = cm.generate(customers=2000, seed=5)
    df = cm.summarize(log, cost="cost")
    g = log.groupby("customer_id")
    np.testing.assert_allclose(df["revenue"], g["amount"].sum(), rtol=1e-12)
    np.testing.assert_allclose(df["profit"], g["amount"].sum() - g["cost"].sum(), rtol=1e-9,
                               atol=1e-9)


def test_generate_bad_parameters():
    with pytest.raises(TypeError, match=r"unknown parameters gamma"):
        cm.generate(customers=10, gamma=1.0)
    with pytest.raises(ValueError, match=r"alpha"):
        cm.generate(customers=10, alpha=-1.0)
    # One rule for every unsigned argument and option member (common.hpp whole_number).
    whole = r"must be a whole number in 0\.\.18446744073709551615, got "
    with pytest.raises(ValueError, match=r"^customers: " + whole + "-3$"):
        cm.generate(customers=-3)
    with pytest.raises(ValueError, match=r"^products: " + whole + r"2\.5$"):
        cm.generate(customers=10, products=2.5)


# --------------------------------------------------------------------------------------------
# read_transactions


def test_round_trip_through_pandas_csv(tmp_path):
    log = cm.generate(customers=400, seed=9)
    path = tmp_path / "log.csv"
    log.to_csv(path, index=False, date_format="%Y-%m-%d")
    back = cm.read_transactions(path, cost="cost", product="product", channel="channel")
    pd.testing.assert_frame_equal(back, log)


def test_round_trip_string_keys_and_times(tmp_path):
    log = pd.DataFrame({
        "client": ["0042", "b,c", "0042", "é"],
        "when": pd.to_datetime(["2024-03-01 10:15:00", "2024-03-02 00:00:00",
                                "2024-03-02 23:59:59", "1999-12-31 00:00:00"]),
        "spend": [1.25, -3.5, 1e-7, 123456789.125],
        "order_id": [10, 11, 10, 12],
    })
    path = tmp_path / "log.csv"
    log.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    back = cm.read_transactions(path, customer="client", date="when", amount="spend",
                                order="order_id")
    # "0042" stays a string; "b,c" was quoted; times come back as datetime64[ns].
    pd.testing.assert_frame_equal(back, log.astype({"when": "datetime64[ns]"}))


def test_read_errors_name_file_line_column_value(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("customer_id,date,amount\n1,2024-01-01,5\n2,2024-13-01,6\n")
    with pytest.raises(ValueError, match=r'bad.csv:3: column "date": .*2024-13-01'):
        cm.read_transactions(path)
    path.write_text("customer_id,date,amount\n1,2024-01-01,five\n")
    with pytest.raises(ValueError, match=r'bad.csv:2: column "amount": .*five'):
        cm.read_transactions(path)
    path.write_text("customer_id,day,amount\n1,2024-01-01,5\n")
    with pytest.raises(ValueError, match=r'bad.csv:1: column "date"'):
        cm.read_transactions(path)
    path.write_text("customer_id,date,amount\n")
    with pytest.raises(ValueError, match=r"no data rows"):
        cm.read_transactions(path)
    with pytest.raises(FileNotFoundError):
        cm.read_transactions(tmp_path / "missing.csv")


def test_optional_columns_follow_the_cli_rule(tmp_path):
    # The rule of resolve_columns (csv.hpp), as the CLI applies it: present and not named ->
    # read under its conventional name; absent -> not read; named -> used; named but missing
    # -> an error naming it.
    path = tmp_path / "log.csv"
    path.write_text("customer_id,date,amount,cost,order,product,note\n"
                    "1,2024-01-01,5,2,o1,p1,x\n2,2024-01-02,7,3,o2,p2,y\n")
    found = cm.read_transactions(path)
    assert list(found.columns) == ["customer_id", "date", "amount", "cost", "order", "product"]
    assert found["cost"].tolist() == [2.0, 3.0]
    assert found["order"].tolist() == ["o1", "o2"]
    assert found["product"].tolist() == ["p1", "p2"]
    # A named margin replaces the conventional cost (cost = amount - margin: 5 - 2, 7 - 3).
    named = cm.read_transactions(path, margin="cost")
    assert named["cost"].tolist() == [3.0, 4.0]
    with pytest.raises(cm.ParseError, match=r'log.csv:1: column "channel_id": no such column'):
        cm.read_transactions(path, channel="channel_id")
    bare = tmp_path / "bare.csv"
    bare.write_text("customer_id,date,amount\n1,2024-01-01,5\n")
    assert list(cm.read_transactions(bare).columns) == ["customer_id", "date", "amount"]


# Issue 16: float keys beyond int64, booleans and complex amounts, invalid UTF-8 keys.

def _log(customer, amount=None):
    n = len(customer)
    return pd.DataFrame({
        "customer_id": customer,
        "date": pd.to_datetime(["2020-01-01"] * n) + pd.to_timedelta(np.arange(n), unit="D"),
        "amount": [1.0] * n if amount is None else amount,
    })


@pytest.mark.parametrize("bad", [1e19, 2e19, -1e30, 2.0**63, float("inf")])
def test_float_keys_beyond_int64_are_an_input_error(bad):
    # Before: numpy's cast gave -9223372036854775808 for all of them (merged, a warning only).
    with pytest.raises(cm.InputError, match="does not fit in int64") as e:
        cm.summarize(_log([1.0, bad]))
    assert e.value.argument == "customer_id"
    assert e.value.row == 1
    assert e.value.value == repr(bad) or e.value.value == str(bad)


def test_float_keys_at_the_int64_bounds_are_read():
    # -2**63 is exact in float64 and fits; the largest float below 2**63 is 2**63 - 1024.
    s = cm.summarize(_log([-(2.0**63), 2.0**63 - 1024, 5.0]))
    assert sorted(s.index.tolist()) == [-(2**63), 5, 2**63 - 1024]


@pytest.mark.parametrize("amount,what", [
    ([True, False], "booleans"),
    (np.array([1 + 0j, 2 + 1j]), "complex numbers"),
])
def test_boolean_and_complex_amounts_are_refused(amount, what):
    with pytest.raises(cm.InputError, match=f"amount: expected real numbers, got {what}") as e:
        cm.summarize(_log([1, 2], amount))
    assert e.value.argument == "amount"


@pytest.mark.parametrize("value", [True, np.bool_(False), 2 + 0j, np.complex128(1)])
def test_boolean_and_complex_objects_in_an_amount_column_are_refused(value):
    amount = pd.Series([1.0, value, 3.0], dtype=object)
    with pytest.raises(cm.InputError, match="amount: row 1: .* expected a real number") as e:
        cm.summarize(_log([1, 2, 3], amount))
    assert e.value.row == 1


def test_read_transactions_with_invalid_utf8_keys(tmp_path):
    # A Latin-1 file: the key M\xfcller is not UTF-8. read_transactions returns it with the
    # byte escaped (surrogateescape, 'M\udcfcller'); before, summarize of that frame failed with
    # a UnicodeEncodeError. Now the key is the file's bytes, as for the CLI.
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"customer_id,date,amount\nM\xfcller,2020-01-01,1\nB,2020-01-02,2\n"
                     b"M\xfcller,2020-01-05,4\n")
    log = cm.read_transactions(path)
    assert log["customer_id"].tolist() == ["M\udcfcller", "B", "M\udcfcller"]
    s = cm.summarize(log)
    assert sorted(s.index.tolist()) == ["B", "M\udcfcller"]
    assert s.loc["M\udcfcller", "frequency"] == 1  # 01-01 and 01-05: one repeat
    assert s.loc["M\udcfcller", "revenue"] == 5.0
    assert "M\xfcller".encode("latin-1") == "M\udcfcller".encode("utf-8", "surrogateescape")


def test_keys_with_lone_surrogates_not_from_bytes_are_a_data_error():
    # '\ud800' is not the escape of a byte (those are U+DC80..U+DCFF): no UTF-8 form at all.
    # An object column: pandas 3's default string dtype (Arrow, UTF-8) refuses such a key.
    with pytest.raises(cm.DataError, match="lone surrogate") as e:
        cm.summarize(_log(pd.Series(["A", "x\ud800"], dtype=object)))
    assert e.value.row == 1


def test_invalid_utf8_keys_through_aggregate_pareto_and_loyalty(tmp_path):
    # The Latin-1 key M\xfcller comes back surrogate-escaped ('M\udcfcller'); pandas 3's string
    # dtype (Arrow, UTF-8) refuses it, so the results keep it in an object index (issue 17).
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"customer_id,date,amount\nM\xfcller,2020-01-01,1\nB,2020-01-02,2\n"
                     b"M\xfcller,2020-01-05,4\n")
    log = cm.read_transactions(path)
    key = "M\udcfcller"
    totals = cm.aggregate(log, by="customer_id", value="amount")
    assert (totals.loc[key, "count"], totals.loc[key, "sum"]) == (2, 5.0)
    r = cm.pareto(log, by="customer_id", value="amount")
    assert r.entities.index.tolist() == [key, "B"]  # 5 then 2
    assert cm.whale_curve(log, by="customer_id", value="amount").entities.index[0] == key
    assert "<table" in r._repr_html_() and repr(r)  # nor do the displays
    labels = cm.classify_loyalty(log, observation_end="2020-02-01")
    assert sorted(labels.index.tolist()) == ["B", key]
    assert key.encode("utf-8", "surrogateescape") == b"M\xfcller"
