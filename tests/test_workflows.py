"""Structural rules for every workflow file: the attack surface stays as small as we designed it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from signupsheet import yamlsafe

WORKFLOWS = sorted((Path(__file__).parents[1] / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(
    r"^\s*(?:-\s*)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(\.\d+)*\s*$"
)
LOCAL = re.compile(r"^\s*(?:-\s*)?uses:\s*\./\.github/workflows/[\w.-]+\.ya?ml\s*$")
# Contexts an outsider controls. Any expression in run: is refused anyway; this list names the
# dangerous ones for the message.
UNTRUSTED = re.compile(
    r"github\.event\.(issue|comment|pull_request|review|commits|head_commit|pages|discussion)"
    r"|github\.head_ref|inputs\."
)


def load(path: Path) -> dict[str, Any]:
    parsed = yamlsafe.parse(path.read_bytes(), str(path))
    assert not parsed.problems, parsed.problems
    data: dict[str, Any] = parsed.data
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])
    ]


def test_there_are_workflows() -> None:
    assert any(path.name == "pages.yml" for path in WORKFLOWS)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_top_level_permissions_are_empty(path: Path) -> None:
    assert load(path).get("permissions") == {}, "start from permissions: {} and grant per job"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_job_states_its_permissions(path: Path) -> None:
    for job_id, job in load(path)["jobs"].items():
        assert "permissions" in job, f"job {job_id} must state the permissions it needs"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_actions_are_pinned_by_sha_with_version(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"^\s*(?:-\s*)?uses:", line):
            assert PINNED.match(line) or LOCAL.match(line), (
                f"{path.name}:{number}: pin the action by its full commit SHA with "
                f"'# vX.Y.Z' beside it: {line.strip()}"
            )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_expressions_inside_run(path: Path) -> None:
    for job_id, step in steps(load(path)):
        script = step.get("run", "")
        assert "${{" not in script, (
            f"{path.name}: job {job_id} interpolates an expression into run: "
            f"({'untrusted context' if UNTRUSTED.search(script) else 'expression'}); "
            "pass it through env: instead"
        )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkouts_do_not_persist_credentials(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, (
                f"{path.name}: job {job_id} checks out with persisted credentials"
            )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_pull_request_target_never_checks_out_pull_request_code(path: Path) -> None:
    workflow = load(path)
    if "pull_request_target" not in workflow["on"]:
        return
    for job_id, step in steps(workflow):
        settings = step.get("with", {})
        for key in ("ref", "repository"):
            value = str(settings.get(key, ""))
            assert "pull_request" not in value and "head" not in value, (
                f"{path.name}: job {job_id} checks out the pull request's code"
            )
        script = step.get("run", "")
        assert not re.search(r"\bgit\s+(checkout|switch|merge|pull)\b", script), (
            f"{path.name}: job {job_id} moves the work tree to other code"
        )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_that_write_to_main_deploy_the_site(path: Path) -> None:
    workflow = load(path)
    jobs = workflow["jobs"]
    writers = {
        job_id
        for job_id, job in jobs.items()
        if (job.get("permissions") or {}).get("contents") == "write"
    }
    if not writers or path.name == "pages.yml":
        return
    deployers = [
        job for job in jobs.values() if str(job.get("uses", "")) == "./.github/workflows/pages.yml"
    ]
    assert deployers, f"{path.name} pushes to main but never deploys the site"
    for job in deployers:
        needs = job.get("needs", [])
        needs = {needs} if isinstance(needs, str) else set(needs)
        assert writers <= needs, f"{path.name}: deploy only after {sorted(writers)} finished"
