"""What other domains add to the pipeline's pages: a panel under each application on the
candidate page, a panel on a requisition's board, and an action on the board's cards.

The pipeline sits below the domains built on it (offers, assessments) and imports none of
them: they register here, from their AppConfig.ready(), as they register timeline sources.
Each source gets the viewer and the rows the page already limited to what the viewer may
see, and answers in a constant number of queries (one or two per source, whatever the rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from hiring.pipeline.models import Application, Requisition, Stage

    Viewer = User | AnonymousUser  # as hiring.pipeline.selectors has it (which imports this)


@dataclass(frozen=True)
class Panel:
    """A block under an application on the candidate page: `template` renders it with
    `panel` (this object) in its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CardAction:
    """A link on a board card (one click to the next step: "Draft offer")."""

    label: str
    url: str
    primary: bool = False


# (viewer, applications by id) -> the panel of each application that has one
PanelSource = Callable[["Viewer", Mapping[int, "Application"]], Mapping[int, Panel]]
# (viewer, requisition) -> a panel on its board (the approval chain its offers get), or None
RequisitionPanelSource = Callable[["Viewer", "Requisition"], "Panel | None"]
# (viewer, stage, that column's cards as {application id: status}) -> each card's action
CardSource = Callable[["Viewer", "Stage", Mapping[int, str]], Mapping[int, CardAction]]

_panels: dict[str, PanelSource] = {}
_card_actions: dict[str, CardSource] = {}
_requisition_panels: dict[str, RequisitionPanelSource] = {}


def register_application_panel(name: str, source: PanelSource) -> None:
    _panels[name] = source


def register_requisition_panel(name: str, source: RequisitionPanelSource) -> None:
    _requisition_panels[name] = source


def register_card_action(name: str, source: CardSource) -> None:
    _card_actions[name] = source


def application_panels(user: Viewer, applications: Iterable[Application]) -> dict[int, list[Panel]]:
    """Every registered panel of these applications, by application id."""
    by_id = {application.pk: application for application in applications}
    panels: dict[int, list[Panel]] = {pk: [] for pk in by_id}
    if not by_id:
        return panels
    for source in _panels.values():
        for pk, panel in source(user, by_id).items():
            panels[pk].append(panel)
    return panels


def requisition_panels(user: Viewer, requisition: Requisition) -> list[Panel]:
    """Every registered panel of a requisition's board, in the order they registered."""
    panels = (source(user, requisition) for source in _requisition_panels.values())
    return [panel for panel in panels if panel is not None]


def card_actions(user: Viewer, stage: Stage, cards: Mapping[int, str]) -> dict[int, CardAction]:
    """The registered action of each card of one column (the first source to give one);
    `cards` maps each card's application id to its status."""
    actions: dict[int, CardAction] = {}
    if not cards:
        return actions
    for source in _card_actions.values():
        for pk, action in source(user, stage, cards).items():
            actions.setdefault(pk, action)
    return actions
