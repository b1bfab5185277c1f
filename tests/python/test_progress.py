"""Progress of the long calls (issue 17): the core's reports (include/custometrics/progress.hpp)
through custometrics.set_progress, tqdm bars when tqdm is installed, KeyboardInterrupt through a
call, and the CLI's one-line bar on standard error only when that is a terminal."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import custometrics as cm
from cli_tool import cli


@pytest.fixture
def reports():
    seen = []
    cm.set_progress(lambda stage, done, total: seen.append((stage, done, total)))
    yield seen
    cm.set_progress(True)


def _stage(seen, stage):
    return [(d, t) for s, d, t in seen if s == stage]


def test_generate_reports_each_percent_and_its_end(reports):
    cm.generate(customers=1000, start="2024-01-01", end="2024-06-30", seed=3)
    steps = _stage(reports, "generate")
    # Every 10th customer (1000 / 100) from 0 to 990, then 1000 of 1000 at the end.
    assert [d for d, _ in steps] == list(range(0, 1000, 10)) + [1000]
    assert {t for _, t in steps} == {1000}


def test_read_fit_and_report_reach_their_totals(reports, tmp_path):
    log = cm.generate(customers=300, start="2023-01-01", end="2023-12-31", seed=5)
    path = tmp_path / "log.csv"
    log.to_csv(path, index=False)
    reports.clear()
    back = cm.read_transactions(path)
    read = _stage(reports, "read")
    assert read and read[-1][0] == read[-1][1] > 0  # rows (a stream) or bytes (mapped file)
    assert len(back) == len(log)

    reports.clear()
    s = cm.summarize(back)
    model = cm.BetaGeoModel().fit(s)
    fit = _stage(reports, "fit")
    # One report per evaluation of the likelihood (total unknown), then evaluations of
    # evaluations: the number the fit report counts.
    evaluations = model.fit_report_.function_evaluations
    assert fit[-1] == (evaluations, evaluations)
    assert [d for d, _ in fit[:-1]] == list(range(1, evaluations + 1))

    reports.clear()
    cm.report(back)
    assert _stage(reports, "report") == [(k, 5) for k in range(6)]
    assert _stage(reports, "fit")  # the report's model choice fits, reported in between


def test_a_callback_exception_stops_the_call(reports):
    def interrupt(stage, done, total):
        if stage == "generate" and done >= 500:
            raise KeyboardInterrupt

    cm.set_progress(interrupt)
    with pytest.raises(KeyboardInterrupt):
        cm.generate(customers=1000, start="2024-01-01", end="2024-06-30", seed=3)
    s = cm.summarize(cm.generate(customers=200, start="2023-01-01", end="2023-12-31", seed=5))

    def interrupt_fit(stage, done, total):
        if stage == "fit" and done == 3:
            raise KeyboardInterrupt

    cm.set_progress(interrupt_fit)
    with pytest.raises(KeyboardInterrupt):  # not taken for a failed line search and retried
        cm.BetaGeoModel().fit(s)
    cm.set_progress(None)
    assert cm.BetaGeoModel().fit(s).params_["r"] > 0  # the package still works


def test_other_threads_report_nothing(reports):
    out = []
    t = threading.Thread(target=lambda: out.append(
        cm.generate(customers=500, start="2024-01-01", end="2024-03-31", seed=1)))
    t.start()
    t.join()
    assert len(out[0]) > 0 and reports == []


def test_tqdm_bars_one_per_stage(monkeypatch):
    made = []

    class FakeTqdm:
        def __init__(self, total=None, desc=None, delay=0, leave=True):
            self.total, self.desc, self.n, self.closed = total, desc, 0, False
            made.append(self)

        def update(self, k):
            self.n += k

        def close(self):
            self.closed = True

    module = type(sys)("tqdm.auto")
    module.tqdm = FakeTqdm
    monkeypatch.setitem(sys.modules, "tqdm", type(sys)("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", module)
    try:
        cm.set_progress(True)
        cm.generate(customers=400, start="2024-01-01", end="2024-03-31", seed=1)
    finally:
        monkeypatch.undo()
        cm.set_progress(True)
    (bar,) = made
    assert (bar.desc, bar.total, bar.n, bar.closed) == ("generate", 400, 400, True)


def test_progress_off_by_environment_and_without_tqdm(tmp_path):
    fake = tmp_path / "tqdm"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "auto.py").write_text(
        "class tqdm:\n"
        "    def __init__(self, **kw): print('BAR', kw['desc'])\n"
        "    n = 0\n    total = None\n"
        "    def update(self, k): pass\n    def close(self): pass\n")
    code = ("import custometrics as cm; "
            "cm.generate(customers=50, start='2024-01-01', end='2024-01-31', seed=1)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path))
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout
    assert shown.strip() == "BAR generate"
    env["CUSTOMETRICS_PROGRESS"] = "0"
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True).stdout == ""


def test_cli_bar_only_on_a_terminal(tmp_path):
    exe = cli()
    args = [exe, "generate", "--customers", "2000", "--out", str(tmp_path / "g.csv")]
    piped = subprocess.run(args, capture_output=True, text=True, check=True)
    assert "\r" not in piped.stderr and "generate" not in piped.stderr
    master, slave = os.openpty()
    try:
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=slave, check=True)
        os.close(slave)
        drawn = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(master)
    text = drawn.decode()
    # Redrawn in place: one line per whole percent, the last at 100% with a newline.
    assert text.count("\r\033[K") == 101  # (the terminal adds a \r to the final \n)
    assert "generate   [" + "#" * 30 + "] 100% 2000/2000" in text
    assert text.rstrip("\r\n").endswith("100% 2000/2000")
