"""The live scorecard: open, autosave and its 409, submit, lock, reopen, blind feedback."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.models import (
    Question,
    RedFlag,
    Scorecard,
    ScorecardAnswer,
    ScorecardChange,
    ScorecardRedFlag,
)
from assessments.rules import ScorecardStatus
from assessments.services.bank import question_new_version
from assessments.services.scorecards import (
    changes_from_data,
    scorecard_autosave,
    scorecard_open,
    scorecard_reopen,
    scorecard_submit,
)
from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.permissions import ADMIN
from tests import factories
from tests.panels import Panel, panel

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def setup(db: None) -> Panel:
    return panel()


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def save(client: Client, card: Scorecard, body: dict[str, Any]) -> Any:
    return client.post(
        f"/scorecards/{card.pk}/save/", json.dumps(body), content_type="application/json"
    )


def first_answer(card: Scorecard) -> ScorecardAnswer:
    return card.answers.select_related("question_version__question").order_by("id").first()


# Opening -------------------------------------------------------------------------------------


def test_opening_creates_a_row_per_assigned_question_and_per_red_flag(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    assert card.answers.count() == setup.interview.questions.count() == 6
    assert card.red_flags.count() == RedFlag.objects.count() == 8
    assert not card.red_flags.filter(raised=True).exists()
    assert scorecard_open(interview=setup.interview, interviewer=setup.first).pk == card.pk


def test_the_scorecard_records_the_question_version_that_was_asked(setup: Panel) -> None:
    question = Question.objects.get(key="worst-production-failure")
    asked = question.current_version
    question_new_version(question=question, wording={"text": "A reworded question"}, actor=None)

    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    answer = card.answers.get(question_version__question=question)
    assert answer.question_version == asked
    page = logged_in(setup.first).get(f"/interviews/{setup.interview.pk}/scorecard/")
    assert asked.text in page.content.decode()
    assert "A reworded question" not in page.content.decode()
    assert f"asked as version {asked.version}" in page.content.decode()


def test_questions_assigned_to_one_interviewer_are_only_on_their_scorecard(db: None) -> None:
    from assessments.services.interviews import QuestionAssignment

    setup = panel(interviewers=2)
    q1, q2 = (Question.objects.get(number=n).current_version for n in (1, 2))
    interview = factories.scheduled_interview(
        application_obj=setup.application,
        interviewers=[setup.first, setup.second],
        questions=[QuestionAssignment(q1, setup.first), QuestionAssignment(q2, None)],
    )
    mine = scorecard_open(interview=interview, interviewer=setup.first)
    theirs = scorecard_open(interview=interview, interviewer=setup.second)
    assert set(mine.answers.values_list("question_version", flat=True)) == {q1.pk, q2.pk}
    assert set(theirs.answers.values_list("question_version", flat=True)) == {q2.pk}


# Autosave ------------------------------------------------------------------------------------


def test_autosave_changes_only_the_fields_sent_and_moves_the_version_on(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    answer = first_answer(card)
    response = save(
        logged_in(setup.first),
        card,
        {
            "version": 1,
            "answers": [{"question_version": answer.question_version_id, "notes": "Pager at 3am"}],
        },
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    answer.refresh_from_db()
    card.refresh_from_db()
    assert (answer.notes, answer.rating, card.version, card.summary) == (
        "Pager at 3am",
        None,
        2,
        "",
    )


def test_autosave_is_one_conditional_update_plus_the_changed_answer(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    answer = first_answer(card)
    version, changes = changes_from_data(
        {"version": 1, "answers": [{"question_version": answer.question_version_id, "notes": "x"}]}
    )
    with CaptureQueriesContext(connection) as queries:
        scorecard_autosave(
            scorecard_id=card.pk, actor=setup.first, version=version, changes=changes
        )
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 2
    assert all(s.startswith("UPDATE") for s in statements)
    scorecard_update, answer_update = statements
    assert "assessments_scorecard" in scorecard_update
    assert '"version"' in scorecard_update.split("WHERE")[1]  # the optimistic check
    assert "assessments_scorecardanswer" in answer_update


def test_stale_scorecard_save_is_refused_with_409_and_the_saved_state(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    answer = first_answer(card)
    qv = answer.question_version_id
    client = logged_in(setup.first)
    assert (
        save(
            client, card, {"version": 1, "answers": [{"question_version": qv, "notes": "Tab A"}]}
        ).status_code
        == 200
    )

    stale = save(
        client, card, {"version": 1, "answers": [{"question_version": qv, "notes": "Tab B"}]}
    )

    assert stale.status_code == 409
    body = stale.json()
    assert "another tab" in body["detail"]
    assert body["current"]["version"] == 2
    assert {"question_version": qv, "rating": None, "notes": "Tab A"} in body["current"]["answers"]
    answer.refresh_from_db()
    assert answer.notes == "Tab A"  # the stale save wrote nothing
    merged = save(
        client,
        card,
        {"version": 2, "answers": [{"question_version": qv, "notes": "Tab A\n\nTab B"}]},
    )
    assert merged.status_code == 200
    answer.refresh_from_db()
    assert answer.notes == "Tab A\n\nTab B"


def test_a_refused_save_writes_nothing_at_all(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    body = {
        "version": 1,
        "summary": "kept?",
        "answers": [{"question_version": 999999, "notes": "?"}],
    }
    response = save(logged_in(setup.first), card, body)
    assert response.status_code == 400
    assert "rating-999999" in response.json()["fields"]
    card.refresh_from_db()
    assert (card.version, card.summary) == (1, "")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": [{"question_version": 1, "rating": 7}]}, "rating-1"),
        ({"summary": "nul \x00 byte"}, "summary"),
        ({"summary": 12}, "summary"),
        ({"recommendation": "maybe"}, "recommendation"),
        ({"red_flags": [{"red_flag": "x", "raised": "yes"}]}, "flag-x"),
        ({"answers": "nope"}, "answers"),
    ],
)
def test_bad_autosave_input_is_a_400_naming_the_field(
    setup: Panel, body: dict[str, Any], field: str
) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    response = save(logged_in(setup.first), card, {"version": 1, **body})
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_autosave_of_someone_elses_scorecard_is_a_404(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    response = save(logged_in(setup.second), card, {"version": 1, "summary": "mine now"})
    assert response.status_code == 404
    assert save(Client(), card, {"version": 1}).status_code == 401
    card.refresh_from_db()
    assert card.summary == ""


@pytest.mark.parametrize("version", ["²", "٣", "1²"])
def test_autosave_with_a_version_in_other_digits_is_a_clear_400(setup: Panel, version: str) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    response = save(logged_in(setup.first), card, {"version": version, "summary": "x"})
    assert response.status_code == 400
    assert response.json()["fields"]["version"] == [
        "The version this save is based on (a positive whole number)."
    ]
    card.refresh_from_db()
    assert (card.version, card.summary) == (1, "")


def test_not_json_is_a_400(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    response = logged_in(setup.first).post(
        f"/scorecards/{card.pk}/save/", "not json{", content_type="application/json"
    )
    assert response.status_code == 400


# Submitting ----------------------------------------------------------------------------------


def test_incomplete_submission_is_refused_naming_the_fields(setup: Panel) -> None:
    card = factories.filled_scorecard(
        interview=setup.interview, interviewer=setup.first, submit=False, recommendation=""
    )
    answer = first_answer(card)
    version, changes = changes_from_data(
        {
            "version": card.version,
            "answers": [{"question_version": answer.question_version_id, "rating": None}],
            "red_flags": [
                {"red_flag": "every-project-successful", "raised": True, "evidence": " "}
            ],
        }
    )
    saved = scorecard_autosave(
        scorecard_id=card.pk, actor=setup.first, version=version, changes=changes
    )

    with pytest.raises(DomainError) as refused:
        scorecard_submit(scorecard=card, actor=setup.first, version=saved.version)

    fields = refused.value.fields
    assert set(fields) == {
        f"rating-{answer.question_version_id}",
        "evidence-every-project-successful",
        "recommendation",
    }
    assert "Q1" in refused.value.message and "Every Project Was Successful" in refused.value.message
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT


def test_submitting_from_the_page_shows_what_is_missing_in_the_page(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    answer = first_answer(card)
    data = {
        "version": "1",
        "action": "submit",
        f"notes-{answer.question_version_id}": "Typed <b>notes</b>",
        "flag-every-project-successful": "on",
        "evidence-every-project-successful": "",
    }
    response = logged_in(setup.first).post(
        f"/interviews/{setup.interview.pk}/scorecard/post/", data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rate Q1 before submitting." in html
    assert "Write a line of evidence for &#x27;Every Project Was Successful&#x27;" in html
    assert "Typed &lt;b&gt;notes&lt;/b&gt;" in html  # kept, and escaped
    answer.refresh_from_db()
    assert answer.notes == "Typed <b>notes</b>"  # the draft was saved even though not submitted


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("version", "²", "The version this save is based on"),
        ("rating", "٣", "A rating is 1, 2, 3 or 4."),  # an Arabic-Indic three is not a 3
    ],
)
def test_the_scorecard_form_with_a_digit_of_another_script_is_a_clear_400(
    setup: Panel, field: str, value: str, message: str
) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    answer = first_answer(card)
    name = f"rating-{answer.question_version_id}" if field == "rating" else field
    data = {"version": "1", "action": "save", "summary": "Kept", name: value}
    response = logged_in(setup.first).post(
        f"/interviews/{setup.interview.pk}/scorecard/post/", data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    card.refresh_from_db()
    assert (card.version, card.summary) == (1, "")


def test_a_submitted_scorecard_is_locked(setup: Panel) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    assert card.status == ScorecardStatus.SUBMITTED
    response = save(logged_in(setup.first), card, {"version": card.version, "summary": "later"})
    assert response.status_code == 409
    assert "locked" in response.json()["detail"]
    page = logged_in(setup.first).get(f"/interviews/{setup.interview.pk}/scorecard/")
    assert "this scorecard is locked" in page.content.decode()
    assert 'class="sc-lock" disabled' in page.content.decode()


def test_stale_submit_from_the_page_shows_both_texts(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    client = logged_in(setup.first)
    assert save(client, card, {"version": 1, "summary": "From the laptop"}).status_code == 200
    response = client.post(
        f"/interviews/{setup.interview.pk}/scorecard/post/",
        {"version": "1", "action": "save", "summary": "From the phone"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "From the laptop" in html and "From the phone" in html
    assert 'name="version" value="2"' in html


def test_an_admin_reopens_a_submitted_scorecard_and_it_is_audited(setup: Panel) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    admin = factories.UserFactory(roles=[ADMIN])
    response = logged_in(admin).post(
        f"/scorecards/{card.pk}/reopen/", {"reason": "Wrong candidate"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT and card.submitted_at is None
    entry = AuditEntry.objects.get(action="scorecard.reopen")
    assert entry.actor == admin and entry.after["reason"] == "Wrong candidate"
    assert logged_in(setup.first).post(f"/scorecards/{card.pk}/reopen/").status_code == 403


def test_submitting_and_reopening_each_record_the_move_who_made_it_and_why(setup: Panel) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    admin = factories.UserFactory(roles=[ADMIN])
    scorecard_reopen(scorecard=card, actor=admin, reason="Rated the wrong candidate")
    moves = [
        (c.from_status, c.to_status, c.actor, c.reason)
        for c in ScorecardChange.objects.filter(scorecard=card)
    ]
    assert moves == [
        ("draft", "submitted", setup.first, ""),
        ("submitted", "draft", admin, "Rated the wrong candidate"),
    ]


def test_submitting_a_submitted_scorecard_is_refused_with_409_and_records_nothing(
    setup: Panel,
) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    with pytest.raises(DomainError) as refused:
        scorecard_submit(scorecard=card, actor=setup.first, version=card.version)
    assert refused.value.status == 409
    assert ScorecardChange.objects.filter(scorecard=card).count() == 1


def test_reopening_a_draft_is_refused(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    with pytest.raises(DomainError, match="Only a submitted scorecard") as refused:
        scorecard_reopen(scorecard=card, actor=None)
    assert refused.value.status == 409
    assert not ScorecardChange.objects.exists()


# Blind feedback --------------------------------------------------------------------------------


def visible_ids(user: Any) -> set[int]:
    response = logged_in(user).get("/api/scorecards/")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_an_interviewer_sees_the_panel_only_after_submitting(setup: Panel) -> None:
    theirs = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    mine = scorecard_open(interview=setup.interview, interviewer=setup.second)

    assert visible_ids(setup.second) == {mine.pk}
    page = logged_in(setup.second).get(f"/interviews/{setup.interview.pk}/scorecard/")
    assert "stay hidden until you submit yours" in page.content.decode()
    assert theirs.summary not in page.content.decode()
    assert logged_in(setup.second).get(f"/api/scorecards/{theirs.pk}/").status_code == 404

    factories.filled_scorecard(interview=setup.interview, interviewer=setup.second, summary="Mine.")

    assert visible_ids(setup.second) == {mine.pk, theirs.pk}
    page = logged_in(setup.second).get(f"/interviews/{setup.interview.pk}/scorecard/")
    assert theirs.summary in page.content.decode()


def test_a_second_interview_still_owed_keeps_the_panel_hidden(setup: Panel) -> None:
    other = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    factories.filled_scorecard(interview=setup.interview, interviewer=setup.second)
    later = factories.scheduled_interview(
        application_obj=setup.application, interviewers=[setup.second], round_name="Round two"
    )
    scorecard_open(interview=later, interviewer=setup.second)
    assert other.pk not in visible_ids(setup.second)


def test_nobody_else_sees_a_draft(setup: Panel) -> None:
    draft = factories.filled_scorecard(
        interview=setup.interview, interviewer=setup.first, submit=False
    )
    admin = factories.UserFactory(roles=[ADMIN])
    for user in (setup.recruiter, setup.manager, admin, setup.second):
        assert draft.pk not in visible_ids(user)
    assert draft.pk in visible_ids(setup.first)


@pytest.mark.parametrize("role", ["recruiter", "manager", "admin"])
def test_recruiters_managers_and_admins_see_submitted_scorecards(setup: Panel, role: str) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    user = {
        "recruiter": setup.recruiter,
        "manager": setup.manager,
        "admin": factories.UserFactory(roles=[ADMIN]),
    }[role]
    assert card.pk in visible_ids(user)


def test_another_requisitions_hiring_manager_does_not_see_them(
    setup: Panel, make_user: Callable[..., Any]
) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    other = make_user("Hiring manager")
    assert card.pk not in visible_ids(other)
    assert logged_in(other).get(f"/applications/{setup.application.pk}/debrief/").status_code == 404


def test_every_red_flag_row_exists_so_unticking_keeps_the_evidence(setup: Panel) -> None:
    card = scorecard_open(interview=setup.interview, interviewer=setup.first)
    client = logged_in(setup.first)
    flag = {"red_flag": "name-drops-without-depth"}
    save(
        client,
        card,
        {"version": 1, "red_flags": [{**flag, "raised": True, "evidence": "Kubeflow"}]},
    )
    save(client, card, {"version": 2, "red_flags": [{**flag, "raised": False}]})
    row = ScorecardRedFlag.objects.get(scorecard=card, red_flag__key=flag["red_flag"])
    assert (row.raised, row.evidence) == (False, "Kubeflow")


def test_a_hiring_manager_interviewing_for_another_requisition_is_blind_too(setup: Panel) -> None:
    from hiring.permissions import HIRING_MANAGER, INTERVIEWER

    guest = factories.UserFactory(roles=[HIRING_MANAGER, INTERVIEWER])
    factories.scheduled_interview(
        application_obj=setup.application, interviewers=[guest], round_name="Guest round"
    )
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    assert card.pk not in visible_ids(guest)
    debrief = logged_in(guest).get(f"/applications/{setup.application.pk}/debrief/")
    assert debrief.status_code == 404
    summary = logged_in(guest).get(f"/api/applications/{setup.application.pk}/summary/")
    assert summary.status_code == 404


def test_the_scorecard_page_costs_the_same_queries_for_2_or_6_questions(
    db: None, django_assert_max_num_queries: Any
) -> None:
    from assessments.services.interviews import QuestionAssignment

    setup = panel(interviewers=1)  # the whole loop: 6 questions
    short = factories.scheduled_interview(
        application_obj=setup.application,
        interviewers=[setup.first],
        questions=[
            QuestionAssignment(Question.objects.get(number=n).current_version) for n in (1, 2)
        ],
    )
    client = logged_in(setup.first)
    counts = []
    for interview in (short, setup.interview):
        url = f"/interviews/{interview.pk}/scorecard/"
        client.get(url)  # the first open creates the rows
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(18):
        client.get(f"/interviews/{setup.interview.pk}/scorecard/")
