"""The hiring manager's check-ins: the ones due, and the form for one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from hiring.business_time import company_calendar, local_date
from hiring.checkins.forms import CheckInForm, checkin_initial
from hiring.checkins.rules import PERFORMANCE
from hiring.checkins.selectors import checkin_of, checkins_due, checkins_recent
from hiring.checkins.services import checkin_record
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, requires


@requires("checkins.fill")
def checkin_list(request: SignedInRequest) -> HttpResponse:
    today = local_date(timezone.now(), company_calendar())
    context = {
        "due": list(checkins_due(request.user, today)[:100]),
        "recent": checkins_recent(request.user),
    }
    return render(request, "checkins/list.html", context)


@requires("checkins.fill")
def checkin_fill(request: SignedInRequest, pk: int) -> HttpResponse:
    checkin = checkin_of(request.user, pk)
    posted = request.POST if request.method == "POST" else None  # an empty POST is bound too
    form = CheckInForm(posted, initial=checkin_initial(checkin))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                checkin_record(checkin=checkin, fields=form.service_fields(), actor=request.user)
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status
            else:
                name = checkin.application.candidate.name
                messages.success(request, f"Check-in saved: {name}, thank you.")
                return redirect("checkins:list")
    anchors = [anchor for _, anchor in PERFORMANCE.values()]
    context = {
        "checkin": checkin,
        "form": form,
        "performance_levels": list(zip(form["performance"], anchors, strict=True)),
    }
    return render(request, "checkins/fill.html", context, status=status)
