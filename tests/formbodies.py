"""Issue bodies as GitHub renders an issue form: built from our own templates."""

from __future__ import annotations

from paths import REPO
from signupsheet.registration.issues.issue_form import NO_RESPONSE, Form, load_form

FORMS = REPO / ".github" / "ISSUE_TEMPLATE"


def form(name: str) -> Form:
    return load_form(FORMS / f"{name}.yml")


def body(
    form: Form, values: dict[str, str | bool | None], *, crlf: bool = False, upper_x: bool = True
) -> str:
    """GitHub's rendering: `### Label`, a blank line, the value or _No response_; checkboxes as
    `- [X] label` lines."""
    parts = []
    for field in form.fields:
        value = values.get(field.id)
        if field.type == "checkboxes":
            mark = ("X" if upper_x else "x") if value else " "
            text = "\n".join(f"- [{mark}] {option}" for option in field.options)
        elif field.type == "dropdown" and value is None:
            text = field.options[0] if field.options else NO_RESPONSE
        else:
            text = NO_RESPONSE if value in (None, "") else str(value)
        parts.append(f"### {field.label}\n\n{text}")
    out = "\n\n".join(parts)
    return out.replace("\n", "\r\n") if crlf else out


def register_body(event: str, session: str | None = None, **values: str | bool | None) -> str:
    values.setdefault("policy", True)
    return body(form("register"), {"event": event, "session": session, **values})


def cancel_body(event: str, session: str | None = None) -> str:
    return body(form("cancel"), {"event": event, "session": session})
