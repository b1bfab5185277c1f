"""lifetimes 0.11.3's data sets and computed values, read from tests/reference/lifetimes.

The tests compare custometrics with lifetimes; lifetimes itself pins numpy < 2 and pandas < 2,
so its values are committed fixtures (tests/reference/lifetimes/make_fixtures.py made them, in
the reference environment of ``scripts/deps.sh python``) and the tests run on today's releases
too. The loaders below return what ``lifetimes.datasets`` returns (same columns, index and
dtypes), from copies of lifetimes' data files committed beside the fixtures.
"""

import gzip
import json
import pathlib

import numpy as np
import pandas as pd

DIR = pathlib.Path(__file__).resolve().parents[1] / "reference" / "lifetimes"
DONATIONS = pathlib.Path(__file__).resolve().parents[1] / "reference" / "donations.csv"


def load_cdnow_summary_data_with_monetary_value():
    """lifetimes.datasets.load_cdnow_summary_data_with_monetary_value(): 2,357 customers."""
    df = pd.read_csv(DIR / "cdnow_customers_summary_with_transactions.csv")
    df.columns = ["customer_id", "frequency", "recency", "T", "monetary_value"]
    return df.set_index("customer_id")


def load_cdnow_summary(index_col=None):
    """lifetimes.datasets.load_cdnow_summary(): the same customers, columns ID, frequency,
    recency, T (lifetimes' cdnow_customers_summary.csv holds the same numbers);
    ``index_col=[0]`` makes ID the index, as pandas.read_csv does there."""
    df = pd.read_csv(DIR / "cdnow_customers_summary_with_transactions.csv")
    df = df.drop(columns="zbar")
    df.columns = ["ID", "frequency", "recency", "T"]
    return df if index_col is None else df.set_index(df.columns[index_col[0]])


def load_cdnow_master():
    """lifetimes' CDNOW_master.txt as the tests read it: 69,659 rows, 23,570 customers,
    columns customer_id, date (datetime64), n, amount."""
    tx = pd.read_csv(DIR / "CDNOW_master.txt.gz", sep=r"\s+")
    tx.columns = ["customer_id", "date", "n", "amount"]
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    return tx


def load_transaction_data(**kwargs):
    """lifetimes.datasets.load_transaction_data(): columns date (text), id."""
    return pd.read_csv(DIR / "example_transactions.csv.gz", **kwargs)


def load_donations():
    """lifetimes.datasets.load_donations(): the 22 rows of the donations data (FHS 2010)."""
    return pd.read_csv(DONATIONS)


def fixture(name):
    """The values make_fixtures.py stored under ``name`` (JSON: numbers, lists, nested dicts;
    lists of numbers come back as float64 arrays)."""
    with open(DIR / f"{name}.json") as f:
        return json.load(f, object_hook=_arrays)


def _arrays(d):
    return {k: np.asarray(v, dtype=float) if _numeric_list(v) else v for k, v in d.items()}


def _numeric_list(v):
    return (isinstance(v, list) and len(v) > 0
            and all(isinstance(e, (int, float)) and not isinstance(e, bool) for e in v))


def quickstart_results():
    """lifetimes' results of the quickstart of test_lifetimes_compat.py (make_fixtures.py:
    quickstart()), rebuilt as the objects lifetimes returned (frames with their index and
    dtypes, numpy or Python floats, text), in the order the quickstart recorded them."""
    with gzip.open(DIR / "quickstart.json.gz", "rt") as f:
        data = json.load(f)
    return {k: decode(data["results"][k]) for k in data["names"]}


def decode(d):
    kind = d["type"]
    if kind == "str":
        return d["value"]
    if kind == "float":
        return float(d["value"])
    if kind == "float64":
        return np.float64(d["value"])
    if kind in ("int", "bool"):
        return d["value"]
    if kind == "list":
        return [decode(v) for v in d["items"]]
    if kind == "dict":
        return {k: decode(v) for k, v in zip(d["keys"], d["items"])}
    if kind == "ndarray":
        return np.array(d["values"], dtype=d["dtype"]).reshape(d["shape"])
    if kind == "Index":
        # Text labels: the dtype this pandas gives them (object before pandas 3, str since),
        # as lifetimes' own frames would have under it.
        dtype = None if d["dtype"] == "object" else d["dtype"]
        return pd.Index(d["values"], name=d["name"], dtype=dtype)
    if kind == "Series":
        return pd.Series(d["values"], index=decode(d["index"]), name=d["name"], dtype=d["dtype"])
    if kind == "DataFrame":
        columns = decode(d["columns"])
        return pd.DataFrame({c: pd.Series(v, dtype=t) for c, v, t in
                             zip(columns, d["data"], d["dtypes"])}
                            ).set_axis(decode(d["index"]), axis=0).set_axis(columns, axis=1)
    raise ValueError(f"unknown fixture type {kind}")


