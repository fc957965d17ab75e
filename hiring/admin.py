from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hiring.models import ApprovalTemplateStep, AuditEntry, Notification, Offer


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for admins."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "actor__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Offers: approval templates are configured here; offers and notifications are read-only
# (they change through the services, which keep the history and the audit log).


@admin.register(ApprovalTemplateStep)
class ApprovalTemplateStepAdmin(admin.ModelAdmin):
    """A requisition's approval chain. No steps: the default (hiring manager, then
    finance/HR); an out-of-band offer always gets the compensation-exception step at the end."""

    list_display = [
        "requisition", "position", "name", "source", "required_approvals",
        "parallel_with_previous",
    ]  # fmt: skip
    list_filter = ["source"]
    search_fields = ["requisition__title", "name"]
    raw_id_fields = ["requisition"]
    filter_horizontal = ["people"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["application", "revision", "status", "base_salary", "target_bonus", "currency"]
    list_filter = ["status", "band_result"]
    search_fields = ["application__candidate__name", "application__requisition__title"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Every reminder claimed, and whether its e-mail went out (email_status, email_error)."""

    list_display = ["created_at", "recipient", "kind", "title", "email_status", "email_attempts"]
    list_filter = ["kind", "email_status"]
    search_fields = ["recipient__username", "title"]
