"""The candidate's status page: a signed link per application, where they stand in plain
words, their upcoming interviews; nothing internal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hiring.careers.links import status_link, status_path
from hiring.pipeline.models import StageKind
from hiring.pipeline.rules import REJECTION_REASONS
from hiring.pipeline.services.applications import application_end, application_move, note_add
from hiring.privacy.services.erasure import candidate_anonymise
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def application() -> Any:
    candidate = factories.CandidateFactory(name="Grace Hopper")
    return factories.application(candidate=candidate)


def page(application: Any) -> str:
    response = Client().get(status_path(application.pk))
    assert response.status_code == 200
    return response.content.decode()


def move(application: Any, kind: str) -> None:
    stage = application.requisition.stages.get(kind=kind)
    application_move(
        application=application, to_stage=stage, actor=application.requisition.recruiter
    )


def test_status_link_is_absolute_on_the_sites_address(application: Any, settings: Any) -> None:
    settings.SITE_URL = "https://jobs.example.com"
    link = status_link(application)
    assert link.startswith("https://jobs.example.com/careers/status/")
    assert link.endswith(status_path(application.pk)) and link == status_link(application)


def test_a_new_application_reads_received(application: Any) -> None:
    text = page(application)
    assert "Application received" in text and "Grace" in text
    assert application.requisition.title in text and "None scheduled" in text


def test_an_interview_reads_interviewing_with_its_date(application: Any) -> None:
    interviewer = factories.UserFactory(roles=["Interviewer"], last_name="Secretname")
    starts = timezone.now() + dt.timedelta(days=3)
    factories.scheduled_interview(
        application_obj=application, interviewers=[interviewer], starts_at=starts,
        round_name="Internal round name",
    )  # fmt: skip
    text = page(application)
    assert "<strong>Interviewing.</strong>" in text
    assert timezone.localtime(starts).strftime("%-d %B %Y") in text
    assert "https://meet.example.com/abc-defg-hij" in text
    assert "Secretname" not in text and "Internal round name" not in text


def test_the_debrief_reads_decision_pending(application: Any) -> None:
    move(application, StageKind.DEBRIEF)
    assert "<strong>Decision pending.</strong>" in page(application)


def test_the_offer_stage_reads_offer(application: Any) -> None:
    move(application, StageKind.OFFER)
    assert "<strong>Offer.</strong>" in page(application)


def test_a_rejection_reads_closed_without_its_reason(application: Any) -> None:
    reason = REJECTION_REASONS[0]
    application_end(application=application, status="rejected", reason=reason,
                    actor=application.requisition.recruiter)  # fmt: skip
    text = page(application)
    assert "<strong>Closed.</strong>" in text and reason not in text and "rejected" not in text


def test_nothing_internal_is_shown(application: Any) -> None:
    recruiter = application.requisition.recruiter
    note_add(application=application, body="Asked for 250k, strong no", actor=recruiter)
    move(application, StageKind.SCREEN)
    text = page(application)
    for internal in ("250k", "Recruiter screen", recruiter.last_name, application.candidate.email,
                     application.requisition.hiring_manager.last_name):  # fmt: skip
        assert internal not in text


def test_a_forged_link_is_a_404(client: Client, application: Any) -> None:
    token = status_path(application.pk).rstrip("/").rsplit("/", 1)[1]
    for bad in ("nope", token[:-2] + "xx", token.replace(token[:4], "AAAA")):
        response = client.get(f"/careers/status/{bad}/")
        assert response.status_code == 404
        assert "We do not recognise this link" in response.content.decode()


def test_an_erased_candidates_link_shows_nothing_of_them(application: Any) -> None:
    application_end(application=application, status="withdrawn", reason="Accepted another offer",
                    actor=application.requisition.recruiter)  # fmt: skip
    candidate_anonymise(candidate=application.candidate, actor=None)
    response = Client().get(status_path(application.pk))
    assert response.status_code == 404 and "Grace" not in response.content.decode()
