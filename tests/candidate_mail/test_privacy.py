"""The e-mails to a candidate are in their data export, and erasing them erases the e-mails
(address, text, invite) and stops one still waiting for the morning."""

from __future__ import annotations

from typing import Any

import pytest

from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import MailKind
from hiring.candidate_mail.services.rejections import (
    RejectionEmail,
    application_reject_with_email,
)
from hiring.notifications.delivery import message_send
from hiring.notifications.models import OutboxMessage
from hiring.pipeline.rules import REJECTION_REASONS
from hiring.privacy.selectors.export import export_data
from hiring.privacy.services.erasure import candidate_anonymise
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


def _rejected_with_email() -> Any:
    person = factories.CandidateFactory(name="Ada Lovelace", email="ada@example.org")
    application = factories.application(candidate=person, via="careers")
    template = EmailTemplate.objects.get(kind=MailKind.NOT_MOVING_FORWARD)
    application_reject_with_email(
        application=application,
        reason=REJECTION_REASONS[0],
        email=RejectionEmail(template.subject, template.body),
        actor=application.requisition.recruiter,
    )
    return application


def test_the_export_lists_the_e_mails_sent_to_the_candidate() -> None:
    application = _rejected_with_email()
    data = export_data(application.candidate)
    subjects = [m["subject"] for m in data["candidate_emails"]]
    assert len(subjects) == 2 and all(
        m["to"] == "ada@example.org" for m in data["candidate_emails"]
    )
    assert f"We received your application: {application.requisition.title}" in subjects


def test_erasing_the_candidate_erases_their_e_mails_and_stops_the_waiting_one(
    smtp_server: Any,
) -> None:
    application = _rejected_with_email()
    candidate_anonymise(candidate=application.candidate, actor=None)
    rows = OutboxMessage.objects.filter(subject_id=application.pk)
    assert not rows.filter(to="ada@example.org").exists()
    assert set(rows.values_list("body", flat=True)) == {""}
    waiting = rows.get(claim_key__contains="rejection")
    assert waiting.status == "failed"
    assert message_send(message_id=waiting.pk) == "skipped"
    assert smtp_server.messages == []
