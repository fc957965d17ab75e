"""The reminder sweep: every kind fires once and only once, on business time, and a sweep
re-run after a crash sends what was claimed exactly once.

The clock is frozen with time-machine. Monday 2 March 2026, New York (EST): the debrief
decides at 10:00 and the offer is submitted at once, so the hiring manager's step opens at
10:00; its first reminder is due at 14:00, the escalation on Tuesday at 10:00, the breach
on Wednesday at 10:00.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from assessments.models import Scorecard
from hiring.notifications.models import EmailStatus, Notification
from hiring.notifications.sweep import sweep
from hiring.offers import reminders
from hiring.offers.models import OfferClock
from hiring.offers.rules import OfferStatus
from hiring.offers.services import offers as services
from hiring.offers.services.approvals import step_vote
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
NY = ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NY)


@pytest.fixture
def clock(time_machine: Any) -> Callable[[dt.datetime], None]:
    def move(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return move


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin", username="ada", email="ada@example.com")


@pytest.fixture
def offer(clock: Callable[[dt.datetime], None], admin: Any) -> Any:
    clock(at(2, 10))
    application = factories.application()
    factories.decision(application_obj=application, at=at(2, 10))
    return factories.offer(application_obj=application, submit=True)


def sent(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("created_at", "recipient_id"))


def run(clock: Callable[[dt.datetime], None], moment: dt.datetime) -> Any:
    clock(moment)
    return sweep()


# Approver reminders --------------------------------------------------------------------------


def test_the_approver_is_reminded_after_four_business_hours_then_each_morning(
    offer: Any, clock: Callable[[dt.datetime], None], mailoutbox: list[Any]
) -> None:
    manager = offer.application.requisition.hiring_manager
    run(clock, at(2, 13, 55))
    assert sent("approver_reminder") == []
    run(clock, at(2, 14))
    run(clock, at(2, 14, 5))  # the next sweep finds nothing new
    reminders = sent("approver_reminder")
    assert [(r.recipient, r.sequence) for r in reminders] == [(manager, 0)]
    assert [m.to for m in mailoutbox if "Reminder" in m.subject] == [[manager.email]]

    run(clock, at(3, 9))
    run(clock, at(3, 9, 5))
    assert [r.sequence for r in sent("approver_reminder")] == [0, 20260303]
    run(clock, at(4, 9))
    assert len(sent("approver_reminder")) == 3


def test_the_reminder_e_mail_carries_a_signed_approval_link(
    offer: Any, clock: Callable[[dt.datetime], None], mailoutbox: list[Any]
) -> None:
    run(clock, at(2, 14))
    reminder = next(m for m in mailoutbox if "Reminder" in m.subject)
    assert "http://127.0.0.1:8000/offers/approve/" in reminder.body
    assert reminder.body.count("http") == 1  # one link
    assert len(reminder.body) < 600


def test_no_approver_reminder_on_a_weekend(
    clock: Callable[[dt.datetime], None], admin: Any
) -> None:
    clock(at(6, 15))  # Friday 15:00: the first reminder is due Monday 11:00
    offer = factories.offer(submit=True)
    run(clock, at(7, 11))  # Saturday
    run(clock, at(8, 11))  # Sunday
    assert sent("approver_reminder") == []
    run(clock, at(9, 10, 55))
    assert sent("approver_reminder") == []
    run(clock, at(9, 11))
    assert len(sent("approver_reminder")) == 1
    assert offer.steps.get(position=0).reminders_sent == 1


def test_an_approver_who_voted_is_not_reminded(
    offer: Any, clock: Callable[[dt.datetime], None]
) -> None:
    clock(at(2, 11))
    manager = offer.application.requisition.hiring_manager
    step_vote(offer=offer, step_id=None, actor=manager, approve=True)
    run(clock, at(2, 14))
    assert sent("approver_reminder") == []  # finance opened at 11:00: due at 15:00
    run(clock, at(2, 15))
    assert [r.recipient.username for r in sent("approver_reminder")] == ["ada"]


# Escalation and breach -----------------------------------------------------------------------


def test_one_business_day_escalates_to_the_manager_and_recruiter_naming_the_step(
    offer: Any, clock: Callable[[dt.datetime], None]
) -> None:
    requisition = offer.application.requisition
    run(clock, at(3, 9, 55))
    assert sent("escalation") == []
    run(clock, at(3, 10))
    run(clock, at(3, 10, 5))
    escalations = sent("escalation")
    assert {e.recipient for e in escalations} == {requisition.hiring_manager, requisition.recruiter}
    assert all("approval step 'Hiring manager'" in e.body for e in escalations)


def test_two_business_days_breach_goes_to_recruiter_manager_and_admins(
    offer: Any, clock: Callable[[dt.datetime], None], admin: Any
) -> None:
    requisition = offer.application.requisition
    run(clock, at(3, 10))
    run(clock, at(4, 9, 59))
    assert sent("breach") == []
    run(clock, at(4, 10))
    run(clock, at(4, 10, 5))
    run(clock, at(5, 10))
    breaches = sent("breach")
    assert {b.recipient for b in breaches} == {
        requisition.hiring_manager, requisition.recruiter, admin
    }  # fmt: skip
    assert len(sent("escalation")) == 2  # still only the one escalation
    assert OfferClock.objects.get(application=offer.application).next_alert_at is None


def test_a_sweep_that_finds_both_due_sends_only_the_breach(
    offer: Any, clock: Callable[[dt.datetime], None]
) -> None:
    run(clock, at(4, 12))
    assert sent("escalation") == []
    assert len(sent("breach")) == 3


def test_a_sent_offer_is_neither_escalated_nor_breached(
    offer: Any, clock: Callable[[dt.datetime], None], admin: Any
) -> None:
    clock(at(2, 11))
    manager = offer.application.requisition.hiring_manager
    step_vote(offer=offer, step_id=None, actor=manager, approve=True)
    step_vote(offer=offer, step_id=None, actor=admin, approve=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.APPROVED
    services.offer_mark_sent(offer=offer, actor=offer.application.requisition.recruiter)
    run(clock, at(3, 10))
    run(clock, at(4, 10))
    assert sent("escalation") == sent("breach") == []


def test_a_decision_without_an_offer_starts_the_clock_and_escalates(
    clock: Callable[[dt.datetime], None], admin: Any
) -> None:
    clock(at(2, 10))
    application = factories.application()
    factories.decision(application_obj=application, at=at(2, 10))
    run(clock, at(2, 10, 5))
    assert OfferClock.objects.get(application=application).due_at == at(4, 10)
    run(clock, at(3, 10))
    assert all("no offer drafted yet" in e.body for e in sent("escalation"))
    assert sent("escalation")[0].url == "/offers/"


def test_a_later_reject_decision_stops_the_clock(
    clock: Callable[[dt.datetime], None], admin: Any
) -> None:
    clock(at(2, 10))
    application = factories.application()
    factories.decision(application_obj=application, at=at(2, 10))
    run(clock, at(2, 10, 5))
    factories.decision(application_obj=application, outcome="reject", at=at(2, 11))
    run(clock, at(2, 11, 5))
    stopped = OfferClock.objects.get(application=application)
    assert stopped.stopped_at is not None and stopped.stop_reason == "moved on"
    run(clock, at(4, 12))
    assert sent("escalation") == sent("breach") == []


def test_thanksgiving_holds_every_reminder_until_the_next_business_day(
    clock: Callable[[dt.datetime], None], admin: Any
) -> None:
    # Wednesday 25 November, 15:00: 2 business hours left that day, Thursday is a holiday.
    clock(at(25, 15, month=11))
    application = factories.application()
    factories.decision(application_obj=application, at=at(25, 15, month=11))
    factories.offer(application_obj=application, submit=True)
    report = run(clock, at(26, 12, month=11))
    assert report.skipped == "outside business hours: no new reminders"
    assert Notification.objects.exclude(kind="approval_requested").count() == 0
    run(clock, at(27, 10, 59, month=11))
    assert sent("approver_reminder") == []
    run(clock, at(27, 11, month=11))  # 2 h on Wednesday + 2 h on Friday
    assert len(sent("approver_reminder")) == 1
    run(clock, at(27, 14, 59, month=11))
    assert sent("escalation") == []
    run(clock, at(27, 15, month=11))  # 2 + 6 business hours: one business day
    assert len(sent("escalation")) == 2
    run(clock, at(28, 10, month=11))  # Saturday
    assert len(sent("approver_reminder")) == 1
    run(clock, at(30, 9, month=11))
    assert [r.sequence for r in sent("approver_reminder")] == [0, 20261130]
    run(clock, at(30, 15, month=11))
    assert len(sent("breach")) == 3


def test_a_reminder_due_on_a_holiday_goes_out_when_the_next_business_day_opens(
    clock: Callable[[dt.datetime], None], admin: Any
) -> None:
    clock(at(25, 10, month=11))  # the first reminder is due on Wednesday at 14:00 ...
    factories.offer(submit=True)
    run(clock, at(26, 14, month=11))  # ... but the first sweep runs on Thanksgiving
    assert sent("approver_reminder") == []
    run(clock, at(27, 9, month=11))
    assert [r.sequence for r in sent("approver_reminder")] == [0]


# Scorecard reminders ---------------------------------------------------------------------


def test_interviewers_without_a_scorecard_are_reminded_at_most_ten_times(
    clock: Callable[[dt.datetime], None], make_user: Callable[..., Any]
) -> None:
    done, late = make_user("Interviewer"), make_user("Interviewer")
    clock(at(2, 8))
    application = factories.application()
    interview = factories.interview(
        application_obj=application, interviewers=[done, late], starts_at=at(2, 9)
    )
    Scorecard.objects.create(interview=interview, interviewer=done, status="submitted")
    run(clock, at(2, 10, 55))  # ended 10:00; reminder due 11:00
    assert sent("scorecard_reminder") == []
    run(clock, at(2, 11))
    run(clock, at(2, 11, 5))
    assert [(r.recipient, r.sequence) for r in sent("scorecard_reminder")] == [(late, 0)]
    first = sent("scorecard_reminder")[0]
    assert first.subject_id == interview.pk
    assert first.url == reverse("interviews:scorecard", args=[interview.pk])
    moment = at(2, 11)
    for _ in range(20):  # twenty calendar days of mornings, weekends included
        moment = moment + dt.timedelta(days=1)
        run(clock, moment.replace(hour=9, minute=1))
        run(clock, moment.replace(hour=9, minute=6))
    assert len(sent("scorecard_reminder")) == 10
    weekdays = {r.created_at.astimezone(NY).weekday() for r in sent("scorecard_reminder")}
    assert weekdays <= {0, 1, 2, 3, 4}


def test_a_submitted_scorecard_stops_the_reminders(
    clock: Callable[[dt.datetime], None], make_user: Callable[..., Any]
) -> None:
    interviewer = make_user("Interviewer")
    clock(at(2, 8))
    interview = factories.interview(
        application_obj=factories.application(), interviewers=[interviewer], starts_at=at(2, 9)
    )
    run(clock, at(2, 11))
    Scorecard.objects.create(interview=interview, interviewer=interviewer, status="submitted")
    run(clock, at(3, 9))
    assert len(sent("scorecard_reminder")) == 1


# The stalled digest -----------------------------------------------------------------------


def test_recruiters_get_one_stalled_digest_each_business_day(
    clock: Callable[[dt.datetime], None], settings: Any
) -> None:
    settings.STALLED_DAYS = 7
    clock(at(2, 8))
    stalled = factories.application()
    fresh = factories.application()
    from hiring.pipeline.models import Application

    Application.objects.filter(pk=stalled.pk).update(entered_stage_at=at(2, 8) - dt.timedelta(10))
    run(clock, at(2, 9))
    run(clock, at(2, 9, 5))
    digests = sent("stalled_digest")
    assert [d.recipient for d in digests] == [stalled.requisition.recruiter]
    assert fresh.requisition.recruiter not in [d.recipient for d in digests]
    assert digests[0].title == "1 stalled application in your pipeline"
    assert digests[0].url == "/candidates/?status=active&stale_days=7"
    run(clock, at(7, 9))  # Saturday: none
    run(clock, at(3, 9, month=3))
    assert len(sent("stalled_digest")) == 2


# Crashes, retries and exactly-once delivery ------------------------------------------------


def test_a_claimed_but_unsent_reminder_is_sent_once_by_the_next_sweep(
    offer: Any, clock: Callable[[dt.datetime], None], mailoutbox: list[Any]
) -> None:
    clock(at(2, 14))
    sweep(deliver=False)  # the worker dies after the commit, before any e-mail
    reminder = Notification.objects.get(kind="approver_reminder")
    assert reminder.email_status == EmailStatus.PENDING
    assert not [m for m in mailoutbox if "Reminder" in m.subject]

    run(clock, at(2, 14, 5))
    run(clock, at(2, 14, 10))
    assert len([m for m in mailoutbox if "Reminder" in m.subject]) == 1
    reminder.refresh_from_db()
    assert reminder.email_status == EmailStatus.SENT


def test_a_worker_killed_mid_send_leaves_a_lease_the_next_sweep_picks_up(
    offer: Any, clock: Callable[[dt.datetime], None], mailoutbox: list[Any]
) -> None:
    clock(at(2, 14))
    sweep(deliver=False)
    reminder = Notification.objects.get(kind="approver_reminder")
    # Killed after taking the row: "sending", leased for ten minutes.
    Notification.objects.filter(pk=reminder.pk).update(
        email_status="sending", email_next_attempt_at=at(2, 14, 10)
    )
    run(clock, at(2, 14, 5))
    assert not [m for m in mailoutbox if "Reminder" in m.subject]  # the lease still holds
    run(clock, at(2, 14, 11))
    run(clock, at(2, 14, 20))
    assert len([m for m in mailoutbox if "Reminder" in m.subject]) == 1


def test_a_sent_reminder_is_never_sent_again(
    offer: Any, clock: Callable[[dt.datetime], None], mailoutbox: list[Any]
) -> None:
    run(clock, at(2, 14))
    # A replayed sweep of the same moment (two beats, a redelivered task) sends nothing.
    run(clock, at(2, 14))
    run(clock, at(2, 14, 1))
    assert len([m for m in mailoutbox if "Reminder" in m.subject]) == 1
    assert Notification.objects.filter(kind="approver_reminder").count() == 1


def test_a_crash_inside_the_claim_transaction_leaves_nothing_and_the_rerun_claims(
    offer: Any, clock: Callable[[dt.datetime], None]
) -> None:
    clock(at(2, 14))
    with (
        mock.patch(
            "hiring.offers.reminders.next_business_morning", side_effect=RuntimeError("killed")
        ),
        pytest.raises(RuntimeError),
    ):
        sweep()
    assert not Notification.objects.filter(kind="approver_reminder").exists()
    run(clock, at(2, 14, 5))
    assert Notification.objects.filter(kind="approver_reminder").count() == 1


def test_a_failed_e_mail_is_retried_with_backoff_then_sent_once(
    offer: Any, clock: Callable[[dt.datetime], None], mailoutbox: list[Any]
) -> None:
    clock(at(2, 14))
    sweep(deliver=False)
    failing = smtplib.SMTPServerDisconnected("connection lost")
    with mock.patch("hiring.notifications.delivery.send_mail", side_effect=failing):
        report = run(clock, at(2, 14, 1))
    assert report.failed >= 1
    reminder = Notification.objects.get(kind="approver_reminder")
    assert (reminder.email_status, reminder.email_attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in reminder.email_error
    assert reminder.email_next_attempt_at == at(2, 14, 1) + dt.timedelta(seconds=30)
    run(clock, at(2, 14, 1) + dt.timedelta(seconds=10))  # backoff not over
    assert not [m for m in mailoutbox if "Reminder" in m.subject]
    run(clock, at(2, 14, 2))
    run(clock, at(2, 14, 7))
    assert len([m for m in mailoutbox if "Reminder" in m.subject]) == 1


def test_the_task_retries_only_the_failed_e_mails(
    offer: Any, clock: Callable[[dt.datetime], None]
) -> None:
    from celery.exceptions import Retry

    from hiring.notifications.tasks import notifications_send

    clock(at(2, 14))
    sweep(deliver=False)
    ids = list(Notification.objects.values_list("pk", flat=True))
    failing = smtplib.SMTPServerDisconnected("connection lost")
    with (
        mock.patch("hiring.notifications.delivery.send_mail", side_effect=failing),
        mock.patch.object(notifications_send, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        notifications_send.apply(args=[ids], throw=True)
    assert sorted(retry.call_args.kwargs["args"][0]) == sorted(ids)
    assert retry.call_args.kwargs["countdown"] == 31


def test_a_large_claim_is_written_once_with_its_text_intact(make_user: Callable[..., Any]) -> None:
    from django.utils import timezone

    from hiring.notifications.services import notification_row, notifications_claim

    user = make_user()
    body = "Tab\there, new\nline, back\\slash, quote ' and émoji ✓"
    rows = [
        notification_row(
            recipient_id=user.pk,
            kind="breach",
            subject_type="clock",
            subject_id=n,
            title=f"Title {n}",
            body=body,
            url=f"/offers/{n}/",
            now=timezone.now(),
        )  # fmt: skip
        for n in range(600)  # above the PostgreSQL path's COPY threshold
    ]
    notifications_claim(rows)
    notifications_claim(rows[:700])  # again: nothing new
    assert Notification.objects.count() == 600
    sample = Notification.objects.get(subject_id=599)
    assert (sample.body, sample.title, sample.email_status) == (body, "Title 599", "pending")


def test_the_beat_task_claims_then_queues_the_e_mails_in_chunks(
    offer: Any, clock: Callable[[dt.datetime], None]
) -> None:
    from hiring.notifications.tasks import notifications_send, reminders_sweep

    clock(at(2, 14))
    with mock.patch.object(notifications_send, "delay") as queued:
        result = reminders_sweep()
    # The reminder and the approval request; no outbox message is due.
    assert result == {"claimed": 1, "queued": 2, "messages": 0}
    [ids] = queued.call_args.args
    assert set(ids) == set(Notification.objects.values_list("pk", flat=True))


# A backlog (beat stopped for days, a first deploy on old data) ---------------------------------


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim step takes 2 subjects a sweep, ids listed up to 1 (in production 20,000 and
    1,000): five due make a backlog that drains over three sweeps."""
    monkeypatch.setattr(reminders, "FEW", 1)
    monkeypatch.setattr(reminders, "CLAIM_BATCH", 2)


