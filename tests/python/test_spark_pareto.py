"""custometrics.spark.pareto: the exact mode equals custometrics.pareto on the same rows (ties,
negatives, several partitions, both boundary rules, both policies for totals <= 0); the fast
mode's bounds hold the exact figures and narrow with eps; bad input fails before the main job.

The amounts are whole numbers (or multiples of 1/4), so every sum is exact whatever the order
Spark adds in, and the figures can be compared for equality."""

import numpy as np
import pandas as pd
import pytest

from spark_session import spark  # noqa: F401

pytest.importorskip("pyspark")

import custometrics as cm  # noqa: E402


def _rows(n_rows=400, n_keys=60, seed=1, negative=True, string_keys=False):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, n_keys, n_rows)
    # Few distinct amounts: many tied totals; some customers net negative or zero.
    amount = rng.choice([-40.0, -5.0, 5.0, 10.0, 20.0, 100.0, 0.25], n_rows,
                        p=[0.05 if negative else 0.0, 0.1, 0.3, 0.2 if negative else 0.25,
                           0.15, 0.05, 0.15])
    frame = pd.DataFrame({"customer": keys.astype(np.int64), "amount": amount})
    if string_keys:
        frame["customer"] = [f"c{k:03d}" if k % 3 else f"C{k}" for k in keys]
    return frame


def _spark_frame(spark, frame, partitions=3):
    return spark.createDataFrame(frame).repartition(partitions)


def _check_equal(got, want):
    # Both paths rank with the core (on the driver, or in chunks: pareto_partition.hpp), whose
    # chunked sums are formed as the one-shot ones: every figure is the same double.
    assert got.n == want.n
    assert got.total == want.total
    assert got.gini == want.gini
    assert got.gini_small_sample == want.gini_small_sample
    assert got.gini_rsv == want.gini_rsv
    assert got.entities_for_80pct == want.entities_for_80pct
    assert got.top20_share == want.top20_share
    assert got.class_counts == want.class_counts
    assert got.class_shares == want.class_shares
    assert got.not_ranked == want.not_ranked
    assert got.not_ranked_total == want.not_ranked_total
    assert got.defined == want.defined
    entities = got.entities.toPandas()
    expected = want.entities
    assert entities["key"].tolist() == expected.index.tolist()
    assert entities["value"].tolist() == expected["value"].tolist()
    assert entities["rank"].tolist() == expected["rank"].tolist()
    assert entities["cum_share"].tolist() == expected["cum_share"].tolist()
    assert entities["class"].tolist() == expected["abc"].astype(str).tolist()
    rest = got.not_ranked_entities.toPandas()
    assert rest["key"].tolist() == want.not_ranked_entities.index.tolist()
    assert rest["value"].tolist() == want.not_ranked_entities["value"].tolist()


# collect_limit: the default ranks these few entities on the driver (the core), 0 in Spark (the
# sort and the distributed prefix sum); the tests of the exact mode run both.
RANKED_ON = {"driver": None, "spark": 0}


def _exact(sdf, ranked_on, **kwargs):
    from custometrics.spark.pareto import pareto_exact

    if RANKED_ON[ranked_on] is not None:
        kwargs["collect_limit"] = RANKED_ON[ranked_on]
    got = pareto_exact(sdf, **kwargs)
    assert got.distributed == (ranked_on == "spark")
    return got


# The four combinations of rule and policy: two here, the other two in the next tests.
@pytest.mark.parametrize("ranked_on", RANKED_ON)
@pytest.mark.parametrize("rule, nonpositive", [("before", "separate"),
                                               ("including", "include")])
