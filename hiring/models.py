import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One row per consequential change; rows are never updated or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The audit page filtered to one object: "history of this offer".
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit entries are append-only")


# The pipeline ------------------------------------------------------------------------------


class RequisitionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


class Requisition(models.Model):
    """An open job: a role profile at one level, with its own pipeline stages."""

    title = models.CharField(max_length=200)
    role = models.ForeignKey("roles.RoleProfile", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("roles.RoleLevel", on_delete=models.PROTECT, related_name="+")
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_requisitions"
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recruited_requisitions"
    )
    headcount = models.PositiveSmallIntegerField(default=1)
    location = models.CharField(max_length=120, blank=True)
    status = models.CharField(
        max_length=10, choices=RequisitionStatus.choices, default=RequisitionStatus.OPEN
    )
    opened_on = models.DateField()
    # On by default: interviewers judge production evidence, not degrees and schools.
    pedigree_blind = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class StageKind(models.TextChoices):
    """What a stage means to the product, whatever the requisition calls it."""

    APPLIED = "applied", "Applied"
    SCREEN = "screen", "Recruiter screen"
    INTERVIEW = "interview", "Structured interview"
    DEBRIEF = "debrief", "Debrief"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    CUSTOM = "custom", "Custom"


DEFAULT_STAGES = [
    StageKind.APPLIED,
    StageKind.SCREEN,
    StageKind.INTERVIEW,
    StageKind.DEBRIEF,
    StageKind.OFFER,
    StageKind.HIRED,
]


