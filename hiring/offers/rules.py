"""Offer rules as data and plain functions: the statuses and their maps, field checks, the
approval chain.

No ORM in here: services pass in what they looked up (the requisition's template, who the
finance/HR approvers are) and get back plans and verdicts they then write.

The approval chain is built when an offer is submitted, from the requisition's template or,
when it has none, the default: the requisition's hiring manager, then a finance/HR approver
(the users named in OFFER_FINANCE_APPROVERS, or every active Admin when that is empty; one
of them is enough). An offer outside its band gets one more step at the end, the
compensation exception (OFFER_EXCEPTION_APPROVERS, or the Admins). A step marked
`parallel_with_previous` runs at the same time as the one before it; a step is approved
when `required` of its approvers have voted to approve (N of M).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hiring.errors import DomainError
from hiring.statuses import Status


class OfferStatus(Status):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending approval"
    APPROVED = "approved", "Approved"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    VIEWED = "viewed", "Viewed"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    RESCINDED = "rescinded", "Rescinded"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded"


S = OfferStatus
# Which statuses an offer may move to from each. Sent offers change by revision (the old
# one becomes superseded), never by editing.
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PENDING, S.RESCINDED}),
    S.PENDING: frozenset({S.APPROVED, S.DRAFT, S.RESCINDED}),
    # Sending: the letter's e-mail is claimed in the outbox, not yet accepted by the mail
    # server; sent once it is (or marked sent by hand, a phone offer).
    S.APPROVED: frozenset({S.SENDING, S.SENT, S.PENDING, S.DRAFT, S.RESCINDED}),
    S.SENDING: frozenset({S.SENT, S.RESCINDED}),
    S.SENT: frozenset({S.VIEWED, S.ACCEPTED, S.DECLINED, S.EXPIRED, S.RESCINDED, S.SUPERSEDED}),
    # Viewed: the candidate opened the link for the first time.
    S.VIEWED: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.RESCINDED, S.SUPERSEDED}),
    S.ACCEPTED: frozenset(),
    S.DECLINED: frozenset(),
    S.RESCINDED: frozenset(),
    S.EXPIRED: frozenset(),
    S.SUPERSEDED: frozenset(),
}
# An application has at most one offer in these statuses (a database constraint).
LIVE_OFFER_STATUSES = (S.DRAFT, S.PENDING, S.APPROVED, S.SENDING, S.SENT, S.VIEWED)
# In the candidate's hands, waiting for their answer.
OUT_WITH_CANDIDATE = (S.SENT, S.VIEWED)
EDITABLE = {S.DRAFT, S.PENDING, S.APPROVED}
# Editing in these restarts the approval chain.
RESTARTS_CHAIN = {S.PENDING, S.APPROVED}
# A new revision may follow these (the sent one is superseded, the others stay as they are).
REVISABLE = {S.SENT, S.VIEWED, S.DECLINED, S.EXPIRED, S.RESCINDED}


class StepStatus(Status):
    WAITING = "waiting", "Waiting for an earlier step"
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


# A step waits for the steps before it, opens (its approvers vote), and closes once: approved
# by N of its M approvers, rejected by one, or cancelled with its round (a rejection
# elsewhere, an edit, a withdrawal, a rescinded offer).
STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    StepStatus.WAITING: frozenset({StepStatus.PENDING, StepStatus.CANCELLED}),
    StepStatus.PENDING: frozenset({StepStatus.APPROVED, StepStatus.REJECTED, StepStatus.CANCELLED}),
    StepStatus.APPROVED: frozenset(),
    StepStatus.REJECTED: frozenset(),
    StepStatus.CANCELLED: frozenset(),
}
CLOSED_BY_VOTE = {StepStatus.APPROVED, StepStatus.REJECTED}
FIRST_REMINDER_HOURS = 4  # business hours after a step opens


class ApproverSource(Status):
    HIRING_MANAGER = "hiring_manager", "The requisition's hiring manager"
    FINANCE = "finance", "Finance/HR approvers"
    EXCEPTION = "exception", "Compensation-exception approvers"
    PEOPLE = "people", "Named people"


TERMS = ("base_salary", "target_bonus", "currency", "level", "start_date", "expires_on")
EDITABLE_FIELDS = (*TERMS, "notes", "justification")
MAX_SALARY = 100_000_000
MIN_JUSTIFICATION = 20
CURRENCY = re.compile(r"^[A-Z]{3}$")


def check_terms(values: Mapping[str, Any], *, today: dt.date) -> None:
    """Figures and dates of an offer, all problems at once (field name -> messages)."""
    problems: dict[str, list[str]] = {}
    base = values.get("base_salary")
    if not isinstance(base, int) or base <= 0:
        problems["base_salary"] = ["Must be a whole amount above 0."]
    elif base > MAX_SALARY:
        problems["base_salary"] = [f"At most {MAX_SALARY:,}."]
    bonus = values.get("target_bonus", 0)
    if not isinstance(bonus, int) or bonus < 0:
        problems["target_bonus"] = ["Must be 0 or a whole amount above 0."]
    elif bonus > MAX_SALARY:
        problems["target_bonus"] = [f"At most {MAX_SALARY:,}."]
    if not CURRENCY.match(str(values.get("currency", ""))):
        problems["currency"] = ["Three capital letters, e.g. USD."]
    start, expires = values.get("start_date"), values.get("expires_on")
    if not isinstance(start, dt.date):
        problems["start_date"] = ["Give a start date."]
    if not isinstance(expires, dt.date):
        problems["expires_on"] = ["Give the date the offer expires."]
    elif expires < today:
        problems["expires_on"] = ["The expiry date has already passed."]
    if isinstance(start, dt.date) and isinstance(expires, dt.date) and expires > start:
        problems.setdefault("expires_on", []).append(
            "The offer must expire on or before the start date."
        )
    if problems:
        first = next(iter(problems.values()))[0]
        raise DomainError(f"Check the offer: {first}", fields=problems)


def check_justification(text: str, *, needed: bool, why: str) -> None:
    if needed and len(text.strip()) < MIN_JUSTIFICATION:
        raise DomainError(
            f"{why} Write why this offer is right (at least {MIN_JUSTIFICATION} characters): "
            "it goes to the compensation-exception approver.",
            fields={"justification": ["A written justification is required for this offer."]},
        )


@dataclass(frozen=True)
class TemplateStep:
    name: str
    source: str
    people: tuple[int, ...] = ()
    required: int = 1
    parallel_with_previous: bool = False


DEFAULT_TEMPLATE = (
    TemplateStep("Hiring manager", ApproverSource.HIRING_MANAGER),
    TemplateStep("Finance/HR", ApproverSource.FINANCE),
)
EXCEPTION_STEP = TemplateStep("Compensation exception", ApproverSource.EXCEPTION)


@dataclass(frozen=True)
class StepPlan:
    position: int
    name: str
    kind: str
    approvers: tuple[int, ...]
    required: int


def build_chain(
    *,
    template: Sequence[TemplateStep],
    out_of_band: bool,
    hiring_manager: int,
    finance: Sequence[int],
    exception: Sequence[int],
) -> list[StepPlan]:
    """The steps of a new approval round, in order, with their approvers resolved."""
    steps = list(template) or list(DEFAULT_TEMPLATE)
    if out_of_band:
        steps.append(EXCEPTION_STEP)
    pools: dict[str, tuple[int, ...]] = {
        ApproverSource.HIRING_MANAGER: (hiring_manager,),
        ApproverSource.FINANCE: tuple(finance),
        ApproverSource.EXCEPTION: tuple(exception),
    }
    plans: list[StepPlan] = []
    position = 0
    for index, step in enumerate(steps):
        approvers = tuple(sorted(set(pools.get(step.source, step.people))))
        if not approvers:
            raise DomainError(
                f"The approval step '{step.name}' has nobody to approve it. "
                + _who_configures(step.source),
                fields={"approvers": [f"No approver for '{step.name}'."]},
            )
        if not 1 <= step.required <= len(approvers):
            raise DomainError(
                f"The approval step '{step.name}' needs {step.required} approvals but has "
                f"{len(approvers)} approver(s).",
                fields={"approvers": [f"'{step.name}' cannot be completed."]},
            )
        if index and not step.parallel_with_previous:
            position += 1
        plans.append(StepPlan(position, step.name, step.source, approvers, step.required))
    return plans


def _who_configures(source: str) -> str:
    if source == ApproverSource.FINANCE:
        return "Set OFFER_FINANCE_APPROVERS or give someone the Admin role."
    if source == ApproverSource.EXCEPTION:
        return "Set OFFER_EXCEPTION_APPROVERS or give someone the Admin role."
    return "Ask an admin to fix the requisition's approval template."


def step_outcome(*, required: int, approvals: int) -> bool:
    """Whether a step is approved: N of its M approvers have voted to approve."""
    return approvals >= required