def test_exact_equals_core_with_ties_and_negatives(spark, rule, nonpositive, ranked_on):
    frame = _rows(seed=3, negative=nonpositive == "separate")
    want = cm.pareto(frame, by="customer", value="amount", rule=rule, nonpositive=nonpositive)
    assert want.not_ranked > 0 or nonpositive == "include"
    got = _exact(_spark_frame(spark, frame), ranked_on, by="customer", value="amount",
                 rule=rule, nonpositive=nonpositive)
    if ranked_on == "spark":
        assert got._sorted.rdd.getNumPartitions() > 1  # the prefix sum crosses partitions
    _check_equal(got, want)
    got.unpersist()


@pytest.mark.parametrize("ranked_on", RANKED_ON)
@pytest.mark.parametrize("partitions", [1, 2, 5, 8])
def test_exact_equals_core_on_any_partitioning(spark, partitions, ranked_on):
    # Skewed amounts in 1/64ths (every sum exact whatever Spark's order of adding), a few
    # thousand entities with ties and negatives, cut into 1 to 8 partitions of the input and of
    # the totals (spark.sql.shuffle.partitions): the same figures and table as the core's.
    rng = np.random.default_rng(partitions)
    n_rows = 6000
    amount = np.round(rng.lognormal(2.0, 1.5, n_rows) * 64) / 64
    amount[rng.random(n_rows) < 0.1] *= -1
    frame = pd.DataFrame({"customer": rng.integers(0, 2500, n_rows), "amount": amount})
    want = cm.pareto(frame, by="customer", value="amount")
    assert want.not_ranked > 0 and want.n > 1500
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    try:
        got = _exact(_spark_frame(spark, frame, partitions), ranked_on, by="customer",
                     value="amount")
        if ranked_on == "spark" and partitions > 1:
            assert got._sorted.rdd.getNumPartitions() > 1
        _check_equal(got, want)
        got.unpersist()
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", "4")


@pytest.mark.parametrize("nonpositive", ["separate", "include"])
def test_exact_in_spark_across_summation_blocks(spark, nonpositive):
    # 30,000 entities (the core sums in blocks of 8,192 ranks) in 7 partitions of the sorted
    # totals, so partitions begin inside blocks and blocks span partitions: the same bits as
    # the core's one-shot ranking, rank by rank. Lognormal amounts in 1/64ths (exact totals).
    rng = np.random.default_rng(7)
    amount = np.round(rng.lognormal(3.0, 1.6, 30_000) * 64) / 64
    amount[rng.random(30_000) < 0.05] *= -1 if nonpositive == "separate" else 0
    frame = pd.DataFrame({"customer": np.arange(30_000), "amount": amount})
    want = cm.pareto(frame, by="customer", value="amount", nonpositive=nonpositive)
    spark.conf.set("spark.sql.shuffle.partitions", "7")
    try:
        got = _exact(_spark_frame(spark, frame, 3), "spark", by="customer", value="amount",
                     nonpositive=nonpositive)
        assert got._sorted.rdd.getNumPartitions() > 3
        _check_equal(got, want)
        got.unpersist()
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", "4")


@pytest.mark.parametrize("ranked_on", RANKED_ON)
def test_exact_releases_persisted_frames_on_error(spark, ranked_on, monkeypatch):
    # A failure after the totals are persisted (here forced in the driver's last step) leaves
    # nothing persisted behind: the Spark context holds as many persisted RDDs as before.
    import custometrics.spark.pareto as sp

    def boom(*args, **kwargs):
        raise RuntimeError("forced")

    target = "chunk_figures" if ranked_on == "spark" else "pareto"
    if ranked_on == "spark":
        monkeypatch.setattr(sp._core, "chunk_figures", boom)
    else:
        import custometrics.pareto_analysis as pa_mod

        monkeypatch.setattr(pa_mod, "pareto", boom)
    persisted = spark.sparkContext._jsc.getPersistentRDDs().size()
    rows = _spark_frame(spark, _rows(seed=5))
    with pytest.raises(RuntimeError, match="forced"):
        _exact(rows, ranked_on, by="customer", value="amount")
    assert spark.sparkContext._jsc.getPersistentRDDs().size() == persisted, target
    monkeypatch.undo()
    got = _exact(rows, ranked_on, by="customer", value="amount")  # and the same call works
    assert spark.sparkContext._jsc.getPersistentRDDs().size() == persisted + (
        ranked_on == "spark")
    got.unpersist()
    assert spark.sparkContext._jsc.getPersistentRDDs().size() == persisted


