from __future__ import annotations

from datetime import UTC, datetime

from signupsheet.core.model import (
    Event,
    Registration,
    RegistrationSettings,
    Session,
    parse_timestamp,
    registration_to_data,
)
from signupsheet.core.rules import (
    NOT_POSSIBLE,
    Actor,
    CancelRequest,
    SignupRequest,
    cancel,
    decide,
    open_for_registration,
    register,
    session_state,
)

NOW = parse_timestamp("2026-12-01T10:00:00Z")


def event(capacity: int | None = 2, waitlist: bool = True, sessions: int = 1) -> Event:
    return Event(
        id="meetup",
        title="Meetup",
        organizers=["Orga"],
        registration=RegistrationSettings(
            opens=parse_timestamp("2026-11-01T00:00:00Z"), waitlist=waitlist
        ),
        sessions=[
            Session(
                id=f"s{index}",
                start=datetime(2026, 12, 3, 14 + index, tzinfo=UTC),
                end=datetime(2026, 12, 3, 15 + index, tzinfo=UTC),
                capacity=capacity,
            )
            for index in range(sessions)
        ],
    )


def reg(ev: Event, user: str, **kwargs: object) -> tuple[Event, str, str]:
    actor = kwargs.pop("actor", Actor(user))
    now = kwargs.pop("now", NOW)
    banned = kwargs.pop("banned", lambda login: False)
    decision = register(
        ev,
        SignupRequest(user=user, **kwargs),  # type: ignore[arg-type]
        actor=actor,  # type: ignore[arg-type]
        now=now,  # type: ignore[arg-type]
        banned=banned,  # type: ignore[arg-type]
    )
    return decision.event, decision.outcome.outcome, decision.outcome.reason


def test_capacity_then_waitlist_then_promotion_in_signup_order() -> None:
    ev = event(capacity=2)
    outcomes = []
    for user in ["ann", "bob", "cy", "dee"]:
        ev, outcome, _ = reg(ev, user)
        outcomes.append(outcome)
    assert outcomes == ["registered", "registered", "waitlisted", "waitlisted"]
    decision = cancel(ev, "BOB", actor=Actor("bob"), now=NOW)
    assert decision.outcome.outcome == "cancelled"
    assert decision.outcome.promoted == ("cy",)
    statuses = {r.login: r.status for r in decision.event.sessions[0].registrations}
    assert statuses == {"ann": "confirmed", "cy": "confirmed", "dee": "waitlisted"}
    # When cy moved up is written on the entry (the sweep's safety net finds promotions by it).
    promoted = {r.login: r.promoted for r in decision.event.sessions[0].registrations}
    assert promoted == {"ann": None, "cy": NOW, "dee": None}


def test_input_event_is_never_modified() -> None:
    ev = event()
    new, outcome, _ = reg(ev, "ann")
    assert outcome == "registered"
    assert ev.sessions[0].registrations == []
    assert len(new.sessions[0].registrations) == 1


def test_full_without_waitlist_is_refused() -> None:
    ev = event(capacity=1, waitlist=False)
    ev, _, _ = reg(ev, "ann")
    _, outcome, reason = reg(ev, "bob")
    assert outcome == "refused"
    assert "full" in reason


def test_one_entry_per_login_case_insensitive_and_update() -> None:
    ev, _, _ = reg(event(), "Ann", name="Ann A.")
    _, outcome, _ = reg(ev, "aNN", name="Ann A.")
    assert outcome == "unchanged"
    new, outcome, _ = reg(ev, "ANN", name="Ann B.", note="late", visibility="private")
    assert outcome == "updated"
    entries = new.sessions[0].registrations
    assert len(entries) == 1
    # A private entry keeps only the login: what the person wrote is not kept in the public file.
    assert (entries[0].name, entries[0].note, entries[0].visibility) == ("Ann", None, "private")
    assert entries[0].login == "Ann"
    public, outcome, _ = reg(new, "ann", name="Ann C.", note="on time")
    assert outcome == "updated"
    assert (public.sessions[0].registrations[0].name, public.sessions[0].registrations[0].note) == (
        "Ann C.",
        "on time",
    )


def test_private_entry_keeps_only_what_the_rules_need() -> None:
    ev, outcome, _ = reg(
        event(), "zed", name="Zed Secret", affiliation="WMXX", note="hidden", visibility="private"
    )
    assert outcome == "registered"
    data = registration_to_data(ev.sessions[0].registrations[0])
    assert set(data) == {"login", "registered", "visibility"}
    assert data["login"] == "zed" and data["visibility"] == "private"


