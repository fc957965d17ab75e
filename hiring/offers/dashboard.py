"""The offer dashboard: how fast offers go out, and which approval step waits longest.

The statistics are plain functions over lists of numbers (business hours); `dashboard_data`
gathers those lists with two queries per period, served by the indexes on
OfferClock(stop_reason, stopped_at) and ApprovalStep(closed_at). `dashboard_page` is the
page's context: the statistics and the offers in flight.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from hiring.business_time import (
    business_hours_between,
    business_hours_since,
    company_calendar,
    format_hours,
)
from hiring.compiled import compiled
from hiring.offers.clock import TARGET_DAYS
from hiring.offers.models import ApprovalStep, Offer, OfferClock
from hiring.offers.rules import OUT_WITH_CANDIDATE, OfferStatus, StepStatus
from hiring.offers.selectors.flight import flight_filters, flight_rows, in_flight
from hiring.offers.selectors.reach import offer_applications_reached
from hiring.permissions import reach_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PERIODS = (30, 90)


def percentile(values: Sequence[float], share: float) -> float | None:
    """Linear interpolation between closest ranks (share 0.5 is the median)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class StepWait:
    name: str
    count: int
    median_hours: float
    longest_hours: float

    @property
    def median_label(self) -> str:
        return format_hours(self.median_hours)


@dataclass
class PeriodStats:
    days: int
    sent: int
    within_target: int
    median_hours: float | None
    p90_hours: float | None
    steps: list[StepWait] = field(default_factory=list)

    @property
    def share_within(self) -> int | None:
        return round(self.within_target * 100 / self.sent) if self.sent else None

    @property
    def longest_step(self) -> StepWait | None:
        return self.steps[0] if self.steps else None

    @property
    def median_label(self) -> str:
        return format_hours(self.median_hours) if self.median_hours is not None else "–"

    @property
    def p90_label(self) -> str:
        return format_hours(self.p90_hours) if self.p90_hours is not None else "–"


