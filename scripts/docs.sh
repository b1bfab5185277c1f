#!/usr/bin/env bash
# Builds the documentation site into build/docs/html (Sphinx + MyST-NB, furo theme), warnings
# as errors, every tutorial notebook executed against the installed custometrics; then the C++
# API reference with Doxygen into build/docs/html/cpp. Installs what it needs (Doxygen from
# Debian; the Sphinx packages into the Python environment) unless CUSTOMETRICS_DOCS_NO_INSTALL=1.
#   scripts/docs.sh [VENV]     VENV: a virtual environment with custometrics installed
#                              (default .venv-test, as scripts/test.sh makes it)
# The CLI reference page runs the `custometrics` executable: CUSTOMETRICS_CLI, else
# build/dev/custometrics or build/release/custometrics, else the one on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv-test}"
python="$venv/bin/python"
if [ "${CUSTOMETRICS_DOCS_NO_INSTALL:-0}" != 1 ]; then
    if ! command -v doxygen >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq --no-install-recommends doxygen >/dev/null
    fi
    "$python" -m pip install -q --disable-pip-version-check "sphinx>=8,<10" "myst-nb>=1.2,<2" \
        "furo>=2024.8" "numpydoc>=1.8,<2" "ipykernel>=6" "matplotlib"
    "$python" -m ipykernel install --sys-prefix --name python3 >/dev/null
fi
if [ -z "${CUSTOMETRICS_CLI:-}" ]; then
    for exe in build/dev/custometrics build/release/custometrics; do
        if [ -x "$exe" ]; then export CUSTOMETRICS_CLI="$PWD/$exe"; break; fi
    done
fi
out=build/docs
rm -rf "$out"  # a fresh build: every page read and every notebook run again
export PYTHONHASHSEED=0
unset MPLBACKEND  # the kernels draw with matplotlib-inline, so every figure shows on its page
"$python" -m sphinx -W --keep-going -q -b html -d "$out/doctrees" docs "$out/html"
mkdir -p "$out/html"
( cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $out/html" ) | doxygen - >/dev/null
test -f "$out/html/cpp/index.html"
echo "docs: $out/html/index.html"