def test_a_private_entry_keeps_its_sealed_contact() -> None:
    sealed = "c2VhbGVk" * 12  # stands for a sealed box: only the site's key opens it
    ev, outcome, _ = reg(event(), "zed", name="Zed Secret", visibility="private", contact=sealed)
    assert outcome == "registered"
    data = registration_to_data(ev.sessions[0].registrations[0])
    assert set(data) == {"login", "registered", "visibility", "contact"}
    assert data["contact"] == sealed


def test_window() -> None:
    early = parse_timestamp("2026-10-01T00:00:00Z")
    _, outcome, reason = reg(event(), "ann", now=early)
    assert outcome == "refused" and "opens 2026-11-01T00:00:00Z" in reason
    late = parse_timestamp("2026-12-03T14:00:00Z")
    _, outcome, reason = reg(event(), "ann", now=late)
    assert outcome == "refused" and "closed" in reason
    # Asked before the close, handled after it: the request counts from when it was made.
    _, outcome, _ = reg(event(), "ann", now=late, at=parse_timestamp("2026-12-03T13:59:00Z"))
    assert outcome == "registered"


def test_only_self_organizer_or_maintainer() -> None:
    _, outcome, reason = reg(event(), "ann", actor=Actor("mallory"))
    assert outcome == "refused" and "may not register" in reason
    _, outcome, _ = reg(event(), "ann", actor=Actor("ORGA"))
    assert outcome == "registered"
    _, outcome, _ = reg(event(), "ann", actor=Actor("someone", maintainer=True))
    assert outcome == "registered"
    ev, _, _ = reg(event(), "ann")
    assert cancel(ev, "ann", actor=Actor("mallory"), now=NOW).outcome.outcome == "refused"


def test_policy_must_be_agreed() -> None:
    _, outcome, reason = reg(event(), "ann", agreed=False)
    assert outcome == "refused" and "policy" in reason


def test_ban_is_refused_with_the_neutral_text() -> None:
    _, outcome, reason = reg(event(), "ann", banned=lambda login: login.casefold() == "ann")
    assert (outcome, reason) == ("refused", NOT_POSSIBLE)
    # The same words as a case that is not a ban: an entry the organizers keep by hand.
    ev = event()
    ev.sessions[0].registrations.append(Registration(name="Bo", login="bo", source="organizer"))
    _, outcome, reason = reg(ev, "bo")
    assert (outcome, reason) == ("refused", NOT_POSSIBLE)


def test_sessions_must_be_named_when_several() -> None:
    _, outcome, reason = reg(event(sessions=2), "ann")
    assert outcome == "refused" and "s0, s1" in reason
    _, outcome, reason = reg(event(sessions=2), "ann", session="nope")
    assert outcome == "refused" and "no session 'nope'" in reason
    ev, outcome, _ = reg(event(sessions=2), "ann", session="s1")
    assert outcome == "registered"
    decision = cancel(ev, "ann", actor=Actor("ann"), now=NOW)
    assert (decision.outcome.outcome, decision.outcome.session) == ("cancelled", "s1")


def test_cancel_when_not_registered_is_unchanged() -> None:
    decision = cancel(event(), "ann", actor=Actor("ann"), now=NOW)
    assert decision.outcome.outcome == "unchanged"


def test_promote_after_capacity_raise() -> None:
    """An organizer raised the capacity by hand: the next cancellation fills every free seat."""
    ev = event(capacity=2)
    for user in ["a", "x", "b", "c"]:
        ev, _, _ = reg(ev, user)
    ev.sessions[0].capacity = 3
    decision = cancel(ev, "x", actor=Actor("x"), now=NOW)
    new, promoted = decision.event, decision.outcome.promoted
    assert list(promoted) == ["b", "c"]
    assert len(new.sessions[0].confirmed) == 3


def test_a_banned_person_is_never_promoted_the_seat_goes_to_the_next() -> None:
    ev = event(capacity=1)
    for user in ["a", "Banned-B", "c"]:
        ev, _, _ = reg(ev, user)
    banned = {"banned-b"}.__contains__

    def is_banned(login: str) -> bool:
        return banned(login.casefold())

    decision = cancel(ev, "a", actor=Actor("a"), now=NOW, banned=is_banned)
    assert decision.outcome.promoted == ("c",)
    statuses = {r.login: r.status for r in decision.event.sessions[0].registrations}
    assert statuses == {"Banned-B": "waitlisted", "c": "confirmed"}


def test_no_promotion_after_the_start() -> None:
    ev = event(capacity=1)
    for user in ["a", "b"]:
        ev, _, _ = reg(ev, user)
    during = parse_timestamp("2026-12-03T14:30:00Z")
    decision = cancel(ev, "a", actor=Actor("a"), now=during)
    assert decision.outcome.promoted == ()


