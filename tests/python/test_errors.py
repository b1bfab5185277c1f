"""Errors raised through the compiled core: custometrics.InputError, DataError and ParseError,
subclasses of custometrics.Error and ValueError, carrying the core's fields as attributes
(argument, row, key, column, value; source and line for a ParseError)."""

import numpy as np
import pandas as pd
import pytest

import custometrics as cm


def test_classes():
    assert issubclass(cm.Error, ValueError)
    assert issubclass(cm.InputError, cm.Error)
    assert issubclass(cm.DataError, cm.Error)
    assert issubclass(cm.ParseError, cm.DataError)
    assert not issubclass(cm.InputError, cm.DataError)


def test_data_error_names_row_key_and_value():
    # Customer "B" buys on 2020-01-03, after the observation end 2020-01-02: row 1 of the log.
    log = pd.DataFrame({"customer_id": ["A", "B"],
                        "date": pd.to_datetime(["2020-01-01", "2020-01-03"]),
                        "amount": [5.0, 7.0]})
    with pytest.raises(cm.DataError, match="after the observation end") as e:
        cm.summarize(log, observation_end="2020-01-02")
    assert e.value.argument == "time"
    assert e.value.row == 1
    assert e.value.key == "B"
    assert e.value.value == "2020-01-03"
    assert not isinstance(e.value, cm.ParseError)


def test_retention_model_names_the_customer_position():
    bg = cm.BetaGeoModel().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    # Customer 1 has recency 5 above T = 4.
    with pytest.raises(cm.DataError) as e:
        bg.conditional_probability_alive(np.array([1.0, 2.0]), np.array([1.0, 5.0]),
                                         np.array([3.0, 4.0]))
    assert (e.value.argument, e.value.row, e.value.value) == ("recency", 1, "5")
    # The core's check of the prediction (once: the binding no longer checks before it).
    assert str(e.value) == "recency: customer 1: value 5 is above T (4)"


def test_input_error_names_the_argument():
    with pytest.raises(cm.InputError) as e:
        cm.summarize(pd.DataFrame({"customer_id": [1], "date": pd.to_datetime(["2020-01-01"]),
                                   "amount": [1.0]}), unit_scale=-1)
    assert e.value.row is None
    assert e.value.argument is not None and "unit_scale" in str(e.value)


def test_parse_error_names_file_line_column_value(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("customer_id,date,amount\nA,2020-01-01,5\nB,2020-01-03,abc\n")
    with pytest.raises(cm.ParseError) as e:
        cm.read_transactions(str(path))
    assert e.value.source == str(path)
    assert e.value.line == 3
    assert e.value.column == "amount"
    assert e.value.value == "abc"
    assert e.value.row == 2
    assert isinstance(e.value, cm.DataError) and isinstance(e.value, ValueError)


def test_fields_default_to_none():
    # An error raised from Python code has every attribute too.
    e = cm.DataError("something")
    assert (e.argument, e.row, e.key, e.column, e.value) == (None, None, None, None, None)
    assert cm.ParseError("x").line is None


def test_spend_fit_names_the_customer_by_its_own_position():
    # Customer 3 (frequency 1.5) is bad; the fit's sample holds only customers 2, 3, 4.
    with pytest.raises(cm.DataError) as e:
        cm.GammaGammaModel().fit(np.array([0.0, 0.0, 2.0, 1.5, 3.0]),
                                 np.array([0.0, 0.0, 20.0, 30.0, 40.0]))
    assert (e.value.argument, e.value.row, e.value.value) == ("frequency", 3, "1.5")


def test_unsigned_arguments_are_input_errors_naming_argument_and_value():
    # One caster (count<"name"> in common.hpp) for every unsigned argument of _core: a negative
    # or too large value is an InputError with the argument and value, not pybind11's TypeError
    # listing the signatures (800+ characters before).
    for call, argument, value in [
        (lambda: cm.pareto([3.0, 1.0], threads=-1), "threads", "-1"),
        (lambda: cm.gini([3.0, 1.0], threads=2**32), "threads", "4294967296"),
        (lambda: cm.rfm(recency=[1.0, 2.0], frequency=[1.0, 2.0], monetary=[1.0, 2.0], bins=-3),
         "bins", "-3"),
    ]:
        with pytest.raises(cm.InputError) as e:
            call()
        assert (e.value.argument, e.value.value) == (argument, value)
        assert len(str(e.value)) < 100 and isinstance(e.value, ValueError)


def test_python_checks_raise_structured_errors():
    # The pure-Python checks raise InputError / DataError with their fields (still ValueErrors).
    with pytest.raises(cm.InputError) as e:
        cm.set_num_threads(-2)
    assert (e.value.argument, e.value.value) == ("threads", "-2")
    with pytest.raises(cm.InputError) as e:
        cm.pareto([3.0, 1.0], a=1.5)
    assert e.value.argument == "a"
    # A float key that is not an integer: row 1 of the customer column.
    frame = pd.DataFrame({"customer_id": [1.0, 2.5], "date": ["2020-01-01", "2020-01-02"],
                          "amount": [1.0, 2.0]})
    with pytest.raises(cm.DataError) as e:
        cm.summarize(frame)
    assert (e.value.argument, e.value.row) == ("customer_id", 1)
    assert isinstance(e.value, ValueError)
