"""Build time and peak memory of the site: our plugin against the same pages written by hand.

For each N, synthetic events are written to a fresh folder twice:
- "plugin": events/*.yaml, built by MkDocs with the signupsheet plugin (pages generated);
- "hand-written": every page and file the plugin would generate, pre-written into docs/ as
  Markdown (the same Markdown `signupsheet render` writes for other engines: headings and
  descriptions in Markdown, the rest as HTML blocks), built by plain Material (same theme, nav,
  search plugin, CSS and JS) - with nothing kept out of the search index.
Each build runs `mkdocs build` in its own process. Time is wall clock; CPU and "peak MiB" come
from the build's resource usage, which on Linux includes its second process (CPU summed, memory
the larger of the two); "peak all MiB" samples the sum over both every 0.1 s. Usage:
benchmarks/site_build.py [N ...] (default: 1000 5000), and --plugin-only N ... for sizes where
only our build is measured (e.g. 10000).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from signupsheet.core.model import parse_timestamp
from signupsheet.core.project import Project
from signupsheet.eventfiles.catalog import load_catalog
from signupsheet.site.generation import (
    SCRIPTS,
    STYLESHEET,
    SiteOptions,
    augment_page,
    generated_files,
    inlined,
)
from signupsheet.site.links import Repository
from signupsheet.site.pages import SiteContext
from sitekit import make_site, mkdocs_config

NOW = "2024-06-01T12:00:00Z"
SITE_URL = "https://signupsheet.github.io/signupsheet/"
REPO_URL = "https://github.com/signupsheet/signupsheet"
WORDS = [
    "peer",
    "learning",
    "volunteers",
    "affiliate",
    "community",
    "training",
    "meeting",
    "wiki",
    "project",
    "data",
    "outreach",
    "editing",
    "photos",
    "archive",
    "history",
    "language",
    "workshop",
    "strategy",
    "grant",
]


def synthetic_event(rng: random.Random, index: int, count: int) -> dict[str, object]:
    # Spread around NOW: half of the events are over, half are still open for registration.
    first = parse_timestamp(NOW) - timedelta(hours=7 * (count // 2))
    start = first + timedelta(hours=7 * index + rng.randrange(7))
    sessions = []
    for number in range(1 + (index % 3 == 0)):
        begin = start + timedelta(days=7 * number)
        entries = [
            {
                "login": f"user{index}-{number}-{k}",
                "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {k}",
                "affiliation": f"WM{rng.choice('ABCDEFGHIJ')}{rng.choice('ABCDEFGHIJ')}",
                "registered": (begin - timedelta(hours=k + 1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "source": f"issue:{k + 1}",
                **({"note": " ".join(rng.choices(WORDS, k=6))} if k % 4 == 0 else {}),
                **({"visibility": "private"} if k % 9 == 0 else {}),
            }
            for k in range(rng.randrange(5, 40))
        ]
        sessions.append(
            {
                "id": f"s{number + 1}",
                "start": begin.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": (begin + timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "registrations": entries,
            }
        )
    return {
        "title": f"Event {index}: {' '.join(rng.choices(WORDS, k=4))}",
        "summary": " ".join(rng.choices(WORDS, k=20)) + ".",
        "description": "\n\n".join(" ".join(rng.choices(WORDS, k=60)) for _ in range(3)),
        "series": "volunteer-supporters-network-2022",
        "type": "training",
        "languages": ["en"],
        "speakers": [{"name": f"Speaker {index}", "affiliation": "WMF"}],
        "location": {"mode": "online", "platform": "Zoom"},
        "policy": "policies/safe-space.md",
        "sessions": sessions,
    }


def plugin_site(root: Path, count: int) -> Path:
    make_site(root, docs=True, config=mkdocs_config(now=NOW))
    rng = random.Random(count)
    for index in range(count):
        data = synthetic_event(rng, index, count)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (root / "events" / f"event-{index:05d}.yaml").write_text(text, encoding="utf-8")
    return root


def hand_written_site(root: Path, plugin_root: Path) -> Path:
    """The same output, pre-written: pages and files in docs/, no plugin."""
    make_site(root, docs=True)
    project = Project(plugin_root)
    catalog = load_catalog(project)
    assert not catalog.problems, catalog.problems[:3]
    ctx = SiteContext(
        repository=Repository.from_url(REPO_URL), now=parse_timestamp(NOW), docs_dir=root / "docs"
    )
    docs = root / "docs"
    options = SiteOptions(site_url=SITE_URL, site_name="Volunteer Supporters Network events")
    for path, content in inlined(generated_files(catalog.events, ctx, options)).items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            # Written by hand, a sheet is just a table: nothing keeps it out of the search index.
            target.write_text(content.replace(" data-search-exclude", ""), encoding="utf-8")
    series = sorted(p.stem for p in (docs / "series").glob("*.md"))
    for page in ["index.md", *(f"series/{sid}.md" for sid in series)]:
        text = (docs / page).read_text(encoding="utf-8")
        augmented = augment_page(page, text, catalog.events, ctx, series)
        assert augmented is not None
        (docs / page).write_text(augmented.inline(), encoding="utf-8")
    config = mkdocs_config(now=None).replace("  - signupsheet\n", "")
    config += "extra_css:\n  - " + STYLESHEET + "\nextra_javascript:\n"
    config += "".join(f"  - {script}\n" for script in SCRIPTS)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Result:
    seconds: float  # wall clock
    cpu: float  # user + system time of the build and its second process
    memory: float  # peak resident set of the largest single process of the build, MiB
    total: float  # peak of the sum over the build and its second process, MiB (sampled)
    index: float  # search index, MiB


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        todo.extend(int(child) for child in children.split())
    return found


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(root: Path) -> Result:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(root / "mkdocs.yml")]
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.1):
            peak = max(peak, sum(_rss_kib(pid) for pid in _tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build of {root} failed with exit code {process.returncode}")
    index = root / "site" / "search" / "search_index.json"
    # Linux counts the reaped second process in the build's usage: CPU summed, memory the larger.
    cpu = usage.ru_utime + usage.ru_stime
    memory = usage.ru_maxrss / 1024
    return Result(seconds, cpu, memory, peak / 1024, index.stat().st_size / 2**20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--plugin-only", nargs="*", type=int, default=[], metavar="N")
    args = parser.parse_args()
    if not args.sizes and not args.plugin_only:
        args.sizes = [1000, 5000]
    rows: list[tuple[int, Result, Result | None]] = []
    with tempfile.TemporaryDirectory(prefix="signupsheet-bench-") as scratch:
        for count in [*args.sizes, *args.plugin_only]:
            ours = plugin_site(Path(scratch) / f"plugin-{count}", count)
            plugin = measure(ours)
            hand = None
            if count in args.sizes:
                hand = measure(hand_written_site(Path(scratch) / f"hand-{count}", ours))
            rows.append((count, plugin, hand))
            # A row as soon as it is measured: large sizes take minutes.
            print(f"measured N={count}: plugin {plugin}, hand-written {hand}", flush=True)
            shutil.rmtree(ours)
    print()
    print(
        "| events | build | wall s | CPU s | peak MiB | peak all MiB | search index MiB "
        "| ratio wall | ratio CPU |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count, plugin, hand in rows:
        for name, result in (("plugin", plugin), ("hand-written", hand)):
            if result is None:
                continue
            ratios = "| |"
            if name == "plugin" and hand is not None:
                ratios = f"{plugin.seconds / hand.seconds:.2f} | {plugin.cpu / hand.cpu:.2f} |"
            print(
                f"| {count:,} | {name} | {result.seconds:.1f} | {result.cpu:.1f} | "
                f"{result.memory:.0f} | {result.total:.0f} | {result.index:.1f} | {ratios}"
            )


if __name__ == "__main__":
    main()
