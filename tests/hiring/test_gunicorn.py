"""The production web server's configuration (hiring/gunicorn_conf.py), run for real: a long
request line within the API's documented limits is served, the access log never holds a
signed link's token, and each worker freezes what it loaded at boot."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.core import signing

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_gunicorn_serves_long_request_lines_and_logs_no_signed_tokens(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    log = tmp_path / "access.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:hiring.gunicorn_conf", "hiring.wsgi"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):  # a loaded machine can take a while to start it
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            token = signing.dumps({"s": 12, "u": 3, "n": "abcdefgh"}, salt="test")
            assert get(f"{base}/offers/approve/{token}/") == 200  # the login page, redirected
            assert get(f"{base}/login/?key=plain-secret-value") == 200
            # 200 search characters that each take 4 bytes of UTF-8, percent-encoded: 2,400.
            long_query = "%F0%9F%94%8D" * 200 + "&tag=" + "%E2%82%AC" * 40
            assert get(f"{base}/login/?q={long_query}") == 200  # not a 414
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert "/offers/approve/[redacted]/" in text
    assert token not in text and token.split(":")[0] not in text
    assert "plain-secret-value" not in text
    # The worker froze what it loaded at boot (hiring.gc_freeze): letters without the
    # collector's 100 ms pauses.
    frozen = re.search(r"gc: froze (\d+) objects loaded at boot", text)
    assert frozen and int(frozen.group(1)) > 10_000, text[-2000:]
    # ... after compiling every template first: a fresh worker's first pages are not slow.
    warmed = re.search(r"warm: compiled (\d+) templates", text)
    assert warmed and int(warmed.group(1)) > 100, text[-2000:]


def test_django_logs_never_hold_a_signed_token(client: object, caplog: object) -> None:
    import logging

    from hiring.redaction import RedactTokens

    token = signing.dumps({"s": 1, "u": 2, "n": "x" * 12}, salt="test")
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        "",
        0,
        "Forbidden: %s",
        (f"/offers/approve/{token}/",),
        None,
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "/offers/approve/[redacted]/" in record.getMessage()
