"""What the pipeline's API views share: who may call them, and the people they name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from hiring.permissions import HasCapability, can

if TYPE_CHECKING:
    from django.contrib.auth.models import User

METHODS = ["get", "post", "put", "patch", "head", "options"]


class PipelineAccess(BasePermission):
    """Reads: `candidates.view` (everyone; the querysets narrow to what each role reaches:
    interviewers, what they interview). Writes: `pipeline.edit`."""

    message = HasCapability.message

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return can(user, "candidates.view")
        return can(user, "pipeline.edit")


def active_users() -> QuerySet[User]:
    return get_user_model().objects.filter(is_active=True)
