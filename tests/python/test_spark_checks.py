"""custometrics.spark input checks: a missing column, a wrong type, nulls and NaN are reported
before the main job, naming the argument and the column; the package imports without pyspark."""

import datetime as dt
import subprocess
import sys

import pytest

import custometrics as cm

from spark_session import spark  # noqa: F401

pytest.importorskip("pyspark")


def test_custometrics_does_not_import_pyspark():
    code = "import sys, custometrics; print('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_pyspark_the_module_says_what_to_install():
    code = ("import sys; sys.modules['pyspark'] = None\n"
            "try:\n    import custometrics.spark\nexcept ImportError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install custometrics[spark]" in out.stdout and "pyspark" in out.stdout


@pytest.fixture(scope="module")
def log(spark):
    rows = [(1, dt.datetime(2024, 1, 1), 10.0, "a"), (2, dt.datetime(2024, 1, 2), 5.0, "b"),
            (None, dt.datetime(2024, 1, 3), 7.0, "c"), (3, None, 1.0, "d"),
            (4, dt.datetime(2024, 1, 4), float("nan"), "e")]
    return spark.createDataFrame(rows, "cust long, day timestamp, amt double, s string")


def test_missing_column_names_argument_and_lists_columns(log):
    from custometrics.spark import _checks

    with pytest.raises(ValueError, match=r"customer: column 'nope' not found in the DataFrame; "
                       r"available columns: 'cust', 'day', 'amt', 's'") as e:
        _checks.column(log, "nope", "customer", "key")
    # The same error class and fields as the core's errors.
    assert isinstance(e.value, cm.InputError)
    assert (e.value.argument, e.value.column, e.value.row) == ("customer", "nope", None)


def test_names_matched_as_spark_matches_them(spark, log):
    from custometrics.spark import _checks

    # spark.sql.caseSensitive false (the default): "CUST" is the column 'cust', as in
    # log.select("CUST"); two columns differing in case only are ambiguous; with the setting
    # true, only the exact name is found.
    assert _checks.column(log, "CUST", "customer", "key").name == "cust"
    twins = spark.createDataFrame([(1, 2)], "ab long, AB long")
    for asked in ("Ab", "AB"):  # even an exact name, as Spark's own select("AB") says
        with pytest.raises(ValueError, match=rf"customer: column '{asked}' is ambiguous in the "
                           r"DataFrame \(case-insensitive names, spark.sql.caseSensitive is "
                           r"false\): 'ab', 'AB'"):
            _checks.column(twins, asked, "customer", "key")
    spark.conf.set("spark.sql.caseSensitive", "true")
    try:
        with pytest.raises(ValueError, match=r"customer: column 'CUST' not found"):
            _checks.column(log, "CUST", "customer", "key")
        assert _checks.column(twins, "AB", "customer", "key").name == "AB"
    finally:
        spark.conf.set("spark.sql.caseSensitive", "false")


def test_wrong_types(log):
    from custometrics.spark import _checks

    with pytest.raises(ValueError, match=r"date: column 's' of the DataFrame has type string; "
                       r"expected timestamps.*to_timestamp"):
        _checks.column(log, "s", "date", "time")
    with pytest.raises(ValueError, match=r"customer: column 'amt' .* type double; expected "
                       r"integers or strings"):
        _checks.column(log, "amt", "customer", "key")
    with pytest.raises(ValueError, match=r"amount: column 's' .* type string; expected numbers"):
        _checks.column(log, "s", "amount", "number")
    with pytest.raises(TypeError, match="customer: expected a column name"):
        _checks.column(log, 3, "customer", "key")
    with pytest.raises(TypeError, match="df: expected a pyspark.sql.DataFrame, got DataFrame"):
        import pandas as pd

        _checks.frame(pd.DataFrame())


def test_nulls_and_nan_named_with_the_row(log):
    from custometrics.spark import _checks

    def specs(frame):
        return [_checks.column(frame, "cust", "customer", "key"),
                _checks.column(frame, "day", "date", "time"),
                _checks.column(frame, "amt", "amount", "number")]

    with pytest.raises(ValueError, match=r"customer: column 'cust' of the DataFrame holds nulls "
                       r"\(1 row; one is the row day=datetime.datetime\(2024, 1, 3, 0, 0\), "
                       r"amt=7.0\)"):
        _checks.scan(log, specs(log))
    no_null_key = log.filter("cust is not null")
    with pytest.raises(ValueError, match=r"date: column 'day' of the DataFrame holds nulls "
                       r"\(1 row; one is the row cust=3, amt=1.0\)"):
        _checks.scan(no_null_key, specs(no_null_key))
    clean_dates = no_null_key.filter("day is not null")
    with pytest.raises(ValueError, match=r"amount: column 'amt' of the DataFrame holds NaN or "
                       r"infinite values \(1 row; one is the row cust=4") as e:
        _checks.scan(clean_dates, specs(clean_dates))
    assert isinstance(e.value, cm.DataError)
    assert (e.value.argument, e.value.column, e.value.value) == ("amount", "amt", "nan")
    clean = clean_dates.filter("not isnan(amt)")
    from pyspark.sql import functions as F

    assert _checks.scan(clean, specs(clean), [F.max("cust"), F.count(F.lit(1))]) == (2, 2)
