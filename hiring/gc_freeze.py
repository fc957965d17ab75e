"""Freeze what a process loaded at boot out of the garbage collector's reach.

A long-lived worker (gunicorn's, Celery's) holds hundreds of thousands of objects it made
while importing Django and the app, and never frees them. Python's full (oldest-generation)
collection walks all of them each time it runs, so a request that makes many objects (a
letter PDF in DejaVu Sans: fontTools parses the font) pays for walking Django too.
`gc.freeze()` moves them into a permanent generation the collector skips; the objects of
later requests are still collected as before.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> int:
    """Collect once, then freeze every object left; returns how many are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
