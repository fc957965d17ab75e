"""Who may see and do what: the one table, used by pages and by the API.

A capability is granted to the roles listed against it. Roles are Django groups
(created by migration 0002); a user may hold several, and a superuser counts as
Admin. Interviewers never appear against anything that shows compensation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

RECRUITER = "Recruiter"
INTERVIEWER = "Interviewer"
HIRING_MANAGER = "Hiring manager"
ADMIN = "Admin"
ROLES = (RECRUITER, INTERVIEWER, HIRING_MANAGER, ADMIN)
EVERYONE = frozenset(ROLES)

# capability                  roles that hold it
RULES: dict[str, frozenset[str]] = {
    "home.view":                EVERYONE,
    "pipeline.view":            frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "pipeline.edit":            frozenset({RECRUITER, ADMIN}),
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
    # Offers: interviewers have no access at all. Who approves a step is decided by the
    # approval chain (the step's approvers), on top of "offers.view".
    "offers.view":              frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "offers.edit":              frozenset({RECRUITER, ADMIN}),
    "offers.dashboard":         frozenset({RECRUITER, HIRING_MANAGER, ADMIN}),
    "notifications.view":       EVERYONE,
}  # fmt: skip


def roles_of(user: Any) -> frozenset[str]:
    """The roles a user holds; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_hiring_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMIN)
        cached = frozenset(names)
        user._hiring_roles = cached
    return cached


def can(user: Any, capability: str) -> bool:
    if capability not in RULES:
        raise KeyError(f"unknown capability {capability!r}")
    return bool(roles_of(user) & RULES[capability])


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
