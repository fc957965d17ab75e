"""Reads of compensation bands that offers share."""

from __future__ import annotations

import datetime as dt

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
