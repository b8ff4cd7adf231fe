"""The send-links workflow follows the project's workflow rules."""

from __future__ import annotations

import re
from typing import Any

import yaml

from paths import REPO

WORKFLOW = REPO / ".github" / "workflows" / "send-links.yml"


def load() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_triggers_every_ten_minutes_off_the_hour_and_by_hand() -> None:
    triggers = load()[True]  # YAML 1.1 reads the key `on` as true
    [schedule] = triggers["schedule"]
    minute = schedule["cron"].split()[0]
    assert minute == "7-59/10"
    assert "workflow_dispatch" in triggers


def test_permissions_are_least_privilege() -> None:
    data = load()
    assert data["permissions"] == {}
    job = data["jobs"]["send-links"]
    assert job["permissions"] == {
        "contents": "write",
        "issues": "write",
        "pull-requests": "write",
    }
    assert data["concurrency"]["cancel-in-progress"] is False
    # The mail secrets are kept in an environment that only the sending jobs name.
    assert job["environment"] == {"name": "link-delivery", "deployment": False}


def test_actions_pinned_by_full_sha_with_version_comment() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    uses = [
        (action, comment)
        for action, comment in re.findall(r"uses: (\S+)(.*)", text)
        if not action.startswith("$/")
    ]  # our own reusable workflow, in this repository
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), comment


def test_secrets_reach_the_command_through_env_only() -> None:
    job = load()["jobs"]["send-links"]
    for step in job["steps"]:
        assert "${{" not in step.get("run", "")
    step = job["steps"][-1]
    assert step["run"] == "signupsheet send-links --push"
    assert step["env"]["SIGNUPSHEET_MEETING_LINKS"] == "${{ secrets.SIGNUPSHEET_MEETING_LINKS }}"
    assert step["env"]["SIGNUPSHEET_SMTP_URL"] == "${{ secrets.SIGNUPSHEET_SMTP_URL }}"
    # Banned people get no link: the delivery reads the ban list with its key.
    assert step["env"]["SIGNUPSHEET_BAN_KEY"] == "${{ secrets.SIGNUPSHEET_BAN_KEY }}"


def test_the_site_is_rebuilt_only_when_link_sent_was_pushed() -> None:
    jobs = load()["jobs"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "send-links"
    assert deploy["if"] == "needs.send-links.outputs.changed == 'true'"
    assert jobs["send-links"]["outputs"]["changed"] == "${{ steps.send.outputs.changed }}"
    checkout = jobs["send-links"]["steps"][0]
    assert checkout["with"]["persist-credentials"] is False
