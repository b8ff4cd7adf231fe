"""The pull request check on a corpus of real base/head commits, each with verdict and reason."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from gitkit import git, init_repo
from paths import REPO
from prcorpus import (
    ALICE,
    BASE_FILES,
    BOB,
    CAROL,
    FULL,
    ISSUE_ONLY,
    MEETUP,
    NOW,
    OLD_TIMER,
    Edit,
    commit_pull_request,
    entry,
    full_event,
    issue_only_event,
    meetup,
)
from signupsheet.core.model import parse_timestamp
from signupsheet.core.project import Project
from signupsheet.eventfiles import untrusted_yaml
from signupsheet.main import main
from signupsheet.registration import banlist
from signupsheet.registration.pulls.pull_check import (
    POLICY_SENTENCE,
    Context,
    check_event_change,
    policy_agreed,
)
from sitekit import make_site

DAVE = entry("dave", "Dave", note="First time here")
REGISTERED = "2026-11-20T12:00:00Z"


@dataclass(frozen=True)
class Case:
    name: str
    author: str
    edit: Edit
    verdict: str
    reason: str
    agreed: bool = True
    now: str = NOW


def meetup_with(main: str = OLD_TIMER + ALICE + BOB, **kwargs: object) -> Edit:
    return Edit(files={MEETUP: meetup(main, **kwargs)})  # type: ignore[arg-type]


CASES = [
    # --- accepted: the author's own entry, and the rules allow it ---
    Case(
        "add", "dave", meetup_with(OLD_TIMER + ALICE + BOB + DAVE), "accept", "You are registered"
    ),
    Case(
        "add-login-other-case",
        "Dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("DAVE", "Dave")),
        "accept",
        "You are registered",
    ),
    Case(
        "add-in-the-middle",
        "dave",
        meetup_with(OLD_TIMER + DAVE + ALICE + BOB),
        "accept",
        "You are registered",
    ),
    Case(
        "edit-own-note",
        "alice",
        meetup_with(OLD_TIMER + ALICE.replace("Looking forward to it.", "Running late") + BOB),
        "accept",
        "Your entry was updated",
    ),
    Case(
        "edit-own-name-and-affiliation",
        "ALICE",
        meetup_with(
            OLD_TIMER + ALICE.replace("Alice Liddell", "A. L.").replace("WMDE", "WMAT") + BOB
        ),
        "accept",
        "Your entry was updated",
    ),
    Case("cancel-own", "bob", meetup_with(OLD_TIMER + ALICE), "accept", "cancelled"),
    Case(
        "private-entry",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", visibility="private")),
        "accept",
        "You are registered",
    ),
    Case(
        "second-session",
        "bob",
        Edit(
            files={
                MEETUP: meetup(
                    second=entry(
                        "Alice",
                        "Alice Liddell",
                        registered="2026-11-02T10:05:00Z",
                        source="issue:4",
                    )
                    + entry("bob", "Bob")
                )
            }
        ),
        "accept",
        "You are registered",
    ),
    Case(
        "full-goes-to-waiting-list",
        "dave",
        Edit(files={FULL: full_event(CAROL + DAVE)}),
        "accept",
        "waiting list",
    ),
    # --- refused: someone else's entry ---
    Case(
        "entry-for-another-login",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("erin", "Erin")),
        "refuse",
        "adds an entry for erin",
    ),
    Case(
        "entry-without-login",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry(None, "Dave")),
        "refuse",
        "without a login",
    ),
    Case(
        "two-entries",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + DAVE + entry("Dave", "Dave again")),
        "refuse",
        "adds two entries for dave",
    ),
    Case(
        "two-sessions",
        "dave",
        Edit(
            files={
                MEETUP: meetup(
                    OLD_TIMER + ALICE + BOB + DAVE, ALICE.replace("issue:1", "issue:4") + DAVE
                )
            }
        ),
        "refuse",
        "several sessions",
    ),
    Case(
        "remove-someone-else", "dave", meetup_with(OLD_TIMER + ALICE), "refuse", "removes entry 3"
    ),
    Case(
        "remove-imported-line",
        "dave",
        meetup_with(ALICE + BOB + DAVE),
        "refuse",
        "removes entry 1 of session 'main', which is not yours",
    ),
    Case(
        "edit-someone-else",
        "dave",
        meetup_with(OLD_TIMER + ALICE.replace("Looking forward to it.", "Not coming") + BOB),
        "refuse",
        "edits entry 2 of session 'main' (Alice), which is not yours",
    ),
    Case(
        "promote-someone-else",
        "dave",
        Edit(
            files={
                FULL: full_event(
                    CAROL
                    + entry(
                        "erin", "Erin", registered=REGISTERED, source="pr:9", status="waitlisted"
                    ).replace("waitlisted", "confirmed")
                )
            }
        ),
        "refuse",
        "adds an entry for erin",
    ),
    Case("reorder", "dave", meetup_with(OLD_TIMER + BOB + ALICE), "refuse", "reorders"),
    Case(
        "set-status",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", status="confirmed")),
        "refuse",
        "sets 'status' of your entry yourself",
    ),
    Case(
        "set-registered",
        "dave",
        meetup_with(
            OLD_TIMER + ALICE + BOB + entry("dave", "Dave", registered="2026-11-01T00:00:00Z")
        ),
        "refuse",
        "sets 'registered'",
    ),
    Case(
        "set-source",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", source="organizer")),
        "refuse",
        "sets 'source'",
    ),
    Case(
        "set-link-sent",
        "dave",
        meetup_with(
            OLD_TIMER + ALICE + BOB + entry("dave", "Dave", link_sent="2026-12-03T13:00:00Z")
        ),
        "refuse",
        "sets 'link_sent'",
    ),
    Case(
        "change-own-timestamp",
        "alice",
        meetup_with(
            OLD_TIMER + ALICE.replace("2026-11-02T10:00:00Z", "2026-11-01T00:00:01Z") + BOB
        ),
        "refuse",
        "sets 'registered'",
    ),
    Case(
        "capacity-with-registration",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + DAVE, capacity=50),
        "refuse",
        "changes the event (its details, dates or capacity) together with a registration",
    ),
    Case(
        "dates-with-registration",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + DAVE, start="2026-12-03T13:00:00Z"),
        "refuse",
        "together with a registration",
    ),
    Case(
        "outside-events-with-registration",
        "dave",
        Edit(files={MEETUP: meetup(OLD_TIMER + ALICE + BOB + DAVE), "README.md": "# mine\n"}),
        "refuse",
        "changes README.md, which is not an event file",
    ),
    Case(
        "workflow-with-registration",
        "dave",
        Edit(
            files={
                MEETUP: meetup(OLD_TIMER + ALICE + BOB + DAVE),
                ".github/workflows/checks.yml": "name: pwned\n",
            }
        ),
        "refuse",
        "changes .github/workflows/checks.yml",
    ),
    Case(
        "odd-file-name",
        "dave",
        Edit(files={MEETUP: meetup(OLD_TIMER + ALICE + BOB + DAVE), "docs/a\nb \u00e9.md": "x\n"}),
        "refuse",
        "changes docs/a\nb \u00e9.md, which is not an event file",
    ),
    Case(
        "two-event-files",
        "dave",
        Edit(
            files={MEETUP: meetup(OLD_TIMER + ALICE + BOB + DAVE), FULL: full_event(CAROL + DAVE)}
        ),
        "refuse",
        "changes several event files",
    ),
    Case(
        "symlink",
        "dave",
        Edit(symlinks={"events/2026-12-31-link.yaml": "../README.md"}),
        "refuse",
        "is a symbolic link",
    ),
    Case(
        "submodule",
        "dave",
        Edit(gitlinks={"events/vendor": "0123456789abcdef0123456789abcdef01234567"}),
        "refuse",
        "events/vendor is a submodule",
    ),
    Case(
        "binary",
        "dave",
        Edit(files={MEETUP: meetup().encode() + b"\0\x01\x02"}),
        "refuse",
        "is a binary file",
    ),
    Case(
        "rename",
        "dave",
        Edit(renames={MEETUP: "events/2026-12-04-meetup.yaml"}),
        "refuse",
        "renames or copies",
    ),
    Case(
        "executable",
        "dave",
        Edit(files={MEETUP: meetup(OLD_TIMER + ALICE + BOB + DAVE)}, executable=[MEETUP]),
        "refuse",
        "executable",
    ),
    Case(
        "anchors-and-aliases",
        "dave",
        meetup_with(
            OLD_TIMER + ALICE + BOB + "      - &me\n        login: dave\n        name: Dave\n",
            extra="x-copy: *me\n",
        ),
        "refuse",
        "YAML aliases (*me) are not allowed",
    ),
    Case(
        "anchor",
        "dave",
        meetup_with(
            OLD_TIMER + ALICE + BOB + "      - &me\n        login: dave\n        name: Dave\n"
        ),
        "refuse",
        "YAML anchors (&me) are not allowed",
    ),
    Case(
        "duplicate-keys",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("dave", "Dave") + "        name: Dave Again\n"),
        "refuse",
        "duplicate key 'name'",
    ),
    Case(
        "over-one-megabyte",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + DAVE + "#" + "x" * 1_000_001 + "\n"),
        "refuse",
        "larger than 1,000,000 bytes",
    ),
    Case(
        "not-utf8",
        "dave",
        Edit(
            files={
                MEETUP: meetup(OLD_TIMER + ALICE + BOB + DAVE).encode().replace(b"Dave", b"D\xe9ve")
            }
        ),
        "refuse",
        "not UTF-8",
    ),
    Case(
        "pull-requests-off",
        "dave",
        Edit(files={ISSUE_ONLY: issue_only_event(CAROL + DAVE)}),
        "refuse",
        "pull_requests: false",
    ),
    Case(
        "closed",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + DAVE),
        "refuse",
        "Registration closed",
        now="2026-12-03T14:30:00Z",
    ),
    Case(
        "not-open-yet",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + DAVE),
        "refuse",
        "Registration opens 2026-11-01T00:00:00Z",
        now="2026-10-20T12:00:00Z",
    ),
    Case(
        "banned",
        "Troll-42",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("troll-42", "Troll")),
        "refuse",
        "Registration is not possible. Please contact the organizers.",
    ),
    Case(
        "policy-not-ticked",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + DAVE),
        "refuse",
        "agree to the event's policy",
        agreed=False,
    ),
    Case(
        "address-in-note",
        "dave",
        meetup_with(
            OLD_TIMER + ALICE + BOB + entry("dave", "Dave", note="write to dave@example.org")
        ),
        "refuse",
        "an e-mail address does not belong in a public event file",
    ),
    Case(
        "unknown-field",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", phone="'123'")),
        "refuse",
        "unknown key 'phone'",
    ),
    # --- review: what maintainers change ---
    Case(
        "new-event",
        "orga-nizer",
        Edit(
            files={
                "events/2027-01-07-new.yaml": full_event("      []\n").replace(
                    "registrations:\n      []", "registrations: []"
                )
            }
        ),
        "review",
        "adds a new event",
    ),
    Case(
        "new-event-with-a-problem",
        "orga-nizer",
        Edit(
            files={
                "events/2027-01-08-new.yaml": full_event(DAVE).replace(
                    "capacity: 1", "capacity: many"
                )
            }
        ),
        "review",
        "events/2027-01-08-new.yaml:7:15: expected a whole number, found 'many'",
    ),
    Case(
        "event-details",
        "dave",
        meetup_with(title="Monthly meetup (moved)"),
        "review",
        "edits the event details",
    ),
    Case(
        "other-file-only",
        "dave",
        Edit(files={"README.md": "# better\n"}),
        "review",
        "not an event file",
    ),
    Case(
        "workflow-only",
        "dave",
        Edit(files={".github/workflows/checks.yml": "name: x\n"}),
        "review",
        "not an event file",
    ),
    Case(
        "organizer-edits-sheet",
        "Orga-Nizer",
        meetup_with(OLD_TIMER + ALICE),
        "review",
        "organizer's or maintainer's edit",
    ),
    Case("delete-event", "orga-nizer", Edit(files={FULL: None}), "review", "removes the event"),
    Case(
        "comments-only",
        "dave",
        Edit(files={MEETUP: meetup().replace("# imported from the wiki", "# from the wiki page")}),
        "review",
        "only comments or layout",
    ),
    Case("nothing", "dave", Edit(), "review", "changes no file"),
    # --- the characters the issue form removes are refused here (issue 16) ---
    Case(
        "name-with-terminal-escape",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("dave", '"\\e]8;;https://x.example\\aDave"')),
        "refuse",
        "invisible control or format characters (U+001B, U+0007)",
    ),
    Case(
        "note-with-bidi-override",
        "dave",
        meetup_with(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", note="a\u202eb")),
        "refuse",
        "invisible control or format characters (U+202E)",
    ),
]


BAN_KEY = "test-ban-key-0123456789abcdef0123456789abcdef"  # a test value, not a real key


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("corpus")
    make_site(root, files=BASE_FILES)
    bans = banlist.BanList()
    bans.add("TROLL-42", BAN_KEY)
    banlist.save(root / "banlist.txt", bans)
    init_repo(root)
    heads = {case.name: commit_pull_request(root, case.name, case.edit) for case in CASES}
    return root, heads


@pytest.fixture(autouse=True)
def ban_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ban list's key, as the workflow gives it."""
    monkeypatch.setenv(banlist.BAN_KEY_VARIABLE, BAN_KEY)


