"""Concurrency: ten parallel requests against a real server give one effect (PostgreSQL).

Every module here is marked `concurrency` (`make test-concurrency`; a step of `.ci/run` on
PostgreSQL, after the fault tests) and `django_db`, and runs after every other test of the
session. On SQLite they are skipped (it serialises whole-database writes: there are no row
locks to race); in CI (`CI` set) that skip is a failure.

- `server`: the project's gunicorn (3 worker processes of 4 threads) on the test database,
  started once per session (tests.servers.Gunicorn).
- Data is built once, outside any test transaction, so it is committed and the server sees
  it: the role groups and the playbook by `committed` (once per session), each module's
  rows (a requisition, an offer per scenario, and who asks) by its `world` fixture (once
  per module, under `django_db_blocker.unblock()`). The session ends with a flush, so a
  database kept for the next run (--reuse-db) is left empty.
- A test only sends its burst and counts. It runs as a `django_db` test: inside a
  transaction that is rolled back, where PostgreSQL (READ COMMITTED) shows every row the
  server committed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import Gunicorn


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run these last: the rows they commit stay until the session's end (the flush)."""
    here = Path(__file__).resolve().parent
    ours = [item for item in items if here in item.path.resolve().parents]
    if ours:
        items[:] = [item for item in items if item not in ours] + ours


def skip_or_fail_in_ci(why: str) -> None:
    """A concurrency test that cannot run is a skip on a laptop and a failure in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"concurrency test cannot run in CI: {why}")
    pytest.skip(why)


def database_url() -> str:
    """The test database as a URL the server subprocess can use."""
    from django.db import connection

    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture(scope="session")
def postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        skip_or_fail_in_ci(
            "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises whole-database "
            "writes, so parallel requests cannot race on a row the way they do on PostgreSQL"
        )


@pytest.fixture(scope="session")
def committed(postgresql: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from hiring.permissions import ROLES
    from roles.models import PlaybookInfo
    from roles.playbook import playbook_load

    with django_db_blocker.unblock():
        for name in ROLES:  # a flush by an earlier transactional test deleted them
            Group.objects.get_or_create(name=name)
        if not PlaybookInfo.objects.exists():
            playbook_load()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="session")
def server(committed: None) -> Iterator[Gunicorn]:
    gunicorn = Gunicorn(database_url=database_url(), name="concurrency-gunicorn")
    gunicorn.start()
    try:
        yield gunicorn
    finally:
        gunicorn.stop()
