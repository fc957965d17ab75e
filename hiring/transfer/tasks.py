"""Celery tasks of imports and exports: they take ids, call a service, are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, ignore_result=True)
def import_job_run(job_id: int) -> None:
    """Run an import job to its end, from its first waiting row (redelivered after a killed
    worker, it goes on from where the last whole batch left it)."""
    from hiring.transfer.services.imports import import_job_process

    import_job_process(job_id=job_id)


@shared_task(acks_late=True, ignore_result=True)
def imports_sweep() -> int:
    """The periodic sweep (beat): queue again the import jobs whose worker was lost."""
    from hiring.transfer.services.imports import imports_sweep as sweep

    return len(sweep(now=timezone.now()))
