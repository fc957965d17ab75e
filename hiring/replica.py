"""Reads of lists and reports from a PostgreSQL read replica (`DATABASE_REPLICA_URL`).

A replica lags the primary by a little, so only reads that can stand a second of lag go to
it, and only when nothing in the request can have written first:

- the view is a list or report: a page view marked `@replica_reads`, or a DRF viewset's
  `list` action;
- the request is a GET or HEAD (a POST that re-renders its list reads the primary);
- the browser did not write in the last `REPLICA_PIN_SECONDS` (the answer to every other
  method sets a short cookie that pins its next reads to the primary, so the page a form
  redirects to shows what was just saved);
- no transaction is open on the primary (a read inside `transaction.atomic` belongs to it);
- the table is not one the login and sessions read (auth, sessions, tokens, lockouts): a
  user who just signed in must be found.

Without `DATABASE_REPLICA_URL` there is no "replica" database and the router sends every
query to "default", as before. Writes always go to "default".
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "primary_reads"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Read at login and on every request: fresh on the primary, never a lagging copy.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "knox", "axes", "contenttypes"})

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_reads", default=False
)

View = TypeVar("View", bound=Callable[..., Any])


def replica_reads(view: View) -> View:
    """Mark a page view (a list, a report) whose GET may read from the replica."""
    view.replica_reads = True  # type: ignore[attr-defined]
    return view


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_from_replica() -> bool:
    """True while the current request's reads may go to the replica (tests, the bench)."""
    return _replica_reads.get()


def _eligible(view_func: Callable[..., Any], request: HttpRequest) -> bool:
    if request.method not in SAFE_METHODS or request.COOKIES.get(PIN_COOKIE):
        return False
    if getattr(view_func, "replica_reads", False):
        return True
    actions = getattr(view_func, "actions", None)  # a DRF viewset's as_view()
    return isinstance(actions, dict) and actions.get(request.method.lower()) == "list"


class ReplicaReadsMiddleware:
    """Decides per request whether its reads may go to the replica (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _replica_reads.set(False)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if replica_configured() and request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        if replica_configured() and _eligible(view_func, request):
            _replica_reads.set(True)


class ReplicaRouter:
    """Reads to "replica" while the request allows it (module docstring); all else default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not _replica_reads.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the same rows on both: an object read from the replica is the primary's