def period_stats(
    *, days: int, turnarounds: Sequence[float], waits: Sequence[tuple[str, float]], target: float
) -> PeriodStats:
    """Share sent within `target` business hours, median and p90, step waits longest first."""
    by_step: dict[str, list[float]] = defaultdict(list)
    for name, hours in waits:
        by_step[name].append(hours)
    steps = [
        StepWait(
            name=name,
            count=len(hours),
            median_hours=round(statistics.median(hours), 2),
            longest_hours=round(max(hours), 2),
        )
        for name, hours in by_step.items()
    ]
    steps.sort(key=lambda s: (-s.median_hours, s.name))
    return PeriodStats(
        days=days,
        sent=len(turnarounds),
        within_target=sum(1 for h in turnarounds if h <= target),
        median_hours=percentile(turnarounds, 0.5),
        p90_hours=percentile(turnarounds, 0.9),
        steps=steps,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value_label: str
    y: int
    width: float
    text_y: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def bar_chart(
    items: Sequence[tuple[str, float, str]], *, width: int = 520, label_width: int = 200
) -> BarChart:
    """Geometry of a horizontal bar chart (drawn as SVG by the template): label, value, text."""
    row, top = 30, 10
    longest = max((value for _, value, _ in items), default=0) or 1
    room = width - label_width - 110
    bars = [
        Bar(
            label=label,
            value_label=text,
            y=top + i * row,
            width=round(max(2.0, value * room / longest), 1),
            text_y=top + i * row + 15,
        )
        for i, (label, value, text) in enumerate(items)
    ]
    height = top * 2 + row * len(items)
    return BarChart(width=width, height=height, label_width=label_width, bars=bars)


def dashboard_data(
    user: User,
    *,
    now: dt.datetime,
    requisition_id: int | None = None,
    role_slug: str | None = None,
) -> list[dict[str, Any]]:
    cal = company_calendar()
    target = TARGET_DAYS * cal.hours_per_day
    # Who sees what, and the filters: each query below is compiled once per such shape.
    who = (reach_of(user, "offers.dashboard"), user.pk, requisition_id or None, role_slug or None)
    waiting = _waiting(who, now, cal)  # the open steps: the same in every period
    periods = []
    for days in PERIODS:
        since = now - dt.timedelta(days=days)
        turnarounds = [
            hours
            for hours in _turnarounds(*who, since)
            if hours is not None  # (for the type checker: the query leaves none out)
        ]
        # Steps closed by a vote in the period, and the open ones counted until now.
        voted = [(name, hours) for name, hours in _voted(*who, since) if hours is not None]
        legs = candidate_legs(_sent_offers(*who, since), now=now, cal=cal)
        stats = period_stats(
            days=days,
            turnarounds=turnarounds,
            waits=[*voted, *waiting, *legs["waits"]],
            target=target,
        )
        chart = bar_chart([(s.name, s.median_hours, s.median_label) for s in stats.steps])
        periods.append(
            {
                "stats": stats,
                "chart": chart,
                "viewed": period_stats(
                    days=days, turnarounds=legs["viewed"], waits=[], target=target
                ),
                "answered": period_stats(
                    days=days, turnarounds=legs["answered"], waits=[], target=target
                ),
            }
        )
    return periods


Who = tuple[frozenset[str], int | None, int | None, str | None]


@compiled
def _turnarounds(
    reach: frozenset[str],
    user_id: int | None,
    requisition: int | None,
    role: str | None,
    since: dt.datetime,
) -> QuerySet[OfferClock, float | None]:
    return OfferClock.objects.filter(
        _scope("", reach, user_id, requisition, role),
        stop_reason="sent",
        stopped_at__gte=since,
        business_hours_to_send__isnull=False,
    ).values_list("business_hours_to_send", flat=True)


@compiled
def _voted(
    reach: frozenset[str],
    user_id: int | None,
    requisition: int | None,
    role: str | None,
    since: dt.datetime,
) -> QuerySet[ApprovalStep, tuple[str, float | None]]:
    return ApprovalStep.objects.filter(
        _scope("offer__", reach, user_id, requisition, role),
        closed_at__gte=since,
        status__in=[StepStatus.APPROVED, StepStatus.REJECTED],
        wait_business_hours__isnull=False,
    ).values_list("name", "wait_business_hours")


@compiled
def _open_steps(
    reach: frozenset[str], user_id: int | None, requisition: int | None, role: str | None
) -> QuerySet[ApprovalStep, tuple[str, dt.datetime | None]]:
    return ApprovalStep.objects.filter(
        _scope("offer__", reach, user_id, requisition, role),
        status=StepStatus.PENDING,
        activated_at__isnull=False,
    ).values_list("name", "activated_at")


@compiled
def _sent_offers(
    reach: frozenset[str],
    user_id: int | None,
    requisition: int | None,
    role: str | None,
    since: dt.datetime,
) -> QuerySet[Offer, SentRow]:
    return Offer.objects.filter(
        _scope("", reach, user_id, requisition, role), sent_at__gte=since
    ).values_list("status", "sent_at", "viewed_at", "responded_at")


def _waiting(who: Who, now: dt.datetime, cal: Any) -> list[tuple[str, float]]:
    """Each open approval step's name and the business hours it has waited until now."""
    rows = list(_open_steps(*who))
    names, opened = zip(*rows, strict=True) if rows else ((), ())
    return list(zip(names, business_hours_since(opened, now, cal), strict=True))


OPENS = "Candidate opens the offer"
ANSWERS = "Candidate answers"


SentRow = tuple[str, dt.datetime | None, dt.datetime | None, dt.datetime | None]


def candidate_legs(rows: Iterable[SentRow], *, now: dt.datetime, cal: Any) -> dict[str, Any]:
    """Offers sent in the period (`rows`: status, sent, viewed, answered): business hours
    from sent to viewed and from sent to the answer, and the waits of both legs for the
    chart (one still waiting counts until now)."""
    viewed: list[float] = []
    answered: list[float] = []
    waits: list[tuple[str, float]] = []
    for status, sent_at, viewed_at, responded_at in rows:
        if sent_at is None:
            continue
        if viewed_at is not None:
            viewed.append(business_hours_between(sent_at, viewed_at, cal))
        answer_at = responded_at if status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED) else None
        if answer_at is not None:
            answered.append(business_hours_between(sent_at, answer_at, cal))
        waiting = status in OUT_WITH_CANDIDATE
        if viewed_at is not None or waiting:
            waits.append((OPENS, business_hours_between(sent_at, viewed_at or now, cal)))
        if answer_at is not None or waiting:
            start = viewed_at or sent_at
            waits.append((ANSWERS, business_hours_between(start, answer_at or now, cal)))
    return {"viewed": viewed, "answered": answered, "waits": waits}


def _scope(
    prefix: str,
    reach: frozenset[str],
    user_id: int | None,
    requisition_id: int | None,
    role_slug: str | None,
) -> Q:
    """What the user sees and the filters, for rows that reach the application through
    `prefix`. A filter applies when given (None: not asked for)."""
    scope = Q()
    reached = offer_applications_reached(reach, user_id)
    if reached is not None:
        scope &= Q(**{f"{prefix}application_id__in": reached.values("pk")})
    if requisition_id is not None:
        scope &= Q(**{f"{prefix}application__requisition_id": requisition_id})
    if role_slug is not None:
        scope &= Q(**{f"{prefix}application__requisition__role__slug": role_slug})
    return scope


def dashboard_page(
    user: User, *, requisition_id: int | None, role_slug: str | None, now: dt.datetime
) -> dict[str, Any]:
    """The dashboard: each period's statistics, and the 20 offers in flight due soonest."""
    clocks = list(in_flight(user, requisition_id=requisition_id, role_slug=role_slug)[:20])
    return {
        "periods": dashboard_data(
            user, now=now, requisition_id=requisition_id, role_slug=role_slug
        ),
        "rows": flight_rows(clocks, now),
        **flight_filters(user, requisition_id=requisition_id, role_slug=role_slug),
    }
