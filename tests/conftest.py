from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests.factories import UserFactory

ROLE_KEYS = {
    "recruiter": RECRUITER,
    "interviewer": INTERVIEWER,
    "hiring_manager": HIRING_MANAGER,
    "admin": ADMIN,
}


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    def make(*roles: str, **fields: Any) -> Any:
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def client_as(make_user: Callable[..., Any]) -> Callable[[str], Client]:
    """A logged-in test client for a role key ("recruiter", ...) or "none" (no role)."""

    def make(role_key: str) -> Client:
        roles = [] if role_key == "none" else [ROLE_KEYS[role_key]]
        client = Client()
        client.force_login(make_user(*roles))
        return client

    return make


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def real_redis() -> str:
    """The machine's Redis. In CI its absence is a failure; on a bare laptop, a skip."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("needs Redis on 127.0.0.1:6379 (always runs in CI)")
    return redis_url()


@pytest.fixture
def playbook(db: None) -> Any:
    """The shipped playbook, loaded as `make run` loads it."""
    from roles.playbook import playbook_load

    return playbook_load()