@pytest.mark.parametrize("ranked_on", RANKED_ON)
def test_exact_with_negatives_ranked_last(spark, ranked_on):
    # "include" with negative totals: cumulative share rises above 1, negatives in C.
    frame = _rows(seed=5, negative=True)
    want = cm.pareto(frame, by="customer", value="amount", rule="before", nonpositive="include")
    got = _exact(_spark_frame(spark, frame), ranked_on, by="customer", value="amount",
                 rule="before", nonpositive="include")
    assert (want.entities["value"] < 0).any()
    _check_equal(got, want)


@pytest.mark.parametrize("ranked_on", RANKED_ON)
def test_exact_string_keys_products_and_thresholds(spark, ranked_on):
    frame = _rows(seed=7, string_keys=True).rename(columns={"customer": "product"})
    want = cm.pareto(frame, by="product", value="amount", a=0.7, b=0.9, rule="including")
    # Arrow batches of 7 rows: the running sums carry over batches within a partition too.
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "7")
    try:
        got = _exact(_spark_frame(spark, frame, 4), ranked_on, by="product", value="amount",
                     a=0.7, b=0.9, rule="including")
        _check_equal(got, want)
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")


@pytest.mark.parametrize("ranked_on", RANKED_ON)
def test_exact_hand_worked(spark, ranked_on):
    # pareto.hpp's example: 50, 30, 15, 5 (cum 0.5, 0.8, 0.95, 1) and 0 not ranked;
    # Gini (3*50 + 30 - 15 - 3*5) / (4 * 100) = 0.375.
    rows = spark.createDataFrame(
        [("a", 20.0), ("b", 30.0), ("c", 15.0), ("d", 5.0), ("e", 0.0), ("a", 30.0)],
        "channel string, revenue double")
    r = _exact(rows, ranked_on, by="channel", value="revenue")
    assert (r.n, r.total, r.gini, r.entities_for_80pct, r.top20_share) == (4, 100.0, 0.375,
                                                                          0.5, 0.5)
    assert r.class_counts == {"A": 2, "B": 1, "C": 1}
    assert [tuple(x) for x in r.entities.collect()] == [
        ("a", 50.0, 1, 0.5, "A"), ("b", 30.0, 2, 0.8, "A"), ("c", 15.0, 3, 0.95, "B"),
        ("d", 5.0, 4, 1.0, "C")]
    assert (r.not_ranked, r.not_ranked_total) == (1, 0.0)
    assert [tuple(x) for x in r.not_ranked_entities.collect()] == [("e", 0.0)]


@pytest.mark.parametrize("ranked_on", RANKED_ON)
def test_exact_one_entity_and_equal_values(spark, ranked_on):
    # One entity: Gini 0, the whole total in A, top 20% = 1 entity = everything.
    one = _exact(spark.createDataFrame([(9, 2.0), (9, 3.0)], "k int, v double"), ranked_on,
                 by="k", value="v")
    assert (one.n, one.gini, one.top20_share, one.entities_for_80pct) == (1, 0.0, 1.0, 1.0)
    assert [tuple(x) for x in one.entities.collect()] == [(9, 5.0, 1, 1.0, "A")]
    # Ten equal totals: Gini 0; 80% at 8 of 10; before: A = 8 (cum before 0 .. 0.7 < 0.8).
    frame = pd.DataFrame({"k": np.arange(10), "v": np.full(10, 4.0)})
    want = cm.pareto(frame, by="k", value="v")
    got = _exact(_spark_frame(spark, frame), ranked_on, by="k", value="v")
    assert (got.gini, got.entities_for_80pct, got.class_counts["A"]) == (0.0, 0.8, 8)
    _check_equal(got, want)


