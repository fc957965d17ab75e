"""Navigation shown to each user: only what their roles can use."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from hiring.paths import url as path_of
from hiring.permissions import can, roles_of

# (label, url name, capability, the paths it stands for): the order of the navigation bar.
# The playbook's four pages share one item and show tabs of their own (_playbook_tabs.html):
# the bar then fits one row at 1280 px, with the inbox badge showing.
NAVIGATION: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("Home", "home", "home.view", ()),
    ("Requisitions", "requisitions:list", "pipeline.view", ()),
    ("Candidates", "candidates:list", "pipeline.view", ()),
    ("Interviews", "interviews:mine", "interviews.view_own", ("/interviews/",)),
    ("Offers", "offers:list", "offers.view", ()),
    ("Reports", "reports:index", "reports.view", ()),
    (
        "Playbook",
        "roles:list",
        "playbook.view",
        ("/roles/", "/assessments/", "/compensation/", "/candidate-emails/templates/"),
    ),
    ("Audit log", "audit-log", "audit.view", ()),
    ("Webhooks", "webhooks:list", "webhooks.manage", ()),
]
PLAYBOOK_TABS: list[tuple[str, str, str]] = [
    ("Roles", "roles:list", "playbook.view"),
    ("Question bank", "assessments:bank", "playbook.view"),
    ("Bands", "compensation:bands", "compensation.view"),
    ("Team plan", "roles:team-plan", "team_plan.use"),
    ("Candidate e-mails", "candidate_mail:templates", "candidate_emails.edit"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The bar's items, the user's roles, and the playbook's tabs: worked out only by the
    pages that draw them (a callable in a template's context is called when first used)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": [], "playbook_tabs": []}
    items = []
    for label, url_name, capability, paths in NAVIGATION:
        if can(user, capability):
            url = path_of(url_name)
            active = (
                request.path == url
                or (url != "/" and request.path.startswith(url))
                or any(request.path.startswith(path) for path in paths)
            )
            items.append({"label": label, "url": url, "active": active})
    return {
        "nav_items": items,
        "user_roles": sorted(roles_of(user)),
        "playbook_tabs": functools.partial(_playbook_tabs, request.path, user),
    }


def _playbook_tabs(path: str, user: Any) -> list[dict[str, Any]]:
    return [
        {"label": label, "url": path_of(name), "active": path == path_of(name)}
        for label, name, capability in PLAYBOOK_TABS
        if can(user, capability)
    ]
