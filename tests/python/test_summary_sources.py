"""custometrics.summarize from the sources users start from, besides a pandas frame: a CSV path
(read and summarized by the core, no frame in between), pyarrow tables and record batches,
objects with ``__arrow_c_stream__`` and polars frames. Each must give exactly the frame that the
pandas path gives on the same log (pandas' own reader, ``pd.read_csv``, as the independent
side); the numeric columns of Arrow input must reach the core without a copy."""

import os
import pathlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import custometrics as cm
from custometrics._frames import Table

pl = pytest.importorskip("polars")

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def log_csv(tmp_path_factory):
    """A generated log with a cost, an order and string keys, written as CSV."""
    log = cm.generate(customers=400, seed=11)
    log["customer_id"] = "C" + log["customer_id"].astype(str)
    log["cost"] = (log["amount"] * 0.6).round(2)
    log["order_id"] = np.arange(len(log)) // 2
    path = tmp_path_factory.mktemp("sources") / "log.csv"
    log[["customer_id", "date", "amount", "cost", "order_id"]].to_csv(path, index=False)
    return path


OPTIONS = [
    {},
    {"time_unit": "weeks", "unit_scale": 7.0, "observation_end": "2022-01-31"},
    {"calibration_end": "2021-06-30", "returns": "net"},
    {"cost": "cost", "order": "order_id", "include_first_transaction": True},
]


@pytest.mark.parametrize("options", OPTIONS)
def test_path_equals_pandas_reader(log_csv, options):
    frame = pd.read_csv(log_csv)
    want = cm.summarize(frame, **options)
    got = cm.summarize(str(log_csv), **options)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs == want.attrs
    # os.PathLike and the core's own reader give the same frame.
    pd.testing.assert_frame_equal(cm.summarize(log_csv, **options), want, check_exact=True)
    pd.testing.assert_frame_equal(cm.summarize(cm.read_transactions(log_csv), **options), want,
                                  check_exact=True)


def test_path_with_integer_keys_and_a_delimiter(tmp_path):
    # By hand: customer 7 buys on Jan 1 (10 + 5) and Jan 8 (20); customer 9 once on Jan 5.
    path = tmp_path / "log.txt"
    path.write_text("who;when;paid\n7;2024-01-01;10\n7;2024-01-01;5\n7;2024-01-08;20\n"
                    "9;2024-01-05;7.5\n")
    s = cm.summarize(path, customer="who", date="when", amount="paid", delimiter=";",
                     observation_end="2024-01-15")
    assert s.index.name == "who" and s.index.tolist() == [7, 9]
    assert s["frequency"].tolist() == [1.0, 0.0]
    assert s["recency"].tolist() == [7.0, 0.0]
    assert s["T"].tolist() == [14.0, 10.0]
    assert s["monetary_value"].tolist() == [20.0, 0.0]
    assert s["revenue"].tolist() == [35.0, 7.5]