@pytest.mark.parametrize("ranked_on", RANKED_ON)
def test_exact_nothing_to_rank(spark, ranked_on):
    from custometrics.spark.pareto import pareto_exact

    rows = spark.createDataFrame([(1, -3.0), (2, 0.0), (1, 1.0)], "k long, v double")
    r = _exact(rows, ranked_on, by="k", value="v")
    assert not r.defined
    assert r.reason == "no entity has a value > 0 (2 entities, all <= 0)"
    assert (r.n, r.gini, r.not_ranked, r.not_ranked_total) == (0, 0.0, 2, -2.0)
    assert r.entities.count() == 0
    assert [tuple(x) for x in r.not_ranked_entities.collect()] == [(2, 0.0), (1, -2.0)]
    empty = pareto_exact(rows.limit(0), by="k", value="v", collect_limit=0)  # on the driver
    assert (empty.n, empty.defined, empty.reason, empty.not_ranked) == (0, False,
                                                                        "no entities", 0)
    # A total <= 0 under "include": the core's error (cm.pareto's, message and fields), raised
    # by the core's pareto on the driver or by its combining of the partitions' sums.
    with pytest.raises(cm.DataError) as want:
        cm.pareto(pd.DataFrame({"k": [1, 2, 1], "v": [-3.0, 0.0, 1.0]}), by="k", value="v",
                  nonpositive="include")
    assert str(want.value) == ("values: total is -2 (<= 0) under nonpositive_policy::include: "
                               "shares of the total are undefined")
    with pytest.raises(cm.DataError) as e:
        _exact(rows, ranked_on, by="k", value="v", nonpositive="include")
    assert str(e.value) == str(want.value)
    assert (e.value.argument, e.value.row, e.value.key, e.value.value) == ("values", None, None,
                                                                          "-2")


def _inside(bounds, x):
    est, lo, hi = bounds
    return lo <= x <= hi and lo <= est <= hi


@pytest.mark.parametrize("kind", ["lognormal", "ties", "dominant"])
def test_fast_bounds_hold_the_exact_figures(spark, kind):
    from custometrics.spark.pareto import pareto_fast

    rng = np.random.default_rng(11)
    n = 600
    keys = rng.integers(0, 200, n)
    if kind == "lognormal":
        amount = rng.lognormal(3.0, 2.0, n)
    elif kind == "ties":
        amount = rng.choice([-10.0, 10.0, 20.0, 40.0], n)
    else:
        amount = rng.uniform(0.5, 1.5, n)
        amount[0] = 1e6
    frame = pd.DataFrame({"customer": keys, "amount": amount})
    sdf = _spark_frame(spark, frame)
    want_by_rule = {rule: cm.pareto(frame, by="customer", value="amount", rule=rule)
                    for rule in ("before", "including")}
    widths = []
    for eps, rule in ((0.5, "before"), (0.05, "including"), (0.005, "before")):
        want = want_by_rule[rule]
        got = pareto_fast(sdf, by="customer", value="amount", eps=eps, rule=rule)
        assert (got.n, got.not_ranked) == (want.n, want.not_ranked)
        assert got.total == pytest.approx(want.total, rel=1e-12)
        assert got.not_ranked_total == pytest.approx(want.not_ranked_total, rel=1e-12)
        assert _inside(got.gini, want.gini)
        assert _inside(got.gini_small_sample, want.gini_small_sample)
        assert _inside(got.entities_for_80pct, want.entities_for_80pct)
        assert _inside(got.top20_share, want.top20_share)
        assert _inside(got.top_share(0.5), want.top_share(0.5))
        assert _inside(got.entities_for_share(0.5), want.entities_for_share(0.5))
        for c in "ABC":
            assert _inside(got.class_counts[c], want.class_counts[c])
            assert _inside(got.class_shares[c], want.class_shares[c])
        widths.append(got.gini[2] - got.gini[1])
    assert widths[0] >= widths[1] >= widths[2]
    if kind == "lognormal":
        assert widths[2] < widths[0] / 10


