"""Applying from a posting: the application lands in the first stage with its consent and
answers, the recruiter is told; dedupe, double applications, spam checks, rate limits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hiring import events
from hiring.careers.models import ApplyAttempt, Submission
from hiring.careers.rules import CONSENT_VERSION, PER_ADDRESS, PER_EMAIL
from hiring.careers.services.applying import form_token
from hiring.models import AuditEntry
from hiring.notifications.models import Notification
from hiring.pipeline.models import Application, Candidate, StageChange
from tests import factories
from tests.careers.support import apply_body, published_posting

pytestmark = pytest.mark.usefixtures("playbook")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def posting() -> Any:
    return published_posting()


@pytest.fixture
def received() -> Iterator[list[events.Event]]:
    """The domain events emitted during the test."""
    seen: list[events.Event] = []
    events.subscribe("careers-test", seen.append)
    yield seen
    events._listeners.pop("careers-test", None)


def apply(client: Client, posting: Any, query: str = "", **changes: Any) -> Any:
    return client.post(f"/careers/{posting.slug}/apply/{query}", apply_body(posting, **changes))


def written() -> tuple[int, ...]:
    return (Candidate.objects.count(), Application.objects.count(), Submission.objects.count(),
            StageChange.objects.count(), Notification.objects.count())  # fmt: skip


def test_an_application_lands_in_the_first_stage_with_consent_and_answers(
    client: Client, posting: Any, received: list[events.Event], settings: Any
) -> None:
    settings.RETENTION_MONTHS = 18
    response = apply(client, posting)
    assert response.status_code == 302 and "/careers/status/" in response["Location"]
    application = Application.objects.select_related("candidate", "stage").get()
    assert application.stage.position == 0 and application.requisition_id == posting.requisition_id
    assert application.candidate.email == "ada@example.org"
    assert application.candidate.source == "inbound"
    submission = Submission.objects.get(application=application)
    assert submission.source == "careers page"
    assert submission.consent_version == CONSENT_VERSION and submission.retention_months == 18
    assert (
        "18 months" in submission.consent_text and settings.COMPANY_NAME in submission.consent_text
    )
    assert [a["question"] for a in submission.answers] == posting.questions
    assert submission.answers[0]["answer"] == "Answer 0"
    created = [e for e in received if e.name == "application.created"]
    assert len(created) == 1 and created[0].subject_id == application.pk
    assert created[0].data["source"] == "careers page" and created[0].data["via"] == "careers"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you: we have your application" in page and "Application received" in page


def test_the_recruiter_is_notified_in_their_inbox(client: Client, posting: Any) -> None:
    apply(client, posting)
    notice = Notification.objects.get()
    assert notice.recipient_id == posting.requisition.recruiter_id
    assert notice.kind == "careers_application" and "Ada Lovelace" in notice.title
    recruiter = Client()
    recruiter.force_login(posting.requisition.recruiter)
    assert "Ada Lovelace" in recruiter.get("/notifications/").content.decode()
    board = recruiter.get(f"/requisitions/{posting.requisition_id}/board/").content.decode()
    assert "Ada Lovelace" in board


def test_the_source_of_the_link_is_kept(client: Client, posting: Any) -> None:
    apply(client, posting, query="?source=Referral")
    assert Submission.objects.get().source == "referral"
    assert Candidate.objects.get().source == "referral"
    apply(client, published_posting(), query="?source=LinkedIn <b>", email="b@example.org")
    assert Submission.objects.get(application__candidate__email="b@example.org").source == (
        "linkedin b"
    )


def test_the_timeline_shows_the_application_and_its_answers(client: Client, posting: Any) -> None:
    apply(client, posting)
    recruiter = Client()
    recruiter.force_login(posting.requisition.recruiter)
    candidate = Candidate.objects.get()
    page = recruiter.get(f"/candidates/{candidate.pk}/timeline/").content.decode()
    assert "Applied on the careers page" in page and "Answer 0" in page


def test_a_known_email_attaches_the_application_to_the_existing_candidate(
    client: Client, posting: Any
) -> None:
    known = factories.CandidateFactory(email="ada@example.org", phone="", location="")
    factories.application(candidate=known)
    apply(client, posting, email=" ADA@example.org ", phone="+44 20 7946 0000")
    assert Candidate.objects.count() == 1
    known.refresh_from_db()
    assert known.applications.count() == 2 and known.phone == "+44 20 7946 0000"
    assert known.location == "London, UK"  # empty before: filled in


def test_a_known_candidates_filled_fields_are_never_overwritten(
    client: Client, posting: Any
) -> None:
    known = factories.CandidateFactory(email="ada@example.org", name="Ada King", location="Paris")
    apply(client, posting)
    known.refresh_from_db()
    assert (known.name, known.location) == ("Ada King", "Paris")


def test_applying_twice_to_one_requisition_is_refused_with_the_date_of_the_first(
    client: Client, posting: Any
) -> None:
    apply(client, posting)
    first = Application.objects.get()
    before = written()
    response = apply(client, posting, email="Ada@Example.org")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"You applied to {posting.requisition.title} on" in page
    assert f"{first.created_at:%B %Y}" in page and "no need to apply again" in page
    assert written() == before


def test_the_honeypot_refuses_and_writes_nothing_but_the_attempt(
    client: Client, posting: Any
) -> None:
    before, audit = written(), AuditEntry.objects.count()
    response = apply(client, posting, website="https://spam.example")
    assert response.status_code == 200 and "was not sent" in response.content.decode()
    assert written() == before and AuditEntry.objects.count() == audit
    attempt = ApplyAttempt.objects.get()
    assert attempt.outcome == "honeypot"
    stored = " ".join(str(v) for v in ApplyAttempt.objects.values().get().values())
    for content in ("ada@example.org", "Ada", "spam.example", "127.0.0.1"):
        assert content not in stored  # refused attempts are logged without their content


def test_a_form_sent_within_seconds_of_being_shown_is_refused(client: Client, posting: Any) -> None:
    response = apply(client, posting, form_token=form_token(posting.pk))
    assert "quicker than a person fills the form" in response.content.decode()
    assert not Application.objects.exists()
    assert ApplyAttempt.objects.get().outcome == "too_fast"


@pytest.mark.parametrize(
    "token",
    ["", "forged", "stale"],
)
def test_a_missing_forged_or_expired_form_stamp_is_refused(
    client: Client, posting: Any, token: str
) -> None:
    if token == "stale":
        token = form_token(posting.pk, now=time.time() - 13 * 3600)
    response = apply(client, posting, form_token=token)
    page = response.content.decode()
    assert "The form had expired" in page and not Application.objects.exists()
    assert 'name="form_token"' in page and f'value="{token}"' not in page  # a fresh stamp


def test_a_stamp_of_another_posting_is_refused(client: Client, posting: Any) -> None:
    other = published_posting()
    response = apply(client, posting, form_token=form_token(other.pk, now=time.time() - 10))
    assert "for another job" in response.content.decode()


def test_too_many_attempts_from_one_address_are_refused(client: Client, posting: Any) -> None:
    for n in range(PER_ADDRESS):
        apply(client, posting, email=f"person{n}@example.org", consent=None)
    response = apply(client, posting, email="last@example.org")
    assert response.status_code == 429
    assert "Too many applications came from your network" in response.content.decode()
    assert not Application.objects.exists()
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert apply(other, posting, email="last@example.org").status_code == 302


def test_too_many_attempts_for_one_email_are_refused(posting: Any) -> None:
    for n in range(PER_EMAIL):
        apply(Client(REMOTE_ADDR=f"10.0.1.{n}"), posting, consent=None)
    response = apply(Client(REMOTE_ADDR="10.0.2.1"), posting)
    assert response.status_code == 429
    assert "Too many attempts for this e-mail address" in response.content.decode()
    assert ApplyAttempt.objects.filter(outcome="rate_email").count() == 1


def test_the_consent_is_required_and_its_retention_period_shown(
    client: Client, posting: Any, settings: Any
) -> None:
    settings.RETENTION_MONTHS = 30
    page = client.get(f"/careers/{posting.slug}/").content.decode()
    assert "kept for 30 months" in page
    response = apply(client, posting, consent=None)
    assert "only consider your application with your consent" in response.content.decode()
    assert not Application.objects.exists()


def test_a_resume_is_checked_by_its_content(client: Client, posting: Any) -> None:
    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")
    response = apply(client, posting, resume=fake)
    assert "checked by its content" in response.content.decode()
    assert not Candidate.objects.exists()
    real = SimpleUploadedFile("cv.pdf", PDF, "application/pdf")
    assert apply(client, posting, resume=real).status_code == 302
    assert Candidate.objects.get().resume_content_type == "application/pdf"


def test_the_form_asks_for_shipped_work_before_credentials(client: Client, posting: Any) -> None:
    page = client.get(f"/careers/{posting.slug}/").content.decode()
    assert page.index("Systems you have shipped") < page.index("Degrees (optional)")
    assert page.index(posting.questions[0][:30]) < page.index("Credentials (optional)")
    assert 'name="degrees"' in page and "Credentials (optional)" in page


def test_an_unpublished_posting_takes_no_application(client: Client, posting: Any) -> None:
    published_posting(requisition=posting.requisition, slug=posting.slug, published=False)
    assert apply(client, posting).status_code == 404
    assert not Application.objects.exists()


def test_field_errors_show_in_the_page_and_nothing_is_written(client: Client, posting: Any) -> None:
    before = written()
    response = apply(client, posting, email="not-an-email", name="", portfolio_url="ftp://x")
    page = response.content.decode()
    assert response.status_code == 200 and "Your application was not sent yet" in page
    assert "Enter a valid email address" in page and "This field is required" in page
    assert written() == before
    assert ApplyAttempt.objects.get().outcome == "invalid"