def decided(clock: Callable[[dt.datetime], None], minutes: list[int], **kw: Any) -> list[Any]:
    made = []
    for minute in minutes:
        clock(at(2, 10, minute))
        application = factories.application()
        factories.decision(application_obj=application, at=at(2, 10, minute))
        made.append(factories.offer(application_obj=application, **kw) if kw else application)
    return made


@pytest.mark.usefixtures("small_batches", "admin")
def test_a_backlog_of_escalations_drains_over_sweeps_the_longest_due_first(
    clock: Callable[[dt.datetime], None],
) -> None:
    applications = decided(clock, [4, 3, 2, 1, 0])  # the last one was decided first
    run(clock, at(2, 10, 5))
    clocks = {c.application_id: c.pk for c in OfferClock.objects.all()}
    claimed, escalated = [], []
    for _ in range(4):
        claimed.append(run(clock, at(3, 11)).claimed["clock"])  # all five due at once
        escalated.append({e.subject_id for e in sent("escalation")})
    assert claimed == [4, 4, 2, 0]  # two clocks a sweep, to the manager and the recruiter
    first = {clocks[applications[4].pk], clocks[applications[3].pk]}
    assert escalated[0] == first
    assert escalated[2] == set(clocks.values())
    assert len(sent("escalation")) == 10  # each clock escalated once, to its two people
    assert not OfferClock.objects.filter(next_alert_at__lte=at(3, 11)).exists()


@pytest.mark.usefixtures("small_batches", "admin")
def test_a_backlog_of_approver_reminders_drains_over_sweeps_each_step_reminded_once(
    clock: Callable[[dt.datetime], None],
) -> None:
    offers = decided(clock, [2, 1, 0], submit=True)
    claimed = [run(clock, at(2, 15)).claimed["approver_reminder"] for _ in range(3)]
    assert claimed == [2, 1, 0]
    reminded = sent("approver_reminder")
    assert sorted(r.recipient_id for r in reminded) == sorted(
        o.application.requisition.hiring_manager_id for o in offers
    )
