"""The pipeline board's reads: its columns, the first cards of each, the next batch of one,
and the board page's context.

A column shows at most BOARD_COLUMN_CAP cards, longest in the stage first; its header
carries the true count. "Show more" reads the next batch of one column after the last
card shown (a keyset on entered_stage_at and id, never OFFSET), so a column of 2,000
cards costs the same per batch as one of 60.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from hiring.compiled import compiled
from hiring.permissions import can
from hiring.pipeline.extensions import card_actions
from hiring.pipeline.models import Application, Candidate, Requisition, Stage
from hiring.pipeline.rules import CLOSED_REQUISITIONS, ApplicationStatus
from hiring.pipeline.selectors import requisitions_visible_to, stage_counts

if TYPE_CHECKING:
    from hiring.pipeline.selectors import Viewer

# A card turns amber, then red, when the application has waited this long in its stage.
STALE_AMBER_DAYS = 7
STALE_RED_DAYS = 14
# Cards drawn per column, and per "Show more" batch. Rendering cards is most of the
# board's cost: 50 per column (over 300 cards, 30 us each) were a third of the board's
# time; 25 fill more than a screen's height and halve that, and the page's size.
BOARD_COLUMN_CAP = 25
ON_BOARD = (ApplicationStatus.ACTIVE, ApplicationStatus.HIRED)
CARD_FIELDS = (
    *("id", "candidate_id", "candidate_name", "stage_id", "entered_stage_at", "next_step"),
    "status",
)
# A card: CARD_FIELDS plus stale ("", "amber" or "red"), since (the date it entered the
# stage) and waited ("3 days in stage"), worked out here to keep the template's loop lean.
Card = dict[str, Any]


@dataclass(frozen=True)
class After:
    """The last card a column shows: the next batch starts after it."""

    entered_stage_at: dt.datetime
    id: int


@dataclass
class Column:
    requisition: Requisition
    stage: Stage
    stages: list[Stage]
    cards: list[Card] = field(default_factory=list)
    count: int = 0
    # A card shown out of its turn (just moved here, past the cap): later batches skip it.
    skip: int | None = None

    @property
    def more(self) -> int:
        """Cards in the stage not shown yet."""
        return max(self.count - len(self.cards), 0)

    @property
    def next_batch(self) -> int:
        return min(self.more, BOARD_COLUMN_CAP)

    @property
    def more_url(self) -> str:
        """The fragment with the next batch, after the last card shown in its turn."""
        last = next((c for c in reversed(self.cards) if c["id"] != self.skip), None)
        params: dict[str, Any] = {}
        if last is not None:
            params = {"after": last["entered_stage_at"].isoformat(), "after_id": last["id"]}
        if self.skip:
            params["skip"] = self.skip
        base = reverse("requisitions:cards", args=[self.requisition.pk, self.stage.pk])
        return f"{base}?{urlencode(params)}" if params else base

    @property
    def list_url(self) -> str:
        """Every card of the column, in the candidate list: the link without JavaScript."""
        query = urlencode({"requisition": self.requisition.pk, "stage": self.stage.name})
        return f"{reverse('candidates:list')}?{query}"

    @property
    def move_options(self) -> SafeString:
        # Built once per column rather than looped in the template for each of its cards:
        # the per-card loop was a fifth of the board's rendering time.
        others = [(s.pk, s.name) for s in self.stages if s.pk != self.stage.pk]
        return format_html_join("", '<option value="{}">{}</option>', others)


def _on_board(requisition_id: int) -> QuerySet[Application]:
    # The name as a subquery, not a join: PostgreSQL then looks up only the names of the
    # cards the window keeps (300), where a join hashed the whole candidate table (~25 ms).
    name = Candidate.objects.filter(pk=OuterRef("candidate_id")).values("name")[:1]
    return Application.objects.filter(requisition_id=requisition_id, status__in=ON_BOARD).annotate(
        candidate_name=Subquery(name)
    )


@compiled
def _stages_of(requisition_id: int) -> QuerySet[Stage]:
    return Stage.objects.filter(requisition_id=requisition_id).order_by("position")


@compiled
def _first_cards(requisition_id: int) -> QuerySet[Any]:
    """At most BOARD_COLUMN_CAP cards per stage, longest-waiting first, in one query."""
    rank = Window(
        RowNumber(),
        partition_by=[F("stage_id")],
        order_by=[F("entered_stage_at").asc(), F("id").asc()],
    )
    return (
        _on_board(requisition_id)
        .annotate(rank=rank)
        .filter(rank__lte=BOARD_COLUMN_CAP)
        .order_by("entered_stage_at", "id")
        .values(*CARD_FIELDS)
    )


def stale(age: dt.timedelta) -> str:
    if age > dt.timedelta(days=STALE_RED_DAYS):
        return "red"
    if age > dt.timedelta(days=STALE_AMBER_DAYS):
        return "amber"
    return ""


MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _cards(rows: Iterable[dict[str, Any]]) -> list[Card]:
    """Rows as the cards the template draws: plain dicts, with days in stage and colour.

    Dicts, not model instances: the template resolves a dict key at its first try, and
    the board draws 300 cards of a dozen lookups each.
    """
    now, here = timezone.now(), timezone.get_current_timezone()
    cards = []
    for row in rows:
        age = now - row["entered_stage_at"]
        since = row["entered_stage_at"].astimezone(here)
        days = age.days
        row["stale"] = stale(age)
        row["since"] = f"{since.day} {MONTHS[since.month]} {since.year}"
        row["waited"] = (
            f"{days} day{'' if days == 1 else 's'} in stage" if days else "Entered today"
        )
        cards.append(row)
    return cards


@dataclass
class Board:
    columns: list[Column]
    rejected: int
    withdrawn: int

    @property
    def on_board(self) -> int:
        return sum(c.count for c in self.columns)


def board_read(requisition: Requisition, *, focus: int | None = None) -> Board:
    """Every column with its count and first cards: three queries, whatever the numbers.

    `focus` is a card that must show even past the cap (the one just moved, so the
    keyboard user keeps their place); it costs one more query only when it is past it.
    """
    stages = list(_stages_of(requisition.pk))
    columns = {s.pk: Column(requisition=requisition, stage=s, stages=stages) for s in stages}
    ended = {ApplicationStatus.REJECTED: 0, ApplicationStatus.WITHDRAWN: 0}
    for stage_id, by_status in stage_counts([requisition.pk]).get(requisition.pk, {}).items():
        columns[stage_id].count = sum(by_status.get(s, 0) for s in ON_BOARD)
        for status in ended:
            ended[status] += by_status.get(status, 0)
    cards = list(_first_cards(requisition.pk))
    if focus is not None and all(card["id"] != focus for card in cards):
        extra = list(_on_board(requisition.pk).filter(pk=focus).values(*CARD_FIELDS))
        for card in extra:
            columns[card["stage_id"]].skip = card["id"]
        cards += extra
    for card in _cards(cards):
        columns[card["stage_id"]].cards.append(card)
    return Board(
        columns=list(columns.values()),
        rejected=ended[ApplicationStatus.REJECTED],
        withdrawn=ended[ApplicationStatus.WITHDRAWN],
    )


def column_read(
    requisition: Requisition, stage_id: int, *, after: After | None, skip: int | None
) -> Column | None:
    """The next BOARD_COLUMN_CAP cards of one column after `after`, and how many follow.

    None when the stage is not one of the requisition's. The cards come in one query,
    with `COUNT(*) OVER ()`: the number of cards after `after` before the LIMIT, so
    `count` is what is still to come, and `more` what follows this batch.
    """
    stages = list(_stages_of(requisition.pk))
    stage = next((s for s in stages if s.pk == stage_id), None)
    if stage is None:
        return None
    rows = _on_board(requisition.pk).filter(stage=stage)
    if after is not None:
        rows = rows.filter(
            Q(entered_stage_at__gt=after.entered_stage_at)
            | Q(entered_stage_at=after.entered_stage_at, id__gt=after.id)
        )
    if skip is not None:
        rows = rows.exclude(pk=skip)
    rows = rows.annotate(following=Window(Count("id"))).order_by("entered_stage_at", "id")
    cards = _cards(rows.values(*CARD_FIELDS, "following")[:BOARD_COLUMN_CAP])
    count = cards[0]["following"] if cards else 0
    return Column(
        requisition=requisition, stage=stage, stages=stages, cards=cards, count=count, skip=skip
    )


# The pages --------------------------------------------------------------------------------


def visible_requisition(user: Viewer, pk: int) -> Requisition:
    """The requisition with what the board's header shows; Http404 when the user may not
    see its board (`pipeline.view`: interviewing one of its candidates does not open it)."""
    rows = requisitions_visible_to(user, "pipeline.view").select_related(
        "role", "level", "hiring_manager", "recruiter"
    )
    return get_object_or_404(rows, pk=pk)


def board_application(requisition: Requisition, pk: int) -> Application:
    """A card of this board (any status); Http404 for an application of another one."""
    application = (
        Application.objects.select_related("candidate")
        .filter(pk=pk, requisition=requisition)
        .first()
    )
    if application is None:
        raise Http404("No such application in this requisition")
    return application


def board_stage(requisition: Requisition, pk: int | None) -> Stage | None:
    """One of the board's columns, or None (no id, or a stage of another requisition)."""
    return None if pk is None else requisition.stages.filter(pk=pk).first()


