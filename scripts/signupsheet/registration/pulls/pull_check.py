"""Checking a pull request that edits a sign-up sheet: what changed, in meaning, and may the bot
take it.

The wiki way of signing up — add your own line to the list — works as a pull request that edits
one event file. The check compares the two versions of each changed file as data, not as text:

- `accept`: exactly one event file changed, and the only change is the author's own entry being
  added, edited (name, affiliation, note, visibility) or removed, and the registration rules allow
  it. The bot then writes the entry itself (time, source, status), so nothing else of the pull
  request reaches the main branch.
- `review`: changes maintainers make (a new event, edited event details, other files, an
  organizer editing the sheet). The bot merges none of them; the validation result helps the
  reviewer.
- `refuse`: everything else, with every reason found. The pull request stays open: pushing a fix
  runs the check again.

Files that are unsafe to handle at all — symlinks, submodules, binary or renamed event files,
YAML with anchors, aliases or duplicate keys, files over the size limit — are refused whoever
sends them. Logins are compared case-insensitively.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from signupsheet.core.errors import Problem
from signupsheet.core.model import Visibility, registration_to_data, same_login
from signupsheet.core.project import Project
from signupsheet.core.rules import (
    Actor,
    BanCheck,
    CancelRequest,
    Decision,
    Request,
    SignupRequest,
    decide,
    takes_pull_requests,
)
from signupsheet.eventfiles import untrusted_yaml
from signupsheet.eventfiles.catalog import check_parsed
from signupsheet.eventfiles.schema import EventSchema, load_schema
from signupsheet.registration.contact_check import request_contact_check
from signupsheet.registration.issues.issue_form import MAX_BODY
from signupsheet.registration.pulls import pull_changes
from signupsheet.registration.pulls.pull_changes import Changes, FileChange

Verdict = Literal["accept", "review", "refuse"]
ChangeKind = Literal["register", "update", "cancel"]

EXIT_CODES: dict[Verdict, int] = {"accept": 0, "refuse": 1, "review": 3}

# Fields of an entry the person may write themself; the bot sets the others.
OWN_FIELDS = ("login", "name", "affiliation", "note", "visibility", "contact")
BOT_FIELDS = ("registered", "source", "status", "link_sent", "promoted", "user_id")

# The box a pull request's description must have ticked; the template
# .github/pull_request_template.md carries the same sentence.
POLICY_SENTENCE = "I agree to the policy of the event I sign up for"
_POLICY_TICKED = re.compile(
    r"^[ \t]{0,3}[-*+][ \t]+\[[xX]\][ \t]+" + re.escape(POLICY_SENTENCE), re.MULTILINE
)


def policy_agreed(body: str | None) -> bool:
    """Whether a pull request's description has the policy box ticked."""
    return body is not None and bool(_POLICY_TICKED.search(body[:MAX_BODY]))


@dataclass(frozen=True)
class RegistrationChange:
    """The semantic change of an accepted pull request, to be re-applied on the newest sheet."""

    kind: ChangeKind
    event: str
    session: str
    login: str
    name: str | None = None
    affiliation: str | None = None
    note: str | None = None
    visibility: Visibility = "public"
    contact: str | None = None  # sealed; checked with the key before the rules decide

    def request(self, *, agreed: bool, source: str | None, user_id: int | None = None) -> Request:
        """What the rules decide on: the sign-up (for `register` and `update`) or cancellation.

        `user_id` is the pull request author's account id, which binds the entry to them."""
        if self.kind == "cancel":
            return CancelRequest(self.login, self.session, user_id=user_id)
        return SignupRequest(
            user=self.login,
            session=self.session,
            name=self.name,
            affiliation=self.affiliation,
            note=self.note,
            visibility=self.visibility,
            agreed=agreed,
            source=source,
            contact=self.contact,
            user_id=user_id,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "session": self.session, "login": self.login}
        if self.kind != "cancel":
            data.update(
                name=self.name,
                affiliation=self.affiliation,
                note=self.note,
                visibility=self.visibility,
            )
        return data


