"""Rejecting with an e-mail: the recruiter picks a template (or none) and may edit it; it goes
out at the next business morning (never at 2 a.m.) unless sent now; a bulk rejection sends
one e-mail per candidate, each once. Received through the real SMTP server."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import MailKind
from hiring.candidate_mail.services.rejections import rejection_send_time
from hiring.notifications.models import OutboxMessage
from hiring.notifications.tasks import reminders_sweep
from hiring.pipeline.models import Application
from hiring.pipeline.rules import REJECTION_REASONS
from tests import factories
from tests.panels import eager_celery
from tests.smtp import Mailbox

pytestmark = pytest.mark.usefixtures("playbook")
UTC = dt.UTC
REASON = REJECTION_REASONS[0]
# Tuesday 3 March 2026, 02:00 in New York (the company's zone in the tests' settings).
TUESDAY_2AM = dt.datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
TUESDAY_9AM = dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def _template() -> EmailTemplate:
    return EmailTemplate.objects.get(kind=MailKind.NOT_MOVING_FORWARD)


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _application(email: str = "ada@example.org", name: str = "Ada Lovelace", **kw: Any) -> Any:
    person = factories.CandidateFactory(name=name, email=email)
    return factories.application(candidate=person, **kw)


def _sweep_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False), eager_celery():
        reminders_sweep()


@pytest.mark.parametrize(
    ("rejected_at", "goes_at"),
    [
        # 02:00 on a Tuesday: that morning at 09:00, not at 2 a.m.
        (TUESDAY_2AM, TUESDAY_9AM),
        # 10:00 on a Tuesday: Wednesday 09:00.
        (dt.datetime(2026, 3, 3, 15, tzinfo=UTC), dt.datetime(2026, 3, 4, 14, tzinfo=UTC)),
        # Friday 15:00 before the clocks change: Monday 09:00 in daylight time (13:00 UTC).
        (dt.datetime(2026, 3, 6, 20, tzinfo=UTC), dt.datetime(2026, 3, 9, 13, tzinfo=UTC)),
        # Thursday before Independence Day observed on Friday 3 July: Monday 6 July.
        (dt.datetime(2026, 7, 2, 20, tzinfo=UTC), dt.datetime(2026, 7, 6, 13, tzinfo=UTC)),
        # Saturday night: Monday 09:00.
        (dt.datetime(2026, 3, 15, 3, tzinfo=UTC), dt.datetime(2026, 3, 16, 13, tzinfo=UTC)),
    ],
)
def test_a_rejection_goes_out_at_the_next_business_morning(
    rejected_at: dt.datetime, goes_at: dt.datetime
) -> None:
    assert rejection_send_time(rejected_at) == goes_at


def test_a_rejection_at_2am_waits_for_the_morning_then_arrives_once(
    delivered: Any, smtp_server: Mailbox
) -> None:
    with time_machine.travel(TUESDAY_2AM, tick=False):
        application = _application()
        client = _signed_in(application.requisition.recruiter)
        url = f"/candidates/applications/{application.pk}/reject/"
        page = client.get(url).content.decode()
        assert _template().subject in page  # the default template, ready to edit
        data = {"reason": REASON, "template": _template().pk, "confirm": "1",
                "subject": "About {role}",
                "body": "Dear {candidate_first_name}, edited by hand."}  # fmt: skip
        response = delivered(lambda: client.post(url, data))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "rejected"
    message = OutboxMessage.objects.get(subject_id=application.pk)
    assert message.send_after == TUESDAY_9AM
    _sweep_at(TUESDAY_9AM - dt.timedelta(minutes=1))
    assert smtp_server.messages == []  # nothing at night
    _sweep_at(TUESDAY_9AM)
    _sweep_at(TUESDAY_9AM + dt.timedelta(minutes=5))  # a second sweep sends nothing again
    (received,) = smtp_server.wait_for(1)
    assert received["Subject"] == f"About {application.requisition.title}"
    assert smtp_server.text(received).strip() == "Dear Ada, edited by hand."


def test_send_now_sends_at_once(delivered: Any, smtp_server: Mailbox) -> None:
    application = _application()
    client = _signed_in(application.requisition.recruiter)
    data = {"reason": REASON, "template": _template().pk, "confirm": "1", "send_now": "on",
            "subject": _template().subject, "body": _template().body}  # fmt: skip
    delivered(lambda: client.post(f"/candidates/applications/{application.pk}/reject/", data))
    (received,) = smtp_server.wait_for(1)
    assert smtp_server.text(received).startswith("Dear Ada,")


def test_no_template_rejects_without_an_e_mail(delivered: Any) -> None:
    application = _application()
    client = _signed_in(application.requisition.recruiter)
    data = {"reason": REASON, "template": "", "confirm": "1", "subject": "", "body": ""}
    response = delivered(
        lambda: client.post(f"/candidates/applications/{application.pk}/reject/", data)
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == "rejected"
    assert not OutboxMessage.objects.exists()


def test_an_unknown_placeholder_in_the_edited_text_rejects_nothing(delivered: Any) -> None:
    application = _application()
    client = _signed_in(application.requisition.recruiter)
    data = {"reason": REASON, "template": _template().pk, "confirm": "1",
            "subject": "Hi", "body": "Dear {first_name}"}  # fmt: skip
    response = client.post(f"/candidates/applications/{application.pk}/reject/", data)
    assert response.status_code == 400
    assert "Unknown placeholder {first_name}" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "active"
    assert not OutboxMessage.objects.exists()


def test_loading_a_template_fills_its_text_and_rejects_nothing() -> None:
    other = EmailTemplate.objects.create(
        kind=MailKind.NOT_MOVING_FORWARD, name="Role filled", subject="Filled: {role}",
        body="Dear {candidate_first_name}, the role is filled.",
    )  # fmt: skip
    application = _application()
    client = _signed_in(application.requisition.recruiter)
    data = {"reason": REASON, "template": other.pk, "load": "1", "subject": "x", "body": "y"}
    page = client.post(f"/candidates/applications/{application.pk}/reject/", data)
    assert page.status_code == 200 and "the role is filled." in page.content.decode()
    assert Application.objects.get(pk=application.pk).status == "active"


def test_a_bulk_rejection_sends_one_e_mail_per_candidate_each_once(
    delivered: Any, smtp_server: Mailbox
) -> None:
    with time_machine.travel(TUESDAY_2AM, tick=False):
        ada = _application()
        recruiter = ada.requisition.recruiter
        # Ada again, in a second requisition; and Grace.
        second = factories.application(
            candidate=ada.candidate, requisition_obj=factories.requisition(recruiter=recruiter)
        )
        grace = _application("grace@example.org", "Grace Hopper")
        ids = [ada.pk, second.pk, grace.pk]
        client = _signed_in(recruiter)
        composer = client.post("/candidates/reject/", {"ids": ids, "reason": REASON})
        assert composer.status_code == 200
        assert "Grace Hopper" in composer.content.decode()
        data = {"ids": ids, "reason": REASON, "template": _template().pk, "confirm": "1",
                "subject": _template().subject, "body": _template().body}  # fmt: skip
        assert delivered(lambda: client.post("/candidates/reject/", data)).status_code == 302
        again = client.post("/candidates/reject/", data)  # a second click: refused, nothing sent
        assert again.status_code == 400
    assert set(Application.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "rejected"
    }
    assert OutboxMessage.objects.count() == 2
    _sweep_at(TUESDAY_9AM)
    _sweep_at(TUESDAY_9AM + dt.timedelta(minutes=5))
    smtp_server.wait_for(2)
    assert len(smtp_server.to("ada@example.org")) == 1
    assert len(smtp_server.to("grace@example.org")) == 1
    assert "Dear Grace," in smtp_server.text(smtp_server.to("grace@example.org")[0])


def test_the_api_rejects_and_e_mails_each_candidate(delivered: Any, smtp_server: Mailbox) -> None:
    ada, grace = _application(), _application("grace@example.org", "Grace Hopper")
    token_client = _signed_in(factories.UserFactory(roles=["Recruiter"]))
    body = {"applications": [ada.pk, grace.pk], "reason": REASON, "template": _template().pk,
            "body": "Sorry, {candidate_first_name}.", "send_now": True}  # fmt: skip
    response = delivered(
        lambda: token_client.post(
            "/api/candidate-emails/rejections/", json.dumps(body), content_type="application/json"
        )
    )
    assert response.status_code == 200 and response.json() == {"rejected": 2}
    smtp_server.wait_for(2)
    assert smtp_server.text(smtp_server.to("grace@example.org")[0]).strip() == "Sorry, Grace."


@pytest.mark.parametrize(
    "roles", [["Interviewer"], ["Hiring manager"], ["Interviewer", "Hiring manager"]]
)
def test_only_recruiters_and_admins_reject_with_an_e_mail(roles: list[str]) -> None:
    application = _application()
    client = _signed_in(factories.UserFactory(roles=roles))
    assert client.get(f"/candidates/applications/{application.pk}/reject/").status_code == 403
    assert client.post("/candidates/reject/", {"ids": [application.pk]}).status_code == 403
    api = client.post(
        "/api/candidate-emails/rejections/",
        json.dumps({"applications": [application.pk], "reason": REASON, "template": None}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert Application.objects.get(pk=application.pk).status == "active"


def test_the_candidate_page_and_the_list_offer_the_e_mail(make_user: Any) -> None:
    application = _application()
    client = _signed_in(application.requisition.recruiter)
    page = client.get(f"/candidates/{application.candidate_id}/").content.decode()
    assert f"/candidates/applications/{application.pk}/reject/" in page
    assert 'formaction="/candidates/reject/"' in client.get("/candidates/").content.decode()
