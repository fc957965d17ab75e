"""The reminder preferences API: GET/PUT /api/me/notification-preferences/, POST/DELETE
/api/me/notification-preferences/snooze/; and its bad-input table (a 400 in the error format
with the field's message, nothing written)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hiring.models import AuditEntry
from hiring.notifications.models import NotificationPreference
from hiring.permissions import HIRING_MANAGER, RECRUITER
from tests import factories
from tests.bad_input import HUGE_ID, SCRIPT, TOO_LONG

pytestmark = pytest.mark.usefixtures("playbook", "friday")
NY = ZoneInfo("America/New_York")
URL = "/api/me/notification-preferences/"
SNOOZE = URL + "snooze/"


@pytest.fixture
def friday(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 6, 10, tzinfo=NY), tick=False)


def client_for(role: str, **fields: Any) -> tuple[User, Client]:
    user = factories.UserFactory(roles=[role], **fields)
    client = Client()
    client.force_login(user)
    return user, client


def send(client: Client, method: str, url: str, body: Any) -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, text, content_type="application/json")


def test_get_lists_the_kinds_the_caller_receives_and_which_can_be_muted() -> None:
    _, client = client_for(HIRING_MANAGER)
    body = client.get(URL).json()
    rows = {row["kind"]: row for row in body["preferences"]}
    assert rows["approver_reminder"]["can_mute"] is False
    assert rows["escalation"] == {
        "kind": "escalation", "name": "Offer escalation", "muted": False, "channel": "both",
        "can_mute": True,
    }  # fmt: skip
    assert "scorecard_reminder" not in rows  # an interviewer's
    assert body["snoozed_until"] is None
    assert body["snooze_latest"] == "2026-03-09T10:00:00-04:00"  # Monday, one business day


def test_put_changes_the_kinds_it_names_and_keeps_the_others() -> None:
    user, client = client_for(HIRING_MANAGER)
    response = send(
        client, "put", URL, {"preferences": [{"kind": "breach", "muted": True, "channel": "both"}]}
    )
    assert response.status_code == 200
    rows = {row["kind"]: row for row in response.json()["preferences"]}
    assert rows["breach"]["muted"] is True and rows["escalation"]["muted"] is False
    assert AuditEntry.objects.filter(action="notification_preferences.update").count() == 1


def test_snooze_then_end_it() -> None:
    _, client = client_for(HIRING_MANAGER)
    response = send(client, "post", SNOOZE, {"until": "2026-03-09T09:30:00-04:00"})
    assert response.status_code == 200
    assert response.json()["snoozed_until"] == "2026-03-09T09:30:00-04:00"
    ended = client.delete(SNOOZE)
    assert ended.status_code == 200 and ended.json()["snoozed_until"] is None


def row(**fields: Any) -> dict[str, Any]:
    return {"preferences": [{"kind": "escalation", "muted": False, "channel": "both", **fields}]}


ROWS: list[tuple[str, str, str, str, Any, str, str]] = [
    # name, role, method, url, body, field, message
    ("no body", HIRING_MANAGER, "put", URL, {}, "preferences", "This field is required."),
    ("empty list", HIRING_MANAGER, "put", URL, {"preferences": []}, "preferences",
     "Ensure this field has at least 1 elements."),
    ("not a list", HIRING_MANAGER, "put", URL, {"preferences": "all"}, "preferences",
     "Expected a list"),
    ("unknown channel", HIRING_MANAGER, "put", URL, row(channel="sms"),
     "preferences.0.channel", "is not a valid choice"),
    ("channel markup", HIRING_MANAGER, "put", URL, row(channel=SCRIPT),
     "preferences.0.channel", "is not a valid choice"),
    ("muted not a boolean", HIRING_MANAGER, "put", URL, row(muted="perhaps"),
     "preferences.0.muted", "Must be a valid boolean."),
    ("kind too long", HIRING_MANAGER, "put", URL, row(kind=TOO_LONG), "preferences.0.kind",
     "no more than 24 characters"),
    ("kind not received", HIRING_MANAGER, "put", URL, row(kind="scorecard_reminder"),
     "scorecard_reminder-muted", "You do not receive this kind of reminder."),
    ("kind unknown markup", HIRING_MANAGER, "put", URL, row(kind="<b>x</b>"),
     "<b>x</b>-muted", "You do not receive this kind of reminder."),
    ("a kind twice", HIRING_MANAGER, "put", URL,
     {"preferences": [*row()["preferences"], *row()["preferences"]]}, "preferences",
     "Each kind at most once."),
    ("muting the approval reminder", HIRING_MANAGER, "put", URL,
     row(kind="approver_reminder", muted=True), "approver_reminder-muted", "waits on you"),
    ("snooze without a time", HIRING_MANAGER, "post", SNOOZE, {}, "until",
     "This field is required."),
    ("snooze time not a time", HIRING_MANAGER, "post", SNOOZE, {"until": "soon"}, "until",
     "Datetime has wrong format."),
    ("snooze time a huge number", HIRING_MANAGER, "post", SNOOZE, {"until": HUGE_ID}, "until",
     "Datetime has wrong format."),
    ("snooze in the past", HIRING_MANAGER, "post", SNOOZE,
     {"until": "2026-03-06T09:00:00-05:00"}, "until", "Pick a time later than now."),
    ("snooze past one business day", HIRING_MANAGER, "post", SNOOZE,
     {"until": "2026-03-09T10:01:00-04:00"}, "until",
     "up to one business day: until Mon 9 Mar, 10:00 at the latest"),
    ("snooze by a recruiter", RECRUITER, "post", SNOOZE,
     {"until": "2026-03-06T12:00:00-05:00"}, "until", "No reminder waits on you"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "role", "method", "url", "body", "field", "message"), ROWS, ids=[r[0] for r in ROWS]
)
def test_bad_input_to_the_preferences_api_is_a_400_with_the_field(
    name: str, role: str, method: str, url: str, body: Any, field: str, message: str
) -> None:
    _, client = client_for(role)
    response = send(client, method, url, body)
    assert response.status_code == 400, response.content[:300]
    answer = response.json()
    assert set(answer) == {"detail", "fields"}
    assert field in answer["fields"], answer
    assert message in " ".join(answer["fields"][field]) + answer["detail"]
    assert not NotificationPreference.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="notification_preferences").exists()


def test_malformed_json_is_a_400() -> None:
    _, client = client_for(HIRING_MANAGER)
    response = send(client, "put", URL, '{"preferences": [')
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "fields"}
