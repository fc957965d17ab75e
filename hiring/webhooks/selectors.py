"""What the webhook pages show: the endpoints, one endpoint's delivery log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.http import Http404

from hiring.events import EVENTS
from hiring.notifications.models import EmailStatus, OutboxMessage
from hiring.webhooks.models import ENDPOINT_EVENTS, SUBJECT_TYPE, Endpoint

PER_PAGE = 50


def endpoints_list() -> list[Endpoint]:
    """Every endpoint, with how many of its deliveries failed for good (one query)."""
    failed = (
        OutboxMessage.objects.filter(subject_type=SUBJECT_TYPE, status=EmailStatus.FAILED)
        .values("subject_id")
        .annotate(n=Count("id"))
    )
    counts = {row["subject_id"]: row["n"] for row in failed}
    endpoints = list(Endpoint.objects.all())
    for endpoint in endpoints:
        endpoint.failed_count = counts.get(endpoint.pk, 0)  # type: ignore[attr-defined]
    return endpoints


def endpoint_of(pk: int) -> Endpoint:
    endpoint = Endpoint.objects.filter(pk=pk).first()
    if endpoint is None:
        raise Http404("No such endpoint")
    return endpoint


@dataclass(frozen=True)
class DeliveryRow:
    message: OutboxMessage
    answer_code: int | None


def answer_code(message: OutboxMessage) -> int | None:
    """The HTTP status the endpoint answered last (None: none yet, or no answer at all)."""
    code = message.last_result[5:8] if message.last_result.startswith("HTTP ") else ""
    return int(code) if code.isdigit() else None


def deliveries_page(endpoint: Endpoint, *, page: str | None, status: str = "") -> dict[str, Any]:
    """The endpoint's delivery log, newest first, 50 a page (two queries, whatever the size)."""
    messages = OutboxMessage.objects.filter(subject_type=SUBJECT_TYPE, subject_id=endpoint.pk)
    if status in EmailStatus.values:
        messages = messages.filter(status=status)
    paginator = Paginator(messages.order_by("-created_at", "-id").defer("body"), PER_PAGE)
    current: Page[Any] = paginator.get_page(page)
    return {
        "endpoint": endpoint,
        "page": current,
        "rows": [DeliveryRow(m, answer_code(m)) for m in current.object_list],
        "status": status if status in EmailStatus.values else "",
        "statuses": EmailStatus.choices,
        "event_names": {name: EVENTS[name] for name in endpoint.events},
    }


def delivery_of(endpoint: Endpoint, pk: int) -> OutboxMessage:
    message = OutboxMessage.objects.filter(
        pk=pk, subject_type=SUBJECT_TYPE, subject_id=endpoint.pk
    ).first()
    if message is None:
        raise Http404("No such delivery")
    return message


def event_choices() -> list[tuple[str, str]]:
    return [(name, EVENTS[name]) for name in ENDPOINT_EVENTS]
