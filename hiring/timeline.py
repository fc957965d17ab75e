"""The activity timeline of a candidate: notes, stage changes and interviews, newest first.

Four queries whatever the number of applications or events (one per kind, plus interviewers);
`applications` is already limited to what the viewer may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from hiring.models import (
    END_STATES,
    Application,
    ApplicationStatus,
    Interview,
    Note,
    StageChange,
)

NOTE = "note"
STAGE = "stage"
INTERVIEW = "interview"


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: dt.datetime
    application: Application
    actor: Any = None
    note: Note | None = None
    change: StageChange | None = None
    interview: Interview | None = None

    @property
    def verb(self) -> str:
        """What a stage change did, in the recruiter's words (entered, moved, rejected…)."""
        change = self.change
        if change is None:
            return self.kind
        if change.from_stage_id is None and not change.from_status:
            return "entered"
        if change.to_status in END_STATES:
            return change.to_status
        if change.from_status in END_STATES:
            return "reopened"
        if change.to_status == ApplicationStatus.HIRED:
            return "hired"
        return "moved"

    @property
    def upcoming(self) -> bool:
        return self.kind == INTERVIEW and self.at > timezone.now()


def timeline(applications: Iterable[Application]) -> list[TimelineEntry]:
    """Every event of these applications, merged and sorted newest first."""
    by_id = {application.pk: application for application in applications}
    if not by_id:
        return []
    ids = list(by_id)
    entries = [
        TimelineEntry(NOTE, n.created_at, by_id[n.application_id], actor=n.author, note=n)
        for n in Note.objects.filter(application_id__in=ids).select_related("author")
    ]
    entries += [
        TimelineEntry(STAGE, c.at, by_id[c.application_id], actor=c.actor, change=c)
        for c in StageChange.objects.filter(application_id__in=ids).select_related(
            "from_stage", "to_stage", "actor"
        )
    ]
    interviews = Interview.objects.filter(application_id__in=ids).prefetch_related(
        Prefetch("interviewers")
    )
    entries += [
        TimelineEntry(INTERVIEW, i.starts_at, by_id[i.application_id], interview=i)
        for i in interviews
    ]
    # Same instant (a note written with a move): keep a stable order by kind and id.
    entries.sort(key=lambda e: (e.at, e.kind, _id(e)), reverse=True)
    return entries


def _id(entry: TimelineEntry) -> int:
    row = entry.note or entry.change or entry.interview
    return row.pk if row is not None else 0
