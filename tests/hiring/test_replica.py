"""Lists and reports read from the read replica (`DATABASE_REPLICA_URL`); writes, and the
reads that follow a write, go to the primary (hiring.replica).

The replica is a second PostgreSQL database with the same schema (a copy of the primary
made with `CREATE DATABASE ... TEMPLATE`), served by a real gunicorn given both URLs. One
candidate's name differs between the two databases, so each answer shows where it was read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import psycopg2
import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from hiring.pipeline.models import Application, Candidate
from hiring.replica import ReplicaRouter, _replica_reads
from tests import factories
from tests.concurrency.conftest import database_url
from tests.concurrency.harness import api_headers, page_headers
from tests.servers import Gunicorn

PRIMARY_NAME = "Pat Primary"
REPLICA_NAME = "Rhea Replica"


def _admin(url: str) -> Any:
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    return admin


@pytest.fixture
def replica_server(transactional_db: None, playbook: Any) -> Iterator[dict[str, Any]]:
    if connection.vendor != "postgresql":
        pytest.skip("the replica is a PostgreSQL database (DATABASE_URL=postgres://...)")
    recruiter = factories.UserFactory(roles=["Recruiter"])
    app = factories.application(candidate=factories.CandidateFactory(name=PRIMARY_NAME))
    primary = database_url()
    replica = f"{primary}_replica"
    name = replica.rsplit("/", 1)[1]
    headers = page_headers(recruiter)  # the session, written before the copy: both have it
    connections.close_all()  # TEMPLATE needs the primary without other sessions
    admin = _admin(primary)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary.rsplit("/", 1)[1]}"')
    copy = psycopg2.connect(replica)
    with copy, copy.cursor() as cursor:
        cursor.execute(
            "UPDATE hiring_candidate SET name = %s WHERE id = %s", [REPLICA_NAME, app.candidate_id]
        )
    copy.close()
    server = Gunicorn(
        database_url=primary, name="replica", workers=1, threads=2,
        env={"DATABASE_REPLICA_URL": replica},
    )  # fmt: skip
    server.start()
    try:
        yield {"server": server, "app": app, "headers": headers, "recruiter": recruiter,
               "replica": replica}  # fmt: skip
    finally:
        server.stop()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_get_list_reads_the_replica_and_a_post_writes_the_primary(
    replica_server: dict[str, Any],
) -> None:
    server, app, headers = (replica_server[k] for k in ("server", "app", "headers"))
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        page = client.get("/candidates/")
        assert page.status_code == 200
        assert REPLICA_NAME in page.text and PRIMARY_NAME not in page.text
        api = client.get("/api/applications/", headers=api_headers(replica_server["recruiter"]))
        assert api.status_code == 200
        assert [row["candidate_name"] for row in api.json()["results"]] == [REPLICA_NAME]
        # A candidate's own page is not a list: the primary, always.
        detail = client.get(f"/candidates/{app.candidate_id}/")
        assert PRIMARY_NAME in detail.text

        posted = client.post(
            f"/candidates/{app.candidate_id}/notes/",
            data={"application": app.pk, "body": "Written to the primary"},
        )
        assert posted.status_code == 302, posted.text[:500]
        pinned = posted.cookies.get("primary_reads")
        assert pinned == "1"
        # The list the form comes back to reads the primary while the pin lasts.
        after = client.get(
            "/candidates/", headers={"Cookie": f"{headers['Cookie']}; primary_reads=1"}
        )
        assert PRIMARY_NAME in after.text

    assert app.notes.filter(body="Written to the primary").count() == 1
    copy = psycopg2.connect(replica_server["replica"])
    with copy, copy.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM hiring_note WHERE body = 'Written to the primary'")
        assert cursor.fetchone() == (0,)
    copy.close()
    assert server.errors_logged() == ""


def test_without_a_replica_every_read_goes_to_the_primary() -> None:
    assert "replica" not in settings.DATABASES
    assert ReplicaRouter().db_for_read(Candidate) is None
    assert ReplicaRouter().db_for_write(Candidate) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_and_of_sessions_stay_on_the_primary() -> None:
    from django.contrib.sessions.models import Session

    router = ReplicaRouter()
    token = _replica_reads.set(True)
    try:
        assert router.db_for_read(Session) is None
        with transaction.atomic():
            assert router.db_for_read(Application) is None
        assert router.db_for_read(Application) == "replica"
    finally:
        _replica_reads.reset(token)
