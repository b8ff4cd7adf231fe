"""The doubles of GitHub's REST API the tests run the product against, through PyGithub.

`GitHubDouble` stands in for the endpoints the sweep and the link delivery call;
`PullRequestDouble` adds the pull requests the pull request bot reads and closes. Started by the
tests on 127.0.0.1 in a thread; several sweeper processes may share one. Issues are built from
the real webhook payloads in tests/payloads (only number, author, body, labels and times
changed), so PyGithub parses the shape GitHub really sends.

Endpoints (under /repos/OWNER/NAME): GET issues (state, labels, since, direction, per_page,
page, with Link pagination), GET/PATCH issues/N, PUT issues/N/labels, GET/POST
issues/N/comments, PATCH/DELETE issues/comments/ID, GET actions/workflows/NAME/runs (the runs
added with `add_run`); GET /search/issues for the sweep's count of issues closed since a time
(see `search_issues`); GET /users/LOGIN, the public profile; and POST /graphql for the one
query the link delivery sends (public profile e-mails, see `graphql`).
To support another call, add a route to `_ROUTES` and a handler method. `fail()` makes matching
requests answer with an error first (502, or a rate-limited 403 with Retry-After), to test
retries.

Like GitHub, every answer carries the x-ratelimit-* headers of the primary limit: `rate_budget`
requests (1,000 for a workflow token) until `reset_rate_limit()`; past it, every request is
answered 403 "API rate limit exceeded" with x-ratelimit-remaining: 0 and the reset an hour on.
"""

from __future__ import annotations

import copy
import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

PAYLOADS = Path(__file__).resolve().parent / "payloads"
BOT = "github-actions[bot]"
REPOSITORY = "octo-org/events-site"


def payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text(encoding="utf-8"))
    return data


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    headers: dict[str, str]
    body: dict[str, Any]


