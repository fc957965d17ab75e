"""Response headers every dynamic answer carries."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every page and API answer that did not choose
    its own caching: they carry candidates' data and compensation, which no shared cache,
    and no browser history after logging out, should keep. Static files never reach here
    (WhiteNoise answers them first, cached for good under hashed names)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
