"""The home pages chase every step: each to-do item appears when its step waits and goes when
it is done, with its clock and one action; the nudge sends once; the navigation's counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from assessments.services.decisions import decision_record
from hiring.home.todo import nav_counts, recruiter_todo
from hiring.notifications.delivery import notification_send
from hiring.notifications.models import Notification
from hiring.offers.services.approvals import step_vote
from hiring.offers.services.offers import offer_mark_sent
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.models import StageKind
from hiring.pipeline.services.applications import application_move
from tests import factories
from tests.panels import panel

pytestmark = pytest.mark.usefixtures("playbook")
TUESDAY = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def kinds(user: Any) -> list[str]:
    return [item.kind for item in recruiter_todo(user)]


def to_stage(application: Any, kind: str) -> None:
    stage = application.requisition.stages.get(kind=kind)
    application_move(
        application=application, to_stage=stage, actor=application.requisition.recruiter
    )


def advanced() -> Any:
    application = factories.application()
    to_stage(application, StageKind.OFFER)
    factories.decision(application_obj=application)
    return application


def approve_all(offer: Any, finance: Any) -> None:
    manager = offer.application.requisition.hiring_manager
    step_vote(offer=offer, step_id=None, actor=manager, approve=True, comment="")
    offer.refresh_from_db()
    step_vote(offer=offer, step_id=None, actor=finance, approve=True, comment="")
    offer.refresh_from_db()


def test_advanced_with_no_offer_drafted_is_on_the_list_until_one_is(make_user: Any) -> None:
    with time_machine.travel(TUESDAY, tick=False):
        application = advanced()
        recruiter = application.requisition.recruiter
        [item] = recruiter_todo(recruiter)
        assert item.kind == "draft" and item.candidate == application.candidate.name
        assert item.clock == "offer due Thu 3 Dec, 10:00 (16 business hours left)"
        assert item.url == f"/offers/new/?application={application.pk}"
        factories.offer(application_obj=application)
        assert kinds(recruiter) == []


def test_approved_and_not_sent_is_on_the_list_until_sent(make_user: Any) -> None:
    finance = make_user(ADMIN)
    application = advanced()
    recruiter = application.requisition.recruiter
    offer = factories.offer(application_obj=application, submit=True)
    assert kinds(recruiter) == []  # pending: it waits on the approvers, not the recruiter
    approve_all(offer, finance)
    assert offer.status == "approved"
    [item] = recruiter_todo(recruiter)
    assert item.kind == "send" and item.url == f"/offers/{offer.pk}/"
    offer_mark_sent(offer=offer, actor=recruiter)
    assert kinds(recruiter) == []


def test_an_offer_expiring_within_two_business_days_is_on_the_list(make_user: Any) -> None:
    finance = make_user(ADMIN)
    with time_machine.travel(TUESDAY, tick=False):
        application = advanced()
        recruiter = application.requisition.recruiter
        offer = factories.offer(
            application_obj=application, submit=True, expires_on=dt.date(2026, 12, 3)
        )
        approve_all(offer, finance)
        offer_mark_sent(offer=offer, actor=recruiter)
        [item] = recruiter_todo(recruiter)
        assert item.kind == "expiring"
        assert item.clock == "expires Thu 3 Dec, 17:00 (23 business hours left)"
    with time_machine.travel(TUESDAY - dt.timedelta(days=7), tick=False):
        assert kinds(recruiter) == []  # a week earlier: more than two business days away


def test_an_interview_to_schedule_is_on_the_list_until_scheduled(make_user: Any) -> None:
    application = factories.application()
    recruiter = application.requisition.recruiter
    assert kinds(recruiter) == []
    to_stage(application, StageKind.INTERVIEW)
    [item] = recruiter_todo(recruiter)
    assert item.kind == "schedule" and item.url == f"/applications/{application.pk}/interviews/new/"
    assert item.clock.startswith("waiting since ") and "business minute" in item.clock
    factories.scheduled_interview(
        application_obj=application, interviewers=[make_user(INTERVIEWER)]
    )
    assert kinds(recruiter) == []


def test_another_recruiters_requisitions_stay_off_my_list(make_user: Any) -> None:
    advanced()
    assert kinds(make_user(RECRUITER)) == []


def test_an_overdue_scorecard_is_on_the_list_the_nudge_sends_once(smtp_server: Any) -> None:
    with time_machine.travel(TUESDAY, tick=False):
        setup = panel()  # interview 11:00-12:00 New York
    later = TUESDAY + dt.timedelta(hours=3, minutes=30)  # 13:30
    with time_machine.travel(later, tick=False):
        items = [i for i in recruiter_todo(setup.recruiter) if i.kind == "scorecard"]
        assert len(items) == 2 and not items[0].done
        assert items[0].clock == "scorecard was due Tue 1 Dec, 13:00 (30 business minutes overdue)"
        client = login(setup.recruiter)
        url = f"/interviews/{setup.interview.pk}/nudge/{setup.first.pk}/"
        assert items[0].url == url or items[1].url == url
        first = client.post(url, follow=True)
        assert "Nudged: the interviewer has their scorecard reminder now" in first.content.decode()
        again = client.post(url, follow=True)
        assert "Already nudged" in again.content.decode()
        rows = Notification.objects.filter(recipient=setup.first, kind="scorecard_reminder")
        assert rows.count() == 1
        for row in Notification.objects.all():
            notification_send(notification_id=row.pk)
            notification_send(notification_id=row.pk)  # a task run twice sends nothing twice
        [mail] = smtp_server.wait_for(1)
        assert setup.first.email in str(mail["To"])
        assert f"/interviews/{setup.interview.pk}/scorecard/" in smtp_server.text(mail)
        page = client.get("/").content.decode()
        assert "Nudged: the reminder went out" in page
    factories.filled_scorecard(interview=setup.interview, interviewer=setup.first, rating=3)
    with time_machine.travel(later, tick=False):
        left = [i for i in recruiter_todo(setup.recruiter) if i.kind == "scorecard"]
        assert [i.url for i in left] == [
            f"/interviews/{setup.interview.pk}/nudge/{setup.second.pk}/"
        ]


def test_a_nudge_before_the_interview_is_over_is_refused_and_sends_nothing() -> None:
    setup = panel()
    response = login(setup.recruiter).post(
        f"/interviews/{setup.interview.pk}/nudge/{setup.first.pk}/", follow=True
    )
    assert "the interview is not over yet" in response.content.decode()
    assert not Notification.objects.filter(kind="scorecard_reminder").exists()


@pytest.mark.parametrize("who", ["first", "manager"])
def test_only_recruiters_and_admins_nudge(who: str) -> None:
    setup = panel()
    url = f"/interviews/{setup.interview.pk}/nudge/{setup.first.pk}/"
    assert login(getattr(setup, who)).post(url).status_code == 403


# The pages -------------------------------------------------------------------------------


def test_the_recruiters_home_starts_with_the_to_do_list() -> None:
    application = advanced()
    html = login(application.requisition.recruiter).get("/").content.decode()
    assert html.index('id="todo"') < html.index('id="pipeline"')
    assert "Advanced to offer: no offer drafted" in html and "Draft offer" in html


def test_the_hiring_managers_home_starts_with_waiting_for_my_approval(make_user: Any) -> None:
    make_user(ADMIN)
    offer = factories.offer(submit=True)
    html = login(offer.application.requisition.hiring_manager).get("/").content.decode()
    approvals = html.index('id="my-approvals"')
    assert approvals < html.index('id="ready-for-debrief"') < html.index('id="my-requisitions"')
    assert offer.application.candidate.name in html


def test_the_interviewers_home_starts_with_scorecards_due() -> None:
    with time_machine.travel(TUESDAY, tick=False):
        setup = panel()
    with time_machine.travel(TUESDAY + dt.timedelta(days=1), tick=False):
        html = login(setup.first).get("/").content.decode()
    assert 'id="scorecards-due"' in html
    assert html.index('id="my-interviews"') < html.index("<h2>", html.index('id="my-interviews"'))


def test_a_user_with_two_roles_sees_both_lists(make_user: Any) -> None:
    both = make_user(RECRUITER, HIRING_MANAGER)
    requisition = factories.requisition(recruiter=both, hiring_manager=both)
    application = factories.application(requisition_obj=requisition)
    to_stage(application, StageKind.INTERVIEW)
    html = login(both).get("/").content.decode()
    assert 'id="todo"' in html and 'id="my-approvals"' in html and 'id="ready-for-debrief"' in html
    assert html.index('id="todo"') < html.index('id="my-approvals"')


# The counts in the navigation ------------------------------------------------------------


def test_the_navigation_counts_what_waits_for_each_role(make_user: Any) -> None:
    with time_machine.travel(TUESDAY, tick=False):
        setup = panel()
        decision_record(application=setup.application, actor=setup.manager, outcome="hold")
    with time_machine.travel(TUESDAY + dt.timedelta(hours=4), tick=False):
        assert nav_counts(setup.recruiter).todo == 2  # two scorecards overdue
        assert nav_counts(setup.first).scorecards == 1
        # Every page loads the count after itself (htmx): the page pays no query for it.
        page = login(setup.first).get("/notifications/").content.decode()
        assert 'hx-get="/nav-counts/"' in page and "scorecard due" not in page
        html = login(setup.first).get("/nav-counts/").content.decode()
        assert 'data-testid="nav-count"' in html and "1 scorecard due" in html
        assert 'id="nav-count-menu" hx-swap-oob="true"' in html  # the phone menu's too
    assert nav_counts(make_user(RECRUITER)).total == 0
    html = login(make_user(RECRUITER)).get("/nav-counts/").content.decode()
    assert 'data-testid="nav-count"' not in html


def test_the_navigation_counts_fragment_is_empty_when_signed_out(client: Any) -> None:
    response = client.get("/nav-counts/")
    assert response.status_code == 204 and response.content == b""


@pytest.mark.parametrize("n", [1, 8])
def test_the_navigation_counts_take_the_same_queries_as_data_grows(
    n: int, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    both = make_user(RECRUITER, HIRING_MANAGER, INTERVIEWER)
    requisition = factories.requisition(recruiter=both, hiring_manager=both)
    for _ in range(n):
        application = factories.application(requisition_obj=requisition)
        to_stage(application, StageKind.INTERVIEW)
    with django_assert_max_num_queries(9):  # roles, six recruiter lists, approvals, scorecards
        counts = nav_counts(both)
    assert counts.todo == n


@pytest.mark.parametrize("n", [1, 8])
def test_the_recruiters_home_takes_the_same_queries_as_data_grows(
    n: int, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    recruiter = make_user(RECRUITER)
    requisition = factories.requisition(recruiter=recruiter)
    for _ in range(n):
        application = factories.application(requisition_obj=requisition)
        to_stage(application, StageKind.INTERVIEW)
    client = login(recruiter)
    with django_assert_max_num_queries(22):
        assert client.get("/").status_code == 200


def test_an_offer_sent_by_email_and_not_opened_after_a_business_day_is_on_the_list(
    make_user: Any,
) -> None:
    from hiring.offers.models import Offer

    finance = make_user(ADMIN)
    with time_machine.travel(TUESDAY, tick=False):
        application = advanced()
        recruiter = application.requisition.recruiter
        offer = factories.offer(application_obj=application, submit=True)
        approve_all(offer, finance)
        # The mail server accepted the letter on Tuesday at 10:00 New York time.
        Offer.objects.filter(pk=offer.pk).update(status="sent", sent_via="email", sent_at=TUESDAY)
        assert "unviewed" not in kinds(recruiter)
    wednesday_late = TUESDAY + dt.timedelta(hours=24, minutes=30)  # 8.5 business hours later
    with time_machine.travel(wednesday_late, tick=False):
        [item] = [item for item in recruiter_todo(recruiter) if item.kind == "unviewed"]
        assert item.candidate == application.candidate.name
        assert item.clock == "sent Tue 1 Dec, 10:00 (8 business hours ago)"
        assert nav_counts(recruiter).todo >= 1
        Offer.objects.filter(pk=offer.pk).update(status="viewed", viewed_at=wednesday_late)
        assert "unviewed" not in kinds(recruiter)
