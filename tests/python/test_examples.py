"""The Examples sections of the public docstrings run and print what they say."""

import doctest

import pytest

import custometrics.aggregation
import custometrics.io
import custometrics.summary
import custometrics.synthetic


@pytest.mark.parametrize("module", [custometrics.summary, custometrics.aggregation,
                                    custometrics.io, custometrics.synthetic])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