def test_path_errors_name_the_file_and_line(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("customer_id,date,amount\nA,2020-01-01,5\nB,2020-01-03,7\n")
    with pytest.raises(cm.DataError) as e:
        cm.summarize(path, observation_end="2020-01-02")
    assert str(e.value).startswith(f"{path}:3: ")
    assert (e.value.argument, e.value.row, e.value.key) == ("time", 1, "B")
    with pytest.raises(cm.ParseError) as e:
        cm.summarize(path, amount="paid")
    assert e.value.source == str(path) and e.value.line == 1
    with pytest.raises(FileNotFoundError):
        cm.summarize(tmp_path / "missing.csv")
    with pytest.raises(cm.InputError, match="^amount: with a CSV path, name the column"):
        cm.summarize(path, amount=np.ones(2))
    with pytest.raises(cm.InputError, match="^delimiter"):
        cm.summarize(path, delimiter=";;")


def arrow_log():
    """A log with int keys, string keys, a datetime column and amounts, as pandas and Arrow."""
    frame = cm.generate(customers=300, seed=5)
    frame["shop"] = np.where(frame["customer_id"] % 2 == 0, "north", "south")
    return frame, pa.Table.from_pandas(frame, preserve_index=False)


class StreamOnly:
    """An object that offers only the Arrow PyCapsule stream interface."""

    def __init__(self, table):
        self._table = table

    def __arrow_c_stream__(self, requested_schema=None):
        return self._table.__arrow_c_stream__(requested_schema)


def test_arrow_and_polars_equal_pandas():
    frame, table = arrow_log()
    want = cm.summarize(frame)
    for source in (table, table.to_batches()[0] if table.num_rows else table,
                   StreamOnly(table), pl.from_pandas(frame), pacsv.read_csv(
                       pa.BufferReader(frame.to_csv(index=False).encode()))):
        got = cm.summarize(source)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    # String keys and a dictionary-encoded key column.
    want = cm.summarize(frame, customer="shop")
    for column in (table["shop"], table["shop"].dictionary_encode()):
        t = table.set_column(table.schema.get_field_index("shop"), "shop", column)
        pd.testing.assert_frame_equal(cm.summarize(t, customer="shop"), want, check_exact=True)


def test_arrow_time_zones_and_nulls():
    frame, table = arrow_log()
    # A time-zone-aware column counts at its wall time, as pandas' does.
    aware = frame.assign(date=frame["date"].dt.tz_localize("Europe/Berlin"))
    want = cm.summarize(aware)
    pd.testing.assert_frame_equal(cm.summarize(pa.Table.from_pandas(aware)), want,
                                  check_exact=True)
    amounts = pa.array([1.0, None, 3.0])
    t = pa.table({"customer_id": [1, 2, 3], "date": pa.array(
        np.array(["2024-01-01"] * 3, dtype="datetime64[ns]")), "amount": amounts})
    with pytest.raises(cm.DataError) as e:
        cm.summarize(t)
    assert (e.value.argument, e.value.row) == ("amount", 1)


def address(arr):
    return arr.__array_interface__["data"][0]


def test_arrow_numeric_columns_are_not_copied():
    _, table = arrow_log()
    t = Table(table)
    amount = t.floats("amount", "amount")
    _, keys = t.keys("customer_id", "customer")
    _, ticks, per_second = t.times("date", "date")
    assert per_second == 1_000_000_000
    # The arrays the core gets are views of the Arrow buffers (values buffer = buffers()[1]).
    for arr, column in ((amount, "amount"), (keys, "customer_id"), (ticks, "date")):
        chunk = table[column].chunk(0)
        assert address(arr) == chunk.buffers()[1].address + chunk.offset * 8, column
    # A polars float column is passed as a view as well (polars' own buffer).
    s = pl.Series("amount", [1.0, 2.0, 3.0])
    view = Table({"amount": s}).floats("amount", "amount")
    assert not view.flags.owndata and view.base is not None


def test_a_one_shot_arrow_stream_is_read_once():
    """A RecordBatchReader (as DuckDB's ``fetch_record_batch`` returns) can be read only once:
    the summary must see all its rows, not an empty second read."""
    frame, table = arrow_log()
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=97))
    pd.testing.assert_frame_equal(cm.summarize(reader), cm.summarize(frame), check_exact=True)


def test_memory_limit_gives_the_same_frame(tmp_path):
    """summarize(path, memory_limit=...) cuts a file too large for the limit into parts on disk
    (the core's summarize_csv); the frame is the one read whole. 32M leaves 16 MiB for rows, so a
    file over 4 MB is cut (about 4 bytes of memory per byte of CSV)."""
    rng = np.random.default_rng(3)
    n = 260_000
    log = pd.DataFrame({
        "customer_id": "K" + pd.Series(rng.integers(0, 30_000, n)).astype(str),
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "amount": rng.integers(100, 10_000, n) / 100.0,
    })
    path = tmp_path / "big.csv"
    log.to_csv(path, index=False, date_format="%Y-%m-%d")
    assert path.stat().st_size > 5_000_000
    whole = cm.summarize(path)
    for limit in ("32M", 32 * 2**20):
        pd.testing.assert_frame_equal(cm.summarize(path, memory_limit=limit), whole,
                                      check_exact=True)
    with pytest.raises(cm.InputError) as e:
        cm.summarize(path, memory_limit="12X")
    assert (e.value.argument, e.value.value) == ("memory_limit", "12X")
    with pytest.raises(cm.InputError) as e:
        cm.summarize(log, memory_limit="1G")
    assert e.value.argument == "memory_limit"
