"""A check-in on a hire: how the person is doing at 90 days, 6, 12 and 18 months after their
start date, written by the requisition's hiring manager."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.checkins.rules import HORIZON_CHOICES, LEFT_REASONS, PERFORMANCE, CheckInStatus
from hiring.pipeline.models import Application


class CheckIn(models.Model):
    # No index of its own: the unique (application, horizon) serves lookups by application,
    # and a cold sweep writes 177,000 check-ins at once (bench/sweep.py).
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    horizon = models.CharField(max_length=3, choices=HORIZON_CHOICES)
    start_date = models.DateField()  # the hire's start date the horizon counts from
    due_on = models.DateField()
    status = models.CharField(
        max_length=6, choices=CheckInStatus.CHOICES, default=CheckInStatus.DUE
    )
    performance = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(k, v[0]) for k, v in PERFORMANCE.items()]
    )
    would_hire_again = models.BooleanField(null=True, blank=True)
    still_in_role = models.BooleanField(null=True, blank=True)
    left_reason = models.CharField(max_length=16, blank=True, choices=list(LEFT_REASONS.items()))
    comment = models.TextField(blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filled_at = models.DateTimeField(null=True, blank=True)
    # When the sweep next looks at this check-in for a reminder: the due date, then five
    # business days after each reminder; None once the last one went out (reminders.py).
    next_reminder_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "horizon"], name="checkin_once")
        ]
        indexes = [
            # The check-ins due and overdue (the list, the home page: selectors.checkins_due).
            models.Index(fields=["status", "due_on"], name="checkin_due_idx"),
            # The reminder sweep: only the check-ins whose next reminder has come, not every
            # one due in the last weeks (reminders.claim_checkin_reminders).
            models.Index(
                fields=["next_reminder_on"],
                condition=models.Q(status=CheckInStatus.DUE),
                name="checkin_reminder_idx",
            ),
        ]
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} at {self.get_horizon_display()}"
