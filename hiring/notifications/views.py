"""The notifications inbox and the page where a user chooses which reminders they get."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from hiring.business_time import company_calendar, moment_label
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.notifications.forms import PreferencesForm, SnoozeForm
from hiring.notifications.models import Notification
from hiring.notifications.preferences import (
    kinds_for,
    notification_preferences_save,
    notification_snooze,
    notification_snooze_end,
    preferences_of,
    snoozed_until,
)
from hiring.notifications.registry import kinds
from hiring.notifications.rules import snooze_limit
from hiring.notifications.selectors import inbox_of
from hiring.notifications.services import notification_mark_read, notifications_mark_all_read
from hiring.permissions import SignedInRequest, can, requires, roles_of


@requires("notifications.view")
def inbox(request: SignedInRequest) -> HttpResponse:
    rows = inbox_of(request.user).order_by("-created_at", "-id")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The navigation's "Inbox 3" (htmx). 204 when signed out, so nothing is swapped in."""
    user = request.user
    if not isinstance(user, User) or not can(user, "notifications.view"):
        return HttpResponse(status=204)
    unread = inbox_of(user).filter(read_at__isnull=True).count()
    response = render(request, "notifications/_badge.html", {"unread": unread})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires("notifications.view")
def open_notification(request: SignedInRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points (a path inside the app)."""
    row = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if row is None:
        raise Http404("No such notification")
    notification_mark_read(notification=row)
    safe = url_has_allowed_host_and_scheme(row.url, allowed_hosts=None) and row.url.startswith("/")
    return redirect(row.url if safe else "notifications:inbox")


@require_POST
@requires("notifications.view")
def mark_all_read(request: SignedInRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:inbox")


@requires("notifications.view")
def reminder_settings(request: SignedInRequest) -> HttpResponse:
    """The user's reminders: mute or pick a channel per kind; snooze the ones waiting on them.

    One page, three buttons (`action`): save the choices, snooze, end the snooze."""
    user = request.user
    cal = company_calendar()
    now = timezone.now()
    action = request.POST.get("action") if request.method == "POST" else None
    user_kinds = kinds_for(user)
    form = PreferencesForm(
        request.POST if action == "save" else None,
        user_kinds=user_kinds,
        current=preferences_of(user),
    )
    latest = timezone.localtime(snooze_limit(now, cal))
    snooze = SnoozeForm(request.POST if action == "snooze" else None, latest=latest)
    status, page_error = 200, ""
    if request.method == "POST" and action not in ("save", "snooze", "unsnooze"):
        status, page_error = 400, "Use one of the page's buttons: save, snooze or end the snooze."
    elif request.method == "POST":
        status, done = _settings_post(request, action or "", form, snooze)
        if done:
            return redirect("notifications:settings")
    roles = roles_of(user)
    until = snoozed_until(user, now=now)
    start, end = settings.BUSINESS_HOURS
    context = {
        "form": form,
        "snooze": snooze,
        "page_error": page_error,
        "waiting": [kind for kind in user_kinds if kind.waits_on_recipient],
        "snoozed_label": moment_label(until, cal) if until else "",
        "latest_label": moment_label(latest, cal),
        "others": [kind for kind in kinds() if not kind.roles & roles],
        "business_hours": f"{start:%H:%M}–{end:%H:%M}",
        "time_zone": settings.COMPANY_TIME_ZONE,
        "holidays": settings.HOLIDAY_COUNTRY
        + (f"-{settings.HOLIDAY_SUBDIVISION}" if settings.HOLIDAY_SUBDIVISION else ""),
        "sweep_minutes": settings.REMINDER_SWEEP_MINUTES,
    }
    return render(request, "notifications/settings.html", context, status=status)


def _settings_post(
    request: SignedInRequest, action: str, form: PreferencesForm, snooze: SnoozeForm
) -> tuple[int, bool]:
    """(status, done): done means saved, and the page redirects to itself."""
    user = request.user
    try:
        if action == "save":
            if not form.is_valid():
                form.add_error(None, "Nothing was saved: see the marked reminders.")
                return 400, False
            changed = notification_preferences_save(user=user, choices=form.choices(), actor=user)
            messages.success(request, "Saved." if changed else "Nothing changed.")
        elif action == "snooze":
            if not snooze.is_valid():
                return 400, False
            notification_snooze(user=user, until=snooze.cleaned_data["until"], actor=user)
            messages.success(request, "Snoozed: the reminders that wait on you are held.")
        else:
            released = notification_snooze_end(user=user, actor=user)
            minutes = settings.REMINDER_SWEEP_MINUTES
            messages.success(
                request,
                f"Snooze ended: {released} held reminder{pluralize(released)} will reach you "
                f"within {minutes} minute{pluralize(minutes)}.",
            )
    except DomainError as error:
        add_domain_error(snooze if action == "snooze" else form, error)
        return error.status, False
    return 302, True
