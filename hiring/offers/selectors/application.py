"""An application's offer as other pages show it: the debrief, the candidate page and the
board card (registered with the pipeline by OffersConfig.ready()).

For each application the viewer may see offers of: its current offer (the live one, else
the latest), the offer clock, and whether the viewer may draft one now. Three queries
whatever the number of applications. Interviewers see nothing here (no `offers.view`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from hiring.business_time import business_hours_between, company_calendar, deadline_label
from hiring.compiled import compiled
from hiring.offers.models import Offer, OfferClock
from hiring.offers.rules import LIVE_OFFER_STATUSES
from hiring.offers.selectors.reach import offer_applications
from hiring.paths import url
from hiring.permissions import can
from hiring.pipeline.extensions import CardAction, Panel
from hiring.pipeline.models import Application, ApplicationStatus, StageKind

if TYPE_CHECKING:
    from hiring.pipeline.models import Stage
    from hiring.pipeline.selectors import Viewer


@dataclass(frozen=True)
class OfferClockLabel:
    label: str  # "due Wed 3 Dec, 15:00 (11 business hours left)", or how it stopped
    urgency: str  # "ok", "medium" (under a business day left), "high" (overdue)
    running: bool


@dataclass(frozen=True)
class OfferState:
    application_id: int
    offer: Offer | None  # the live offer, else the latest one
    clock: OfferClockLabel | None
    can_draft: bool  # the viewer may draft an offer now (no live one; active application)

    @property
    def draft_url(self) -> str:
        return f"{url('offers:new')}?application={self.application_id}"

    @property
    def offer_url(self) -> str:
        return url("offers:detail", self.offer.pk) if self.offer else ""


def clock_label(clock: OfferClock, now: dt.datetime) -> OfferClockLabel:
    """The clock as the pages say it: its deadline and the business time left, or how it
    stopped ("in the candidate's hands after 9.5 business hours")."""
    cal = company_calendar()
    if clock.stopped_at is not None:
        if clock.stop_reason == "sent" and clock.business_hours_to_send is not None:
            on_time = clock.business_hours_to_send <= cal.hours_per_day * 2
            sent = timezone.localtime(clock.stopped_at)
            label = (
                f"sent {sent:%a} {sent.day} {sent:%b}, {sent:%H:%M}, after "
                f"{clock.business_hours_to_send:g} business hours"
            )
            return OfferClockLabel(label, "ok" if on_time else "high", running=False)
        return OfferClockLabel("clock stopped (the application moved on)", "ok", running=False)
    hours = business_hours_between(now, clock.due_at, cal)
    urgency = "high" if hours < 0 else "medium" if hours < cal.hours_per_day else "ok"
    return OfferClockLabel(deadline_label(clock.due_at, hours, cal), urgency, running=True)


def offer_states(
    user: Viewer, statuses: Mapping[int, str], *, now: dt.datetime | None = None
) -> dict[int, OfferState]:
    """The offer state of each application the user may see offers of (others: absent);
    `statuses` maps each application's id to its status."""
    if not statuses or not can(user, "offers.view"):
        return {}
    reached = offer_applications(user, "offers.view")
    ids = set(statuses)
    if reached is not None:
        ids &= set(reached.filter(pk__in=ids).values_list("pk", flat=True))
    if not ids:
        return {}
    offers: dict[int, Offer] = {}
    for offer in _offers_of(list(ids)):
        current = offers.get(offer.application_id)
        if current is None or (
            offer.status in LIVE_OFFER_STATUSES and current.status not in LIVE_OFFER_STATUSES
        ):
            offers[offer.application_id] = offer
    now = now or timezone.now()
    clocks = {c.application_id: clock_label(c, now) for c in _clocks_of(list(ids))}
    may_edit = can(user, "offers.edit")  # recruiters and admins reach every application
    return {
        pk: OfferState(
            application_id=pk,
            offer=offers.get(pk),
            clock=clocks.get(pk),
            can_draft=may_edit
            and statuses[pk] == ApplicationStatus.ACTIVE
            and not (pk in offers and offers[pk].status in LIVE_OFFER_STATUSES),
        )
        for pk in ids
    }


@compiled
def _offers_of(application_ids: list[int]) -> QuerySet[Offer]:
    return Offer.objects.filter(application_id__in=application_ids).order_by(
        "application_id", "-id"
    )


@compiled
def _clocks_of(application_ids: list[int]) -> QuerySet[OfferClock]:
    return OfferClock.objects.filter(application_id__in=application_ids)


def offer_state(user: Viewer, application: Application) -> OfferState | None:
    return offer_states(user, {application.pk: application.status}).get(application.pk)


PANEL = "offers/_application_offer.html"


def offer_panels(user: Viewer, applications: Mapping[int, Application]) -> dict[int, Panel]:
    """The candidate page: under each application in (or past) the Offer stage, or with an
    offer or a clock, its offer's status, clock and link, or "Draft offer"."""
    states = offer_states(user, {pk: a.status for pk, a in applications.items()})
    return {
        pk: Panel(PANEL, {"state": state})
        for pk, state in states.items()
        if state.offer
        or state.clock
        or applications[pk].stage.kind in (StageKind.OFFER, StageKind.HIRED)
    }


def offer_card_actions(
    user: Viewer, stage: Stage, cards: Mapping[int, str]
) -> dict[int, CardAction]:
    """The board's Offer column: "Draft offer" on cards without a live offer, else a link
    to the offer with its status. `cards`: each card's application id and status."""
    if stage.kind != StageKind.OFFER or not can(user, "offers.view"):
        return {}
    actions: dict[int, CardAction] = {}
    for pk, state in offer_states(user, cards).items():
        if state.can_draft:
            actions[pk] = CardAction("Draft offer", state.draft_url, primary=True)
        elif state.offer is not None:
            label = f"Offer: {state.offer.get_status_display().lower()}"
            actions[pk] = CardAction(label, state.offer_url)
    return actions
