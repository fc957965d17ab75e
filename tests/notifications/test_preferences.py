"""Reminder preferences: a muted kind reaches the user nowhere and never comes back as a
flood; inbox only sends no e-mail; e-mail only keeps the inbox and its count clear; an
approver cannot mute the reminders of a step waiting on them, only snooze them for up to one
business day, and gets one reminder per step when the snooze ends.

The clock is frozen with time-machine; e-mails go through the real loopback SMTP server
(tests/smtp.py). March 2026 in New York: Monday 2, Thursday 5, Friday 6, Monday 9.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.notifications import services
from hiring.notifications.models import EmailStatus, Notification, NotificationPreference
from hiring.notifications.preferences import (
    notification_preferences_save,
    notification_snooze,
)
from hiring.notifications.services import notification_row, notifications_claim
from hiring.notifications.sweep import sweep
from hiring.offers.models import ApprovalStep, Offer
from hiring.offers.services.approvals import step_vote
from hiring.permissions import HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests import factories
from tests.smtp import Mailbox

pytestmark = pytest.mark.usefixtures("playbook")
NY = ZoneInfo("America/New_York")
Clock = Callable[[dt.datetime], None]


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=NY)


@pytest.fixture
def clock(time_machine: Any) -> Clock:
    return functools.partial(time_machine.move_to, tick=False)


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin", username="ada", email="ada@example.com")


def offer_at(clock: Clock, moment: dt.datetime) -> Any:
    """An offer submitted at `moment`, the debrief decided then: its hiring manager's step
    opens at once (the first approver reminder 4 business hours later)."""
    clock(moment)
    application = factories.application()
    factories.decision(application_obj=application, at=moment)
    return factories.offer(application_obj=application, submit=True)


def run(clock: Clock, moment: dt.datetime) -> Any:
    clock(moment)
    return sweep()


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def choose(user: User, **choices: tuple[bool, str]) -> None:
    notification_preferences_save(user=user, choices=choices, actor=user)


def inbox_titles(user: User) -> list[str]:
    """What the user sees in their inbox page (titles) and the API."""
    html = login(user).get("/notifications/").content.decode()
    api = login(user).get("/api/notifications/").json()
    shown = [row["title"] for row in api["results"]]
    assert all(title.replace("'", "&#x27;") in html for title in shown)
    return shown


def unread_badge(user: User) -> int:
    """The navigation's unread count."""
    html = login(user).get("/notifications/badge/").content.decode()
    return int(html.split('aria-label="')[1].split(" ")[0]) if "unread" in html else 0


def mails_to(mailbox: Mailbox, user: User, containing: str = "") -> list[str]:
    return [str(m["Subject"]) for m in mailbox.to(user.email) if containing in str(m["Subject"])]


# Muted ---------------------------------------------------------------------------------------


