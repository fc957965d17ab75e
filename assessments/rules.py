"""Statuses of interviews and scorecards, and the moves each may make (pure: no ORM).

The one transition function of each model (`interview_set_status`, `scorecard_set_status`)
checks these maps and writes the history row; nothing else assigns a status.
"""

from __future__ import annotations

from hiring.statuses import Status


class InterviewStatus(Status):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


# A cancelled interview stays cancelled: rescheduling it means scheduling a new one (the
# cancellation went out to every attendee under the invite's UID).
INTERVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    InterviewStatus.SCHEDULED: frozenset({InterviewStatus.CANCELLED}),
    InterviewStatus.CANCELLED: frozenset(),
}


class ScorecardStatus(Status):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


# Submitting locks a scorecard; only an admin's reopen takes it back to a draft.
SCORECARD_TRANSITIONS: dict[str, frozenset[str]] = {
    ScorecardStatus.DRAFT: frozenset({ScorecardStatus.SUBMITTED}),
    ScorecardStatus.SUBMITTED: frozenset({ScorecardStatus.DRAFT}),
}
