"""The offer dashboard: how fast offers go out, and which approval step waits longest.

The statistics are plain functions over lists of numbers (business hours); `dashboard_data`
gathers those lists with two queries per period, served by the indexes on
OfferClock(stop_reason, stopped_at) and ApprovalStep(decided_at).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from hiring.business_time import business_hours_between, company_calendar, format_hours
from hiring.models import ApprovalStep, OfferClock, StepStatus
from hiring.permissions import ADMIN, RECRUITER, roles_of
from hiring.selectors import applications_visible_to
from hiring.services.offer_clock import TARGET_DAYS

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
    items: Sequence[tuple[str, float, str]], *, width: int = 520, label_width: int = 170
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
    user: Any,
    *,
    now: dt.datetime,
    requisition_id: int | None = None,
    role_slug: str | None = None,
) -> list[dict[str, Any]]:
    cal = company_calendar()
    target = TARGET_DAYS * cal.hours_per_day
    scope = _scope("", user, requisition_id, role_slug)
    step_scope = _scope("offer__", user, requisition_id, role_slug)
    periods = []
    for days in PERIODS:
        since = now - dt.timedelta(days=days)
        turnarounds = list(
            OfferClock.objects.filter(scope, stop_reason="sent", stopped_at__gte=since)
            .exclude(business_hours_to_send__isnull=True)
            .values_list("business_hours_to_send", flat=True)
        )
        decided = ApprovalStep.objects.filter(
            step_scope,
            decided_at__gte=since,
            status__in=[StepStatus.APPROVED, StepStatus.REJECTED],
            wait_business_hours__isnull=False,
        ).values_list("name", "wait_business_hours")
        waiting = [
            (name, business_hours_between(opened, now, cal))
            for name, opened in ApprovalStep.objects.filter(
                step_scope, status=StepStatus.PENDING, activated_at__isnull=False
            ).values_list("name", "activated_at")
        ]
        stats = period_stats(
            days=days, turnarounds=turnarounds, waits=[*decided, *waiting], target=target
        )
        chart = bar_chart([(s.name, s.median_hours, s.median_label) for s in stats.steps])
        periods.append({"stats": stats, "chart": chart})
    return periods


def _scope(prefix: str, user: Any, requisition_id: int | None, role_slug: str | None) -> Q:
    """The filters, for rows that reach the application through `prefix`."""
    scope = Q()
    if not roles_of(user) & {RECRUITER, ADMIN}:
        visible = applications_visible_to(user).values("pk")
        scope &= Q(**{f"{prefix}application_id__in": visible})
    if requisition_id:
        scope &= Q(**{f"{prefix}application__requisition_id": requisition_id})
    if role_slug:
        scope &= Q(**{f"{prefix}application__requisition__role__slug": role_slug})
    return scope
