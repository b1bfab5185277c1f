"""Side-by-side: fitting Pareto/NBD, BG/NBD and GGompertz/NBD, custometrics vs CLVTools (R).

Issue 15's speed condition: every fit at least 10x faster than CLVTools, single-threaded both
(and custometrics on two threads as well), with covariates and without, on CDNOW, apparel and a
generated 1,000,000-customer log. Data, each loaded once into both libraries:

- apparel: ../shared/data/apparel (CLVTools' apparelTrans/apparelStaticCov), estimation end
  2006-12-31, covariates Gender and Channel on both processes (as tests/reference);
- CDNOW master: ../shared/data/cdnow, estimation end 1997-09-30 (23,570 customers);
- generated: ``cm.generate`` (seed 15, no returns), the whole log as estimation period.

CDNOW and the generated set get a seeded covariate ``group`` (Bernoulli(1/2), numpy seed 15)
on both processes. Time unit: weeks. CLVTools builds its customer-by-sufficient-statistic table
(CBS) once and both libraries fit exactly those numbers (x, t.x, T.cal).

What is timed: the fit call alone, on data already loaded, both sides: CLVTools ``pnbd()``,
``bgnbd()``, ``ggomnbd()`` on a clv.data already built (the call computes the CBS and the
covariate matrices inside), custometrics' estimator ``fit(summary, covariates=..., life=...,
trans=..., threads=1 or 2)`` on a pandas summary (which aligns the covariate keys inside).
Neither reading the transactions nor building clv.data / the summary frame is timed. Each
repeat runs CLVTools, then custometrics threads=1, then threads=2 (paired, interleaved); the
table gives the median wall time and CPU time (user+sys) over the repeats, and the ratios of
the medians, CLVTools / custometrics.

Before any time is reported the optima are compared: custometrics' log-likelihood must equal
CLVTools' to 1e-6 relative or be higher, and the parameters are printed side by side. A fit that
fails this check gets a "no comparison" row with both log-likelihoods and parameter vectors and
the run goes on with the next fit; the driver exits with an error at the end if a failed check
had neither side diverged (see ``no_comparison``).

Needs R with CLVTools 0.12.1 (tests/reference/clvtools_reference.R says how it was built) and
custometrics installed in the Python environment (Release: ``pip install .``):

    PYTHONPATH=/path/to/installed python benchmarks/compare_clvtools.py \
        [--data ../shared/data] [--repeats 3] [--big-repeats 1] [--customers 1000000] \
        [--cap 600] [--only cdnow,apparel,generated]

--cap: a CLVTools fit of the generated set whose expected CPU time (its CDNOW CPU time scaled by
the number of customers) is over CAP seconds is not run, and the table says so; one whose first
run takes longer than CAP seconds (wall) is not repeated.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

MODELS = {"pnbd": "ParetoNBDModel", "bgnbd": "BetaGeoModel", "ggomnbd": "GGompertzNBDModel"}
# CLVTools' coefficient names -> custometrics' parameter names.
BASE = {"pnbd": ("r", "alpha", "s", "beta"), "bgnbd": ("r", "alpha", "a", "b"),
        "ggomnbd": ("r", "alpha", "b", "s", "beta")}


class CLVTools:
    """The R server of benchmarks/compare_clvtools.R, one command per line."""

    def __init__(self) -> None:
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", TZ="UTC")
        script = Path(__file__).with_name("compare_clvtools.R")
        self.proc = subprocess.Popen(["Rscript", str(script)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)

    def ask(self, line: str) -> list[str]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        if not answer or answer[0] != "ok":
            raise RuntimeError(f"CLVTools: {line}: {' '.join(answer)}")
        return answer[1:]

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait()


def load(r: CLVTools, tmp: Path, name: str, trans: Path, cov: Path | None, split: str | None):
    """Loads one data set into CLVTools; returns (summary frame, covariate frame or None)."""
    cbs_path = tmp / f"{name}_cbs.csv"
    n, secs = r.ask(f"load {name} {trans} {cov or '-'} {split or '-'} {cbs_path}")
    print(f"{name}: {int(n):,} customers, CLVTools clv.data built in {float(secs):.1f} s",
          flush=True)
    cbs = pd.read_csv(cbs_path, dtype={"Id": str})
    summary = pd.DataFrame({"customer_id": cbs["Id"], "frequency": cbs["x"],
                            "recency": cbs["t.x"], "T": cbs["T.cal"]})
    covariates = None
    if cov is not None:
        covariates = pd.read_csv(cov, dtype={"Id": str}).rename(columns={"Id": "customer_id"})
    return summary, covariates


def seeded_covariate(ids: pd.Series, path: Path) -> None:
    rng = np.random.default_rng(15)
    pd.DataFrame({"Id": ids, "group": rng.integers(0, 2, len(ids))}).to_csv(path, index=False)


def fit_cm(cm, model: str, summary, covariates, threads: int):
    """One timed custometrics fit: (wall s, CPU s, fitted model)."""
    est = getattr(cm, MODELS[model])()
    kw = {}
    if covariates is not None:
        names = [c for c in covariates.columns if c != "customer_id"]
        kw = dict(covariates=covariates, life=names, trans=names)
    cm.set_num_threads(threads)  # also the row compression, which takes the default
    c0, t0 = time.process_time(), time.perf_counter()
    est.fit(summary, threads=threads, **kw)
    return time.perf_counter() - t0, time.process_time() - c0, est


def cm_coefficients(est, model: str) -> dict[str, float]:
    out = {k: float(est.params_[k]) for k in BASE[model]}
    for side in ("life", "trans"):
        coef = getattr(est, f"{side}_coefficients_", None)
        if coef is not None:
            out.update({f"{side}.{k}": float(v) for k, v in coef.items()})
    return out


def no_comparison(ll_c: float, ll_r: float, ours: dict[str, float], coef_r: dict[str, str],
                  model: str, converged: bool) -> str:
    """The row text of a failed optimum check: both log-likelihoods and parameter vectors.

    CLVTools' fit counts as diverged when its log-likelihood or a coefficient is not finite or
    a base parameter lies outside [1e-50, 1e50]; custometrics' when its fit report says so.
    """
    theirs = {k.replace("constr.", ""): float(v) for k, v in coef_r.items()}
    base = [theirs.get(k, float("nan")) for k in BASE[model]]
    why = [what for what, bad in (
        ("CLVTools' fit diverged", not np.isfinite([ll_r, *theirs.values()]).all()
         or not all(1e-50 <= v <= 1e50 for v in base)),
        ("custometrics' fit did not converge", not converged)) if bad]
    why = " and ".join(why) or "custometrics' log-likelihood is lower (a failed check)"
    at_r = ", ".join(f"{k} {v:.4g}" for k, v in theirs.items())
    at_c = ", ".join(f"{k} {ours.get(k, float('nan')):.4g}" for k in theirs)
    return (f"no comparison: {why}; CLVTools {ll_r:.6f} at {at_r}; custometrics {ll_c:.6f} "
            f"at {at_c}")


def table_row(label: str, res) -> str:
    """One markdown row: median wall / CPU seconds of each side, the ratios."""
    if res is None:
        return f"| {label} | 0 | not run (over the cap, see the text) | | | | | | |"
    if isinstance(res, str):  # a skipped fit or a failed optimum check (one run)
        return f"| {label} | {int(res.startswith('no comparison'))} | {res} | | | | | | |"
    med, n = res
    (cw, cc), (w1, c1), (w2, c2) = med["clv"], med["t1"], med["t2"]
    return (f"| {label} | {n} | {cw:.3f} / {cc:.3f} | {w1:.4f} / {c1:.4f} | "
            f"{w2:.4f} / {c2:.4f} | {cw / w1:.0f}x | {cw / w2:.0f}x | "
            f"{cc / max(c1, 1e-9):.0f}x | {cc / max(c2, 1e-9):.0f}x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--big-repeats", type=int, default=1)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--cap", type=float, default=600.0)
    ap.add_argument("--only", default="apparel,cdnow,generated")
    ap.add_argument("--models", default="pnbd,bgnbd,ggomnbd")
    ap.add_argument("--skip", default="", help="fits not run, comma-separated labels as in "
                    "the table (e.g. 'generated ggomnbd +cov'), for a run of the generated set "
                    "alone where the CDNOW times that set the cap are not at hand")
    ap.add_argument("--scratch", help="folder for the CSV files; a generated log already there "
                    "(generated_trans.csv, generated_cov.csv) is reused")
    args = ap.parse_args()
    import custometrics as cm

    data = Path(args.data)
    tmp = Path(args.scratch or tempfile.mkdtemp(prefix="compare_clvtools_"))
    tmp.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; custometrics from "
          f"{cm.__file__}; scratch {tmp}", flush=True)
    r = CLVTools()
    sets = {}
    only = args.only.split(",")
    if "apparel" in only:
        d = data / "apparel"
        sets["apparel"] = load(r, tmp, "apparel", d / "apparelTrans.csv",
                               d / "apparelStaticCov.csv", "2006-12-31")
    if "cdnow" in only:
        raw = pd.read_csv(data / "cdnow" / "CDNOW_master.txt", sep=r"\s+", header=None,
                          names=["Id", "Date", "Quantity", "Price"], dtype={"Id": str},
                          skiprows=1)
        trans = tmp / "cdnow_trans.csv"
        raw[["Id", "Date", "Price"]].to_csv(trans, index=False)
        cov = tmp / "cdnow_cov.csv"
        seeded_covariate(raw["Id"].drop_duplicates(), cov)
        sets["cdnow"] = load(r, tmp, "cdnow", trans, cov, "1997-09-30")
    if "generated" in only and (tmp / "generated_cov.csv").exists():
        sets["generated"] = load(r, tmp, "generated", tmp / "generated_trans.csv",
                                 tmp / "generated_cov.csv", None)
    elif "generated" in only:
        t0 = time.perf_counter()
        log = cm.generate(customers=args.customers, seed=15, start="2020-01-01",
                          end="2021-12-31", return_rate=0.0)
        trans = tmp / "generated_trans.csv"
        pd.DataFrame({"Id": log["customer_id"].astype(str),
                      "Date": pd.to_datetime(log["date"]).dt.strftime("%Y-%m-%d"),
                      "Price": log["amount"]}).to_csv(trans, index=False)
        cov = tmp / "generated_cov.csv"
        seeded_covariate(pd.Series(log["customer_id"].astype(str).unique()), cov)
        print(f"generated: {len(log):,} transactions in {time.perf_counter() - t0:.1f} s",
              flush=True)
        sets["generated"] = load(r, tmp, "generated", trans, cov, None)

    rows = []
    failed = []  # labels whose check failed where both fits converged
    clv_times: dict[tuple[str, str], float] = {}
    for name, (summary, covariates) in sets.items():
        big = name == "generated"
        for model in args.models.split(","):
            for with_cov in (False, True):
                label = f"{name} {model}{' +cov' if with_cov else ''}"
                cov = covariates if with_cov else None
                if label in args.skip.split(","):
                    print(f"{label}: skipped (--skip)", flush=True)
                    rows.append((label, "not run (--skip)"))
                    continue
                # The cap: expected CLVTools CPU seconds, the CDNOW run scaled by customers.
                if big and ("cdnow", model + str(with_cov)) in clv_times:
                    n_cd = len(sets["cdnow"][0])
                    expect = clv_times[("cdnow", model + str(with_cov))] * len(summary) / n_cd
                    if expect > args.cap:
                        print(f"{label}: CLVTools skipped, expected {expect:.0f} s > cap",
                              flush=True)
                        rows.append((label, None))
                        continue
                runs = {"clv": [], "t1": [], "t2": []}
                check = None
                for rep in range(args.big_repeats if big else args.repeats):
                    ans = r.ask(f"fit {name} {model} {'cov' if with_cov else 'nocov'}")
                    runs["clv"].append((float(ans[0]), float(ans[1])))
                    ll_r = float(ans[2])
                    coef_r = dict(kv.split("=") for kv in ans[3:])
                    for th in (1, 2):
                        wall, cpu, est = fit_cm(cm, model, summary, cov, th)
                        runs[f"t{th}"].append((wall, cpu))
                    check = (ll_r, coef_r, est)
                    if float(ans[0]) > args.cap:
                        break
                ll_r, coef_r, est = check
                ll_c = float(est.log_likelihood_)
                gap = (ll_c - ll_r) / abs(ll_r)
                ours = cm_coefficients(est, model)
                print(f"{label}: ll custometrics {ll_c:.6f} CLVTools {ll_r:.6f} "
                      f"(rel. {gap:+.1e})", flush=True)
                for k, v in coef_r.items():
                    key = k.replace("constr.", "")
                    print(f"    {k:>16} {ours.get(key, float('nan')):>14.6g} {float(v):>14.6g}")
                if not gap > -1e-6:  # also a NaN log-likelihood
                    rows.append((label, no_comparison(ll_c, ll_r, ours, coef_r, model,
                                                      est.fit_report_.converged)))
                    print(table_row(*rows[-1]), flush=True)
                    if "a failed check" in rows[-1][1]:
                        failed.append(label)
                    continue
                med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
                       for k, v in runs.items()}
                clv_times[(name, model + str(with_cov))] = med["clv"][1]  # CPU
                rows.append((label, (med, len(runs["clv"]))))
                print(table_row(*rows[-1]), flush=True)
    r.close()

    print("\nmedian seconds, wall / CPU (user+sys); ratios CLVTools / custometrics, 1 and 2 "
          "threads")
    print(f"| fit | runs | CLVTools | custometrics 1 thread | custometrics 2 threads | "
          f"ratio wall 1t | ratio wall 2t | ratio CPU 1t | ratio CPU 2t |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for label, res in rows:
        print(table_row(label, res))
    sys.stdout.flush()
    assert not failed, f"custometrics' log-likelihood lower than CLVTools': {failed}"


if __name__ == "__main__":
    main()
