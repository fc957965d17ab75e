"""Webhook endpoints. Their deliveries are outbox messages (hiring.notifications.outbox):
claimed once per endpoint and event, delivered once, retried with backoff, kept as the
delivery log (`subject_type` SUBJECT_TYPE, `subject_id` the endpoint)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.events import EVENTS
from hiring.webhooks.rules import CHAT_ONLY_EVENTS, EndpointKind

SUBJECT_TYPE = "webhooks.endpoint"  # an outbox message's subject: the endpoint it went to
# The events an endpoint may subscribe to: every domain event but the chat-only one.
ENDPOINT_EVENTS = [name for name in EVENTS if name not in CHAT_ONLY_EVENTS]


class Endpoint(models.Model):
    """Where events go: a URL, the secret its deliveries are signed with, the events it
    wants, and whether it may receive offers' figures. A chat endpoint gets short messages
    for the chat events only (rules.CHAT_EVENTS), never a figure."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=10, choices=EndpointKind.choices, default="signed")
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list, blank=True)  # event names (hiring.events.EVENTS)
    compensation_allowed = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
