#!/usr/bin/env bash
# Quick start 1: install what is missing, build the release tool, and print the report of the
# embedded sample (10,000 generated customers) with its synthetic survey and cost rates from
# data/ (loyalty and profitability sections). Extra arguments go to `custometrics report`
# instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release -DCUSTOMETRICS_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target custometrics_cli
if [ "$#" -eq 0 ]; then
    set -- --signals data/sample_signals.csv --costs data/sample_costs.json
fi
./build/release/custometrics report "$@"
