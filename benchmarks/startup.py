"""How long `signupsheet` takes to start: `--help` and `validate` beside a bare Python.

    python benchmarks/startup.py [--runs N] [--against DIR]

`--against DIR` also times another checkout's package (DIR/scripts put first on the import
path), e.g. a worktree of an earlier commit, so the two can be compared on the same machine in
the same minute. Prints the median and the fastest of N runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CASES = {
    "python -c pass": ["-c", "pass"],
    "signupsheet --help": ["-m", "signupsheet", "--help"],
    "signupsheet validate": ["-m", "signupsheet", "validate"],
}


def timings(args: list[str], scripts: Path | None, runs: int) -> list[float]:
    env = dict(os.environ)
    if scripts is not None:
        env["PYTHONPATH"] = str(scripts)
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=REPO, env=env, check=True, capture_output=True)
        found.append((time.perf_counter() - start) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    options = parser.parse_args()
    builds: list[tuple[str, Path | None]] = [("this checkout", REPO / "scripts")]
    if options.against:
        builds.append((str(options.against), options.against.resolve() / "scripts"))
    print("| command | package | median ms | fastest ms |\n| --- | --- | ---: | ---: |")
    for name, args in CASES.items():
        for label, scripts in builds[: 1 if name.startswith("python") else None]:
            found = timings(args, scripts, options.runs)
            print(f"| {name} | {label} | {statistics.median(found):.0f} | {min(found):.0f} |")


if __name__ == "__main__":
    main()
