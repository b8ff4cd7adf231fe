"""Whole issue bodies, well-formed and not, through the real sweep against the GitHub double
(issue 16): whatever a stranger types, the run goes on, every issue gets one of the answers a
person can act on, and nothing but the event's file changes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_sweep import sweep

from formbodies import cancel_body, register_body
from githubdouble import GitHubDouble
from gitkit import clone, git
from sweepkit import EVENT_ID, created, make_remote

OUTCOMES = {"registered", "waitlisted", "needs-changes", "refused"}

_wild = st.text(st.characters(codec="utf-8"), max_size=80)


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """A form as GitHub renders it, with hostile values, cut short or spliced with noise; or
    noise alone."""
    well_formed = register_body(
        draw(st.sampled_from([EVENT_ID, "no-such-event", "", f"../{EVENT_ID}"])),
        draw(st.one_of(st.none(), st.sampled_from(["main", "nope"]))),
        name=draw(_wild),
        affiliation=draw(_wild),
        note=draw(_wild),
        visibility=draw(st.sampled_from(["Public", "Private", "maybe"])),
        policy=draw(st.booleans()),
    )
    kind = draw(st.sampled_from(["form", "cut", "spliced", "cancel", "noise"]))
    if kind == "cut":
        return well_formed[: draw(st.integers(0, len(well_formed)))]
    if kind == "spliced":
        at = draw(st.integers(0, len(well_formed)))
        return well_formed[:at] + draw(_wild) + well_formed[at:]
    if kind == "cancel":
        return cancel_body(EVENT_ID)
    if kind == "noise":
        return draw(_wild)
    return well_formed


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(body=bodies())
def test_any_issue_body_gets_an_answer_and_touches_only_the_event_file(
    double: GitHubDouble, body: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        remote = make_remote(tmp)
        work = clone(remote, tmp / "work")
        before = git(remote, "rev-parse", "main").strip()
        double.issues.clear()  # one issue per example, with no answer from an earlier one
        double.comments.clear()
        double.add_issue(1, "stranger", body, ["registration"], created=created(1))
        report = sweep(double, work)  # an exception escaping fails the test
        outcomes = dict(report.handled)
        if "Cancel" in body.split("\n", 1)[0] or body == cancel_body(EVENT_ID):
            allowed = OUTCOMES | {"unchanged"}  # cancelling without an entry
        else:
            allowed = OUTCOMES
        assert outcomes.get(1) in allowed, (outcomes, body)
        changed = git(remote, "diff", "--name-only", before, "main").split()
        assert set(changed) <= {f"events/{EVENT_ID}.yaml"}, changed
