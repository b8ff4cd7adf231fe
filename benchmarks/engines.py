"""The same site on three engines: MkDocs and ProperDocs with our plugin, Zensical on the files
`signupsheet render` writes (it runs no MkDocs plugins).

    .venv/bin/python benchmarks/engines.py [N ...]     (default: 1000)

Synthetic events come from benchmarks/site_build.py. Each build runs in its own process; time is
wall clock. Zensical keeps a cache: "cold" cleans it first, "warm" builds again unchanged.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from signupsheet.main import main as signupsheet
from site_build import plugin_site


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    began = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds


def measure(root: Path) -> dict[str, float]:
    python = sys.executable
    times = {
        "MkDocs + plugin": timed(
            [python, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml", "-d", "site-mkdocs"],
            root,
        ),
        "ProperDocs + plugin": timed(
            [python, "-m", "properdocs", "build", "-q", "-f", "mkdocs.yml", "-d", "site-proper"],
            root,
        ),
    }
    out = root / "rendered"
    began = time.perf_counter()
    assert signupsheet(["--root", str(root), "render", "--out", str(out)]) == 0
    times["signupsheet render"] = time.perf_counter() - began
    zensical = [python, "-m", "zensical", "build", "-f", "mkdocs.yml"]
    times["Zensical, cold cache"] = timed([*zensical, "--clean"], out)
    times["Zensical, warm cache"] = timed(zensical, out)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    args = parser.parse_args()
    rows: list[tuple[int, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="signupsheet-engines-") as scratch:
        for count in args.sizes:
            site = plugin_site(Path(scratch) / f"site-{count}", count)
            times = measure(site)
            print(f"measured N={count}: {times}", flush=True)
            rows.append((count, times))
    print()
    print("| events | engine | seconds |")
    print("| ---: | --- | ---: |")
    for count, times in rows:
        for engine, seconds in times.items():
            print(f"| {count:,} | {engine} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
