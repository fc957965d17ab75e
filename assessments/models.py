"""The interview bank and red flags. Questions are versioned: what was asked stays asked."""

from __future__ import annotations

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
