"""The record that a candidate's personal data was erased: also the claim that makes the
erasure happen once."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiring.privacy.rules import ErasureReason


class Erasure(models.Model):
    """One row per erased candidate record, inserted in the transaction that erases it.

    The one-to-one key is the claim: a second erasure of the same candidate (a double click,
    the retention sweep run twice or by two beats) finds the row and changes nothing. What
    is left of the candidate is counts, stages, ratings, statuses and dates; who erased them
    and why is here and in the audit log.
    """

    candidate = models.OneToOneField(
        "pipeline.Candidate", on_delete=models.CASCADE, related_name="erasure"
    )
    reason = models.CharField(max_length=10, choices=ErasureReason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Erasure of candidate #{self.candidate_id} ({self.reason})"
