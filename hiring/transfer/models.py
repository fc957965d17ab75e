"""Imports that run in the background: the job (who, what file, how far) and its rows.

The rows of an uploaded file are stored as ImportLine rows when the job is created; the task
takes the waiting ones in batches, each batch in one transaction with its candidates and the
job's counters, so a killed worker leaves whole batches done and the rest waiting (see
services/imports.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.pipeline.models import Requisition
from hiring.transfer.rules import ImportFormat, ImportStatus, LineOutcome


class ImportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    file_name = models.CharField(max_length=200)
    format = models.CharField(max_length=10, choices=ImportFormat.choices)
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    include_duplicates = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)  # written, and flagged as duplicates
    refused = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why a failed job stopped
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Each batch sets it: the sweep re-queues an unfinished job nobody has moved for a while.
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The imports page: "my jobs, newest first".
            models.Index(fields=["created_by", "-created_at"], name="importjob_mine_idx"),
            # The sweep: unfinished jobs not moved since a while.
            models.Index(fields=["status", "updated_at"], name="importjob_stalled_idx"),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.file_name})"


class ImportLine(models.Model):
    """One row of an import: where it was in the file, its values, and what became of it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveIntegerField()  # the order rows are taken in (1, 2, ...)
    where = models.CharField(max_length=240)  # "line 12", "item 3", "ada.json"
    # The row's values by CSV column (and, from JSON Resume, the fields it fills beyond them).
    # Emptied once the row is written: the candidate holds them now.
    values = models.JSONField(default=dict)
    outcome = models.CharField(
        max_length=10, choices=LineOutcome.choices, default=LineOutcome.PENDING
    )
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            # One row per place in the file: a row is never taken (nor written) twice.
            models.UniqueConstraint(fields=["job", "number"], name="importline_once")
        ]
        indexes = [
            # The task's next batch ("the waiting rows, in order") and the refused list.
            models.Index(fields=["job", "outcome", "number"], name="importline_outcome_idx")
        ]

    def __str__(self) -> str:
        return f"{self.job_id} {self.where}: {self.outcome}"
