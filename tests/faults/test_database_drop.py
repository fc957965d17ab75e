"""PostgreSQL connection dropped in the middle of a request (its backend terminated from
another connection, as a server restart or a network cut would): the user gets the error
page or the API's JSON error, a multi-row write is all-or-nothing, and the next request
works on a fresh connection.

Requests run in this thread on the test's own connection (`transactional_db`: nothing is
wrapped in a test transaction, so what the request committed is what the database has).
Between requests the test calls `close_old_connections()`, which is what Django's request
handler does at the end of every request in production (the test client skips it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from django.test import Client

from hiring.accounts import token_create
from hiring.models import AuditEntry
from hiring.permissions import RECRUITER
from hiring.pipeline.models import Application, Candidate, StageChange
from tests import factories

pytestmark = pytest.mark.usefixtures("postgres_only", "role_groups", "playbook")

CSV = "name,email\n" + "".join(f"Person {n},person{n}@example.org\n" for n in range(5))


def recruiter_client() -> tuple[Client, User]:
    user = factories.UserFactory(roles=[RECRUITER])
    client = Client(raise_request_exception=False)  # see the 500 page, as a user would
    client.force_login(user)
    return client, user


def end_of_request() -> None:
    close_old_connections()


def test_csv_import_dropped_mid_write_imports_nothing_and_can_be_retried(
    drop_connection_on: Callable[..., dict[str, Any]],
) -> None:
    client, _user = recruiter_client()
    preview = client.post(
        "/candidates/import/", {"file": SimpleUploadedFile("people.csv", CSV.encode())}
    )
    assert preview.status_code == 200
    candidates, audit = Candidate.objects.count(), AuditEntry.objects.count()
    dropped = drop_connection_on("hiring.pipeline.services.imports.candidate_create", call=3)

    failed = client.post("/candidates/import/", {"step": "confirm"})
    end_of_request()

    assert dropped["pid"] is not None
    assert failed.status_code == 500
    assert "Something went wrong" in failed.content.decode()
    assert (Candidate.objects.count(), AuditEntry.objects.count()) == (candidates, audit)
    assert client.get("/candidates/").status_code == 200
    retried = client.post("/candidates/import/", {"step": "confirm"})
    assert retried.status_code == 200
    assert Candidate.objects.count() == candidates + 5


def test_bulk_move_dropped_mid_batch_moves_nothing(
    drop_connection_on: Callable[..., dict[str, Any]],
) -> None:
    client, user = recruiter_client()
    requisition = factories.requisition(recruiter=user)
    apps = [factories.application(requisition_obj=requisition) for _ in range(3)]
    history = StageChange.objects.count()
    dropped = drop_connection_on("hiring.pipeline.services.applications.application_move", call=2)

    failed = client.post(
        "/candidates/",
        {"action": "move", "stage": "Recruiter screen", "ids": [a.pk for a in apps]},
    )
    end_of_request()

    assert dropped["pid"] is not None
    assert failed.status_code == 500
    assert StageChange.objects.count() == history
    stages = set(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list(
        "stage__name", flat=True
    ))  # fmt: skip
    assert stages == {"Applied"}
    assert client.get(f"/requisitions/{requisition.pk}/board/").status_code == 200


def test_api_move_dropped_gets_a_json_error_and_the_next_call_works(
    drop_connection_on: Callable[..., dict[str, Any]],
) -> None:
    _client, user = recruiter_client()
    token = token_create(user=user)
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}")
    application = factories.application(requisition_obj=factories.requisition(recruiter=user))
    screen = application.requisition.stages.get(name="Recruiter screen")
    dropped = drop_connection_on(
        "hiring.pipeline.services.applications.application_set_status", call=1
    )

    failed = api.post(
        f"/api/applications/{application.pk}/move/",
        {"stage": screen.pk},
        content_type="application/json",
    )
    end_of_request()

    assert dropped["pid"] is not None
    assert failed.status_code == 500
    assert failed.json() == {"detail": "Server error.", "fields": {}}
    assert Application.objects.get(pk=application.pk).stage.name == "Applied"
    assert not StageChange.objects.filter(application=application, to_stage=screen).exists()
    again = api.post(
        f"/api/applications/{application.pk}/move/",
        {"stage": screen.pk},
        content_type="application/json",
    )
    assert again.status_code == 200, again.content
    assert again.json()["stage"]["name"] == "Recruiter screen"
