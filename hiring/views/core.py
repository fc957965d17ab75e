from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hiring.health import health_report
from hiring.interview_selectors import debriefs_ready, home_interviews
from hiring.models import AuditEntry
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER, requires, roles_of
from hiring.selectors import open_requisitions_with_stage_counts, requisitions_visible_to


@requires("home.view")
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    context = {
        "is_recruiter": RECRUITER in roles,
        "is_interviewer": INTERVIEWER in roles,
        "is_hiring_manager": HIRING_MANAGER in roles,
        "is_admin": ADMIN in roles,
    }
    if roles & {RECRUITER, HIRING_MANAGER}:
        # Recruiters see every open requisition; a hiring manager, the ones they manage.
        requisitions = requisitions_visible_to(request.user)
        if RECRUITER not in roles and ADMIN not in roles:
            requisitions = requisitions.filter(hiring_manager=request.user)
        context["pipeline"] = open_requisitions_with_stage_counts(requisitions)
    if INTERVIEWER in roles:
        context["my_interviews"] = home_interviews(request.user)
    if HIRING_MANAGER in roles:
        context["debriefs"] = debriefs_ready(request.user)
    if roles & {HIRING_MANAGER, ADMIN}:
        from hiring.views.offers import home_approvals

        context["approvals"] = home_approvals(request.user)
    return render(request, "hiring/home.html", context)


@requires("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
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
