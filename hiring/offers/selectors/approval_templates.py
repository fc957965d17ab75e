"""Approval templates: which one applies to a requisition, who its sources resolve to today,
the editor's and the overview's pages, and the chain shown on a requisition's board.

Which template an offer's chain comes from, in order: the requisition's own steps, else the
company default's (steps with no requisition), else the built-in chain
(hiring.offers.rules.DEFAULT_TEMPLATE: the hiring manager, then Finance/HR).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from hiring.compiled import compiled
from hiring.models import AuditEntry
from hiring.offers.models import ApprovalTemplateStep
from hiring.offers.rules import (
    DEFAULT_TEMPLATE,
    EXCEPTION_STEP,
    SOURCE_LABELS,
    ApproverSource,
    TemplateStep,
)
from hiring.permissions import admin_ids, can, holders_of
from hiring.pipeline.extensions import Panel
from hiring.pipeline.models import Requisition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

OWN, COMPANY_DEFAULT, BUILT_IN = "own", "default", "built-in"
SOURCE_LABEL = "offers.ApprovalTemplate"  # the audit log's object type for a template
REQUISITIONS_PER_PAGE = 50
HISTORY = 5  # recent changes shown on the editor


def _read(rows: list[ApprovalTemplateStep]) -> list[TemplateStep]:
    return [as_template_step(row) for row in rows]


def _rows(where: Q) -> list[ApprovalTemplateStep]:
    rows = ApprovalTemplateStep.objects.filter(where).prefetch_related("people")
    return list(rows.order_by("position"))


def _owner(requisition_id: int | None) -> Q:
    return Q(requisition_id=requisition_id) if requisition_id else Q(requisition__isnull=True)


def as_template_step(row: ApprovalTemplateStep) -> TemplateStep:
    """A stored step as the rules take it; needs `people` prefetched."""
    return TemplateStep(
        name=row.name,
        source=row.source,
        people=tuple(sorted(p.pk for p in row.people.all())),
        required=row.required_approvals,
        parallel_with_previous=row.parallel_with_previous,
    )


def people_names(rows: list[ApprovalTemplateStep]) -> dict[int, str]:
    """The names of the people on these steps (from their prefetch: no query)."""
    return {p.pk: _label(p) for row in rows for p in row.people.all()}


def template_steps(requisition_id: int | None) -> list[TemplateStep]:
    """A requisition's own steps (None: the company default's), in order; [] for none."""
    return _read(_rows(_owner(requisition_id)))


@compiled
def _own_and_default_steps(requisition_id: int) -> QuerySet[ApprovalTemplateStep]:
    return (
        ApprovalTemplateStep.objects.filter(
            Q(requisition_id=requisition_id) | Q(requisition__isnull=True)
        )
        .prefetch_related("people")
        .order_by("position")
    )


def applying_template(requisition_id: int) -> tuple[str, list[ApprovalTemplateStep]]:
    """The template a new chain of this requisition comes from: (OWN, its steps), else
    (COMPANY_DEFAULT, the default's), else (BUILT_IN, []) for the built-in chain. Two
    queries (the steps, their people)."""
    found = list(_own_and_default_steps(requisition_id))
    own = [row for row in found if row.requisition_id == requisition_id]
    if own:
        return OWN, own
    default = [row for row in found if row.requisition_id is None]
    return (COMPANY_DEFAULT, default) if default else (BUILT_IN, [])


def chain_template(requisition_id: int) -> list[TemplateStep]:
    """The steps a new chain of this requisition is built from ([]: the built-in chain)."""
    return _read(applying_template(requisition_id)[1])


def fingerprint(steps: list[TemplateStep]) -> str:
    """What the editor saw: a save naming another fingerprint was opened before someone
    else's save, and is refused rather than overwriting it."""
    text = json.dumps([[s.name, s.source, list(s.people), s.required, s.parallel_with_previous]
                       for s in steps])  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:20]


# Who the sources resolve to ----------------------------------------------------------------


@dataclass(frozen=True)
class Approvers:
    """Who can approve today, and who each source resolves to (the template rules' input)."""

    able: frozenset[int]  # active, with a role that sees offers (so may open and vote)
    names: dict[int, str]
    pools: dict[str, tuple[int, ...] | None]


def _named_or_admins(usernames: list[str]) -> list[int]:
    if not usernames:
        return admin_ids()
    rows = get_user_model().objects.filter(is_active=True, username__in=usernames)
    return list(rows.values_list("pk", flat=True))


def finance_approver_ids() -> list[int]:
    """OFFER_FINANCE_APPROVERS (usernames), or every Admin when the setting is empty."""
    return _named_or_admins(settings.OFFER_FINANCE_APPROVERS)


def exception_approver_ids() -> list[int]:
    """OFFER_EXCEPTION_APPROVERS (usernames), or every Admin when the setting is empty."""
    return _named_or_admins(settings.OFFER_EXCEPTION_APPROVERS)


def _label(user: User) -> str:
    return user.get_full_name() or user.get_username()