@dataclass
class CheckResult:
    verdict: Verdict
    event: str | None = None
    change: RegistrationChange | None = None
    reasons: list[str] = field(default_factory=list)
    # Validation results of the changed event files, for the person or the reviewer.
    problems: list[Problem] = field(default_factory=list)
    decision: Decision | None = None
    files: list[str] = field(default_factory=list)
    # The change touched sign-up sheets as a registration (not as an organizer's edit).
    registration: bool = False

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    def to_json(self) -> dict[str, Any]:
        change: dict[str, Any] = {} if self.change is None else self.change.to_json()
        if self.decision is not None:
            outcome = self.decision.outcome
            change["outcome"] = outcome.outcome
            if outcome.status is not None:
                change["status"] = outcome.status
            if outcome.promoted:
                change["promoted"] = list(outcome.promoted)
        if self.files:
            change["files"] = list(self.files)
        return {
            "verdict": self.verdict,
            "event": self.event,
            "change": change,
            "reasons": list(self.reasons),
            "problems": [str(problem) for problem in self.problems],
        }


@dataclass(frozen=True)
class Context:
    """Who sent the pull request and what the rules need to know about it."""

    author: str
    now: datetime
    agreed: bool = False
    banned: BanCheck = lambda login: False
    # A maintainer of the site (the pull request's author association says so).
    maintainer: bool = False
    number: int | None = None
    # SIGNUPSHEET_CONTACT_KEY, to open a sealed `contact:` (None: kept unread).
    contact_key: str | None = None
    # The author's numeric account id (None: not known, as in a local `check-pr`).
    author_id: int | None = None

    @property
    def source(self) -> str:
        return f"pr:{self.number or 1}"


EVENT_PATH = re.compile(r"^events/[^/]+\.yaml$")


def is_event_path(path: str) -> bool:
    return bool(EVENT_PATH.match(path))


def _canonical(value: Any) -> str:
    # Type-exact comparison: in Python `True == 1`, in an event file they differ.
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


# --- the semantic diff of one event file ----------------------------------------------------

_Sheet = list[Any]


@dataclass
class _Split:
    """An event's data cut into the event details and each session's sign-up sheet."""

    details: str
    sheets: dict[str, _Sheet] | None


def _split(data: Any) -> _Split:
    sessions = data.get("sessions") if isinstance(data, dict) else None
    if not isinstance(sessions, list):
        return _Split(_canonical(data), None)
    details = dict(data)
    details["sessions"] = []
    sheets: dict[str, _Sheet] = {}
    for session in sessions:
        if not isinstance(session, dict) or not isinstance(session.get("id"), str):
            return _Split(_canonical(data), None)
        if session["id"] in sheets:
            return _Split(_canonical(data), None)
        rest = {key: value for key, value in session.items() if key != "registrations"}
        details["sessions"].append(rest)
        entries = session.get("registrations", [])
        if not isinstance(entries, list):
            # Not a sign-up sheet at all: judged as a change of the event itself.
            return _Split(_canonical(data), None)
        sheets[session["id"]] = entries
    return _Split(_canonical(details), sheets)


def _login(entry: Any) -> str | None:
    if isinstance(entry, dict) and isinstance(entry.get("login"), str):
        return str(entry["login"])
    return None


def _is_mine(entry: Any, author: str) -> bool:
    return same_login(_login(entry), author)


def _label(entry: Any, index: int, session: str) -> str:
    login = _login(entry)
    where = f"entry {index + 1} of session {session!r}"
    return f"{where} ({login})" if login else where


def _identity(entry: Any) -> str:
    login = _login(entry)
    if login is not None:
        return "login:" + login.casefold()
    name = entry.get("name") if isinstance(entry, dict) else entry
    return "name:" + _canonical(name)


@dataclass
class _SheetDiff:
    """What changed on the sign-up sheets of one event file."""

    # Sessions whose sheet holds a change to the author's own entry, with before and after.
    mine: dict[str, tuple[list[Any], list[Any]]] = field(default_factory=dict)
    # Changes to other people's entries, as sentences.
    foreign: list[str] = field(default_factory=list)


def _diff_sheets(base: dict[str, _Sheet], head: dict[str, _Sheet], author: str) -> _SheetDiff:
    diff = _SheetDiff()
    for session_id in sorted(set(base) & set(head)):
        before, after = base[session_id], head[session_id]
        mine_before = [entry for entry in before if _is_mine(entry, author)]
        mine_after = [entry for entry in after if _is_mine(entry, author)]
        if [_canonical(e) for e in mine_before] != [_canonical(e) for e in mine_after]:
            diff.mine[session_id] = (mine_before, mine_after)
        others_before = [(i, e) for i, e in enumerate(before) if not _is_mine(e, author)]
        others_after = [(i, e) for i, e in enumerate(after) if not _is_mine(e, author)]
        if [_canonical(e) for _, e in others_before] == [_canonical(e) for _, e in others_after]:
            continue
        diff.foreign.extend(_describe_foreign(session_id, others_before, others_after, author))
    return diff


