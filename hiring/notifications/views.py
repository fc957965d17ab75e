"""The notifications inbox and the page that lists which reminders a user gets."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from hiring.notifications.models import Notification
from hiring.notifications.registry import kinds
from hiring.notifications.services import notification_mark_read, notifications_mark_all_read
from hiring.permissions import SignedInRequest, can, requires, roles_of


@requires("notifications.view")
def inbox(request: SignedInRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
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
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
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
    roles = roles_of(request.user)
    catalogue = [{"info": info, "yours": bool(info.roles & roles)} for info in kinds()]
    start, end = settings.BUSINESS_HOURS
    context = {
        "catalogue": catalogue,
        "business_hours": f"{start:%H:%M}–{end:%H:%M}",
        "time_zone": settings.COMPANY_TIME_ZONE,
        "holidays": settings.HOLIDAY_COUNTRY
        + (f"-{settings.HOLIDAY_SUBDIVISION}" if settings.HOLIDAY_SUBDIVISION else ""),
        "sweep_minutes": settings.REMINDER_SWEEP_MINUTES,
    }
    return render(request, "notifications/settings.html", context)
