"""A real OpenID Connect provider on loopback for the single sign-on tests.

tests/sso/provider/ is a tiny Django project of its own (django-oauth-toolkit in OIDC mode,
its own SQLite file, its own RSA key made here), started with its own `runserver` in a second
process. Its people and their groups come from the test; the app is registered as a client
with the redirect URI the test gives. The provider is on 127.0.0.1 and the app under test on
localhost, so the two sites' cookies stay apart.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROVIDER = Path(__file__).resolve().parent / "provider"
CLIENT_ID, CLIENT_SECRET = "hiring-app", "hiring-app-secret-for-the-tests"
PASSWORD = "provider-password"


@dataclass
class Provider:
    issuer: str
    key: rsa.RSAPrivateKey
    log: Path

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(env: dict[str, str], *args: str, log: Path) -> None:
    with log.open("a") as out:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=PROVIDER, env=env, check=True,
            stdout=out, stderr=subprocess.STDOUT, timeout=120,
        )  # fmt: skip


@contextmanager
def running_provider(
    tmp: Path, *, people: dict[str, list[str]], redirect_uri: str, logout_uri: str
) -> Iterator[Provider]:
    """The provider, with `people` (username -> groups, each with PASSWORD), until the end."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    provider = Provider(issuer=issuer, key=key, log=tmp / "provider.log")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "PROVIDER_DB": str(tmp / "provider.sqlite3"),
        "PROVIDER_KEY": provider.key_pem.decode(),
        "PROVIDER_ISSUER": issuer,
        "PROVIDER_CLIENT_ID": CLIENT_ID,
        "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
        "PROVIDER_REDIRECT_URI": redirect_uri,
        "PROVIDER_LOGOUT_URI": logout_uri,
        "PROVIDER_PEOPLE": ";".join(
            f"{name}:{PASSWORD}:{'|'.join(groups)}" for name, groups in people.items()
        ),
    }
    _manage(env, "migrate", "--noinput", log=provider.log)
    _manage(env, "shell", "-c", "from idp.seed import seed; seed()", log=provider.log)
    out = provider.log.open("a")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=PROVIDER, env=env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                discovery = f"{issuer}/.well-known/openid-configuration"
                urllib.request.urlopen(discovery, timeout=2)  # noqa: S310 - http on loopback
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the provider did not start: see {provider.log}") from None
                time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        out.close()
