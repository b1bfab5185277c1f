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
    with pytest.raises(ValueError, match=r"customers: must be >= 0"):
        cm.generate(customers=-3)
    with pytest.raises(ValueError, match=r"products: expected an integer"):
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
