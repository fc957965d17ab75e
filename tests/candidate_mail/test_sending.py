"""Candidate e-mails go out through the outbox, once, over a real SMTP server, and show on
the candidate's timeline: the acknowledgement of an application, and the interview's
e-mail with its .ics (scheduled, changed, cancelled) in the candidate's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from assessments.services.interviews import interview_cancel, interview_update
from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import SUBJECT_TYPE, MailKind, placeholders_for
from hiring.careers.links import status_link
from hiring.events import emit
from hiring.notifications.delivery import message_send
from hiring.notifications.models import OutboxMessage
from hiring.notifications.tasks import reminders_sweep
from tests import factories
from tests.candidate_mail.conftest import event_of
from tests.panels import eager_celery, panel
from tests.smtp import Mailbox

pytestmark = pytest.mark.usefixtures("playbook")


def _careers_application(**candidate: Any) -> Any:
    person = factories.CandidateFactory(name="Ada Lovelace", email="ada@example.org", **candidate)
    return factories.application(candidate=person, via="careers")


def test_an_application_from_the_careers_page_is_acknowledged_once_over_smtp(
    delivered: Any, smtp_server: Mailbox, settings: Any
) -> None:
    settings.COMPANY_NAME = "Example Ltd"
    application = delivered(_careers_application)
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == f"We received your application: {application.requisition.title}"
    text = smtp_server.text(message)
    assert text.startswith("Dear Ada,")
    assert f"{application.requisition.title} at Example Ltd" in text
    recruiter = application.requisition.recruiter
    assert recruiter.get_full_name() in text
    # The event told twice (the careers flow and the service, a retried task): one e-mail.
    delivered(lambda: emit("application.created", subject=application, data={"via": "careers"}))
    assert OutboxMessage.objects.filter(subject_type=SUBJECT_TYPE).count() == 1
    assert len(smtp_server.messages) == 1


def test_a_candidate_a_recruiter_adds_by_hand_gets_no_e_mail(
    delivered: Any, smtp_server: Mailbox
) -> None:
    delivered(lambda: factories.application())
    assert not OutboxMessage.objects.exists()


def test_a_switched_off_template_sends_nothing(delivered: Any) -> None:
    EmailTemplate.objects.filter(kind=MailKind.RECEIVED).update(enabled=False)
    delivered(_careers_application)
    assert not OutboxMessage.objects.exists()


def test_the_e_mail_shows_on_the_candidates_timeline_without_its_address(
    delivered: Any, make_user: Any
) -> None:
    application = delivered(_careers_application)
    client = Client()
    client.force_login(application.requisition.recruiter)
    page = client.get(f"/candidates/{application.candidate_id}/").content.decode()
    assert "E-mail to the candidate" in page
    assert "We received your application" in page
    assert "Sent" in page


def test_a_failed_delivery_stays_pending_and_the_sweep_sends_it_later(
    smtp_server: Mailbox, settings: Any
) -> None:
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # nothing listens on 1: it fails
    application = _careers_application()
    message = OutboxMessage.objects.get(subject_id=application.pk)
    assert message_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    settings.EMAIL_PORT = port
    later = timezone.now() + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False), eager_celery():
        reminders_sweep()
    assert len(smtp_server.wait_for(1)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


# Interviews ---------------------------------------------------------------------------------


def test_a_scheduled_interview_sends_the_candidate_an_invite_with_nothing_internal(
    delivered: Any, smtp_server: Mailbox
) -> None:
    starts = dt.datetime(2030, 3, 5, 15, 0, tzinfo=dt.UTC)
    person = factories.CandidateFactory(email="ada@example.org", time_zone="Europe/Berlin")

    def build() -> Any:
        requisition = factories.requisition()
        application = factories.application(candidate=person, requisition_obj=requisition)
        interviewer = factories.UserFactory(roles=["Interviewer"])
        return factories.scheduled_interview(
            application_obj=application, interviewers=[interviewer], starts_at=starts
        )

    with_time = dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(with_time, tick=False):
        interview = delivered(build)
    mails = smtp_server.to("ada@example.org")
    assert len(mails) == 1
    message = mails[0]
    text = smtp_server.text(message)
    assert "Tuesday 5 March 2030, 16:00 CET" in text  # 15:00 UTC in Berlin
    assert "https://meet.example.com/abc-defg-hij" in text
    calendar, event = event_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{interview.ical_uid}@hiring"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == starts
    assert str(event["URL"]) == "https://meet.example.com/abc-defg-hij"
    assert str(event["ATTENDEE"]) == "mailto:ada@example.org"
    everything = text + calendar.to_ical().decode()
    assert "scorecard" not in everything.lower()
    assert "/interviews/" not in everything
    assert "Questions you ask" not in everything


def test_a_changed_then_cancelled_interview_keeps_the_uid_and_raises_the_sequence(
    delivered: Any, smtp_server: Mailbox
) -> None:
    setup = delivered(panel)
    address = setup.application.candidate.email
    interview = setup.interview
    later = interview.starts_at + dt.timedelta(days=1)

    def move() -> Any:
        return interview_update(
            interview=interview, actor=setup.recruiter, round_name=interview.round_name,
            starts_at=later, duration_minutes=45, interviewers=[setup.first, setup.second],
            location=interview.location, questions=_questions(interview),
        )  # fmt: skip

    delivered(move)
    delivered(lambda: interview_cancel(interview=interview, actor=setup.recruiter))
    scheduled, changed, cancelled = smtp_server.to(address)
    assert changed["Subject"].startswith("Interview changed")
    assert cancelled["Subject"].startswith("Interview cancelled")
    events = [event_of(m) for m in (scheduled, changed, cancelled)]
    assert len({str(e["UID"]) for _c, e in events}) == 1
    assert [int(e["SEQUENCE"]) for _c, e in events] == [0, 1, 2]
    assert [str(c["METHOD"]) for c, _e in events] == ["REQUEST", "REQUEST", "CANCEL"]
    assert events[1][1].decoded("DTSTART") == later.astimezone(dt.UTC)
    assert str(events[2][1]["STATUS"]) == "CANCELLED"
    assert "45 minutes" in smtp_server.text(changed)


def test_a_change_of_interviewers_only_sends_the_candidate_nothing(
    delivered: Any, smtp_server: Mailbox
) -> None:
    setup = delivered(panel)
    interview = setup.interview

    def swap() -> Any:
        return interview_update(
            interview=interview, actor=setup.recruiter, round_name=interview.round_name,
            starts_at=interview.starts_at, duration_minutes=interview.duration_minutes,
            interviewers=[setup.first], location=interview.location,
            questions=_questions(interview),
        )  # fmt: skip

    delivered(swap)
    assert len(smtp_server.to(setup.application.candidate.email)) == 1


def _questions(interview: Any) -> list[Any]:
    from assessments.models import InterviewQuestion
    from assessments.services.interviews import QuestionAssignment

    rows = InterviewQuestion.objects.filter(interview=interview, interviewer__isnull=True)
    return [QuestionAssignment(question_version=q.question_version) for q in rows]


# Every placeholder ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(placeholders_for(MailKind.SCHEDULED)))
def test_every_placeholder_is_filled_in_the_candidates_e_mail(
    name: str, delivered: Any, smtp_server: Mailbox, settings: Any
) -> None:
    settings.COMPANY_NAME = "Example Ltd"
    EmailTemplate.objects.filter(kind=MailKind.SCHEDULED).update(
        subject="Interview", body=f"[{{{name}}}]"
    )
    person = factories.CandidateFactory(
        name="Ada King Lovelace", email="ada@example.org", time_zone="Asia/Tokyo"
    )
    starts = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=2)

    def build() -> Any:
        application = factories.application(candidate=person)
        interviewer = factories.UserFactory(roles=["Interviewer"])
        return factories.scheduled_interview(
            application_obj=application, interviewers=[interviewer], starts_at=starts,
            duration_minutes=50,
        )  # fmt: skip

    interview = delivered(build)
    recruiter = interview.application.requisition.recruiter
    local = starts.astimezone(ZoneInfo("Asia/Tokyo"))
    expected = {
        "candidate_first_name": "Ada",
        "candidate_name": "Ada King Lovelace",
        "role": interview.application.requisition.title,
        "company": "Example Ltd",
        "recruiter_name": recruiter.get_full_name(),
        "status_link": status_link(interview.application),  # the careers domain signs it
        "interview_name": "Structured interview",
        "interview_time": f"{local:%A} {local.day} {local:%B %Y, %H:%M} JST",
        "interview_duration": "50 minutes",
        "video_link": "https://meet.example.com/abc-defg-hij",
        "interview_location": "https://meet.example.com/abc-defg-hij",
    }
    assert set(expected) == set(placeholders_for(MailKind.SCHEDULED))
    (message,) = smtp_server.to("ada@example.org")
    assert smtp_server.text(message).strip() == f"[{expected[name]}]"


def test_a_recruiter_sets_the_candidates_time_zone_and_an_unknown_one_is_refused() -> None:
    application = factories.application()
    client = Client()
    client.force_login(application.requisition.recruiter)
    url = f"/api/candidates/{application.candidate_id}/"
    bad = client.patch(url, {"time_zone": "Mars/Olympus"}, content_type="application/json")
    assert bad.status_code == 400 and "time_zone" in bad.json()["fields"]
    good = client.patch(url, {"time_zone": "Europe/Berlin"}, content_type="application/json")
    assert good.status_code == 200 and good.json()["time_zone"] == "Europe/Berlin"
    assert '<option value="Europe/Berlin">' in client.get("/candidates/new/").content.decode()
