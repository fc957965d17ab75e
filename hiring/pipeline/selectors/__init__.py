"""Reads of the pipeline: who sees what (here), and each page's context (by topic, beside).

The visibility rules below are what every page, the API and other domains start from:
`board` (the pipeline board), `listing` (the candidate list's query, sort, pages and CSV),
`candidate_list` and `candidate` (those pages) and `requisitions` build on them.

Each takes the capability it serves (`applications_visible_to(user, "pipeline.view")` for the
candidate list, `"candidates.view"` for a candidate's page and the API) and builds the query
from the roles that hold that capability only (`hiring.permissions.REACH`): a hiring manager
who also interviews sees the boards of their own requisitions, not of those they interview for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from hiring.compiled import compiled
from hiring.permissions import (
    ANY,
    INTERVIEWED,
    INTERVIEWED_UNLESS_BLIND,
    MANAGED,
    reach_of,
)
from hiring.pipeline.models import Application, Candidate, Note, NoteVisibility, Requisition, Stage
from hiring.pipeline.rules import ApplicationStatus, RequisitionStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    # Who is looking: pages and the API let only signed-in users in, but the rules below
    # hold for anyone (an anonymous visitor sees nothing).
    Viewer = User | AnonymousUser

CREDENTIAL_FIELDS = ("degrees", "schools", "certifications")
Row = TypeVar("Row")  # what a query of applications gives: Application, or a dict of values


def _interviewed(user_id: int | None) -> QuerySet[Application]:
    """The applications with an interview the user is on."""
    return Application.objects.filter(interviews__interviewers=user_id)


def _application_condition(user: Viewer, capability: str, *, via: str = "") -> Q | None:
    """The applications `capability` lets the user see, as a condition on rows that reach an
    application through `via` ("" for applications, "application__" for notes); None when it
    is every one. Built from the roles that hold the capability only (`reach_of`)."""
    return _reach_condition(reach_of(user, capability), user.pk, via=via)


def _reach_condition(reach: frozenset[str], user_id: int | None, *, via: str = "") -> Q | None:
    """`_application_condition` from the reach itself and the user's id."""
    if ANY in reach:
        return None
    condition = Q(**{f"{via}pk__in": []})
    for name in sorted(reach):  # one order: the same SQL for the same reach
        if name == MANAGED:
            condition |= Q(**{f"{via}requisition__hiring_manager": user_id})
        elif name == INTERVIEWED:
            # A subquery, not a join: keeps one row per application without DISTINCT.
            condition |= Q(**{f"{via}pk__in": _interviewed(user_id).values("pk")})
        else:
            raise ValueError(f"the pipeline does not scope by {name!r}")
    return condition


def find_text(typed: str) -> str:
    """What a requisition Find box's text may search for: 100 characters at most, without
    NUL (PostgreSQL refuses it in a query: a 500)."""
    return typed.replace("\x00", "").strip()[:100]


def requisitions_visible_to(user: Viewer, capability: str) -> QuerySet[Requisition]:
    """The requisitions `capability` reaches: all (recruiters, admins), the user's own
    (hiring managers), those they interview for (interviewers, where the capability says)."""
    return requisitions_reached(reach_of(user, capability), user.pk)


def requisitions_reached(reach: frozenset[str], user_id: int | None) -> QuerySet[Requisition]:
    """`requisitions_visible_to` from a reach and the user's id (see `applications_reached`)."""
    rows = Requisition.objects.all()
    if ANY in reach:
        return rows
    condition = Q(pk__in=[])
    for name in sorted(reach):  # one order: the same SQL for the same reach
        if name == MANAGED:
            condition |= Q(hiring_manager=user_id)
        elif name == INTERVIEWED:
            # A subquery, not a join and DISTINCT: the join read every application (~130 ms
            # at 100,000) to feed the candidate list's requisition filter and stage names.
            condition |= Q(pk__in=_interviewed(user_id).values("requisition_id"))
        else:
            raise ValueError(f"the pipeline does not scope by {name!r}")
    return rows.filter(condition)


