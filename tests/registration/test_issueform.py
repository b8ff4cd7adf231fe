from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formbodies import body, form, register_body
from signupsheet.registration.issues.issue_form import MAX_BODY, parse_body
from signupsheet.registration.issues.issue_request import read_issue

REGISTER = form("register")
CANCEL = form("cancel")
WHEN = datetime(2026, 12, 1, tzinfo=UTC)


def read(text: str | None, kind: str = "register"):  # type: ignore[no-untyped-def]
    return read_issue(
        REGISTER if kind == "register" else CANCEL,
        kind,  # type: ignore[arg-type]
        text,
        author="Ann",
        created=WHEN,
        number=7,
    )


def test_template_ids_are_the_names_in_code() -> None:
    assert [f.id for f in REGISTER.fields] == [
        "event", "session", "name", "affiliation", "note", "visibility", "contact", "policy",
    ]  # fmt: skip
    assert [f.id for f in CANCEL.fields] == ["event", "session"]
    assert REGISTER.labels == ("registration",)
    assert CANCEL.labels == ("cancellation",)


def test_full_body_crlf_and_upper_x() -> None:
    text = body(
        REGISTER,
        {
            "event": "2026-12-03-meetup",
            "session": "main",
            "name": "Zoë Ünïcode 🎉",
            "affiliation": "WMDE",
            "note": "## not a heading of ours",
            "visibility": "Private",
            "policy": True,
        },
        crlf=True,
    )
    result = read(text)
    assert result.ok, result.problems
    assert (result.event, result.session) == ("2026-12-03-meetup", "main")
    assert result.request is not None
    assert result.request.name == "Zoë Ünïcode 🎉"
    assert result.request.note == "## not a heading of ours"
    assert result.request.visibility == "private"
    assert result.request.agreed
    assert result.request.user == "Ann"
    assert result.request.source == "issue:7"


def test_no_response_and_lower_x() -> None:
    text = body(REGISTER, {"event": "e-1", "policy": True}, upper_x=False)
    result = read(text)
    assert result.ok, result.problems
    assert result.request is not None
    assert (result.session, result.request.name, result.request.note) == (None, None, None)
    assert result.request.visibility == "public"


def test_unticked_policy_and_bad_values_are_all_reported() -> None:
    text = body(
        REGISTER,
        {"event": "Not An Id!", "note": "write to me@example.org", "policy": False},
    )
    problems = read(text).problems
    assert any(p.startswith("Event:") for p in problems)
    assert any(p.startswith("Note:") and "e-mail" in p for p in problems)
    assert any(p.startswith("Policy:") for p in problems)


def test_reordered_missing_and_repeated_sections_need_changes() -> None:
    text = (
        "### Policy\n\n- [X] something reworded\n\n"
        "### event\n\n`2026-12-03-meetup`\n\n"
        "### Note\n\nhi\n### Event\n\nsomething-else\n"
    )
    result = read(text)
    (mismatch,) = [p for p in result.problems if p.startswith("The issue does not match")]
    assert "not in the form's order" in mismatch
    assert "“Event” appears more than once" in mismatch
    assert "does not have the form's text" in mismatch
    answers = parse_body(REGISTER, text)
    assert set(answers.missing) == {"session", "name", "affiliation", "visibility", "contact"}
    # The second "### Event" is not read as anything: neither as the event nor as the note.
    assert answers.text("note") == "hi"


def test_a_second_event_section_is_not_read_by_position() -> None:
    good = register_body("2026-12-03-meetup")
    for extra in ("\n### Event\n\nother-event\n", "\n### Event\n\nx\n" * 5000):
        result = read(good + extra)
        assert not result.ok
        assert sum("appears more than once" in p for p in result.problems) == 1


def test_a_policy_box_with_another_text_agrees_to_nothing() -> None:
    good = register_body("2026-12-03-meetup")
    option = REGISTER.field("policy").options[0]
    tampered = good.replace(f"- [X] {option}", "- [x] I do NOT agree")
    assert tampered != good
    result = read(tampered)
    assert result.request is not None and not result.request.agreed
    assert any("does not have the form's text" in p for p in result.problems)
    # A heading the form does not have is a mismatch too.
    assert not read(good + "\n### Maintainers: approved\n\nyes\n").ok


def test_event_page_address_gives_the_id() -> None:
    text = register_body("https://events.example.org/events/2026-12-03-meetup/")
    assert read(text).event == "2026-12-03-meetup"


def test_empty_and_oversized_bodies() -> None:
    assert read(None).problems
    assert read("").problems
    huge = register_body("2026-12-03-meetup", note="x" * 100) + "\n" + "y" * (MAX_BODY * 3)
    result = read(huge)
    assert result.truncated
    assert result.event == "2026-12-03-meetup"
    long_note = register_body("e", note="n" * 600)
    assert any("at most 500" in p for p in read(long_note).problems)


def test_cancel_form() -> None:
    result = read(body(CANCEL, {"event": "e", "session": "evening"}), "cancel")
    assert (result.ok, result.event, result.session, result.request) == (
        True, "e", "evening", None,
    )  # fmt: skip


labels = st.sampled_from(
    [f.label for f in REGISTER.fields] + ["Event", "EVENT", "Other", "", "Policy  "]
)
chunks = st.one_of(
    st.text(max_size=60),
    labels.map(lambda label: f"### {label}"),
    st.sampled_from(
        ["\r\n", "\n", "\r", "_No response_", "- [X] ", "- [x] I agree", "- [ ] ", "###"]
    ),
)


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(chunks, max_size=30), st.booleans())
def test_fuzz_never_raises(parts: list[str], as_cancel: bool) -> None:
    text = "".join(parts)
    result = read(text, "cancel" if as_cancel else "register")
    assert result.event is None or result.event.isascii()
    if not as_cancel and result.ok:
        assert result.request is not None and result.request.agreed
    for problem in result.problems:
        assert isinstance(problem, str) and problem
