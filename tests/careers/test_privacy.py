"""What a candidate sent from the careers page is exported with their data and erased with it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hiring.careers.models import ApplyAttempt, Submission
from hiring.careers.rules import CONSENT_VERSION
from hiring.pipeline.models import Application
from hiring.pipeline.services.applications import application_end
from hiring.privacy.selectors.export import export_data
from hiring.privacy.services.erasure import candidate_anonymise
from tests.careers.support import apply_body, published_posting

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def application() -> Any:
    posting = published_posting()
    Client().post(f"/careers/{posting.slug}/apply/", apply_body(posting))
    return Application.objects.select_related("candidate").get()


def test_the_export_holds_the_consent_and_the_answers(application: Any) -> None:
    data = export_data(application.candidate)
    sent = data["applications"][0]["careers_page"]
    assert sent["consent"]["version"] == CONSENT_VERSION and "months" in sent["consent"]["text"]
    assert sent["answers"][0]["answer"] == "Answer 0" and sent["source"] == "careers page"


def test_erasing_removes_the_answers_and_the_attempts_email_key(application: Any) -> None:
    assert ApplyAttempt.objects.exclude(email_key="").exists()
    application_end(application=application, status="withdrawn", reason="Compensation",
                    actor=application.requisition.recruiter)  # fmt: skip
    candidate_anonymise(candidate=application.candidate, actor=None)
    submission = Submission.objects.get()
    assert submission.answers == [] and submission.consent_version == CONSENT_VERSION
    assert not ApplyAttempt.objects.exclude(email_key="").exists()
