"""The counts in the navigation: what waits for the signed-in user (hiring.home.todo).

No cache: one COUNT per list (at most seven queries, whatever the data), on full pages only;
htmx fragments and the API do not render the navigation and pay nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hiring.home.todo import nav_counts


def home_counts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.headers.get("HX-Request"):
        return {}
    return {"nav_counts": nav_counts(user)}
