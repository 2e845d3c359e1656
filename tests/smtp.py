"""A real SMTP server for the mail tests: aiosmtpd in a thread on 127.0.0.1, on a free
port. Mail goes through Django's SMTP backend, the network and the SMTP dialogue exactly
as in production; the server keeps what it received (tests/conftest.py: smtp_server)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, server: LoopbackSMTP):
        self.server = server

    async def handle_DATA(self, _server, _session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message.envelope_from = envelope.mail_from
        message.envelope_to = list(envelope.rcpt_tos)
        with self.server.lock:
            self.server.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LoopbackSMTP:
    host = "127.0.0.1"

    def __init__(self):
        self.port = _free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname=self.host, port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        """The messages delivered to one address."""
        with self.lock:
            return [m for m in self.messages if address in m.envelope_to]
