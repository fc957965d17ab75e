"""Candidate e-mails: the templates admins edit. What was sent lives in the outbox
(hiring.notifications.OutboxMessage, subject "pipeline.Application"), claimed once."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.candidate_mail.rules import MailKind


class EmailTemplate(models.Model):
    """A text with named placeholders (hiring.templating), checked when saved.

    The automatic kinds (received, interview scheduled, changed, cancelled) have exactly one
    template each, shipped by the migration, which `enabled` switches on or off; "not moving
    forward" has as many as the admins write, and the recruiter picks one when rejecting.
    `version` refuses a stale save (two admins editing the same text).
    """

    kind = models.CharField(max_length=10, choices=MailKind.choices)
    name = models.CharField(max_length=120, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    enabled = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            # One template per automatic kind: the one the product sends.
            models.UniqueConstraint(
                fields=["kind"],
                condition=~models.Q(kind=MailKind.NOT_MOVING_FORWARD),
                name="candidate_mail_one_per_automatic_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name
