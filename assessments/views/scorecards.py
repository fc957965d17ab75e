"""The live scorecard: the page, the whole form posted (no JavaScript, and Submit), the
autosave endpoint, and an admin's reopen.

The autosave endpoint is the hottest request in the product: it skips the role lookup (only
the scorecard's own interviewer can match the service's conditional UPDATE) and answers JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments.forms.scorecards import scorecard_form_data
from assessments.models import Interview, Scorecard
from assessments.selectors import interviews as interview_selectors
from assessments.selectors import scorecards as selectors
from assessments.services import scorecards as services
from hiring.api_parsers import parse_json
from hiring.errors import DomainError
from hiring.permissions import SignedInRequest, can, requires

PAGE = "assessments/interviews/scorecard.html"
SUBMITTED = "Scorecard submitted and locked. Thank you."


def _json_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A JSON endpoint answers 401 to an anonymous caller instead of redirecting to log in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"detail": "Log in again: your session has ended.", "fields": {}}, status=401
            )
        return view(request, *args, **kwargs)

    return wrapped


def _own_scorecard(request: SignedInRequest, interview_id: int) -> tuple[Interview, Scorecard]:
    """The user's scorecard of an interview they are on (404 once cancelled without one)."""
    interview = get_object_or_404(
        interview_selectors.page_interviews(request.user), pk=interview_id
    )
    if not interview_selectors.is_interviewer(request.user, interview):
        raise PermissionDenied("Not an interviewer of this interview")
    card = services.scorecard_of(interview=interview, interviewer=request.user)
    if card is None:
        raise Http404("The interview was cancelled")
    return interview, card


@requires("interviews.view_own")
@never_cache
def scorecard(request: SignedInRequest, interview_id: int) -> HttpResponse:
    """The current user's scorecard for the interview (created on first open)."""
    interview = get_object_or_404(
        interview_selectors.page_interviews(request.user), pk=interview_id
    )
    if not interview_selectors.is_interviewer(request.user, interview):
        if can(request.user, "debrief.view"):
            url = reverse("interviews:debrief", args=[interview.application_id])
            return redirect(f"{url}#interview-{interview.pk}")
        raise PermissionDenied("Not an interviewer of this interview")
    card = services.scorecard_of(interview=interview, interviewer=request.user)
    if card is None:
        context = {"interview": interview, "application": interview.application}
        return render(request, "assessments/interviews/scorecard_cancelled.html", context)
    context = selectors.scorecard_page(user=request.user, interview=interview, scorecard=card)
    return render(request, PAGE, context)


def _refused(
    request: SignedInRequest, interview: Interview, card: Scorecard, error: DomainError
) -> HttpResponse:
    """The form again with what was posted: beside the saved texts after a stale save (409),
    with the refusal's field errors otherwise."""
    if isinstance(error, services.ScorecardConflict):
        refusal: dict[str, Any] = {"error": error.message, "conflict": error.current}
    else:
        card.refresh_from_db()  # a refused submit saved the draft first: show its version
        refusal = {"errors": error.fields, "error": error.message}
    context = selectors.scorecard_page(
        user=request.user, interview=interview, scorecard=card, posted=request.POST, **refusal
    )
    return render(request, PAGE, context, status=error.status)


@requires("interviews.view_own")
@require_POST
def scorecard_post(request: SignedInRequest, interview_id: int) -> HttpResponse:
    """Save the whole form, and submit it when the Submit button was pressed."""
    interview, card = _own_scorecard(request, interview_id)
    submitting = request.POST.get("action") == "submit"
    data = scorecard_form_data(request.POST, card)
    try:
        services.scorecard_post_form(
            scorecard=card, actor=request.user, data=data, submit=submitting
        )
    except DomainError as error:
        return _refused(request, interview, card, error)
    messages.success(request, SUBMITTED if submitting else "Draft saved.")
    return redirect("interviews:scorecard", interview_id=interview.pk)


@_json_login_required
@require_POST
def scorecard_save(request: SignedInRequest, scorecard_id: int) -> JsonResponse:
    """Autosave (JSON): only the fields sent change; 409 with the saved state when stale."""
    try:
        data = parse_json(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        return JsonResponse({"detail": f"Send JSON. {error}", "fields": {}}, status=400)
    try:
        version, changes = services.changes_from_data(data)
        saved = services.scorecard_autosave(
            scorecard_id=scorecard_id, actor=request.user, version=version, changes=changes
        )
    except services.ScorecardConflict as conflict:
        body = {"detail": conflict.message, "fields": conflict.fields, "current": conflict.current}
        return JsonResponse(body, status=409)
    except DomainError as error:
        return JsonResponse({"detail": error.message, "fields": error.fields}, status=error.status)
    return JsonResponse({"version": saved.version, "saved_at": saved.saved_at.isoformat()})


@requires("scorecards.reopen")
@require_POST
def scorecard_reopen_view(request: SignedInRequest, scorecard_id: int) -> HttpResponse:
    card = get_object_or_404(Scorecard.objects.select_related("interview"), pk=scorecard_id)
    try:
        services.scorecard_reopen(
            scorecard=card, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Scorecard reopened: its interviewer can edit and submit again.")
    url = reverse("interviews:debrief", args=[card.interview.application_id])
    return redirect(f"{url}#scorecard-{card.pk}")
