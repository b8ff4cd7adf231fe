"""How much `signupsheet validate` costs over merely parsing the same files.

Writes N synthetic events (30 registrations each) into a temporary site folder, then times, in the
same run and on the same files: reading and parsing every file with PyYAML's C loader, and
validating them all in-process as `signupsheet validate` does (`load_catalog`). Prints a table;
the goal is a ratio of at most 1.3.

    .venv/bin/python benchmarks/validate.py [--n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import load_catalog
from synth import synthetic_site


def interleaved_best(repeat: int, *works: Callable[[], object]) -> list[float]:
    """Best CPU time of each measure, the measures taking turns so that load from other
    processes on a shared machine falls on all of them alike."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for index, work in enumerate(works):
            gc.collect()
            started = time.process_time()
            work()
            best[index] = min(best[index], time.process_time() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of event files")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure; the best counts")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = synthetic_site(root, args.n)
        size = sum(path.stat().st_size for path in paths) / len(paths)
        project = Project(root)

        def parse_only() -> None:
            for path in paths:
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        def validate() -> None:
            catalog = load_catalog(project)
            if catalog.problems or len(catalog.events) != len(paths):
                raise SystemExit(f"synthetic events did not validate: {catalog.problems[:3]}")

        validate()  # warm up: schema compiled, caches filled, files in the page cache
        parse, full = interleaved_best(args.repeat, parse_only, validate)

    n = len(paths)
    print(f"{n:,} event files, {size / 1024:.1f} KB each; CPU time, best of {args.repeat}")
    print()
    print("| measure                                   | CPU (s)   | per file (ms) | ratio |")
    print("| ----------------------------------------- | --------: | ------------: | ----: |")
    rows = [
        ("read + yaml.load(CSafeLoader)", parse),
        ("signupsheet validate (load_catalog)", full),
    ]
    for label, seconds in rows:
        print(
            f"| {label:<41} | {seconds:9.2f} | {seconds / n * 1000:13.3f} | "
            f"{seconds / parse:5.2f} |"
        )
    ratio = full / parse
    print()
    print(f"validate / parse = {ratio:.2f} (goal: at most 1.30)")
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
