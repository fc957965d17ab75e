"""A real SMTP server on loopback for the tests (aiosmtpd): e-mails leave through Django's
SMTP backend, cross a socket, and arrive parsed as a mail client sees them.

    def test_x(smtp_server: Mailbox) -> None:
        ... send ...
        message = smtp_server.wait_for(1)[0]      # email.message.EmailMessage
        links = smtp_server.links(message)        # the URLs in its text part
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} e-mails, got {len(self.messages)}")

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @staticmethod
    def attachments(message: EmailMessage) -> list[tuple[str, str, bytes]]:
        return [
            (part.get_filename() or "", part.get_content_type(), part.get_payload(decode=True))
            for part in message.iter_attachments()
        ]

    @classmethod
    def links(cls, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://[^\s<>\"]+", cls.text(message))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SMTPServer:
    """Start/stop an aiosmtpd server; `settings` points Django's SMTP backend at it."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self.mailbox

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
