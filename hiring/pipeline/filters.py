"""Filters of the candidate list, shared by the page and the API (`/api/applications/`).

Search: on PostgreSQL, full-text match of every word as a prefix against the candidate's
search document (name, e-mail, tags, note text; GIN index from migration 0004); on SQLite,
every word as a substring of that document.

The search document holds the text of every note, so it serves only those who may read every
note (recruiters, admins). Anyone else (a hiring manager, an interviewer) matches each word,
as a substring, in the name, e-mail and tags or in a note THEY may read: a note kept for the
hiring team never finds a candidate for an interviewer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from hiring.api_support import StrictFilterSet
from hiring.ids import MAX_ID
from hiring.pipeline.models import Application, Candidate, CandidateSource, Note, Tag
from hiring.pipeline.rules import ApplicationStatus

WORD = re.compile(r"[\w@.+-]+", re.UNICODE)


def search_words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)][:8]


def search_applications(
    rows: QuerySet[Application], text: str, *, notes: QuerySet[Note] | None = None
) -> QuerySet[Application]:
    """The rows whose candidate matches every word; `notes`: the notes whose text may match
    (None: every note, the search document)."""
    words = search_words(text)
    if not words:
        return rows
    if notes is not None:
        for word in words:
            rows = rows.filter(_profile_or_note(word, notes))
        return rows
    if connection.vendor == "postgresql":
        # Prefix match per word ("ali smi" finds "Alice Smith"); quotes keep ., @ and - literal.
        query = " & ".join("'" + w.replace("'", "") + "':*" for w in words)
        match = RawSQL(
            "to_tsvector('simple', hiring_candidate.search_document) @@ to_tsquery('simple', %s)",
            [query],
            output_field=BooleanField(),
        )
        return rows.alias(search_match=match).filter(search_match=True)
    for word in words:
        rows = rows.filter(candidate__search_document__icontains=word)
    return rows


def _profile_or_note(word: str, notes: QuerySet[Note]) -> Q:
    """The word in the candidate's name, e-mail or tags, or in one of `notes` about them."""
    tagged = Tag.objects.filter(candidates=OuterRef("candidate_id"), name__icontains=word)
    noted = notes.filter(application__candidate=OuterRef("candidate_id"), body__icontains=word)
    return (
        Q(candidate__name__icontains=word)
        | Q(candidate__email__icontains=word)
        | Q(Exists(tagged))
        | Q(Exists(noted))
    )


# No `notes` given: the search matches no note text (never more than the caller may read).
_NO_NOTES: Any = object()


class ApplicationFilter(StrictFilterSet):
    """The list's filters over `queryset`. The search matches the text of `notes` only: the
    notes the viewer may read (`selectors.searchable_notes`), None for every note."""

    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=200,
        help_text="Name, e-mail, tag or words from notes",
    )
    # Bounds: an id past the database's integer range, or a stale period past timedelta's,
    # would otherwise be a 500 instead of a form error.
    requisition = django_filters.NumberFilter(
        field_name="requisition_id", min_value=1, max_value=MAX_ID
    )
    stage = django_filters.CharFilter(
        field_name="stage__name", max_length=60, help_text="Stage name, e.g. Recruiter screen"
    )
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    source = django_filters.ChoiceFilter(
        field_name="candidate__source", choices=CandidateSource.choices
    )
    tag = django_filters.CharFilter(method="filter_tag", max_length=40)
    stale_days = django_filters.NumberFilter(
        method="filter_stale",
        min_value=0,
        max_value=36_500,
        help_text="In the current stage for more than N days",
    )

    class Meta:
        model = Application
        fields = ["q", "requisition", "stage", "status", "source", "tag", "stale_days"]

    def __init__(self, *args: Any, notes: QuerySet[Note] | None = _NO_NOTES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes = Note.objects.none() if notes is _NO_NOTES else notes

    def filter_q(self, rows: QuerySet[Application], name: str, value: str) -> QuerySet[Any]:
        return search_applications(rows, value, notes=self.notes)

    def filter_tag(self, rows: QuerySet[Application], name: str, value: str) -> QuerySet[Any]:
        tagged = Candidate.objects.filter(tags__name=value.strip().lower()).values("pk")
        return rows.filter(candidate_id__in=tagged)

    def filter_stale(self, rows: QuerySet[Application], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return rows
        cutoff = timezone.now() - dt.timedelta(days=int(value))
        return rows.filter(status=ApplicationStatus.ACTIVE, entered_stage_at__lt=cutoff)
