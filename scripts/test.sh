#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run every test: the C++ tests (doctest
# through ctest, with the CLI end-to-end test, the adversarial table and the find_package
# consumer), built once, in Debug under AddressSanitizer + UndefinedBehaviorSanitizer with
# warnings as errors (the asan-ubsan preset; the Python tests run the optimised core of the
# wheel, so both builds are tested without compiling the core a third time), a bounded libFuzzer run of each target of
# tests/fuzz (30 s each from a fixed seed, one per core at a time; CUSTOMETRICS_FUZZ_SECONDS
# changes it, 0 skips it; needs clang++), the Python tests (pytest) twice: in the lifetimes reference environment
# (.venv-test: numpy 1, pandas 1, pyspark 3.5, lifetimes 0.11.3) and on today's releases
# (.venv-current: numpy 2, pandas 3, pyspark 4), with one wheel built once and installed in
# both; the source distribution's contents (scripts/check_sdist.sh); and the documentation site (scripts/docs.sh: warnings as errors, every tutorial notebook
# executed; CUSTOMETRICS_DOCS=0 skips it), built beside the second Python run.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# Each stage's heading says how long the run has taken so far (the budget is 30 minutes).
phase() { echo "== [$((SECONDS / 60))m$((SECONDS % 60))s] $*"; }
bash scripts/deps.sh python .venv-test
# Today's releases download while the C++ builds (network more than CPU).
mkdir -p build
bash scripts/deps.sh python-current .venv-current >build/venv-current.log 2>&1 &
venv_current=$!

phase "C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer (Debug, warnings as errors)"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j "$jobs"
ctest --preset asan-ubsan -j "$jobs"

fuzz_seconds="${CUSTOMETRICS_FUZZ_SECONDS:-30}"
if [ "$fuzz_seconds" -gt 0 ]; then
    phase "Fuzzing: each libFuzzer target of tests/fuzz for $fuzz_seconds s (ASan + UBSan)"
    if command -v clang++ >/dev/null; then
        bash scripts/fuzz.sh all "$fuzz_seconds"
    else
        echo "clang++ not found: fuzzing skipped (install clang to run it)"
    fi
fi

if ! wait "$venv_current"; then
    cat build/venv-current.log
    exit 1
fi

phase "Python wheel (built once: the extension reaches numpy through pybind11's runtime API,"
echo "   so one wheel serves numpy 1 and numpy 2)"
rm -rf build/wheel
.venv-test/bin/python -m pip wheel -q --disable-pip-version-check --no-deps \
    --no-build-isolation -w build/wheel .
wheel=$(ls build/wheel/custometrics-*.whl)
for venv in .venv-test .venv-current; do
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
        --force-reinstall "$wheel"
done

phase "Source distribution (scripts/check_sdist.sh: every file the build reads, CMake configures)"
bash scripts/check_sdist.sh .venv-test/bin/python

phase "Python tests: lifetimes reference environment (.venv-test)"
# The tests that run the CLI (cross-face, docs) run the sanitized build of the C++ stage.
export CUSTOMETRICS_CLI="$PWD/build/asan-ubsan/custometrics"
.venv-test/bin/python -m pytest tests/python -q
# The documentation site builds beside the second Python run (each keeps about one core busy).
docs=""
if [ "${CUSTOMETRICS_DOCS:-1}" != 0 ]; then
    bash scripts/docs.sh .venv-test \
        >build/docs.log 2>&1 &
    docs=$!
fi
phase "Python tests: today's releases (.venv-current; the browser test and the Spark half of"
echo "   the cross-face suite ran above; tests/python/test_spark_*.py run on pyspark 4 here)"
CUSTOMETRICS_BROWSER_TESTS=0 .venv-current/bin/python -m pytest tests/python -q \
    -k "not (test_cross_face and spark)"
if [ -n "$docs" ]; then
    phase "Documentation site (Sphinx + MyST-NB, warnings as errors, every tutorial executed)"
    if ! wait "$docs"; then
        cat build/docs.log
        exit 1
    fi
    tail -n 1 build/docs.log
fi
phase "All tests passed"
