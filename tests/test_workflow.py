from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import yaml

from paths import REPO

WORKFLOW = REPO / ".github" / "workflows" / "registration.yml"
MAIL_SECRETS = {
    "SIGNUPSHEET_MEETING_LINKS",
    "SIGNUPSHEET_CONTACTS",
    "SIGNUPSHEET_SMTP_URL",
    "SIGNUPSHEET_MAIL_FROM",
    "SIGNUPSHEET_REPLY_TO",
}


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


def test_triggers() -> None:
    data = load()
    on = data.get("on", data.get(True))
    assert sorted(on["issues"]["types"]) == ["edited", "opened", "reopened"]
    assert "workflow_dispatch" in on
    (schedule,) = on["schedule"]
    minute = schedule["cron"].split()[0]
    assert minute.isdigit() and int(minute) not in (0, 30)


def test_the_concurrency_group_belongs_to_the_job_that_sweeps() -> None:
    """A workflow-level group is taken before the job's label filter runs: a blank issue or an
    unrelated edit would replace the pending sweep, then be skipped."""
    data = load()
    assert "concurrency" not in data
    sweep = data["jobs"]["sweep"]
    assert "registration" in sweep["if"] and "cancellation" in sweep["if"]
    assert sweep["concurrency"] == {"group": "registration", "cancel-in-progress": False}
    for job_id, job in data["jobs"].items():
        if job_id != "sweep":
            assert "concurrency" not in job, job_id


def test_least_privilege_and_deploy_only_after_a_change() -> None:
    data = load()
    assert data["permissions"] == {}
    jobs = data["jobs"]
    sweep, deliver, deploy = jobs["sweep"], jobs["deliver"], jobs["deploy"]
    assert sweep["permissions"] == {"contents": "write", "issues": "write", "actions": "read"}
    assert deliver["permissions"] == {"contents": "write", "issues": "write"}
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["needs"] == ["sweep", "deliver"]
    # After a push, whatever happened to the delivery (a failed or skipped job skips its
    # dependants unless the condition says otherwise).
    assert "!cancelled()" in deploy["if"]
    assert "needs.sweep.outputs.changed == 'true'" in deploy["if"]
    assert "needs.deliver.outputs.changed == 'true'" in deploy["if"]
    assert sweep["outputs"]["changed"] == "${{ steps.sweep.outputs.changed }}"


def test_the_job_that_reads_issues_holds_no_mail_secret_and_the_sender_reads_no_issue() -> None:
    jobs = load()["jobs"]
    sweep, deliver = jobs["sweep"], jobs["deliver"]
    assert not any(secret in yaml.safe_dump(sweep) for secret in MAIL_SECRETS)
    assert "environment" not in sweep
    assert _names(deliver) >= MAIL_SECRETS
    assert deliver["environment"] == {"name": "link-delivery", "deployment": False}
    assert deliver["needs"] == "sweep"
    # Runs only when the sweep confirmed someone (its output is empty unless it pushed).
    assert deliver["if"] == "${{ !cancelled() && needs.sweep.outputs.confirmed != '' }}"
    (send,) = [step for step in deliver["steps"] if step.get("id") == "send"]
    assert send["run"] == "signupsheet send-links --push --only-confirmed"
    assert send["env"]["SIGNUPSHEET_CONFIRMED"] == "${{ needs.sweep.outputs.confirmed }}"
    # Nothing of the issues: no event context, and no command that reads them.
    assert "github.event" not in yaml.safe_dump(deliver)
    runs = [str(step["run"]) for step in deliver["steps"] if "run" in step]
    assert not any(re.search(r"signupsheet (sweep|pull-request|check-pr)", run) for run in runs)
    assert sweep["outputs"]["confirmed"] == "${{ steps.sweep.outputs.confirmed }}"


def _names(job: dict[str, Any]) -> set[str]:
    """Every SIGNUPSHEET_* name a job's steps put in their environment."""
    return {name for step in job["steps"] for name in step.get("env", {}) if "SIGNUPSHEET_" in name}


def test_actions_pinned_and_no_untrusted_expressions_in_run() -> None:
    text = WORKFLOW.read_text()
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert uses
    for ref, comment in uses:
        if ref == "$/.github/workflows/pages.yml":
            continue
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.search(r"#\s*v\d", comment), f"{ref} has no version comment"
    for job in load()["jobs"].values():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), step
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    expressions = re.findall(r"\$\{\{(.*?)\}\}", text, re.DOTALL)
    # Only secrets, a repository variable, the token and our own jobs' outputs: nothing a
    # person wrote.
    found = {" ".join(e.split()) for e in expressions}
    assert found == {
        "secrets.GITHUB_TOKEN",
        "github.token",
        "secrets.SIGNUPSHEET_BAN_KEY",
        "secrets.SIGNUPSHEET_CONTACT_KEY",
        "secrets.SIGNUPSHEET_CONTACTS",
        "secrets.SIGNUPSHEET_MAIL_FROM",
        "secrets.SIGNUPSHEET_MEETING_LINKS",
        "secrets.SIGNUPSHEET_REPLY_TO",
        "secrets.SIGNUPSHEET_SMTP_URL",
        "steps.sweep.outputs.changed",
        "steps.sweep.outputs.confirmed",
        "steps.send.outputs.changed",
        "needs.sweep.outputs.confirmed",
        "!cancelled() && needs.sweep.outputs.confirmed != ''",
        "!cancelled() && (needs.sweep.outputs.changed == 'true' || "
        "needs.deliver.outputs.changed == 'true')",
        "vars.SIGNUPSHEET_SITE_URL",
    }
