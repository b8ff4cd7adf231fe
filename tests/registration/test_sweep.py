from __future__ import annotations

import json
import subprocess
from pathlib import Path

from formbodies import cancel_body, register_body
from githubdouble import GitHubDouble
from gitkit import clone, git
from signupsheet.registration.issues.issue_replies import REPLY_MARKER
from sweepkit import (
    EVENT_ID,
    created,
    make_remote,
    remote_file,
    run_sweep,
    sweep_command,
    sweep_env,
)


def test_sweep_registers_answers_labels_and_closes(tmp_path: Path, double: GitHubDouble) -> None:
    remote = make_remote(tmp_path, capacity=1)
    work = clone(remote, tmp_path / "work")
    reg = ["registration"]
    double.add_issue(
        1, "Ann", register_body(EVENT_ID, name="Ann A.", note="hi"), reg, created=created(1)
    )
    double.add_issue(2, "bob", register_body(EVENT_ID), reg, created=created(2))
    double.add_issue(3, "cy", register_body("no-such-event"), reg, created=created(3))
    double.add_issue(4, "dee", register_body(EVENT_ID, policy=False), reg, created=created(4))
    double.add_issue(5, "eve", "just a question", ["question"], created=created(5))
    double.add_comment(1, "mallory", f"{REPLY_MARKER} digest=0000000000000000 --> fake")
    output = tmp_path / "github-output"
    result = run_sweep(double, work, output=output)
    assert result.returncode == 0, result.stderr
    # Outside the link window: nobody for the job that mails the link.
    assert output.read_text() == "changed=true\nconfirmed=\n"
    text = remote_file(remote)
    assert "# Comments survive the bot's edits." in text
    assert "login: Ann" in text and "name: Ann A." in text and "source: issue:1" in text
    assert "login: bob" in text and "status: waitlisted" in text
    assert "login: cy" not in text and "login: dee" not in text
    log = git(remote, "log", "--format=%s", "main")
    assert log.splitlines()[:2] == [
        f"Sign-up of bob for {EVENT_ID}",
        f"Sign-up of Ann for {EVENT_ID}",
    ]
    (ann,) = double.bot_comments(1)
    assert "**You are registered**" in ann
    assert "Thursday, 3 December 2026, 14:00 to 15:00 UTC" in ann
    assert "60 minutes before the start" in ann
    assert "template=cancel.yml" in ann and f"event={EVENT_ID}" in ann
    (bob,) = double.bot_comments(2)
    assert "waiting list" in bob
    (cy,) = double.bot_comments(3)
    assert "no event 'no-such-event'" in cy and "No event is open" not in cy
    assert f"`{EVENT_ID}`" in cy  # the open events are listed
    (dee,) = double.bot_comments(4)
    assert "Policy: please tick the box" in dee
    assert double.issues[1]["state"] == "closed" and double.issues[2]["state"] == "closed"
    assert double.issues[3]["state"] == "open" and double.issues[4]["state"] == "open"
    assert double.label_names(1) == ["registered", "registration"]
    assert double.label_names(2) == ["registration", "waitlisted"]
    assert double.label_names(3) == ["needs-changes", "registration"]
    assert double.comments_on(5) == []
    # The fake marker comment of someone else was neither edited nor taken for ours.
    assert any(
        c["user"]["login"] == "mallory" and "fake" in c["body"] for c in double.comments_on(1)
    )

    # A second run changes nothing and answers nobody twice.
    requests_before = len(double.created_comments)
    head = git(remote, "rev-parse", "main")
    assert run_sweep(double, work, output=output).returncode == 0
    assert output.read_text() == "changed=true\nconfirmed=\nchanged=false\nconfirmed=\n"
    assert git(remote, "rev-parse", "main") == head
    assert len(double.created_comments) == requests_before

    # Fixing the form (an edit) is picked up: the same comment is edited in place.
    double.edit_body(4, register_body(EVENT_ID, policy=True), created(50))
    assert run_sweep(double, work).returncode == 0
    (dee,) = double.bot_comments(4)
    assert "waiting list" in dee
    assert double.issues[4]["state"] == "closed"

    # Editing a closed issue re-evaluates it: Ann changes her note.
    double.edit_body(
        1, register_body(EVENT_ID, name="Ann A.", note="bringing a friend"), created(60)
    )
    event_path = double.event_payload("issues.edited.payload.json", 1, tmp_path / "event.json")
    assert run_sweep(double, work, "--event-path", str(event_path)).returncode == 0
    assert "note: bringing a friend" in remote_file(remote)
    (ann,) = double.bot_comments(1)
    assert "Your entry was updated" in ann

    # Ann cancels: bob moves up, and his answer says so.
    double.add_issue(7, "ANN", cancel_body(EVENT_ID), ["cancellation"], created=created(70))
    assert run_sweep(double, work).returncode == 0
    text = remote_file(remote)
    assert "login: Ann" not in text and "status: waitlisted" in text  # dee still waits
    (cancelled,) = double.bot_comments(7)
    assert "**Your registration is cancelled**" in cancelled
    (bob,) = double.bot_comments(2)
    assert "moved up from the waiting list" in bob
    assert double.label_names(2) == ["registered", "registration"]
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == (
        f"Cancellation of ANN for {EVENT_ID}"
    )


