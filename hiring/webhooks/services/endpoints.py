"""Registering webhook endpoints (admins), and sending a delivery again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.notifications.models import EmailStatus, OutboxMessage
from hiring.notifications.outbox import message_send_again
from hiring.webhooks.models import ENDPOINT_EVENTS, SUBJECT_TYPE, Endpoint
from hiring.webhooks.rules import (
    CHAT_EVENTS,
    EndpointKind,
    new_secret,
    url_problem,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FIELDS = ("name", "url", "kind", "events", "compensation_allowed", "active")


def _snapshot(endpoint: Endpoint) -> dict[str, Any]:
    # Never the secret: the audit log is read by every admin, and kept for years.
    return {name: getattr(endpoint, name) for name in FIELDS}


def _validated(fields: dict[str, Any]) -> dict[str, Any]:
    values = {name: fields[name] for name in FIELDS if name in fields}
    errors: dict[str, list[str]] = {}
    problem = url_problem(str(values.get("url", "")))
    if problem:
        errors["url"] = [problem]
    if values.get("kind") not in EndpointKind.values:
        errors["kind"] = ["Choose signed JSON or chat."]
    events = list(values.get("events") or [])
    unknown = [name for name in events if name not in ENDPOINT_EVENTS]
    if unknown:
        errors["events"] = [f"Unknown events: {', '.join(unknown)}."]
    if values.get("kind") == EndpointKind.CHAT:
        # A channel gets the chat events, and never a figure.
        values["events"], values["compensation_allowed"] = list(CHAT_EVENTS), False
    elif not events and "events" not in errors:
        errors["events"] = ["Choose at least one event."]
    if errors:
        raise DomainError(
            "The endpoint was not saved: " + next(iter(errors.values()))[0], fields=errors
        )
    return values


@transaction.atomic
def endpoint_create(*, fields: dict[str, Any], actor: User) -> Endpoint:
    """A new endpoint with a fresh signing secret (shown on its page to admins)."""
    endpoint = Endpoint.objects.create(**_validated(fields), secret=new_secret(), created_by=actor)
    audit_record(actor=actor, action="webhook.create", target=endpoint, after=_snapshot(endpoint))
    return endpoint


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, fields: dict[str, Any], actor: User) -> Endpoint:
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = _snapshot(endpoint)
    for name, value in _validated(fields).items():
        setattr(endpoint, name, value)
    endpoint.save()
    audit_record(
        actor=actor,
        action="webhook.update",
        target=endpoint,
        before=before,
        after=_snapshot(endpoint),
    )
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, actor: User) -> Endpoint:
    """A new secret; deliveries sent from now on are signed with it."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    audit_record(actor=actor, action="webhook.rotate_secret", target=endpoint)
    return endpoint


@transaction.atomic
def delivery_send_again(*, endpoint: Endpoint, message_id: int, actor: User) -> OutboxMessage:
    """An admin's "send again": the endpoint's delivery is due now (attempts kept)."""
    message = OutboxMessage.objects.filter(
        pk=message_id, subject_type=SUBJECT_TYPE, subject_id=endpoint.pk
    ).first()
    if message is None:
        raise DomainError("No such delivery for this endpoint.", status=404)
    if message.status == EmailStatus.SENDING:
        raise DomainError("This delivery is being sent right now.", status=409)
    message_send_again(message=message)
    audit_record(
        actor=actor,
        action="webhook.send_again",
        target=endpoint,
        after={"delivery": message.pk, "event": message.title},
    )
    return message
