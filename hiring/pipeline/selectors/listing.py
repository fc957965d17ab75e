"""The candidate list across requisitions: its query, sorting, keyset pagination and CSV rows.

Rows are applications (a candidate in a requisition) that the user may see, filtered by
`ApplicationFilter` (the same filters as the API). Pages are cut with a keyset cursor,
never OFFSET, and nothing counts the whole result: a deep page costs what the first does.

A cursor holds the sort, the last (or first) row's sort value and id, and the direction.
It is signed, so a link edited by hand is refused and the list starts again from the top.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils import timezone

from hiring.compiled import compiled
from hiring.errors import DomainError
from hiring.ids import MAX_ID
from hiring.pipeline.models import Application, Candidate, Stage

PAGE_SIZE = 50
CURSOR_SALT = "hiring.candidate-list.cursor"
STALE_AFTER_DAYS = 14


@dataclass(frozen=True)
class SortColumn:
    field: str  # the ordering field on Application
    kind: str  # "str", "int" or "datetime": how the cursor stores the value
    ascending: bool  # the direction of the column's first click
    # "Days in stage" grows as entered_stage_at shrinks: its arrows are the field's reversed.
    inverted: bool = False


SORT_COLUMNS: dict[str, SortColumn] = {
    "name": SortColumn("candidate__name", "str", ascending=True),
    "requisition": SortColumn("requisition__title", "str", ascending=True),
    "stage": SortColumn("stage_position", "int", ascending=True),
    "days": SortColumn("entered_stage_at", "datetime", ascending=True, inverted=True),
    "added": SortColumn("created_at", "datetime", ascending=False),
}
DEFAULT_SORT = "-added"


class CursorError(ValueError):
    """A cursor that was edited, is out of date, or belongs to another sort."""


@dataclass(frozen=True)
class Sort:
    key: str  # a SORT_COLUMNS key
    descending: bool

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    @property
    def column(self) -> SortColumn:
        return SORT_COLUMNS[self.key]

    def field_descending(self) -> bool:
        """Whether the database field runs high to low for this sort."""
        return self.descending != self.column.inverted


def sort_parse(param: str | None) -> Sort:
    """The sort named in the query string; anything unknown falls back to the default."""
    value = (param or DEFAULT_SORT).strip()
    key = value.removeprefix("-")
    if key not in SORT_COLUMNS:
        value, key = DEFAULT_SORT, DEFAULT_SORT.removeprefix("-")
    return Sort(key=key, descending=value.startswith("-"))


def sort_toggle(current: Sort, key: str) -> str:
    """The sort parameter a column header links to: flip if already sorted by it."""
    if current.key == key:
        return key if current.descending else f"-{key}"
    return key if SORT_COLUMNS[key].ascending else f"-{key}"


def list_rows(visible: QuerySet[Application]) -> QuerySet[Application]:
    """Everything one table row shows, fetched with a fixed number of queries."""
    return visible.select_related("candidate", "requisition", "stage").prefetch_related(
        "candidate__tags"
    )


def _ordered(rows: QuerySet[Application], sort: Sort, *, reverse: bool = False) -> QuerySet[Any]:
    descending = sort.field_descending() != reverse
    prefix = "-" if descending else ""
    return rows.order_by(f"{prefix}{sort.column.field}", f"{prefix}id")


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _decode(value: Any, kind: str) -> Any:
    if kind == "datetime" and isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise CursorError("naive time in cursor")
        return parsed
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "str" and isinstance(value, str):
        return value
    raise CursorError("cursor value of the wrong type")


def _value_of(application: Application, sort: Sort) -> Any:
    value: Any = application
    for part in sort.column.field.split("__"):
        value = getattr(value, part)
    return value


def cursor_make(application: Application, sort: Sort, direction: str) -> str:
    payload = {
        "s": sort.param,
        "v": _encode(_value_of(application, sort)),
        "id": application.pk,
        "d": direction,
    }
    return signing.dumps(payload, salt=CURSOR_SALT, compress=True)


@dataclass(frozen=True)
class Cursor:
    value: Any
    id: int
    direction: str  # "next": rows after this one; "prev": rows before it


def cursor_read(token: str, sort: Sort) -> Cursor:
    try:
        payload = signing.loads(token, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise CursorError("bad signature") from error
    if not isinstance(payload, dict) or payload.get("s") != sort.param:
        raise CursorError("cursor for another sort")
    row_id, direction = payload.get("id"), payload.get("d")
    if not isinstance(row_id, int) or direction not in ("next", "prev"):
        raise CursorError("malformed cursor")
    try:
        value = _decode(payload.get("v"), sort.column.kind)
    except ValueError as error:
        raise CursorError("malformed cursor value") from error
    return Cursor(value=value, id=row_id, direction=direction)


def _beyond(sort: Sort, cursor: Cursor) -> Q:
    """Rows strictly after the cursor in the order the page is read in."""
    field = sort.column.field
    descending = sort.field_descending() != (cursor.direction == "prev")
    op = "lt" if descending else "gt"
    return Q(**{f"{field}__{op}": cursor.value}) | Q(
        **{field: cursor.value, f"id__{op}": cursor.id}
    )


@dataclass
class Page:
    rows: list[Application]
    sort: Sort
    next_cursor: str | None
    prev_cursor: str | None


# What a row of the page shows and sorts by: the other columns of the three tables (the
# candidate's texts and search document above all) stay in the database.
PAGE_FIELDS = (
    *("candidate", "requisition", "stage", "stage_position", "entered_stage_at", "status"),
    *("end_reason", "created_at", "candidate__name", "candidate__email", "candidate__source"),
    *("requisition__title", "stage__name"),
)


def page_fetch(rows: QuerySet[Application], sort: Sort, cursor: Cursor | None) -> Page:
    """One page of PAGE_SIZE rows, plus cursors to the pages either side (None at an end).

    One extra row is read to learn whether another page follows; nothing is counted.
    """
    backwards = cursor is not None and cursor.direction == "prev"
    query = _ordered(rows.only(*PAGE_FIELDS).prefetch_related(None), sort, reverse=backwards)
    if cursor is not None:
        query = query.filter(_beyond(sort, cursor))
    found = list(query[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    if backwards:
        found.reverse()
        has_prev, has_next = more, True
    else:
        has_prev, has_next = cursor is not None, more
    now = timezone.now()
    tags = tag_names({a.candidate_id for a in found})
    for application in found:
        application.days_in_stage = days_in_stage(application, now)
        application.tag_names = tags.get(application.candidate_id, [])
    return Page(
        rows=found,
        sort=sort,
        next_cursor=cursor_make(found[-1], sort, "next") if found and has_next else None,
        prev_cursor=cursor_make(found[0], sort, "prev") if found and has_prev else None,
    )


def tag_names(candidate_ids: set[int]) -> dict[int, list[str]]:
    """Each candidate's tag names in one query (a prefetch built a manager per row)."""
    names: dict[int, list[str]] = {}
    for candidate_id, name in _tags_of(sorted(candidate_ids)):
        names.setdefault(candidate_id, []).append(name)
    return names