class Stage(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=StageKind.choices, default=StageKind.CUSTOM)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["requisition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "name"], name="stage_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CandidateSource(models.TextChoices):
    INBOUND = "inbound", "Inbound application"
    REFERRAL = "referral", "Referral"
    SOURCED = "sourced", "Sourced"
    AGENCY = "agency", "Agency"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


def resume_upload_path(instance: object, filename: str) -> str:
    """Random file name: the original name never reaches the file system."""
    import uuid
    from pathlib import PurePath

    return f"resumes/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:6]}"


class Candidate(models.Model):
    """A person, reusable across requisitions."""

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)  # normalised: stripped and lower-cased
    phone = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=120, blank=True)
    source = models.CharField(
        max_length=10, choices=CandidateSource.choices, default=CandidateSource.INBOUND
    )
    # Production evidence: what the candidate has shipped.
    portfolio_url = models.URLField(blank=True)
    github_url = models.URLField(blank=True)
    case_study_urls = models.JSONField(default=list, blank=True)
    shipped_systems = models.TextField(blank=True)
    # Credentials: hidden from interviewers in pedigree-blind requisitions.
    degrees = models.TextField(blank=True)
    schools = models.TextField(blank=True)
    certifications = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="candidates")
    resume = models.FileField(upload_to=resume_upload_path, blank=True)
    resume_name = models.CharField(max_length=200, blank=True)
    resume_content_type = models.CharField(max_length=100, blank=True)
    # Another candidate with the same e-mail: flagged, never overwritten; merged by a person.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # Name, e-mail, tags and note text in one place, for search (GIN index on PostgreSQL).
    search_document = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # Duplicate check on create and import: "is this e-mail already here?"
            models.Index(fields=["email"], name="candidate_email_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


END_STATES = {ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}

REJECTION_REASONS = [
    "Not enough production experience",
    "Structured interview below the bar",
    "Confirmed red flags",
    "Compensation out of band",
    "Role filled",
    "Other",
]
WITHDRAWAL_REASONS = [
    "Accepted another offer",
    "Compensation",
    "Location or remote policy",
    "Timing",
    "Stopped responding",
    "Other",
]


class Application(models.Model):
    """A candidate in a requisition's pipeline."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    entered_stage_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.ACTIVE
    )
    end_reason = models.CharField(max_length=120, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_applications",
    )
    next_step = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "requisition"], name="application_candidate_requisition"
            )
        ]
        indexes = [
            # The board: a requisition's active applications grouped by stage.
            models.Index(fields=["requisition", "status", "stage"], name="application_board_idx"),
            # Stale filter and the stalled digest: "in this stage since before X".
            models.Index(fields=["status", "entered_stage_at"], name="application_stale_idx"),
            # Candidate list default order (newest first) with keyset pagination.
            models.Index(fields=["-created_at", "-id"], name="application_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.requisition}"


class StageChange(models.Model):
    """History of an application: every move between stages and into end states."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_stage_id} → {self.to_stage_id}"


class Note(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.application_id}"


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Interview(models.Model):
    """A structured interview of an application.

    `ical_uid` and `sequence` identify the calendar invite: a reschedule re-sends it with the same
    UID and a higher SEQUENCE, a cancellation with METHOD:CANCEL. `ends_at` is stored (not only
    computed) so the scorecard-reminder sweep finds overdue scorecards with an indexed query.
    Which bank questions the interview covers, and for whom, is `assessments.InterviewQuestion`.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    round_name = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    ends_at = models.DateTimeField(editable=False)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    location = models.CharField(max_length=300, blank=True, help_text="Video link or room")
    status = models.CharField(
        max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "ends_at"], name="interview_ended_idx")]

    def __str__(self) -> str:
        return f"{self.round_name} · {self.application}"

    def save(self, *args, **kwargs):
        self.ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"starts_at", "duration_minutes"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "ends_at"}
        super().save(*args, **kwargs)


class DecisionOutcome(models.TextChoices):
    ADVANCE = "advance", "Advance to offer"
    REJECT = "reject", "Reject"
    HOLD = "hold", "Hold"


class Decision(models.Model):
    """The hiring manager's debrief decision. "Advance to offer" starts the offer clock.

    Decisions are appended, never edited: the latest one for an application is current, and
    `decided_at` of the latest "advance" is when the two-business-day offer clock started.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    reason = models.CharField(max_length=120, blank=True, help_text="Rejection reason")
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["application", "-decided_at"], name="decision_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} · {self.application}"


# Offers, approvals, the offer clock and notifications (issue 6) ---------------------------


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending approval"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    RESCINDED = "rescinded", "Rescinded"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded"


# An application has at most one offer in these statuses (a database constraint).
LIVE_OFFER_STATUSES = (
    OfferStatus.DRAFT,
    OfferStatus.PENDING,
    OfferStatus.APPROVED,
    OfferStatus.SENT,
)


class OfferClock(models.Model):
    """The two-business-day clock of one application: from "advance to offer" to offer sent.

    The deadlines are stored, computed once with the business calendar, so the reminder
    sweep finds what is due with one indexed comparison (`next_alert_at <= now`). A newer
    "advance" decision restarts the clock (`cycle` + 1, so its alerts can fire again).
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="offer_clock"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cycle = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField()
    escalate_at = models.DateTimeField()  # 1 business day after the start
    due_at = models.DateTimeField()  # 2 business days after the start: the deadline
    next_alert_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=40, blank=True)
    business_hours_to_send = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep: "clocks whose escalation or breach notice is due".
            models.Index(
                fields=["next_alert_at"],
                condition=models.Q(next_alert_at__isnull=False),
                name="offerclock_alert_idx",
            ),
            # Offers in flight, sorted by time left (running clocks by deadline).
            models.Index(
                fields=["due_at"],
                condition=models.Q(stopped_at__isnull=True),
                name="offerclock_running_idx",
            ),
            # The dashboard: offers sent in the last 30/90 days.
            models.Index(fields=["stop_reason", "stopped_at"], name="offerclock_stopped_idx"),
        ]

    def __str__(self) -> str:
        return f"Offer clock of application {self.application_id}"


class Offer(models.Model):
    """An offer for an application. Revisions are new rows pointing at the one they replace."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    revision = models.PositiveSmallIntegerField(default=1)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default="draft")
    base_salary = models.PositiveIntegerField()
    target_bonus = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="USD")
    level = models.ForeignKey("roles.RoleLevel", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    expires_on = models.DateField()
    notes = models.TextField(blank=True, help_text="Notes for approvers")
    justification = models.TextField(blank=True, help_text="Why an out-of-band offer is right")
    # The band check as it was when the offer was last submitted.
    band = models.ForeignKey(
        "compensation.Band", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    band_result = models.CharField(max_length=10, blank=True)
    approval_round = models.PositiveSmallIntegerField(default=0)
    returned_reason = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=LIVE_OFFER_STATUSES),
                name="offer_one_live_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(base_salary__gt=0), name="offer_base_salary_positive"
            ),
        ]
        indexes = [
            # The sweep: sent offers past their expiry date.
            models.Index(fields=["status", "expires_on"], name="offer_status_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"Offer r{self.revision} · {self.application}"

    @property
    def total_cash(self) -> int:
        return self.base_salary + self.target_bonus


class OfferChange(models.Model):
    """History of an offer's status: every transition, who made it and why."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, blank=True, choices=OfferStatus.choices)
    to_status = models.CharField(max_length=10, choices=OfferStatus.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.from_status} → {self.to_status}"


class ApproverSource(models.TextChoices):
    HIRING_MANAGER = "hiring_manager", "The requisition's hiring manager"
    FINANCE = "finance", "Finance/HR approvers"
    EXCEPTION = "exception", "Compensation-exception approvers"
    PEOPLE = "people", "Named people"


class ApprovalTemplateStep(models.Model):
    """One step of a requisition's approval template (none: the default chain is used)."""

    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="approval_template"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    source = models.CharField(max_length=20, choices=ApproverSource.choices)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    required_approvals = models.PositiveSmallIntegerField(default=1, help_text="N of the M")
    parallel_with_previous = models.BooleanField(
        default=False, help_text="Runs at the same time as the step before it"
    )

    class Meta:
        ordering = ["requisition", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["requisition", "position"], name="approval_template_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requisition_id} · {self.position}. {self.name}"


class StepStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for an earlier step"
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class ApprovalStep(models.Model):
    """A step of an offer's approval chain, built when the offer is submitted.

    Steps of one round with the same `position` run in parallel; a step is approved when
    `required_approvals` of its approvers approve (N of M). `next_reminder_at` is when the
    approvers' next reminder is due (4 business hours after the step opened, then each
    business morning).
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=ApproverSource.choices)
    required_approvals = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default="waiting")
    activated_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    wait_business_hours = models.FloatField(null=True, blank=True)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["offer", "round", "position", "id"]
        indexes = [
            # The sweep: "pending steps whose approvers' reminder is due".
            models.Index(
                fields=["next_reminder_at"],
                condition=models.Q(status="pending"),
                name="approvalstep_reminder_idx",
            ),
            # The dashboard: steps decided in the last 30/90 days, by name.
            models.Index(fields=["decided_at"], name="approvalstep_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (offer {self.offer_id}, round {self.round})"


class StepApprover(models.Model):
    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="approvers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, blank=True)  # "", "approve" or "reject"
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["step", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "user"], name="step_approver_unique")
        ]
        indexes = [
            # Home page: "approvals waiting for me" (my undecided seats).
            models.Index(fields=["user", "decision"], name="step_approver_mine_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on step {self.step_id}: {self.decision or 'waiting'}"


class UsedApprovalLink(models.Model):
    """A signed approval link that has been used: each link decides once."""

    nonce = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.nonce


class NotificationKind(models.TextChoices):
    APPROVAL_REQUESTED = "approval_requested", "Approval requested"
    APPROVER_REMINDER = "approver_reminder", "Approval reminder"
    ESCALATION = "escalation", "Offer escalation"
    BREACH = "breach", "Two-business-day breach"
    SCORECARD_REMINDER = "scorecard_reminder", "Scorecard reminder"
    STALLED_DIGEST = "stalled_digest", "Stalled applications digest"
    OFFER_RETURNED = "offer_returned", "Offer sent back to draft"
    OFFER_APPROVED = "offer_approved", "Offer approved"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"


class Notification(models.Model):
    """A reminder or notice for one user: the inbox entry and the claim on its e-mail.

    The unique key (recipient, kind, subject, sequence) is the claim that makes a reminder
    exactly-once: the sweep inserts the row in a transaction before any e-mail goes out, and
    a second sweep (or a second beat, or a retried task) finds it and adds nothing. The
    e-mail's own state is `email_status`: pending -> sending (leased until
    `email_next_attempt_at`) -> sent; a failure goes back to pending with a later attempt
    time (backoff), and after the last attempt to failed. A lease that runs out (a worker
    killed mid-send) makes the row pending again, so nothing is lost.
    """

    # No index of its own: the inbox index starts with the recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    subject_type = models.CharField(max_length=16)  # "step", "clock", "offer", "interview", "user"
    subject_id = models.BigIntegerField()
    # Which reminder of a series: 0 for the first, the local date (20260302) for daily ones.
    sequence = models.BigIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
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
        return f"{self.get_kind_display()} → {self.recipient_id}"
