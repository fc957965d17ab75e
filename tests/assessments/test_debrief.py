"""The debrief: the page, the decision (and the offer clock it starts), calibration."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.models import Decision, Question
from assessments.services.bank import question_new_version
from assessments.services.decisions import decision_record, offer_clock_started_at
from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.offers.models import OfferClock
from hiring.permissions import ADMIN
from hiring.pipeline.models import StageKind
from roles.models import PlaybookInfo
from tests import factories
from tests.panels import Panel, panel

pytestmark = pytest.mark.usefixtures("playbook")
FLAG = {"every-project-successful": "Said no project of theirs ever failed."}
# The `scored` candidate has a confirmed red flag: advancing needs a written reason.
WHY = "References confirm the failures were owned; the flag was a misunderstanding."
OVERRIDE = {"confirm_override": "on", "override_reason": WHY}


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
            application=scored.application,
            actor=scored.manager,
            outcome="advance",
            comment="Go",
            override_reason=WHY,
        )
    scored.application.refresh_from_db()
    assert scored.application.stage.kind == StageKind.OFFER
    assert decision.decided_at == moment
    assert offer_clock_started_at(scored.application) == moment
    entry = AuditEntry.objects.get(action="decision.record")
    assert entry.after["decision"] == "advance" and entry.actor == scored.manager


def test_a_hold_after_advancing_stops_the_clock_reading(scored: Panel) -> None:
    decision_record(
        application=scored.application, actor=scored.manager, outcome="advance", override_reason=WHY
    )
    decision_record(application=scored.application, actor=scored.manager, outcome="hold")
    assert offer_clock_started_at(scored.application) is None


def test_advancing_twice_is_refused_so_the_clock_is_not_reset(scored: Panel) -> None:
    decision_record(
        application=scored.application, actor=scored.manager, outcome="advance", override_reason=WHY
    )
    with pytest.raises(DomainError, match="Already advanced"):
        decision_record(
            application=scored.application,
            actor=scored.manager,
            outcome="advance",
            override_reason=WHY,
        )
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
        url, {"outcome": "advance", "comment": "Strong on Q1", **OVERRIDE}
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


def test_advancing_at_the_debrief_puts_the_candidate_under_offers_at_once(scored: Panel) -> None:
    """No sweep runs in between: the clock starts in the decision's own transaction."""
    name = scored.application.candidate.name
    offers_page = logged_in(scored.recruiter).get("/offers/")
    assert name not in offers_page.content.decode()
    url = f"/applications/{scored.application.pk}/debrief/"
    logged_in(scored.manager).post(url, {"outcome": "advance", "comment": "Go", **OVERRIDE})
    clock = OfferClock.objects.get(application=scored.application)
    assert clock.started_at == Decision.objects.get().decided_at and clock.stopped_at is None
    assert name in logged_in(scored.recruiter).get("/offers/").content.decode()


def test_a_hold_after_advancing_stops_the_running_clock(scored: Panel) -> None:
    decision_record(
        application=scored.application, actor=scored.manager, outcome="advance", override_reason=WHY
    )
    decision_record(application=scored.application, actor=scored.manager, outcome="hold")
    clock = OfferClock.objects.get(application=scored.application)
    assert clock.stopped_at is not None and clock.stop_reason == "moved on"
    name = scored.application.candidate.name
    assert name not in logged_in(scored.recruiter).get("/offers/").content.decode()


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
    rows = {row.user.pk: row.stats for row in page.context["page"].rows}
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
    assert page.context["page"].rows == []
    assert "No submitted scorecards yet" in page.content.decode()


def test_a_decision_keeps_the_explanation_it_was_made_on(scored: Panel) -> None:
    decision = decision_record(application=scored.application, actor=scored.manager, outcome="hold")
    kept = dict(decision.explanation)
    assert kept["signal"] and kept["headline"] and kept["explanation"]
    assert kept["scorecard_count"] == 2
    assert sorted(r["recommendation"] for r in kept["recommendations"]) == ["no", "yes"]
    question = Question.objects.select_related("current_version").get(number=1)
    asked = next(q for q in kept["questions"] if q["number"] == 1)
    assert asked["text"] == question.current_version.text

    # The playbook changes afterwards: the question is reworded, the thresholds move.
    question_new_version(question=question, wording={"text": "Reworded later."}, actor=None)
    info = PlaybookInfo.objects.get()
    info.scoring = {**info.scoring, "yes_min_mean": 3.9, "strong_yes_min_mean": 3.95}
    info.save()

    decision.refresh_from_db()
    assert decision.explanation == kept
    page = logged_in(scored.manager).get(f"/applications/{scored.application.pk}/debrief/")
    assert escape(kept["headline"]) in page.content.decode()