def test_sweep_keeps_the_forms_list_of_open_events_current(
    tmp_path: Path, double: GitHubDouble
) -> None:
    remote = make_remote(tmp_path, forms_current=False)
    work = clone(remote, tmp_path / "work")
    assert "No event is open" in remote_file(remote, ".github/ISSUE_TEMPLATE/register.yml")
    output = tmp_path / "github-output"
    assert run_sweep(double, work, output=output).returncode == 0
    for name in ("register.yml", "cancel.yml"):
        form = remote_file(remote, f".github/ISSUE_TEMPLATE/{name}")
        assert f"| Monthly meetup | `{EVENT_ID}` | `main` 3 Dec 2026, 14:00 UTC |" in form
        assert form.startswith("# ")  # the template's comments are kept
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == (
        "Update the list of open events in the issue forms"
    )
    head = git(remote, "rev-parse", "main")
    assert run_sweep(double, work, output=output).returncode == 0
    assert git(remote, "rev-parse", "main") == head
    assert output.read_text() == "changed=true\nconfirmed=\nchanged=false\nconfirmed=\n"


def test_seat_freed_outside_the_sweep_is_announced_by_the_next_run(
    tmp_path: Path, double: GitHubDouble
) -> None:
    from signupsheet.main import main
    from sweepkit import NOW

    remote = make_remote(tmp_path, capacity=1)
    work = clone(remote, tmp_path / "work")
    organizer = clone(remote, tmp_path / "organizer")
    reg = ["registration"]
    double.add_issue(1, "ann", register_body(EVENT_ID), reg, created=created(1))
    double.add_issue(2, "bob", register_body(EVENT_ID), reg, created=created(2))
    assert run_sweep(double, work).returncode == 0
    assert double.label_names(2) == ["registration", "waitlisted"]
    git(organizer, "pull", "-q", "--ff-only")
    assert main(["--root", str(organizer), "cancel", EVENT_ID, "--user", "ann", "--now", NOW]) == 0
    git(organizer, "commit", "-qam", "Cancel a registration by hand")
    git(organizer, "push", "-q", "origin", "HEAD:main")
    assert run_sweep(double, work).returncode == 0
    (bob,) = double.bot_comments(2)
    assert "moved up from the waiting list" in bob
    assert double.label_names(2) == ["registered", "registration"]


def test_a_sweep_needs_no_mail_secret_and_names_only_the_entries_it_confirmed_in_the_window(
    tmp_path: Path, double: GitHubDouble
) -> None:
    """The job that reads issue bodies holds no mail secret: a broken one in its environment
    changes nothing. Inside the link window it names the entries it just confirmed (not others
    who are due too) to the delivery job, and its outputs are written whatever happens after
    the push."""
    remote = make_remote(tmp_path, capacity=1)
    work = clone(remote, tmp_path / "work")
    reg = ["registration"]
    double.add_issue(1, "Ann", register_body(EVENT_ID), reg, created=created(1))
    double.add_issue(2, "bob", register_body(EVENT_ID), reg, created=created(2))
    assert run_sweep(double, work).returncode == 0  # Ann confirmed, bob waits (days before)

    double.add_issue(3, "ANN", cancel_body(EVENT_ID), ["cancellation"], created=created(3))
    output = tmp_path / "github-output"
    env = sweep_env()
    env["GITHUB_OUTPUT"] = str(output)
    # Broken secrets, as if the workflow still handed them to this job: they must not matter.
    env["SIGNUPSHEET_MEETING_LINKS"] = "https://meet.example.org/j/1?pwd=swapped: " + EVENT_ID
    env["SIGNUPSHEET_CONTACTS"] = "ann.secret@example.org: Ann"
    env["SIGNUPSHEET_SMTP_URL"] = "smtp://127.0.0.1:9"
    # The session starts at 14:00 UTC; the link window opens at 13:00.
    result = subprocess.run(
        sweep_command(double, work, "--now", "2026-12-03T13:30:00Z"),
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["#3: cancelled"]
    written = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert written["changed"] == "true"
    # bob moved up inside the window: he, and only he, is owed the link now.
    assert json.loads(written["confirmed"]) == [[EVENT_ID, "main", "bob"]]
    for secret in ("swapped", "ann.secret"):
        assert secret not in result.stdout + result.stderr


def test_an_entry_stays_with_the_account_through_a_rename(
    tmp_path: Path, double: GitHubDouble
) -> None:
    """Ann (id 7) signs up, renames herself `anna`; Mallory (id 9) takes the login `ann`."""
    remote = make_remote(tmp_path)
    work = clone(remote, tmp_path / "work")
    reg, unreg = ["registration"], ["cancellation"]
    double.user_ids.update(ann=7, anna=7)
    double.add_issue(1, "ann", register_body(EVENT_ID, name="Ann A."), reg, created=created(1))
    assert run_sweep(double, work).returncode == 0
    text = remote_file(remote)
    assert "login: ann\n" in text and "user_id: 7" in text
    double.user_ids["ann"] = 9  # the login has passed to Mallory
    double.add_issue(2, "ann", cancel_body(EVENT_ID), unreg, created=created(2))
    double.add_issue(3, "ann", register_body(EVENT_ID, name="Mal"), reg, created=created(3))
    result = run_sweep(double, work)
    assert result.returncode == 0, result.stderr
    assert remote_file(remote) == text  # neither cancelled nor changed nor doubled
    for number in (2, 3):
        (reply,) = double.bot_comments(number)
        assert "belongs to another GitHub account" in reply
    # The renamed owner still controls her entry under her new login.
    double.add_issue(4, "anna", register_body(EVENT_ID, name="Anna A."), reg, created=created(4))
    assert run_sweep(double, work).returncode == 0
    text = remote_file(remote)
    assert "login: anna\n" in text and "name: Anna A." in text and "user_id: 7" in text
    assert "login: ann\n" not in text
    double.add_issue(5, "anna", cancel_body(EVENT_ID), unreg, created=created(5))
    assert run_sweep(double, work).returncode == 0
    assert "anna" not in remote_file(remote)
