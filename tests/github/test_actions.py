"""The Actions glue: outputs and summary for later jobs, masks, the checked token and repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from signupsheet.core.errors import UserError
from signupsheet.github.actions import append_summary, mask_lines, workflow, write_outputs


def test_outputs_are_appended_for_later_jobs(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_outputs({"GITHUB_OUTPUT": str(out)}, changed=True)
    write_outputs({"GITHUB_OUTPUT": str(out)}, changed=False, pushed=True)
    assert out.read_text() == "changed=true\nchanged=false\npushed=true\n"
    write_outputs({}, changed=True)  # outside Actions: nothing to write, and no error


def test_summary_is_appended(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    append_summary({"GITHUB_STEP_SUMMARY": str(summary)}, "## One")
    append_summary({"GITHUB_STEP_SUMMARY": str(summary)}, "## Two")
    assert summary.read_text() == "## One\n## Two\n"


def test_masks_only_in_actions_once_each_and_single_lines() -> None:
    secrets = ["s3cret", "", "s3cret", "two\nlines", "other"]
    assert mask_lines({}, secrets) == []
    assert mask_lines({"GITHUB_ACTIONS": "true"}, secrets) == [
        "::add-mask::s3cret",
        "::add-mask::other",
    ]


def test_workflow_needs_a_token_and_a_repository() -> None:
    urls = ("https://api.example.invalid", "https://example.invalid/")
    with pytest.raises(UserError, match=r"GITHUB_TOKEN is not set.*issues: write"):
        workflow({"GITHUB_TOKEN": "  "}, "o/r", *urls, "issues: write")
    for repository in (None, "", "no-slash"):
        with pytest.raises(UserError, match="--repo OWNER/NAME"):
            workflow({"GITHUB_TOKEN": "t"}, repository, *urls, "issues: write")
    found = workflow({"GITHUB_TOKEN": " t "}, "o/r", *urls, "issues: write")
    assert (found.token, found.repository) == ("t", "o/r")
    assert found.repo_url == "https://example.invalid/o/r"