# ---- the record of the checks that call lifetimes at values chosen in a test

CHECKS = DIR / "checks.json.gz"
RECORDING = None  # make_fixtures.py sets a dict here and runs the tests with lifetimes
_checks = None

try:
    import lifetimes as _lifetimes  # noqa: F401
    HAVE_LIFETIMES = True
except ImportError:  # numpy 2 / pandas >= 2: lifetimes' values come from the record
    HAVE_LIFETIMES = False


def recorded(name, live, compare=True):
    """lifetimes' value of the check ``name``: ``live()`` (a call of lifetimes) where lifetimes
    is installed, checked against the committed record (tests/reference/lifetimes/
    checks.json.gz, so the record cannot go stale), and the record where it is not.

    ``compare=False`` is for inputs a test chooses (parameters of a custometrics fit, say):
    the record's value is used in both environments, so lifetimes is called at the same
    numbers the record holds. make_fixtures.py runs the tests with ``RECORDING`` set, which
    stores every ``live()`` value under its name."""
    global _checks
    if RECORDING is not None:
        value = live()
        RECORDING[name] = encode(value)
        return decode(RECORDING[name])
    if _checks is None:
        with gzip.open(CHECKS, "rt") as f:
            _checks = json.load(f)
    assert name in _checks, f"{name!r} is not in {CHECKS.name}: run make_fixtures.py"
    stored = decode(_checks[name])
    if HAVE_LIFETIMES and compare:
        assert_same_record(decode(encode(live())), stored, name)
    return stored


def assert_same_record(live, stored, name, rtol=1e-9):
    """lifetimes' live value equals the stored one: the same types, labels and text, numbers to
    ``rtol`` (a fit on another machine's BLAS may differ in the last bits)."""
    assert type(live) is type(stored), (name, type(live), type(stored))
    if isinstance(stored, dict):
        assert list(live) == list(stored), name
        for k in stored:
            assert_same_record(live[k], stored[k], f"{name}[{k!r}]", rtol)
    elif isinstance(stored, list):
        assert len(live) == len(stored), name
        for i, (a, b) in enumerate(zip(live, stored)):
            assert_same_record(a, b, f"{name}[{i}]", rtol)
    elif isinstance(stored, pd.DataFrame):
        pd.testing.assert_frame_equal(live, stored, check_exact=False, rtol=rtol, obj=name)
    elif isinstance(stored, pd.Series):
        pd.testing.assert_series_equal(live, stored, check_exact=False, rtol=rtol, obj=name)
    elif isinstance(stored, (np.ndarray, float, np.floating)):
        np.testing.assert_allclose(live, stored, rtol=rtol, err_msg=name)
        assert np.shape(live) == np.shape(stored), name
    else:
        assert live == stored, name


def encode(value):
    """A value of lifetimes as JSON (``decode`` reverses it): text, numbers, lists, dicts,
    numpy arrays, pandas indexes, series and frames with their dtypes."""
    if isinstance(value, (str, bool, int)) and not isinstance(value, np.generic):
        return {"type": type(value).__name__, "value": value}
    if isinstance(value, (float, np.floating)):
        return {"type": type(value).__name__, "value": float(value)}
    if isinstance(value, (list, tuple)):
        return {"type": "list", "items": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"type": "dict", "keys": list(value), "items": [encode(v) for v in value.values()]}
    if isinstance(value, np.ndarray):
        return {"type": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape),
                "values": value.ravel().tolist()}
    if isinstance(value, pd.Index):
        return {"type": "Index", "name": value.name, "dtype": str(value.dtype),
                "values": value.tolist()}
    if isinstance(value, pd.Series):
        return {"type": "Series", "name": value.name, "dtype": str(value.dtype),
                "index": encode(value.index), "values": value.tolist()}
    if isinstance(value, pd.DataFrame):
        return {"type": "DataFrame", "index": encode(value.index), "columns": encode(value.columns),
                "dtypes": [str(t) for t in value.dtypes],
                "data": [value[c].tolist() for c in value.columns]}
    raise TypeError(f"no encoding for {type(value)}")
