"""Who may see and do what: the one table, used by pages and by the API.

A capability is granted to the roles listed against it (RULES). Roles are Django groups
(created by migration 0002); a user may hold several, and a superuser counts as Admin.
Interviewers never appear against anything that shows compensation.

For the capabilities about a requisition's data, REACH says how far each role's hold on the
capability goes (every requisition, the ones the user manages, what they interview...). What
a user may see of an object under a capability comes ONLY from the roles that hold that
capability: `reach_of(user, capability)`. A role that lacks the capability adds nothing,
whatever it opens elsewhere: interviewing a candidate never opens their offer, their
requisition's board or, in pedigree-blind mode, their degrees. Each domain's selectors turn a
reach into a query (`applications_visible_to(user, capability)`, `offers_visible_to(user,
capability)`, `interviews_visible_to(user, capability)`...).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from hiring.compiled import compiled

RECRUITER = "Recruiter"
INTERVIEWER = "Interviewer"
HIRING_MANAGER = "Hiring manager"
ADMIN = "Admin"
ROLES = (RECRUITER, INTERVIEWER, HIRING_MANAGER, ADMIN)
EVERYONE = frozenset(ROLES)

# capability                  roles that hold it
RULES: dict[str, frozenset[str]] = {
    "home.view":                EVERYONE,
    # The pipeline pages: requisitions, boards, the candidate list, its search and CSV.
    "pipeline.view":            frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "pipeline.edit":            frozenset({RECRUITER, ADMIN}),
    # A candidate, the applications one sees them in (the candidate page, resume, the
    # pipeline API), and the notes shared with interviewers.
    "candidates.view":          EVERYONE,
    # Degrees, schools, certifications: hidden from interviewers in pedigree-blind mode.
    "credentials.view":         EVERYONE,
    # Every note: the hiring team's. Interviewers read only the notes shared with them.
    "notes.view":               frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "notes.share":              frozenset({RECRUITER, ADMIN}),
    "interviews.view_own":      EVERYONE,
    "approvals.view":           frozenset({HIRING_MANAGER, ADMIN}),
    "playbook.view":            EVERYONE,
    "playbook.edit":            frozenset({ADMIN}),
    "compensation.view":        frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "compensation.edit":        frozenset({ADMIN}),
    "team_plan.use":            frozenset({HIRING_MANAGER, RECRUITER, ADMIN}),
    "audit.view":               frozenset({ADMIN}),
    # Interviews and the debrief. Which interviews an interviewer sees is decided by
    # assignment (selectors), on top of these.
    "interviews.schedule":      frozenset({RECRUITER, ADMIN}),
    "scorecards.view_all":      frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "scorecards.reopen":        frozenset({ADMIN}),
    "debrief.view":             frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "debrief.decide":           frozenset({HIRING_MANAGER, ADMIN}),
    "calibration.view":         frozenset({HIRING_MANAGER, ADMIN}),
    # One's own calibration figures (against the others on the same candidates), nobody else's.
    "calibration.own":          frozenset({INTERVIEWER, HIRING_MANAGER, ADMIN}),
    # Offers: interviewers have no access at all. Who approves a step is decided by the
    # approval chain (the step's approvers), on top of "offers.view".
    "offers.view":              frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "offers.edit":              frozenset({RECRUITER, ADMIN}),
    "offers.dashboard":         frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    # The offer letters' templates (a default and per requisition).
    "letters.edit":             frozenset({ADMIN}),
    "notifications.view":       EVERYONE,
    # The hiring reports (funnel, time in stage, sources, offers, interviewer load).
    "reports.view":             frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    # Check-ins on a hire at 90 days to 18 months: the requisition's hiring manager writes them.
    "checkins.fill":            frozenset({HIRING_MANAGER, ADMIN}),
    # A candidate's personal data: erasing it (admins), exporting all of it (a subject-access
    # request; recruiters and admins, who see every application of theirs).
    "candidates.erase":         frozenset({ADMIN}),
    "candidates.export":        frozenset({RECRUITER, ADMIN}),
    # Moving data out: a requisition's pipeline, or everything one reaches, as Greenhouse
    # Harvest JSON (offers' figures only with "compensation.view"). Imports are "pipeline.edit";
    # each user sees their own import jobs, admins everyone's.
    "transfer.export":          frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "imports.view_all":         frozenset({ADMIN}),
    # The texts of the e-mails to candidates: admins write them; recruiters pick one (and
    # may edit its text) when they reject, under "pipeline.edit".
    "candidate_emails.edit":    frozenset({ADMIN}),
    # Pick links: the times an interviewer is busy (their own; only whoever can be put on an
    # interview has them). Setting up a link is "interviews.schedule".
    "busy_times.edit":          frozenset({INTERVIEWER, HIRING_MANAGER}),
    # Integrations: webhook endpoints (their secrets, their delivery logs).
    "webhooks.manage":          frozenset({ADMIN}),
    # Approval templates: the company default and each requisition's own. Everyone who sees
    # a requisition's board sees the chain that applies to it (no compensation in it).
    "approvals.configure":      frozenset({ADMIN}),
}  # fmt: skip

# Reach: which objects a role's hold on a capability covers.
ANY = "any"  # every requisition and everything in it
MANAGED = "managed"  # the requisitions the user is the hiring manager of
INTERVIEWED = "interviewed"  # the interviews the user is on, and their applications
# The candidates the user interviews, unless one of the requisitions they interview them
# for is pedigree-blind (then the credentials stay hidden, on every page).
INTERVIEWED_UNLESS_BLIND = "interviewed, unless pedigree-blind"
APPROVING = "approving"  # the offers with an approval step the user has a seat on

EVERY = frozenset({ANY})
OWN = frozenset({MANAGED})
# capability                  role: what its hold on the capability reaches
REACH: dict[str, dict[str, frozenset[str]]] = {
    "pipeline.view":            {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN},
    "pipeline.edit":            {RECRUITER: EVERY, ADMIN: EVERY},
    "candidates.view":          {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN,
                                 INTERVIEWER: frozenset({INTERVIEWED})},
    "credentials.view":         {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN,
                                 INTERVIEWER: frozenset({INTERVIEWED_UNLESS_BLIND})},
    "candidates.export":        {RECRUITER: EVERY, ADMIN: EVERY},
    "transfer.export":          {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN},
    "notes.view":               {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN},
    "notes.share":              {RECRUITER: EVERY, ADMIN: EVERY},
    # Anyone put on an interview (interviewers and hiring managers can be) sees it.
    "interviews.view_own":      {RECRUITER: EVERY, ADMIN: EVERY,
                                 HIRING_MANAGER: frozenset({MANAGED, INTERVIEWED}),
                                 INTERVIEWER: frozenset({INTERVIEWED})},
    "interviews.schedule":      {RECRUITER: EVERY, ADMIN: EVERY},
    "scorecards.view_all":      {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN},
    "debrief.view":             {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN},
    "debrief.decide":           {ADMIN: EVERY, HIRING_MANAGER: OWN},
    "calibration.view":         {ADMIN: EVERY, HIRING_MANAGER: OWN},
    "offers.view":              {RECRUITER: EVERY, ADMIN: EVERY,
                                 HIRING_MANAGER: frozenset({MANAGED, APPROVING})},
    "offers.edit":              {RECRUITER: EVERY, ADMIN: EVERY},
    "reports.view":             {RECRUITER: EVERY, ADMIN: EVERY, HIRING_MANAGER: OWN},
    "checkins.fill":            {ADMIN: EVERY, HIRING_MANAGER: OWN},
    "offers.dashboard":         {RECRUITER: EVERY, ADMIN: EVERY,
                                 HIRING_MANAGER: frozenset({MANAGED, APPROVING})},
}  # fmt: skip
for _capability, _reach in REACH.items():  # one table: the roles of REACH are those of RULES
    if set(_reach) != RULES[_capability]:
        raise ImproperlyConfigured(f"REACH[{_capability!r}] names other roles than RULES")

# The playbook's pages and API: everyone reads, admins edit.
PLAYBOOK_ACCESS = {"read": "playbook.view", "write": "playbook.edit"}


class SignedInRequest(HttpRequest):
    """A page's request once `requires(...)` (or `login_required`) let it through: its user
    is the user model, never AnonymousUser. For typing page views."""

    user: User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The acting user of an API request behind HasCapability (or a page behind `requires`),
    typed as the user model; 401 should an anonymous caller ever get this far."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


def roles_of(user: Any) -> frozenset[str]:
    """The roles a user holds; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_hiring_roles", None)
    if cached is None:
        names = set(_roles_of(user.pk))
        if user.is_superuser:
            names.add(ADMIN)
        cached = frozenset(names)
        user._hiring_roles = cached
    return cached


