"""Role profiles, their levels and interview loops, and the team-plan rules."""

from __future__ import annotations

from typing import Any

from django.db import models


class PlaybookInfo(models.Model):
    """The loaded playbook's header and scoring thresholds (one row)."""

    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    scoring = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class RoleProfile(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    summary = models.TextField()
    signals = models.JSONField(default=list)
    misrepresented = models.TextField(blank=True)
    focus = models.TextField(blank=True)
    when_to_hire = models.TextField(blank=True)
    interview_signal = models.TextField(blank=True)
    hiring_sequence = models.JSONField(null=True, blank=True)
    guidance = models.JSONField(default=list)
    sources = models.JSONField(default=list)
    questions: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "assessments.Question", through="LoopQuestion", related_name="roles"
    )

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class RoleLevel(models.Model):
    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role__position", "position"]
        constraints = [models.UniqueConstraint(fields=["role", "name"], name="role_level_unique")]

    def __str__(self) -> str:
        return f"{self.role.title} · {self.name}"


class LoopQuestion(models.Model):
    """One step of a role's interview loop: which bank question, in which order."""

    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="loop")
    question = models.ForeignKey("assessments.Question", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["role", "question"], name="loop_question_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role_id}: {self.position}. {self.question_id}"


class TeamRule(models.Model):
    """A team-plan warning; `conditions` are the TeamRule fields of the playbook schema."""

    key = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    message = models.TextField()
    reason = models.TextField()
    source = models.CharField(max_length=120, blank=True)
    conditions = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.key
