"""The Python half of issue 16's adversarial table (tests/adversarial/cases.json).

Each case with a "python" entry runs its code in a scratch folder holding the case's files and
expects the named custometrics exception with the message part, or a value for which the
case's "check" expression holds. The CLI half is tests/adversarial/run_cli.py.
"""
import json
import pathlib

import numpy as np
import pandas as pd
import pytest

import custometrics as cm

_CASES = [c for c in json.loads(
    (pathlib.Path(__file__).parent.parent / "adversarial" / "cases.json").read_text())["cases"]
    if "python" in c]


@pytest.mark.parametrize("case", _CASES, ids=[c["name"] for c in _CASES])
def test_adversarial(case, tmp_path, monkeypatch):
    for name, content in case.get("files", {}).items():
        (tmp_path / name).write_text(content, newline="", errors="surrogateescape")
    monkeypatch.chdir(tmp_path)
    py = case["python"]
    scope = {"cm": cm, "pd": pd, "np": np}
    if "error" in py:
        with pytest.raises(getattr(cm, py["error"])) as info:
            eval(py["code"], scope)
        assert py["message"] in str(info.value)
        assert "\n" not in str(info.value)
        for field, want in py.get("fields", {}).items():  # the structured error's fields
            assert getattr(info.value, field) == want, field
    else:
        r = eval(py["code"], scope)
        assert eval(py["check"], {**scope, "r": r}), r


def test_the_table_has_python_cases():
    assert len(_CASES) >= 6
