"""The summary table's refresh, run by beat (`CELERY_BEAT_SCHEDULE["reports-refresh"]`)."""

from __future__ import annotations

from celery import shared_task

from hiring.reports.services import reports_refresh


@shared_task(name="hiring.reports.tasks.reports_refresh")
def reports_refresh_task() -> int:
    """Safe to run twice: each run replaces the whole table in one transaction."""
    return reports_refresh().stays
