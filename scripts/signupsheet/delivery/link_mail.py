"""The e-mail that carries a meeting link: plain text, HTML and a calendar invitation.

Built with the standard library's `email` package only; nothing here sends anything. The link is
private to the recipient, so it appears in the bodies and the attached ICS file and nowhere else.
"""

from __future__ import annotations

import base64
import email.policy
import hashlib
import html
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.charset import QP, Charset
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.utils import format_datetime, formataddr

import icalendar

from signupsheet.core.errors import UserError
from signupsheet.core.model import Event, Registration, Session, calendar_uid
from signupsheet.core.time_text import span_text, time_text
from signupsheet.delivery.secrets import valid_address
from signupsheet.site.links import cancel_form_url
from signupsheet.site.urls import PublishedSite

FROM_VARIABLE = "SIGNUPSHEET_MAIL_FROM"
REPLY_TO_VARIABLE = "SIGNUPSHEET_REPLY_TO"
SITE_VARIABLE = "SIGNUPSHEET_SITE_URL"
REPOSITORY_VARIABLE = "SIGNUPSHEET_REPOSITORY_URL"
# Used only when messages go to the local outbox for preview; sending by SMTP needs a real sender.
PREVIEW_SENDER = Address("signupsheet preview", "signupsheet", "localhost")
# Quoted-printable keeps the bodies readable in the raw message, links included.
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP


@dataclass(frozen=True)
class MailSettings:
    sender: Address
    reply_to: tuple[Address, ...] = ()
    site: PublishedSite | None = None  # the published site, for the policy page
    repository_url: str | None = None  # https://github.com/OWNER/REPO, for the cancel form
    sender_configured: bool = True


def _addresses(text: str, variable: str) -> tuple[Address, ...]:
    """Parse an address list the way a mail header is parsed; refuse anything with defects."""
    try:
        header = email.policy.default.header_factory("To", text)
        found = tuple(getattr(header, "addresses", ()))
        defects = list(getattr(header, "defects", ()))
    except (HeaderParseError, ValueError, IndexError):
        found, defects = (), ["unparsable"]
    if defects or not all(valid_address(address.addr_spec) for address in found):
        raise UserError(
            f"{variable} is not an address like 'Events team <events@example.org>' (several "
            "separated by commas where allowed); fix the variable (its value is not shown here)"
        )
    return found


def settings_from_env(
    environ: Mapping[str, str], site: PublishedSite | None = None
) -> MailSettings:
    """Sender, reply-to and site addresses from the environment; unset ones fall back sensibly.

    `site` is the site as mkdocs.yml publishes it; the site variable, when set, moves it (e.g.
    to a custom domain)."""
    sender_text = environ.get(FROM_VARIABLE, "").strip()
    sender = PREVIEW_SENDER
    if sender_text:
        senders = _addresses(sender_text, FROM_VARIABLE)
        if len(senders) != 1:
            raise UserError(f"{FROM_VARIABLE} must be exactly one address")
        sender = senders[0]
    reply_text = environ.get(REPLY_TO_VARIABLE, "").strip()
    reply_to = _addresses(reply_text, REPLY_TO_VARIABLE) if reply_text else ()
    if site_url := environ.get(SITE_VARIABLE, "").strip():
        site = PublishedSite(site_url, directory_urls=site is None or site.directory_urls)
    repository = environ.get(REPOSITORY_VARIABLE, "").strip() or None
    if repository is None and environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        repository = f"{server}/{environ['GITHUB_REPOSITORY']}"
    return MailSettings(
        sender=sender,
        reply_to=reply_to,
        site=site,
        repository_url=repository,
        sender_configured=bool(sender_text),
    )


def policy_url(event: Event, settings: MailSettings) -> str | None:
    """The policy page on the published site."""
    if event.policy is None or settings.site is None:
        return None
    return settings.site.page(event.policy)


def message_id(event: Event, session: Session, login: str, domain: str) -> str:
    """The same for every copy of one person's link mail, so a resend after a crash is recognisable
    as the same message (several mail clients show identical Message-IDs once)."""
    basis = f"{event.id}\n{session.id}\n{login.casefold()}\n{session.start.isoformat()}"
    digest = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
    return f"<link.{digest}@{domain}>"


