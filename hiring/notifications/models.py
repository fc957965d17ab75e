"""Notifications: the inbox row of a reminder or notice, and the claim on its e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.notifications.registry import kind_named


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"
    # Not wanted: the recipient chose the inbox only, or muted the kind (preferences).
    SKIPPED = "skipped", "Not wanted"


class Notification(models.Model):
    """A reminder or notice for one user: the inbox entry and the claim on its e-mail.

    The unique key (recipient, kind, subject, sequence) is the claim that makes a reminder
    exactly-once: the sweep inserts the row in a transaction before any e-mail goes out, and
    a second sweep (or a second beat, or a retried task) finds it and adds nothing. The
    e-mail's own state is `email_status`: pending -> sending (leased until
    `email_next_attempt_at`) -> sent; a failure goes back to pending with a later attempt
    time (backoff), and after the last attempt to failed. A lease that runs out (a worker
    killed mid-send) makes the row pending again, so nothing is lost.

    The recipient's preferences (NotificationPreference) are applied when the row is
    claimed, so the claim itself is never skipped: a muted reminder is claimed with
    `in_inbox` false and the e-mail "skipped" (unmuting later brings back nothing old); an
    inbox-only one has its e-mail skipped; an e-mail-only one is left out of the inbox. A
    snoozed approval reminder is claimed with `created_at` and the e-mail's attempt time at
    the snooze's end: the inbox shows rows whose `created_at` has come.
    """

    # No index of its own: the inbox index starts with the recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(max_length=24)  # a kind a domain registered (registry)
    subject_type = models.CharField(max_length=16)  # "step", "clock", "offer", "interview", "user"
    subject_id = models.BigIntegerField()
    # Which reminder of a series: 0 for the first, the local date (20260302) for daily ones.
    sequence = models.BigIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # When it appears in the inbox: the claim's time, or a snooze's end (held until then).
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # False: left out of the inbox list and the unread count (muted, or e-mail only).
    in_inbox = models.BooleanField(default=True)
    email_status = models.CharField(
        max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "hiring_notification"
        ordering = ["-created_at", "-id"]
        # Few indexes on purpose: a cold sweep inserts tens of thousands of rows at once, and
        # each index costs on every insert (bench/sweep.py).
        constraints = [
            # The claim. Subject first, so it also serves "the reminders of this subject so
            # far" (the scorecard reminders' count of 10, today's digest).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "sequence", "recipient"],
                name="notification_claim_unique",
            )
        ]
        indexes = [
            # The inbox, newest first; also the unread count in the navigation.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # Delivery: e-mails waiting (or whose lease ran out) by next attempt time.
            models.Index(
                fields=["email_next_attempt_at"],
                condition=models.Q(email_status__in=["pending", "sending"]),
                name="notification_outbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_name} → {self.recipient_id}"

    @property
    def kind_name(self) -> str:
        kind = kind_named(self.kind)
        return kind.name if kind else self.kind.replace("_", " ").capitalize()


class Channel(models.TextChoices):
    """Where a user wants one kind of reminder (hiring.notifications.rules)."""

    BOTH = "both", "Inbox and e-mail"
    INBOX = "inbox", "Inbox only"
    EMAIL = "email", "E-mail only"


class NotificationPreference(models.Model):
    """One user's choice for one kind of reminder: muted, the channel, a snooze.

    Only choices that differ from the default (inbox and e-mail, not muted, not snoozed) are
    stored, so the sweep reads few rows: one query per claim (services.notifications_claim).
    Rules (hiring.notifications.rules): a kind that waits on its recipient (an approval
    step) cannot be muted, only snoozed for up to one business day.
    """

    # No index of its own: the unique (user, kind) starts with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        db_index=False,
    )
    kind = models.CharField(max_length=24)  # a kind a domain registered (registry)
    muted = models.BooleanField(default=False)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.BOTH)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            # One choice per user and kind; serves the settings page (the user's rows) and
            # the claim's read of a few recipients' choices (user IN ..., kind IN ...).
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} ({self.channel}{', muted' if self.muted else ''})"


class MessageChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class OutboxMessage(models.Model):
    """A message to someone outside the app (a candidate's e-mail, a webhook delivery),
    claimed before it is sent and delivered exactly once, as notifications' e-mails are.

    `claim_key` is unique: the domain that sends builds it from what the message is about
    ("candidate-email:application:12:received"), so a second claim of the same message, by a
    retried task, a second click or a second sweep, adds nothing. `send_after` holds a
    message back (a rejection goes out at the next business morning). Delivery: pending ->
    sending (leased until `next_attempt_at`) -> sent; a failure goes back to pending with
    backoff, and after the last attempt to failed. The channel's deliverer sends it: e-mail
    here, webhooks by the domain that registered them (registry.register_channel).
    """

    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    claim_key = models.CharField(max_length=200, unique=True)
    # What it is about (the candidate's timeline lists their e-mails): a domain's label.
    subject_type = models.CharField(max_length=24, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    to = models.CharField(max_length=500)  # an e-mail address, or the channel's target
    title = models.CharField(max_length=300, blank=True)  # an e-mail's subject
    body = models.TextField(blank=True)  # an e-mail's text; a webhook's JSON
    # [{"filename", "content_type", "content" (base64)}]: an .ics invite, a signed letter.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    send_after = models.DateTimeField()
    status = models.CharField(
        max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the other end answered (an SMTP refusal, a webhook's HTTP status and text).
    last_result = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Delivery: messages waiting (or whose lease ran out) by next attempt time.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_due_idx",
            ),
            # A subject's messages (a candidate's timeline, an endpoint's delivery log).
            models.Index(
                fields=["subject_type", "subject_id", "-created_at"], name="outbox_subject_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}: {self.title or self.claim_key}"
