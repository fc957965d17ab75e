"""Redis (the broker) stopped: the pages go on working, /healthz names the broker as down,
and reports it up again once Redis is back. Uses a private redis-server, never the shared one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hiring.pipeline.models import Application, Note
from tests import factories
from tests.faults.conftest import PrivateRedis

pytestmark = pytest.mark.usefixtures("playbook")


def health(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_pages_work_and_healthz_reports_the_broker_while_redis_is_down(
    private_redis: PrivateRedis,
    broker_at: Callable[[str], None],
    client_as: Callable[[str], Client],
) -> None:
    broker_at(private_redis.url)
    application = factories.application()
    candidate, requisition = application.candidate, application.requisition
    anonymous, recruiter = Client(), client_as("recruiter")
    assert health(anonymous) == (
        200,
        {"status": "ok", "failing": [], "database": "ok", "broker": "ok"},
    )

    private_redis.stop()
    status, report = health(anonymous)
    assert status == 503
    assert report["failing"] == ["broker"]
    assert report["database"] == "ok"
    assert report["broker"].startswith("down")
    pages = [
        "/",
        "/requisitions/",
        f"/requisitions/{requisition.pk}/board/",
        "/candidates/",
        f"/candidates/{candidate.pk}/",
        "/roles/",
        "/api/applications/",
    ]
    for page in pages:
        assert recruiter.get(page).status_code == 200, page
    # Writes that need no broker are unaffected: a note and a stage move.
    note = recruiter.post(
        f"/candidates/{candidate.pk}/notes/",
        {"application": application.pk, "body": "Written while Redis was down."},
    )
    assert note.status_code == 302
    assert Note.objects.filter(body="Written while Redis was down.").exists()
    screen = requisition.stages.get(name="Recruiter screen")
    moved = recruiter.post(
        f"/api/applications/{application.pk}/move/",
        {"stage": screen.pk},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert Application.objects.get(pk=application.pk).stage == screen

    private_redis.start()
    assert health(anonymous)[0] == 200
