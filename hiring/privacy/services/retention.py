"""The retention period: candidates whose applications all ended long ago are anonymised.

Run daily by beat (hiring.privacy.tasks) and by `manage.py retention`. Exactly once: each
candidate is erased in a transaction of its own that re-checks, under the candidate's row
lock, that they are still due (an application reopened meanwhile keeps them), and inserts
the Erasure row, the claim a second sweep then finds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from hiring.pipeline.models import Candidate
from hiring.privacy.rules import ErasureReason
from hiring.privacy.selectors import retention_due
from hiring.privacy.services.erasure import candidate_anonymise


@dataclass(frozen=True)
class Due:
    candidate_id: int
    name: str


def retention_candidates(*, now: dt.datetime, months: int) -> list[Due]:
    """Who the sweep would anonymise now (none when retention is off, `months` 0)."""
    if months <= 0:
        return []
    rows = retention_due(now=now, months=months).values_list("pk", "name")
    return [Due(candidate_id=pk, name=name) for pk, name in rows]


def retention_sweep(*, now: dt.datetime, months: int) -> list[Due]:
    """Anonymise every candidate whose retention period is over; returns who was."""
    erased = []
    for due in retention_candidates(now=now, months=months):
        if _erase_if_still_due(due.candidate_id, now=now, months=months):
            erased.append(due)
    return erased


def _erase_if_still_due(candidate_id: int, *, now: dt.datetime, months: int) -> bool:
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
        if candidate is None:
            return False
        if not retention_due(now=now, months=months).filter(pk=candidate_id).exists():
            return False  # reopened, hired or erased since the list was read
        candidate_anonymise(candidate=candidate, actor=None, reason=ErasureReason.RETENTION)
    return True
