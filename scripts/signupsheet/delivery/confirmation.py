"""The confirmation mail sent at once when a readable sealed address arrives, at most one per
address per day across the site.

It tells the person that the address works: the event, the session's time, a calendar invitation
and how to cancel — never the meeting link, which only goes out shortly before the session.

The daily limit stops anyone from flooding a third party's inbox by registering many times with
that party's address. It is kept in `contact-confirmations.txt`, committed to the repository so
that every run (each on a fresh runner) sees it, as lines `DAY HASH`: HMAC-SHA256 of the
lower-cased address under a key derived from SIGNUPSHEET_CONTACT_KEY. Without the secret nobody
can test an address against the file, and only today's lines are kept, so it reveals no more
than how many confirmations went out today. After a key rotation the old hashes no longer match:
an address may get a second confirmation that day, which is harmless.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from signupsheet.core.errors import UserError
from signupsheet.core.links_due import EntryKey
from signupsheet.core.model import Event, Registration, Session
from signupsheet.core.project import Project
from signupsheet.core.sealed_contact import Opened
from signupsheet.core.time_text import span_text
from signupsheet.delivery.link_mail import MailSettings, build_ics, settings_from_env
from signupsheet.delivery.mailer import SendRefused, TransportDown, transport_from_env
from signupsheet.eventfiles.atomic_write import atomic_write
from signupsheet.eventfiles.catalog import load_event
from signupsheet.registration import git_sync
from signupsheet.registration.contact_check import sealed_address
from signupsheet.site.links import cancel_form_url
from signupsheet.site.urls import published_site


def _limit_key(contact_key: str) -> bytes:
    # A key of its own for the hashes, so the file never exposes anything about the secret.
    return hmac.new(
        base64.b64decode(contact_key), b"signupsheet confirmation limit", "sha256"
    ).digest()


def address_hash(contact_key: str, address: str) -> str:
    return hmac.new(
        _limit_key(contact_key), address.casefold().encode(), hashlib.sha256
    ).hexdigest()


def claim(path: Path, contact_key: str, address: str, now: datetime) -> bool:
    """Record today's confirmation for `address`; False when it already had one today. Drops
    every line of an earlier day."""
    day = now.astimezone(UTC).date().isoformat()
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    today = [line for line in lines if line.startswith(day + " ")]
    entry = f"{day} {address_hash(contact_key, address)}"
    if entry in today:
        if today != lines:
            atomic_write(path, "".join(line + "\n" for line in today))
        return False
    atomic_write(path, "".join(line + "\n" for line in [*today, entry]))
    return True


def build_confirmation(
    event: Event,
    session: Session,
    entry: Registration,
    *,
    recipient: str,
    settings: MailSettings,
    now: datetime,
) -> EmailMessage:
    when = span_text(session.start, session.end)
    status = "on the waiting list" if entry.status == "waitlisted" else "registered"
    lines = [
        f"You are {status} for {event.title} ({when}).",
        "",
        "This address will get the meeting link shortly before the session. This mail has no "
        "link; it only confirms that the address works.",
    ]
    if settings.repository_url:
        cancel = cancel_form_url(settings.repository_url, event, session)
        lines += ["", f"To cancel: {cancel}"]
    lines += [
        "",
        "If you did not register, ignore this mail: nothing more is sent to this address today.",
    ]
    message = EmailMessage()
    message["Subject"] = f"Registered: {event.title}"
    message["From"] = settings.sender
    message["To"] = recipient
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(now.astimezone(UTC).replace(microsecond=0))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines))
    message.add_attachment(
        build_ics(event, session, None, now),
        maintype="text",
        subtype="calendar",
        filename=f"{event.id}-{session.id}.ics",
    )
    return message


def send_confirmation(
    project: Project,
    event: Event,
    session: Session,
    entry: Registration,
    opened: Opened,
    *,
    contact_key: str,
    environ: Mapping[str, str],
    now: datetime,
    push: tuple[str, str] | None = None,
) -> bool:
    """Claim today's confirmation for the address (committed and pushed to `push` = (remote,
    branch) when given), then send it. Whether a mail went out; errors never name the address."""
    path = project.confirmations_path

    def change() -> tuple[bool, list[Path]]:
        claimed = claim(path, contact_key, opened.address, now)
        return claimed, [path] if claimed else []

    try:
        settings = settings_from_env(environ, published_site(project.root))
        if push is None:
            claimed, _ = change()
        else:
            claimed, _ = git_sync.commit_and_push(
                project.root,
                change,
                "Record a confirmation mail (a keyed hash, no address)",
                remote=push[0],
                branch=push[1],
            )
        if not claimed:
            return False
        transport = transport_from_env(
            environ,
            project.root,
            envelope_from=settings.sender.addr_spec,
            sender_configured=settings.sender_configured,
        )
    except UserError:
        return False
    message = build_confirmation(
        event, session, entry, recipient=opened.address, settings=settings, now=now
    )
    try:
        transport.send(message, opened.address)
    except (SendRefused, TransportDown):
        return False
    finally:
        transport.close()
    return True


def confirm_sealed(
    project: Project,
    keys: Iterable[EntryKey],
    *,
    contact_key: str | None,
    environ: Mapping[str, str],
    now: datetime,
    push: tuple[str, str] | None = None,
) -> int:
    """Send the confirmation mail to the sealed address of each named entry that holds one (the
    registration jobs hand them on: they hold no mail settings), at most once per address per
    day as always. How many mails went out; entries gone, without a seal, or whose seal does not
    open are passed over."""
    if contact_key is None:
        return 0
    wanted = set(keys)
    sent = 0
    for event_id in sorted({key.event for key in wanted}):
        try:
            event = load_event(project, event_id)
        except UserError:
            continue  # removed since: nobody to confirm
        for session in event.sessions:
            for entry in session.registrations:
                if entry.login is None or EntryKey.of(event, session, entry.login) not in wanted:
                    continue
                address = sealed_address(contact_key, entry, event.id)
                if address is None:
                    continue
                opened = Opened(address, entry.login, event.id)
                if send_confirmation(
                    project,
                    event,
                    session,
                    entry,
                    opened,
                    contact_key=contact_key,
                    environ=environ,
                    now=now,
                    push=push,
                ):
                    sent += 1
    return sent
