"""Busy times, interviewers' calendars, and the links candidates pick their slot through."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.scheduling.rules import SlotLinkStatus


class BusySource(models.TextChoices):
    MANUAL = "manual", "Entered"
    FILE = "file", "Imported from a file"
    URL = "url", "Imported from the calendar's address"


class InterviewerCalendar(models.Model):
    """One per person put on pick links: the address of their calendar to import busy times
    from, and how the last import went. Booking a slot locks the panel's rows (in user order),
    so two candidates never take one interviewer's time: the second waits, then finds it
    taken."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    ics_url = models.URLField(max_length=500, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    import_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user_id}"


class BusyTime(models.Model):
    """A time the person is not free for interviews. Only the times are kept, never what the
    event was."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=BusySource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="busy_time_positive"
            )
        ]
        # Serves the free-slot query: these people's busy times ending after the window opens.
        indexes = [models.Index(fields=["user", "ends_at"], name="busy_user_ends_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} busy {self.starts_at:%Y-%m-%d %H:%M}"


class SlotLink(models.Model):
    """A signed link a candidate opens to pick the time of an interview the recruiter set up:
    its panel, length, questions and the days it may take place on. Booking creates the
    interview through the interview-scheduling service; a link with reschedules left can
    move it once more."""

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="slot_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    round_name = models.CharField(max_length=120)
    duration_minutes = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=300, blank=True)
    # [[question_version_id, interviewer_id or null], ...]: the plan the interview gets.
    questions = models.JSONField(default=list)
    first_day = models.DateField()
    last_day = models.DateField()
    expires_at = models.DateTimeField()
    reschedules_left = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=SlotLinkStatus.choices, default=SlotLinkStatus.OPEN
    )
    interview = models.OneToOneField(
        "assessments.Interview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slot_link",
    )
    nonce = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Pick link {self.pk} for {self.application_id}"


class SlotLinkChange(models.Model):
    """History of a link: created, booked, rescheduled, closed; who (None: the candidate)."""

    link = models.ForeignKey(SlotLink, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=SlotLinkStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=SlotLinkStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.from_status} → {self.to_status}"
