"""The recruiter's notice of a new application from the careers page (their inbox, and its
e-mail through the notifications machinery)."""

from __future__ import annotations

from hiring.notifications.registry import NotificationKind
from hiring.permissions import RECRUITER

NEW_APPLICATION = "careers_application"

KIND = NotificationKind(
    NEW_APPLICATION,
    "New application from the careers page",
    "The requisition's recruiter",
    lambda: "As soon as a candidate applies to a published posting",
    frozenset({RECRUITER}),
)
