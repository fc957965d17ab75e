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
