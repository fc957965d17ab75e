"""The debrief: the page, the decision (and the offer clock it starts), calibration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hiring.errors import DomainError
from hiring.models import AuditEntry, Decision, StageKind
from hiring.permissions import ADMIN
from hiring.services.decisions import decision_record, offer_clock_started_at
from tests import factories
from tests.panels import Panel, panel

pytestmark = pytest.mark.usefixtures("playbook")
FLAG = {"every-project-successful": "Said no project of theirs ever failed."}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scored(db: None) -> Panel:
    setup = panel()
    factories.filled_scorecard(
        interview=setup.interview,
        interviewer=setup.first,
        rating=2,
        flags=FLAG,
        recommendation="no",
    )
    factories.filled_scorecard(
        interview=setup.interview,
        interviewer=setup.second,
        rating={1: 4, 2: 3},
        recommendation="yes",
    )
    return setup


def test_advance_to_offer_moves_the_application_and_starts_the_clock(scored: Panel) -> None:
    moment = dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        decision = decision_record(
            application=scored.application, actor=scored.manager, outcome="advance", comment="Go"
        )
    scored.application.refresh_from_db()
    assert scored.application.stage.kind == StageKind.OFFER
    assert decision.decided_at == moment
    assert offer_clock_started_at(scored.application) == moment
    entry = AuditEntry.objects.get(action="decision.record")
    assert entry.after["decision"] == "advance" and entry.actor == scored.manager


def test_a_hold_after_advancing_stops_the_clock_reading(scored: Panel) -> None:
    decision_record(application=scored.application, actor=scored.manager, outcome="advance")
    decision_record(application=scored.application, actor=scored.manager, outcome="hold")
    assert offer_clock_started_at(scored.application) is None


def test_advancing_twice_is_refused_so_the_clock_is_not_reset(scored: Panel) -> None:
    decision_record(application=scored.application, actor=scored.manager, outcome="advance")
    with pytest.raises(DomainError, match="Already advanced"):
        decision_record(application=scored.application, actor=scored.manager, outcome="advance")
    assert Decision.objects.count() == 1


def test_reject_needs_a_reason_from_the_list_and_ends_the_application(scored: Panel) -> None:
    with pytest.raises(DomainError) as refused:
        decision_record(application=scored.application, actor=scored.manager, outcome="reject")
    assert "reason" in refused.value.fields
    decision_record(
        application=scored.application,
        actor=scored.manager,
        outcome="reject",
        reason="Confirmed red flags",
    )
    scored.application.refresh_from_db()
    assert (scored.application.status, scored.application.end_reason) == (
        "rejected",
        "Confirmed red flags",
    )
    with pytest.raises(DomainError, match="reopen it"):
        decision_record(application=scored.application, actor=scored.manager, outcome="hold")


def test_the_debrief_page_shows_grids_summary_and_evidence(scored: Panel) -> None:
    page = logged_in(scored.manager).get(f"/applications/{scored.application.pk}/debrief/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ratings: question × interviewer" in html
    assert "Strong no: confirmed red flag &#x27;Every Project Was Successful&#x27;" in html
    assert "Said no project of theirs ever failed." in html
    assert "Confirmed" in html
    assert "Ines Interviewer" in html and "Ivo Interviewer" in html
    assert "Record the decision" in html


def test_the_manager_decides_from_the_page(scored: Panel) -> None:
    url = f"/applications/{scored.application.pk}/debrief/"
    response = logged_in(scored.manager).post(
        url, {"outcome": "advance", "comment": "Strong on Q1"}
    )
    assert response.status_code == 302
    page = logged_in(scored.manager).get(url)
    assert "The two-business-day offer clock started" in page.content.decode()
    refused = logged_in(scored.manager).post(url, {"outcome": "reject", "reason": ""})
    assert refused.status_code == 400
    assert (
        "Pick a rejection reason" in refused.content.decode()
        or "reopen" in refused.content.decode()
    )


def test_a_recruiter_sees_the_debrief_but_cannot_decide(scored: Panel) -> None:
    url = f"/applications/{scored.application.pk}/debrief/"
    page = logged_in(scored.recruiter).get(url)
    assert page.status_code == 200
    assert "Record the decision" not in page.content.decode()
    assert logged_in(scored.recruiter).post(url, {"outcome": "advance"}).status_code == 403
    assert logged_in(scored.first).get(url).status_code == 403


def debrief_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_debrief_costs_the_same_queries_with_2_or_6_scorecards(
    db: None, django_assert_max_num_queries: Any
) -> None:
    two = panel(interviewers=2)
    six = panel(interviewers=6)
    for setup, count in ((two, 2), (six, 6)):
        for person in setup.interview.interviewers.all()[:count]:
            factories.filled_scorecard(
                interview=setup.interview, interviewer=person, flags=FLAG if count == 6 else {}
            )
    admin = logged_in(factories.UserFactory(roles=[ADMIN]))
    small = debrief_queries(admin, f"/applications/{two.application.pk}/debrief/")
    large = debrief_queries(admin, f"/applications/{six.application.pk}/debrief/")
    assert small == large
    with django_assert_max_num_queries(16):
        admin.get(f"/applications/{six.application.pk}/debrief/")


def test_calibration_shows_each_interviewer_against_the_panel(scored: Panel) -> None:
    decision_record(
        application=scored.application,
        actor=scored.manager,
        outcome="reject",
        reason="Confirmed red flags",
    )
    page = logged_in(scored.manager).get("/interviews/calibration/")
    assert page.status_code == 200
    rows = {row.user.pk: row.stats for row in page.context["rows"]}
    assert rows[scored.second.pk].disagreements == 1  # said Yes, candidate rejected
    assert rows[scored.first.pk].disagreements == 0
    assert rows[scored.first.pk].flag_rate == 1
    assert "Ivo Interviewer" in page.content.decode()
    assert logged_in(scored.recruiter).get("/interviews/calibration/").status_code == 403


def test_another_managers_calibration_does_not_include_this_requisition(
    scored: Panel, make_user: Any
) -> None:
    other = make_user("Hiring manager")
    page = logged_in(other).get("/interviews/calibration/")
    assert page.context["rows"] == []
    assert "No submitted scorecards yet" in page.content.decode()
