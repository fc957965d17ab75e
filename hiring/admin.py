from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from knox.models import AuthToken

from hiring.accounts import token_revoke, user_has_history, user_record_roles, user_record_saved
from hiring.audit import audit_record
from hiring.models import AuditEntry
from hiring.permissions import roles_of


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for admins."""

    list_display = ["at", "actor_username", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "actor_username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through their services (which keep the history and the
    audit log): shown in Django admin, never edited there."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, audited: accounts created, deactivated, deleted, roles granted or
    removed. An account with history is deactivated instead of deleted."""

    actions = ["deactivate"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        was_active = type(obj).objects.filter(pk=obj.pk).values_list("is_active", flat=True)
        previous = was_active.first() if change else None
        super().save_model(request, obj, form, change)
        user_record_saved(user=obj, actor=request.user, created=not change, was_active=previous)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        user = form.instance
        before = list(user.groups.values_list("name", flat=True)) if change else []
        super().save_related(request, form, formsets, change)
        user_record_roles(user=user, actor=request.user, before=before)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and user_has_history(obj):
            return False  # deactivate it instead: the history keeps its name
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action="user.delete", target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            if user_has_history(user):
                raise PermissionDenied(f"{user} has history: deactivate the account instead.")
            audit_record(actor=request.user, action="user.delete", target=user)
        super().delete_queryset(request, queryset)

    @admin.action(description="Deactivate the selected accounts (they keep their history)")
    def deactivate(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            user_record_saved(user=user, actor=request.user, created=False, was_active=True)


admin.site.unregister(User)
admin.site.register(User, UserAdmin)


class AuthTokenAdmin(ReadOnlyAdmin):
    """API tokens: an admin sees whose tokens exist and can revoke them, never read or make one
    for someone else (a user makes their own, on the tokens page; the key is shown once)."""

    list_display = ["user", "token_key", "created", "expiry"]
    search_fields = ["user__username"]
    exclude = ["digest"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or "Admin" in roles_of(request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        token_revoke(token=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            token_revoke(token=token, actor=request.user)


admin.site.unregister(AuthToken)
admin.site.register(AuthToken, AuthTokenAdmin)
