"""Public profile addresses are read in GraphQL batches: `send-links` against a real SMTP server
(aiosmtpd on 127.0.0.1) and the GitHub double, through real PyGithub."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from githubdouble import REPOSITORY, Fault, GitHubDouble
from link_site import END, EVENT, IN_WINDOW, LinkSite, base_env, entry, make_link_site
from smtp_server import Recorder, smtp_server


def address(login: str) -> str:
    return f"{login.lower()}@people.example.net"


@pytest.fixture
def link_site(tmp_path: Path) -> LinkSite:
    return make_link_site(tmp_path)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def smtp_port(recorder: Recorder) -> Iterator[int]:
    with smtp_server(recorder) as port:
        yield port


def env_for(
    link_site: LinkSite, port: int, double: GitHubDouble, contacts: dict[str, str] | None = None
) -> dict[str, str]:
    return base_env(
        SIGNUPSHEET_MEETING_LINKS=f"{EVENT}: {link_site.link}\n",
        SIGNUPSHEET_CONTACTS=json.dumps(contacts or {}),
        SIGNUPSHEET_MAIL_FROM="Community events <events@example.org>",
        SIGNUPSHEET_SMTP_URL=f"smtp://127.0.0.1:{port}",
        GITHUB_REPOSITORY=REPOSITORY,
        GITHUB_TOKEN="test-token",
        GITHUB_API_URL=double.base_url,
    )


def run(link_site: LinkSite, env: dict[str, str], now: str = IN_WINDOW) -> dict[str, Any]:
    result = link_site.run(env, "--now", now, "--json")
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def recipients(recorder: Recorder) -> Counter[str]:
    return Counter(recipient for message in recorder.messages for recipient in message.recipients)


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {item["login"]: item["status"] for item in report["outcomes"]}


def looked_up(double: GitHubDouble) -> list[list[str]]:
    """The logins of every GraphQL query the double answered, in order."""
    return [list(variables.values()) for variables in double.graphql_variables]


def many(link_site: LinkSite, double: GitHubDouble, count: int) -> list[str]:
    logins = [f"person-{index:04d}" for index in range(count)]
    link_site.write_event([entry(login) for login in logins])
    double.emails.update({login: address(login) for login in logins})
    return logins


def test_a_thousand_registrants_cost_at_most_fifteen_requests_and_each_gets_one_mail(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    logins = many(link_site, double, 1000)

    report = run(link_site, env_for(link_site, smtp_port, double))

    assert len(double.requests) <= 15
    assert {(method, path) for method, path, _ in double.requests} == {("POST", "/graphql")}
    assert [len(batch) for batch in looked_up(double)] == [100] * 10
    assert recipients(recorder) == Counter({address(login): 1 for login in logins})
    assert report["counts"]["sent"] == 1000
    assert all(when is not None for when in link_site.link_sent().values())


def test_unknown_account_no_public_address_and_one_person_in_two_spellings(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    breakout = {
        "id": "breakout",
        "start": "2030-05-01T14:00:00Z",
        "end": END,
        "registrations": [entry("dana")],
    }
    link_site.write_event(
        [
            entry("Alice"),
            entry("ghost"),  # the account no longer exists
            entry("NoMail"),  # the profile shows no address
            entry("Dana"),  # also in the breakout, spelt "dana"
            entry("bob"),  # in the contacts secret: no lookup
            entry("erin", link_sent="2030-05-01T13:05:00Z"),  # not due: no lookup
        ],
        sessions=[breakout],
    )
    double.emails.update(
        {"alice": address("alice"), "NoMail": None, "DANA": address("dana"), "erin": "e@x.org"}
    )
    env = env_for(link_site, smtp_port, double, {"bob": address("bob")})

    report = run(link_site, env)

    assert len(double.requests) == 1
    [batch] = looked_up(double)
    assert sorted(login.casefold() for login in batch) == ["alice", "dana", "ghost", "nomail"]
    assert recipients(recorder) == Counter(
        {address("alice"): 1, address("bob"): 1, address("dana"): 2}
    )
    assert statuses(report) == {
        "Alice": "sent",
        "ghost": "unreachable",
        "NoMail": "unreachable",
        "Dana": "sent",
        "bob": "sent",
        "dana": "sent",
    }
    sources = {item["login"]: item["source"] for item in report["outcomes"]}
    assert sources["Dana"] == sources["dana"] == "profile"


@pytest.mark.parametrize("count", [100, 101])
def test_a_full_batch_is_one_query_and_one_more_person_is_a_second(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble, count: int
) -> None:
    logins = many(link_site, double, count)

    run(link_site, env_for(link_site, smtp_port, double))

    assert [len(batch) for batch in looked_up(double)] == ([100] if count == 100 else [100, 1])
    assert sorted(login for batch in looked_up(double) for login in batch) == logins
    assert recipients(recorder) == Counter({address(login): 1 for login in logins})


def _rate_limited(double: GitHubDouble) -> None:
    double.graphql_error("RATE_LIMITED", "API rate limit exceeded for installation ID 1.")


def _server_error(double: GitHubDouble) -> None:
    double.fail("POST", r"^/graphql$", 502)


def _someone_else(double: GitHubDouble) -> None:
    # A malformed answer: another account in the field asked for carol must not be mailed.
    body = {"data": {"u0": {"login": "mallory", "email": "mallory@evil.example"}}}
    double.faults.append(Fault("POST", re.compile(r"^/graphql$"), 200, 1, {}, body))


def _empty(double: GitHubDouble) -> None:
    double.faults.append(Fault("POST", re.compile(r"^/graphql$"), 200, 1, {}, None))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (_rate_limited, "RATE_LIMITED"),
        (_server_error, "GitHub answered 502"),
        (_someone_else, "did not match"),
        (_empty, "without data"),
    ],
)
def test_a_failed_query_defers_its_people_to_the_next_run(
    link_site: LinkSite,
    recorder: Recorder,
    smtp_port: int,
    double: GitHubDouble,
    failure: Any,
    reason: str,
) -> None:
    link_site.write_event([entry("carol", source="issue:5")])
    double.emails["carol"] = address("carol")
    failure(double)
    env = env_for(link_site, smtp_port, double)

    first = run(link_site, env)

    [outcome] = first["outcomes"]
    assert outcome["status"] == "deferred"
    assert reason in outcome["reason"] and "retried next run" in outcome["reason"]
    assert recorder.messages == []
    assert double.comments == {}  # not told they are unreachable: they are not
    assert link_site.link_sent()["carol"] is None

    second = run(link_site, env, "2030-05-01T13:30:00Z")

    assert statuses(second) == {"carol": "sent"}
    assert recipients(recorder) == Counter({address("carol"): 1})


def test_a_failed_batch_defers_only_its_own_people(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    logins = many(link_site, double, 150)
    double.fail("POST", r"^/graphql$", 502)  # the first query only
    env = env_for(link_site, smtp_port, double)

    first = run(link_site, env)

    assert Counter(statuses(first).values()) == Counter({"deferred": 100, "sent": 50})
    assert recipients(recorder) == Counter({address(login): 1 for login in logins[100:]})

    second = run(link_site, env, "2030-05-01T13:30:00Z")

    assert Counter(statuses(second).values()) == Counter({"sent": 100})
    assert recipients(recorder) == Counter({address(login): 1 for login in logins})
    assert [len(batch) for batch in looked_up(double)] == [50, 100]


def test_when_github_refuses_the_email_field_profiles_are_read_one_by_one(
    link_site: LinkSite, recorder: Recorder, smtp_port: int, double: GitHubDouble
) -> None:
    logins = many(link_site, double, 3)
    double.graphql_email_refused = True
    double.fail("GET", r"^/users/person-0002$", 502)  # that one waits for the next run

    first = run(link_site, env_for(link_site, smtp_port, double))

    assert [status for _, status in sorted(statuses(first).items())] == [
        "sent",
        "sent",
        "deferred",
    ]
    assert recipients(recorder) == Counter({address(login): 1 for login in logins[:2]})
    assert [path for _, path, _ in double.requests] == ["/graphql"] + [
        f"/users/{login}" for login in logins
    ]
