"""The Examples sections of the public docstrings run and print what they say."""

import doctest
import importlib

import pytest

# By name: the package attribute `custometrics.pareto` is the function, not the module.
MODULES = ["custometrics.summary", "custometrics.aggregation", "custometrics.io",
           "custometrics.synthetic", "custometrics.pareto_analysis", "custometrics.cvp",
           "custometrics.retention", "custometrics.loyalty_types", "custometrics.segmentation",
           "custometrics.reporting", "custometrics.programme",
           "custometrics.plot", "custometrics.memory", "custometrics.lifetimes_compat",
           "custometrics._display"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name == "custometrics.plot":
        pytest.importorskip("matplotlib")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    if name == "custometrics.plot":
        import matplotlib.pyplot as plt

        plt.close("all")
    assert result.attempted > 0
    assert result.failed == 0
