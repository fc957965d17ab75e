"""Check-ins on every hire: scheduled from the start date, reminded exactly once per step with
the clock frozen, filled by the requisition's hiring manager, closed once the hire has left."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client

from hiring.checkins.models import CheckIn
from hiring.checkins.reminders import CHECKIN_REMINDER, claim_checkin_reminders
from hiring.checkins.services import checkins_schedule
from hiring.models import AuditEntry
from hiring.notifications.models import Notification
from hiring.notifications.sweep import sweep
from hiring.offers.models import Offer
from hiring.offers.services import offers as offer_services
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.services.applications import application_move
from tests import factories
from tests.offers.test_offers import approve_all

pytestmark = pytest.mark.usefixtures("playbook")
NY_MORNING = dt.time(14, 30)  # 09:30 in New York (EST), in UTC


def utc(day: dt.date, at: dt.time = NY_MORNING) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=dt.UTC)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hire(application: Any) -> Any:
    hired = application.requisition.stages.get(kind="hired")
    return application_move(application=application, to_stage=hired, actor=application.owner)


def hired_by_offer(start: dt.date) -> Any:
    """Hired by an accepted offer; its start date then set to `start` (past or future)."""
    factories.UserFactory(roles=[ADMIN])
    application = factories.application()
    factories.decision(application_obj=application)
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    recruiter = application.requisition.recruiter
    offer_services.offer_mark_sent(offer=offer, actor=recruiter)
    offer_services.offer_mark_accepted(offer=offer, actor=recruiter)
    Offer.objects.filter(pk=offer.pk).update(start_date=start)
    application.refresh_from_db()
    assert application.status == "hired"
    return application


def due(application: Any) -> dict[str, dt.date]:
    return dict(CheckIn.objects.filter(application=application).values_list("horizon", "due_on"))


def test_a_hire_by_an_accepted_offer_gets_four_check_ins_from_the_start_date() -> None:
    application = hired_by_offer(start=dt.date(2027, 1, 31))
    checkins_schedule(utc(dt.date(2027, 1, 4)))
    assert due(application) == {
        "90d": dt.date(2027, 5, 1),
        "6m": dt.date(2027, 7, 31),
        "12m": dt.date(2028, 1, 31),
        "18m": dt.date(2028, 7, 31),
    }
    checkins_schedule(utc(dt.date(2027, 1, 5)))  # a second sweep adds nothing
    assert CheckIn.objects.filter(application=application).count() == 4


def test_a_hire_moved_on_the_board_counts_from_the_day_they_were_hired() -> None:
    application = factories.application()
    with time_machine.travel(utc(dt.date(2026, 6, 15)), tick=False):
        hire(application)
        report = sweep(deliver=False)
    assert report.prepared["checkins_schedule"] == 4
    assert due(application)["90d"] == dt.date(2026, 9, 13)


def reminders_to(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(kind=CHECKIN_REMINDER, recipient=user).order_by("id"))


def test_reminders_go_to_the_hiring_manager_once_per_step_at_most_three() -> None:
    application = hired_by_offer(start=dt.date(2026, 1, 5))
    checkins_schedule(utc(dt.date(2026, 1, 5)))
    manager = application.requisition.hiring_manager
    ninety = CheckIn.objects.get(application=application, horizon="90d")
    assert ninety.due_on == dt.date(2026, 4, 5)  # a Sunday: first reminder Monday morning

    assert claim_checkin_reminders(utc(dt.date(2026, 4, 3))) == 0  # not due yet
    claim_checkin_reminders(utc(dt.date(2026, 4, 6)))
    claim_checkin_reminders(utc(dt.date(2026, 4, 6), dt.time(18)))  # the same day: no second
    [first] = reminders_to(manager)
    assert first.title == f"90 days check-in: {application.candidate.name}"
    assert first.url == f"/checkins/{ninety.pk}/"
    claim_checkin_reminders(utc(dt.date(2026, 4, 10)))  # 4 business days later: too soon
    assert len(reminders_to(manager)) == 1
    claim_checkin_reminders(utc(dt.date(2026, 4, 13)))  # 5 business days later
    claim_checkin_reminders(utc(dt.date(2026, 4, 20)))
    claim_checkin_reminders(utc(dt.date(2026, 4, 27)))  # a fourth: never
    assert len(reminders_to(manager)) == 3
    assert {n.subject_id for n in reminders_to(manager)} == {ninety.pk}

    # The 6-month check-in has reminders of its own; one filled gets none.
    six = CheckIn.objects.get(application=application, horizon="6m")
    claim_checkin_reminders(utc(dt.date(2026, 7, 6)))
    assert reminders_to(manager)[-1].subject_id == six.pk
    six.status = "done"
    six.save()
    claim_checkin_reminders(utc(dt.date(2026, 7, 13)))
    assert len(reminders_to(manager)) == 4


def test_a_check_in_reminded_this_morning_is_not_read_again_by_the_later_sweeps(
    django_assert_num_queries: Any,
) -> None:
    application = hired_by_offer(start=dt.date(2026, 1, 5))
    checkins_schedule(utc(dt.date(2026, 1, 5)))
    claim_checkin_reminders(utc(dt.date(2026, 4, 6)))
    for day, at in ((dt.date(2026, 4, 6), dt.time(18)), (dt.date(2026, 4, 10), NY_MORNING)):
        with django_assert_num_queries(1):  # nothing to look at: no reminder read, none sent
            assert claim_checkin_reminders(utc(day, at)) == 0
    assert len(reminders_to(application.requisition.hiring_manager)) == 1


def test_check_ins_due_before_the_upgrade_are_reminded_where_they_left_off() -> None:
    """The upgrade that gave check-ins their next reminder date (checkins 0002)."""
    application = hired_by_offer(start=dt.date(2026, 1, 5))
    checkins_schedule(utc(dt.date(2026, 1, 5)))
    claim_checkin_reminders(utc(dt.date(2026, 4, 6)))  # the 90-day check-in's first
    CheckIn.objects.update(next_reminder_on=None)  # as every row was before the upgrade
    upgrade = importlib.import_module("hiring.checkins.migrations.0002_reminder_date")
    upgrade.start_from_due_dates(django_apps, None)

    manager = application.requisition.hiring_manager
    claim_checkin_reminders(utc(dt.date(2026, 4, 7)))  # the one it had still counts
    assert len(reminders_to(manager)) == 1
    claim_checkin_reminders(utc(dt.date(2026, 4, 13)))  # five business days after it
    assert len(reminders_to(manager)) == 2


def test_check_ins_long_past_when_scheduled_are_not_chased() -> None:
    application = hired_by_offer(start=dt.date(2024, 1, 8))
    checkins_schedule(utc(dt.date(2026, 3, 2)))
    assert claim_checkin_reminders(utc(dt.date(2026, 3, 2))) == 0
    assert CheckIn.objects.filter(application=application, status="due").count() == 4


@pytest.fixture
def ninety() -> CheckIn:
    application = hired_by_offer(start=dt.date(2026, 1, 5))
    checkins_schedule(utc(dt.date(2026, 1, 5)))
    return CheckIn.objects.get(application=application, horizon="90d")


def test_the_hiring_manager_fills_the_check_in_from_its_page(ninety: CheckIn) -> None:
    manager = ninety.application.requisition.hiring_manager
    client = logged_in(manager)
    page = client.get(f"/checkins/{ninety.pk}/").content.decode()
    assert "Meets expectations" in page
    assert "Does the role&#x27;s work at the level hired for" in page  # the level's anchor
    answer = {"still_in_role": "yes", "performance": "3", "would_hire_again": "yes",
              "comment": "Owns the ranking service on call."}  # fmt: skip
    response = client.post(f"/checkins/{ninety.pk}/", answer)
    assert response.status_code == 302
    ninety.refresh_from_db()
    assert (ninety.status, ninety.performance, ninety.would_hire_again) == ("done", 3, True)
    assert ninety.filled_by == manager
    entry = AuditEntry.objects.get(action="checkin.record")
    assert entry.after["performance"] == 3
    listed = client.get("/checkins/").content.decode()
    assert "Filled recently" in listed and "Meets expectations" in listed


def test_missing_answers_are_refused_in_the_page_and_nothing_is_written(ninety: CheckIn) -> None:
    client = logged_in(ninety.application.requisition.hiring_manager)
    response = client.post(f"/checkins/{ninety.pk}/", {"still_in_role": "yes"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose one of the four levels." in html
    assert "Say whether you would hire them again." in html
    ninety.refresh_from_db()
    assert ninety.status == "due" and not AuditEntry.objects.filter(action="checkin.record")


def test_a_hire_who_left_closes_the_later_check_ins(ninety: CheckIn) -> None:
    client = logged_in(ninety.application.requisition.hiring_manager)
    response = client.post(
        f"/checkins/{ninety.pk}/", {"still_in_role": "no", "left_reason": "role"}
    )
    assert response.status_code == 302
    statuses = dict(
        CheckIn.objects.filter(application=ninety.application).values_list("horizon", "status")
    )
    assert statuses == {"90d": "done", "6m": "closed", "12m": "closed", "18m": "closed"}
    six = CheckIn.objects.get(application=ninety.application, horizon="6m")
    refused = client.post(f"/checkins/{six.pk}/", {"still_in_role": "yes", "performance": "4",
                                                  "would_hire_again": "yes"})  # fmt: skip
    assert refused.status_code == 409
    assert "had left the role" in refused.content.decode()
    claim_checkin_reminders(utc(dt.date(2026, 7, 6)))
    assert not Notification.objects.filter(kind=CHECKIN_REMINDER, subject_id=six.pk)


def test_who_may_fill_a_check_in(ninety: CheckIn) -> None:
    url = f"/checkins/{ninety.pk}/"
    other_manager = factories.UserFactory(roles=[HIRING_MANAGER])
    assert logged_in(other_manager).get(url).status_code == 404
    assert logged_in(factories.UserFactory(roles=[INTERVIEWER])).get(url).status_code == 403
    assert logged_in(factories.UserFactory(roles=[RECRUITER])).get(url).status_code == 403
    # A manager who also interviews reaches only their own requisitions' hires.
    both = factories.UserFactory(roles=[HIRING_MANAGER, INTERVIEWER])
    assert logged_in(both).get(url).status_code == 404
    assert logged_in(factories.UserFactory(roles=[ADMIN])).get(url).status_code == 200


def test_the_list_shows_what_is_due_in_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    manager = factories.UserFactory(roles=[HIRING_MANAGER])
    counts = []
    for hires in (1, 6):
        for _ in range(hires):
            application = factories.application(
                requisition_obj=factories.requisition(hiring_manager=manager)
            )
            with time_machine.travel(utc(dt.date(2025, 6, 2)), tick=False):
                hire(application)
        checkins_schedule(utc(dt.date(2025, 6, 2)))
        with time_machine.travel(utc(dt.date(2027, 6, 1)), tick=False):
            client = logged_in(manager)
            with django_assert_max_num_queries(20) as captured:
                page = client.get("/checkins/").content.decode()
        counts.append(len(captured))
        hired = set(CheckIn.objects.values_list("application_id", flat=True))
        assert page.count("Fill in") == 4 * len(hired)
    assert counts[0] == counts[1]
