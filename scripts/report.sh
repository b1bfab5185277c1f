#!/usr/bin/env bash
# Quick start 1: install what is missing, build the release tool, and print the report of the
# embedded sample (10,000 generated customers). Extra arguments go to `custometrics report`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release -DCUSTOMETRICS_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target custometrics_cli
./build/release/custometrics report "$@"
