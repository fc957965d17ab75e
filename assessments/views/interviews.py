"""Interview pages: my interviews, scheduling, rescheduling and cancelling, an application's
interviews.

Thin views: they find what the user may see (anything else is a 404, so a URL never tells an
outsider it exists), call one service or selector, and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.forms.interviews import InterviewForm
from assessments.models import Interview
from assessments.rules import InterviewStatus
from assessments.selectors import interviews as selectors
from assessments.services import interviews as services
from assessments.services import nudges
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, requires
from hiring.pipeline.models import Application

SCHEDULE_PAGE = "assessments/interviews/schedule.html"
SCHEDULED = (
    "{round_name} scheduled. Each interviewer gets a calendar invite with the video link and "
    "their scorecard link."
)
UPDATED = "Interview updated; the interviewers get the new invite."
NUDGED = "Nudged: the interviewer has their scorecard reminder now, in their inbox and by e-mail."
ALREADY_NUDGED = "Already nudged: the reminder went out once; the daily reminders go on."
CANCELLED = "This interview was cancelled; schedule a new one instead."


@requires("interviews.view_own")
def my_interviews(request: SignedInRequest) -> HttpResponse:
    context = selectors.my_interviews_page(request.user)
    return render(request, "assessments/interviews/mine.html", context)


def _schedule_page(
    request: SignedInRequest,
    application: Application,
    interview: Interview | None,
    save: Callable[[dict[str, Any]], Interview],
    done: str,
) -> HttpResponse:
    """The scheduling form, new or edit: shown, or posted and saved by `save`."""
    choices = selectors.schedule_choices(application, interview=interview)
    form = InterviewForm(request.POST if request.method == "POST" else None, choices=choices)
    if form.is_bound and form.is_valid():
        try:
            saved = save(form.schedule())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done.format(round_name=saved.round_name))
            return redirect("interviews:application", application_id=application.pk)
    context = {"application": application, "form": form, "interview": interview}
    return render(request, SCHEDULE_PAGE, context, status=400 if form.errors else 200)


@requires("interviews.schedule")
def interview_new(request: SignedInRequest, application_id: int) -> HttpResponse:
    application = get_object_or_404(selectors.page_applications(request.user), pk=application_id)

    def schedule(data: dict[str, Any]) -> Interview:
        return services.interview_schedule(application=application, actor=request.user, **data)

    return _schedule_page(request, application, None, schedule, SCHEDULED)


@requires("interviews.schedule")
def interview_edit(request: SignedInRequest, interview_id: int) -> HttpResponse:
    interview = get_object_or_404(selectors.page_interviews(request.user), pk=interview_id)
    if interview.status == InterviewStatus.CANCELLED:
        messages.error(request, CANCELLED)
        return redirect("interviews:application", application_id=interview.application_id)

    def update(data: dict[str, Any]) -> Interview:
        return services.interview_update(interview=interview, actor=request.user, **data)

    return _schedule_page(request, interview.application, interview, update, UPDATED)


@requires("interviews.schedule")
@require_POST
def interview_cancel(request: SignedInRequest, interview_id: int) -> HttpResponse:
    interview = get_object_or_404(selectors.page_interviews(request.user), pk=interview_id)
    try:
        services.interview_cancel(interview=interview, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Interview cancelled; the interviewers get a cancellation.")
    return redirect("interviews:application", application_id=interview.application_id)


@requires("debrief.view")
def application_interviews(request: SignedInRequest, application_id: int) -> HttpResponse:
    application = selectors.debrief_application(request.user, application_id)
    context = selectors.application_interviews_page(application, user=request.user)
    return render(request, "assessments/interviews/application.html", context)


@requires("interviews.schedule")
@require_POST
def scorecard_nudge(request: SignedInRequest, interview_id: int, user_id: int) -> HttpResponse:
    """The recruiter's "nudge" from the home page: the scorecard reminder now, once."""
    interview = get_object_or_404(selectors.page_interviews(request.user), pk=interview_id)
    try:
        sent = nudges.scorecard_nudge(
            interview=interview, interviewer_id=user_id, actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("home")
    messages.success(request, NUDGED if sent else ALREADY_NUDGED)
    return redirect(f"{reverse('home')}#todo")
