"""The core pages: the audit log, the health check, the error pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hiring.accounts import token_create, token_revoke, tokens_of
from hiring.errors import DomainError
from hiring.health import health_report
from hiring.models import AuditEntry
from hiring.permissions import SignedInRequest, requires
from hiring.replica import replica_reads


@replica_reads
@requires("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "hiring/audit_log.html", {"page": page})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404)


def error_500(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500)


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        messages = {
            403: "You do not have permission to perform this action.",
            404: "Not found.",
            500: "Server error.",
        }
        return JsonResponse({"detail": messages[status], "fields": {}}, status=status)
    context: dict[str, Any] = {"status": status}
    return render(request, f"{status}.html", context, status=status)


@requires("home.view")
def api_tokens(request: SignedInRequest) -> HttpResponse:
    """Your API tokens: create one (its key is shown once, here), revoke one."""
    user, action, key = request.user, request.POST.get("action"), ""
    if request.method == "POST" and action == "create":
        try:
            key = token_create(user=user)
        except DomainError as error:
            messages.error(request, error.message)
    elif request.method == "POST" and action == "revoke":
        token = tokens_of(user).filter(digest=request.POST.get("token", "")).first()
        if token is not None:
            token_revoke(token=token, actor=user)
            messages.success(request, "Token revoked: it no longer works.")
        return redirect("api-tokens")
    context = {"tokens": tokens_of(user), "new_key": key}
    return render(request, "hiring/api_tokens.html", context)


def bench_ceiling(request: HttpRequest) -> JsonResponse:
    """bench/load.py's ceiling, routed only with BENCH_CEILING_VIEW: 50 rows by raw SQL as
    JSON (no ORM, template, session or permission), ids and statuses only."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status FROM hiring_application ORDER BY id DESC LIMIT 50")
        rows = [{"id": pk, "status": status} for pk, status in cursor.fetchall()]
    return JsonResponse({"results": rows})