@compiled
def _tags_of(candidate_ids: list[int]) -> QuerySet[Any, tuple[int, str]]:
    through = Candidate.tags.through.objects.filter(candidate_id__in=candidate_ids)
    return through.values_list("candidate_id", "tag__name").order_by("tag__name")


def days_in_stage(application: Application, now: dt.datetime) -> int:
    return max(0, (now - application.entered_stage_at).days)


def stage_names(stages: QuerySet[Stage]) -> QuerySet[Stage, str]:
    """Distinct names of the given stages, for the bulk move and the filter."""
    return stages.values_list("name", flat=True).distinct().order_by("name")


# CSV export -------------------------------------------------------------------------------

EXPORT_HEADER = [
    "Name",
    "E-mail",
    "Phone",
    "Requisition",
    "Stage",
    "Status",
    "Days in stage",
    "Source",
    "Tags",
    "Added",
    "Portfolio",
    "GitHub",
    "Case studies",
]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_rows(rows: QuerySet[Application], sort: Sort) -> Iterator[list[str]]:
    """The header, then one row per application in the list's order, formula-safe.

    Credentials (degrees, schools, certifications) are never exported, whoever asks.
    """
    yield EXPORT_HEADER
    now = timezone.now()
    for application in _ordered(rows, sort).iterator(chunk_size=1000):
        candidate = application.candidate
        cells = [
            candidate.name,
            candidate.email,
            candidate.phone,
            application.requisition.title,
            application.stage.name,
            application.get_status_display(),
            days_in_stage(application, now),
            candidate.get_source_display(),
            ", ".join(tag.name for tag in candidate.tags.all()),
            timezone.localtime(application.created_at).strftime("%Y-%m-%d"),
            candidate.portfolio_url,
            candidate.github_url,
            " ".join(str(url) for url in candidate.case_study_urls or []),
        ]
        yield [csv_safe(cell) for cell in cells]


class _Echo:
    """A file that hands back what is written: csv.writer then yields lines to stream."""

    def write(self, value: str) -> str:
        return value


def export_lines(rows: QuerySet[Application], sort: Sort) -> Iterator[str]:
    """`export_rows` as CSV text, line by line, for a streaming response."""
    writer = csv.writer(_Echo())
    return (writer.writerow(row) for row in export_rows(rows, sort))


def selection_check(visible: QuerySet[Application], ids: list[int]) -> None:
    """Refuse the whole selection when any id is not an application the user may see."""
    # An id past the 64-bit range is no application; SQLite would refuse it with a 500.
    possible = [pk for pk in ids if 0 < pk <= MAX_ID]
    found = set(visible.filter(pk__in=possible).values_list("pk", flat=True))
    missing = len(set(ids) - found)
    if missing:
        raise DomainError(
            f"{missing} of the selected applications are not in your list any more; "
            "nothing was changed. Reload the page and try again."
        )
