"""Check-ins on a hire: when they fall due, the four performance levels and their anchors,
why a hire left. Pure: no ORM.

The horizons follow the source's figure (67 % of enterprise AI hires underperform within
18 months): 90 days, then 6, 12 and 18 months after the start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

# The source document's figure the quality-of-hire report is set beside (002).
SOURCE_UNDERPERFORM_SHARE = 0.67
SOURCE_UNDERPERFORM_TEXT = (
    "67% of enterprise AI hires underperform within 18 months due to misaligned role definition"
)


@dataclass(frozen=True)
class Horizon:
    key: str
    label: str
    after: relativedelta


HORIZONS: tuple[Horizon, ...] = (
    Horizon("90d", "90 days", relativedelta(days=90)),
    Horizon("6m", "6 months", relativedelta(months=6)),
    Horizon("12m", "12 months", relativedelta(months=12)),
    Horizon("18m", "18 months", relativedelta(months=18)),
)
HORIZON_CHOICES = [(h.key, h.label) for h in HORIZONS]
HORIZON_LABELS = dict(HORIZON_CHOICES)


def due_dates(start: dt.date) -> list[tuple[str, dt.date]]:
    """Each horizon's due date, counted from the start date (31 Jan + 1 month: 28/29 Feb)."""
    return [(h.key, start + h.after) for h in HORIZONS]


# Performance against the expectations of the role the person was hired for. The product's
# wording (the source documents give no scale for it): each level is anchored on the work.
PERFORMANCE: dict[int, tuple[str, str]] = {
    1: (
        "Below expectations",
        "The work the role was hired for is not getting done, even with close help.",
    ),
    2: (
        "Partly meets expectations",
        "Some of the role's work ships; some needs more help than the level implies.",
    ),
    3: (
        "Meets expectations",
        "Does the role's work at the level hired for and ships it to production.",
    ),
    4: (
        "Exceeds expectations",
        "Does more than the level asks: ships beyond the role's scope or raises the team.",
    ),
}
MEETS = 3  # this level and above: meeting expectations


def meets_expectations(performance: int) -> bool:
    return performance >= MEETS


# Why a hire left (asked only when they are no longer in the role).
LEFT_REASONS: dict[str, str] = {
    "performance": "Performance",
    "role": "The role was not what they were hired for",
    "compensation": "Compensation",
    "another_offer": "Another offer",
    "team": "The team or the manager",
    "personal": "Personal reasons",
    "restructuring": "Restructuring",
    "other": "Another reason",
}


class CheckInStatus:
    DUE = "due"
    DONE = "done"
    CLOSED = "closed"  # the hire left before this horizon

    CHOICES = [(DUE, "Due"), (DONE, "Done"), (CLOSED, "Closed: left before")]


# Reminders: on the first business morning on or after the due date, then once a week (five
# business days) until done, at most this many in all.
MAX_REMINDERS = 3
REMINDER_EVERY_BUSINESS_DAYS = 5
