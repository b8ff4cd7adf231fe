"""Structural rules for every workflow file: the attack surface stays as small as we designed it.

Each rule is a function from a workflow's text to the violations it finds, so the rules are
checked against our real workflows (no violation) and against bad examples (each one caught).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from paths import REPO
from signupsheet.eventfiles import untrusted_yaml

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(
    r"^\s*(?:-\s*)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(\.\d+)*\s*$"
)
LOCAL = re.compile(
    r"^\s*(?:-\s*)?uses:\s*\./\.github/workflows/[\w.-]+\.ya?ml"
    r"(\s+#\s*zizmor: ignore\[[\w-]+\])?\s*$"
)
# Contexts an outsider controls. Any expression in run: is refused anyway; this list names the
# dangerous ones in the message.
UNTRUSTED = re.compile(
    r"github\.event\.(issue|comment|pull_request|review|commits|head_commit|pages|discussion)"
    r"|github\.head_ref|inputs\."
)
PAGES = "./.github/workflows/pages.yml"


def load(text: str) -> dict[str, Any]:
    parsed = untrusted_yaml.parse(text.encode(), "workflow")
    assert not parsed.problems, parsed.problems
    data: dict[str, Any] = parsed.data
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])
    ]


def empty_top_level_permissions(text: str) -> list[str]:
    if load(text).get("permissions") != {}:
        return ["start from top-level permissions: {} and grant per job"]
    return []


def jobs_state_permissions(text: str) -> list[str]:
    return [
        f"job {job_id} must state the permissions it needs"
        for job_id, job in load(text)["jobs"].items()
        if "permissions" not in job
    ]


def actions_pinned(text: str) -> list[str]:
    return [
        f"line {number}: pin by full commit SHA with '# vX.Y.Z' beside it: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if re.match(r"^\s*(?:-\s*)?uses:", line) and not (PINNED.match(line) or LOCAL.match(line))
    ]


def no_expressions_in_run(text: str) -> list[str]:
    return [
        f"job {job_id} interpolates "
        f"{'an untrusted context' if UNTRUSTED.search(step['run']) else 'an expression'} into "
        "run:; pass it through env: instead"
        for job_id, step in steps(load(text))
        if "${{" in str(step.get("run", ""))
    ]


def checkouts_without_credentials(text: str) -> list[str]:
    return [
        f"job {job_id} checks out with persisted credentials; set persist-credentials: false"
        for job_id, step in steps(load(text))
        if str(step.get("uses", "")).startswith("actions/checkout@")
        and step.get("with", {}).get("persist-credentials") is not False
    ]


def pull_request_target_runs_no_pull_request_code(text: str) -> list[str]:
    workflow = load(text)
    if "pull_request_target" not in workflow["on"]:
        return []
    found = []
    for job_id, step in steps(workflow):
        settings = step.get("with", {})
        for key in ("ref", "repository"):
            value = str(settings.get(key, ""))
            if "pull_request" in value or "head" in value:
                found.append(f"job {job_id} checks out the pull request's code")
        if re.search(r"\bgit\s+(checkout|switch|merge|pull|worktree)\b", str(step.get("run", ""))):
            found.append(f"job {job_id} moves the work tree to other code")
    return found


def writers_deploy(text: str) -> list[str]:
    jobs = load(text)["jobs"]
    writers = {
        job_id
        for job_id, job in jobs.items()
        if (job.get("permissions") or {}).get("contents") == "write"
    }
    if not writers:
        return []
    deployers = [job for job in jobs.values() if job.get("uses") == PAGES]
    if not deployers:
        return ["pushes to main but never deploys the site: add a job that uses " + PAGES]
    found = []
    for job in deployers:
        needs = job.get("needs", [])
        needs = {needs} if isinstance(needs, str) else set(needs)
        if not writers <= needs:
            found.append(f"deploys before {sorted(writers - needs)} finished: add them to needs")
    return found


RULES: list[Callable[[str], list[str]]] = [
    empty_top_level_permissions,
    jobs_state_permissions,
    actions_pinned,
    no_expressions_in_run,
    checkouts_without_credentials,
    pull_request_target_runs_no_pull_request_code,
    writers_deploy,
]

CHECKOUT = "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0"
GOOD = f"""
on: {{pull_request_target: {{types: [opened]}}}}
permissions: {{}}
jobs:
  check:
    runs-on: ubuntu-latest
    permissions: {{contents: write}}
    steps:
      - uses: {CHECKOUT}
        with: {{persist-credentials: false}}
      - run: signupsheet check-pr
        env: {{TITLE: "${{{{ github.event.pull_request.title }}}}"}}
  deploy:
    needs: check
    permissions: {{contents: read, pages: write, id-token: write}}
    uses: {PAGES}
"""
BAD = {
    "permissions: {}": ("permissions: {}", "permissions: write-all"),
    "permissions: {contents: write}": ("    permissions: {contents: write}\n", "\n"),
    "checkout@08c6": (CHECKOUT, "actions/checkout@v5"),
    "run: signupsheet": (
        "run: signupsheet check-pr",
        'run: echo "${{ github.event.pull_request.title }}"',
    ),
    "persist-credentials": ("persist-credentials: false", "persist-credentials: true"),
    "ref:": ("persist-credentials: false}", "persist-credentials: false, ref: refs/pull/1/head}"),
    "git checkout": ("run: signupsheet check-pr", "run: git checkout FETCH_HEAD"),
    "deploy": (f"uses: {PAGES}", "runs-on: ubuntu-latest"),
    "needs": ("needs: check", "needs: []"),
}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_our_workflows_follow_the_rule(path: Path, rule: Callable[[str], list[str]]) -> None:
    assert rule(path.read_text(encoding="utf-8")) == []


def test_there_are_workflows() -> None:
    assert any(path.name == "pages.yml" for path in WORKFLOWS)


def test_the_good_example_passes_every_rule() -> None:
    assert [message for rule in RULES for message in rule(GOOD)] == []


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_bad_example_is_caught(case: str) -> None:
    old, new = BAD[case]
    assert old in GOOD
    bad = GOOD.replace(old, new, 1)
    assert [message for rule in RULES for message in rule(bad)], f"{case}: not caught"
