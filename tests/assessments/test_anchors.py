"""Anchored ratings: each rating button of a question carries the text that anchors it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.test import Client

from assessments.models import Question
from assessments.services.bank import question_new_version
from assessments.services.interviews import QuestionAssignment
from hiring.permissions import ADMIN
from tests import factories
from tests.panels import panel

pytestmark = pytest.mark.usefixtures("playbook")


def shipped_questions() -> dict[str, dict[str, Any]]:
    path = settings.BASE_DIR / "playbook" / "playbook.yaml"
    return {q["key"]: q for q in yaml.safe_load(path.read_text())["questions"]}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def anchor(page: str, version_pk: int, value: int) -> str | None:
    """The anchor text shown beside one rating button, or None when there is none."""
    found = re.search(rf'id="anchor-{version_pk}-{value}">(.*?)</p>', page, re.S)
    if not found:
        return None
    return re.sub(r"<[^>]+>", "", found.group(1)).replace("What to hear: ", "").strip()


def scorecard_of_all_questions() -> tuple[Any, str]:
    setup = panel()
    versions = [q.current_version for q in Question.objects.select_related("current_version")]
    interview = factories.scheduled_interview(
        application_obj=setup.application,
        interviewers=[setup.first],
        questions=[QuestionAssignment(question_version=v) for v in versions],
    )
    page = logged_in(setup.first).get(f"/interviews/{interview.pk}/scorecard/")
    assert page.status_code == 200
    return interview, page.content.decode()


def test_strong_yes_and_definitely_not_are_anchored_by_the_playbooks_own_text() -> None:
    from html import unescape

    _, page = scorecard_of_all_questions()
    shipped = shipped_questions()
    for question in Question.objects.select_related("current_version"):
        version = question.current_version
        assert unescape(anchor(page, version.pk, 4) or "") == shipped[question.key]["what_to_hear"]
        definitely_not = anchor(page, version.pk, 1)
        if shipped[question.key]["red_flag"]:
            assert unescape(definitely_not or "") == shipped[question.key]["red_flag"]
        else:
            assert definitely_not is None, f"Q{question.number} has no red-flag sentence"


def test_question_8_shows_no_definitely_not_anchor() -> None:
    _, page = scorecard_of_all_questions()
    q8 = Question.objects.select_related("current_version").get(number=8)
    assert q8.current_version.red_flag == ""
    assert anchor(page, q8.current_version.pk, 1) is None


def test_the_middle_anchors_are_empty_until_an_admin_writes_them() -> None:
    _, page = scorecard_of_all_questions()
    for version in [q.current_version for q in Question.objects.select_related("current_version")]:
        assert anchor(page, version.pk, 2) is None
        assert anchor(page, version.pk, 3) is None


def test_an_admin_writes_the_middle_anchors_as_a_new_version() -> None:
    admin = factories.UserFactory(roles=[ADMIN])
    question = Question.objects.select_related("current_version").get(key="drift-monitoring")
    before = question.current_version
    response = logged_in(admin).post(
        "/assessments/questions/drift-monitoring/edit/",
        {
            "text": before.text,
            "what_to_hear": before.what_to_hear,
            "red_flag": before.red_flag,
            "anchor_no": "Names a metric but not what it would trigger.",
            "anchor_yes": "Alerts tied to a business threshold, with one example.",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.current_version.version == before.version + 1
    assert question.current_version.anchor_no == "Names a metric but not what it would trigger."
    before.refresh_from_db()
    assert before.anchor_no == "" and before.anchor_yes == ""


def test_a_scorecard_keeps_the_anchors_it_showed_after_an_edit() -> None:
    question = Question.objects.select_related("current_version").get(key="drift-monitoring")
    question_new_version(question=question, wording={"anchor_yes": "First anchor."}, actor=None)
    question.refresh_from_db()
    interview, _ = scorecard_of_all_questions()
    shown = question.current_version
    question_new_version(question=question, wording={"anchor_yes": "Rewritten."}, actor=None)

    page = logged_in(interview.interviewers.first()).get(f"/interviews/{interview.pk}/scorecard/")
    assert anchor(page.content.decode(), shown.pk, 3) == "First anchor."
    assert "Rewritten." not in page.content.decode()


def test_each_anchored_button_is_described_by_its_anchor_for_screen_readers() -> None:
    _, page = scorecard_of_all_questions()
    version = Question.objects.select_related("current_version").get(number=1).current_version
    for value in (1, 4):
        assert f'aria-describedby="anchor-{version.pk}-{value}"' in page
    assert f'aria-describedby="anchor-{version.pk}-2"' not in page
