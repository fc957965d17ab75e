"""Reads of compensation bands: the bands in force (pages), the band for an offer."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from compensation.band_check import BandFigures
from compensation.models import Band


def band_for(*, level_id: int, currency: str, on: dt.date) -> Band | None:
    """The band in force on `on` for this level and currency (newest effective date first)."""
    return (
        Band.objects.filter(level_id=level_id, currency=currency, effective_date__lte=on)
        .order_by("-effective_date")
        .first()
    )


def figures(band: Band | None) -> BandFigures | None:
    if band is None:
        return None
    return BandFigures(
        low=band.low,
        high=band.high,
        open_ended=band.open_ended,
        currency=band.currency,
        market_tension=band.market_tension,
    )


def bands_in_force(
    *, on: dt.date | None = None, role: str | None = None, level: str | None = None
) -> list[Band]:
    """For each level, its newest band whose effective date has come (one per currency)."""
    on = on or timezone.localdate()
    rows = Band.objects.select_related("level__role").filter(effective_date__lte=on)
    if role:
        rows = rows.filter(level__role__slug=role)
    if level:
        rows = rows.filter(level__name=level)
    seen: set[tuple[int, str]] = set()
    current = []
    for band in rows.order_by("level__role__position", "level__position", "-effective_date"):
        if (band.level_id, band.currency) not in seen:
            seen.add((band.level_id, band.currency))
            current.append(band)
    return current
