"""lifetimes 0.11.3's data sets and computed values, read from tests/reference/lifetimes.

The tests compare custometrics with lifetimes; lifetimes itself pins numpy < 2 and pandas < 2,
so its values are committed fixtures (tests/reference/lifetimes/make_fixtures.py made them, in
the reference environment of ``scripts/deps.sh python``) and the tests run on today's releases
too. The loaders below return what ``lifetimes.datasets`` returns (same columns, index and
dtypes), from copies of lifetimes' data files committed beside the fixtures.
"""

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


def load_cdnow_summary():
    """lifetimes.datasets.load_cdnow_summary(): the same customers, columns ID, frequency,
    recency, T (lifetimes' cdnow_customers_summary.csv holds the same numbers)."""
    df = pd.read_csv(DIR / "cdnow_customers_summary_with_transactions.csv")
    df = df.drop(columns="zbar")
    df.columns = ["ID", "frequency", "recency", "T"]
    return df


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
