#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run every test: the C++ tests (doctest
# through ctest, with the CLI end-to-end test and the find_package consumer), the same C++ tests
# under AddressSanitizer + UndefinedBehaviorSanitizer, a bounded libFuzzer run of each target of
# tests/fuzz (60 s each, one per core at a time; CUSTOMETRICS_FUZZ_SECONDS changes it, 0 skips it;
# needs clang++), the Python tests (pytest), then the documentation site (scripts/docs.sh:
# warnings as errors, every tutorial notebook executed; CUSTOMETRICS_DOCS=0 skips it).
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
bash scripts/deps.sh python .venv-test

echo "== C++ tests (dev preset: Debug, warnings as errors)"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"

echo "== C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j "$jobs"
ctest --preset asan-ubsan -j "$jobs"

fuzz_seconds="${CUSTOMETRICS_FUZZ_SECONDS:-60}"
if [ "$fuzz_seconds" -gt 0 ]; then
    echo "== Fuzzing: each libFuzzer target of tests/fuzz for $fuzz_seconds s (ASan + UBSan)"
    if command -v clang++ >/dev/null; then
        bash scripts/fuzz.sh all "$fuzz_seconds"
    else
        echo "clang++ not found: fuzzing skipped (install clang to run it)"
    fi
fi

echo "== Python tests"
.venv-test/bin/python -m pip install -q --disable-pip-version-check --no-build-isolation .
.venv-test/bin/python -m pytest tests/python -q

if [ "${CUSTOMETRICS_DOCS:-1}" != 0 ]; then
    echo "== Documentation site (Sphinx + MyST-NB, warnings as errors, every tutorial executed)"
    CUSTOMETRICS_CLI="$PWD/build/dev/custometrics" bash scripts/docs.sh .venv-test
fi
