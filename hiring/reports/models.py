"""The reports' summary table: one row per stay of an application in a stage.

Rebuilt from the stage history (`pipeline.StageChange`) by `reports_refresh` (a Celery task
beat runs every `REPORTS_REFRESH_MINUTES`); the pages say how old it is. The ids are plain
integers, not foreign keys: the table is a copy to aggregate, rebuilt whole, never edited.
"""

from __future__ import annotations

from django.db import models


class StayOutcome(models.TextChoices):
    ACTIVE = "active", "Still there"
    MOVED = "moved", "Moved on"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrew"
    HIRED = "hired", "Hired"


class StageStay(models.Model):
    application_id = models.IntegerField()
    requisition_id = models.IntegerField()
    role_id = models.IntegerField()
    level_id = models.IntegerField()
    source = models.CharField(max_length=10)
    applied_on = models.DateField()  # the application's first day in the pipeline (UTC)
    kind = models.CharField(max_length=10)  # the stage's kind (pipeline.StageKind)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True)
    outcome = models.CharField(max_length=10, choices=StayOutcome.choices)
    days = models.PositiveIntegerField(null=True)  # whole days in the stage, once left
    # Set at the rebuild, so that counting applications needs no COUNT(DISTINCT): the
    # application's first stay of all, and its first stay in a stage of this kind (two
    # interview stages, or a move back, give one application two stays of a kind).
    first_of_application = models.BooleanField(default=False)
    first_of_kind = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Every report: "stays of applications that applied between X and Y", by kind.
            models.Index(fields=["applied_on", "kind", "outcome"], name="stay_applied_idx"),
            # The requisition filter (and a hiring manager's scope): one requisition's stays.
            models.Index(fields=["requisition_id", "applied_on"], name="stay_requisition_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} in {self.kind}: {self.outcome}"


class ReportsRefresh(models.Model):
    """The last rebuild of the summary table: when, how many rows, how long it took."""

    refreshed_at = models.DateTimeField()
    stays = models.PositiveIntegerField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-refreshed_at"]

    def __str__(self) -> str:
        return f"Reports refreshed at {self.refreshed_at:%Y-%m-%d %H:%M}"
