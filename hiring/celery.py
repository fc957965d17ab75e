"""The Celery app. Periodic work is defined in code (beat_schedule), never in the database."""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")

app = Celery("hiring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_loaded(**_: Any) -> None:
    """Each worker process freezes what it loaded at boot (hiring.gc_freeze)."""
    from hiring.gc_freeze import freeze_loaded

    freeze_loaded()
