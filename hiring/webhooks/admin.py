from django.contrib import admin

from hiring.webhooks.models import Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """Read-only here: endpoints are registered on the app's Webhooks page (audited there)."""

    list_display = ("name", "url", "kind", "active", "compensation_allowed")
    exclude = ("secret",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
