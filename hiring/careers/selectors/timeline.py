"""The careers page's entries on the candidate's timeline: "applied on the careers page",
with the source and the answers they gave (one query for all the applications)."""

from __future__ import annotations

from collections.abc import Mapping

from hiring.careers.models import Submission
from hiring.pipeline.models import Application
from hiring.pipeline.timeline import TimelineEntry


def submission_timeline_entries(by_id: Mapping[int, Application]) -> list[TimelineEntry]:
    rows = Submission.objects.filter(application_id__in=list(by_id))
    return [
        TimelineEntry(
            "applied",
            row.consented_at,
            by_id[row.application_id],
            "careers/_event_applied.html",
            row,
        )
        for row in rows
    ]
