"""Celery tasks of the privacy domain: they call a service and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from hiring.privacy.services.retention import retention_sweep as sweep

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def retention_sweep() -> int:
    """The daily sweep (beat): anonymise the candidates past RETENTION_MONTHS. Run twice, the
    second run finds them erased (their Erasure rows) and does nothing."""
    erased = sweep(now=timezone.now(), months=settings.RETENTION_MONTHS)
    if erased:
        log.info("retention: anonymised %s candidates", len(erased))
    return len(erased)
