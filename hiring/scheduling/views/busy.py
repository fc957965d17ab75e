"""An interviewer's busy times: add one, remove one, import a calendar file or address."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.ids import parse_id
from hiring.permissions import SignedInRequest, requires
from hiring.scheduling.forms import BusyTimeForm, CalendarFileForm, CalendarUrlForm
from hiring.scheduling.ics import MAX_BYTES
from hiring.scheduling.selectors.pages import busy_page
from hiring.scheduling.services import busy as services

PAGE = "scheduling/busy.html"


def _page(request: SignedInRequest, *, status: int = 200, **forms: Form) -> HttpResponse:
    context = busy_page(request.user, page=request.GET.get("page"))
    context["add_form"] = forms.get("add_form") or BusyTimeForm()
    context["file_form"] = forms.get("file_form") or CalendarFileForm()
    calendar = context["calendar"]
    initial = {"ics_url": calendar.ics_url} if calendar else None
    context["url_form"] = forms.get("url_form") or CalendarUrlForm(initial=initial)
    return render(request, PAGE, context, status=status)


def _handle(
    request: SignedInRequest, name: str, form: Form, save: Callable[[], str]
) -> HttpResponse:
    if form.is_valid():
        try:
            done = save()
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("scheduling:busy")
    return _page(request, status=400, **{name: form})


@requires("busy_times.edit")
def busy_times(request: SignedInRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = BusyTimeForm(request.POST)

    def save() -> str:
        data = form.cleaned_data
        services.busy_time_add(
            actor=request.user, starts_at=data["starts_at"], ends_at=data["ends_at"]
        )
        return "Busy time added: no candidate can book you then."

    return _handle(request, "add_form", form, save)


@requires("busy_times.edit")
@require_POST
def busy_delete(request: SignedInRequest, busy_id: int) -> HttpResponse:
    try:
        services.busy_time_delete(actor=request.user, busy_id=parse_id(str(busy_id)) or 0)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Busy time removed.")
    return redirect("scheduling:busy")


@requires("busy_times.edit")
@require_POST
def busy_import_file(request: SignedInRequest) -> HttpResponse:
    form = CalendarFileForm(request.POST, request.FILES)

    def save() -> str:
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise DomainError("The file is larger than 2 MB.", fields={"file": ["At most 2 MB."]})
        count = services.busy_import_file(actor=request.user, data=upload.read())
        return f"Imported {count} busy times from the file (replacing the last file's)."

    return _handle(request, "file_form", form, save)


@requires("busy_times.edit")
@require_POST
def busy_import_url(request: SignedInRequest) -> HttpResponse:
    form = CalendarUrlForm(request.POST)

    def save() -> str:
        count = services.busy_import_url(actor=request.user, url=form.cleaned_data["ics_url"])
        return f"Imported {count} busy times from your calendar's address."

    return _handle(request, "url_form", form, save)
