"""The pipeline's statuses as data: each status map, and the reasons an application ends.

No ORM in here (an import-linter contract): the models import these enums for `choices=`,
and the one transition function of each model (`requisition_set_status`,
`application_set_status`) checks its map with `hiring.statuses.transition_allowed`.
"""

from __future__ import annotations

from hiring.statuses import Status


class RequisitionStatus(Status):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


R = RequisitionStatus
# Which statuses a requisition may move to from each. Filled and closed ones are reopened
# before anything else: putting them on hold would hide that the seat was taken or dropped.
REQUISITION_TRANSITIONS: dict[str, frozenset[str]] = {
    R.OPEN: frozenset({R.ON_HOLD, R.FILLED, R.CLOSED}),
    R.ON_HOLD: frozenset({R.OPEN, R.CLOSED}),
    R.FILLED: frozenset({R.OPEN}),
    R.CLOSED: frozenset({R.OPEN}),
}
# A requisition in one of these takes no new candidates, and its cards stay where they are.
CLOSED_REQUISITIONS = frozenset({R.CLOSED, R.FILLED})


class ApplicationStatus(Status):
    ACTIVE = "active", "Active"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


A = ApplicationStatus
# Which statuses an application may move to from each. Hired follows the Hired stage: a
# hired application moved back to an earlier stage is active again; it is never rejected
# or withdrawn as such (move it back first). An ended one comes back only by reopening.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.ACTIVE: frozenset({A.REJECTED, A.WITHDRAWN, A.HIRED}),
    A.HIRED: frozenset({A.ACTIVE}),
    A.REJECTED: frozenset({A.ACTIVE}),
    A.WITHDRAWN: frozenset({A.ACTIVE}),
}
# The statuses an application ends in; each needs a reason from its list.
END_STATES = frozenset({A.REJECTED, A.WITHDRAWN})

REJECTION_REASONS = [
    "Not enough production experience",
    "Structured interview below the bar",
    "Confirmed red flags",
    "Compensation out of band",
    "Role filled",
    "Other",
]
WITHDRAWAL_REASONS = [
    "Accepted another offer",
    "Compensation",
    "Location or remote policy",
    "Timing",
    "Stopped responding",
    "Other",
]
END_REASONS: dict[str, list[str]] = {A.REJECTED: REJECTION_REASONS, A.WITHDRAWN: WITHDRAWAL_REASONS}
