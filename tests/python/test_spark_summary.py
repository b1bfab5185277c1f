"""custometrics.spark.summarize equals custometrics.summarize on the same rows: several option
combinations, integer and string keys, a log spread over several partitions so that a
customer's rows start in different partitions; then the checks made before any job."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import custometrics as cm
from spark_session import spark  # noqa: F401

pytest.importorskip("pyspark")


def make_log(n=400, customers=45, seed=7, string_keys=False):
    """A log with several rows per customer and period, returns, orders spanning rows and a few
    customers that only return. Amounts are multiples of 1/4, so every sum is exact whatever
    the order of addition (the shuffle does not keep the input order)."""
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, customers, n) * 3 + 1000
    start = np.datetime64("2024-01-01T00:00:00", "s")
    seconds = rng.integers(0, 120 * 86400, n)
    amount = rng.integers(1, 400, n) / 4.0
    amount[rng.random(n) < 0.08] *= -1
    log = pd.DataFrame({
        "cust": [f"c{c}" for c in cust] if string_keys else cust,
        "when": (start + seconds).astype("datetime64[ns]"),
        "amt": amount,
        "cost": np.round(amount * 0.5, 2),
        "order": rng.integers(0, n // 2, n),
    })
    # A customer with returns only (not a row of the summary).
    extra = pd.DataFrame({"cust": ["c9" if string_keys else 9] * 2,
                          "when": pd.to_datetime(["2024-02-01", "2024-02-03"]),
                          "amt": [-5.0, -2.5], "cost": [-2.5, -1.25], "order": [1, 2]})
    return pd.concat([log, extra], ignore_index=True)


def spark_frame(spark, log, partitions=3):
    return spark.createDataFrame(log).repartition(partitions)


def to_pandas(spark_df):
    """spark_df.toPandas() with its timestamps as datetime64[ns], the unit of the single-machine
    summary: pyspark 4 under pandas >= 3 gives datetime64[us] (pyspark 3.5 gave ns). Spark keeps
    microseconds, so the change of unit is exact."""
    got = spark_df.toPandas()
    for c in got.columns:
        if pd.api.types.is_datetime64_dtype(got[c]):
            got[c] = got[c].astype("datetime64[ns]")
    return got


def check_equal(spark_df, expected, key="cust"):
    got = to_pandas(spark_df).set_index(key).sort_index()
    assert got.index.is_unique
    assert list(got.columns) == list(expected.columns)
    expected = expected.copy()
    expected.index.name = key
    pdt.assert_frame_equal(got, expected, check_exact=True, check_index_type=False)


COMBOS = [
    dict(),
    dict(time_unit="weeks", unit_scale=1.0, returns="net", include_first_transaction=True),
    dict(time_unit="days", unit_scale=7.0, observation_end="2024-04-30"),
    dict(calibration_end="2024-03-01", observation_end="2024-04-29", late="drop"),
    dict(time_unit="months", calibration_end="2024-02-15 12:00:00"),
]


CASES = [  # (options, string keys)
    (dict(), False),
    (dict(time_unit="weeks", unit_scale=1.0, returns="net", include_first_transaction=True),
     True),
    (dict(time_unit="days", unit_scale=7.0, observation_end="2024-04-30"), False),
    (dict(calibration_end="2024-03-01", observation_end="2024-04-29", late="drop"), True),
    (dict(time_unit="months", calibration_end="2024-02-15 12:00:00"), False),
]


@pytest.mark.parametrize("options,string_keys", CASES)
def test_equals_single_machine(spark, options, string_keys):
    from custometrics.spark import summarize

    log = make_log(string_keys=string_keys)
    extra = dict(cost="cost", order="order") if "calibration_end" not in options else {}
    expected = cm.summarize(log, customer="cust", date="when", amount="amt", **extra, **options)
    assert len(expected) > 30 and expected.iloc[:, 0].sum() > 0
    got = summarize(spark_frame(spark, log), customer="cust", date="when", amount="amt",
                    partitions=5, **extra, **options)
    check_equal(got, expected)


def test_partitions_without_a_customer_in_the_window(spark):
    # Five customers buy in January, two hundred only in May: with 16 partitions by customer,
    # most partitions hold May buyers only, whose window the core alone would refuse (all of
    # them start after the calibration end, or all their rows follow the observation end).
    # The date column is a Spark date, the keys integers.
    from pyspark.sql import functions as F

    from custometrics.spark import summarize

    early = pd.DataFrame({"cust": [1, 1, 2, 3, 3, 4, 5], "amt": [1.0, 2, 3, 4, 5, 6, 7],
                          "day": pd.to_datetime(["2024-01-02", "2024-01-20", "2024-01-05",
                                                 "2024-01-07", "2024-01-30", "2024-01-09",
                                                 "2024-01-11"])})
    late = pd.DataFrame({"cust": np.arange(100, 300), "amt": np.arange(200) / 4.0 + 1,
                         "day": pd.Timestamp("2024-05-01") + pd.to_timedelta(
                             np.arange(200) % 20, unit="D")})
    log = pd.concat([early, late], ignore_index=True)
    frame = spark.createDataFrame(log).withColumn("day", F.to_date("day")).repartition(3)
    assert dict(frame.dtypes)["day"] == "date"
    for options in (dict(calibration_end="2024-02-01", observation_end="2024-06-30"),
                    dict(observation_end="2024-04-01", late="drop")):
        expected = cm.summarize(log, customer="cust", date="day", amount="amt", **options)
        assert len(expected) == 5
        got = summarize(frame, customer="cust", date="day", amount="amt", partitions=16,
                        **options)
        check_equal(got, expected)


def test_errors_before_any_job(spark):
    from custometrics.spark import summarize

    log = make_log(n=50, customers=5)
    frame = spark.createDataFrame(log)
    with pytest.raises(ValueError, match="date: column 'date' not found in the DataFrame"):
        summarize(frame, customer="cust", amount="amt")
    with pytest.raises(ValueError, match=r"date: column 'when' of the DataFrame holds rows after "
                       r"the observation end 2024-02-01 00:00:00; the latest is .* of customer"
                       ) as late:
        summarize(frame, customer="cust", date="when", amount="amt",
                  observation_end="2024-02-01")
    # Structured, as the core's errors (issue 16): the fields name the argument and the column,
    # the key and the date of the latest row (the log's last row is the latest).
    last = log.sort_values("when").iloc[-1]
    assert isinstance(late.value, cm.DataError)
    assert (late.value.argument, late.value.column) == ("date", "when")
    assert (late.value.key, late.value.value) == (str(last["cust"]), str(last["when"]))
    with pytest.raises(ValueError, match="calibration_end: .* is not before the observation end"):
        summarize(frame, customer="cust", date="when", amount="amt",
                  calibration_end="2025-01-01")
    with pytest.raises(ValueError, match=r"observation_end: .* is before the first transaction"):
        summarize(frame, customer="cust", date="when", amount="amt",
                  observation_end="2020-01-01", late="drop")
    with pytest.raises(ValueError, match="time_unit"):
        summarize(frame, customer="cust", date="when", amount="amt", time_unit="years")
    with pytest.raises(ValueError, match="returns"):
        summarize(frame, customer="cust", date="when", amount="amt", returns="keep")
    with pytest.raises(ValueError, match="unit_scale"):
        summarize(frame, customer="cust", date="when", amount="amt", unit_scale=0)
    with pytest.raises(cm.DataError, match="df: the DataFrame has no rows") as empty:
        summarize(frame.limit(0), customer="cust", date="when", amount="amt")
    assert empty.value.argument == "df"
    nulls = spark.createDataFrame(
        pd.DataFrame({"cust": [1.0, None], "when": pd.to_datetime(["2024-01-01"] * 2),
                      "amt": [1.0, 2.0]})).selectExpr("cast(cust as long) cust", "when", "amt")
    with pytest.raises(ValueError, match=r"customer: column 'cust' of the DataFrame holds nulls"):
        summarize(nulls, customer="cust", date="when", amount="amt")


def test_timestamps_at_their_wall_time_in_the_session_zone(spark):
    # In New York, rows stamped between 00:00 and 05:00 UTC fall on the previous day: the
    # periods are those of the wall time pandas shows (toPandas), as the single-machine summary
    # takes time-zone-aware values. String order keys; an order spans two rows.
    from custometrics.spark import summarize

    log = make_log(n=200, customers=20, seed=11)
    log["order"] = [f"o{v}" for v in log["order"]]
    frame = spark.createDataFrame(log).repartition(2)
    zone = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        wall = frame.toPandas()
        expected = cm.summarize(wall, customer="cust", date="when", amount="amt", order="order")
        got = summarize(frame, customer="cust", date="when", amount="amt", order="order",
                        partitions=3)
        got = to_pandas(got).set_index("cust").sort_index()
    finally:
        spark.conf.set("spark.sql.session.timeZone", zone)
    utc = cm.summarize(log, customer="cust", date="when", amount="amt", order="order")
    assert not expected["T"].equals(utc["T"])  # the zone matters for this log
    expected.index.name = "cust"
    pdt.assert_frame_equal(got, expected, check_exact=True, check_index_type=False)
