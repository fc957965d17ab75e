from __future__ import annotations

import copy
import os
import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

import hiring.compiled
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests.factories import UserFactory

# Property tests judge their results, not the machine's speed: on a loaded CI machine input
# generation can be slow, which must not fail a test.
hypothesis_settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("default")

# Every query compiled once (hiring.compiled) is also compiled as usual and compared: a
# builder whose SQL depends on more than its ids' number fails the test that runs it.
hiring.compiled.CHECK = True

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, migrated; the rows its migrations wrote are recorded once."""
    with django_db_blocker.unblock():
        _MIGRATION_ROWS[:] = [
            (model, list(model.objects.order_by("pk").values()))
            for model in _tables()
            if model._meta.label not in _RECREATED and model.objects.exists()
        ]


# Written again by Django's post_migrate signal after every flush (with new ids).
_RECREATED = {"contenttypes.ContentType", "auth.Permission"}
_MIGRATION_ROWS: list[Any] = []  # [(model, [values])] as the migrations left them


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test ends with a flush, which also empties what the migrations wrote
    (the role groups, the default candidate e-mails). pytest-django runs such tests last, but
    with xdist's --dist loadfile a worker takes whole files, so tests of the next file would
    run without those rows (on PostgreSQL, where the transactional tests are not skipped).
    Once the flush is done, the recorded rows go back into the tables left empty. (After the
    session's last test the test database is gone already, and no test needs them.)"""
    yield
    if nextitem is None or not _MIGRATION_ROWS or not _transactional(item):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():
        for model, rows in _MIGRATION_ROWS:
            if not model.objects.exists():
                model.objects.bulk_create([model(**row) for row in rows])


@pytest.fixture
def playbook(db: None) -> Any:
    """The shipped playbook, loaded as `make run` loads it.

    The first test of a session that loads it into tables holding no playbook yet keeps the
    rows that load wrote; later tests insert those same rows back, with the same ids, in one
    bulk insert per table (24 queries instead of about 640). Where that cannot be done (an
    id or a key taken already) it loads for real."""
    from roles.models import PlaybookInfo
    from roles.playbook import playbook_load

    if _LOADED:
        rows, report = _LOADED
        if not PlaybookInfo.objects.exists() and _put_back(rows):
            return copy.deepcopy(report)
        return playbook_load()
    if PlaybookInfo.objects.exists():  # loaded already: nothing clean to record
        return playbook_load()
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in _tables()}
    report = playbook_load()
    rows = []
    for model in _tables():
        known = before[model]
        new = [row for row in model.objects.order_by("pk").values() if row["id"] not in known]
        if new:
            rows.append((model, new))
    _LOADED[:] = [rows, copy.deepcopy(report)]
    return report


_LOADED: list[Any] = []  # [rows written by the first load: (model, [values]), its report]


def _tables() -> list[Any]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.pk.attname == "id"
    ]


def _put_back(rows: list[Any]) -> bool:
    try:
        with transaction.atomic():
            for model, values in rows:
                if model.objects.filter(pk__in=[row["id"] for row in values]).exists():
                    return False
            for model, values in rows:
                model.objects.bulk_create([model(**row) for row in values])
    except IntegrityError:  # a key taken by a row the test made first: load for real
        return False
    return True


@pytest.fixture
def smtp_server(settings: Any) -> Any:
    """A real SMTP server on loopback (tests/smtp.py); Django sends to it over SMTP."""
    from tests.smtp import SMTPServer

    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    with server as mailbox:
        yield mailbox
