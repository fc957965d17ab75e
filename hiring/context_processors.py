"""Navigation shown to each user: only what their roles can use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from hiring.permissions import can, roles_of

# (label, url name, capability): order is the order in the navigation bar.
NAVIGATION: list[tuple[str, str, str]] = [
    ("Home", "home", "home.view"),
    ("Requisitions", "requisitions:list", "pipeline.view"),
    ("Candidates", "candidates:list", "pipeline.view"),
    ("Interviews", "interviews:mine", "interviews.view_own"),
    ("Offers", "offers:list", "offers.view"),
    ("Roles", "roles:list", "playbook.view"),
    ("Question bank", "assessments:bank", "playbook.view"),
    ("Bands", "compensation:bands", "compensation.view"),
    ("Team plan", "roles:team-plan", "team_plan.use"),
    ("Audit log", "audit-log", "audit.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    items = []
    for label, url_name, capability in NAVIGATION:
        if can(user, capability):
            url = reverse(url_name)
            active = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items, "user_roles": sorted(roles_of(user))}