def approvers_for(requisition: Requisition | None, *, also: Collection[int] = ()) -> Approvers:
    """Who can approve, and each source's approvers today: for a requisition its hiring
    manager; for the company default the hiring manager is known only at submit (None).
    `also`: users named on stored steps, whose names the page needs even if they can no
    longer approve. Three to five queries, whatever the number of users."""
    able_users = list(holders_of("offers.view").order_by("first_name", "last_name", "username"))
    names = {u.pk: _label(u) for u in able_users}
    missing = set(also) - set(names)
    if requisition is not None and requisition.hiring_manager_id not in names:
        missing.add(requisition.hiring_manager_id)
    if missing:
        for user in get_user_model().objects.filter(pk__in=missing):
            names[user.pk] = _label(user)
    pools: dict[str, tuple[int, ...] | None] = {
        ApproverSource.HIRING_MANAGER: (
            (requisition.hiring_manager_id,) if requisition is not None else None
        ),
        ApproverSource.FINANCE: tuple(finance_approver_ids()),
        ApproverSource.EXCEPTION: tuple(exception_approver_ids()),
    }
    return Approvers(able=frozenset(u.pk for u in able_users), names=names, pools=pools)


# The pages ---------------------------------------------------------------------------------


def template_requisition(pk: int) -> Requisition:
    return get_object_or_404(Requisition.objects.select_related("hiring_manager"), pk=pk)


def template_history(requisition_id: int | None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(
        object_type=SOURCE_LABEL, object_id=str(requisition_id or "default")
    ).order_by("-at", "-id")
    return list(entries[:HISTORY])


def overview_context(*, page: str | None) -> dict[str, Any]:
    """The company default's steps and every requisition with how its chain is made."""
    requisitions = Requisition.objects.annotate(own_steps=Count("approval_template")).order_by(
        "-own_steps", "title", "pk"
    )
    paginated: Page[Any] = Paginator(requisitions, REQUISITIONS_PER_PAGE).get_page(page)
    default = _rows(_owner(None))
    return {
        "default_steps": describe(_read(default), people_names(default), hiring_manager=None),
        "page": paginated,
        "requisitions": list(paginated.object_list),
    }


@dataclass(frozen=True)
class StepView:
    number: int
    name: str
    who: str
    required: int
    of: int | None  # M when known now
    parallel: bool


def describe(
    steps: list[TemplateStep], names: dict[int, str], *, hiring_manager: str | None
) -> list[StepView]:
    """Steps in the recruiter's words: who approves, N of M, alongside the one before."""
    shown = []
    for number, step in enumerate(steps, 1):
        if step.source == ApproverSource.PEOPLE:
            who = ", ".join(names.get(pk, f"user {pk}") for pk in step.people)
            of: int | None = len(step.people)
        elif step.source == ApproverSource.HIRING_MANAGER:
            who = (
                f"The hiring manager ({hiring_manager})"
                if hiring_manager
                else ("The requisition's hiring manager")
            )
            of = 1
        else:
            who, of = SOURCE_LABELS[step.source], None
        parallel = step.parallel_with_previous and number > 1
        shown.append(StepView(number, step.name, who, step.required, of, parallel))
    return shown


def requisition_chain_panel(user: User | AnonymousUser, requisition: Requisition) -> Panel:
    """The board's "Approval chain" card: the template its offers' chains come from. Two
    queries (the steps of the requisition and of the default, their people)."""
    kind, rows = applying_template(requisition.pk)
    shown = _read(rows) or list(DEFAULT_TEMPLATE)
    manager = requisition.hiring_manager
    context = {
        "kind": kind,
        "steps": describe(shown, people_names(rows), hiring_manager=_label(manager)),
        "exception": EXCEPTION_STEP.name,
        "edit_url": (
            reverse("offers:approval-template", args=[requisition.pk])
            if can(user, "approvals.configure")
            else ""
        ),
    }
    return Panel("offers/approval_templates/_requisition_chain.html", context)


def _sources(approvers: Approvers) -> list[tuple[str, str]]:
    """Who each source resolves to today, as the editor explains it."""
    shown = []
    for source, pool in approvers.pools.items():
        label = SOURCE_LABELS[source]
        if pool is None:
            shown.append((label, "Known when an offer is submitted: one person, so N is 1."))
            continue
        able = [approvers.names[pk] for pk in pool if pk in approvers.able]
        who = ", ".join(able) if able else "Nobody who can approve."
        shown.append((label, f"{who} (M = {len(able)})" if able else who))
    return shown


def editor_context(requisition: Requisition | None) -> dict[str, Any]:
    """The editor's page: the stored steps and their fingerprint, the people who may be
    named (everyone who can approve, and whoever the stored steps name), who the sources
    resolve to, the recent changes; for a requisition also the company default it falls
    back to. A constant number of queries, whatever the steps and users."""
    pk = requisition.pk if requisition is not None else None
    found = _rows(Q(requisition_id=pk) | Q(requisition__isnull=True)) if pk else _rows(_owner(None))
    own = [row for row in found if row.requisition_id == pk]
    default = [row for row in found if row.requisition_id is None]
    steps = _read(own)
    approvers = approvers_for(requisition, also={p for s in steps for p in s.people})
    offered = approvers.able | {p for s in steps for p in s.people}
    choices = sorted(((p, approvers.names[p]) for p in offered), key=lambda c: c[1].lower())
    return {
        "requisition": requisition,
        "stored": steps,
        "seen": fingerprint(steps),
        "choices": choices,
        "sources": _sources(approvers),
        "history": template_history(pk),
        "default_kind": COMPANY_DEFAULT if default else BUILT_IN,
        "default_template": _read(default) or list(DEFAULT_TEMPLATE),
        "default_steps": describe(
            _read(default) or list(DEFAULT_TEMPLATE),
            people_names(default),
            hiring_manager=_label(requisition.hiring_manager) if requisition else None,
        ),
    }
