"""The public careers pages (no login): the careers page, a posting and its apply form, the
feed of open postings, the candidate's status page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hiring.careers.forms.apply import ApplyForm
from hiring.careers.links import status_application_id, status_path
from hiring.careers.rules import clean_source
from hiring.careers.selectors.public import careers_page, json_feed, posting_page
from hiring.careers.selectors.status import status_page
from hiring.careers.services.applying import careers_apply
from hiring.errors import DomainError
from hiring.ids import parse_id
from hiring.proxies import client_ip

POSTING = "careers/posting.html"
RECEIVED = "Thank you: we have your application. Keep this page's address to see where you stand."


@require_GET
def careers_list(request: HttpRequest) -> HttpResponse:
    listing = careers_page(
        location=request.GET.get("location", "")[:120],
        role=request.GET.get("role", "")[:60],
        page=parse_id(request.GET.get("page")) or 1,
    )
    source = clean_source(request.GET.get("source")) if request.GET.get("source") else ""
    context = {"listing": listing, "source": source, "company": settings.COMPANY_NAME}
    return render(request, "careers/list.html", context)


@require_GET
def posting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = posting_page(slug)
    return _posting(request, context, ApplyForm(posting=context["posting"]))


@require_POST
def posting_apply(request: HttpRequest, slug: str) -> HttpResponse:
    context = posting_page(slug)
    form = ApplyForm(request.POST, request.FILES, posting=context["posting"])
    try:
        application = careers_apply(
            posting=context["posting"],
            sent=form.sent(address=client_ip(request)),
            applicant=form.applicant() if form.is_valid() else None,
            source=_source(request),
        )
    except DomainError as error:
        form.refused(error)
        return _posting(request, context, form, status=429 if error.status == 429 else 200)
    if application is None:  # the form's own errors
        return _posting(request, context, form)
    messages.success(request, RECEIVED)
    return redirect(status_path(application.pk))


def _posting(
    request: HttpRequest, context: dict[str, Any], form: ApplyForm, status: int = 200
) -> HttpResponse:
    return render(request, POSTING, {**context, "form": form, "source": _source(request)},
                  status=status)  # fmt: skip


def _source(request: HttpRequest) -> str:
    return clean_source(request.GET.get("source") or request.POST.get("source"))


@require_GET
def feed(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(json_feed(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/feed+json; charset=utf-8"
    return response


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    application_id = status_application_id(token)
    context = status_page(application_id) if application_id is not None else None
    if context is None:
        context = {"company": settings.COMPANY_NAME}
        return render(request, "careers/status_problem.html", context, status=404)
    return render(request, "careers/status.html", context)
