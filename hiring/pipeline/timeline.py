"""The activity timeline of a candidate: every event of their applications, newest first.

The pipeline's own events are notes and stage changes. Other domains add theirs by
registering a source (`register_timeline_source`, from their AppConfig.ready()): assessments
adds interviews. A source takes the application ids and returns entries, each naming the
template that renders it, so the pipeline knows nothing of what another domain shows.
A constant number of queries whatever the number of applications or events: one per kind of
event; `applications` is already limited to what the viewer may see, and `notes` to the
notes they may read (`selectors.notes_visible_to`: interviewers read only shared ones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from hiring.compiled import compiled
from hiring.pipeline.models import Application, Note, StageChange
from hiring.pipeline.rules import END_STATES, ApplicationStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

NOTE = "note"
STAGE = "stage"


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: dt.datetime
    application: Application
    template: str  # renders the entry; gets `entry` in its context
    item: Any  # the row behind it: a Note, a StageChange, an Interview ...
    actor: User | None = None
    upcoming: bool = False  # a scheduled event still ahead (an interview)

    @property
    def verb(self) -> str:
        """What a stage change did, in the recruiter's words (entered, moved, rejected…)."""
        change = self.item
        if not isinstance(change, StageChange):
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


TimelineSource = Callable[[Mapping[int, Application]], Iterable[TimelineEntry]]
_sources: dict[str, TimelineSource] = {}


def register_timeline_source(name: str, source: TimelineSource) -> None:
    _sources[name] = source


NotesOf = Callable[[list[int]], Iterable[Note]]


def timeline(applications: Iterable[Application], *, notes: NotesOf) -> list[TimelineEntry]:
    """Every event of these applications, merged and sorted newest first; of their notes,
    those `notes` gives for their ids (the ones the viewer may read, with their authors:
    `selectors.readable_notes`)."""
    by_id = {application.pk: application for application in applications}
    if not by_id:
        return []
    entries = [*_notes(by_id, notes), *_stage_changes(by_id)]
    for source in _sources.values():
        entries.extend(source(by_id))
    # Same instant (a note written with a move): keep a stable order by kind and id.
    entries.sort(key=lambda e: (e.at, e.kind, e.item.pk), reverse=True)
    return entries


def _notes(by_id: Mapping[int, Application], readable: NotesOf) -> list[TimelineEntry]:
    notes = readable(list(by_id))
    return [
        TimelineEntry(
            NOTE, n.created_at, by_id[n.application_id], "pipeline/candidate/_event_note.jinja", n,
            actor=n.author,
        )
        for n in notes
    ]  # fmt: skip


@compiled
def _stage_changes_of(application_ids: list[int]) -> QuerySet[StageChange]:
    return StageChange.objects.filter(application_id__in=application_ids).select_related(
        "from_stage", "to_stage", "actor"
    )


def _stage_changes(by_id: Mapping[int, Application]) -> list[TimelineEntry]:
    changes = _stage_changes_of(list(by_id))
    return [
        TimelineEntry(
            STAGE, c.at, by_id[c.application_id], "pipeline/candidate/_event_stage.jinja", c,
            actor=c.actor,
        )
        for c in changes
    ]  # fmt: skip
