"""custometrics.pareto and custometrics.rfm from a CSV path (issue 18): the core reads the file
itself (``_core.pareto_csv``, ``_core.rfm_csv``), within ``memory_limit`` cut into parts by the
entity on disk. Each must give exactly what the frame path gives on the log that pandas' own
reader reads (the independent side), with and without a limit that cuts the file."""

import math

import numpy as np
import pandas as pd
import pytest

import custometrics as cm


@pytest.fixture(scope="module")
def log_csv(tmp_path_factory):
    """A generated log (cost, product, channel, some returns) of over 4 MB: a 32M limit cuts
    it into parts (32M leaves 16 MiB for rows, about 4 bytes of memory per byte of CSV)."""
    log = cm.generate(customers=60_000, seed=18)
    path = tmp_path_factory.mktemp("streaming") / "log.csv"
    log.to_csv(path, index=False, date_format="%Y-%m-%d")
    assert path.stat().st_size > 5_000_000
    assert (log["amount"] < 0).any()
    return path


@pytest.mark.parametrize("by, column", [("customer", "customer_id"), ("product", "product"),
                                        ("channel", "channel")])
@pytest.mark.parametrize("value", ["revenue", "profit"])
def test_pareto_of_a_path_is_that_of_the_frame(log_csv, by, column, value):
    frame = pd.read_csv(log_csv)
    frame["revenue"] = frame["amount"]
    frame["profit"] = frame["amount"] - frame["cost"]
    want = cm.pareto(frame, by=column, value=value)
    assert want.n > 2 and want.defined
    for limit in (None, "32M"):
        got = cm.pareto(log_csv, by=by, value=value, memory_limit=limit)
        pd.testing.assert_frame_equal(got.entities, want.entities, check_exact=True)
        pd.testing.assert_frame_equal(got.not_ranked_entities, want.not_ranked_entities,
                                      check_exact=True, check_index_type=False)
        assert (got.gini, got.class_counts, got.not_ranked_total) == \
            (want.gini, want.class_counts, want.not_ranked_total)


def test_pareto_of_a_path_errors(log_csv, tmp_path):
    with pytest.raises(cm.InputError) as e:
        cm.pareto(log_csv, memory_limit="12X")
    assert (e.value.argument, e.value.value) == ("memory_limit", "12X")
    with pytest.raises(cm.InputError) as e:
        cm.pareto({"a": 1.0}, memory_limit="1G")
    assert e.value.argument == "memory_limit"
    # A limit too small for the file (more than 1024 parts), refused before the file is read:
    # a sparse file of 5 GiB.
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as f:
        f.truncate(5 << 30)
    for call in (lambda: cm.pareto(huge, memory_limit="32M"),
                 lambda: cm.rfm(huge, memory_limit="32M"),
                 lambda: cm.summarize(huge, memory_limit="32M")):
        with pytest.raises(cm.InputError) as e:
            call()
        assert e.value.argument == "memory_limit"
        assert "into more than 1024 parts" in str(e.value)
    # A missing column, with or without parts: the same error.
    errors = []
    for limit in (None, "32M"):
        with pytest.raises(cm.InputError) as e:
            cm.pareto(log_csv, value="quantity", memory_limit=limit)
        errors.append((e.value.argument, str(e.value)))
    assert errors[0] == errors[1] and errors[0][0] == "measure"


def rfm_values(frame: pd.DataFrame, analysis=None) -> pd.DataFrame:
    """Recency, frequency and monetary per customer as rfm.hpp defines them, worked out with
    pandas: days from the last purchase row (amount >= 0) to ``analysis`` (default: the day
    after the last purchase of the log), purchase rows, net revenue (the exact sum of the amounts, rounded once)."""
    frame = frame.assign(date=pd.to_datetime(frame["date"]))
    bought = frame[frame["amount"] >= 0]
    last = bought.groupby("customer_id")["date"].max()
    if analysis is None:
        analysis = last.max() + pd.Timedelta(days=1)
    out = pd.DataFrame({
        "recency": (analysis - last).dt.days.astype(float),
        "frequency": bought.groupby("customer_id").size().astype(float),
        "monetary": frame.groupby("customer_id")["amount"].agg(math.fsum),
    }).dropna()
    return out.sort_index()


