"""The pipeline: requisitions and their stages, candidates, applications, history, notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

# REJECTION_REASONS: assessments (the debrief's reject) still reads it from here.
from hiring.pipeline.rules import REJECTION_REASONS as REJECTION_REASONS
from hiring.pipeline.rules import ApplicationStatus, RequisitionStatus


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
        db_table = "hiring_requisition"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class RequisitionChange(models.Model):
    """History of a requisition's status: every transition, who made it and why."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=RequisitionStatus.choices)
    to_status = models.CharField(max_length=10, choices=RequisitionStatus.choices)
    reason = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.requisition_id}: {self.from_status} → {self.to_status}"


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
        db_table = "hiring_stage"
        ordering = ["requisition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "name"], name="stage_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        db_table = "hiring_tag"
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
    # An IANA zone ("Europe/Berlin") the candidate's e-mails and invites show times in;
    # empty means the company's (COMPANY_TIME_ZONE).
    time_zone = models.CharField(max_length=64, blank=True)
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
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="candidates", db_table="hiring_candidate_tags"
    )
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
        db_table = "hiring_candidate"
        ordering = ["name", "id"]
        indexes = [
            # Duplicate check on create and import: "is this e-mail already here?"
            models.Index(fields=["email"], name="candidate_email_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """A candidate in a requisition's pipeline."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    # The stage's position, copied here so the list's "Stage" sort reads one index instead
    # of sorting every row through a join. Kept by application_create/application_move and
    # the stage editor (stages_set), which are the only writers of both.
    stage_position = models.PositiveSmallIntegerField(default=0)
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
        db_table = "hiring_application"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "requisition"], name="application_candidate_requisition"
            )
        ]
        indexes = [
            # The board: a requisition's active applications grouped by stage.
            models.Index(fields=["requisition", "status", "stage"], name="application_board_idx"),
            # Stale filter and the stalled digest: "in this stage since before X"; with the id,
            # also the home page's lists of active applications, longest waiting first (at
            # 100,000 applications its "to schedule" list read 90,000 rows in 35 ms without).
            models.Index(fields=["status", "entered_stage_at", "id"], name="application_stale_idx"),
            # Candidate list default order (newest first) with keyset pagination.
            models.Index(fields=["-created_at", "-id"], name="application_recent_idx"),
            # Candidate list sorted by stage (either direction) with keyset pagination.
            models.Index(fields=["stage_position", "id"], name="application_stage_sort_idx"),
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
        db_table = "hiring_stagechange"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_stage_id} → {self.to_stage_id}"


class NoteVisibility(models.TextChoices):
    """Who reads a note besides its author. Recruiters' notes carry what interviewers must
    not judge by (a salary ask, a competing offer): the hiring team only, unless shared."""

    TEAM = "team", "Hiring team"  # recruiters, the requisition's hiring manager, admins
    SHARED = "shared", "Shared with interviewers"


class Note(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "hiring_note"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.application_id}"


class CandidateImport(models.Model):
    """A previewed CSV file, kept for its confirm, which claims it once (services/imports.py).

    The confirm sets `imported_at` with a compare-and-set UPDATE in the import's transaction,
    so of two confirms at once (a double click) only one writes; the other is shown `result`.
    The file's text is cleared once imported; rows a day old are deleted at the next preview.
    """

    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    # Index: the clean-up of day-old previews (CandidateImport.objects.filter(created_at__lt=...)).
    created_at = models.DateTimeField(db_index=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.file_name}"