def check(
    root: Path, head: str, case: Case, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, object]]:
    args = ["--root", str(root), "check-pr", "--base", "main", "--head", head]
    args += ["--author", case.author, "--now", case.now, "--json"]
    if case.agreed:
        args.append("--agree-policy")
    code = main(args)
    return code, json.loads(capsys.readouterr().out)


def test_the_corpus_is_large_and_covers_every_verdict() -> None:
    assert len(CASES) >= 30
    assert {case.verdict for case in CASES} == {"accept", "review", "refuse"}
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_verdict_and_reason(
    corpus: tuple[Path, dict[str, str]], case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    root, heads = corpus
    code, out = check(root, heads[case.name], case, capsys)
    assert out["verdict"] == case.verdict, out
    assert code == {"accept": 0, "refuse": 1, "review": 3}[case.verdict]
    said = "\n".join([*out["reasons"], *out["problems"]])  # type: ignore[misc]
    assert case.reason in said, said
    if case.verdict == "accept":
        change = out["change"]
        assert isinstance(change, dict)
        assert change["login"] == case.author
        assert out["event"] is not None


def test_accepted_change_says_what_the_bot_will_write(
    corpus: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, heads = corpus
    case = next(case for case in CASES if case.name == "full-goes-to-waiting-list")
    _, out = check(root, heads[case.name], case, capsys)
    assert out["event"] == "2026-12-05-workshop"
    assert out["change"] == {
        "kind": "register",
        "session": "main",
        "login": "dave",
        "name": "Dave",
        "affiliation": None,
        "note": "First time here",
        "visibility": "public",
        "outcome": "waitlisted",
        "status": "waitlisted",
        "files": [FULL],
    }


def test_problems_point_at_the_line(
    corpus: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, heads = corpus
    case = next(case for case in CASES if case.name == "unknown-field")
    _, out = check(root, heads[case.name], case, capsys)
    text = meetup(OLD_TIMER + ALICE + BOB + entry("dave", "Dave", phone="'123'"))
    line = text.splitlines().index("        phone: '123'") + 1
    assert out["problems"] == [
        f"{MEETUP}:{line}:9: unknown key 'phone'; known keys: "
        + out["problems"][0].split("known keys: ")[1]
    ]  # type: ignore[index]


def test_a_base_that_moved_on_is_not_blamed_on_the_pull_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Others registered on main after the fork: the diff is taken from the merge base."""
    make_site(tmp_path, files=BASE_FILES)
    init_repo(tmp_path)
    head = commit_pull_request(tmp_path, "dave", meetup_with(OLD_TIMER + ALICE + BOB + DAVE))
    commit_pull_request(
        tmp_path,
        "erin",
        meetup_with(
            OLD_TIMER + ALICE + BOB + entry("erin", "Erin", registered=REGISTERED, source="pr:7")
        ),
    )
    git(tmp_path, "merge", "--quiet", "--ff-only", "erin")
    code, out = check(tmp_path, head, Case("moved", "dave", Edit(), "accept", ""), capsys)
    assert (code, out["verdict"]) == (0, "accept"), out


def test_text_output_and_usage_errors(
    corpus: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, heads = corpus
    code = main(
        [
            "--root",
            str(root),
            "check-pr",
            "--base",
            "main",
            "--head",
            heads["reorder"],
            "--author",
            "dave",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("refuse: 2026-12-03-meetup\n  - reorders the sign-up sheet")
    code = main(
        [
            "--root",
            str(root),
            "check-pr",
            "--base",
            "main",
            "--head",
            "no-such-branch",
            "--author",
            "dave",
        ]
    )
    assert code == 1
    assert "'no-such-branch' is not a commit" in capsys.readouterr().err


def test_policy_box_in_the_description(tmp_path: Path) -> None:
    template = (REPO / ".github" / "pull_request_template.md").read_text()
    assert f"- [ ] {POLICY_SENTENCE}" in template
    assert not policy_agreed(template)
    assert policy_agreed(template.replace("- [ ]", "- [x]"))
    assert policy_agreed(template.replace("- [ ]", "- [X]").replace("\n", "\r\n"))
    assert not policy_agreed(None)
    assert not policy_agreed(f"I did not tick it: [x] {POLICY_SENTENCE}")
    assert not policy_agreed(f"```\n[x] {POLICY_SENTENCE}")


def test_body_file_ticks_the_box(
    corpus: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, heads = corpus
    body = tmp_path / "body.md"
    for ticked, verdict in ((" ", "refuse"), ("x", "accept")):
        body.write_text(f"Hello\n\n- [{ticked}] {POLICY_SENTENCE} (the safe-space policy)\n")
        args = ["--root", str(root), "check-pr", "--base", "main", "--head", heads["add"]]
        main([*args, "--author", "dave", "--now", NOW, "--body-file", str(body), "--json"])
        assert json.loads(capsys.readouterr().out)["verdict"] == verdict


def test_the_command_and_its_exit_codes_are_documented(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check-pr", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for words in ("(accept, exit 0)", "(review, exit 3)", "(refuse, exit 1)"):
        assert words in help_text
    readme = (REPO / "README.md").read_text()
    assert "`signupsheet check-pr --base REV --head REV --author LOGIN" in readme
    assert "exit 0" in readme and "exit 3" in readme
    guide = (REPO / "docs" / "registering.md").read_text()
    assert "\n## Registering by pull request\n" in guide
    assert f"- [ ] {POLICY_SENTENCE}" in guide


def _no_waiting_list(sheet: str) -> str:
    return full_event(sheet).replace(
        "policy: policies/safe-space.md\n",
        "policy: policies/safe-space.md\nregistration:\n  waitlist: false\n",
    )


@pytest.mark.parametrize(
    "dave",
    [DAVE, entry("dave", "Dave", phone="'123'")],
    ids=["valid-entry", "entry-with-a-problem"],
)
def test_a_full_session_without_waiting_list_refuses_as_the_rules_do(
    tmp_path: Path, dave: str
) -> None:
    """The status of a new entry is the rules' to decide. The check used to guess it (waitlisted
    when the session is full, whatever `waitlist` said) and validate the guess before asking the
    rules, so a sign-up for a full session without a waiting list was told to fix its entry, to
    be refused as full once it had."""
    make_site(tmp_path, {})
    path = "events/2026-12-05-no-waiting-list.yaml"
    base = untrusted_yaml.parse(_no_waiting_list(CAROL).encode(), path)
    head = untrusted_yaml.parse(_no_waiting_list(CAROL + dave).encode(), path)
    context = Context(author="dave", now=parse_timestamp(NOW), agreed=True, number=8)
    result = check_event_change(path, base, head, context, Project(tmp_path))
    assert (result.verdict, result.reasons) == (
        "refuse",
        ["This session is full and has no waiting list."],
    )
    assert result.decision is not None and result.decision.outcome.refused
    # With a waiting list, the same sign-up is taken onto it, and its problem is reported.
    base = untrusted_yaml.parse(full_event(CAROL).encode(), path)
    head = untrusted_yaml.parse(full_event(CAROL + dave).encode(), path)
    result = check_event_change(path, base, head, context, Project(tmp_path))
    assert result.verdict == ("accept" if dave == DAVE else "refuse"), result.reasons
    if dave == DAVE:
        assert result.decision is not None and result.decision.outcome.status == "waitlisted"
    else:
        assert [problem.message.split(";")[0] for problem in result.problems] == [
            "unknown key 'phone'"
        ]


def test_an_entry_bound_to_an_account_id_is_refused_to_the_new_holder_of_its_login(
    tmp_path: Path,
) -> None:
    """Carol (id 7) renamed her account; Mallory (id 9) now holds the login `carol`."""
    make_site(tmp_path, {})
    path = "events/2026-12-05-small-workshop.yaml"
    bound = entry("carol", "Carol", registered="2026-11-03T11:00:00Z", source="pr:3", user_id="7")
    base = untrusted_yaml.parse(full_event(bound).encode(), path)
    renamed = untrusted_yaml.parse(full_event(bound.replace("Carol\n", "Mal\n")).encode(), path)
    removed = untrusted_yaml.parse(
        full_event("").replace("    registrations:\n", "").encode(), path
    )
    for head in (renamed, removed):
        for author_id, verdict in ((9, "refuse"), (7, "accept")):
            context = Context(author="carol", now=parse_timestamp(NOW), agreed=True, number=8)
            context = replace(context, author_id=author_id)
            result = check_event_change(path, base, head, context, Project(tmp_path))
            assert result.verdict == verdict, (author_id, result.reasons)
            if verdict == "refuse":
                assert "belongs to another GitHub account" in result.reasons[-1]
    # The id is the bot's to write: an entry that sets it itself is refused.
    forged = entry("dave", "Dave", user_id="7")
    head = untrusted_yaml.parse(full_event(bound + forged).encode(), path)
    context = Context(author="dave", now=parse_timestamp(NOW), agreed=True, author_id=11)
    result = check_event_change(path, base, head, context, Project(tmp_path))
    assert result.verdict == "refuse"
    assert any("sets 'user_id'" in reason for reason in result.reasons), result.reasons
