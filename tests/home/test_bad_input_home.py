"""Bad input to what this work added: the reason for advancing against the evidence (page and
API) and the nudge. Each is refused with a message where the user sees it, never a 500, and
writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from assessments.models import Decision
from hiring.notifications.models import Notification
from tests import factories
from tests.panels import Panel, panel

pytestmark = pytest.mark.usefixtures("playbook")
TUESDAY = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
FLAG = {"every-project-successful": "Said no project of theirs ever failed."}
WHY = "References confirm the failures were owned; the flag was a misunderstanding."


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flagged(db: None) -> Panel:
    with time_machine.travel(TUESDAY, tick=False):
        setup = panel()
    for person in (setup.first, setup.second):
        factories.filled_scorecard(
            interview=setup.interview, interviewer=person, rating=2, flags=FLAG
        )
    return setup


PAGE_ROWS = [
    ("reason too short", {"confirm_override": "on", "override_reason": "ok"}, "at least 20"),
    ("reason only spaces", {"confirm_override": "on", "override_reason": " " * 40}, "Say why"),
    ("reason too long", {"confirm_override": "on", "override_reason": "w" * 10_001}, "at most"),
    ("not confirmed", {"override_reason": WHY}, "Tick to confirm"),
    ("confirm not a box value", {"confirm_override": "", "override_reason": WHY}, "Tick"),
]


@pytest.mark.parametrize(("name", "body", "error"), PAGE_ROWS, ids=[r[0] for r in PAGE_ROWS])
def test_the_debrief_refuses_a_bad_override_in_the_page(
    flagged: Panel, name: str, body: dict[str, str], error: str
) -> None:
    url = f"/applications/{flagged.application.pk}/debrief/"
    response = login(flagged.manager).post(url, {"outcome": "advance", **body})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Decision.objects.exists()


API_ROWS = [
    ("no reason", {"outcome": "advance"}, 400, "override_reason"),
    ("reason too short", {"outcome": "advance", "override_reason": "fine"}, 400, "override_reason"),
    ("reason not text", {"outcome": "advance", "override_reason": {"a": 1}}, 400,
     "override_reason"),
    ("reason null", {"outcome": "advance", "override_reason": None}, 400, "override_reason"),
    ("reason too long", {"outcome": "advance", "override_reason": "w" * 10_001}, 400,
     "override_reason"),
    ("reason with NUL", {"outcome": "advance", "override_reason": WHY + "\x00"}, 400,
     "override_reason"),
    ("reason on a hold", {"outcome": "hold", "override_reason": WHY}, 400, "override_reason"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "body", "status", "field"), API_ROWS, ids=[r[0] for r in API_ROWS]
)
def test_the_decision_api_refuses_a_bad_override_with_a_field_message(
    flagged: Panel, name: str, body: dict[str, Any], status: int, field: str
) -> None:
    url = f"/api/applications/{flagged.application.pk}/decision/"
    response = login(flagged.manager).post(url, body, content_type="application/json")
    assert response.status_code == status
    assert field in response.json()["fields"]
    assert not Decision.objects.exists()


NUDGE_ROWS = [
    ("unknown interview", "/interviews/999999/nudge/{first}/", 404, ""),
    ("someone not on it", "/interviews/{interview}/nudge/{manager}/", 302, "not an interviewer"),
    ("unknown person", "/interviews/{interview}/nudge/999999/", 302, "not an interviewer"),
    ("id not a number", "/interviews/{interview}/nudge/abc/", 404, ""),
]


@pytest.mark.parametrize(
    ("name", "url", "status", "error"), NUDGE_ROWS, ids=[r[0] for r in NUDGE_ROWS]
)
def test_a_bad_nudge_is_refused_and_sends_nothing(
    flagged: Panel, name: str, url: str, status: int, error: str
) -> None:
    path = url.format(
        interview=flagged.interview.pk, first=flagged.first.pk, manager=flagged.manager.pk
    )
    with time_machine.travel(TUESDAY + dt.timedelta(hours=4), tick=False):
        client = login(flagged.recruiter)
        response = client.post(path)
        assert response.status_code == status
        if error:
            assert error in client.get("/").content.decode()
        assert client.get(path).status_code in (404, 405)  # a GET never nudges
    assert not Notification.objects.filter(kind="scorecard_reminder").exists()


def test_a_nudge_for_a_submitted_scorecard_is_refused(flagged: Panel) -> None:
    url = f"/interviews/{flagged.interview.pk}/nudge/{flagged.first.pk}/"
    with time_machine.travel(TUESDAY + dt.timedelta(hours=4), tick=False):
        client = login(flagged.recruiter)
        client.post(url)
        assert "has submitted it" in client.get("/").content.decode()
    assert not Notification.objects.filter(kind="scorecard_reminder", sequence=1).exists()
