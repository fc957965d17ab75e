"""The hiring reports on a small hand-built history: every figure worked out here first."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client

from hiring.offers.models import Offer
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.models import Stage
from hiring.pipeline.services.applications import application_end, application_move
from hiring.reports.models import ReportsRefresh
from hiring.reports.services import reports_refresh
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
DAY0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def at(days: int) -> Any:
    return time_machine.travel(DAY0 + dt.timedelta(days=days), tick=False)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stage(requisition: Any, kind: str) -> Stage:
    return Stage.objects.get(requisition=requisition, kind=kind)


@pytest.fixture
def history(db: None) -> Any:
    """Four applications to one requisition:
    A (inbound):  applied d0, screen d2, interview d5, debrief d6, offer d8, hired d10
    B (referral): applied d0, screen d1, rejected in screen d4
    C (inbound):  applied d0, withdrew d3
    D (referral): applied d0, still there
    """
    with at(0):
        req = factories.requisition()
        people = {}
        for name, source in [
            ("A", "inbound"),
            ("B", "referral"),
            ("C", "inbound"),
            ("D", "referral"),
        ]:
            candidate = factories.CandidateFactory(source=source)
            people[name] = factories.application(candidate=candidate, requisition_obj=req)
    actor = req.recruiter
    moves = [
        (1, "B", "screen"),
        (2, "A", "screen"),
        (5, "A", "interview"),
        (6, "A", "debrief"),
        (8, "A", "offer"),
        (10, "A", "hired"),
    ]
    for day, name, kind in moves:
        with at(day):
            people[name] = application_move(
                application=people[name], to_stage=stage(req, kind), actor=actor
            )
    with at(3):
        application_end(
            application=people["C"],
            status="withdrawn",
            reason="Accepted another offer",
            actor=actor,
        )
    with at(4):
        application_end(
            application=people["B"],
            status="rejected",
            reason="Not enough production experience",
            actor=actor,
        )
    with at(11):
        reports_refresh()
    return req


def table(client: Client, name: str, query: str = "") -> dict[str, list[Any]]:
    response = client.get(f"/reports/{name}/{query}")
    assert response.status_code == 200, response.content
    return {str(row[0]): row[1:] for row in response.context["report"].rows}


def test_the_funnel_counts_entries_moves_rejections_and_withdrawals(history: Any) -> None:
    rows = table(logged_in(history.recruiter), "funnel")
    # entered, moved on, rejected, withdrew, still there, pass-through
    assert rows["Applied"] == [4, 2, 0, 1, 1, "50%"]
    assert rows["Recruiter screen"] == [2, 1, 1, 0, 0, "50%"]
    assert rows["Structured interview"] == [1, 1, 0, 0, 0, "100%"]
    assert rows["Offer"] == [1, 1, 0, 0, 0, "100%"]
    assert rows["Hired"][0] == 1


def test_time_in_stage_gives_the_median_and_90th_percentile_in_days(history: Any) -> None:
    rows = table(logged_in(history.recruiter), "time-in-stage")
    # Applied: A 2 days, B 1, C 3 -> median 2, 90th percentile 3.
    assert rows["Applied"] == [3, 2, 3]
    # Screen: A 2->5 (3 days), B 1->4 (3 days).
    assert rows["Recruiter screen"] == [2, 3, 3]
    assert rows["Offer"] == [1, 2, 2]


def test_sources_give_applications_interviews_offers_hires_and_yield(history: Any) -> None:
    rows = table(logged_in(history.recruiter), "sources")
    assert rows["Inbound application"] == [2, 1, 1, 1, "50%"]
    assert rows["Referral"] == [2, 0, 0, 0, "0%"]


def test_sources_count_an_application_once_however_often_it_enters_a_stage(db: None) -> None:
    """Moved back to the screen and interviewed again: two interview stays, one application
    interviewed (the rebuild flags each application's first stay of a kind)."""
    with at(0):
        req = factories.requisition()
        candidate = factories.CandidateFactory(source="agency")
        application = factories.application(candidate=candidate, requisition_obj=req)
        factories.application(
            candidate=factories.CandidateFactory(source="agency"), requisition_obj=req
        )
    for day, kind in [(1, "screen"), (2, "interview"), (3, "screen"), (4, "interview"),
                      (5, "offer")]:  # fmt: skip
        with at(day):
            application = application_move(
                application=application, to_stage=stage(req, kind), actor=req.recruiter
            )
    with at(6):
        reports_refresh()
    rows = table(logged_in(req.recruiter), "sources")
    assert rows["Agency"] == [2, 1, 1, 0, "0%"]


def test_a_filter_narrows_every_figure(history: Any) -> None:
    rows = table(logged_in(history.recruiter), "funnel", "?source=referral")
    assert rows["Applied"] == [2, 1, 0, 0, 1, "50%"]
    rows = table(logged_in(history.recruiter), "funnel", "?start=2026-03-03")
    assert rows == {}


def test_the_csv_holds_the_table(history: Any) -> None:
    response = logged_in(history.recruiter).get("/reports/funnel/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][:2] == ["Stage", "Entered"]
    assert lines[1][:2] == ["Applied", "4"]


def test_the_chart_is_an_svg_with_a_text_alternative(history: Any) -> None:
    page = logged_in(history.recruiter).get("/reports/funnel/").content.decode()
    assert '<svg class="report-chart" role="img"' in page
    assert '<desc id="chart-desc">Applied: 4;' in page


def test_the_page_says_how_old_the_figures_are(history: Any) -> None:
    page = logged_in(history.recruiter).get("/reports/funnel/").content.decode()
    assert "Figures as of" in page and "refreshed every 15 minutes" in page


def test_a_refresh_run_twice_gives_the_same_table(history: Any) -> None:
    first = ReportsRefresh.objects.get().stays
    assert reports_refresh().stays == first == 10


def test_a_hiring_manager_sees_their_requisitions_only(history: Any, make_user: Any) -> None:
    assert table(logged_in(history.hiring_manager), "funnel")["Applied"][0] == 4
    other = make_user(HIRING_MANAGER)
    assert table(logged_in(other), "funnel") == {}


@pytest.mark.parametrize(
    "name", ["funnel", "time-in-stage", "sources", "offers", "interviewer-load"]
)
def test_interviewers_have_no_reports(history: Any, make_user: Any, name: str) -> None:
    assert logged_in(make_user(INTERVIEWER)).get(f"/reports/{name}/").status_code == 403


def test_the_offers_report_shows_no_amounts(history: Any, make_user: Any) -> None:
    application = factories.application(requisition_obj=history)
    application = application_move(
        application=application, to_stage=stage(history, "offer"), actor=history.recruiter
    )
    offer = factories.offer(application_obj=application)
    Offer.objects.filter(pk=offer.pk).update(
        status="accepted",
        sent_at=DAY0 + dt.timedelta(days=8),
        responded_at=DAY0 + dt.timedelta(days=9),
    )
    factories.decision(application_obj=application, at=DAY0 + dt.timedelta(days=7))
    for role in (RECRUITER, ADMIN):
        response = logged_in(make_user(role)).get("/reports/offers/")
        rows = {str(r[0]): r[1] for r in response.context["report"].rows}
        assert rows["Accepted"] == 1 and rows["Acceptance rate (of those answered)"] == "100%"
        assert rows["Median days from decision to offer sent"] == 1
        assert rows["Median days from offer sent to answer"] == 1
        page = response.content.decode()
        assert f"{offer.base_salary:,}" not in page and str(offer.base_salary) not in page


def test_the_interviewer_load_counts_late_scorecards(db: None) -> None:
    from tests.panels import panel

    with at(0):
        setup = panel()
    with at(1):
        factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    with at(3):
        factories.filled_scorecard(interview=setup.interview, interviewer=setup.second)
    rows = logged_in(setup.recruiter).get("/reports/interviewer-load/").context["report"].rows
    by_person = {r[1]: r[2:] for r in rows}
    assert by_person["Ines Interviewer"] == [1, 1, 0]
    assert by_person["Ivo Interviewer"] == [1, 1, 1]  # two days after: late


@pytest.mark.parametrize(
    "query",
    [
        "?start=2026-13-01",
        "?requisition=abc",
        "?source=nowhere",
        "?start=2026-03-05&end=2026-03-01",
        "?requisition=99999999999999",
    ],
)
def test_bad_filters_are_a_400_with_the_field_named(history: Any, query: str) -> None:
    response = logged_in(history.recruiter).get(f"/reports/funnel/{query}")
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()


def test_an_unknown_report_is_a_404(history: Any) -> None:
    assert logged_in(history.recruiter).get("/reports/nothing/").status_code == 404


@pytest.mark.parametrize(
    "name", ["funnel", "time-in-stage", "sources", "offers", "interviewer-load"]
)
def test_each_report_costs_a_constant_number_of_queries(
    history: Any, name: str, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(history.recruiter)
    with django_assert_max_num_queries(7):
        client.get(f"/reports/{name}/")