def build_ics(event: Event, session: Session, link: str | None, now: datetime) -> bytes:
    """The session's invitation; without `link` (the confirmation mail) it says the link
    follows. One uid per session, so the link mail's invitation updates the confirmation's."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//signupsheet//meeting link//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", calendar_uid(event.id, session.id))
    entry.add("dtstamp", now)
    entry.add("dtstart", session.start)
    entry.add("dtend", session.end)
    title = event.title if session.title is None else f"{event.title} ({session.title})"
    entry.add("summary", title)
    platform = event.location.platform if event.location and event.location.platform else None
    if link is None:
        lines = ["The meeting link follows by e-mail shortly before the session."]
    else:
        entry.add("location", link)
        entry.add("url", link)
        lines = [f"Join{' on ' + platform if platform else ''}: {link}"]
    if event.summary:
        lines += ["", event.summary.strip()]
    if link is not None:
        lines += ["", "This link is for you only; please do not share it."]
    entry.add("description", "\n".join(lines))
    calendar.add_component(entry)
    ical: bytes = calendar.to_ical()
    return ical


def _paragraphs(
    event: Event, session: Session, entry: Registration, link: str, settings: MailSettings
) -> list[tuple[str, str | None]]:
    """(text, url) pairs: the plain body prints both, the HTML body makes the url a link."""
    title = event.title if session.title is None else f"{event.title} — {session.title}"
    platform = event.location.platform if event.location and event.location.platform else None
    parts: list[tuple[str, str | None]] = [
        (f"Hello {entry.name},", None),
        (f"here is your link for {title}:", link),
        (f"When: {span_text(session.start, session.end)}.", None),
    ]
    if platform:
        parts.append((f"Where: online on {platform}, at the link above.", None))
    parts.append(
        ("The link is for you only: please do not forward it or post it anywhere public.", None)
    )
    policy = policy_url(event, settings)
    if policy:
        parts.append(("By taking part you agree to the event's policy:", policy))
    elif event.policy:
        parts.append(("By taking part you agree to the event's policy on the event site.", None))
    if settings.repository_url is not None:
        cancel = cancel_form_url(settings.repository_url, event, session)
        parts.append(
            (
                "Can't come after all? Please take yourself off the list so the seat goes to "
                "someone else:",
                cancel,
            )
        )
    else:
        parts.append(
            (
                "Can't come after all? Please take yourself off the sign-up sheet of the event "
                "so the seat goes to someone else.",
                None,
            )
        )
    parts.append(
        ("The attached invitation (.ics) puts the session, with the link, in your calendar.", None)
    )
    if settings.reply_to:
        parts.append(("Questions? Reply to this e-mail to reach the organizers.", None))
    parts.append(
        (
            f"You get this e-mail because you registered as {entry.login} for this event.",
            None,
        )
    )
    return parts


def _plain(parts: list[tuple[str, str | None]]) -> str:
    blocks = [text if url is None else f"{text}\n\n    {url}" for text, url in parts]
    return "\n\n".join(blocks) + "\n"


def _html(title: str, parts: list[tuple[str, str | None]]) -> str:
    blocks = []
    for text, url in parts:
        block = f"<p>{html.escape(text)}</p>"
        if url is not None:
            safe = html.escape(url, quote=True)
            block += f'\n<p><a href="{safe}">{safe}</a></p>'
        blocks.append(block)
    body = "\n".join(blocks)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _part(content_type: str, payload: str | list[Message], encoding: str | None = None) -> Message:
    """A MIME part from ready header values: building parts from strings, not through the
    parameter parser, keeps a thousand messages cheap."""
    part = Message()
    part["Content-Type"] = content_type
    if encoding is not None:
        part["Content-Transfer-Encoding"] = encoding
    if isinstance(payload, str):
        part.set_payload(payload)
    else:
        children: list[Message | str] = [*payload]
        part.set_payload(children)
    return part


def _text_part(text: str, subtype: str) -> Message:
    if text.isascii() and max(map(len, text.splitlines()), default=0) <= 998:
        # Plain ASCII needs no transfer encoding: nothing to encode, the link stays intact.
        return _part(f'text/{subtype}; charset="us-ascii"', text, "7bit")
    return _part(f'text/{subtype}; charset="utf-8"', _UTF8.body_encode(text), "quoted-printable")


def _header_text(text: str) -> str:
    # Titles come from event files: never let a line break reach a header.
    flat = " ".join(text.split())
    return flat if flat.isascii() else Header(flat, "utf-8").encode()


def _address_text(address: Address) -> str:
    return formataddr((address.display_name, address.addr_spec), charset="utf-8")


def build_message(
    event: Event,
    session: Session,
    entry: Registration,
    *,
    link: str,
    recipient: str,
    settings: MailSettings,
    now: datetime,
    ics: bytes | None = None,
) -> Message:
    """One person's link mail. `recipient` is a bare address that was already validated.

    `ics` is the session's invitation from `build_ics`, when the caller builds it once for all
    recipients. The message is a `Message` of the compat32 policy with headers given as ready
    strings: `EmailMessage` parses every header it is given, which made a thousand messages take
    half a minute instead of a second.
    """
    if entry.login is None:
        raise ValueError("link mails go to registrants with a login")
    subject = f"Your link for {event.title}, {time_text(session.start, 'date')}"
    parts = _paragraphs(event, session, entry, link, settings)
    # Our own boundaries: "=_" never occurs in quoted-printable or base64 content, and the
    # generator would otherwise compile a fresh regular expression per part to pick one.
    token = secrets.token_hex(12)
    bodies = _part(
        f'multipart/alternative; boundary="=_alt_{token}"',
        [_text_part(_plain(parts), "plain"), _text_part(_html(subject, parts), "html")],
    )
    invitation = _part(
        'text/calendar; charset="utf-8"; method=PUBLISH',
        base64.encodebytes(ics if ics is not None else build_ics(event, session, link, now)).decode(
            "ascii"
        ),
        "base64",
    )
    invitation["Content-Disposition"] = f'attachment; filename="{event.id}-{session.id}.ics"'
    message = _part(f'multipart/mixed; boundary="=_mixed_{token}"', [bodies, invitation])
    message["MIME-Version"] = "1.0"
    message["Subject"] = _header_text(subject)
    message["From"] = _address_text(settings.sender)
    message["To"] = recipient
    if settings.reply_to:
        message["Reply-To"] = ", ".join(_address_text(address) for address in settings.reply_to)
    message["Date"] = format_datetime(now.astimezone(UTC).replace(microsecond=0))
    message["Message-ID"] = message_id(event, session, entry.login, settings.sender.domain)
    message["Auto-Submitted"] = "auto-generated"
    return message
