from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import yaml

from paths import REPO

WORKFLOW = REPO / ".github" / "workflows" / "registration.yml"


def load() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return data


def test_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_triggers_and_concurrency() -> None:
    data = load()
    on = data.get("on", data.get(True))
    assert sorted(on["issues"]["types"]) == ["edited", "opened", "reopened"]
    assert "workflow_dispatch" in on
    (schedule,) = on["schedule"]
    minute = schedule["cron"].split()[0]
    assert minute.isdigit() and int(minute) not in (0, 30)
    assert data["concurrency"]["group"]
    assert data["concurrency"]["cancel-in-progress"] is False


def test_least_privilege_and_deploy_only_after_a_change() -> None:
    data = load()
    assert data["permissions"] == {}
    sweep, deploy = data["jobs"]["sweep"], data["jobs"]["deploy"]
    assert sweep["permissions"] == {"contents": "write", "issues": "write"}
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["needs"] == "sweep"
    assert deploy["if"] == "needs.sweep.outputs.changed == 'true'"
    assert sweep["outputs"]["changed"] == "${{ steps.sweep.outputs.changed }}"


def test_actions_pinned_and_no_untrusted_expressions_in_run() -> None:
    text = WORKFLOW.read_text()
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert uses
    for ref, comment in uses:
        if ref == "./.github/workflows/pages.yml":
            continue
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.search(r"#\s*v\d", comment), f"{ref} has no version comment"
    for step in load()["jobs"]["sweep"]["steps"]:
        assert "${{" not in step.get("run", ""), step
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
    expressions = re.findall(r"\$\{\{(.*?)\}\}", text)
    # Only secrets, a repository variable and our own step's output: nothing a person wrote.
    assert sorted(e.strip() for e in expressions) == [
        "secrets.GITHUB_TOKEN",
        "secrets.SIGNUPSHEET_CONTACTS",
        "secrets.SIGNUPSHEET_MAIL_FROM",
        "secrets.SIGNUPSHEET_MEETING_LINKS",
        "secrets.SIGNUPSHEET_REPLY_TO",
        "secrets.SIGNUPSHEET_SMTP_URL",
        "steps.sweep.outputs.changed",
        "vars.SIGNUPSHEET_SITE_URL",
    ]