def _describe_foreign(
    session_id: str,
    before: list[tuple[int, Any]],
    after: list[tuple[int, Any]],
    author: str,
) -> list[str]:
    found: list[str] = []
    old_ids = Counter(_identity(entry) for _, entry in before)
    new_ids = Counter(_identity(entry) for _, entry in after)
    old_by_id = {_identity(entry): entry for _, entry in before}
    seen: Counter[str] = Counter()
    for index, entry in after:
        key = _identity(entry)
        seen[key] += 1
        if seen[key] > old_ids[key]:
            login = _login(entry)
            if login is None:
                found.append(
                    f"adds {_label(entry, index, session_id)} without a login: an entry added "
                    f"by pull request is yours, with 'login: {author}'"
                )
            else:
                found.append(
                    f"adds an entry for {login} to session {session_id!r}: you can only sign up "
                    f"yourself ({author}); {login} can open their own pull request"
                )
        elif _canonical(entry) != _canonical(old_by_id[key]):
            found.append(
                f"edits {_label(entry, index, session_id)}, which is not yours: only that person "
                "or an organizer may change it"
            )
    gone = old_ids - new_ids
    for index, entry in before:
        key = _identity(entry)
        if gone[key] > 0:
            gone[key] -= 1
            found.append(
                f"removes {_label(entry, index, session_id)}, which is not yours: only that "
                "person or an organizer may remove it"
            )
    if not found:
        found.append(
            f"reorders the sign-up sheet of session {session_id!r}: the order is first come, "
            "first served (it decides the waiting list)"
        )
    return found


# --- one event file -----------------------------------------------------------------------


def _parse_blob(change: FileChange, blob: pull_changes.Blob) -> untrusted_yaml.Parsed:
    if blob.size > untrusted_yaml.MAX_BYTES:
        # Not read: the parser says the same as for a file read from disk.
        return untrusted_yaml.parse(bytes(pull_changes.READ_LIMIT), change.path)
    return untrusted_yaml.parse(blob.data, change.path)


def check_event_change(
    path: str,
    base: untrusted_yaml.Parsed | None,
    head: untrusted_yaml.Parsed | None,
    context: Context,
    project: Project,
    schema: EventSchema | None = None,
) -> CheckResult:
    """The verdict on a pull request that changes exactly one event file, from both parsed versions
    (None: the file does not exist on that side). The in-memory core of `check_changes`."""
    event_id = Path(path).stem
    result = CheckResult("review", event=event_id, files=[path])
    schema = schema or load_schema(project.schema_path)
    if head is None:
        result.reasons.append(f"removes the event {path}: a maintainer decides")
        return result
    if head.problems or head.data is None:
        result.verdict = "refuse"
        result.problems = list(head.problems)
        result.reasons.append(f"{path} cannot be read safely; fix the problems listed")
        return result
    if base is None:
        result.reasons.append(f"adds a new event, {path}: a maintainer reviews it")
        result.problems = _validate(path, head, project, schema)
        return result
    base_result = check_parsed(base, project.root / path, project, schema)
    if base_result.event is None:
        result.reasons.append(
            f"{path} is not valid on the base branch; a maintainer must fix it first"
        )
        result.problems = base_result.problems
        return result
    base_event = base_result.event
    trusted = context.maintainer or base_event.is_organizer(context.author)
    old, new = _split(base.data), _split(head.data)
    details_changed = old.details != new.details
    diff = (
        _SheetDiff()
        if old.sheets is None or new.sheets is None
        else _diff_sheets(old.sheets, new.sheets, context.author)
    )
    registers = bool(diff.mine) or bool(diff.foreign)
    if not registers:
        if details_changed:
            result.reasons.append(f"edits the event details in {path}: a maintainer reviews it")
        else:
            result.reasons.append(
                f"changes only comments or layout of {path}; nothing for the bot to do"
            )
        result.problems = _validate(path, head, project, schema)
        return result
    if trusted and (diff.foreign or details_changed):
        result.reasons.append(
            f"an organizer's or maintainer's edit of {path}: a maintainer merges it by hand"
        )
        result.problems = _validate(path, head, project, schema)
        return result
    result.registration = True
    reasons = result.reasons
    reasons.extend(diff.foreign)
    if details_changed:
        reasons.append(
            "changes the event (its details, dates or capacity) together with a registration: "
            "a registration changes only your own entry; send other changes separately"
        )
    if not takes_pull_requests(base_event):
        reasons.append(
            "this event takes no registrations by pull request "
            "(registration: pull_requests: false); use the Register button on the event page"
        )
    change = _own_change(event_id, diff, context.author, reasons)
    result.change = change
    if reasons or change is None:
        result.verdict = "refuse"
        return result
    request = change.request(
        agreed=context.agreed, source=context.source, user_id=context.author_id
    )
    checked = request_contact_check(request, event_id, context.contact_key)
    if checked is not None and checked.verdict == "refused":
        result.verdict = "refuse"
        reasons.append(checked.reason)
        return result
    decision = decide(
        base_event,
        request,
        actor=Actor(context.author),
        now=context.now,
        banned=context.banned,
    )
    if decision.outcome.refused:
        # The rules come first: a refused entry is never written, so no file is left to check.
        result.decision = decision
        result.verdict = "refuse"
        reasons.append(decision.outcome.reason)
        return result
    result.problems = _validate(path, _filled(head, change, decision), project, schema)
    if result.problems:
        result.verdict = "refuse"
        reasons.append(f"{path} would not be valid; fix the problems listed")
        return result
    result.decision = decision
    if decision.outcome.outcome == "unchanged":
        result.verdict = "review"
        reasons.append(f"{decision.outcome.reason} The sign-up sheet would not change.")
        return result
    result.verdict = "accept"
    reasons.append(decision.outcome.reason)
    return result


