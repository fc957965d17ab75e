"""Rebuilding the reports' summary table from the stage history."""

from __future__ import annotations

import time
from itertools import groupby
from typing import Any

from django.db import transaction
from django.utils import timezone

from hiring.pipeline.models import StageChange
from hiring.reports.models import ReportsRefresh, StageStay
from hiring.reports.rules import Change, stays_of

BATCH = 5000


@transaction.atomic
def reports_refresh() -> ReportsRefresh:
    """Replace the summary table with stays rebuilt from every application's history.

    One transaction: a page never sees it half built (it reads the old table until the
    commit). Safe to run twice: each run replaces the whole table."""
    started = time.monotonic()
    StageStay.objects.all().delete()
    rows = (
        StageChange.objects.order_by("application_id", "at", "id")
        .values_list(
            "application_id",
            "to_stage_id",
            "to_stage__kind",
            "to_status",
            "at",
            "application__requisition_id",
            "application__requisition__role_id",
            "application__requisition__level_id",
            "application__candidate__source",
            "application__created_at",
        )
        .iterator(chunk_size=BATCH)
    )
    batch: list[StageStay] = []
    count = 0
    for application_id, history in groupby(rows, key=lambda row: row[0]):
        changes = list(history)
        first = changes[0]
        kinds: set[str] = set()
        for stay in stays_of(Change(r[1], r[2] or "", r[3], r[4]) for r in changes):
            row = _row(application_id, first, stay)
            row.first_of_application = not kinds
            row.first_of_kind = stay.kind not in kinds
            kinds.add(stay.kind)
            batch.append(row)
        if len(batch) >= BATCH:
            StageStay.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    StageStay.objects.bulk_create(batch)
    count += len(batch)
    return ReportsRefresh.objects.create(
        refreshed_at=timezone.now(), stays=count, seconds=time.monotonic() - started
    )


def _row(application_id: int, first: tuple[Any, ...], stay: Any) -> StageStay:
    return StageStay(
        application_id=application_id,
        requisition_id=first[5],
        role_id=first[6],
        level_id=first[7],
        source=first[8],
        applied_on=first[9].date(),
        kind=stay.kind,
        entered_at=stay.entered_at,
        left_at=stay.left_at,
        outcome=stay.outcome,
        days=stay.days,
    )
