"""Offer letters and the candidate's answer: templates and their placeholders, the letter
fixed at submission, the PDF, sending by e-mail (sent when the mail server accepts it), the
candidate's signed link (viewed, accepted with a signature, declined; replaced, withdrawn,
expired), answers by hand, the clock across a weekend and a holiday, the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.notifications.delivery import message_send
from hiring.notifications.models import Notification, OutboxMessage
from hiring.offers.dashboard import dashboard_data
from hiring.offers.letters import PLACEHOLDERS, LetterFacts, letter_fill, letter_values
from hiring.offers.models import LetterTemplate, Offer, OfferClock, OfferSignature
from hiring.offers.rules import OfferStatus
from hiring.offers.services import offers as services
from hiring.offers.services.sending import offer_send, offers_catch_up_delivered
from hiring.offers.services.templates import letter_template_save
from hiring.pipeline.models import ApplicationStatus, RequisitionStatus
from tests import factories
from tests.offers.test_offers import approve_all

pytestmark = pytest.mark.usefixtures("playbook")
S = OfferStatus
UTC = dt.UTC
FACTS = LetterFacts(
    candidate_name="Zoë Martin",
    role="Applied ML Engineer #1",
    level="Senior",
    base_salary=150_000,
    target_bonus=20_000,
    currency="USD",
    start_date=dt.date(2026, 1, 5),
    expiry_date=dt.date(2025, 12, 10),
    hiring_manager="Morgan Lee",
    recruiter="Riley Chen",
    company="Example Co",
)
EXPECTED = {
    "candidate_name": "Zoë Martin",
    "candidate_first_name": "Zoë",
    "role": "Applied ML Engineer #1",
    "level": "Senior",
    "base_salary": "150,000 USD",
    "target_bonus": "20,000 USD",
    "total_cash": "170,000 USD",
    "currency": "USD",
    "start_date": "Monday 5 January 2026",
    "expiry_date": "Wednesday 10 December 2025",
    "hiring_manager": "Morgan Lee",
    "recruiter": "Riley Chen",
    "company": "Example Co",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin", username="ada")


def approved_offer(**fields: Any) -> Offer:
    offer = factories.offer(submit=True, **fields)
    return approve_all(offer)


def deliver_all() -> None:
    for pk in OutboxMessage.objects.filter(status="pending").values_list("pk", flat=True):
        message_send(message_id=pk)


def sent_offer(**fields: Any) -> Offer:
    offer = approved_offer(**fields)
    offer_send(offer=offer, actor=offer.application.requisition.recruiter)
    deliver_all()
    offer.refresh_from_db()
    return offer


def link_of(offer: Offer) -> str:
    message = OutboxMessage.objects.get(claim_key=f"offer-letter:{offer.pk}:{offer.link_nonce}")
    found = re.search(r"https?://\S+(/offer/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


# Placeholders and templates ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(PLACEHOLDERS))
def test_every_placeholder_is_filled(name: str) -> None:
    assert letter_values(FACTS)[name] == EXPECTED[name]
    letter = letter_fill(subject="Offer", body=f"<{{{name}}}>", facts=FACTS)
    assert letter.body == f"<{EXPECTED[name]}>"


def test_an_unknown_placeholder_is_refused_when_the_template_is_saved(admin: Any) -> None:
    with pytest.raises(DomainError) as refused:
        letter_template_save(
            template=None,
            fields={"name": "Default", "is_default": True, "subject": "Hi", "body": "{salary}"},
            actor=admin,
        )
    assert "Unknown placeholder {salary}" in refused.value.fields["body"][0]
    assert not LetterTemplate.objects.exists()


def test_the_template_page_refuses_an_unknown_placeholder_in_the_form(admin: Any) -> None:
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/offers/letters/new/",
        {"name": "Default", "is_default": "on", "subject": "Offer {role}", "body": "Dear {nme}"},
    )
    assert response.status_code == 400
    assert "Unknown placeholder {nme}" in response.content.decode()
    response = client.post(
        "/offers/letters/new/",
        {
            "name": "Default",
            "is_default": "on",
            "subject": "Offer {role}",
            "body": "Dear {candidate_name}",
        },
    )
    assert response.status_code == 302
    assert LetterTemplate.objects.get().is_default
    assert "Default" in client.get("/offers/letters/").content.decode()


def test_the_letter_is_fixed_at_submission_and_shown_to_the_approvers(admin: Any) -> None:
    letter_template_save(
        template=None,
        fields={"name": "Default", "is_default": True, "subject": "Offer: {role}",
                "body": "Dear {candidate_name}, total {total_cash}."},
        actor=admin,
    )  # fmt: skip
    offer = factories.offer(submit=True)
    offer.refresh_from_db()
    name = offer.application.candidate.name
    assert offer.letter_text == f"Dear {name}, total {offer.total_cash:,} USD."
    manager = offer.application.requisition.hiring_manager
    client = Client()
    client.force_login(manager)
    html = client.get(f"/offers/{offer.pk}/").content.decode()
    assert f"total {offer.total_cash:,} USD." in html
    pdf = client.get(f"/offers/{offer.pk}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_changed_template_restarts_the_chains_of_offers_it_changes(admin: Any) -> None:
    template, _ = letter_template_save(
        template=None,
        fields={
            "name": "D",
            "is_default": True,
            "subject": "Offer",
            "body": "Dear {candidate_name}",
        },
        actor=admin,
    )
    offer = approved_offer()
    assert offer.status == S.APPROVED
    _, restarted = letter_template_save(
        template=template,
        fields={
            "name": "D",
            "is_default": True,
            "subject": "Offer",
            "body": "Hello {candidate_name}",
        },
        actor=admin,
    )
    offer.refresh_from_db()
    assert restarted == 1
    assert offer.status == S.PENDING
    assert offer.letter_text.startswith("Hello ")
    assert offer.changes.filter(reason__contains="template changed").exists()


def test_a_requisitions_own_template_wins_over_the_default(admin: Any) -> None:
    letter_template_save(
        template=None,
        fields={"name": "D", "is_default": True, "subject": "S", "body": "Default letter"},
        actor=admin,
    )
    application = factories.application()
    letter_template_save(
        template=None,
        fields={"name": "Own", "requisition": application.requisition, "subject": "S",
                "body": "Own letter for {role}"},
        actor=admin,
    )  # fmt: skip
    offer = factories.offer(application_obj=application, submit=True)
    offer.refresh_from_db()
    assert offer.letter_text == f"Own letter for {application.requisition.title}"


def test_a_change_of_terms_after_approval_restarts_the_chain_with_the_new_letter() -> None:
    offer = approved_offer()
    services.offer_update(
        offer=offer,
        fields={"base_salary": offer.base_salary + 1000},
        actor=offer.application.requisition.recruiter,
    )
    offer.refresh_from_db()
    assert offer.status == S.PENDING
    assert f"{offer.base_salary:,} USD" in offer.letter_text


def test_the_recruiter_previews_the_letter_while_drafting() -> None:
    application = factories.application()
    client = Client()
    client.force_login(application.requisition.recruiter)
    terms = factories.offer_terms(application)
    data = {**terms, "level": terms["level"].pk, "application": application.pk}
    response = client.post("/offers/letter-preview/", data)
    assert response.status_code == 200
    assert f"{terms['base_salary']:,} USD" in response.content.decode()
    assert application.candidate.name in response.content.decode()


# Sending -------------------------------------------------------------------------------------


def test_sending_e_mails_the_letter_and_the_offer_is_sent_when_the_mail_server_accepts_it(
    smtp_server: Any,
) -> None:
    offer = approved_offer()
    offer_send(offer=offer, actor=offer.application.requisition.recruiter)
    offer.refresh_from_db()
    assert offer.status == S.SENDING
    clock = OfferClock.objects.get(application=offer.application)
    assert clock.stopped_at is None  # not in the candidate's hands yet
    deliver_all()
    message = smtp_server.wait_for(1)[0]
    assert offer.application.candidate.email in str(message["To"])
    assert [a[1] for a in smtp_server.attachments(message)] == ["application/pdf"]
    assert smtp_server.attachments(message)[0][2].startswith(b"%PDF")
    assert "/offer/" in smtp_server.text(message)
    offer.refresh_from_db()
    clock.refresh_from_db()
    assert offer.status == S.SENT and offer.sent_via == "email"
    assert clock.stop_reason == "sent" and clock.stopped_at == offer.sent_at


def test_the_api_e_mails_an_approved_offer_once_the_mail_server_accepts_it_it_is_sent(
    smtp_server: Any,
) -> None:
    offer = approved_offer()
    recruiter = offer.application.requisition.recruiter
    api = APIClient()
    api.force_authenticate(recruiter)
    answer = api.post(f"/api/offers/{offer.pk}/send-email/")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "sending"
    deliver_all()
    [message] = smtp_server.wait_for(1)
    assert message["To"] == offer.application.candidate.email
    offer.refresh_from_db()
    assert offer.status == S.SENT and offer.sent_via == "email"
    again = api.post(f"/api/offers/{offer.pk}/send-email/")
    assert again.status_code == 409 and "status" in again.json()["fields"]


def test_a_delivery_the_listener_missed_is_caught_up_by_the_sweep() -> None:
    offer = approved_offer()
    offer_send(offer=offer, actor=offer.application.requisition.recruiter)
    offer.refresh_from_db()
    message = OutboxMessage.objects.get(subject_type="offer-letter", subject_id=offer.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(status="sent", sent_at=dt.datetime.now(UTC))
    assert offers_catch_up_delivered(dt.datetime.now(UTC)) == 1
    offer.refresh_from_db()
    assert offer.status == S.SENT


def test_a_template_that_says_so_sends_the_offer_when_the_last_approval_lands(
    admin: Any,
) -> None:
    application = factories.application()
    letter_template_save(
        template=None,
        fields={"name": "Own", "requisition": application.requisition, "subject": "S",
                "body": "Dear {candidate_name}", "send_when_approved": True},
        actor=admin,
    )  # fmt: skip
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    assert offer.status == S.SENDING
    assert OutboxMessage.objects.filter(subject_type="offer-letter", subject_id=offer.pk).exists()


def test_an_offer_is_sent_once_however_often_send_is_clicked() -> None:
    offer = approved_offer()
    recruiter = offer.application.requisition.recruiter
    offer_send(offer=offer, actor=recruiter)
    with pytest.raises(DomainError) as second:
        offer_send(offer=offer, actor=recruiter)
    assert second.value.status == 409
    assert OutboxMessage.objects.filter(subject_type="offer-letter").count() == 1


# The candidate's page -------------------------------------------------------------------------


def test_the_candidate_page_shows_the_letter_and_terms_and_nothing_internal() -> None:
    offer = sent_offer(notes="Internal: stretch for retention", justification="")
    page = Client().get(link_of(offer))
    html = page.content.decode()
    assert page.status_code == 200
    assert offer.letter_text.splitlines()[0].strip() in html
    assert f"{offer.total_cash:,} USD" in html
    assert "Internal: stretch" not in html
    assert "Finance/HR" not in html and "band" not in html.lower()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"  # not no-referrer: see the browser test


def test_the_first_open_marks_the_offer_viewed_once(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 4, 15, tzinfo=UTC), tick=False)
    offer = sent_offer()
    Client().get(link_of(offer))
    offer.refresh_from_db()
    first = offer.viewed_at
    assert offer.status == S.VIEWED and first is not None
    time_machine.shift(dt.timedelta(hours=2))
    Client().get(link_of(offer))
    offer.refresh_from_db()
    assert offer.viewed_at == first
    assert offer.changes.filter(to_status=S.VIEWED).count() == 1


def test_the_candidate_downloads_the_pdf() -> None:
    offer = sent_offer()
    response = Client().get(link_of(offer) + "letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_accepting_signs_hires_fills_and_tells_the_team(smtp_server: Any) -> None:
    offer = sent_offer()
    application = offer.application
    name = application.candidate.name
    response = Client(HTTP_USER_AGENT="Phone browser 1.0").post(
        link_of(offer) + "accept/", {"full_name": f"  {name.upper()} ", "agree": "on"}
    )
    assert response.status_code == 200
    assert "accepted" in response.content.decode()
    offer.refresh_from_db()
    application.refresh_from_db()
    assert offer.status == S.ACCEPTED and offer.answer_via == "link"
    assert application.status == ApplicationStatus.HIRED
    assert application.requisition.status == RequisitionStatus.FILLED
    signature = OfferSignature.objects.get(offer=offer)
    assert signature.ip_address == "127.0.0.1"
    assert signature.user_agent == "Phone browser 1.0"
    assert bytes(signature.signed_pdf).startswith(b"%PDF")
    assert len(signature.letter_sha256) == 64
    history = offer.changes.get(to_status=S.ACCEPTED)
    assert history.actor is None and "By the candidate, online" in history.reason
    requisition = application.requisition
    told = set(
        Notification.objects.filter(kind="offer_answered").values_list("recipient_id", flat=True)
    )
    assert told == {requisition.recruiter_id, requisition.hiring_manager_id}
    copies = OutboxMessage.objects.filter(subject_type="offer-signed", subject_id=offer.pk)
    assert {m.to for m in copies} == {application.candidate.email, requisition.recruiter.email}
    deliver_all()
    signed = [m for m in smtp_server.wait_for(3) if "Signed" in str(m["Subject"])]
    assert len(signed) == 2
    assert smtp_server.attachments(signed[0])[0][0].endswith("-signed.pdf")
    recruiter = Client()
    recruiter.force_login(requisition.recruiter)
    assert recruiter.get(f"/offers/{offer.pk}/signed.pdf").content.startswith(b"%PDF")


def test_a_wrong_name_or_no_tick_is_refused_in_the_page() -> None:
    offer = sent_offer()
    response = Client().post(link_of(offer) + "accept/", {"full_name": "Somebody Else"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Type your full name as it is on the letter" in html
    name = offer.application.candidate.name
    response = Client().post(link_of(offer) + "accept/", {"full_name": name})
    assert response.status_code == 400 and "Tick the statement" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == S.VIEWED or offer.status == S.SENT


def test_declining_takes_a_reason_from_the_list_and_a_comment() -> None:
    offer = sent_offer()
    bad = Client().post(link_of(offer) + "decline/", {"reason": "bored"})
    assert bad.status_code == 400
    response = Client().post(
        link_of(offer) + "decline/", {"reason": "other_offer", "comment": "Thank you all."}
    )
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.status == S.DECLINED and offer.decline_reason == "other_offer"
    assert offer.response_note == "Thank you all." and offer.answer_via == "link"
    assert "I accepted another offer" in offer.changes.get(to_status=S.DECLINED).reason


def test_a_second_answer_gets_the_first_outcome_not_a_500() -> None:
    offer = sent_offer()
    link = link_of(offer)
    name = offer.application.candidate.name
    assert Client().post(link + "accept/", {"full_name": name, "agree": "on"}).status_code == 200
    again = Client().post(link + "accept/", {"full_name": name, "agree": "on"})
    decline = Client().post(link + "decline/", {})
    assert again.status_code == 409 and decline.status_code == 409
    assert "You accepted this offer" in decline.content.decode()
    assert OfferSignature.objects.count() == 1


def test_a_revised_offer_s_link_says_it_was_replaced_and_whom_to_contact() -> None:
    offer = sent_offer()
    link = link_of(offer)
    recruiter = offer.application.requisition.recruiter
    services.offer_revise(offer=offer, actor=recruiter)
    page = Client().get(link)
    assert page.status_code == 410
    html = page.content.decode()
    assert "replaced" in html and recruiter.email in html
    assert Client().post(link + "accept/", {"full_name": "x", "agree": "on"}).status_code == 409


def test_a_rescinded_offer_s_link_says_it_was_withdrawn() -> None:
    offer = sent_offer()
    link = link_of(offer)
    services.offer_rescind(
        offer=offer, actor=offer.application.requisition.recruiter, reason="Role closed"
    )
    page = Client().get(link)
    assert page.status_code == 410 and "withdrawn" in page.content.decode()
    assert "Role closed" not in page.content.decode()  # the reason is internal


def test_the_link_expires_with_the_offer(time_machine: Any) -> None:
    offer = sent_offer()
    link = link_of(offer)
    time_machine.move_to(
        dt.datetime.combine(offer.expires_on + dt.timedelta(days=1), dt.time(12), UTC)
    )
    page = Client().get(link)
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert Client().get(link + "letter.pdf").status_code == 410


def test_a_forged_or_truncated_link_reveals_nothing() -> None:
    offer = sent_offer()
    link = link_of(offer)
    for bad in (link[:-6] + "/", "/offer/abc/", link.replace(":", "x", 1)):
        page = Client().get(bad)
        assert page.status_code == 404
        assert offer.application.candidate.name not in page.content.decode()


def test_the_link_page_is_rate_limited(settings: Any) -> None:
    settings.OFFER_LINK_RATE_PER_MINUTE = 3
    client = Client()
    codes = [client.get("/offer/nonsense/").status_code for _ in range(5)]
    assert codes == [404, 404, 404, 429, 429]


# By hand -------------------------------------------------------------------------------------


def test_answers_by_hand_are_labelled_in_the_history() -> None:
    offer = approved_offer()
    recruiter = offer.application.requisition.recruiter
    services.offer_mark_sent(offer=offer, actor=recruiter, reason="Called her")
    services.offer_mark_accepted(offer=offer, actor=recruiter, reason="Yes on the phone")
    reasons = list(offer.changes.order_by("at", "id").values_list("to_status", "reason"))
    sent = next(reason for status, reason in reasons if status == S.SENT)
    assert sent.startswith("By hand: sent on ") and sent.endswith(". Called her")
    assert (S.ACCEPTED, "By hand: accepted. Yes on the phone") in reasons
    offer.refresh_from_db()
    assert offer.sent_via == "hand" and offer.answer_via == "hand"


# The clock and the dashboard across a weekend and a holiday ---------------------------------------


def test_clock_sent_viewed_answered_across_thanksgiving_and_a_weekend(
    admin: Any, time_machine: Any
) -> None:
    # Wednesday 25 November 2026, 15:00 New York: due Monday 30 November, 15:00
    # (Wed 2 h, Thanksgiving off, Fri 8 h, weekend off, Mon 6 h).
    decided = dt.datetime(2026, 11, 25, 20, tzinfo=UTC)
    time_machine.move_to(decided, tick=False)
    application = factories.application()
    offer = factories.offer(
        application_obj=application,
        submit=True,
        start_date=dt.date(2027, 1, 4),
        expires_on=dt.date(2026, 12, 11),
    )
    clock = OfferClock.objects.get(application=application)
    assert clock.due_at == dt.datetime(2026, 11, 30, 20, tzinfo=UTC)
    client = Client()
    client.force_login(application.requisition.recruiter)
    html = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "due Mon 30 Nov, 15:00 (16 business hours left)" in html
    approve_all(offer)
    # Friday 27 November, 10:00: sent (3 business hours after the decision).
    time_machine.move_to(dt.datetime(2026, 11, 27, 15, tzinfo=UTC), tick=False)
    offer_send(offer=offer, actor=application.requisition.recruiter)
    deliver_all()
    offer.refresh_from_db()
    clock.refresh_from_db()
    assert clock.business_hours_to_send == 3.0
    client.force_login(application.requisition.recruiter)
    html = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "reached the candidate Fri 27 Nov, 10:00, after 3 business hours" in html
    # Saturday: viewed (Friday 10:00-17:00 counts, the weekend does not: 7 business hours).
    time_machine.move_to(dt.datetime(2026, 11, 28, 16, tzinfo=UTC), tick=False)
    Client().get(link_of(offer))
    # Monday 30 November, 11:00: accepted (7 + 2 = 9 business hours after sending).
    time_machine.move_to(dt.datetime(2026, 11, 30, 16, tzinfo=UTC), tick=False)
    name = application.candidate.name
    Client().post(link_of(offer) + "accept/", {"full_name": name, "agree": "on"})
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED
    period = dashboard_data(admin, now=dt.datetime(2026, 11, 30, 17, tzinfo=UTC))[0]
    assert period["viewed"].median_hours == 7.0 and period["viewed"].share_within == 100
    assert period["answered"].median_hours == 9.0
    assert period["stats"].median_hours == 3.0


def test_a_revision_does_not_show_the_earlier_offer_s_clock() -> None:
    offer = sent_offer()
    revision = services.offer_revise(offer=offer, actor=offer.application.requisition.recruiter)
    client = Client()
    client.force_login(offer.application.requisition.recruiter)
    html = client.get(f"/offers/{revision.pk}/").content.decode()
    assert "reached the candidate" not in html
    assert "reached the candidate" in client.get(f"/offers/{offer.pk}/").content.decode()


# Permissions ---------------------------------------------------------------------------------


def test_interviewers_see_no_letter_template_or_offer_letter(make_user: Callable[..., Any]) -> None:
    offer = sent_offer()
    interviewer = make_user("Interviewer")
    client = Client()
    client.force_login(interviewer)
    for url in ("/offers/letters/", "/offers/letters/new/", f"/offers/{offer.pk}/letter.pdf",
                f"/offers/{offer.pk}/signed.pdf"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post("/offers/letter-preview/", {}).status_code == 403


def test_only_admins_edit_letter_templates(make_user: Callable[..., Any]) -> None:
    client = Client()
    client.force_login(make_user("Recruiter"))
    assert client.get("/offers/letters/").status_code == 403
    client.force_login(make_user("Recruiter", "Admin"))
    assert client.get("/offers/letters/").status_code == 200


def test_sending_from_the_offer_page_is_one_click() -> None:
    offer = approved_offer()
    client = Client()
    client.force_login(offer.application.requisition.recruiter)
    response = client.post(f"/offers/{offer.pk}/send-email/")
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == S.SENDING
    assert AuditEntry.objects.filter(action="offer.send_email").exists()
