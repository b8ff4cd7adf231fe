"""Where link mails go: an SMTP server (one connection per run) or a local Maildir for preview.

`SIGNUPSHEET_SMTP_URL` is `smtp://USER:PASSWORD@HOST:PORT` (STARTTLS, port 587 by default) or
`smtps://…` (TLS from the first byte, port 465); user and password are percent-decoded. When it is
unset, messages are written to the Maildir `outbox/` in the site folder, which git ignores.

Errors never repeat what the server said: its replies often quote the recipient's address.
"""

from __future__ import annotations

import ipaddress
import mailbox
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.policy import Compat32
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import unquote, urlsplit

from signupsheet.core.errors import UserError

SMTP_VARIABLE = "SIGNUPSHEET_SMTP_URL"
OUTBOX = "outbox"


class SendRefused(Exception):
    """The server refused this one message or recipient; the others can still be sent."""

    def __init__(self, code: int) -> None:
        super().__init__(f"refused by the mail server (reply code {code})")
        self.code = code


class TransportDown(Exception):
    """Nothing more can be sent in this run (server unreachable, login refused, connection lost)."""


class Transport(Protocol):
    @property
    def description(self) -> str: ...

    def send(self, message: Message, recipient: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SmtpUrl:
    security: Literal["starttls", "tls"]
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_smtp_url(text: str) -> SmtpUrl:
    """Parse the transport URL; messages name the problem, never the URL (it holds a password)."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        raise UserError(
            f"{SMTP_VARIABLE} is not a URL like smtp://USER:PASSWORD@HOST:587; percent-encode "
            "special characters in the user name and password"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise UserError(
            f"{SMTP_VARIABLE} must start with smtp:// (STARTTLS) or smtps:// (TLS); "
            "the value is not shown here"
        )
    if not parts.hostname:
        raise UserError(f"{SMTP_VARIABLE} has no host name: smtp://USER:PASSWORD@HOST:587")
    if (parts.path not in ("", "/")) or parts.query or parts.fragment:
        raise UserError(f"{SMTP_VARIABLE} takes no path or query: smtp://USER:PASSWORD@HOST:PORT")
    username = None if parts.username is None else unquote(parts.username)
    password = None if parts.password is None else unquote(parts.password)
    return SmtpUrl(
        security="starttls" if scheme == "smtp" else "tls",
        host=parts.hostname,
        port=port or (587 if scheme == "smtp" else 465),
        username=username or None,
        password=password,
    )


class _WirePolicy(Compat32):
    """Writes short ASCII headers as they are; the stock policy re-encodes every header.

    Our headers are ASCII already (`link_mail` encodes names and subjects), and re-encoding them
    was most of the time spent per message. Anything else takes the stock path.
    """

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if (
            isinstance(value, str)
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
            and len(name) + len(value) + 2 <= 998
        ):
            return f"{name}: {value}{self.linesep}"
        folded: str = super()._fold(name, value, sanitize)  # type: ignore[misc]
        return folded


WIRE = _WirePolicy(linesep="\r\n")


def _code(error: smtplib.SMTPResponseException) -> int:
    return int(error.smtp_code)


class SmtpTransport:
    """One SMTP connection, opened at the first message and kept for the whole run."""

    def __init__(
        self,
        url: SmtpUrl,
        *,
        envelope_from: str,
        timeout: float = 30.0,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self.url = url
        self.envelope_from = envelope_from
        self.timeout = timeout
        self.context = context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None

    @property
    def description(self) -> str:
        return "smtps" if self.url.security == "tls" else "smtp"

    def _connect(self) -> smtplib.SMTP:
        url = self.url
        smtp: smtplib.SMTP
        try:
            if url.security == "tls":
                smtp = smtplib.SMTP_SSL(
                    url.host, url.port, timeout=self.timeout, context=self.context
                )
                smtp.ehlo()
            else:
                smtp = smtplib.SMTP(url.host, url.port, timeout=self.timeout)
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=self.context)
                    smtp.ehlo()
                elif not url.loopback:
                    # A server that does not offer STARTTLS, or an attacker who stripped the
                    # offer: either way the link would cross the network in clear text.
                    smtp.close()
                    raise TransportDown(
                        "the SMTP server does not offer STARTTLS; use a server that does, "
                        "or smtps://"
                    )
            if url.username is not None:
                smtp.login(url.username, url.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise TransportDown(
                f"the SMTP server refused the login (reply code {_code(error)}); check the user "
                f"and password in {SMTP_VARIABLE}"
            ) from None
        except smtplib.SMTPResponseException as error:
            raise TransportDown(
                f"the SMTP server refused the connection (reply code {_code(error)})"
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise TransportDown(
                f"cannot reach the SMTP server ({type(error).__name__}); the next run retries"
            ) from None
        return smtp

    def send(self, message: Message, recipient: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            data = message.as_bytes(policy=WIRE)
            self._smtp.sendmail(self.envelope_from, [recipient], data)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise SendRefused(codes[0] if codes else 550) from None
        except smtplib.SMTPDataError as error:
            if _code(error) == 421:
                self._drop()
                raise TransportDown("the SMTP server closed the connection (421)") from None
            raise SendRefused(_code(error)) from None
        except smtplib.SMTPSenderRefused as error:
            raise TransportDown(
                f"the SMTP server refused the sender (reply code {_code(error)}); check "
                "SIGNUPSHEET_MAIL_FROM"
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            raise TransportDown(
                f"lost the connection to the SMTP server ({type(error).__name__}); "
                "the next run retries"
            ) from None

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            self._smtp = None


class MaildirTransport:
    """Writes each message to a Maildir, so an organizer can preview mails in a mail reader."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._box: mailbox.Maildir | None = None

    @property
    def description(self) -> str:
        return f"maildir {self.path.name}/"

    def send(self, message: Message, recipient: str) -> None:
        if self._box is None:
            self._box = mailbox.Maildir(self.path, create=True)
        self._box.add(message)

    def close(self) -> None:
        self._box = None


def transport_from_env(
    environ: Mapping[str, str],
    root: Path,
    *,
    envelope_from: str,
    sender_configured: bool,
    dry_run: bool = False,
) -> Transport:
    text = environ.get(SMTP_VARIABLE, "").strip()
    if not text:
        if environ.get("GITHUB_ACTIONS") == "true" and not dry_run:
            # The outbox would vanish with the runner while everyone is marked as sent.
            raise UserError(
                f"{SMTP_VARIABLE} is not set; in GitHub Actions link mails need an SMTP server: "
                "add the repository secret (see docs/link-delivery.md)"
            )
        return MaildirTransport(root / OUTBOX)
    if not sender_configured:
        raise UserError(
            "SIGNUPSHEET_MAIL_FROM is not set: sending by SMTP needs a sender address, e.g. "
            "'Events team <events@example.org>'"
        )
    return SmtpTransport(parse_smtp_url(text), envelope_from=envelope_from)


def secrets_of(environ: Mapping[str, str]) -> list[str]:
    """The parts of the transport URL to mask in logs: the URL, the user and the password (both
    also percent-decoded; the user is often an address)."""
    text = environ.get(SMTP_VARIABLE, "").strip()
    if not text:
        return []
    found = [text]
    try:
        parts = urlsplit(text)
        for value in (parts.username, parts.password):
            if value:
                found += [value, unquote(value)]
    except ValueError:
        pass
    return [value for value in dict.fromkeys(found) if value]
