"""Pick links: the recruiter sets one up, the candidate picks a slot in their own zone, the
interview is booked through the interview services (invites as for any interview), moved
once, and a link that cannot be used says why and whom to contact."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from icalendar import Calendar

from assessments.models import Interview, InterviewQuestion
from assessments.services.interviews import interview_cancel
from hiring.models import AuditEntry
from hiring.scheduling.models import BusySource, BusyTime, SlotLink, SlotLinkChange
from hiring.scheduling.rules import SlotLinkStatus
from tests import factories
from tests.panels import eager_celery
from tests.scheduling.support import Setup, link_for, loop_of, path_of, setup

pytestmark = pytest.mark.usefixtures("playbook")

NY, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")
# Wednesday 4 March 2026, 10:00 in New York. The window: Thursday 5 to Monday 9 March, over a
# weekend and New York's change to summer time (Sunday 8 March); Berlin changes on the 29th.
NOW = dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC)
THURSDAY, MONDAY = dt.date(2026, 3, 5), dt.date(2026, 3, 9)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world() -> Setup:
    return setup()


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any) -> Callable[..., list[Any]]:
    def run(fn: Callable[[], Any]) -> list[Any]:
        before = len(mail.outbox)
        with eager_celery(), django_capture_on_commit_callbacks(execute=True):
            fn()
        return mail.outbox[before:]

    return run


def slot_values(html: str) -> list[str]:
    return re.findall(r'name="start" value="([^"]+)"', html)


def utc(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def test_the_recruiter_creates_a_link_from_the_page_and_gets_its_address(world: Setup) -> None:
    client = Client()
    client.force_login(world.recruiter)
    url = f"/applications/{world.application.pk}/interviews/pick/"
    form = client.get(url)
    assert form.status_code == 200
    loop = {f"question-{a.question_version.question_id}": "all" for a in loop_of(world.application)}
    answer = client.post(
        url,
        {
            "round_name": "Structured interview",
            "duration_minutes": "60",
            "location": "https://meet.example.com/x",
            "first_day": THURSDAY.isoformat(),
            "last_day": MONDAY.isoformat(),
            "reschedules": "1",
            "interviewers": [p.pk for p in world.interviewers],
            **loop,
        },
        follow=True,
    )
    link = SlotLink.objects.get(application=world.application)
    assert answer.status_code == 200
    assert "send it to the candidate" in answer.content.decode()
    assert "http://127.0.0.1:8000/pick/" in answer.content.decode()
    assert sorted(link.interviewers.values_list("pk", flat=True)) == sorted(
        p.pk for p in world.interviewers
    )
    assert link.expires_at == dt.datetime(2026, 3, 9, 21, 0, tzinfo=dt.UTC)  # 17:00 EDT
    assert AuditEntry.objects.filter(action="slot_link.create").count() == 1


def test_the_candidate_sees_the_panels_free_slots_in_their_own_zone(world: Setup) -> None:
    first, second = world.interviewers
    # First's interview on Thursday 10:00-11:00 New York, second's busy Friday afternoon.
    other = factories.application(requisition_obj=world.application.requisition)
    factories.scheduled_interview(
        application_obj=other,
        interviewers=[first],
        starts_at=dt.datetime(2026, 3, 5, 15, 0, tzinfo=dt.UTC),
    )
    BusyTime.objects.create(
        user=second,
        starts_at=dt.datetime(2026, 3, 6, 18, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 6, 22, 0, tzinfo=dt.UTC),
        source=BusySource.MANUAL,
    )
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)

    page = Client().get(path_of(link), {"tz": "Europe/Berlin"})

    html = page.content.decode()
    assert page.status_code == 200
    starts = [utc(v) for v in slot_values(html)]
    local_days = {s.astimezone(NY).date() for s in starts}
    assert local_days == {THURSDAY, dt.date(2026, 3, 6), MONDAY}  # not the weekend
    thursday = [
        s.astimezone(NY).strftime("%H:%M") for s in starts if s.astimezone(NY).date() == THURSDAY
    ]
    assert "10:00" not in thursday and "09:30" not in thursday and "11:00" in thursday
    friday = [
        s.astimezone(NY).strftime("%H:%M")
        for s in starts
        if s.astimezone(NY).date() == dt.date(2026, 3, 6)
    ]
    assert friday[-1] == "12:00"  # busy from 13:00 EST
    # Shown in Berlin: Thursday 09:00 New York (EST) is 15:00, Monday 09:00 (EDT) is 14:00.
    assert 'aria-label="Thursday 5 March, 15:00"' in html
    assert 'aria-label="Monday 9 March, 14:00"' in html
    assert "Europe/Berlin" in html


def test_booking_creates_the_interview_and_each_interviewer_gets_the_invite(
    world: Setup, sent: Callable[..., list[Any]]
) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    start = "2026-03-09T14:00:00Z"  # Monday 10:00 EDT, 15:00 in Berlin
    answers: list[Any] = []

    emails = sent(
        lambda: answers.append(
            Client().post(path_of(link), {"start": start, "tz": "Europe/Berlin"})
        )
    )

    assert answers[0].status_code == 302
    page = Client().get(answers[0]["Location"])
    assert "Monday 9 March 2026, 15:00" in page.content.decode()
    interview = Interview.objects.get(application=world.application)
    assert interview.starts_at == utc(start)
    assert interview.duration_minutes == 60 and interview.location.endswith("pick-a-slot")
    assert InterviewQuestion.objects.filter(interview=interview).count() == len(
        loop_of(world.application)
    )
    invited = [p.email for p in world.interviewers]
    to_interviewers = [m for m in emails if m.attachments and m.to[0] in invited]
    assert sorted(m.to[0] for m in to_interviewers) == sorted(invited)
    # ... and the candidate gets their own invite (hiring.candidate_mail).
    assert world.application.candidate.email in [m.to[0] for m in emails]
    part = next(
        a for a in to_interviewers[0].attachments if a.get_content_type() == "text/calendar"
    )
    event = next(c for c in Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT"))
    assert event.decoded("DTSTART") == utc(start)
    link.refresh_from_db()
    assert (link.status, link.interview_id) == (SlotLinkStatus.BOOKED, interview.pk)
    assert SlotLinkChange.objects.filter(link=link, to_status="booked", actor=None).exists()
    assert AuditEntry.objects.get(action="slot_link.book").actor is None


def test_a_double_click_books_once(world: Setup) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    client = Client()
    for _ in range(2):
        assert client.post(path_of(link), {"start": "2026-03-05T16:00:00Z"}).status_code == 302
    assert Interview.objects.filter(application=world.application).count() == 1
    link.refresh_from_db()
    assert link.reschedules_left == 1


def test_rescheduling_once_moves_the_interview_same_uid_higher_sequence_and_frees_the_old_time(
    world: Setup, sent: Callable[..., list[Any]]
) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    client = Client()
    sent(lambda: client.post(path_of(link), {"start": "2026-03-05T16:00:00Z"}))
    interview = Interview.objects.get(application=world.application)
    change = client.get(path_of(link), {"tz": "America/New_York", "change": "1"})
    assert "Pick a new time" in change.content.decode()
    assert "2026-03-05T16:00:00Z" not in slot_values(change.content.decode())

    emails = sent(lambda: client.post(path_of(link), {"start": "2026-03-06T19:00:00Z"}))

    interview.refresh_from_db()
    assert interview.starts_at == utc("2026-03-06T19:00:00Z") and interview.sequence == 1
    event = next(
        Calendar.from_ical(a.get_payload(decode=True)).walk("VEVENT")[0]
        for a in emails[0].attachments
        if a.get_content_type() == "text/calendar"
    )
    assert str(event["UID"]) == f"{interview.ical_uid}@hiring" and int(event["SEQUENCE"]) == 1
    # The old time is free again: another candidate's link offers it.
    other = factories.application(requisition_obj=world.application.requisition)
    second = link_for(other, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    assert "2026-03-05T16:00:00Z" in slot_values(Client().get(path_of(second)).content.decode())
    # Used up: the page shows the booking, says so, and whom to contact.
    again = client.get(path_of(link))
    html = again.content.decode()
    assert "This link has been used" in html and "rita@example.com" in html
    assert "Pick another time" not in html
    refused = client.post(path_of(link), {"start": "2026-03-09T14:00:00Z"})
    assert refused.status_code == 410 and "Rita Recruiter" in refused.content.decode()
    assert AuditEntry.objects.filter(action="slot_link.reschedule").count() == 1


def test_a_slot_taken_meanwhile_is_refused_and_fresh_slots_are_shown(world: Setup) -> None:
    one = link_for(world.application, world.interviewers[:1], first_day=THURSDAY, last_day=MONDAY)
    other = factories.application(requisition_obj=world.application.requisition)
    two = link_for(other, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    start = "2026-03-05T16:00:00Z"
    assert Client().post(path_of(one), {"start": start}).status_code == 302

    lost = Client().post(path_of(two), {"start": start, "tz": "UTC"})

    html = lost.content.decode()
    assert lost.status_code == 409
    assert "That time was just taken" in html
    assert start not in slot_values(html) and slot_values(html)
    assert not Interview.objects.filter(application=other).exists()


def test_a_time_never_offered_is_refused(world: Setup) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    for start in ["2026-03-07T16:00:00Z", "2026-03-05T16:10:00Z", "2026-03-04T16:00:00Z"]:
        assert Client().post(path_of(link), {"start": start}).status_code == 409
    assert Client().post(path_of(link), {"start": "tomorrow"}).status_code == 400
    assert not Interview.objects.filter(application=world.application).exists()


def test_an_expired_link_says_so_and_whom_to_contact(world: Setup) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    with time_machine.travel(dt.datetime(2026, 3, 9, 21, 0, tzinfo=dt.UTC), tick=False):
        page = Client().get(path_of(link))
        post = Client().post(path_of(link), {"start": "2026-03-09T20:00:00Z"})
    html = page.content.decode()
    assert page.status_code == 410 and post.status_code == 410
    assert "This link has expired" in html
    assert "Rita Recruiter" in html and "mailto:rita@example.com" in html


def test_a_withdrawn_link_and_a_cancelled_interview_say_so(world: Setup) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    client = Client()
    client.force_login(world.recruiter)
    assert client.post(f"/pick-links/{link.pk}/close/").status_code == 302
    page = Client().get(path_of(link))
    assert page.status_code == 410 and "withdrawn" in page.content.decode()

    booked = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    Client().post(path_of(booked), {"start": "2026-03-05T16:00:00Z"})
    interview_cancel(interview=Interview.objects.get(slot_link=booked), actor=world.recruiter)
    page = Client().get(path_of(booked))
    assert page.status_code == 410 and "cancelled" in page.content.decode()


@pytest.mark.parametrize("token", ["not-a-token", "eyJsIjoxLCJuIjoieCJ9:1vQ:abc"])
def test_a_link_that_is_not_ours_is_not_found(token: str) -> None:
    page = Client().get(f"/pick/{token}/")
    assert page.status_code == 404 and "This link is not valid" in page.content.decode()


def test_a_link_whose_panel_has_no_free_slot_is_refused(world: Setup) -> None:
    BusyTime.objects.create(
        user=world.interviewers[0],
        starts_at=dt.datetime(2026, 3, 5, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 10, 0, tzinfo=dt.UTC),
        source=BusySource.MANUAL,
    )
    with pytest.raises(Exception, match="no free slot"):
        link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    assert not SlotLink.objects.exists()


def test_the_candidates_page_shows_nothing_internal(world: Setup) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    html = Client().get(path_of(link)).content.decode()
    for person in world.interviewers:
        assert person.email not in html and person.last_name not in html
    manager = world.application.requisition.hiring_manager
    for text in [manager.email, manager.get_full_name(), "scorecard", "Stanford", "/candidates/"]:
        assert text not in html
    assert world.application.requisition.title in html


def test_the_candidates_page_costs_the_same_queries_for_a_busy_or_an_idle_panel(
    world: Setup, django_assert_max_num_queries: Any
) -> None:
    link = link_for(world.application, world.interviewers, first_day=THURSDAY, last_day=MONDAY)
    for day in range(5, 10):
        BusyTime.objects.create(
            user=world.interviewers[day % 2],
            starts_at=dt.datetime(2026, 3, day, 15, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 3, day, 16, tzinfo=dt.UTC),
            source=BusySource.MANUAL,
        )
    with django_assert_max_num_queries(6):
        assert Client().get(path_of(link)).status_code == 200
