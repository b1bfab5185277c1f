"""Side-by-side from a CSV file on disk: the custometrics CLI vs DuckDB and polars, end to end.

A generated log `customer_id,date,amount` (default 10,000,000 rows, 1,000,000 customers: the
log of compare_summary.py's `make_log`) is written once as CSV. Each task then runs, from that
file to its result written as CSV:
- summary: the lifetimes-definition summary per customer (frequency, recency, T,
  monetary_value; one purchase period a day, observation end = the last date):
  `custometrics summarize log.csv --out s.csv`, and the same in DuckDB SQL and polars;
- pareto: revenue per customer ranked (value descending, ties by key), cumulative share and ABC
  class (class A while the share *before* the customer is below 0.8, B below 0.95, else C):
  `custometrics pareto log.csv --out p.csv`, and the same with window functions;
- rfm: recency, frequency and monetary scores 1..5 per customer as the core bins them (rfm.hpp,
  the default `--ties grouped`): recency = days from the last purchase row to the day after the
  last purchase of the log, frequency = purchase rows (amount >= 0), monetary = net revenue;
  each dimension in ascending order, position p = 0..n-1 in bin b(p) = ceil(p * 5 / (n - 1)) - 1,
  a tie group wholly in the bin of its first position (`rank()` - 1 in SQL, ``rank("min")`` - 1
  in polars); scores b + 1, recency 5 - b: `custometrics rfm log.csv --out r.csv`. The core's
  revenue is the correctly rounded sum of the amounts (Neumaier, accumulators.hpp); for ties in
  monetary to be the same ties, the peers sum exactly too: each amount a (a multiple of 0.01,
  so of 2^-59 below 2^53 * 2^-59) as hi = floor(a * 2^19) and lo = (a * 2^19 - hi) * 2^40,
  both summed as integers, then hi * 2^-19 + lo * 2^-59 in one rounding.

Each tool runs in its own process (the CLI; `python compare_csv.py --worker ...` for a peer),
paired and interleaved (custometrics, DuckDB, polars, custometrics, ...). Before any time is
shown, the three result files of every task are read back and checked equal (summary: every
column to 1e-9 relative; pareto: value, cumulative share and class rank by rank, revenue
customer by customer: customers tied in cents may swap ranks, as each tool sums in its own
order; rfm: every customer's recency, frequency, monetary value and R, F, M scores exactly). Reported per tool: the median wall time and the median CPU time (user + sys of the
child, `getrusage`), for the whole process and, for a peer, inside its process (the query
alone, without Python's start and the import: the figure most favourable to the peer); and per
pair the median of the per-repeat ratios. The load average is printed before and after: on a
shared machine compare CPU times.

    bash benchmarks/setup_peers.sh       # .venv-bench with duckdb, polars, pyarrow
    .venv-bench/bin/python benchmarks/compare_csv.py [--rows N] [--customers N] [--repeat 5]
        [--threads 2] [--cli build/release/custometrics] [--scratch DIR]
        [--tasks summary,pareto,rfm]
        [--baseline OLD_CLI]     # an earlier build timed in the same rounds; its files must be
                                 # byte-identical to --cli's

Peers write their rows in their own order (not sorted by customer, which spares them a sort
the CLI's output has); the check sorts them.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOLS = ("custometrics", "duckdb", "polars")
BASELINE = "custometrics-old"  # --baseline: an earlier build, its output must be byte-identical

# --- the peers' programs (run in a worker process) ----------------------------------------------

DUCKDB_READ = ("read_csv('{csv}', header = true, "
               "columns = {{'customer_id': 'BIGINT', 'date': 'DATE', 'amount': 'DOUBLE'}})")

DUCKDB_SQL = {
    # One row per customer and day (lifetimes' purchase periods), then per customer.
    "summary": """
COPY (
  WITH days AS (SELECT customer_id, date, sum(amount) AS amount FROM {read} GROUP BY ALL),
       e AS (SELECT max(date) AS obs_end FROM days)
  SELECT customer_id,
         count(*) - 1 AS frequency,
         date_diff('day', min(date), max(date)) AS recency,
         date_diff('day', min(date), any_value(e.obs_end)) AS T,
         CASE WHEN count(*) > 1 THEN (sum(amount) - arg_min(amount, date)) / (count(*) - 1)
              ELSE 0 END AS monetary_value
  FROM days, e GROUP BY customer_id
) TO '{out}' (HEADER, DELIMITER ',')""",
    "pareto": """
