"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, recording what it accepts."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """The handler: keeps every accepted message; can refuse recipients or react to messages."""

    refuse: set[str] = field(default_factory=set)
    # Called with the number of the message being received (1-based) before it is stored; may
    # return an SMTP reply to send instead of storing it.
    on_data: Callable[[int, Received], str | None] | None = None
    after_store: Callable[[int, Received], None] | None = None
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: int = 0
    greetings: int = 0  # EHLOs, one per connection from smtplib

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.greetings += 1
        session.host_name = hostname  # aiosmtpd leaves this to a handler that answers EHLO
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.casefold() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        with self.lock:
            self.seen += 1
            number = self.seen
        if self.on_data is not None:
            reply = self.on_data(number, received)
            if reply is not None:
                return reply
        with self.lock:
            self.messages.append(received)
        if self.after_store is not None:
            self.after_store(number, received)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [item for item in self.messages if address in item.recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server(handler: object, **options: Any) -> Iterator[int]:
    """Serve `handler` (a Recorder, or any aiosmtpd handler) on a free port of 127.0.0.1; yields
    the port. `options` go to aiosmtpd's Controller: TLS, authentication."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
