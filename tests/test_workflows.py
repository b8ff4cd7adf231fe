"""Structural rules for every workflow file: the attack surface stays as small as we designed it.

Each rule is a function from a workflow's text to the violations it finds, so the rules are
checked against our real workflows (no violation) and against bad examples (each one caught).
"""

from __future__ import annotations

import re
import subprocess
import sys
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
# A reusable workflow of this repository, in GitHub's self-repository form (`$/`), which actionlint
# and the workflow schema accept: no suppression needed.
LOCAL = re.compile(r"^\s*(?:-\s*)?uses:\s*\$/\.github/workflows/[\w.-]+\.ya?ml\s*$")
# Contexts an outsider controls. Any expression in run: is refused anyway; this list names the
# dangerous ones in the message.
UNTRUSTED = re.compile(
    r"github\.event\.(issue|comment|pull_request|review|commits|head_commit|pages|discussion)"
    r"|github\.head_ref|inputs\."
)
PAGES = "$/.github/workflows/pages.yml"
# Events an outsider can start a run with (and `workflow_call`, by which those runs call others).
UNTRUSTED_EVENTS = {
    "issues",
    "issue_comment",
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "discussion",
    "discussion_comment",
    "workflow_call",
}
MAIL_SECRETS = re.compile(
    r"secrets\.SIGNUPSHEET_(MEETING_LINKS|CONTACTS|SMTP_URL|MAIL_FROM|REPLY_TO)\b"
)
# Commands that read what people wrote: issue bodies, pull-request files.
READS_UNTRUSTED = re.compile(r"\bsignupsheet\s+(sweep|pull-request|check-pr)\b")
DELIVERY_ENVIRONMENT = {"name": "link-delivery", "deployment": False}
# The only ways a workflow installs Python packages: pinned with hashes from the lock file, then
# the project itself without fetching anything.
LOCKED_INSTALL = (
    "python -m pip install --quiet --require-hashes --no-deps -r requirements/workflows.txt",
    "python -m pip install --quiet --no-deps --no-build-isolation --no-index .",
)


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


def triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def untrusted_events_disable_the_cache(text: str) -> list[str]:
    workflow = load(text)
    if triggers(workflow) & UNTRUSTED_EVENTS and workflow.get("cache-mode") != "none":
        return ["an untrusted event can start this workflow: set cache-mode: none at its top"]
    return []


def mail_secrets_only_in_the_delivery_environment(text: str) -> list[str]:
    found = []
    for job_id, job in load(text)["jobs"].items():
        body = job_text(job)
        runs = " ".join(str(step.get("run", "")) for step in job.get("steps", []))
        if MAIL_SECRETS.search(body):
            if job.get("environment") != DELIVERY_ENVIRONMENT:
                found.append(f"job {job_id} holds mail secrets outside the link-delivery env")
            if READS_UNTRUSTED.search(runs) or "github.event." in body:
                found.append(f"job {job_id} holds mail secrets and reads untrusted text")
        elif job.get("environment") == DELIVERY_ENVIRONMENT and READS_UNTRUSTED.search(runs):
            found.append(f"job {job_id} reads untrusted text in the link-delivery environment")
    return found


def installs_only_from_the_lock(text: str) -> list[str]:
    return [
        f"job {job_id} installs packages without the lock: {line.strip()}"
        for job_id, step in steps(load(text))
        for line in str(step.get("run", "")).splitlines()
        if "pip install" in line and line.strip() not in LOCKED_INSTALL
    ]


def job_text(job: object) -> str:
    return repr(job)


RULES: list[Callable[[str], list[str]]] = [
    empty_top_level_permissions,
    jobs_state_permissions,
    actions_pinned,
    no_expressions_in_run,
    checkouts_without_credentials,
    pull_request_target_runs_no_pull_request_code,
    writers_deploy,
    untrusted_events_disable_the_cache,
    mail_secrets_only_in_the_delivery_environment,
    installs_only_from_the_lock,
]

CHECKOUT = "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0"
GOOD = f"""
on: {{pull_request_target: {{types: [opened]}}}}
permissions: {{}}
cache-mode: none
jobs:
  check:
    runs-on: ubuntu-latest
    permissions: {{contents: write}}
    steps:
      - uses: {CHECKOUT}
        with: {{persist-credentials: false}}
      - run: {LOCKED_INSTALL[0]}
      - run: signupsheet check-pr
        env: {{TITLE: "${{{{ github.event.pull_request.title }}}}"}}
  deliver:
    needs: check
    environment: {{name: link-delivery, deployment: false}}
    permissions: {{contents: write}}
    steps:
      - run: signupsheet send-links --push --only-confirmed
        env: {{SIGNUPSHEET_SMTP_URL: "${{{{ secrets.SIGNUPSHEET_SMTP_URL }}}}"}}
  deploy:
    needs: [check, deliver]
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
    "needs": ("needs: [check, deliver]", "needs: [check]"),
    "cache": ("cache-mode: none\n", ""),
    "self-repository form": (f"uses: {PAGES}", "uses: ./.github/workflows/pages.yml"),
    "suppressed local": (
        f"uses: {PAGES}",
        "uses: ./.github/workflows/pages.yml # zizmor: ignore[self-repository]",
    ),
    "unlocked install": (LOCKED_INSTALL[0], "python -m pip install ."),
    "mail secret in the checking job": (
        "env: {TITLE:",
        'env: {SIGNUPSHEET_CONTACTS: "${{ secrets.SIGNUPSHEET_CONTACTS }}", TITLE:',
    ),
    "mail secret without its environment": (
        "    environment: {name: link-delivery, deployment: false}\n",
        "",
    ),
    "checking in the delivery environment": (
        "run: signupsheet send-links --push --only-confirmed",
        "run: signupsheet check-pr",
    ),
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


def test_zizmor_with_the_auditor_persona_finds_nothing() -> None:
    """Every audit, the pedantic ones included; what remains is suppressed in the files, each
    with its reason beside it (next test)."""
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [str(zizmor), "--offline", "--persona", "auditor", str(REPO / ".github" / "workflows")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_suppression_has_its_reason_right_above_it(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "zizmor: ignore[" in line:
            reason = []
            for before in reversed(lines[:number]):
                if not before.strip().startswith("#"):
                    break
                reason.append(before.strip())
            assert len(" ".join(reason)) > 60, f"{path.name}:{number + 1}: no reason above"
            assert "self-repository" not in line, "use the $/ form instead of suppressing"


def test_the_pull_request_jobs_hold_only_what_they_use() -> None:
    workflow = load((REPO / ".github" / "workflows" / "pull-request.yml").read_text())
    assert workflow["cache-mode"] == "none"
    check, deliver = workflow["jobs"]["check"], workflow["jobs"]["deliver"]
    # Comments on a pull request go through the issue comment API, which pull-requests: write
    # allows on a pull request; the check labels nothing.
    assert check["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert "environment" not in check
    assert set(check["outputs"]) == {"pushed", "confirmed"}
    assert deliver["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert deliver["environment"] == DELIVERY_ENVIRONMENT
    assert deliver["needs"] == "check"
    assert deliver["if"] == "${{ !cancelled() && needs.check.outputs.confirmed != '' }}"
    (send,) = [step for step in deliver["steps"] if step.get("id") == "send"]
    assert send["run"] == "signupsheet send-links --push --only-confirmed"
    assert send["env"]["SIGNUPSHEET_CONFIRMED"] == "${{ needs.check.outputs.confirmed }}"