def _own_change(
    event_id: str, diff: _SheetDiff, author: str, reasons: list[str]
) -> RegistrationChange | None:
    """The author's one change, or None with the reasons why it is not one."""
    if not diff.mine:
        return None
    for session_id, (_, after) in diff.mine.items():
        if len(after) > 1:
            reasons.append(
                f"adds two entries for {author} to session {session_id!r}: keep one "
                "(edit it to change your details)"
            )
    if len(diff.mine) > 1:
        sessions = ", ".join(repr(session) for session in diff.mine)
        reasons.append(
            f"changes your entries in several sessions ({sessions}): send one pull request "
            "per session"
        )
    if reasons:
        return None
    ((session_id, (before, after)),) = diff.mine.items()
    if len(before) > 1:
        reasons.append(
            f"you are on the sheet of session {session_id!r} twice already; ask the organizers"
        )
        return None
    old = before[0] if before else None
    new = after[0] if after else None
    if new is None:
        return RegistrationChange("cancel", event_id, session_id, author)
    if not isinstance(new, dict):
        reasons.append(f"your entry in session {session_id!r} must be a mapping (name: …)")
        return None
    for key in BOT_FIELDS:
        old_value = None if old is None else old.get(key)
        if key in new and _canonical(new.get(key)) != _canonical(old_value):
            reasons.append(
                f"sets {key!r} of your entry yourself: leave it out, the bot fills it in"
            )
    if old is not None:
        for key in BOT_FIELDS:
            if key in old and key not in new:
                reasons.append(f"removes {key!r} from your entry: keep it as it was")
    if reasons:
        return None

    def text(key: str) -> str | None:
        value = new.get(key)
        return value if isinstance(value, str) else None

    visibility = new.get("visibility", "public")
    return RegistrationChange(
        "register" if old is None else "update",
        event_id,
        session_id,
        author,
        name=text("name"),
        affiliation=text("affiliation"),
        note=text("note"),
        visibility="private" if visibility == "private" else "public",
        contact=text("contact"),
    )


def _filled(
    head: untrusted_yaml.Parsed, change: RegistrationChange, decision: Decision
) -> untrusted_yaml.Parsed:
    """The head version with the values the bot will set on a new entry (time, source, status),
    as the rules' decision has them, for validation."""
    session = decision.event.session(change.session)
    written = None if session is None else session.find(change.login)
    if change.kind != "register" or written is None:
        return head
    values = registration_to_data(written)
    data = copy.deepcopy(head.data)
    sheet = next(item for item in data["sessions"] if item.get("id") == change.session)
    entry = next(item for item in sheet["registrations"] if _is_mine(item, change.login))
    entry.update((key, values[key]) for key in BOT_FIELDS if key in values)
    return untrusted_yaml.Parsed(head.path, head.text, data, [])


