"""Public profile addresses through GitHub's GraphQL API: real PyGithub against the double."""

from __future__ import annotations

import pytest

from github import Github, GithubException
from githubdouble import GitHubDouble
from signupsheet.github.client import client
from signupsheet.github.contact_lookup import (
    BATCH,
    GitHubProfiles,
    LookupUnavailable,
    NoProfiles,
    profiles_query,
)


def github(double: GitHubDouble) -> Github:
    return client("test-token", api_url=double.base_url, retries=0, polite=False)


def test_answers_by_casefolded_login_once_each(double: GitHubDouble) -> None:
    double.emails.update({"Alice": " alice@example.org ", "bob": None})
    logins = ["alice", "ALICE", "bob", "ghost", 'x") { viewer { login } } #']

    answers = GitHubProfiles(github(double)).public_emails(logins)

    assert answers == {
        "alice": "alice@example.org",
        "bob": None,
        "ghost": None,
        'x") { viewer { login } } #': None,
    }
    # One query; each person asked for once; logins only as variables.
    assert double.graphql_variables == [
        {"l0": "alice", "l1": "bob", "l2": "ghost", "l3": 'x") { viewer { login } } #'}
    ]


def test_a_batch_that_fails_leaves_the_others_answered(double: GitHubDouble) -> None:
    logins = [f"p{index}" for index in range(BATCH + 1)]
    double.emails.update({login: f"{login}@example.org" for login in logins})
    double.fail("POST", r"^/graphql$", 502)

    answers = GitHubProfiles(github(double)).public_emails(logins)

    assert all(isinstance(answers[login], LookupUnavailable) for login in logins[:BATCH])
    assert answers[logins[-1]] == f"{logins[-1]}@example.org"
    assert len(double.requests) == 2


def test_no_profiles_knows_nobody() -> None:
    assert NoProfiles().public_emails(["Alice", "bob"]) == {"alice": None, "bob": None}


@pytest.mark.parametrize("count", [0, BATCH + 1])
def test_a_query_reads_one_to_a_hundred_profiles(count: int) -> None:
    with pytest.raises(ValueError, match="1 to 100"):
        profiles_query(count)


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('query { u0: user(login: "alice") { login email } }', {}),
        (profiles_query(1).replace("email", "email name"), {"l0": "alice"}),
        (profiles_query(2), {"l0": "alice"}),
        (
            profiles_query(BATCH)
            .replace("query(", f"query($l{BATCH}: String!, ")
            .replace("} }", f"}} u{BATCH}: user(login: $l{BATCH}) {{ login email }} }}"),
            {f"l{index}": "alice" for index in range(BATCH + 1)},
        ),
    ],
    ids=["login-in-text", "other-field", "missing-variable", "over-a-hundred"],
)
def test_the_double_refuses_any_other_query(
    double: GitHubDouble, query: str, variables: dict[str, str]
) -> None:
    double.emails["alice"] = "alice@example.org"
    with pytest.raises(GithubException):
        github(double).requester.graphql_query(query, variables)
    assert double.graphql_variables == []
    assert len(double.requests) == 1


def test_a_refused_email_field_is_read_through_rest_instead(double: GitHubDouble) -> None:
    double.emails.update({"Alice": "alice@example.org", "bob": None})
    double.graphql_email_refused = True

    answers = GitHubProfiles(github(double)).public_emails(["alice", "bob", "ghost"])

    assert answers == {"alice": "alice@example.org", "bob": None, "ghost": None}
    assert [(method, path) for method, path, _ in double.requests] == [
        ("POST", "/graphql"),
        ("GET", "/users/alice"),
        ("GET", "/users/bob"),
    ]
