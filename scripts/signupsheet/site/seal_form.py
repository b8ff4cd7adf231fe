"""The optional "E-mail for the meeting link" form beside an event page's Register button.

The browser seals `{address, login, event}` to the site's public key (`contact-key.pub`) with the
vendored libsodium.js (assets/seal.js) and opens the register issue form with the sealed text in
its `contact` field; the address itself never leaves the browser in clear. Without JavaScript the
form stays hidden and the text beside it explains `signupsheet seal-contact`.
"""

from __future__ import annotations

import html

from signupsheet.core.model import Event, Session
from signupsheet.core.project import Project
from signupsheet.core.sealed_contact import valid_key

# The issue form's field that takes the sealed text (.github/ISSUE_TEMPLATE/register.yml).
CONTACT_FIELD = "contact"


def public_contact_key(project: Project) -> str | None:
    """The site's public key for sealed contacts, None when there is none (or it is not a key:
    the pages then offer no form rather than one whose seals nobody can open)."""
    path = project.contact_key_path
    if not path.is_file():
        return None
    key = path.read_text(encoding="utf-8").strip()
    return key if valid_key(key) else None


def seal_form_html(event: Event, session: Session, register_url: str, public_key: str) -> str:
    def attr(text: str) -> str:
        return html.escape(text, quote=True)

    ids = f"{event.id}-{session.id}"
    error = f"ss-seal-error-{ids}"
    return (
        f'<form class="ss-seal" data-ss-seal hidden data-key="{attr(public_key)}" '
        f'data-event="{attr(event.id)}" data-form="{attr(register_url)}" '
        f'data-field="{CONTACT_FIELD}" novalidate>'
        "<p>Optional: the meeting link is e-mailed shortly before the session. To get it, give "
        "your address and GitHub login here: the address is sealed in your browser, so that "
        "only the site's workflow can read it, and the registration form gets the sealed text, "
        "never the address.</p>"
        f'<p><label for="ss-seal-address-{ids}">E-mail for the meeting link</label> '
        f'<input type="email" id="ss-seal-address-{ids}" name="address" autocomplete="email" '
        f'maxlength="254" aria-describedby="{error}"></p>'
        f'<p><label for="ss-seal-login-{ids}">Your GitHub login</label> '
        f'<input type="text" id="ss-seal-login-{ids}" name="login" autocomplete="username" '
        f'autocapitalize="none" spellcheck="false" maxlength="39" aria-describedby="{error}"></p>'
        '<p><button type="submit" class="md-button">Seal and register</button></p>'
        f'<p class="ss-seal-error" id="{error}" role="alert"></p>'
        "</form>"
        '<p class="ss-seal-nojs">Optional: to get the meeting link by e-mail, seal your address '
        f"with <code>signupsheet seal-contact --user YOUR-LOGIN --event {attr(event.id)} "
        "YOUR-ADDRESS</code> and paste the sealed text into the form's “Sealed e-mail for the "
        "meeting link” field.</p>"
    )
