from django.contrib import admin

from hiring.admin import ReadOnlyAdmin
from hiring.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Every reminder claimed, and whether its e-mail went out (email_status, email_error)."""

    list_display = ["created_at", "recipient", "kind", "title", "email_status", "email_attempts"]
    list_filter = ["kind", "email_status"]
    search_fields = ["recipient__username", "title"]
