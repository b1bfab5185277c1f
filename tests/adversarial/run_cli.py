"""Runs the CLI half of issue 16's adversarial table (cases.json): run_cli.py CUSTOMETRICS.

Each case with a "cli" entry is run in a fresh scratch folder holding its files (a lone
surrogate U+DC80..U+DCFF in a file's text stands for the byte 80..FF); the exit status, the
stderr line (exact or a part), stdout (exact) or its parts, a JSON field of stdout, the
content of files and the files that must not exist are compared with the table. Prints one
line per failure and exits 1 if any case failed.
"""
import json
import math
import os
import subprocess
import sys
import tempfile


def run_case(binary, case):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in case.get("files", {}).items():
            # surrogateescape: a lone surrogate U+DCXX in the table is the byte XX (not UTF-8)
            with open(os.path.join(tmp, name), "w", newline="", errors="surrogateescape") as f:
                f.write(content)
        p = subprocess.run([binary] + case["cli"], cwd=tmp, capture_output=True, text=True,
                           errors="replace")
        err = p.stderr.rstrip("\n")
        if p.returncode != case["status"]:
            problems.append(f"exit status {p.returncode}, expected {case['status']} ({err})")
        if "stderr" in case and err != case["stderr"]:
            problems.append(f"stderr {err!r}, expected {case['stderr']!r}")
        if "stderr_has" in case and case["stderr_has"] not in err:
            problems.append(f"stderr {err!r} lacks {case['stderr_has']!r}")
        if case["status"] in (1, 2) and "\n" in err:
            problems.append(f"stderr of an error is not one line: {err!r}")
        if "stdout" in case and p.stdout != case["stdout"]:
            problems.append(f"stdout {p.stdout[:300]!r}, expected {case['stdout']!r}")
        for part in case.get("stdout_has", []):
            if part not in p.stdout:
                problems.append(f"stdout lacks {part!r}: {p.stdout[:500]!r}")
        if "json" in case:
            try:
                got = json.loads(p.stdout)
                for key, want in case["json"].items():
                    if not math.isclose(got[key], want, rel_tol=1e-12):
                        problems.append(f"json {key} = {got[key]!r}, expected {want!r}")
            except (ValueError, KeyError) as e:
                problems.append(f"stdout is not the expected JSON: {e}: {p.stdout[:300]!r}")
        for name, want in case.get("file_is", {}).items():
            path = os.path.join(tmp, name)
            got = open(path, newline="").read() if os.path.exists(path) else None
            if got != want:
                problems.append(f"{name} is {got!r}, expected {want!r}")
        for name in case.get("absent", []):
            if os.path.exists(os.path.join(tmp, name)):
                problems.append(f"{name} exists, expected none")
        leftovers = [f for f in os.listdir(tmp) if f.endswith(".tmp")]
        if leftovers:
            problems.append(f"temporary files left: {leftovers}")
    return problems


def main():
    binary = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cases.json")) as f:
        cases = json.load(f)["cases"]
    failed = 0
    ran = 0
    for case in cases:
        if "cli" not in case:
            continue
        ran += 1
        for problem in run_case(binary, case):
            print(f"FAILED: {case['name']}: {problem}")
            failed += 1
    print(f"adversarial CLI cases: {ran} run, {failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