# Advancing against the evidence: confirmation and a written reason ---------------------------


def test_advancing_a_candidate_with_a_confirmed_flag_needs_a_written_reason(scored: Panel) -> None:
    with pytest.raises(DomainError, match="needs a written reason") as refused:
        decision_record(application=scored.application, actor=scored.manager, outcome="advance")
    assert "override_reason" in refused.value.fields
    assert not Decision.objects.exists() and not OfferClock.objects.exists()
    decision = decision_record(
        application=scored.application, actor=scored.manager, outcome="advance", override_reason=WHY
    )
    assert decision.override_reason == WHY
    assert decision.evidence_headline.startswith("Strong no: confirmed red flag")
    entry = AuditEntry.objects.get(action="decision.record")
    assert entry.after["override_reason"] == WHY


def test_a_clean_candidate_advances_without_a_reason(db: None) -> None:
    setup = panel()
    for person in (setup.first, setup.second):
        factories.filled_scorecard(interview=setup.interview, interviewer=person, rating=4)
    decision = decision_record(
        application=setup.application, actor=setup.manager, outcome="advance"
    )
    assert decision.override_reason == "" and decision.evidence_headline.startswith("Strong yes")


def test_a_hold_or_reject_never_asks_for_the_reason(scored: Panel) -> None:
    decision_record(application=scored.application, actor=scored.manager, outcome="hold")
    assert Decision.objects.get().override_reason == ""


def test_the_page_asks_to_confirm_and_keeps_the_reason_with_the_decision(scored: Panel) -> None:
    url = f"/applications/{scored.application.pk}/debrief/"
    manager = logged_in(scored.manager)
    form = manager.get(url).content.decode()
    assert "Advancing against the evidence" in form and 'name="override_reason"' in form
    unconfirmed = manager.post(url, {"outcome": "advance", "override_reason": WHY})
    assert unconfirmed.status_code == 400
    assert "Tick to confirm" in unconfirmed.content.decode()
    no_reason = manager.post(url, {"outcome": "advance", "confirm_override": "on"})
    assert no_reason.status_code == 400
    assert "Say why you advance despite" in no_reason.content.decode()
    assert not Decision.objects.exists()
    assert manager.post(url, {"outcome": "advance", **OVERRIDE}).status_code == 302
    shown = manager.get(url).content.decode()
    assert "Advanced against the evidence" in shown and WHY in shown
    # ... and the recruiter reading the debrief later sees it too.
    assert WHY in logged_in(scored.recruiter).get(url).content.decode()


def test_the_api_refuses_the_advance_without_a_reason_with_a_field_message(scored: Panel) -> None:
    url = f"/api/applications/{scored.application.pk}/decision/"
    manager = logged_in(scored.manager)
    refused = manager.post(url, {"outcome": "advance"}, content_type="application/json")
    assert refused.status_code == 400
    assert "Strong no" in refused.json()["fields"]["override_reason"][0]
    made = manager.post(
        url, {"outcome": "advance", "override_reason": WHY}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["override_reason"] == WHY
    assert manager.get(url).json()["history"][0]["override_reason"] == WHY


# Draft offer right where the decision is made ------------------------------------------------


def test_after_advancing_the_debrief_offers_draft_offer_and_shows_the_clock(scored: Panel) -> None:
    url = f"/applications/{scored.application.pk}/debrief/"
    moment = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)  # Tue 10:00 in New York
    with time_machine.travel(moment, tick=False):
        logged_in(scored.manager).post(url, {"outcome": "advance", **OVERRIDE})
        page = logged_in(scored.recruiter).get(url).content.decode()
        # The hiring manager does not draft offers: no button for them, the clock still shows.
        managers = logged_in(scored.manager).get(url).content.decode()
    assert f"/offers/new/?application={scored.application.pk}" in page
    assert "Draft offer" in page
    assert "due Thu 3 Dec, 10:00 (16 business hours left)" in page
    assert 'data-testid="draft-offer"' not in managers
    assert "due Thu 3 Dec, 10:00 (16 business hours left)" in managers


def test_once_drafted_the_debrief_links_to_the_offer_instead(scored: Panel) -> None:
    decision_record(
        application=scored.application, actor=scored.manager, outcome="advance", override_reason=WHY
    )
    offer = factories.offer(application_obj=scored.application)
    page = logged_in(scored.recruiter).get(f"/applications/{scored.application.pk}/debrief/")
    html = page.content.decode()
    assert f"/offers/{offer.pk}/" in html and 'data-testid="draft-offer"' not in html
