"""The calibration page: alpha per question and over all, each interviewer's offset; an
interviewer's own figures on their own page and nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.panels import Panel, panel

pytestmark = pytest.mark.usefixtures("playbook")


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def second_candidate(setup: Panel) -> Any:
    application = factories.application(requisition_obj=setup.requisition)
    return factories.scheduled_interview(
        application_obj=application, interviewers=[setup.first, setup.second]
    )


def rate(interview: Any, first: Any, second: Any, a: dict[int, int], b: dict[int, int]) -> None:
    factories.filled_scorecard(interview=interview, interviewer=first, rating=a)
    factories.filled_scorecard(interview=interview, interviewer=second, rating=b)


def test_one_candidate_is_not_enough_overlap_and_the_page_says_so() -> None:
    setup = panel()
    rate(setup.interview, setup.first, setup.second, {}, {})
    page = logged_in(setup.manager).get("/interviews/calibration/").content.decode()
    # The role's loop has 6 questions: 6 (candidate, question) pairs, rated by both.
    assert "not enough overlapping ratings yet (n = 6" in page
    assert "α =" not in page


def test_two_candidates_give_an_alpha_over_all_questions_with_its_interval() -> None:
    setup = panel()
    loop = {1: 1, 2: 2, 3: 3, 4: 4, 5: 1, 6: 2}
    numbers = sorted(
        q.question_version.question.number
        for q in setup.interview.questions.select_related("question_version__question")
    )
    ratings = {n: loop[i + 1] for i, n in enumerate(numbers)}
    rate(setup.interview, setup.first, setup.second, ratings, ratings)
    rate(second_candidate(setup), setup.first, setup.second, ratings, ratings)

    response = logged_in(setup.manager).get("/interviews/calibration/")
    overall = response.context["page"].overall
    assert overall.n == 12 and overall.alpha == pytest.approx(1.0)  # they agree on every pair
    assert "α = 1.00" in response.content.decode()
    # Per question: 2 candidates each, below the minimum.
    questions = response.context["page"].questions
    assert all(q.reliability.n == 2 and not q.reliability.enough for q in questions)


def test_the_page_costs_the_same_queries_for_one_or_three_candidates(
    django_assert_max_num_queries: Any,
) -> None:
    setup = panel()
    rate(setup.interview, setup.first, setup.second, {}, {})
    client = logged_in(setup.manager)
    with django_assert_max_num_queries(12) as one:
        client.get("/interviews/calibration/")
    for _ in range(2):
        rate(second_candidate(setup), setup.first, setup.second, {}, {})
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/interviews/calibration/")


def test_an_interviewer_sees_their_own_figures_and_nobody_elses() -> None:
    setup = panel()
    rate(setup.interview, setup.first, setup.second, dict.fromkeys(range(1, 9), 4), {})
    client = logged_in(setup.first)
    assert client.get("/interviews/calibration/").status_code == 403
    response = client.get("/interviews/calibration/mine/")
    assert response.status_code == 200
    row = response.context["row"]
    assert row.user == setup.first
    assert row.agreement.leniency == pytest.approx(1.0)  # 4 against the other's 3
    page = response.content.decode()
    assert "+1.0" in page
    assert "Ivo" not in page  # the other interviewer's name and figures are not shown
    assert "α =" not in page


def test_an_interviewer_without_scorecards_sees_an_empty_state() -> None:
    setup = panel()
    page = logged_in(setup.first).get("/interviews/calibration/mine/").content.decode()
    assert "No submitted scorecards yet" in page


def test_a_recruiter_has_no_calibration_page_of_their_own() -> None:
    setup = panel()
    assert logged_in(setup.recruiter).get("/interviews/calibration/mine/").status_code == 403
