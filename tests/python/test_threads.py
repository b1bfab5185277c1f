"""Process-wide defaults (issue 17): the threads every call with threads=0 uses, from
set_num_threads or CUSTOMETRICS_NUM_THREADS, and the block cache off in the Python package."""

import os
import subprocess
import sys

import pytest

import custometrics as cm


def _in_fresh_process(code, **env):
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, **env),
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_set_num_threads_round_trip():
    try:
        cm.set_num_threads(1)
        assert cm.get_num_threads() == 1
        # threads=0 now means one thread: the same answers as asking for one explicitly.
        v = [3.0, 1.0, 2.0, 5.0]
        assert cm.gini(v) == cm.gini(v, threads=1)
    finally:
        cm.set_num_threads(0)
    assert cm.get_num_threads() >= 1


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_set_num_threads_refuses(bad):
    with pytest.raises((ValueError, TypeError)):
        cm.set_num_threads(bad)


def test_environment_variables_read_at_start():
    code = "import custometrics as cm; print(cm.get_num_threads(), cm.block_cache_size())"
    assert _in_fresh_process(code, CUSTOMETRICS_NUM_THREADS="3") == "3 0"
    # A bad value is ignored (a library must not fail on it): all hardware threads.
    assert int(_in_fresh_process(code, CUSTOMETRICS_NUM_THREADS="lots").split()[0]) >= 1
    limit = _in_fresh_process(
        "import numpy as np, custometrics as cm\n"
        "k = np.arange(3_000_000) % 1_000_000\n"
        "cm.pareto({'c': k, 'v': np.ones(3_000_000)}, by='c', value='v')\n"
        "print(cm.block_cache_size() > 0)",
        CUSTOMETRICS_BLOCK_CACHE_BYTES=str(256 * 2**20))
    assert limit == "True"


def test_spark_executor_setup_one_thread_no_cache_no_progress(monkeypatch):
    """What custometrics.spark runs first in every executor function: one thread per task
    (Spark runs a task per core), no cache of freed blocks, no progress bars."""
    pytest.importorskip("pyspark")
    from custometrics.spark._checks import executor_setup

    seen = []
    monkeypatch.delenv("CUSTOMETRICS_NUM_THREADS", raising=False)
    try:
        cm.set_progress(lambda *report: seen.append(report))
        cm.set_block_cache_limit(2**20)
        executor_setup()
        assert cm.get_num_threads() == 1 and cm.block_cache_size() == 0
        cm.generate(customers=100, start="2024-01-01", end="2024-01-31", seed=1)
        assert seen == []
        cm.set_num_threads(0)
        monkeypatch.setenv("CUSTOMETRICS_NUM_THREADS", "3")
        executor_setup()  # the environment variable is the user's choice: kept
        assert cm.get_num_threads() != 1 or os.cpu_count() == 1
    finally:
        cm.set_num_threads(0)
        cm.set_block_cache_limit(0)
        cm.set_progress(True)