def test_fast_hand_worked_exact_when_each_value_has_its_bin(spark):
    from custometrics.spark.pareto import pareto_fast

    rows = spark.createDataFrame(
        [("a", 50.0), ("b", 30.0), ("c", 15.0), ("d", 5.0), ("e", 0.0)],
        "customer string, revenue double").repartition(2)
    f = pareto_fast(rows, by="customer", value="revenue")
    assert (f.n, f.total, f.not_ranked, f.bins) == (4, 100.0, 1, 4)
    # Exact up to the allowance for rounding, 4 (n + 2) 2^-53 = 2.7e-15.
    assert f.gini == pytest.approx((0.375, 0.375, 0.375), abs=3e-15)
    assert f.gini[2] - f.gini[1] > 0
    assert f.top20_share == pytest.approx((0.5, 0.5, 0.5), abs=3e-15)
    assert f.entities_for_80pct == (0.5, 0.5, 0.5)
    assert f.class_counts["A"] == (2.0, 2.0, 2.0)
    # One octave bin (eps = 1) holding 7, 6, 5, 4: Gini within [9/88, 12/88] (pareto_sketch.hpp).
    rows = spark.createDataFrame([(1, 7.0), (2, 6.0), (3, 5.0), (4, 4.0)], "k long, v double")
    g = pareto_fast(rows, by="k", value="v", eps=1.0)
    assert g.gini[1:] == pytest.approx((9 / 88, 12 / 88))
    empty = pareto_fast(rows.limit(0), by="k", value="v")
    assert not empty.defined and empty.reason == "no entities"


