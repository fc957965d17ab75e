"""The careers page's entries on the candidate's timeline: "applied on the careers page",
with the source and the answers they gave (one query for all the applications)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from hiring.careers.models import Submission
from hiring.compiled import compiled
from hiring.pipeline.models import Application
from hiring.pipeline.timeline import TimelineEntry


@compiled
def _submissions_of(application_ids: list[int]) -> QuerySet[Submission]:
    return Submission.objects.filter(application_id__in=application_ids)


def submission_timeline_entries(by_id: Mapping[int, Application]) -> list[TimelineEntry]:
    rows = _submissions_of(list(by_id))
    return [
        TimelineEntry(
            "applied",
            row.consented_at,
            by_id[row.application_id],
            "careers/_event_applied.jinja",
            row,
        )
        for row in rows
    ]