def _validate(
    path: str, parsed: untrusted_yaml.Parsed, project: Project, schema: EventSchema
) -> list[Problem]:
    return check_parsed(parsed, project.root / path, project, schema).problems


# --- a whole pull request ------------------------------------------------------------------


def _file_refusals(change: FileChange) -> list[str]:
    """Reasons to refuse a changed file whoever sends it."""
    reasons: list[str] = []
    shown = " → ".join(change.paths)
    in_events = any(path == "events" or path.startswith("events/") for path in change.paths)
    if change.symlink:
        reasons.append(f"{shown} is a symbolic link: the repository takes none")
    elif change.submodule:
        reasons.append(f"{shown} is a submodule: the repository takes none")
    elif in_events:
        if change.status in "RC":
            reasons.append(
                f"renames or copies {shown}: an event's file name is its id, which a "
                "registration never changes"
            )
        if change.new_mode == pull_changes.MODE_EXECUTABLE:
            reasons.append(f"makes {change.path} executable: event files are plain text")
        if change.new is not None and change.new.loaded and change.new.binary:
            reasons.append(f"{change.path} is a binary file: event files are YAML text")
    return reasons


def check_changes(
    changes: Changes, context: Context, project: Project, schema: EventSchema | None = None
) -> CheckResult:
    """The verdict on a whole pull request from the files it changed."""
    files = [path for change in changes.files for path in change.paths]
    if changes.truncated:
        return CheckResult(
            "review",
            reasons=[f"changes more than {pull_changes.MAX_FILES} files: a maintainer reviews it"],
            files=files,
        )
    if not changes.files:
        return CheckResult("review", reasons=["changes no file"], files=files)
    hard = [reason for change in changes.files for reason in _file_refusals(change)]
    if hard:
        return CheckResult("refuse", reasons=hard, files=files)
    events = [change for change in changes.files if is_event_path(change.path)]
    others = [change for change in changes.files if not is_event_path(change.path)]
    if len(events) > pull_changes.MAX_READ:
        return CheckResult(
            "review",
            reasons=[
                f"changes {len(events)} event files, more than the bot reads "
                f"({pull_changes.MAX_READ}): a maintainer reviews it"
            ],
            files=files,
        )
    results = [_check_one(change, context, project, schema) for change in events]
    event = results[0].event if len(results) == 1 else None
    problems = [problem for result in results for problem in result.problems]
    registering = [result for result in results if result.registration]
    unreadable = [
        result for result in results if result.verdict == "refuse" and not result.registration
    ]
    if not registering:
        if unreadable:
            reasons = [reason for result in unreadable for reason in result.reasons]
            return CheckResult("refuse", event, None, reasons, problems, files=files)
        reasons = [reason for result in results for reason in result.reasons]
        reasons += [
            f"changes {change.path}, which is not an event file: a maintainer reviews it"
            for change in others
        ]
        return CheckResult("review", event, None, reasons, problems, files=files)
    if len(results) == 1 and not others:
        results[0].files = files
        return results[0]
    reasons = [
        reason for result in results if result.verdict == "refuse" for reason in result.reasons
    ]
    if len(events) > 1:
        names = ", ".join(change.path for change in events)
        reasons.append(f"changes several event files ({names}): a registration changes exactly one")
    reasons += [
        f"changes {change.path}, which is not an event file: a registration changes only "
        "events/<event>.yaml; send other changes separately"
        for change in others
    ]
    return CheckResult("refuse", event, registering[0].change, reasons, problems, files=files)


def _check_one(
    change: FileChange, context: Context, project: Project, schema: EventSchema | None
) -> CheckResult:
    base = None if change.old is None else _parse_blob(change, change.old)
    head = None if change.new is None else _parse_blob(change, change.new)
    return check_event_change(change.path, base, head, context, project, schema)


def check_revisions(
    repo: Path, base: str, head: str, context: Context, project: Project
) -> tuple[Changes, CheckResult]:
    """Read what `head` changed since it forked from `base` and check it."""
    changes = pull_changes.read_changes(
        repo, base, head, read=lambda change: is_event_path(change.path)
    )
    return changes, check_changes(changes, context, project)
