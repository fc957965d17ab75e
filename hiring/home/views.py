"""The home page: what each role does next, from every domain (the layer above them all)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hiring.home.selectors import home_page
from hiring.home.todo import nav_counts
from hiring.permissions import SignedInRequest, can, requires


@requires("home.view")
def home(request: SignedInRequest) -> HttpResponse:
    return render(request, "home/home.html", home_page(request.user))


@require_GET
def navigation_counts(request: HttpRequest) -> HttpResponse:
    """The count beside "Home" in the navigation (htmx, after the page): what waits for the
    user (hiring.home.todo). Loaded after the page, so no page waits for its queries, which
    read every active application of the user's requisitions. 204 when signed out, so
    nothing is swapped in."""
    user = request.user
    if not isinstance(user, User) or not can(user, "home.view"):
        return HttpResponse(status=204)
    response = render(request, "home/_nav_counts.html", {"counts": nav_counts(user)})
    response["Cache-Control"] = "no-store"
    return response