class GitHubDouble:
    def __init__(self, repo: str = REPOSITORY) -> None:
        self.repo = repo
        self.lock = threading.RLock()
        self.issues: dict[int, dict[str, Any]] = {}
        # Public profiles by login: the e-mail address shown, or None for a profile without one.
        # A login not in here has no account (404).
        self.emails: dict[str, str | None] = {}
        # Account ids by login, for a test that renames an account (the id stays, the login
        # moves); other logins get an id made from the login.
        self.user_ids: dict[str, int] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.deleted_comments: list[int] = []
        self.created_comments: list[int] = []
        self.requests: list[tuple[str, str, int]] = []
        # The variables of every GraphQL query answered (login by variable name), in order.
        self.graphql_variables: list[dict[str, str]] = []
        # GitHub may refuse the `email` field of a user to an installation token ("Resource not
        # accessible by integration"); the field is non-null, so the user comes back null.
        self.graphql_email_refused = False
        self.faults: list[Fault] = []
        self._next_comment = 9000
        self._server: ThreadingHTTPServer | None = None
        self._template = payload("issues.opened.payload.json")["issue"]
        # Requests matching `hold_pattern` wait until `release` is set, then fail without effect:
        # lets a test kill a client at a precise point.
        self.hold_pattern: tuple[str, re.Pattern[str]] | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.base_url = ""
        # Runs of workflows, newest last: dicts as GitHub lists them.
        self.workflow_runs: list[dict[str, Any]] = []
        # The primary rate limit: requests left until `reset_rate_limit`; None: unlimited.
        self.rate_budget: int | None = None
        self.rate_used = 0
        self.rate_reset = int(time.time()) + 3600
        # What time it is for GitHub (a simulation sets its own).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    # --- running ---------------------------------------------------------------------------

    def start(self) -> str:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes: without this, Nagle's algorithm
                # and delayed ACKs add 40 ms to every request.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                double._serve(self, "GET")

            def do_POST(self) -> None:
                double._serve(self, "POST")

            def do_PATCH(self) -> None:
                double._serve(self, "PATCH")

            def do_PUT(self) -> None:
                double._serve(self, "PUT")

            def do_DELETE(self) -> None:
                double._serve(self, "DELETE")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- test set-up -------------------------------------------------------------------------

    def _api(self, path: str) -> str:
        return f"{self.base_url}/repos/{self.repo}{path}"

    def _user(self, login: str) -> dict[str, Any]:
        user = copy.deepcopy(self._template["user"])
        user["login"] = login
        # One account whatever the case of its login, as on GitHub.
        user["id"] = self.user_ids.get(login, abs(hash(login.casefold())) % 10**8)
        user["type"] = "Bot" if login.endswith("[bot]") else "User"
        return user

    def add_issue(
        self,
        number: int,
        author: str,
        body: str | None,
        labels: list[str],
        *,
        created: datetime,
        state: str = "open",
        title: str = "Register",
    ) -> dict[str, Any]:
        with self.lock:
            issue = copy.deepcopy(self._template)
            issue.update(
                url=self._api(f"/issues/{number}"),
                repository_url=f"{self.base_url}/repos/{self.repo}",
                labels_url=self._api(f"/issues/{number}/labels{{/name}}"),
                comments_url=self._api(f"/issues/{number}/comments"),
                events_url=self._api(f"/issues/{number}/events"),
                html_url=f"https://github.com/{self.repo}/issues/{number}",
                id=10_000 + number,
                number=number,
                title=title,
                user=self._user(author),
                labels=[self._label(name) for name in labels],
                state=state,
                body=body,
                comments=0,
                created_at=_stamp(created),
                updated_at=_stamp(created),
                closed_at=_stamp(created) if state == "closed" else None,
                author_association="NONE",
            )
            self.issues[number] = issue
            return issue

    def edit_body(self, number: int, body: str, when: datetime) -> None:
        """An edit of the issue's body; like GitHub, stamped no earlier than when it happens,
        and (the double's seconds being short) after the issue's last change."""
        with self.lock:
            issue = self.issues[number]
            after = datetime.strptime(issue["updated_at"], "%Y-%m-%dT%H:%M:%SZ")
            later = _stamp(after.replace(tzinfo=UTC) + timedelta(seconds=1))
            issue["body"] = body
            issue["updated_at"] = max(_stamp(when), self._now(), later)

    def add_comment(self, number: int, author: str, body: str) -> dict[str, Any]:
        with self.lock:
            return self._new_comment(number, author, body)

    def _label(self, name: str) -> dict[str, Any]:
        label = copy.deepcopy(self._template["labels"][0]) if self._template["labels"] else {}
        label.update(name=name, url=f"{self.base_url}/repos/{self.repo}/labels/{name}")
        return label

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        message: str = "Server Error",
    ) -> None:
        with self.lock:
            self.faults.append(
                Fault(
                    method,
                    re.compile(path_regex),
                    status,
                    times,
                    headers or {},
                    {"message": message, "documentation_url": "https://docs.github.com/rest"},
                )
            )

    def rate_limit(self, method: str, path_regex: str, *, times: int = 1) -> None:
        self.fail(
            method,
            path_regex,
            403,
            times=times,
            headers={"Retry-After": "1", "X-RateLimit-Remaining": "0"},
            message="You have exceeded a secondary rate limit. Please wait a few minutes.",
        )

    def add_run(
        self,
        started: datetime,
        *,
        event: str = "schedule",
        conclusion: str | None = "success",
        workflow: str = "registration.yml",
    ) -> dict[str, Any]:
        """A run of `workflow`; `conclusion` None: still in progress."""
        with self.lock:
            run_id = 30_000 + len(self.workflow_runs)
            run = {
                "id": run_id,
                "name": "Registration",
                "path": f".github/workflows/{workflow}",
                "workflow_file": workflow,
                "event": event,
                "status": "completed" if conclusion else "in_progress",
                "conclusion": conclusion,
                "created_at": _stamp(started),
                "updated_at": _stamp(started),
                "run_started_at": _stamp(started),
                "run_attempt": 1,
                "url": self._api(f"/actions/runs/{run_id}"),
                "html_url": f"https://github.com/{self.repo}/actions/runs/{run_id}",
            }
            self.workflow_runs.append(run)
            return run

    def event_payload(self, name: str, number: int, path: Path) -> Path:
        """The real webhook payload `name` (e.g. issues.edited.payload.json) about issue
        `number` as it is now, as GitHub would send it, written to `path`."""
        with self.lock:
            data = payload(name)
            data["issue"] = self._issue_json(self.issues[number])
            path.write_text(json.dumps(data), encoding="utf-8")
            return path

    def reset_rate_limit(self, budget: int | None = None) -> None:
        """A new hour: `budget` requests from now on (None: unlimited)."""
        with self.lock:
            self.rate_budget = budget
            self.rate_used = 0
            self.rate_reset = int(time.time()) + 3600

    def comments_on(self, number: int) -> list[dict[str, Any]]:
        with self.lock:
            return [c for c in self.comments.values() if c["issue"] == number]

    def bot_comments(self, number: int) -> list[str]:
        """What the bot wrote on issue `number`, oldest first."""
        with self.lock:
            return [c["body"] for c in self.comments_on(number) if c["user"]["login"] == BOT]

    def label_names(self, number: int) -> list[str]:
        with self.lock:
            return sorted(label["name"] for label in self.issues[number]["labels"])

    # --- serving -----------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        query = {key: values[-1] for key, values in parse_qs(split.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        data = json.loads(raw) if raw else None
        with self.lock:
            limited = self.rate_budget is not None and self.rate_used >= self.rate_budget
        if limited:
            status, headers, body = (
                403,
                {},
                {
                    "message": "API rate limit exceeded for installation ID 1.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                },
            )
        else:
            status, headers, body = self._dispatch(method, split.path, query, data, handler)
        with self.lock:
            self.requests.append((method, split.path, status))
            if not limited:
                self.rate_used += 1
            limit = self.rate_budget if self.rate_budget is not None else 1000
            headers = {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(max(0, limit - self.rate_used)),
                "X-RateLimit-Used": str(self.rate_used),
                "X-RateLimit-Reset": str(self.rate_reset),
                "X-RateLimit-Resource": "core",
                **headers,
            }
        out = b"" if body is None else json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(out)))
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client was killed, as some tests intend

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        data: Any,
        handler: BaseHTTPRequestHandler,
    ) -> tuple[int, dict[str, str], Any]:
        if (
            self.hold_pattern
            and self.hold_pattern[0] == method
            and self.hold_pattern[1].search(path)
        ):
            self.held.set()
            self.release.wait(30)
            return 502, {}, {"message": "held"}
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.method == method and fault.pattern.search(path):
                    fault.times -= 1
                    return fault.status, fault.headers, fault.body
            if handler.headers.get("Authorization") is None:
                return 401, {}, {"message": "Requires authentication"}
            user = re.fullmatch(r"/users/([^/]+)", path)
            if user is not None and method == "GET":
                return self.get_user(user.group(1))
            if path == "/graphql" and method == "POST":
                return self.graphql(query, data)
            if path == "/search/issues" and method == "GET":
                return self.search_issues(query)
            prefix = f"/repos/{self.repo}"
            if not path.startswith(prefix):
                return 404, {}, {"message": "Not Found"}
            rest = path[len(prefix) :]
            for route_method, pattern, name in _ROUTES:
                match = re.fullmatch(pattern, rest)
                if match and route_method == method:
                    handle: Callable[..., tuple[int, dict[str, str], Any]] = getattr(self, name)
                    return handle(query, data, *match.groups())
            return 404, {}, {"message": "Not Found"}

    def _now(self) -> str:
        return _stamp(self.clock())

    def get_user(self, login: str) -> tuple[int, dict[str, str], Any]:
        # Logins are case-insensitive on GitHub; the profile answers with its own spelling.
        found = {known.casefold(): known for known in self.emails}
        known = found.get(login.casefold())
        if known is None:
            return 404, {}, {"message": "Not Found"}
        user = self._user(known)
        user.update(url=f"{self.base_url}/users/{known}", email=self.emails[known], name=known)
        return 200, {}, user

    def graphql_error(self, kind: str, message: str, *, times: int = 1) -> None:
        """The next `times` GraphQL queries get an error answer without data, as GitHub sends
        with status 200 when, say, the token's points are used up (`RATE_LIMITED`)."""
        with self.lock:
            body = {"errors": [{"type": kind, "message": message}]}
            self.faults.append(Fault("POST", re.compile(r"^/graphql$"), 200, times, {}, body))

    def graphql(self, query: dict[str, str], data: Any) -> tuple[int, dict[str, str], Any]:
        """Only the shape the link delivery sends, up to 100 users:
        `query($l0: String!, ...) { u0: user(login: $l0) { login email } ... }` with the logins
        as variables. Answered as GitHub does: `data` has a key per alias, null for an unknown
        login with a NOT_FOUND entry in `errors`; `email` is "" when the profile shows none
        (or refused, see `graphql_email_refused`)."""
        if not isinstance(data, dict) or not isinstance(data.get("query"), str):
            return 400, {}, {"message": "Problems parsing JSON"}
        variables = data.get("variables")
        shape = re.fullmatch(r"\s*query\s*\(([^)]*)\)\s*\{(.*)\}\s*", data["query"], re.S)
        if shape is None or not isinstance(variables, dict):
            return 200, {}, {"errors": [{"message": "Parse error: not the profiles query"}]}
        declared = [part.strip() for part in shape.group(1).split(",")]
        names = [re.fullmatch(r"\$(\w+): String!", part) for part in declared]
        field = r"\s*(\w+): user\(login: \$(\w+)\) \{ login email \}"
        fields = re.findall(field, shape.group(2))
        problems = []
        if None in names or re.fullmatch(f"(?:{field})*\\s*", shape.group(2)) is None:
            problems.append("only `alias: user(login: $variable) { login email }` fields")
        bound = {match.group(1) for match in names if match is not None}
        aliases = [alias for alias, _ in fields]
        if len(fields) > 100 or not fields or len(set(aliases)) != len(aliases):
            problems.append(f"1 to 100 users, each alias once, not {len(fields)}")
        if {name for _, name in fields} != bound or set(variables) != bound:
            problems.append("every variable declared, used and given")
        if not all(isinstance(variables.get(name), str) for _, name in fields):
            problems.append("logins as strings")
        if problems:
            return 200, {}, {"errors": [{"message": f"refused: {p}"} for p in problems]}
        self.graphql_variables.append(dict(variables))
        found = {known.casefold(): known for known in self.emails}
        answer: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for alias, name in fields:
            known = found.get(variables[name].casefold())
            if known is None:
                answer[alias] = None
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias],
                        "locations": [{"line": 1, "column": 1}],
                        "message": "Could not resolve to a User with the login of "
                        f"'{variables[name]}'.",
                    }
                )
            elif self.graphql_email_refused:
                answer[alias] = None
                errors.append(
                    {
                        "type": "FORBIDDEN",
                        "path": [alias, "email"],
                        "locations": [{"line": 1, "column": 1}],
                        "message": "Resource not accessible by integration",
                    }
                )
            else:
                answer[alias] = {"login": known, "email": self.emails[known] or ""}
        return 200, {}, {"data": answer, **({"errors": errors} if errors else {})}

    def _issue_json(self, issue: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(issue)
        out["comments"] = len(self.comments_on(issue["number"]))
        return out

    def list_issues(self, query: dict[str, str], data: Any) -> tuple[int, dict[str, str], Any]:
        state = query.get("state", "open")
        wanted = [name for name in query.get("labels", "").split(",") if name]
        since = query.get("since")
        found = [
            issue
            for _, issue in sorted(self.issues.items())
            if (state == "all" or issue["state"] == state)
            and all(name in [label["name"] for label in issue["labels"]] for name in wanted)
            and (since is None or issue["updated_at"] >= since[:19] + "Z")
        ]
        if query.get("direction") == "desc":
            found.reverse()
        per_page = int(query.get("per_page", "30"))
        page = int(query.get("page", "1"))
        chunk = found[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(found):
            following = dict(query, page=str(page + 1))
            headers["Link"] = f'<{self._api("/issues")}?{urlencode(following)}>; rel="next"'
        return 200, headers, [self._issue_json(issue) for issue in chunk]

    def search_issues(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """The one search the sweep makes: `repo:R is:issue is:closed updated:>=TIME
        label:A,B` (the qualifiers in any order; a comma between labels means either). Any other
        query is refused with 422, as GitHub refuses what it cannot parse."""
        terms = query.get("q", "").split()
        found: dict[str, str] = {}
        for term in terms:
            key, _, value = term.partition(":")
            if key == "is" and value in ("issue", "closed"):
                key = f"is:{value}"
            if key in found or key not in ("repo", "is:issue", "is:closed", "updated", "label"):
                found.clear()
                break
            found[key] = value
        moment = re.fullmatch(r">=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)", found.get("updated", ""))
        labels = [name for name in found.get("label", "").split(",") if name]
        if len(found) != 5 or moment is None or not labels or found["repo"] != self.repo:
            return 422, {}, {"message": "Validation Failed", "errors": [{"code": "invalid"}]}
        matched = [
            issue
            for _, issue in sorted(self.issues.items())
            if issue["state"] == "closed"
            and issue.get("pull_request") is None
            and issue["updated_at"] >= moment.group(1)
            and any(label["name"] in labels for label in issue["labels"])
        ]
        per_page = int(query.get("per_page", "30"))
        items = [self._issue_json(issue) for issue in matched[:per_page]]
        return 200, {}, {"total_count": len(matched), "incomplete_results": False, "items": items}

    def get_issue(
        self, query: dict[str, str], data: Any, number: str
    ) -> tuple[int, dict[str, str], Any]:
        issue = self.issues.get(int(number))
        if issue is None:
            return 404, {}, {"message": "Not Found"}
        return 200, {}, self._issue_json(issue)

    def patch_issue(
        self, query: dict[str, str], data: Any, number: str
    ) -> tuple[int, dict[str, str], Any]:
        issue = self.issues.get(int(number))
        if issue is None:
            return 404, {}, {"message": "Not Found"}
        for key in ("state", "state_reason", "title", "body"):
            if key in data:
                issue[key] = data[key]
        if "labels" in data:
            issue["labels"] = [self._label(str(name)) for name in data["labels"]]
        now = self._now()
        if data.get("state") == "closed":
            issue["closed_at"] = now
        issue["updated_at"] = now
        return 200, {}, self._issue_json(issue)

    def put_labels(
        self, query: dict[str, str], data: Any, number: str
    ) -> tuple[int, dict[str, str], Any]:
        issue = self.issues.get(int(number))
        if issue is None:
            return 404, {}, {"message": "Not Found"}
        names = data["labels"] if isinstance(data, dict) else data
        issue["labels"] = [self._label(str(name)) for name in names]
        issue["updated_at"] = self._now()
        return 200, {}, issue["labels"]

    def _comment_json(self, comment: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in comment.items() if key != "issue"}

    def list_comments(
        self, query: dict[str, str], data: Any, number: str
    ) -> tuple[int, dict[str, str], Any]:
        if int(number) not in self.issues:
            return 404, {}, {"message": "Not Found"}
        found = sorted(self.comments_on(int(number)), key=lambda c: c["id"])
        per_page = int(query.get("per_page", "30"))
        page = int(query.get("page", "1"))
        chunk = found[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(found):
            following = dict(query, page=str(page + 1))
            url = self._api(f"/issues/{number}/comments")
            headers["Link"] = f'<{url}?{urlencode(following)}>; rel="next"'
        return 200, headers, [self._comment_json(c) for c in chunk]

    def _new_comment(self, number: int, author: str, body: str) -> dict[str, Any]:
        self._next_comment += 1
        comment_id = self._next_comment
        comment = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "url": self._api(f"/issues/comments/{comment_id}"),
            "html_url": f"https://github.com/{self.repo}/issues/{number}#issuecomment-{comment_id}",
            "issue_url": self._api(f"/issues/{number}"),
            "body": body,
            "user": self._user(author),
            "created_at": self._now(),
            "updated_at": self._now(),
            "author_association": "NONE",
            "issue": number,
        }
        self.comments[comment_id] = comment
        self.issues[number]["updated_at"] = self._now()
        return comment

    def post_comment(
        self, query: dict[str, str], data: Any, number: str
    ) -> tuple[int, dict[str, str], Any]:
        if int(number) not in self.issues:
            return 404, {}, {"message": "Not Found"}
        comment = self._new_comment(int(number), BOT, str(data["body"]))
        self.created_comments.append(comment["id"])
        return 201, {}, self._comment_json(comment)

    def patch_comment(
        self, query: dict[str, str], data: Any, comment_id: str
    ) -> tuple[int, dict[str, str], Any]:
        comment = self.comments.get(int(comment_id))
        if comment is None:
            return 404, {}, {"message": "Not Found"}
        if comment["user"]["login"] != BOT:
            return 403, {}, {"message": "Resource not accessible by integration"}
        comment["body"] = str(data["body"])
        comment["updated_at"] = self._now()
        return 200, {}, self._comment_json(comment)

    def list_runs(
        self, query: dict[str, str], data: Any, workflow: str
    ) -> tuple[int, dict[str, str], Any]:
        runs = [
            run
            for run in reversed(self.workflow_runs)  # newest first, as GitHub lists them
            if run["workflow_file"] == workflow
            and query.get("event", run["event"]) == run["event"]
            and query.get("status", run["conclusion"]) in (run["conclusion"], run["status"])
        ]
        per_page = int(query.get("per_page", "30"))
        public = [{k: v for k, v in run.items() if k != "workflow_file"} for run in runs]
        return 200, {}, {"total_count": len(runs), "workflow_runs": public[:per_page]}

    def delete_comment(
        self, query: dict[str, str], data: Any, comment_id: str
    ) -> tuple[int, dict[str, str], Any]:
        comment = self.comments.pop(int(comment_id), None)
        if comment is None:
            return 404, {}, {"message": "Not Found"}
        self.deleted_comments.append(int(comment_id))
        return 204, {}, None


_ROUTES = [
    ("GET", r"/issues", "list_issues"),
    ("GET", r"/issues/(\d+)", "get_issue"),
    ("PATCH", r"/issues/(\d+)", "patch_issue"),
    ("PUT", r"/issues/(\d+)/labels", "put_labels"),
    ("GET", r"/issues/(\d+)/comments", "list_comments"),
    ("POST", r"/issues/(\d+)/comments", "post_comment"),
    ("PATCH", r"/issues/comments/(\d+)", "patch_comment"),
    ("DELETE", r"/issues/comments/(\d+)", "delete_comment"),
    ("GET", r"/actions/workflows/([^/]+)/runs", "list_runs"),
]


class PullRequestDouble(GitHubDouble):
    """The double with the pull request endpoints the pull request bot calls: GET and PATCH
    (state) pulls/N.

    Pull requests are built from the real `pull_request.opened` payload (number, author, head
    SHA, body and state changed) and also exist as issues, as on GitHub, so their comments go
    through the issue comment endpoints. Like GitHub, a pull request counts as merged as soon as
    its head commit is reachable from the base branch of the repository's git remote (a bare
    repository here).
    """

    def __init__(self, git_dir: Path, repo: str = REPOSITORY) -> None:
        super().__init__(repo)
        self.git_dir = git_dir
        self.pulls: dict[int, dict[str, Any]] = {}
        self._pull_template = payload("pull_request.opened.payload.json")["pull_request"]
        # A push that lands while the bot works: the head moves after this many GETs.
        self.moves: dict[int, tuple[int, str]] = {}

    def add_pull(
        self,
        number: int,
        author: str,
        head_sha: str,
        body: str | None,
        *,
        association: str = "CONTRIBUTOR",
        base: str = "main",
    ) -> dict[str, Any]:
        created = datetime.now(UTC)
        with self.lock:
            issue = self.add_issue(number, author, body, [], created=created, title="Sign me up")
            issue["pull_request"] = {
                "url": self._api(f"/pulls/{number}"),
                "html_url": f"https://github.com/{self.repo}/pull/{number}",
            }
            pull = copy.deepcopy(self._pull_template)
            pull.update(
                url=self._api(f"/pulls/{number}"),
                html_url=f"https://github.com/{self.repo}/pull/{number}",
                issue_url=self._api(f"/issues/{number}"),
                comments_url=self._api(f"/issues/{number}/comments"),
                id=20_000 + number,
                number=number,
                title="Sign me up",
                user=self._user(author),
                body=body,
                state="open",
                merged=False,
                merged_at=None,
                author_association=association,
            )
            pull["head"] = dict(pull["head"], sha=head_sha, ref=f"signup-{number}")
            pull["head"]["user"] = self._user(author)
            pull["base"] = dict(pull["base"], ref=base)
            self.pulls[number] = pull
            return pull

    def set_head(self, number: int, sha: str) -> None:
        with self.lock:
            self.pulls[number]["head"]["sha"] = sha

    def move_head_after(self, number: int, reads: int, sha: str) -> None:
        with self.lock:
            self.moves[number] = (reads, sha)

    def _reachable(self, sha: str, branch: str) -> bool:
        return (
            subprocess.run(
                ["git", "-C", str(self.git_dir), "merge-base", "--is-ancestor", sha, branch],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )

    def _refresh(self, pull: dict[str, Any]) -> None:
        if pull["state"] == "open" and self._reachable(pull["head"]["sha"], pull["base"]["ref"]):
            pull.update(state="closed", merged=True, merged_at=self._now(), closed_at=self._now())
            self.issues[pull["number"]]["state"] = "closed"

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        data: Any,
        handler: BaseHTTPRequestHandler,
    ) -> tuple[int, dict[str, str], Any]:
        match = re.fullmatch(rf"/repos/{re.escape(self.repo)}/pulls/(\d+)", path)
        if match is None or handler.headers.get("Authorization") is None:
            return super()._dispatch(method, path, query, data, handler)
        with self.lock:
            pull = self.pulls.get(int(match.group(1)))
            if pull is None:
                return 404, {}, {"message": "Not Found"}
            self._refresh(pull)
            if method == "GET":
                answer = copy.deepcopy(pull)
                if pull["number"] in self.moves:
                    reads, sha = self.moves[pull["number"]]
                    if reads <= 1:
                        del self.moves[pull["number"]]
                        pull["head"]["sha"] = sha
                    else:
                        self.moves[pull["number"]] = (reads - 1, sha)
                return 200, {}, answer
            if method == "PATCH":
                if data.get("state") in ("open", "closed") and not pull["merged"]:
                    pull["state"] = data["state"]
                    self.issues[pull["number"]]["state"] = data["state"]
                    pull["closed_at"] = self._now() if data["state"] == "closed" else None
                return 200, {}, copy.deepcopy(pull)
        return 404, {}, {"message": "Not Found"}
