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
from collections.abc import Mapping, Sequence, Set
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


SOURCE_LABELS: dict[str, str] = dict(ApproverSource.choices)


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


# Approval templates (the company default and each requisition's own), as admins edit them.
MAX_TEMPLATE_STEPS = 10
MAX_STEP_NAME = 80  # ApprovalTemplateStep.name
MAX_STEP_PEOPLE = 25


def step_key(index: int, field: str) -> str:
    """The name of a template step's field, in the editor and in a DomainError's fields."""
    return f"step-{index}-{field}"


def check_template(
    steps: Sequence[TemplateStep],
    *,
    pools: Mapping[str, Sequence[int] | None],
    able: Set[int],
    names: Mapping[int, str],
) -> None:
    """A template as an admin would save it: every problem at once, by field.

    `pools`: who each source resolves to today (None: only when an offer is submitted, as a
    company default's hiring manager: one person). `able`: the users who can approve an
    offer now (active, with a role that sees offers). A step's M is the number of people it
    resolves to who can approve; its N (`required`) must be between 1 and M.
    """
    problems: dict[str, list[str]] = {}
    if not steps:
        problems["steps"] = ["Add at least one step: an offer needs someone to approve it."]
    elif len(steps) > MAX_TEMPLATE_STEPS:
        problems["steps"] = [f"At most {MAX_TEMPLATE_STEPS} steps."]
    for index, step in enumerate(steps[:MAX_TEMPLATE_STEPS]):
        for field, problem in _step_problems(step, pools=pools, able=able, names=names):
            problems.setdefault(step_key(index, field), []).append(problem)
    if problems:
        key, first = next(iter(problems.items()))
        where = f"Step {int(key.split('-')[1]) + 1}: " if key.startswith("step-") else ""
        raise DomainError(f"Check the template. {where}{first[0]}", fields=problems)


def _step_problems(
    step: TemplateStep,
    *,
    pools: Mapping[str, Sequence[int] | None],
    able: Set[int],
    names: Mapping[int, str],
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    name = step.name.strip()
    if not name:
        problems.append(("name", "Give the step a name, e.g. Finance."))
    elif len(name) > MAX_STEP_NAME:
        problems.append(("name", f"At most {MAX_STEP_NAME} characters."))
    if step.source not in ApproverSource.values:
        return [*problems, ("source", "Choose who approves this step.")]
    count = _approvers_problem(step, pools=pools, able=able, names=names, problems=problems)
    if step.required < 1:
        problems.append(("required", "At least 1 approval."))
    elif count and step.required > count:
        problems.append(
            ("required", f"At most {count}: this step has {count} approver(s) who can approve.")
        )
    return problems


def _approvers_problem(
    step: TemplateStep,
    *,
    pools: Mapping[str, Sequence[int] | None],
    able: Set[int],
    names: Mapping[int, str],
    problems: list[tuple[str, str]],
) -> int:
    """M, the step's approvers who can approve; what is wrong with them goes to `problems`."""
    if step.source == ApproverSource.PEOPLE:
        if not step.people:
            problems.append(("people", "Name at least one approver."))
            return 0
        if len(step.people) > MAX_STEP_PEOPLE:
            problems.append(("people", f"At most {MAX_STEP_PEOPLE} people on one step."))
        unable = [pk for pk in step.people if pk not in able]
        if unable:
            who = ", ".join(names.get(pk, f"User {pk}") for pk in unable)
            problems.append(
                ("people", f"{who} cannot approve offers: inactive, or without a role that "
                 "sees offers (Recruiter, Hiring manager or Admin).")
            )  # fmt: skip
        return len(set(step.people) - set(unable))
    pool = pools.get(step.source)
    if pool is None:
        return 1  # resolved when an offer is submitted: the requisition's hiring manager
    count = len({pk for pk in pool if pk in able})
    if not count:
        problems.append(("source", _nobody(step.source)))
    return count


def _nobody(source: str) -> str:
    if source == ApproverSource.HIRING_MANAGER:
        return (
            "The requisition's hiring manager cannot approve offers (inactive, or without a "
            "role that sees offers): change the requisition's hiring manager, or pick others."
        )
    return f"Nobody can approve as {SOURCE_LABELS[source].lower()}. " + _who_configures(source)


def _who_configures(source: str) -> str:
    if source == ApproverSource.FINANCE:
        return "Set OFFER_FINANCE_APPROVERS or give someone the Admin role."
    if source == ApproverSource.EXCEPTION:
        return "Set OFFER_EXCEPTION_APPROVERS or give someone the Admin role."
    return "Ask an admin to fix the requisition's approval template."


def step_outcome(*, required: int, approvals: int) -> bool:
    """Whether a step is approved: N of its M approvers have voted to approve."""
    return approvals >= required
