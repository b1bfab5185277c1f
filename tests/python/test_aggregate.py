"""custometrics.aggregate against pandas groupby on random data, and bad input."""

import numpy as np
import pandas as pd
import pytest

import custometrics as cm


@pytest.fixture(params=["int", "str"])
def rows(request):
    rng = np.random.default_rng(20240501)
    n = 200_000
    keys = rng.integers(-50, 5000, n)  # some keys with one row (NaN variance), some with many
    df = pd.DataFrame({
        "key": keys if request.param == "int" else np.char.add("k", keys.astype(str)).astype(object),
        # A large mean relative to the spread: the case where a naive variance loses digits.
        "value": 1e6 + rng.normal(0, 3, n),
        "time": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 10**9, n), "s"),
    })
    return df


def test_equals_pandas_groupby(rows):
    ours = cm.aggregate(rows, by="key", value="value", time="time", threads=3)
    g = rows.groupby("key")
    theirs = pd.DataFrame({
        "count": g["value"].count(), "sum": g["value"].sum(), "mean": g["value"].mean(),
        "variance": g["value"].var(), "min": g["value"].min(), "max": g["value"].max(),
        "first": g["time"].min(), "last": g["time"].max(),
    })
    assert ours.index.name == "key"
    np.testing.assert_array_equal(ours.index.to_numpy(), theirs.index.to_numpy())
    for col in ("count", "min", "max", "first", "last"):
        np.testing.assert_array_equal(ours[col].to_numpy(), theirs[col].to_numpy(), err_msg=col)
    for col in ("sum", "mean", "variance"):
        np.testing.assert_allclose(ours[col], theirs[col], rtol=1e-12, err_msg=col)
    assert ours["variance"].isna().sum() == (theirs["count"] == 1).sum()
    assert ours["first"].dtype == rows["time"].dtype  # the unit of the input


def test_without_moments_and_times(rows):
    ours = cm.aggregate(rows, by="key", value="value", moments=False)
    assert list(ours.columns) == ["count", "sum"]
    g = rows.groupby("key")["value"]
    np.testing.assert_array_equal(ours["count"], g.count())
    np.testing.assert_allclose(ours["sum"], g.sum(), rtol=1e-12)


def test_hand_worked():
    # Key 2: values 1 and 3: mean 2, sample variance ((1-2)^2 + (3-2)^2) / (2-1) = 2.
    # Key 1: one value 5: variance undefined (NaN). Integer times come back as integers.
    ours = cm.aggregate(by=np.array([2, 1, 2]), value=np.array([1.0, 5.0, 3.0]),
                        time=np.array([30, 10, 20]))
    assert ours.index.name == "by"
    assert ours.index.tolist() == [1, 2]
    assert ours["count"].tolist() == [1, 2]
    assert ours["sum"].tolist() == [5.0, 4.0]
    assert ours["mean"].tolist() == [5.0, 2.0]
    assert np.isnan(ours.loc[1, "variance"]) and ours.loc[2, "variance"] == 2.0
    assert ours["first"].tolist() == [10, 20] and ours["last"].tolist() == [10, 30]


def test_polars_input_and_day_dates():
    pl = pytest.importorskip("polars")
    import datetime as dt

    df = pl.DataFrame({"shop": ["b", "a", "b"], "sales": [1, 5, 3],
                       "day": [dt.date(2024, 1, 3), dt.date(2024, 1, 1), dt.date(2024, 1, 2)]})
    ours = cm.aggregate(df, by="shop", value="sales", time="day")
    assert ours.index.tolist() == ["a", "b"]
    assert ours["sum"].tolist() == [5.0, 4.0]
    assert ours.loc["b", "first"] == pd.Timestamp("2024-01-02")
    assert ours.loc["b", "last"] == pd.Timestamp("2024-01-03")


def test_bad_input():
    df = pd.DataFrame({"k": [1, 2, 2], "v": [1.0, np.nan, 2.0]})
    with pytest.raises(ValueError, match=r"values: row 1: value is nan"):
        cm.aggregate(df, by="k", value="v")
    with pytest.raises(ValueError, match=r"value: column 'x' not found; available columns: "
                                         r"'k', 'v'"):
        cm.aggregate(df, by="k", value="x")
    with pytest.raises(ValueError, match=r"k: row 1 is missing"):
        cm.aggregate({"k": np.array(["a", None], dtype=object), "v": [1.0, 2.0]}, by="k",
                     value="v")
    with pytest.raises(ValueError, match=r"t: row 0 is missing \(NaT\)"):
        cm.aggregate({"k": [1], "v": [1.0], "t": np.array(["NaT"], dtype="M8[s]")}, by="k",
                     value="v", time="t")
