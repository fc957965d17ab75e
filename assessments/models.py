"""The interview bank and red flags. Questions are versioned: what was asked stays asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question__number", "version"]
        constraints = [
            models.UniqueConstraint(fields=["question", "version"], name="question_version_unique")
        ]

    def __str__(self) -> str:
        return f"Q{self.question.number} v{self.version}"


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

    interview = models.ForeignKey(
        "hiring.Interview", on_delete=models.CASCADE, related_name="questions"
    )
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


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Scorecard(models.Model):
    """One interviewer's scorecard for one interview.

    `version` increases on every save; a save must name the version it was based on
    (optimistic concurrency: a stale save is refused with 409, nothing is lost).
    """

    interview = models.ForeignKey(
        "hiring.Interview", on_delete=models.CASCADE, related_name="scorecards"
    )
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


class InviteMethod(models.TextChoices):
    REQUEST = "REQUEST", "Invite or update"
    CANCEL = "CANCEL", "Cancellation"


class InterviewInvite(models.Model):
    """One calendar e-mail sent to one person for one SEQUENCE of an interview's invite.

    The row is inserted (claimed) before the e-mail is sent, in the same transaction: a task
    run twice, or a sweep after a crash, finds the row and sends nothing twice.
    """

    interview = models.ForeignKey(
        "hiring.Interview", on_delete=models.CASCADE, related_name="invites"
    )
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
