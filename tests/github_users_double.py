"""A small local double of the GitHub REST endpoints the link delivery calls.

GET /users/{login} (the public profile e-mail), and an issue's comments: GET
/repos/{o}/{r}/issues/{n}, GET and POST /repos/{o}/{r}/issues/{n}/comments. Answers are shaped
from GitHub's real webhook payloads in tests/payloads, with only the fields a test needs
changed.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from githubdouble import payload


@dataclass
class GitHubState:
    emails: dict[str, str | None] = field(default_factory=dict)  # login → public e-mail
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    fail_users: int = 0  # answer this many /users requests with 502
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: GitHubState, base: list[str]) -> type[BaseHTTPRequestHandler]:
    opened = payload("issues.opened.payload.json")
    comment_payload = payload("issue_comment.created.payload.json")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _parts(self) -> list[str]:
            return self.path.split("?")[0].strip("/").split("/")

        def do_GET(self) -> None:
            parts = self._parts()
            with state.lock:
                state.requests.append(f"GET {self.path}")
            if len(parts) == 2 and parts[0] == "users":
                with state.lock:
                    if state.fail_users:
                        state.fail_users -= 1
                        self._send(502, {"message": "Server Error"})
                        return
                found = {login.casefold(): login for login in state.emails}
                login = found.get(parts[1].casefold())
                if login is None:
                    self._send(404, {"message": "Not Found"})
                    return
                user = copy.deepcopy(opened["issue"]["user"])
                user.update(
                    login=login,
                    url=f"{base[0]}/users/{login}",
                    email=state.emails[login],
                    name=login,
                )
                self._send(200, user)
                return
            if len(parts) == 5 and parts[0] == "repos" and parts[3] == "issues":
                self._send(200, self._issue(parts[1], parts[2], int(parts[4])))
                return
            if len(parts) == 6 and parts[5] == "comments":
                with state.lock:
                    self._send(200, list(state.comments.get(int(parts[4]), [])))
                return
            self._send(404, {"message": "Not Found"})

        def do_POST(self) -> None:
            parts = self._parts()
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with state.lock:
                state.requests.append(f"POST {self.path}")
            if len(parts) == 6 and parts[3] == "issues" and parts[5] == "comments":
                number = int(parts[4])
                with state.lock:
                    items = state.comments.setdefault(number, [])
                    comment = copy.deepcopy(comment_payload["comment"])
                    comment.update(id=1000 + len(items), body=body["body"])
                    items.append(comment)
                self._send(201, comment)
                return
            self._send(404, {"message": "Not Found"})

        def _issue(self, owner: str, repo: str, number: int) -> dict[str, Any]:
            issue = copy.deepcopy(opened["issue"])
            url = f"{base[0]}/repos/{owner}/{repo}/issues/{number}"
            issue.update(number=number, url=url, comments_url=f"{url}/comments", repository_url=url)
            return issue

    return Handler


@contextmanager
def github_double(state: GitHubState) -> Iterator[str]:
    """Serve the double on 127.0.0.1; yields the API base URL for PyGithub."""
    base: list[str] = [""]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, base))
    base[0] = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base[0]
    finally:
        server.shutdown()
        server.server_close()