def test_json_shape() -> None:
    decision = register(event(), SignupRequest(user="ann"), actor=Actor("ann"), now=NOW)
    assert decision.outcome.to_json() == {
        "outcome": "registered",
        "event": "meetup",
        "session": "s0",
        "user": "ann",
        "reason": "You are registered.",
        "promoted": [],
    }


def test_decide_registers_or_cancels_as_asked() -> None:
    ev = event(capacity=1)
    signed = decide(ev, SignupRequest(user="ann"), actor=Actor("ann"), now=NOW)
    assert signed.outcome.outcome == "registered"
    waiting = decide(signed.event, SignupRequest(user="bob"), actor=Actor("bob"), now=NOW)
    assert waiting.outcome.outcome == "waitlisted"
    gone = decide(waiting.event, CancelRequest("ANN"), actor=Actor("ann"), now=NOW)
    assert (gone.outcome.outcome, gone.outcome.session, gone.outcome.promoted) == (
        "cancelled",
        "s0",
        ("bob",),
    )
    refused = decide(
        ev, SignupRequest(user="ann"), actor=Actor("ann"), now=NOW, banned=lambda login: True
    )
    assert (refused.outcome.outcome, refused.outcome.reason) == ("refused", NOT_POSSIBLE)


def test_registration_is_ahead_until_closed_or_cancelled() -> None:
    """What the issue forms list: events with a session not closed and not cancelled."""
    ev = event(capacity=1, waitlist=False, sessions=2)
    full, _, _ = reg(ev, "ann", session="s0")
    full, _, _ = reg(full, "bob", session="s1")
    moments = {
        "not-open": parse_timestamp("2026-10-01T00:00:00Z"),
        "open": NOW,
        "closed": parse_timestamp("2026-12-03T16:00:00Z"),
    }
    for name, moment in moments.items():
        states = {session_state(ev, session, moment).state for session in ev.sessions}
        assert states == {name}
        assert open_for_registration(ev, moment) == (name != "closed")
    assert {session_state(full, session, NOW).state for session in full.sessions} == {"full"}
    assert open_for_registration(full, NOW)  # no seat, but a cancellation may still come
    # One session closed, the other still open: still listed.
    assert open_for_registration(ev, parse_timestamp("2026-12-03T14:30:00Z"))
    for session in ev.sessions:
        session.cancelled = True
    assert not open_for_registration(ev, NOW)


def test_an_entry_belongs_to_the_account_id_not_to_whoever_holds_the_login() -> None:
    """Ann (id 7) renames herself Anna; Mallory (id 9) takes the free login `ann`."""
    ev, outcome, _ = reg(event(), "ann", name="Ann", user_id=7)
    assert outcome == "registered"
    assert registration_to_data(ev.sessions[0].registrations[0])["user_id"] == 7
    # The new holder of the old login can neither change, cancel nor double the entry.
    for by_mallory in (
        register(ev, SignupRequest("ann", name="Mal", user_id=9), actor=Actor("ann"), now=NOW),
        cancel(ev, "ann", actor=Actor("ann"), now=NOW, user_id=9),
        decide(ev, CancelRequest("ANN", "s0", user_id=9), actor=Actor("ANN"), now=NOW),
    ):
        assert by_mallory.outcome.outcome == "refused", by_mallory.outcome
        assert by_mallory.event.sessions[0].registrations == ev.sessions[0].registrations
    # The renamed owner, same id under a new login, still controls it; it follows her login.
    updated, outcome, _ = reg(ev, "anna", name="Anna", user_id=7, actor=Actor("anna"))
    assert outcome == "updated"
    [entry] = updated.sessions[0].registrations
    assert (entry.login, entry.name, entry.user_id) == ("anna", "Anna", 7)
    gone = cancel(ev, "anna", actor=Actor("anna"), now=NOW, user_id=7)
    assert gone.outcome.outcome == "cancelled" and gone.event.sessions[0].registrations == []


def test_an_entry_without_an_id_goes_by_the_login_and_is_bound_on_update() -> None:
    ev, _, _ = reg(event(), "ann", name="Ann")  # written before ids were kept
    assert ev.sessions[0].registrations[0].user_id is None
    bound, outcome, _ = reg(ev, "ann", name="Ann B.", user_id=7)
    assert outcome == "updated" and bound.sessions[0].registrations[0].user_id == 7
    # An organizer, who knows no id, still goes by the login.
    by_orga = cancel(bound, "ann", actor=Actor("Orga"), now=NOW)
    assert by_orga.outcome.outcome == "cancelled"
