"""Webhooks: an admin registers an endpoint, the events it wants reach a real HTTP receiver
on loopback, signed; a receiver checks the signature as the README says; offers' figures only
for an endpoint allowed them; a chat endpoint gets two short messages; a refusal is retried
with backoff and shows in the delivery log, with "send again"."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring.models import AuditEntry
from hiring.notifications.delivery import message_send
from hiring.notifications.models import OutboxMessage
from hiring.offers.services import offers as offer_services
from hiring.pipeline.services.applications import application_end, application_move
from hiring.privacy.rules import erased_name
from hiring.privacy.services.erasure import candidate_anonymise
from hiring.webhooks.models import SUBJECT_TYPE, Endpoint
from hiring.webhooks.services.endpoints import endpoint_create
from tests import factories
from tests.offers.test_offers import approve_all
from tests.webhooks.receiver import Receiver, receiver_check, running_receiver

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin")


def endpoint(admin: Any, url: str, **fields: Any) -> Endpoint:
    values = {"name": "HR system", "url": url, "kind": "signed", "active": True,
              "events": ["application.hired", "application.stage_changed", "offer.sent"],
              "compensation_allowed": False, **fields}  # fmt: skip
    return endpoint_create(fields=values, actor=admin)


def deliveries(hook: Endpoint) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(subject_type=SUBJECT_TYPE, subject_id=hook.pk).order_by("id")
    )


def deliver(hook: Endpoint, now: dt.datetime | None = None) -> list[str]:
    """What the outbox's worker does with the endpoint's deliveries that are due."""
    return [message_send(message_id=m.pk, now=now) for m in deliveries(hook)]


def hire(application: Any) -> None:
    hired = application.requisition.stages.get(kind="hired")
    application_move(application=application, to_stage=hired, actor=application.owner)


def test_an_endpoint_registered_on_the_page_gets_a_hire_signed_as_a_receiver_checks_it(
    admin: Any, receiver: Receiver
) -> None:
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("webhooks:list"),
        {"name": "HR system", "url": receiver.url, "kind": "signed",
         "events": ["application.hired"], "active": "on"},
    )  # fmt: skip
    hook = Endpoint.objects.get()
    assert response.status_code == 302 and hook.secret.startswith("whsec_")
    application = factories.application()
    hire(application)
    assert deliver(hook) == ["sent"]

    (got,) = receiver.wait_for(1)
    assert receiver_check(hook.secret, got.headers["Hiring-Signature"], got.body)
    assert not receiver_check("whsec_someone-else", got.headers["Hiring-Signature"], got.body)
    assert not receiver_check(hook.secret, got.headers["Hiring-Signature"], got.body + b" ")
    body = got.json()
    assert body["type"] == "application.hired" == got.headers["Hiring-Event"]
    assert body["id"] == got.headers["Hiring-Event-Id"]
    assert body["data"]["application"]["candidate"]["email"] == application.candidate.email
    assert body["data"]["application"]["status"] == "hired"
    # The log shows it: delivered, the answer code, one attempt.
    page = client.get(reverse("webhooks:detail", args=[hook.pk])).content.decode()
    assert "application.hired" in page and "Sent" in page and ">200<" in page.replace("\n", "")


def test_events_the_endpoint_did_not_choose_are_not_sent(admin: Any, receiver: Receiver) -> None:
    hook = endpoint(admin, receiver.url, events=["application.hired"])
    application = factories.application()
    application_end(
        application=application,
        status="rejected",
        reason="Confirmed red flags",
        actor=application.owner,
    )
    assert deliveries(hook) == []


def test_a_stage_move_gives_one_delivery_per_endpoint_even_if_claimed_twice(
    admin: Any, receiver: Receiver
) -> None:
    first = endpoint(admin, receiver.url)
    second = endpoint(admin, receiver.url, name="Data warehouse")
    application = factories.application()
    screen = application.requisition.stages.order_by("position")[1]
    application_move(application=application, to_stage=screen, actor=application.owner)
    assert len(deliveries(first)) == len(deliveries(second)) == 1
    assert deliver(first) == ["sent"] and deliver(first) == ["skipped"]  # a retried task
    assert deliver(second) == ["sent"]
    bodies = [r.json() for r in receiver.wait_for(2)]
    assert bodies[0]["id"] == bodies[1]["id"]  # one event, the same id at each endpoint
    assert bodies[0]["data"]["from_stage"] != bodies[0]["data"]["application"]["stage"]


def test_offers_figures_go_only_to_an_endpoint_allowed_to_receive_them(
    admin: Any, receiver: Receiver
) -> None:
    plain = endpoint(admin, receiver.url, name="Chat bot", events=["offer.sent"])
    payroll = endpoint(
        admin, receiver.url, name="Payroll", events=["offer.sent"], compensation_allowed=True
    )
    application = factories.application()
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    offer_services.offer_mark_sent(offer=offer, actor=application.requisition.recruiter)
    deliver(plain)
    deliver(payroll)
    by_secret = {}
    for got in receiver.wait_for(2):
        for hook in (plain, payroll):
            if receiver_check(hook.secret, got.headers["Hiring-Signature"], got.body):
                by_secret[hook.name] = got
    assert set(by_secret) == {"Chat bot", "Payroll"}
    salary = str(offer.base_salary)
    assert salary not in by_secret["Chat bot"].body.decode()
    assert "compensation" not in by_secret["Chat bot"].json()["data"]
    assert by_secret["Payroll"].json()["data"]["compensation"]["base_salary"] == offer.base_salary
    # Nor does the delivery log show a figure the endpoint was not sent.
    assert salary not in deliveries(plain)[0].body


def test_a_chat_endpoint_gets_short_messages_for_approvals_waiting_and_offers_accepted(
    admin: Any, receiver: Receiver
) -> None:
    chat = endpoint(admin, receiver.url, name="#hiring", kind="chat", events=[])
    assert chat.events == ["offer.approval_waiting", "offer.accepted"]
    application = factories.application()
    recruiter = application.requisition.recruiter
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    offer_services.offer_mark_sent(offer=offer, actor=recruiter)
    offer_services.offer_mark_accepted(offer=offer, actor=recruiter)
    deliver(chat)
    texts = [r.json()["text"] for r in receiver.wait_for(len(deliveries(chat)))]
    name = application.candidate.name
    waiting = [t for t in texts if t.startswith("Approval waiting")]
    assert waiting and all(name in t for t in waiting)
    assert texts[-1].startswith(f"Offer accepted: {name} accepted the offer")
    assert all(str(offer.base_salary) not in t and "{" not in t for t in texts)
    assert all(set(r.json()) == {"text"} for r in receiver.requests)  # Slack's shape


def test_a_refusal_is_retried_with_backoff_shown_in_the_log_and_sent_again_on_request(
    admin: Any,
) -> None:
    with running_receiver(answers=[503, 503]) as receiver:
        hook = endpoint(admin, receiver.url)
        hire(factories.application())
        now = timezone.now()
        assert deliver(hook, now) == ["failed", "failed"]  # stage changed, hired: both 503
        receiver.answers[:] = []
        message = deliveries(hook)[0]
        assert (message.status, message.attempts) == ("pending", 1)
        assert message.last_result.startswith("HTTP 503")
        assert message.next_attempt_at == now + dt.timedelta(seconds=30)  # the backoff
        assert message_send(message_id=message.pk, now=now) == "skipped"  # not due yet

        client = Client()
        client.force_login(admin)
        page = client.get(reverse("webhooks:detail", args=[hook.pk])).content.decode()
        assert ">503<" in page.replace("\n", "") and "Waiting to be sent" in page
        response = client.post(reverse("webhooks:send-again", args=[hook.pk, message.pk]))
        assert response.status_code == 302
        assert message_send(message_id=message.pk) == "sent"  # due at once: no wait
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("sent", 2)
        assert AuditEntry.objects.filter(action="webhook.send_again").count() == 1
        assert len(receiver.answered()) == 1


def test_an_endpoint_that_cannot_be_reached_is_retried_not_lost(admin: Any) -> None:
    with running_receiver() as gone:
        url = gone.url  # a port nobody listens on once the receiver stops
    hook = endpoint(admin, url)
    hire(factories.application())
    assert set(deliver(hook)) == {"failed"}
    message = deliveries(hook)[0]
    assert message.status == "pending" and "URLError" in message.last_result


def test_the_signature_timestamp_is_fresh_on_every_attempt(admin: Any) -> None:
    with running_receiver(answers=[500]) as receiver:
        hook = endpoint(admin, receiver.url, events=["application.hired"])
        hire(factories.application())
        later = timezone.now() + dt.timedelta(minutes=2)
        deliver(hook)
        time.sleep(1.1)
        deliver(hook, later)
        first, second = receiver.wait_for(2, answered=False)
        assert first.body == second.body  # the same event, the same id
        assert first.headers["Hiring-Signature"] != second.headers["Hiring-Signature"]
        assert receiver_check(hook.secret, second.headers["Hiring-Signature"], second.body)


def test_an_endpoint_turned_off_gets_nothing(admin: Any, receiver: Receiver) -> None:
    hook = endpoint(admin, receiver.url, active=False)
    hire(factories.application())
    assert deliveries(hook) == []


def test_the_secret_is_never_in_the_audit_log(admin: Any, receiver: Receiver) -> None:
    hook = endpoint(admin, receiver.url)
    client = Client()
    client.force_login(admin)
    client.post(reverse("webhooks:secret", args=[hook.pk]))
    new = Endpoint.objects.get(pk=hook.pk).secret
    assert new != hook.secret
    text = str(list(AuditEntry.objects.values("before", "after")))
    assert hook.secret not in text and new not in text


def test_the_delivery_log_takes_two_queries_whatever_its_size(
    admin: Any, receiver: Receiver, django_assert_max_num_queries: Any
) -> None:
    hook = endpoint(admin, receiver.url)
    for _ in range(3):
        hire(factories.application())
    client = Client()
    client.force_login(admin)
    client.get(reverse("webhooks:detail", args=[hook.pk]))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("webhooks:detail", args=[hook.pk]))
    assert response.status_code == 200 and response.content.decode().count("Send again") >= 6


def test_erasing_a_candidate_takes_their_name_and_e_mail_out_of_every_webhook_body(
    admin: Any, receiver: Receiver
) -> None:
    signed = endpoint(admin, receiver.url, events=["application.stage_changed"])
    chat = endpoint(admin, receiver.url, name="#hiring", kind="chat", events=[])
    application = factories.application(
        candidate=factories.CandidateFactory(name="Zora Quillfeather", email="zora@example.org")
    )
    # Someone else of the same name, on another requisition: their deliveries stay as sent.
    namesake = factories.application(
        candidate=factories.CandidateFactory(name="Zora Quillfeather", email="zq@example.net")
    )
    recruiter = application.requisition.recruiter
    for each in (application, namesake):
        stage = each.requisition.stages.order_by("position")[1]
        application_move(application=each, to_stage=stage, actor=each.owner)
        approve_all(factories.offer(application_obj=each, submit=True))  # chat: approval waiting
    offer = application.offers.get()
    offer_services.offer_withdraw(offer=offer, actor=recruiter, reason="Role closed")
    application_end(application=application, status="rejected", reason="Other", actor=recruiter)
    before = {m.pk: m.body for m in deliveries(signed) + deliveries(chat)}
    assert any("zora@example.org" in body for body in before.values())
    assert any(
        body.startswith('{"text":') and application.requisition.title in body
        for body in before.values()
    )

    candidate_anonymise(candidate=application.candidate, actor=admin)

    after = {m.pk: m.body for m in deliveries(signed) + deliveries(chat)}
    theirs = [pk for pk, body in before.items() if "zq@example.net" not in body
              and namesake.requisition.title not in body]  # fmt: skip
    assert theirs
    for pk in theirs:
        assert "Zora" not in after[pk] and "zora@example.org" not in after[pk], after[pk]
        assert erased_name(application.candidate_id) in after[pk]
    for pk in set(before) - set(theirs):
        assert after[pk] == before[pk]
    deliver(signed)  # a body changed after it was claimed still goes out, signed
    assert all(r.json()["data"] for r in receiver.wait_for(len(deliveries(signed))))
