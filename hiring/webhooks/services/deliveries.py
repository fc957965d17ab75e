"""Webhook deliveries: one outbox message per endpoint and event, delivered once.

`deliveries_claim` listens to every domain event (hiring.events) and, in the transaction
that made the event happen, claims one outbox message per active endpoint that wants it
(claim key "webhook:<endpoint>:<event id>": a second claim adds nothing). The body is
decided then, compensation already dropped for an endpoint not allowed to receive it, so the
delivery log shows exactly what was sent. `delivery_send` is the outbox's "webhook" channel:
it signs the body at the moment of sending (a fresh timestamp on every attempt, the same
event id) and POSTs it; a 2xx answer is delivered, anything else is retried with backoff by
the outbox.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from hiring.events import Event
from hiring.notifications.models import MessageChannel, OutboxMessage
from hiring.notifications.outbox import message_claim
from hiring.notifications.registry import Delivered
from hiring.webhooks.models import SUBJECT_TYPE, Endpoint
from hiring.webhooks.rules import (
    CHAT_EVENTS,
    EVENT_HEADER,
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    EndpointKind,
    chat_text,
    encode,
    payload,
    sign,
)

TIMEOUT_SECONDS = 10
USER_AGENT = "hiring-webhooks/1"


def deliveries_claim(event: Event) -> None:
    """Claim a delivery of `event` for every active endpoint that wants it."""
    for endpoint in Endpoint.objects.filter(active=True):
        body = _body(endpoint, event)
        if body is None:
            continue
        message_claim(
            claim_key=f"webhook:{endpoint.pk}:{event.id}",
            channel=MessageChannel.WEBHOOK,
            to=endpoint.url,
            title=f"{event.name} {event.id}",
            body=body,
            subject_type=SUBJECT_TYPE,
            subject_id=endpoint.pk,
        )


def _body(endpoint: Endpoint, event: Event) -> str | None:
    if endpoint.kind == EndpointKind.CHAT:
        text = chat_text(event.name, event.data) if event.name in CHAT_EVENTS else None
        return encode({"text": text}) if text else None
    if event.name not in endpoint.events:
        return None
    document = payload(
        event_id=event.id,
        name=event.name,
        created=event.at.isoformat(),
        data=event.data,
        compensation_allowed=endpoint.compensation_allowed,
    )
    return encode(document)


def delivery_send(message: OutboxMessage) -> Delivered:
    """POST one delivery, signed now; delivered on a 2xx answer."""
    endpoint = Endpoint.objects.filter(pk=message.subject_id or 0).first()
    if endpoint is None or not endpoint.active:
        return Delivered(ok=False, result="The endpoint was removed or turned off")
    name, _, event_id = message.title.partition(" ")
    request = urllib.request.Request(  # noqa: S310 - an admin's http(s) URL (rules.url_problem)
        endpoint.url,
        data=message.body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            EVENT_HEADER: name,
            EVENT_ID_HEADER: event_id,
            SIGNATURE_HEADER: sign(
                secret=endpoint.secret, timestamp=int(time.time()), body=message.body
            ),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            return Delivered(ok=True, result=f"HTTP {answer.status} {_snippet(answer.read())}")
    except urllib.error.HTTPError as error:
        return Delivered(ok=False, result=f"HTTP {error.code} {_snippet(error.read())}")


def _snippet(content: bytes) -> str:
    return content[:200].decode(errors="replace").strip()