def test_a_muted_kind_gets_no_inbox_row_and_no_e_mail(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    offer = offer_at(clock, at(2, 10))
    requisition = offer.application.requisition
    manager, recruiter = requisition.hiring_manager, requisition.recruiter
    choose(manager, escalation=(True, "both"))
    run(clock, at(3, 10))  # one business day after the decision: the escalation
    assert mails_to(smtp_server, recruiter, "one business day left")  # the sweep ran
    assert mails_to(smtp_server, manager, "one business day left") == []
    assert not any("one business day left" in t for t in inbox_titles(manager))
    assert any("one business day left" in t for t in inbox_titles(recruiter))


def test_unmuting_brings_back_none_of_the_reminders_missed(
    clock: Clock, smtp_server: Mailbox, make_user: Callable[..., Any]
) -> None:
    interviewer = make_user(INTERVIEWER)
    clock(at(2, 9))
    application = factories.application()
    factories.scheduled_interview(
        application_obj=application, interviewers=[interviewer], starts_at=at(2, 10)
    )
    choose(interviewer, scorecard_reminder=(True, "both"))
    for day in (2, 3, 4):  # 1 h after the end, then each business morning: three reminders
        run(clock, at(day, 12))
    assert mails_to(smtp_server, interviewer, "corecard") == []
    assert inbox_titles(interviewer) == []
    choose(interviewer, scorecard_reminder=(False, "both"))
    run(clock, at(4, 12, 5))  # the same day again: nothing comes back
    assert mails_to(smtp_server, interviewer, "corecard") == []
    run(clock, at(5, 9))  # the next reminder, once
    run(clock, at(5, 9, 5))
    assert len(mails_to(smtp_server, interviewer, "corecard")) == 1
    assert len(inbox_titles(interviewer)) == 1


def test_muting_stops_an_e_mail_claimed_but_not_sent_yet(clock: Clock, admin: Any) -> None:
    offer = offer_at(clock, at(2, 10))
    manager = offer.application.requisition.hiring_manager
    clock(at(3, 10))
    sweep(deliver=False)  # claimed; the worker has not sent it yet
    choose(manager, escalation=(True, "both"))
    row = Notification.objects.get(recipient=manager, kind="escalation")
    assert row.email_status == EmailStatus.SKIPPED


# Inbox only, e-mail only ---------------------------------------------------------------------


def test_inbox_only_gets_an_inbox_row_and_no_e_mail(
    clock: Clock, admin: Any, smtp_server: Mailbox, make_user: Callable[..., Any]
) -> None:
    clock(at(2, 9))
    manager = make_user(HIRING_MANAGER)
    choose(manager, approver_reminder=(False, "inbox"))
    application = factories.application(
        requisition_obj=factories.requisition(hiring_manager=manager)
    )
    factories.decision(application_obj=application, at=at(2, 10))
    clock(at(2, 10))
    factories.offer(application_obj=application, submit=True)
    run(clock, at(2, 14))  # the first approver reminder
    assert any(t.startswith("Reminder: the offer") for t in inbox_titles(manager))
    assert unread_badge(manager) == 2  # the approval request and the reminder
    assert mails_to(smtp_server, manager, "Reminder") == []
    row = Notification.objects.get(recipient=manager, kind="approver_reminder")
    assert row.email_status == EmailStatus.SKIPPED


def test_e_mail_only_sends_the_e_mail_and_keeps_it_out_of_the_inbox_and_its_count(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    offer = offer_at(clock, at(2, 10))
    manager = offer.application.requisition.hiring_manager
    choose(manager, approver_reminder=(False, "email"))
    before = unread_badge(manager)
    run(clock, at(2, 14))
    assert len(mails_to(smtp_server, manager, "Reminder")) == 1
    assert not any(t.startswith("Reminder") for t in inbox_titles(manager))
    assert unread_badge(manager) == before  # the approval request alone is unread
    assert Notification.objects.get(recipient=manager, kind="approver_reminder").email_sent_at


# Approvers: no mute, a snooze of up to one business day --------------------------------------


def test_an_approver_cannot_mute_the_reminders_of_a_step_waiting_on_them(
    clock: Clock, make_user: Callable[..., Any]
) -> None:
    clock(at(2, 10))
    manager = make_user(HIRING_MANAGER)
    with pytest.raises(DomainError, match="waits on you"):
        choose(manager, approver_reminder=(True, "both"))
    response = login(manager).post(
        "/notifications/settings/",
        {"action": "save", "approver_reminder-muted": "on", **defaults_for(manager)},
    )
    assert response.status_code == 400
    assert "waits on you: you can snooze it for up to one business day, not mute it" in (
        response.content.decode()
    )
    assert not NotificationPreference.objects.filter(user=manager).exists()


def test_the_settings_page_says_why_an_approval_reminder_cannot_be_muted(
    make_user: Callable[..., Any],
) -> None:
    html = login(make_user(HIRING_MANAGER)).get("/notifications/settings/").content.decode()
    assert "Waits on you: you can snooze it for up to one business day, not mute it." in html
    assert 'name="approver_reminder-muted"' not in html  # no box to tick
    assert 'name="escalation-muted"' in html


def snoozed_approver(clock: Clock, until: dt.datetime) -> User:
    """An offer submitted on Thursday 5 March at 15:00 (its first approver reminder is due on
    Friday at 11:00); its approver snoozes on Friday at 10:00 until `until`."""
    offer = offer_at(clock, at(5, 15))
    manager: User = offer.application.requisition.hiring_manager
    clock(at(6, 10))
    notification_snooze(user=manager, until=until, actor=manager)
    return manager


def test_a_snooze_holds_the_reminders_over_a_weekend_and_releases_one_per_step(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    manager = snoozed_approver(clock, at(9, 10))  # one business day
    page = login(manager).get("/notifications/settings/").content.decode()
    assert "Snoozed until Mon 9 Mar, 10:00" in page
    for moment in (at(6, 11), at(6, 16), at(7, 11), at(8, 11), at(9, 9), at(9, 9, 55)):
        run(clock, moment)  # Friday's first reminder, Monday's morning one: held
        assert mails_to(smtp_server, manager, "Reminder") == []
        assert not any(t.startswith("Reminder") for t in inbox_titles(manager))
    run(clock, at(9, 10))
    run(clock, at(9, 10, 5))
    run(clock, at(9, 15))
    assert len(mails_to(smtp_server, manager, "Reminder")) == 1
    assert len([t for t in inbox_titles(manager) if t.startswith("Reminder")]) == 1
    run(clock, at(10, 9))  # Tuesday morning: the cadence goes on
    assert len(mails_to(smtp_server, manager, "Reminder")) == 2


def test_a_vote_during_the_snooze_withdraws_the_held_reminder(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    manager = snoozed_approver(clock, at(9, 10))
    run(clock, at(6, 11))  # Friday's reminder: held until Monday 10:00
    clock(at(6, 14))
    offer = Offer.objects.get(application__requisition__hiring_manager=manager)
    step_vote(offer=offer, step_id=None, actor=manager, approve=True)
    for moment in (at(9, 10), at(9, 10, 5), at(9, 15)):
        run(clock, moment)
    assert mails_to(smtp_server, manager, "Reminder") == []
    assert not any(t.startswith("Reminder") for t in inbox_titles(manager))


def test_a_snooze_ending_at_the_morning_reminder_still_releases_one(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    manager = snoozed_approver(clock, at(9, 9))
    run(clock, at(6, 11))  # held until Monday 09:00
    run(clock, at(9, 9))  # the snooze has just ended, and Monday's reminder is due
    run(clock, at(9, 9, 5))
    assert len(mails_to(smtp_server, manager, "Reminder")) == 1


def test_ending_a_snooze_early_sends_the_held_reminder_at_the_next_sweep(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    manager = snoozed_approver(clock, at(9, 10))
    run(clock, at(6, 11))
    clock(at(6, 12))
    response = login(manager).post("/notifications/settings/", {"action": "unsnooze"})
    assert response.status_code == 302
    run(clock, at(6, 12, 5))
    assert len(mails_to(smtp_server, manager, "Reminder")) == 1
    assert "Snoozed until" not in login(manager).get("/notifications/settings/").content.decode()


def test_a_snooze_longer_than_one_business_day_is_refused(
    clock: Clock, make_user: Callable[..., Any]
) -> None:
    manager = make_user(HIRING_MANAGER)
    clock(at(6, 10))  # Friday 10:00: the latest is Monday 10:00
    with pytest.raises(DomainError, match="up to one business day: until Mon 9 Mar, 10:00"):
        notification_snooze(user=manager, until=at(9, 10, 1), actor=manager)
    response = login(manager).post(
        "/notifications/settings/", {"action": "snooze", "until": "2026-03-09T10:30"}
    )
    assert response.status_code == 400
    assert "up to one business day: until Mon 9 Mar, 10:00 at the latest" in (
        response.content.decode()
    )
    assert not NotificationPreference.objects.filter(user=manager).exists()


def test_a_snooze_a_new_one_cannot_stretch_keeps_held_reminders_to_one_business_day(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    manager = snoozed_approver(clock, at(9, 10))
    run(clock, at(6, 11))
    clock(at(9, 9, 59))
    notification_snooze(user=manager, until=at(10, 9, 59), actor=manager)  # snoozed again
    run(clock, at(9, 10))
    assert len(mails_to(smtp_server, manager, "Reminder")) == 1  # Friday's, on time


def test_a_shorter_snooze_brings_the_held_reminder_forward(
    clock: Clock, admin: Any, smtp_server: Mailbox
) -> None:
    manager = snoozed_approver(clock, at(9, 10))
    run(clock, at(6, 11))  # held until Monday 10:00
    clock(at(6, 12))
    notification_snooze(user=manager, until=at(6, 14), actor=manager)
    run(clock, at(6, 13, 55))
    assert mails_to(smtp_server, manager, "Reminder") == []
    run(clock, at(6, 14))
    run(clock, at(6, 14, 5))
    assert len(mails_to(smtp_server, manager, "Reminder")) == 1


# The page, the audit -------------------------------------------------------------------------


def defaults_for(user: User) -> dict[str, str]:
    html = login(user).get("/notifications/settings/").content.decode()
    keys = [part.split('"')[0] for part in html.split('name="')[1:]]
    return {key: "both" for key in keys if key.endswith("-channel")}


def test_a_user_with_two_roles_sees_both_roles_kinds(make_user: Callable[..., Any]) -> None:
    user = make_user(RECRUITER, INTERVIEWER)
    html = login(user).get("/notifications/settings/").content.decode()
    for name in ("scorecard_reminder", "stalled_digest", "careers_application", "offer_returned"):
        assert f'name="{name}-channel"' in html
    assert 'name="approver_reminder-channel"' not in html
    assert "Reminders that wait on you" not in html  # not an approver: nothing to snooze


def test_saving_the_page_stores_the_choices_and_audits_them(
    make_user: Callable[..., Any],
) -> None:
    manager = make_user(HIRING_MANAGER)
    body = {**defaults_for(manager), "escalation-muted": "on", "breach-channel": "email"}
    response = login(manager).post("/notifications/settings/", {"action": "save", **body})
    assert response.status_code == 302
    stored = {p.kind: (p.muted, p.channel) for p in NotificationPreference.objects.all()}
    assert stored == {"escalation": (True, "both"), "breach": (False, "email")}
    entry = AuditEntry.objects.get(action="notification_preferences.update")
    assert entry.after == {
        "escalation": {"muted": True, "channel": "both"},
        "breach": {"muted": False, "channel": "email"},
    }
    page = login(manager).get("/notifications/settings/").content.decode()
    assert 'name="escalation-muted" id="id_escalation-muted" checked' in page
    # Back to the defaults: nothing stored (the sweep reads fewer rows).
    login(manager).post("/notifications/settings/", {"action": "save", **defaults_for(manager)})
    assert not NotificationPreference.objects.exists()


# Queries -------------------------------------------------------------------------------------


def claims_for(users: list[User], now: dt.datetime) -> list[Any]:
    return [
        notification_row(
            recipient_id=user.pk, kind=kind, subject_type="step", subject_id=n, title="t",
            body="b", url="/", now=now,
        )
        for n, user in enumerate(users)
        for kind in ("approver_reminder", "escalation")
    ]  # fmt: skip


def reads(queries: CaptureQueriesContext) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith("SELECT"))


def test_reading_preferences_adds_a_constant_number_of_queries_to_a_claim(
    clock: Clock, make_user: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "COPY_FROM", 20)  # PostgreSQL: the larger claim is COPYed
    clock(at(6, 10))
    users = [make_user(HIRING_MANAGER) for _ in range(60)]
    for n, user in enumerate(users):
        if n % 3 == 0:
            choose(user, escalation=(True, "both"))
        elif n % 3 == 1:
            choose(user, approver_reminder=(False, "email"))
        else:
            notification_snooze(user=user, until=at(6, 15), actor=user)
    with CaptureQueriesContext(connection) as few:
        notifications_claim(claims_for(users[:6], at(6, 10)))
    with CaptureQueriesContext(connection) as many:
        notifications_claim(claims_for(users[6:], at(6, 10)))
    # The preferences, and the reminders already held: two reads, whatever the number of
    # users (the inserts are batched by the database's parameter limit).
    assert reads(few) == reads(many) == 2
    rows = Notification.objects.filter(recipient__in=users[6:])
    assert rows.filter(in_inbox=False, email_status="skipped").count() == 18  # muted
    assert rows.filter(in_inbox=False, email_status="pending").count() == 18  # e-mail only
    assert rows.filter(created_at=at(6, 15)).count() == 18  # held


def test_a_sweep_over_many_approvers_reads_preferences_in_constant_queries(
    clock: Clock, admin: Any, django_assert_max_num_queries: Any
) -> None:
    offers = [offer_at(clock, at(2, 10)) for _ in range(2)]
    for offer in offers:
        choose(offer.application.requisition.hiring_manager, approver_reminder=(False, "inbox"))
    clock(at(2, 14))
    with CaptureQueriesContext(connection) as few:
        sweep(deliver=False)
    Notification.objects.filter(kind="approver_reminder").delete()
    more = [offer_at(clock, at(2, 10)) for _ in range(8)]
    for offer in more:
        choose(offer.application.requisition.hiring_manager, approver_reminder=(False, "email"))
    ApprovalStep.objects.filter(status="pending").update(
        next_reminder_at=at(2, 14), reminders_sent=0
    )
    clock(at(2, 14))
    with django_assert_max_num_queries(len(few.captured_queries)):
        sweep(deliver=False)
    assert Notification.objects.filter(kind="approver_reminder").count() == 10
