"""Pure rules of the reports: turning a stage history into stays, percentiles of a histogram,
and a bar chart drawn as SVG. No ORM."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

ENDED = {"rejected": "rejected", "withdrawn": "withdrawn"}


@dataclass(frozen=True)
class Change:
    """One row of an application's stage history."""

    stage: int | None
    kind: str
    status: str
    at: datetime


@dataclass
class Stay:
    stage: int
    kind: str
    entered_at: datetime
    left_at: datetime | None = None
    outcome: str = "active"

    @property
    def days(self) -> int | None:
        if self.left_at is None:
            return None
        return max(0, int((self.left_at - self.entered_at).total_seconds() // 86400))


def stays_of(changes: Iterable[Change]) -> list[Stay]:
    """An application's stays, from its history in time order.

    A move to another stage ends the stay as "moved"; a rejection or withdrawal ends it as
    such; entering the Hired stage is a stay with the outcome "hired". A reopened application
    starts a new stay where it comes back."""
    stays: list[Stay] = []
    current: Stay | None = None
    for change in changes:
        if current is not None and current.outcome == "active":
            if change.status in ENDED:
                current.left_at, current.outcome = change.at, ENDED[change.status]
                continue
            if change.stage == current.stage:
                continue
            current.left_at, current.outcome = change.at, "moved"
        if change.stage is None or change.status not in ("active", "hired"):
            continue
        current = Stay(change.stage, change.kind, change.at)
        if change.status == "hired" or change.kind == "hired":
            current.outcome = "hired"
        stays.append(current)
    return stays


def percentile(histogram: Mapping[int, int], share: float) -> int | None:
    """The value below which `share` of the counted values lie (nearest rank)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


# The chart ------------------------------------------------------------------------------------


def bar_chart(title: str, bars: Sequence[tuple[str, float]], unit: str = "") -> str:
    """Horizontal bars, one per (label, value), as an accessible SVG (a title and a text
    alternative listing every value). Everything shown is escaped."""
    width, label_w, row_h, pad = 640, 200, 26, 8
    height = pad * 2 + row_h * max(1, len(bars))
    top = max((v for _, v in bars), default=0) or 1
    desc = "; ".join(f"{label}: {_number(v)}{unit}" for label, v in bars) or "no data"
    parts = [
        f'<svg class="report-chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(bars):
        y = pad + i * row_h
        w = (width - label_w - 70) * (value / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" class="chart-label">'
            f"{escape(label[:30])}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'class="chart-bar"></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" class="chart-value">'
            f"{escape(_number(value) + unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
