"""The custometrics command-line tool for the tests that compare it with the Python package.

``cli()`` is $CUSTOMETRICS_CLI (scripts/test.sh sets it to the sanitized build it makes before
pytest runs), else this checkout's dev or asan-ubsan build, else `custometrics` on the PATH; a
test that needs it is skipped without one.
``run(*args)`` runs it and returns its standard output, failing the test with its standard error
when it exits non-zero.
"""

import os
import pathlib
import shutil
import subprocess

import pytest


def cli() -> str:
    root = pathlib.Path(__file__).resolve().parents[2]
    for candidate in (os.environ.get("CUSTOMETRICS_CLI"), root / "build" / "dev" / "custometrics",
                      root / "build" / "asan-ubsan" / "custometrics",
                      shutil.which("custometrics")):
        if candidate and os.access(str(candidate), os.X_OK) and os.path.isfile(str(candidate)):
            return str(candidate)
    pytest.skip("the custometrics CLI is not built (set CUSTOMETRICS_CLI)")


def run(*args: str) -> str:
    done = subprocess.run([cli(), *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"custometrics {' '.join(map(str, args))} exited {done.returncode}: "
                    f"{done.stderr.strip()}")
    return done.stdout
