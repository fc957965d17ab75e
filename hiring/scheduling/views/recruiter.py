"""The recruiter's side: set up a pick link for an application, see its links, withdraw one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.selectors import interviews as interview_selectors
from hiring.business_time import company_calendar, local_date
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, requires
from hiring.scheduling.forms import SlotLinkForm
from hiring.scheduling.models import SlotLink
from hiring.scheduling.selectors.pages import application_links_page
from hiring.scheduling.services.links import slot_link_close, slot_link_create

CREATED = "Link created: copy it from the list below and send it to the candidate."


@requires("interviews.schedule")
def pick_new(request: SignedInRequest, application_id: int) -> HttpResponse:
    rows = interview_selectors.page_applications(request.user)
    application = get_object_or_404(rows, pk=application_id)
    choices = interview_selectors.schedule_choices(application)
    today = local_date(timezone.now(), company_calendar())
    data = request.POST if request.method == "POST" else None
    form = SlotLinkForm(data, choices=choices, today=today)
    if form.is_bound and form.is_valid():
        try:
            slot_link_create(application=application, actor=request.user, **form.link())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, CREATED)
            return redirect("scheduling:new", application_id=application.pk)
    context: dict[str, Any] = {
        "application": application,
        "form": form,
        "links": application_links_page(application),
    }
    return render(request, "scheduling/new.html", context, status=400 if form.errors else 200)


@requires("interviews.schedule")
@require_POST
def link_close(request: SignedInRequest, link_id: int) -> HttpResponse:
    visible = interview_selectors.page_applications(request.user)
    link = get_object_or_404(SlotLink.objects.filter(application__in=visible), pk=link_id)
    try:
        slot_link_close(link=link, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Link withdrawn: the candidate can no longer use it.")
    return redirect("scheduling:new", application_id=link.application_id)
