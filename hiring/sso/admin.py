from django.contrib import admin

from hiring.sso.models import Identity


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    """Read-only: identities are made by signing in."""

    list_display = ("user", "issuer", "subject", "last_sign_in_at")
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_sign_in_at")

    def has_add_permission(self, request: object) -> bool:
        return False