@compiled
def _roles_of(user_id: int) -> QuerySet[Group, str]:
    """The names of the roles the user holds (every request asks: compiled once)."""
    return Group.objects.filter(name__in=ROLES, user=user_id).values_list("name", flat=True)


def can(user: Any, capability: str) -> bool:
    if capability not in RULES:
        raise KeyError(f"unknown capability {capability!r}")
    return bool(roles_of(user) & RULES[capability])


def reach_of(user: Any, capability: str) -> frozenset[str]:
    """How far the user's roles that hold `capability` reach, together (empty: nothing).

    Only the roles holding the capability count: a Hiring manager who is also an Interviewer
    reaches their own requisitions' offers, never the offers of the candidates they interview.
    """
    reach = REACH[capability]
    return frozenset().union(*(reach[role] for role in roles_of(user) if role in reach))


def capabilities_of(user: Any) -> list[str]:
    return sorted(name for name in RULES if can(user, name))


View = Callable[..., HttpResponse]


def requires(capability: str) -> Callable[[View], View]:
    """Page decorator: anonymous users go to the login page, others without the right get 403."""
    RULES[capability]  # fail at import time on a typo

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, capability):
                raise PermissionDenied(capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasCapability(BasePermission):
    """API permission: the view names `capability`, or a map per HTTP method group.

    `capability = "playbook.view"` or
    `capability = {"read": "playbook.view", "write": "playbook.edit"}`.
    """

    message = "You do not have permission to perform this action."

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        needed = view.capability
        if isinstance(needed, dict):
            needed = needed["read" if request.method in ("GET", "HEAD", "OPTIONS") else "write"]
        return can(request.user, needed)


def admin_ids() -> list[int]:
    """Active users holding the Admin role (superusers count as Admin)."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=ADMIN) | Q(is_superuser=True))
        .distinct()
        .values_list("pk", flat=True)
    )


def holders_of(capability: str) -> QuerySet[User]:
    """Active users holding `capability` through one of their roles (superusers count as
    Admin), each once."""
    roles = RULES[capability]
    held = Q(groups__name__in=roles)
    if ADMIN in roles:
        held |= Q(is_superuser=True)
    return User.objects.filter(held, is_active=True).distinct()
