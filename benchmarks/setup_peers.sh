#!/usr/bin/env bash
# Creates the virtual environment the side-by-side benchmarks run in: custometrics built in
# Release plus the peers at their current versions (pandas, polars, DuckDB, pyarrow, scikit-learn).
#   bash benchmarks/setup_peers.sh [VENV]     (default .venv-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv-bench}"
bash scripts/deps.sh
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
    scikit-build-core pybind11 numpy pandas polars duckdb pyarrow scikit-learn
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation \
    -C build-dir=build/python-bench .
echo "ready: $venv/bin/python benchmarks/compare_summary.py"