COPY (
  WITH t AS (SELECT customer_id AS key, sum(amount) AS value FROM {read} GROUP BY ALL),
       r AS (SELECT key, value,
                    row_number() OVER w AS rank,
                    sum(value) OVER (w ROWS UNBOUNDED PRECEDING) AS running,
                    sum(value) OVER () AS total
             FROM t WHERE value > 0 WINDOW w AS (ORDER BY value DESC, key))
  SELECT key, value, rank, running / total AS cum_share,
         CASE WHEN (running - value) / total < 0.8 THEN 'A'
              WHEN (running - value) / total < 0.95 THEN 'B' ELSE 'C' END AS class
  FROM r ORDER BY rank
) TO '{out}' (HEADER, DELIMITER ',')""",
    # The values per customer (the exact sum of the amounts rounded once, see the top), then
    # per dimension the bin of the first position of the value's tie group.
    "rfm": """
COPY (
  WITH c AS (
    SELECT customer_id,
           max(date) FILTER (WHERE amount >= 0) AS last,
           count(*) FILTER (WHERE amount >= 0) AS frequency,
           sum(floor(amount * 524288)::BIGINT) AS hi,
           sum(((amount * 524288 - floor(amount * 524288)) * 1099511627776)::BIGINT) AS lo
    FROM {read} GROUP BY customer_id HAVING count(*) FILTER (WHERE amount >= 0) > 0),
  v AS (
    SELECT customer_id, date_diff('day', last, max(last) OVER () + 1) AS recency, frequency,
           CAST(hi + (lo // 1099511627776) AS DOUBLE) / 524288
             + CAST(lo % 1099511627776 AS DOUBLE) / 576460752303423488 AS monetary,
           count(*) OVER () AS n
    FROM c),
  p AS (
    SELECT *, rank() OVER (ORDER BY recency) - 1 AS pr,
              rank() OVER (ORDER BY frequency) - 1 AS pf,
              rank() OVER (ORDER BY monetary) - 1 AS pm FROM v)
  SELECT customer_id, recency, frequency, monetary,
         5 - CASE WHEN pr = 0 OR n = 1 THEN 0 ELSE (pr * 5 + n - 2) // (n - 1) - 1 END AS r_score,
         1 + CASE WHEN pf = 0 OR n = 1 THEN 0 ELSE (pf * 5 + n - 2) // (n - 1) - 1 END AS f_score,
         1 + CASE WHEN pm = 0 OR n = 1 THEN 0 ELSE (pm * 5 + n - 2) // (n - 1) - 1 END AS m_score
  FROM p
) TO '{out}' (HEADER, DELIMITER ',')""",
}


def run_duckdb(task: str, csv: str, out: str, threads: int) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute(DUCKDB_SQL[task].format(read=DUCKDB_READ.format(csv=csv), out=out))


def run_polars(task: str, csv: str, out: str, threads: int) -> None:
    # POLARS_MAX_THREADS is set by the caller before polars is imported.
    import polars as pl

    log = pl.scan_csv(csv, schema={"customer_id": pl.Int64, "date": pl.Date, "amount": pl.Float64})
    if task == "summary":
        days = log.group_by("customer_id", "date").agg(pl.col("amount").sum())
        q = (days.with_columns(obs_end=pl.col("date").max())
             .group_by("customer_id").agg(
                 frequency=pl.len() - 1,
                 recency=(pl.col("date").max() - pl.col("date").min()).dt.total_days(),
                 T=(pl.col("obs_end").first() - pl.col("date").min()).dt.total_days(),
                 monetary_value=pl.when(pl.len() > 1)
                 .then((pl.col("amount").sum() - pl.col("amount").sort_by("date").first())
                       / (pl.len() - 1))
                 .otherwise(0.0)))
    elif task == "rfm":
        scaled = pl.col("amount") * 524288.0
        bought = pl.col("amount") >= 0
        c = (log.group_by("customer_id").agg(
                last=pl.col("date").filter(bought).max(),
                frequency=bought.sum(),
                hi=scaled.floor().cast(pl.Int64).sum(),
                lo=((scaled - scaled.floor()) * 1099511627776.0).cast(pl.Int64).sum())
             .filter(pl.col("frequency") > 0))
        lo = pl.col("lo")
        v = c.select(
            "customer_id",
            recency=(pl.col("last").max() + pl.duration(days=1) - pl.col("last")).dt.total_days(),
            frequency="frequency",
            monetary=(pl.col("hi") + lo // 1099511627776).cast(pl.Float64) / 524288.0
            + (lo % 1099511627776).cast(pl.Float64) / 576460752303423488.0)
        n = pl.len()

        def score(col: str) -> pl.Expr:  # the 0-based bin of the first position of the ties
            p = pl.col(col).rank("min").cast(pl.Int64) - 1
            return pl.when((p == 0) | (n == 1)).then(0).otherwise((p * 5 + n - 2) // (n - 1) - 1)

        q = v.with_columns(r_score=5 - score("recency"), f_score=1 + score("frequency"),
                           m_score=1 + score("monetary"))
    else:
        t = (log.group_by("customer_id").agg(value=pl.col("amount").sum())
             .rename({"customer_id": "key"}).filter(pl.col("value") > 0)
             .sort(["value", "key"], descending=[True, False]))
        total = pl.col("value").sum()
        before = (pl.col("value").cum_sum() - pl.col("value")) / total
        q = t.select(
            "key", "value", rank=pl.int_range(1, pl.len() + 1),
            cum_share=pl.col("value").cum_sum() / total,
            **{"class": pl.when(before < 0.8).then(pl.lit("A"))
               .when(before < 0.95).then(pl.lit("B")).otherwise(pl.lit("C"))})
    try:
        q.sink_csv(out)
    except Exception:  # an engine without a streaming plan for this query
        q.collect().write_csv(out)


def worker(args: argparse.Namespace) -> None:
    """Runs one peer on one task and prints its inner wall and CPU seconds as JSON."""
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    (run_duckdb if args.worker == "duckdb" else run_polars)(args.task, args.csv, args.out,
                                                           args.threads)
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"wall": time.perf_counter() - t0,
                      "cpu": r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime}))


# --- the driver ---------------------------------------------------------------------------------

def write_log(path: Path, rows: int, customers: int) -> None:
    """The generated log of compare_summary.make_log as CSV (dates as YYYY-MM-DD, amounts as
    written by polars: the shortest text that reads back as the value)."""
    import polars as pl

    sys.path.insert(0, str(HERE))
    from compare_summary import make_log

    cols = make_log(rows, customers)
    pl.DataFrame(cols).with_columns(pl.col("date").cast(pl.Date)).write_csv(path)


def command(tool: str, task: str, csv: Path, out: Path, args: argparse.Namespace):
    if tool.startswith("custometrics"):
        cli = args.baseline if tool == BASELINE else args.cli
        cmd = [cli, {"summary": "summarize"}.get(task, task), str(csv), "--out", str(out)]
        return cmd, {**os.environ, "CUSTOMETRICS_NUM_THREADS": str(args.threads)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", tool, "--task", task,
           "--csv", str(csv), "--out", str(out), "--threads", str(args.threads)]
    return cmd, {**os.environ, "POLARS_MAX_THREADS": str(args.threads)}


def run_once(tool: str, task: str, csv: Path, out: Path, args: argparse.Namespace) -> dict:
    """One run in a child process: its wall and CPU seconds, and a peer's inner figures."""
    cmd, env = command(tool, task, csv, out, args)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"{tool} {task} failed ({p.returncode}):\n{p.stderr}")
    got = {"wall": wall, "cpu": r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime}
    if not tool.startswith("custometrics"):
        inner = json.loads(p.stdout.strip().splitlines()[-1])
        got["inner_wall"], got["inner_cpu"] = inner["wall"], inner["cpu"]
    return got


def check_equal(task: str, outs: dict) -> str:
    """Reads the result files back and checks every peer's equal to custometrics'."""
    import numpy as np
    import polars as pl

    if task == "summary":
        cols = ["frequency", "recency", "T", "monetary_value"]
        ref = pl.read_csv(outs["custometrics"], columns=["customer_id"] + cols).sort("customer_id")
        for tool in TOOLS[1:]:
            got = pl.read_csv(outs[tool]).select(["customer_id"] + cols).sort("customer_id")
            require(ref["customer_id"].equals(got["customer_id"]), f"{tool}: customers")
            for c in cols:
                a, b = ref[c].cast(pl.Float64).to_numpy(), got[c].cast(pl.Float64).to_numpy()
                require(np.allclose(a, b, rtol=1e-9, atol=1e-9), f"{tool}: {c}")
        return f"{ref.height:,} customers"
    if task == "rfm":
        cols = ["recency", "frequency", "monetary", "r_score", "f_score", "m_score"]
        ref = pl.read_csv(outs["custometrics"], columns=["customer_id"] + cols).sort("customer_id")
        for tool in TOOLS[1:]:
            got = pl.read_csv(outs[tool]).select(["customer_id"] + cols).sort("customer_id")
            require(ref["customer_id"].equals(got["customer_id"]), f"{tool}: customers")
            for c in cols:  # exactly: the values (the CSV's shortest round-trip text) and scores
                a, b = ref[c].cast(pl.Float64).to_numpy(), got[c].cast(pl.Float64).to_numpy()
                bad = np.flatnonzero(a != b)
                require(bad.size == 0, f"{tool}: {c} of {bad.size} customers, e.g. customer "
                        f"{ref['customer_id'][int(bad[0])] if bad.size else ''}")
        cells = ref.group_by("r_score").len().sort("r_score")
        return f"{ref.height:,} customers, R scores " + ", ".join(
            f"{k}: {v:,}" for k, v in cells.iter_rows())
    ref = pl.read_csv(outs["custometrics"])
    if ref["class"].eq("none").any():
        raise SystemExit("the log has customers with revenue <= 0: not compared")
    for tool in TOOLS[1:]:
        got = pl.read_csv(outs[tool]).sort("rank")
        # Rank by rank: the values and cumulative shares agree. Customers whose revenues are
        # equal in cents may be ordered differently: the tools sum in different orders, and a
        # sum's last bit then decides (the keys at those ranks differ, not the values).
        for c in ("value", "cum_share"):
            require(np.allclose(ref[c].to_numpy(), got[c].to_numpy(), rtol=1e-9), f"{tool}: {c}")
        # Rank by rank the same class (so the same class counts; a customer tied in cents with
        # others across a class boundary may get the neighbour's class), and customer by
        # customer the same revenue.
        require(ref["class"].equals(got["class"]), f"{tool}: classes by rank")
        both = ref.join(got, on="key", suffix="_peer")
        require(both.height == ref.height == got.height, f"{tool}: customers")
        require(np.allclose(both["value"].to_numpy(), both["value_peer"].to_numpy(), rtol=1e-9),
                f"{tool}: revenue by customer")
    counts = ref["class"].value_counts().sort("class")
    return f"{ref.height:,} customers, classes " + ", ".join(
        f"{k} {v:,}" for k, v in counts.iter_rows())


def require(ok: bool, what: str) -> None:
    """Stops the benchmark when a result check fails (also under ``python -O``)."""
    if not ok:
        raise SystemExit(f"results differ: {what}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cli", default=str(HERE.parent / "build/release/custometrics"))
    ap.add_argument("--baseline", help="an earlier custometrics CLI to time too (byte-identical)")
    ap.add_argument("--scratch", help="folder for the log and the results (default: a temp dir)")
    ap.add_argument("--tasks", default="summary,pareto")
    ap.add_argument("--worker", choices=TOOLS[1:], help=argparse.SUPPRESS)
    ap.add_argument("--task", help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args)

    import duckdb
    import polars as pl

    scratch = Path(args.scratch or tempfile.mkdtemp(prefix="compare_csv_"))
    scratch.mkdir(parents=True, exist_ok=True)
    csv = scratch / f"log_{args.rows}_{args.customers}.csv"
    if not csv.exists():
        t0 = time.perf_counter()
        write_log(csv.with_suffix(".tmp"), args.rows, args.customers)
        csv.with_suffix(".tmp").rename(csv)
        print(f"wrote {csv} in {time.perf_counter() - t0:.1f} s")
    version = subprocess.run([args.cli, "--version"], capture_output=True, text=True).stdout
    print(f"log: {csv} ({csv.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows, "
          f"{args.customers:,} customers); threads {args.threads} for every tool")
    print(f"custometrics {version.strip()} ({args.cli}), DuckDB {duckdb.__version__}, "
          f"polars {pl.__version__}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    for task in args.tasks.split(","):
        tools = TOOLS + ((BASELINE,) if args.baseline else ())
        outs = {tool: scratch / f"{task}_{tool}.csv" for tool in tools}
        for tool in tools:  # a first run of each: the check, and the file in the page cache
            run_once(tool, task, csv, outs[tool], args)
        print(f"\n{task}: results equal ({check_equal(task, outs)})")
        if args.baseline:
            require(outs[BASELINE].read_bytes() == outs["custometrics"].read_bytes(),
                    "the baseline's output")
            print(f"{task}: the baseline's output is byte-identical")
        runs = {tool: [] for tool in tools}
        for _ in range(args.repeat):
            for tool in tools:
                runs[tool].append(run_once(tool, task, csv, outs[tool], args))
        med = lambda tool, key: statistics.median(r[key] for r in runs[tool])
        print(f"{'tool':<14}{'wall s':>9}{'CPU s':>9}{'inner wall':>12}{'inner CPU':>11}")
        for tool in tools:
            inner = (f"{med(tool, 'inner_wall'):>12.3f}{med(tool, 'inner_cpu'):>11.3f}"
                     if not tool.startswith("custometrics") else f"{'':>12}{'':>11}")
            print(f"{tool:<14}{med(tool, 'wall'):>9.3f}{med(tool, 'cpu'):>9.3f}{inner}")
        for tool in tools[1:]:
            ratio = lambda a, b: statistics.median(
                r[a] / c[b] for r, c in zip(runs[tool], runs["custometrics"]))
            line = f"  {tool} / custometrics: wall {ratio('wall', 'wall'):.2f}x, " \
                   f"CPU {ratio('cpu', 'cpu'):.2f}x"
            if tool != BASELINE:
                line += f"; inner wall {ratio('inner_wall', 'wall'):.2f}x, " \
                        f"inner CPU {ratio('inner_cpu', 'cpu'):.2f}x"
            print(line)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