def stages_visible_to(user: Viewer, capability: str) -> QuerySet[Stage]:
    """The stages of the requisitions the user sees; for recruiters and admins, without the
    `IN (every requisition)` subquery that doubled the candidate list's stage-name query."""
    return stages_reached(reach_of(user, capability), user.pk)


def stages_reached(reach: frozenset[str], user_id: int | None) -> QuerySet[Stage]:
    """`stages_visible_to` from a reach and the user's id (see `applications_reached`)."""
    rows = Stage.objects.all()
    if ANY in reach:
        return rows
    return rows.filter(requisition__in=requisitions_reached(reach, user_id).values("pk"))


def applications_visible_to(user: Viewer, capability: str) -> QuerySet[Application]:
    """The applications `capability` lets the user see (see `_application_condition`)."""
    return visible_applications(Application.objects.all(), user, capability)


def visible_applications(
    rows: QuerySet[Application, Row], user: Viewer, capability: str
) -> QuerySet[Application, Row]:
    """Those of `rows` (applications, or their `.values()`) `capability` lets the user see."""
    condition = _application_condition(user, capability)
    return rows.all() if condition is None else rows.filter(condition)


def candidates_visible_to(user: Viewer, capability: str) -> QuerySet[Candidate]:
    """The candidates (not merged away) of the applications `capability` lets the user see."""
    return candidates_reached(reach_of(user, capability), user.pk)


def applications_reached(reach: frozenset[str], user_id: int | None) -> QuerySet[Application]:
    """`applications_visible_to` from a reach (`reach_of`) and the user's id: for queries
    compiled once (hiring.compiled), whose shape is the reach."""
    condition = _reach_condition(reach, user_id)
    rows = Application.objects.all()
    return rows if condition is None else rows.filter(condition)


def candidates_reached(reach: frozenset[str], user_id: int | None) -> QuerySet[Candidate]:
    """`candidates_visible_to` from a reach and the user's id (see `applications_reached`)."""
    rows = Candidate.objects.filter(merged_into__isnull=True)
    if ANY in reach:
        return rows
    return rows.filter(pk__in=applications_reached(reach, user_id).values("candidate_id"))


def _credentials_shown(user: Viewer, candidate: int | None) -> Q | bool:
    """When `credentials.view` shows the candidate's degrees, schools and certifications:
    True (always), False (never) or the condition. To the requisition's hiring manager (and
    recruiters, admins), and to an interviewer who interviews them for no pedigree-blind
    requisition. Being an interviewer adds nothing to what a hiring manager sees of another
    manager's candidate. `candidate`: an id, or None for the outer query's candidate."""
    reach = reach_of(user, "credentials.view")
    if ANY in reach:
        return True
    theirs = (
        Application.objects.filter(candidate=OuterRef("pk"))
        if candidate is None
        else Application.objects.filter(candidate_id=candidate)
    )
    conditions = []
    for name in reach:
        if name == MANAGED:
            conditions.append(Q(Exists(theirs.filter(requisition__hiring_manager=user.pk))))
        elif name == INTERVIEWED_UNLESS_BLIND:
            interviewed = theirs.filter(pk__in=_interviewed(user.pk).values("pk"))
            blind = interviewed.filter(requisition__pedigree_blind=True)
            conditions.append(Q(Exists(interviewed)) & ~Q(Exists(blind)))
        else:
            raise ValueError(f"credentials.view: the pipeline does not scope by {name!r}")
    if not conditions:
        return False
    shown = conditions[0]
    for condition in conditions[1:]:
        shown |= condition
    return shown


def credentials_visible(user: Viewer, candidate: Candidate) -> bool:
    """Pedigree-blind mode: may the user see this candidate's degrees, schools and
    certifications? (`_credentials_shown`.)"""
    shown = _credentials_shown(user, candidate.pk)
    if isinstance(shown, bool):
        return shown
    return Candidate.objects.filter(shown, pk=candidate.pk).exists()


