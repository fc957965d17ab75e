from django.contrib import admin

from hiring.admin import ReadOnlyAdmin
from hiring.reports.models import ReportsRefresh


@admin.register(ReportsRefresh)
class ReportsRefreshAdmin(ReadOnlyAdmin):
    list_display = ["refreshed_at", "stays", "seconds"]
