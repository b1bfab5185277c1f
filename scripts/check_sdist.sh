#!/usr/bin/env bash
# Builds the source distribution and checks that a wheel can be built from it, without
# compiling anything a second time:
# - the sdist comes from scikit-build-core's PEP 517 hook (build_sdist: copies files only);
# - it holds every tracked file the build reads (CMake files, include/, src/, the bindings,
#   pyproject.toml, README.md, LICENSE), compared with `git ls-files`;
# - CMake configures and generates from the unpacked tree with the wheel's options (a source
#   file that a CMakeLists.txt names but the sdist lacks fails there).
# Usage: bash scripts/check_sdist.sh [PYTHON]   (default .venv-test/bin/python; it needs
# scikit-build-core and pybind11, as `pip install --no-build-isolation .` does)
set -euo pipefail
cd "$(dirname "$0")/.."
py="${1:-.venv-test/bin/python}"
out=build/sdist
rm -rf "$out"
mkdir -p "$out"
name=$("$py" -c "from scikit_build_core.build import build_sdist; print(build_sdist('$out'))" | tail -n 1)
tar -xzf "$out/$name" -C "$out"
tree="$out/${name%.tar.gz}"
missing=()
while IFS= read -r f; do
    [ -e "$tree/$f" ] || missing+=("$f")
done < <(git ls-files CMakeLists.txt CMakePresets.json pyproject.toml README.md LICENSE cmake \
             include src bindings/python)
if [ "${#missing[@]}" -gt 0 ]; then
    printf 'sdist: missing %s\n' "${missing[@]}" >&2
    exit 1
fi
# The interpreter by an absolute path (a relative one is not found from the build folder, and
# CMake would fall back to the first python3 on the PATH, which lacks pybind11), and pybind11's
# CMake files from that interpreter.
py_abs="$(cd "$(dirname "$(command -v "$py" || echo "$py")")" && pwd)/$(basename "$py")"
cmake -S "$tree" -B "$out/configure" -G Ninja -DCUSTOMETRICS_BUILD_PYTHON=ON \
    -DCUSTOMETRICS_BUILD_CLI=OFF -DCUSTOMETRICS_BUILD_TESTS=OFF -DCUSTOMETRICS_INSTALL=OFF \
    -DPython_EXECUTABLE="$py_abs" -Dpybind11_DIR="$("$py_abs" -m pybind11 --cmakedir)" \
    >"$out/configure.log" 2>&1 || { cat "$out/configure.log" >&2; exit 1; }
echo "sdist: $name ($(tar -tzf "$out/$name" | wc -l) files) has every file the build reads;" \
     "CMake configures from it"
