"""Scheduling interviews: the form, the calendar invites (.ics), rescheduling, cancelling, home."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from assessments.invites import invites_reconcile
from assessments.models import (
    Interview,
    InterviewChange,
    InterviewInvite,
    InterviewQuestion,
    Question,
)
from assessments.rules import INTERVIEW_TRANSITIONS, InterviewStatus
from assessments.services.interviews import (
    QuestionAssignment,
    interview_cancel,
    interview_schedule,
    interview_set_status,
    interview_update,
)
from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.permissions import INTERVIEWER
from hiring.pipeline.models import Candidate
from hiring.pipeline.services.applications import application_end
from roles.models import LoopQuestion
from tests import factories
from tests.panels import Panel, eager_celery, panel

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any) -> Iterator[Callable[..., Any]]:
    """`sent(fn)` runs fn with the on-commit task running inline; returns the new e-mails."""

    def run(fn: Callable[[], Any]) -> list[Any]:
        before = len(mail.outbox)
        with eager_celery(), django_capture_on_commit_callbacks(execute=True):
            fn()
        # The interviewers' invites; the candidate's own e-mail is tests/candidate_mail's.
        candidates = set(Candidate.objects.values_list("email", flat=True))
        return [m for m in mail.outbox[before:] if not candidates & set(m.to)]

    yield run


def calendar_of(message: Any) -> tuple[Calendar, Any]:
    part = next(a for a in message.attachments if a.get_content_type() == "text/calendar")
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    return calendar, part


def event_of(calendar: Calendar) -> Any:
    return next(c for c in calendar.walk() if c.name == "VEVENT")


def test_scheduling_sends_each_interviewer_a_calendar_invite(sent: Callable[..., Any]) -> None:
    holder: dict[str, Panel] = {}
    emails = sent(lambda: holder.setdefault("p", panel()))
    setup = holder["p"]
    interview = setup.interview

    assert sorted(m.to[0] for m in emails) == sorted([setup.first.email, setup.second.email])
    message = next(m for m in emails if m.to == [setup.first.email])
    calendar, part = calendar_of(message)
    event = event_of(calendar)
    assert part["Content-Type"].startswith("text/calendar")
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{interview.ical_uid}@hiring"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == interview.starts_at
    assert event.decoded("DTEND") == interview.ends_at
    assert str(event["LOCATION"]) == "https://meet.example.com/abc-defg-hij"
    assert str(event["STATUS"]) == "CONFIRMED"
    link = f"http://127.0.0.1:8000/interviews/{interview.pk}/scorecard/"
    assert str(event["URL"]) == link
    assert link in str(event["DESCRIPTION"]) and link in message.body
    assert "https://meet.example.com/abc-defg-hij" in message.body
    assert str(event["ATTENDEE"]) == f"mailto:{setup.first.email}"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert message.subject.startswith("Invitation: Interview: ")
    assert InterviewInvite.objects.filter(interview=interview, sequence=0).count() == 2


def test_rescheduling_sends_the_same_uid_with_a_higher_sequence(sent: Callable[..., Any]) -> None:
    setup = panel()
    invites_reconcile(interview_id=setup.interview.pk)
    later = setup.interview.starts_at + dt.timedelta(days=1)

    emails = sent(lambda: reschedule(setup, starts_at=later))

    assert len(emails) == 2
    event = event_of(calendar_of(emails[0])[0])
    assert str(event["UID"]) == f"{setup.interview.ical_uid}@hiring"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == later
    assert emails[0].subject.startswith("Updated: ")
    assert AuditEntry.objects.filter(action="interview.update").count() == 1


def reschedule(setup: Panel, **changes: Any) -> Interview:
    interview = setup.interview
    plan = [
        QuestionAssignment(iq.question_version, iq.interviewer)
        for iq in InterviewQuestion.objects.filter(interview=interview).order_by("position")
    ]
    fields = {
        "round_name": interview.round_name,
        "starts_at": interview.starts_at,
        "duration_minutes": interview.duration_minutes,
        "interviewers": list(interview.interviewers.all()),
        "location": interview.location,
        "questions": plan,
        **changes,
    }
    return interview_update(interview=interview, actor=setup.recruiter, **fields)


def test_saving_without_changes_sends_nothing(sent: Callable[..., Any]) -> None:
    setup = panel()
    invites_reconcile(interview_id=setup.interview.pk)
    assert sent(lambda: reschedule(setup)) == []
    setup.interview.refresh_from_db()
    assert setup.interview.sequence == 0


def test_the_same_time_given_in_another_time_zone_is_no_change(sent: Callable[..., Any]) -> None:
    """The form gives times in the company's zone, the database in UTC: the same instant
    must not raise SEQUENCE or send an "Updated" invite."""
    setup = panel()
    invites_reconcile(interview_id=setup.interview.pk)
    same = setup.interview.starts_at.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    assert sent(lambda: reschedule(setup, starts_at=same)) == []
    setup.interview.refresh_from_db()
    assert setup.interview.sequence == 0
    assert not AuditEntry.objects.filter(action="interview.update").exists()


def test_cancelling_sends_method_cancel_for_the_same_uid(sent: Callable[..., Any]) -> None:
    setup = panel()
    invites_reconcile(interview_id=setup.interview.pk)

    emails = sent(lambda: interview_cancel(interview=setup.interview, actor=setup.recruiter))

    assert len(emails) == 2
    calendar, part = calendar_of(emails[0])
    event = event_of(calendar)
    assert calendar["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{setup.interview.ical_uid}@hiring"
    assert int(event["SEQUENCE"]) == 1
    assert emails[0].subject.startswith("Cancelled: ")


def test_an_interviewer_taken_off_gets_a_cancellation(sent: Callable[..., Any]) -> None:
    setup = panel()
    invites_reconcile(interview_id=setup.interview.pk)
    emails = sent(lambda: reschedule(setup, interviewers=[setup.first]))
    by_person = {m.to[0]: calendar_of(m)[0]["METHOD"] for m in emails}
    assert by_person == {setup.first.email: "REQUEST", setup.second.email: "CANCEL"}
    # RFC 5546 §3.2.5: uninviting one attendee is a CANCEL without STATUS:CANCELLED, which
    # would tell their calendar the whole event is off.
    removed = next(m for m in emails if m.to[0] == setup.second.email)
    event = event_of(calendar_of(removed)[0])
    assert "STATUS" not in event
    assert str(event["ATTENDEE"]) == f"mailto:{setup.second.email}"  # only them


def test_sending_twice_sends_nothing_twice() -> None:
    setup = panel()
    assert invites_reconcile(interview_id=setup.interview.pk) == 2
    assert invites_reconcile(interview_id=setup.interview.pk) == 0
    assert len(mail.outbox) == 2


def test_a_failed_send_leaves_nothing_claimed_and_is_retried(monkeypatch: Any) -> None:
    from django.core.mail import EmailMultiAlternatives

    setup = panel()
    monkeypatch.setattr(EmailMultiAlternatives, "send", lambda self: (_ for _ in ()).throw(OSError))
    with pytest.raises(OSError):
        invites_reconcile(interview_id=setup.interview.pk)
    assert not InterviewInvite.objects.exists()
    monkeypatch.undo()
    assert invites_reconcile(interview_id=setup.interview.pk) == 2


def test_scheduling_refuses_times_long_past_and_people_without_the_role(
    make_user: Callable[..., Any],
) -> None:
    setup = panel()
    q = Question.objects.get(number=1).current_version
    base = {
        "application": setup.application,
        "actor": setup.recruiter,
        "round_name": "Round",
        "duration_minutes": 60,
        "questions": [QuestionAssignment(q)],
    }
    with pytest.raises(DomainError) as refused:
        interview_schedule(
            **base,
            starts_at=timezone.now() - dt.timedelta(days=3),
            interviewers=[make_user()],
        )
    assert set(refused.value.fields) == {"starts_at", "interviewers"}


def test_a_rejected_application_gets_no_interview() -> None:
    setup = panel()
    application_end(
        application=setup.application,
        status="rejected",
        reason="Role filled",
        actor=setup.recruiter,
    )
    with pytest.raises(DomainError, match="only active applications"):
        factories.scheduled_interview(application_obj=setup.application, interviewers=[setup.first])


def test_cancelling_after_a_submitted_scorecard_is_refused() -> None:
    setup = panel()
    factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    with pytest.raises(DomainError, match="already submitted"):
        interview_cancel(interview=setup.interview, actor=setup.recruiter)


# The status map and its history ----------------------------------------------------------------


def test_cancelling_records_who_moved_the_interview_from_scheduled_to_cancelled() -> None:
    setup = panel()
    interview_cancel(interview=setup.interview, actor=setup.recruiter)
    change = InterviewChange.objects.get(interview=setup.interview)
    assert (change.from_status, change.to_status) == ("scheduled", "cancelled")
    assert change.actor == setup.recruiter
    assert change.at >= setup.interview.created_at


def test_cancelling_a_cancelled_interview_is_refused_with_409_and_writes_nothing() -> None:
    setup = panel()
    interview_cancel(interview=setup.interview, actor=setup.recruiter)
    with pytest.raises(DomainError) as refused:
        interview_cancel(interview=setup.interview, actor=setup.recruiter)
    assert refused.value.status == 409
    setup.interview.refresh_from_db()
    assert setup.interview.sequence == 1
    assert InterviewChange.objects.filter(interview=setup.interview).count() == 1


def test_changing_a_cancelled_interview_is_refused_with_409() -> None:
    setup = panel()
    interview_cancel(interview=setup.interview, actor=setup.recruiter)
    with pytest.raises(DomainError, match="was cancelled") as refused:
        reschedule(setup, round_name="Revived")
    assert refused.value.status == 409
    setup.interview.refresh_from_db()
    assert setup.interview.round_name != "Revived"


def test_the_interview_map_lets_a_cancelled_interview_go_nowhere() -> None:
    assert INTERVIEW_TRANSITIONS[InterviewStatus.CANCELLED] == frozenset()
    setup = panel()
    interview_cancel(interview=setup.interview, actor=setup.recruiter)
    interview = Interview.objects.get(pk=setup.interview.pk)
    with pytest.raises(DomainError, match="from Cancelled to Scheduled") as refused:
        interview_set_status(
            interview=interview, to=InterviewStatus.SCHEDULED, actor=setup.recruiter
        )
    assert refused.value.status == 409
    assert Interview.objects.get(pk=interview.pk).status == InterviewStatus.CANCELLED


def test_setting_the_status_an_interview_has_changes_nothing_and_records_nothing() -> None:
    setup = panel()
    interview = Interview.objects.get(pk=setup.interview.pk)
    interview_set_status(interview=interview, to=InterviewStatus.SCHEDULED, actor=setup.recruiter)
    assert not InterviewChange.objects.exists()


# The scheduling page ---------------------------------------------------------------------------


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_defaults_to_the_roles_loop_not_yet_covered() -> None:
    setup = panel()
    page = logged_in(setup.recruiter).get(f"/applications/{setup.application.pk}/interviews/new/")
    assert page.status_code == 200
    form = page.context["form"]
    loop = list(
        LoopQuestion.objects.filter(role=setup.requisition.role).values_list(
            "question_id", flat=True
        )
    )
    # The panel's interview already covers the whole loop: the next one offers it all again.
    assert {k for k, v in form.initial.items() if v == "all"} == {f"question-{pk}" for pk in loop}


def test_the_recruiter_schedules_from_the_form_splitting_questions(
    make_user: Callable[..., Any], sent: Callable[..., Any]
) -> None:
    setup = panel()
    extra = make_user(INTERVIEWER, first_name="Kai")
    q1, q2 = Question.objects.get(number=1), Question.objects.get(number=2)
    starts = timezone.localtime() + dt.timedelta(days=2)
    data = {
        "round_name": "Technical deep dive",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "interviewers": [str(setup.first.pk), str(extra.pk)],
        "location": "Room 4.2",
        f"question-{q1.pk}": str(extra.pk),
        f"question-{q2.pk}": "all",
    }
    emails = sent(
        lambda: logged_in(setup.recruiter).post(
            f"/applications/{setup.application.pk}/interviews/new/", data
        )
    )
    interview = Interview.objects.get(round_name="Technical deep dive")
    plan = {iq.question_version.question_id: iq.interviewer for iq in interview.questions.all()}
    assert plan == {q1.pk: extra, q2.pk: None}
    assert interview.duration_minutes == 45
    assert sorted(m.to[0] for m in emails) == sorted([setup.first.email, extra.email])
    kai = next(m for m in emails if m.to == [extra.email])
    assert "Q1." in kai.body and "Q2." in kai.body
    other = next(m for m in emails if m.to == [setup.first.email])
    assert "Q1." not in other.body and "Q2." in other.body


def test_the_form_names_what_is_wrong(make_user: Callable[..., Any]) -> None:
    setup = panel()
    q1 = Question.objects.get(number=1)
    outsider = make_user(INTERVIEWER)
    data = {
        "round_name": "",
        "starts_at": "not a time",
        "duration_minutes": "5",
        "interviewers": [str(setup.first.pk)],
        f"question-{q1.pk}": str(outsider.pk),
    }
    page = logged_in(setup.recruiter).post(
        f"/applications/{setup.application.pk}/interviews/new/", data
    )
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert {"round_name", "starts_at", "duration_minutes"} <= set(errors)
    assert Interview.objects.count() == 1


def test_the_recruiter_reschedules_and_cancels_from_the_application_page() -> None:
    setup = panel()
    client = logged_in(setup.recruiter)
    page = client.get(f"/applications/{setup.application.pk}/interviews/")
    assert page.status_code == 200
    assert "Reschedule or change" in page.content.decode()
    assert client.post(f"/interviews/{setup.interview.pk}/cancel/").status_code == 302
    setup.interview.refresh_from_db()
    assert setup.interview.status == "cancelled"
    page = logged_in(setup.first).get(f"/interviews/{setup.interview.pk}/scorecard/")
    assert "This interview was cancelled" in page.content.decode()


def test_cancelling_again_from_the_page_says_it_is_cancelled_already() -> None:
    setup = panel()
    client = logged_in(setup.recruiter)
    client.post(f"/interviews/{setup.interview.pk}/cancel/")
    again = client.post(f"/interviews/{setup.interview.pk}/cancel/", follow=True)
    assert "This interview is cancelled already." in again.content.decode()
    assert InterviewChange.objects.filter(interview=setup.interview).count() == 1


# Home ----------------------------------------------------------------------------------------


def test_the_interviewer_home_lists_today_upcoming_and_scorecards_to_submit() -> None:
    setup = panel()  # starts in an hour
    now = timezone.now()
    factories.scheduled_interview(
        application_obj=setup.application,
        interviewers=[setup.first],
        round_name="Earlier round",
        starts_at=now - dt.timedelta(hours=23),
    )
    Interview.objects.filter(round_name="Earlier round").update(
        starts_at=now - dt.timedelta(days=3), ends_at=now - dt.timedelta(days=3, hours=-1)
    )
    factories.scheduled_interview(
        application_obj=setup.application,
        interviewers=[setup.first],
        round_name="Next week",
        starts_at=now + dt.timedelta(days=7),
    )
    html = logged_in(setup.first).get("/").content.decode()
    assert "Scorecards due" in html and "Upcoming" in html
    assert f"/interviews/{setup.interview.pk}/scorecard/" in html
    assert html.index("Scorecards due") < html.index("Earlier round")


def test_the_interviewer_home_costs_the_same_queries_for_2_or_12_interviews(
    django_assert_max_num_queries: Any,
) -> None:
    setup = panel(interviewers=1)
    client = logged_in(setup.first)
    client.get("/")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        factories.scheduled_interview(
            application_obj=factories.application(requisition_obj=setup.requisition),
            interviewers=[setup.first],
            starts_at=timezone.now() + dt.timedelta(days=n + 1),
        )
    assert count() == few
    with django_assert_max_num_queries(8):
        client.get("/")


def test_the_hiring_manager_home_lists_debriefs_ready() -> None:
    setup = panel()
    factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    html = logged_in(setup.manager).get("/").content.decode()
    assert "Ready for debrief" in html
    assert f"/applications/{setup.application.pk}/debrief/" in html
    assert "1 of 2 scorecards" in html


def test_the_demo_has_an_interview_today_and_a_debrief_ready() -> None:
    from io import StringIO

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from assessments.selectors.interviews import debriefs_ready, home_interviews

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # again: nothing added twice

    interviewer = User.objects.get(username="interviewer")
    today = home_interviews(interviewer).today
    demo = [i for i in today if i.round_name == "Structured interview (demo)"]
    assert len(demo) == 1 and demo[0].questions.count() >= 5
    page = logged_in(interviewer).get("/")
    assert f"/interviews/{demo[0].pk}/scorecard/" in page.content.decode()
    ready = debriefs_ready(User.objects.get(username="manager"))
    assert [a.submitted for a in ready] == [2]


def test_a_broker_outage_does_not_fail_scheduling_and_the_sweep_sends_later(
    monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from kombu.exceptions import OperationalError

    from assessments.invites import invites_sweep
    from assessments.tasks import interview_invites_send

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(interview_invites_send, "apply_async", broker_down)
    holder: dict[str, Panel] = {}
    with django_capture_on_commit_callbacks(execute=True):
        holder["p"] = panel()
    assert mail.outbox == []
    assert invites_sweep() == 2
    assert invites_sweep() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [holder["p"].first.email, holder["p"].second.email]
    )