def with_credentials_hidden(user: Viewer, rows: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """`credentials_visible` for a whole list in the same query: annotates `credentials_hidden`."""
    shown = _credentials_shown(user, None)
    if isinstance(shown, bool):
        return rows.annotate(credentials_hidden=Value(not shown, output_field=BooleanField()))
    hidden = Case(When(shown, then=Value(False)), default=Value(True), output_field=BooleanField())
    return rows.annotate(credentials_hidden=hidden)


def searchable_notes(user: Viewer) -> QuerySet[Note] | None:
    """The notes whose text the candidate search may match for the user: those they may
    read; None when that is every note (recruiters, admins: the search document serves)."""
    return None if ANY in reach_of(user, "notes.view") else notes_visible_to(user)


def notes_visible_to(user: Viewer) -> QuerySet[Note]:
    """The notes the user may read: every note on the applications `notes.view` reaches (the
    hiring team's: recruiters, admins, the requisition's hiring manager); on the others they
    see (`candidates.view`: interviewers), only those shared with interviewers and their own.
    """
    return notes_reached(reach_of(user, "notes.view"), reach_of(user, "candidates.view"), user.pk)


def notes_reached(
    team: frozenset[str], seen: frozenset[str], user_id: int | None
) -> QuerySet[Note]:
    """`notes_visible_to` from the reaches of `notes.view` (`team`) and `candidates.view`
    (`seen`) and the user's id (see `applications_reached`)."""
    rows = Note.objects.all()
    team_condition = _reach_condition(team, user_id, via="application__")
    if team_condition is None:
        return rows
    seen_condition = _reach_condition(seen, user_id, via="application__") or Q()
    mine = Q(visibility=NoteVisibility.SHARED)
    if user_id is not None:
        mine |= Q(author=user_id)
    return rows.filter(team_condition | (seen_condition & mine))


def readable_notes(user: Viewer) -> Callable[[list[int]], QuerySet[Note]]:
    """The notes of some applications that the user may read, with their authors: what the
    timeline shows (`timeline(notes=...)`)."""
    team, seen = reach_of(user, "notes.view"), reach_of(user, "candidates.view")
    return lambda application_ids: _notes_of(team, seen, user.pk, application_ids)


@compiled
def _notes_of(
    team: frozenset[str], seen: frozenset[str], user_id: int | None, application_ids: list[int]
) -> QuerySet[Note]:
    return (
        notes_reached(team, seen, user_id)
        .filter(application_id__in=application_ids)
        .select_related("author")
    )


@compiled
def _counts_of(requisition_ids: list[int]) -> QuerySet[Application, tuple[int, int, str, int]]:
    return (
        Application.objects.filter(requisition_id__in=requisition_ids)
        .values_list("requisition_id", "stage_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def stage_counts(requisition_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Applications per requisition, stage and status, in one grouped query.

    `{requisition_id: {stage_id: {status: count}}}`; the board and the home page use it.
    """
    counts: dict[int, dict[int, dict[str, int]]] = {}
    for requisition_id, stage_id, status, n in _counts_of(requisition_ids):
        counts.setdefault(requisition_id, {}).setdefault(stage_id, {})[status] = n
    return counts


def open_requisitions_with_stage_counts(
    requisitions: QuerySet[Requisition], *, limit: int = 12
) -> list[dict[str, Any]]:
    """Open requisitions, each with its stages and the cards (active or hired) in each.

    Three queries whatever the numbers: requisitions, their stages, grouped counts. Home page.
    """
    rows = list(
        requisitions.filter(status=RequisitionStatus.OPEN)
        .select_related("role", "level")
        .prefetch_related("stages")
        .order_by("-opened_on", "-id")[:limit]
    )
    counts = stage_counts([r.pk for r in rows])
    on_board = (ApplicationStatus.ACTIVE, ApplicationStatus.HIRED)
    result = []
    for requisition in rows:
        by_stage = counts.get(requisition.pk, {})
        stages = [
            {"name": s.name, "count": sum(by_stage.get(s.pk, {}).get(st, 0) for st in on_board)}
            for s in sorted(requisition.stages.all(), key=lambda s: s.position)
        ]
        result.append({"requisition": requisition, "stages": stages})
    return result