def test_bad_input_fails_before_the_main_job(spark):
    from custometrics.spark.pareto import pareto_exact, pareto_fast

    def distributed(*args, **kwargs):
        return pareto_exact(*args, collect_limit=0, **kwargs)

    rows = spark.createDataFrame([(1, "x", 3.0), (None, "y", 1.0), (2, "z", float("nan"))],
                                 "k long, s string, v double")
    for run in (pareto_exact, distributed, pareto_fast):
        with pytest.raises(ValueError, match=r"by: column 'nope' not found"):
            run(rows, by="nope", value="v")
        with pytest.raises(ValueError, match=r"value: column 's' of the DataFrame has type "
                           r"string; expected numbers"):
            run(rows, by="k", value="s")
        with pytest.raises(ValueError, match=r"by: column 'k' of the DataFrame holds nulls"):
            run(rows, by="k", value="v")
        with pytest.raises(ValueError, match=r"value: column 'v' of the DataFrame holds NaN"):
            run(rows.filter("k is not null"), by="k", value="v")
        with pytest.raises(cm.InputError, match=r"rule: expected 'before' or 'including'") as e:
            run(rows, by="k", value="v", rule="after")
        assert (e.value.argument, e.value.value) == ("rule", "after")
        with pytest.raises(ValueError, match=r"b: the B threshold"):
            run(rows, by="k", value="v", a=0.9, b=0.8)
        with pytest.raises(TypeError, match=r"df: expected a pyspark.sql.DataFrame"):
            run(pd.DataFrame({"k": [1]}), by="k", value="v")
    for eps in (0.0, -1.0, float("nan"), 2.0):
        with pytest.raises(ValueError, match=r"eps: the relative bin width must be in \(0, 1\]"):
            pareto_fast(rows, by="k", value="v", eps=eps)
    with pytest.raises(ValueError, match=r"nonpositive: expected 'separate' or 'include'"):
        pareto_exact(rows, by="k", value="v", nonpositive="drop")
    with pytest.raises(cm.InputError, match=r"eps: expected a number, got 'x'") as e:
        pareto_fast(rows, by="k", value="v", eps="x")
    assert (e.value.argument, e.value.value) == ("eps", "x")
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(cm.InputError, match=r"collect_limit: expected an integer >= 0") as e:
            pareto_exact(rows, by="k", value="v", collect_limit=bad)
        assert e.value.argument == "collect_limit"
    # The rows' check is folded into the totals: a bad row makes its entity's total NaN or
    # infinite, or (a null key) an entity of its own; the error is the check's, with its fields:
    # the argument, the column and the bad value, the message one bad row.
    cases = [
        ("k long, v double", [(1, 3.0), (None, 1.0)], "by", "k", None,
         r"^by: column 'k' of the DataFrame holds nulls \(1 row; one is the row v=1.0\)$"),
        ("k string, v int", [("a", 3), ("b", None), ("b", 2)], "value", "v", None,
         r"^value: column 'v' of the DataFrame holds nulls \(1 row; one is the row k='b'\)$"),
        ("k long, v double", [(1, 3.0), (2, float("inf")), (3, float("-inf"))], "value", "v",
         "inf", r"^value: column 'v' of the DataFrame holds NaN or infinite values \(2 rows; "),
        ("k long, v float", [(1, 3.0), (1, float("nan"))], "value", "v", "nan",
         r"^value: column 'v' of the DataFrame holds NaN or infinite values \(1 row; one is "
         r"the row k=1\)$"),
    ]
    for schema, data, argument, column, value, message in cases:
        frame = spark.createDataFrame(data, schema)
        for run in (pareto_exact, distributed, pareto_fast):
            with pytest.raises(cm.DataError, match=message) as e:
                run(frame, by="k", value="v")
            assert (e.value.argument, e.value.column) == (argument, column)
            if value != "inf":  # either infinity may be the row shown
                assert e.value.value == value
    # Finite amounts whose total per entity overflows (10^308 + 10^308): the entity is named,
    # in both modes by a DataError raised on the driver with its fields (the fast mode's
    # executors count the overflow; an error raised there would reach the driver as text only).
    big = spark.createDataFrame([(1, 1.0), (2, 1e308), (2, 1e308)], "k long, v double")
    for run in (pareto_exact, distributed, pareto_fast):
        with pytest.raises(cm.DataError, match=r"^value: column 'v': the total of k 2 is inf "
                           r"\(the sum of its values overflows a double\)$") as e:
            run(big, by="k", value="v")
        assert (e.value.argument, e.value.column, e.value.key, e.value.value) == (
            "value", "v", "2", "inf")


def test_totals_near_the_largest_double(spark):
    """Totals whose sum or Gini sums come near 1.8e308: the core's rules on both ranking paths
    (driver and Spark), checked against the core's own figures (cm.pareto)."""
    from custometrics.spark.pareto import pareto_exact

    for values in ([1e308, 7e307, 1.0],        # total finite; Gini's sum 2e308 overflows: 0
                   [0.8e308, 0.5e308, 0.1e308]):  # n * total overflows, Gini 1/3 does not
        rows = spark.createDataFrame(list(enumerate(values)), "k long, v double")
        want = cm.pareto(pd.Series(values))
        for limit in ({}, {"collect_limit": 0}):  # on the driver, then in Spark
            got = pareto_exact(rows, by="k", value="v", **limit)
            assert got.total == want.total
            assert got.gini == want.gini
    assert cm.pareto(pd.Series([0.8e308, 0.5e308, 0.1e308])).gini == pytest.approx(1 / 3)
    # A total that overflows: an error on both paths, never an infinite total.
    rows = spark.createDataFrame([(1, 1e308), (2, 1e308), (3, 1.0)], "k long, v double")
    for limit in ({}, {"collect_limit": 0}):
        with pytest.raises(cm.DataError, match="overflows"):
            pareto_exact(rows, by="k", value="v", **limit)
