"""A webhook receiver on loopback, as another system would run one: http.server in a thread.

It records every request it gets (headers and the raw body), answers with the codes it is
given (200 once they run out), and checks signatures the way the README tells receivers to,
written here from the README, not with the app's own code. `hold` makes it keep the first
request open without answering until the sender goes away (a worker killed mid-delivery).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import select
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def receiver_check(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """The README's check: t and v1 from the header, HMAC-SHA256 of "t.body", a fresh t."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | None = None  # the code it was answered with; None: cut off

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    answers: list[int] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    hold: bool = False
    held: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self) -> list[Request]:
        return [r for r in self.requests if r.answered and 200 <= r.answered < 300]

    def wait_for(self, n: int, *, timeout: float = 30, answered: bool = True) -> list[Request]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.answered() if answered else list(self.requests)
            if len(found) >= n:
                return found
            time.sleep(0.05)
        raise TimeoutError(f"the receiver got {len(self.requests)} requests, not {n}")


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            request = Request(self.path, dict(self.headers.items()), self.rfile.read(length))
            with receiver.lock:
                receiver.requests.append(request)
                hold = receiver.hold and not receiver.held.is_set()
                if hold:
                    receiver.held.set()
                code = receiver.answers.pop(0) if receiver.answers else 200
            if hold:
                # No answer: wait until the sender hangs up (its process was killed).
                while True:
                    readable, _, _ = select.select([self.connection], [], [], 0.2)
                    if readable and not self.connection.recv(1):
                        return
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if code < 300 else b'{"error": "not now"}')
            request.answered = code

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    return Handler


@contextmanager
def running_receiver(**options: Any) -> Iterator[Receiver]:
    receiver = Receiver(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/hiring"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
