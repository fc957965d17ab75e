"""Writes to compensation bands. Bands are kept by effective date: history is never lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from compensation.models import Band
from hiring.audit import audit_record
from hiring.errors import DomainError
from roles.models import RoleLevel

FIGURE_FIELDS = ("low", "high", "open_ended", "market_tension", "scope")


@transaction.atomic
def band_upsert(
    *,
    level: RoleLevel,
    currency: str,
    effective_date: dt.date,
    figures: dict[str, Any],
    actor: Any,
) -> tuple[Band, bool]:
    """Add the band for this level, currency and effective date, or correct its figures.

    A later effective date adds a row beside the old ones, so past offers keep the band
    they were checked against. Returns the band and whether anything changed.
    """
    if figures["low"] <= 0 or figures["high"] <= 0:
        raise DomainError("Band figures must be positive.", fields={"low": ["Must be above 0."]})
    if figures["low"] >= figures["high"]:
        raise DomainError(
            "The low figure must be below the high figure.",
            fields={"low": ["Must be below high."]},
        )
    row = (
        Band.objects.select_for_update()
        .filter(level=level, currency=currency, effective_date=effective_date)
        .first()
    )
    before = {name: getattr(row, name) for name in FIGURE_FIELDS} if row else None
    wanted = {name: figures.get(name, "" if name == "scope" else None) for name in FIGURE_FIELDS}
    wanted["open_ended"] = bool(figures.get("open_ended", False))
    if row is not None and before == wanted:
        return row, False
    row, _ = Band.objects.update_or_create(
        level=level, currency=currency, effective_date=effective_date, defaults=wanted
    )
    audit_record(
        actor=actor,
        action="band.create" if before is None else "band.update",
        target=row,
        before=before,
        after={**wanted, "currency": currency, "effective_date": str(effective_date)},
    )
    return row, True