def _add_actions(user: Viewer, column: Column) -> None:
    """Each card's action from other domains ("Draft offer" in the Offer stage)."""
    actions = card_actions(
        user, column.stage, {card["id"]: card["status"] for card in column.cards}
    )
    for card in column.cards:
        card["action"] = actions.get(card["id"])


def _can_move(user: Viewer, requisition: Requisition) -> bool:
    return can(user, "pipeline.edit") and requisition.status not in CLOSED_REQUISITIONS


def board_context(
    *, user: Viewer, requisition: Requisition, focus: int | None = None
) -> dict[str, Any]:
    """The board: every column with its count and first cards, and what the user may do."""
    read = board_read(requisition, focus=focus)
    for column in read.columns:
        _add_actions(user, column)
    return {
        "requisition": requisition,
        "columns": read.columns,
        "rejected": read.rejected,
        "withdrawn": read.withdrawn,
        "on_board": read.on_board,
        "can_edit": can(user, "pipeline.edit"),
        "can_move": _can_move(user, requisition),
        "closed": requisition.status in CLOSED_REQUISITIONS,
        "move_url": reverse("requisitions:move", args=[requisition.pk]),
        "stale_amber": STALE_AMBER_DAYS,
        "stale_red": STALE_RED_DAYS,
    }


def board_cards_context(
    *,
    user: Viewer,
    requisition: Requisition,
    stage_id: int,
    after: After | None,
    skip: int | None,
) -> dict[str, Any]:
    """The next batch of one column's cards and a new "Show more" (the htmx fragment);
    Http404 when the stage is not one of the requisition's."""
    column = column_read(requisition, stage_id, after=after, skip=skip)
    if column is None:
        raise Http404("No such stage in this requisition")
    _add_actions(user, column)
    return {
        "requisition": requisition,
        "column": column,
        "can_move": _can_move(user, requisition),
        "move_url": reverse("requisitions:move", args=[requisition.pk]),
        # The "Show more" link that was clicked is gone: focus moves to the first new card.
        "focus_card": column.cards[0]["id"] if column.cards else None,
    }
