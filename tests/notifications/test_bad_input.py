"""Bad input to the "Your reminders" page: each is refused in the page (400) with the message
beside the field or above the form, never a 500, and writes nothing (no preference row, no
audit entry, the markup never comes back unescaped)."""

from __future__ import annotations

import datetime as dt
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

NY = ZoneInfo("America/New_York")
FRIDAY = dt.datetime(2026, 3, 6, 10, tzinfo=NY)  # one business day later: Monday 10:00
MANAGER_KINDS = (
    "approval_requested", "approver_reminder", "escalation", "breach", "offer_answered",
    "checkin_reminder",
)  # fmt: skip
GOOD = {"action": "save", **{f"{kind}-channel": "both" for kind in MANAGER_KINDS}}
NO_MUTE = "waits on you: you can snooze it for up to one business day, not mute it"
CHANNEL = "Choose inbox and e-mail, inbox only, or e-mail only."

ROWS: list[tuple[str, str, dict[str, Any], str]] = [
    ("no action", HIRING_MANAGER, {k: v for k, v in GOOD.items() if k != "action"},
     "Use one of the page&#x27;s buttons"),
    ("unknown action", HIRING_MANAGER, {**GOOD, "action": "delete"},
     "Use one of the page&#x27;s buttons"),
    ("action markup", HIRING_MANAGER, {**GOOD, "action": SCRIPT},
     "Use one of the page&#x27;s buttons"),
    ("a channel missing", HIRING_MANAGER, {**GOOD, "breach-channel": ""}, CHANNEL),
    ("a channel unknown", HIRING_MANAGER, {**GOOD, "breach-channel": "sms"}, CHANNEL),
    ("a channel markup", HIRING_MANAGER, {**GOOD, "breach-channel": SCRIPT}, CHANNEL),
    ("a channel too long", HIRING_MANAGER, {**GOOD, "breach-channel": TOO_LONG}, CHANNEL),
    ("muting the approval reminder", HIRING_MANAGER,
     {**GOOD, "approver_reminder-muted": "on"}, NO_MUTE),
    ("muting the approval request", HIRING_MANAGER,
     {**GOOD, "approval_requested-muted": "on"}, NO_MUTE),
    ("muting both, and a good change", HIRING_MANAGER,
     {**GOOD, "approver_reminder-muted": "on", "escalation-muted": "on"}, NO_MUTE),
    ("snooze without a time", HIRING_MANAGER, {"action": "snooze"},
     "Give the day and time the snooze ends."),
    ("snooze time not a time", HIRING_MANAGER, {"action": "snooze", "until": "tomorrow"},
     "Give the day and time the snooze ends, e.g."),
    ("snooze time markup", HIRING_MANAGER, {"action": "snooze", "until": SCRIPT},
     "Give the day and time the snooze ends, e.g."),
    ("snooze time a huge number", HIRING_MANAGER, {"action": "snooze", "until": HUGE_ID},
     "Give the day and time the snooze ends, e.g."),
    ("snooze year 99999", HIRING_MANAGER, {"action": "snooze", "until": "99999-01-01T10:00"},
     "Give the day and time the snooze ends, e.g."),
    ("snooze in the past", HIRING_MANAGER, {"action": "snooze", "until": "2026-03-06T09:00"},
     "Pick a time later than now."),
    ("snooze now", HIRING_MANAGER, {"action": "snooze", "until": "2026-03-06T10:00"},
     "Pick a time later than now."),
    ("snooze a minute past one business day", HIRING_MANAGER,
     {"action": "snooze", "until": "2026-03-09T10:01"},
     "up to one business day: until Mon 9 Mar, 10:00 at the latest"),
    ("snooze a week", HIRING_MANAGER, {"action": "snooze", "until": "2026-03-13T10:00"},
     "up to one business day: until Mon 9 Mar, 10:00 at the latest"),
    ("snooze by a recruiter (nothing waits on them)", RECRUITER,
     {"action": "snooze", "until": "2026-03-06T12:00"},
     "No reminder waits on you, so there is nothing to snooze."),
]  # fmt: skip


@pytest.fixture
def friday(time_machine: Any) -> None:
    time_machine.move_to(FRIDAY, tick=False)


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.usefixtures("playbook", "friday")
@pytest.mark.parametrize(("name", "role", "body", "error"), ROWS, ids=[r[0] for r in ROWS])
def test_bad_input_to_the_reminders_page_is_refused_in_the_page(
    name: str, role: str, body: dict[str, Any], error: str
) -> None:
    user = factories.UserFactory(roles=[role])
    response = login(user).post("/notifications/settings/", body)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert SCRIPT not in html
    assert not NotificationPreference.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="notification_preferences").exists()


@pytest.mark.usefixtures("playbook", "friday")
def test_e_mail_only_approval_reminders_without_an_e_mail_address_are_refused() -> None:
    user = factories.UserFactory(roles=[HIRING_MANAGER], email="")
    response = login(user).post(
        "/notifications/settings/", {**GOOD, "approver_reminder-channel": "email"}
    )
    assert response.status_code == 400
    assert "would reach you nowhere: keep the inbox" in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.usefixtures("playbook", "friday")
def test_control_the_good_answers_are_accepted() -> None:
    user = factories.UserFactory(roles=[HIRING_MANAGER])
    client = login(user)
    assert (
        client.post("/notifications/settings/", {**GOOD, "breach-muted": "on"}).status_code == 302
    )
    snooze = {"action": "snooze", "until": "2026-03-09T10:00"}
    assert client.post("/notifications/settings/", snooze).status_code == 302
    assert NotificationPreference.objects.filter(user=user).count() == 3  # breach, 2 snoozed
