"""The interview bank and red flags. Questions are versioned: what was asked stays asked."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models

from assessments.rules import InterviewStatus, ScorecardStatus


class Question(models.Model):
    """A bank question. Its wording lives in versions; `current_version` is the one asked now."""

    key = models.SlugField(max_length=60, unique=True)
    number = models.PositiveSmallIntegerField()
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Q{self.number} {self.key}"


class QuestionVersion(models.Model):
    """Immutable wording of a question. Scorecards point here, so edits never rewrite them."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    what_to_hear = models.TextField()
    red_flag = models.TextField(blank=True)
    source = models.CharField(max_length=120, blank=True)
    # The anchors of the two middle ratings (No, Yes): admins write them; empty until written.
    # The outer two are the playbook's own text: "Strong yes" is `what_to_hear`, "Definitely
    # not" is `red_flag`. All four are part of the version, so a scorecard keeps what it showed.
    anchor_no = models.TextField(blank=True)
    anchor_yes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question__number", "version"]
        constraints = [
            models.UniqueConstraint(fields=["question", "version"], name="question_version_unique")
        ]

    def __str__(self) -> str:
        return f"Q{self.question.number} v{self.version}"

    def anchors(self) -> list[tuple[int, str, str]]:
        """(rating, label, anchor) for the four ratings, Definitely not first; "" = none."""
        texts = {1: self.red_flag, 2: self.anchor_no, 3: self.anchor_yes, 4: self.what_to_hear}
        return [(value, str(label), texts[value]) for value, label in Rating.choices]


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class RedFlag(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    explanation = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    source = models.CharField(max_length=120, blank=True)
    questions = models.ManyToManyField(Question, related_name="red_flags")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.title


class InterviewQuestion(models.Model):
    """A bank question an interview covers, in order, optionally assigned to one interviewer.

    By default an interview covers its role's loop; a recruiter can split the loop across
    interviews or interviewers. With `interviewer` empty, every interviewer of the interview
    asks it. The version is fixed when the question is assigned: it is what gets asked.
    """

    interview = models.ForeignKey("Interview", on_delete=models.CASCADE, related_name="questions")
    question_version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering = ["interview", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "question_version", "interviewer"],
                name="interview_question_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_version} in {self.interview_id}"


class Rating(models.IntegerChoices):
    """The four-point scale of a question rating."""

    DEFINITELY_NOT = 1, "Definitely not"
    NO = 2, "No"
    YES = 3, "Yes"
    STRONG_YES = 4, "Strong yes"


class Recommendation(models.TextChoices):
    """Overall recommendation: the values the major ATSs and their unified APIs use."""

    DEFINITELY_NOT = "definitely_not", "Definitely not"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"
    NO_DECISION = "no_decision", "No decision"


class Scorecard(models.Model):
    """One interviewer's scorecard for one interview.

    `version` increases on every save; a save must name the version it was based on
    (optimistic concurrency: a stale save is refused with 409, nothing is lost).
    """

    interview = models.ForeignKey("Interview", on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    status = models.CharField(
        max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["interview", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="scorecard_interview_interviewer"
            )
        ]
        indexes = [models.Index(fields=["status", "interview"], name="scorecard_status_idx")]

    def __str__(self) -> str:
        return f"Scorecard {self.interviewer} · {self.interview}"


class ScorecardAnswer(models.Model):
    """Rating and notes for one question on a scorecard, against the version that was asked."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="answers")
    question_version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["scorecard", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "question_version"], name="scorecard_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_version}: {self.get_rating_display() or 'unrated'}"


class ScorecardRedFlag(models.Model):
    """A red flag on a scorecard, with the line of evidence it needs when raised.

    Every scorecard gets one row per red flag when it is created, with `raised` off: an
    autosave is then always an UPDATE of one row, and unticking a flag keeps the evidence
    typed so far (no text is ever lost).
    """

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="red_flags")
    red_flag = models.ForeignKey(RedFlag, on_delete=models.PROTECT, related_name="+")
    raised = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["scorecard", "red_flag__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "red_flag"], name="scorecard_red_flag_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.red_flag} on {self.scorecard_id}"


class ScorecardChange(models.Model):
    """History of a scorecard's status: each submit and each admin's reopen, who and why."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=ScorecardStatus.choices)
    to_status = models.CharField(max_length=10, choices=ScorecardStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.scorecard_id}: {self.from_status} → {self.to_status}"


class InviteMethod(models.TextChoices):
    REQUEST = "REQUEST", "Invite or update"
    CANCEL = "CANCEL", "Cancellation"


class InterviewInvite(models.Model):
    """One calendar e-mail sent to one person for one SEQUENCE of an interview's invite.

    The row is inserted (claimed) before the e-mail is sent, in the same transaction: a task
    run twice, or a sweep after a crash, finds the row and sends nothing twice.
    """

    interview = models.ForeignKey("Interview", on_delete=models.CASCADE, related_name="invites")
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sequence = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=InviteMethod.choices)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["interview", "sequence", "id"]
        constraints = [
            # Also serves "what did this person last get for this interview?" (reconcile).
            models.UniqueConstraint(
                fields=["interview", "attendee", "sequence"], name="interview_invite_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} #{self.sequence} to {self.attendee_id} for {self.interview_id}"


# Interviews and the debrief decision (tables kept from the hiring app) ----------------------


class Interview(models.Model):
    """A structured interview of an application.

    `ical_uid` and `sequence` identify the calendar invite: a reschedule re-sends it with the same
    UID and a higher SEQUENCE, a cancellation with METHOD:CANCEL. `ends_at` is stored (not only
    computed) so the scorecard-reminder sweep finds overdue scorecards with an indexed query.
    Which bank questions the interview covers, and for whom, is `assessments.InterviewQuestion`.
    """

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="interviews"
    )
    round_name = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    ends_at = models.DateTimeField(editable=False)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="interviews",
        db_table="hiring_interview_interviewers",
    )
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
        db_table = "hiring_interview"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "ends_at"], name="interview_ended_idx")]

    def __str__(self) -> str:
        return f"{self.round_name} · {self.application}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"starts_at", "duration_minutes"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "ends_at"}
        super().save(*args, **kwargs)


class InterviewChange(models.Model):
    """History of an interview's status: every transition, who made it and why."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=InterviewStatus.choices)
    to_status = models.CharField(max_length=10, choices=InterviewStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.interview_id}: {self.from_status} → {self.to_status}"


class DecisionOutcome(models.TextChoices):
    ADVANCE = "advance", "Advance to offer"
    REJECT = "reject", "Reject"
    HOLD = "hold", "Hold"


class Decision(models.Model):
    """The hiring manager's debrief decision. "Advance to offer" starts the offer clock.

    Decisions are appended, never edited: the latest one for an application is current, and
    `decided_at` of the latest "advance" is when the two-business-day offer clock started.
    """

    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    reason = models.CharField(max_length=120, blank=True, help_text="Rejection reason")
    comment = models.TextField(blank=True)
    # Advancing against the evidence (signal Strong no, or a confirmed red flag) needs a
    # written reason, kept with the decision so the hire can be explained later.
    override_reason = models.TextField(blank=True)
    # What the evidence said when the decision was made ("Strong no: confirmed red flag …").
    evidence_headline = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(db_index=True)
    # The scoring summary and its reasons as they were at the decision (scoring.snapshot):
    # never recomputed, so a later playbook edit does not rewrite why a candidate was hired.
    explanation = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "hiring_decision"
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["application", "-decided_at"], name="decision_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} · {self.application}"
