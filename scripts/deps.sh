#!/usr/bin/env bash
# Installs what custometrics needs to build, when missing (cheap to re-run).
#   scripts/deps.sh            C++ build dependencies (Debian packages)
#   scripts/deps.sh python V   also a Python virtual environment at V with the test packages of
#                              the lifetimes reference environment (numpy 1, pandas 1, pyspark 3.5)
#   scripts/deps.sh python-current V
#                              a second one at V with today's releases (numpy 2, pandas 3,
#                              pyspark 4, no lifetimes: its values are tests/reference/lifetimes)
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libeigen3-dev libboost-dev libboost-math-dev
          liblbfgspp-dev libfast-float-dev libcli11-dev doctest-dev libbenchmark-dev)
# The Python tests open the report page in headless Chromium (tests/python/test_report_browser.py).
case "${1:-}" in python | python-current) packages+=(chromium fonts-liberation) ;; esac
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
# Java runs the local Spark of the custometrics.spark tests (pyspark 3.5 supports Java 8-17,
# pyspark 4 needs 17 or later).
if ! command -v java >/dev/null 2>&1; then missing+=(openjdk-17-jre-headless); fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "python" ]; then
    venv="$2"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    # lifetimes 0.11.3 (the reference the summary is checked against) needs pandas < 2 and a
    # setuptools that still ships pkg_resources: these pins live in the test environment only.
    # scikit-learn is the peer the k-means tests compare with (tests/python/test_segments.py).
    # pyspark 3.5 (4.x wants pandas 2) and pyarrow < 18 (18+ refuses numpy 1.x) run the
    # custometrics.spark tests in local mode.
    "$venv/bin/python" -m pip install -q --disable-pip-version-check \
        "scikit-build-core>=0.10" "pybind11>=2.12" "numpy<2" "pandas<2" "setuptools<70" \
        "lifetimes==0.11.3" "polars" "pytest" "matplotlib" "scipy" "scikit-learn" \
        "pyspark>=3.5,<3.6" "pyarrow>=14,<18"
fi

if [ "${1:-}" = "python-current" ]; then
    venv="$2"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    # Today's releases, lower bounds only: the suite must pass on whatever pip resolves now
    # (numpy 2, pandas 3, polars 2, pyspark 4 with Java 17, pyarrow 26 in December 2026).
    # No build tools: scripts/test.sh builds one wheel in the environment above and installs
    # it here. No lifetimes: its values are tests/reference/lifetimes.
    "$venv/bin/python" -m pip install -q --disable-pip-version-check \
        "numpy>=2" "pandas>=2.2" "polars>=1" "pytest>=8" "matplotlib>=3.8" "scipy>=1.13" \
        "scikit-learn>=1.5" "pyspark>=4" "pyarrow>=16"
fi
