"""Side-by-side: the per-customer summary from a CSV file on disk, in Python.

``cm.summarize(path)`` (the core reads and summarizes the file: no frame in between, the GIL
released) against each Python reader followed by ``cm.summarize`` of what it read: pandas'
``read_csv``, pyarrow's ``csv.read_csv`` (the Arrow table goes to the core without pandas) and
polars' ``read_csv``. Every frame is checked equal to the path's (exactly) before any time is
reported. Then the copies avoided on Arrow input: the bytes numpy allocates while summarizing the
Arrow table directly and through ``Table.to_pandas()`` (tracemalloc's peak, the result's own
arrays included in both).

    python benchmarks/compare_summary_csv.py [--rows 2000000] [--customers 200000] [--repeat 5]

Runs are interleaved (one of each tool per round) and the median of --repeat rounds is
reported, as CPU time of the process (all its threads) and wall time: the machine is shared,
and CPU time is the fairer figure when other work competes for the cores.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import tracemalloc

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import polars as pl

import custometrics as cm


def write_log(path: str, rows: int, customers: int, seed: int = 2024) -> None:
    """A generated log (`customer_id,date,amount`, rows in random order) written as CSV."""
    rng = np.random.default_rng(seed)
    day = np.datetime64("2020-01-01") + rng.integers(0, 730, size=rows)
    frame = pd.DataFrame({
        "customer_id": rng.integers(1, customers + 1, size=rows, dtype=np.int64),
        "date": np.datetime_as_string(day, unit="D"),
        "amount": np.round(rng.gamma(2.0, 25.0, size=rows), 2),
    })
    frame.to_csv(path, index=False)


def timed(fn):
    """(wall seconds, CPU seconds of the process, result) of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def numpy_peak(fn) -> int:
    """Peak bytes traced (numpy's allocations among them) during one call."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "log.csv")
        write_log(path, args.rows, args.customers)
        mb = os.path.getsize(path) / 1e6
        print(f"{args.rows:,} rows, {args.customers:,} customers, {mb:.0f} MB of CSV; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        tools = {
            "cm.summarize(path)": lambda: cm.summarize(path),
            "pandas read_csv + summarize": lambda: cm.summarize(pd.read_csv(path)),
            "pyarrow read_csv + summarize": lambda: cm.summarize(pacsv.read_csv(path)),
            "polars read_csv + summarize": lambda: cm.summarize(pl.read_csv(path)),
        }
        want = tools["cm.summarize(path)"]()
        for name, fn in tools.items():
            pd.testing.assert_frame_equal(fn(), want, check_exact=True, obj=name)
        print(f"all {len(tools)} frames equal ({len(want):,} customers)", flush=True)

        times = {name: [] for name in tools}
        for _ in range(args.repeat):
            for name, fn in tools.items():
                wall, cpu, _ = timed(fn)
                times[name].append((wall, cpu))
        base_wall = statistics.median(w for w, _ in times["cm.summarize(path)"])
        base_cpu = statistics.median(c for _, c in times["cm.summarize(path)"])
        print(f"\n{'medians of ' + str(args.repeat):<32}{'wall s':>8}{'ratio':>8}"
              f"{'CPU s':>8}{'ratio':>8}")
        for name, runs in times.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            print(f"{name:<32}{wall:>8.3f}{wall / base_wall:>7.2f}x{cpu:>8.3f}"
                  f"{cpu / base_cpu:>7.2f}x")

        table = pacsv.read_csv(path)
        direct = numpy_peak(lambda: cm.summarize(table))
        via_pandas = numpy_peak(lambda: cm.summarize(table.to_pandas()))
        print(f"\nArrow table of {table.nbytes / 1e6:.0f} MB: traced peak {direct / 1e6:.0f} MB "
              f"summarized directly, {via_pandas / 1e6:.0f} MB through to_pandas() "
              f"({(via_pandas - direct) / 1e6:.0f} MB of copies avoided)")
        print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
