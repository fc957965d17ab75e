"""The candidate's status link: signed, one per application, for every candidate e-mail.

The token names the application only; it carries no expiry (nor a time stamp) because the
e-mails that hold it (application received, interview scheduled...) are read for months.
An erased candidate's link shows nothing of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse

if TYPE_CHECKING:
    from hiring.pipeline.models import Application

STATUS_SALT = "hiring.careers.status-link"


def status_token(application_id: int) -> str:
    """The same token for an application every time (no time stamp in it): each e-mail
    carries the one link."""
    return signing.Signer(salt=STATUS_SALT).sign_object({"a": application_id})


def status_path(application_id: int) -> str:
    return reverse("careers:status", args=[status_token(application_id)])


def status_link(application: Application) -> str:
    """The absolute link to the candidate's status page for `application` (settings.SITE_URL),
    for e-mails to candidates."""
    return f"{settings.SITE_URL}{status_path(application.pk)}"


def status_application_id(token: str) -> int | None:
    """The application a status token names, or None when it is not one of ours."""
    try:
        data = signing.Signer(salt=STATUS_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        return None
    return int(data["a"])
