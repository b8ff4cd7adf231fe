"""The two pull request workflows: what they run, with which rights, on which code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from githubdouble import PAYLOADS
from paths import REPO
from signupsheet.commands.pull_request import pull_request_number
from signupsheet.eventfiles import untrusted_yaml

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    parsed = untrusted_yaml.parse((WORKFLOWS / name).read_bytes(), name)
    assert not parsed.problems
    data: dict[str, Any] = parsed.data
    return data


def test_pull_request_target_runs_only_our_code_from_main() -> None:
    workflow = load("pull-request.yml")
    assert list(workflow["on"]) == ["pull_request_target"]
    types = workflow["on"]["pull_request_target"]["types"]
    assert types == ["opened", "synchronize", "reopened", "edited"]
    job = workflow["jobs"]["check"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"ref": "main", "persist-credentials": False}
    runs = [step["run"] for step in job["steps"] if "run" in step]
    # The pull request is fetched and read by the command, as git objects.
    assert runs == [
        "python -m pip install --quiet --require-hashes --no-deps -r requirements/workflows.txt\n"
        "python -m pip install --quiet --no-deps --no-build-isolation --no-index .\n",
        "signupsheet pull-request",
    ]
    assert workflow["cache-mode"] == "none"


def test_the_site_is_deployed_only_after_a_push() -> None:
    pages = load("pull-request.yml")["jobs"]["pages"]
    assert pages["needs"] == ["check", "deliver"]
    assert pages["if"] == (
        "${{ !cancelled() && (needs.check.outputs.pushed == 'true' || "
        "needs.deliver.outputs.changed == 'true') }}"
    )
    assert pages["permissions"] == {"pages": "write", "id-token": "write", "contents": "read"}


def test_checks_run_everything_read_only_without_secrets() -> None:
    workflow = load("checks.yml")
    assert "pull_request" in workflow["on"]
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    assert job["steps"][-1]["run"] == "scripts/dev.sh test"
    assert "secrets." not in (WORKFLOWS / "checks.yml").read_text()


def test_the_number_is_read_from_the_real_payloads(tmp_path: Path) -> None:
    for name in (
        "pull_request.opened.payload.json",
        "pull_request.synchronize.payload.json",
        "pull_request.reopened.payload.json",
        "pull_request.opened.with-null-body.json",
    ):
        expected = json.loads((PAYLOADS / name).read_text())["pull_request"]["number"]
        assert pull_request_number(PAYLOADS / name) == expected
    broken = tmp_path / "event.json"
    broken.write_text('{"pull_request": {"number": "1; rm -rf /"}}')
    assert pull_request_number(broken) is None
    assert pull_request_number(PAYLOADS / "issues.opened.payload.json") is None
    assert pull_request_number(tmp_path / "missing.json") is None