@pytest.mark.parametrize("ties", ["grouped", "first"])
def test_rfm_of_a_path_is_that_of_the_frame(log_csv, ties):
    frame = pd.read_csv(log_csv)
    values = rfm_values(frame)
    want = cm.rfm(values, ties=ties)
    assert len(want) > 10_000
    for limit in (None, "32M"):
        got = cm.rfm(log_csv, ties=ties, memory_limit=limit)
        pd.testing.assert_frame_equal(got, want, check_exact=True, check_index_type=False)
        assert got.attrs["segment_count"] == want.attrs["segment_count"]
    # An analysis date: the recency counted to it.
    got = cm.rfm(log_csv, analysis_date="2030-01-01", memory_limit="32M")
    want = rfm_values(frame, pd.Timestamp("2030-01-01"))
    assert np.array_equal(got["recency"].to_numpy(), want["recency"].to_numpy())
    assert got["recency"].min() > 365
    with pytest.raises(cm.InputError) as e:
        cm.rfm(values, memory_limit="32M")
    assert e.value.argument == "memory_limit"
    # The frame's column choices do not apply to a path: refused, not ignored.
    for name in ("recency", "frequency", "monetary"):
        with pytest.raises(cm.InputError) as e:
            cm.rfm(log_csv, **{name: "days"})
        assert e.value.argument == name


def test_rfm_of_a_path_says_who_is_left_out(tmp_path):
    """A customer with only returns has no recency: not scored, and named in the attrs (the
    CLI's --rejected lists the same customer), with or without a memory limit."""
    path = tmp_path / "returns.csv"
    path.write_text("customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-02,-5\n"
                    "C,2024-01-03,7\nA,2024-01-04,3\n")
    for limit in (None, "32M"):
        got = cm.rfm(path, memory_limit=limit)
        assert list(got.index) == ["A", "C"]
        assert got.attrs["customers_left_out"] == ["B"]
        assert got.loc["A", "frequency"] == 2 and got.loc["A", "monetary"] == 13


def test_paths_with_other_column_names(log_csv, tmp_path):
    """A file whose header uses other names: ``columns=`` names them, as read_transactions and
    the command line's --customer, --amount... do. The results are those of the file with the
    conventional names, the entities' index named after the key column read."""
    frame = pd.read_csv(log_csv)
    renamed = tmp_path / "renamed.csv"
    frame.rename(columns={"customer_id": "cust", "amount": "revenue", "date": "day",
                          "product": "sku"}).to_csv(renamed, index=False)
    columns = {"customer": "cust", "amount": "revenue", "date": "day", "product": "sku"}
    for by, name in (("customer", "cust"), ("product", "sku"), ("channel", "channel")):
        want = cm.pareto(log_csv, by=by)
        for limit in (None, "32M"):
            got = cm.pareto(renamed, by=by, columns=columns, memory_limit=limit)
            assert got.entities.index.name == name
            assert np.array_equal(got.entities.index.to_numpy(),
                                  want.entities.index.to_numpy())
            assert np.array_equal(got.entities["value"].to_numpy(),
                                  want.entities["value"].to_numpy())
            assert got.gini == want.gini
    want = cm.rfm(log_csv)
    got = cm.rfm(renamed, columns=columns, memory_limit="32M")
    assert got.index.name == "cust" and want.index.name == "customer_id"
    pd.testing.assert_frame_equal(got.rename_axis("customer_id"), want, check_exact=True)
    # Without columns=, the renamed file has no customer_id: the core's error names it.
    with pytest.raises(cm.ParseError) as e:
        cm.pareto(renamed)
    assert e.value.column == "customer_id" and e.value.line == 1
    # An unknown role, a name that is not a str, and columns= without a path: refused.
    with pytest.raises(cm.InputError) as e:
        cm.pareto(renamed, columns={"client": "cust"})
    assert (e.value.argument, e.value.value) == ("columns", "client")
    with pytest.raises(cm.InputError) as e:
        cm.rfm(renamed, columns={"customer": 3})
    assert (e.value.argument, e.value.key) == ("columns", "customer")
    with pytest.raises(cm.InputError) as e:
        cm.pareto({"a": 1.0}, columns={"customer": "cust"})
    assert e.value.argument == "columns"
    with pytest.raises(cm.InputError) as e:
        cm.rfm(want, columns={"customer": "cust"})
    assert e.value.argument == "columns"
