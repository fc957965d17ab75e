"""The home page: what each role does next, from every domain (the layer above them all)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from hiring.home.selectors import home_page
from hiring.permissions import SignedInRequest, requires


@requires("home.view")
def home(request: SignedInRequest) -> HttpResponse:
    return render(request, "home/home.html", home_page(request.user))
