"""The one function that changes an offer's status: checks the map, writes history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hiring.models import Offer, OfferChange
from hiring.offer_rules import check_transition


def offer_set_status(
    *,
    offer: Offer,
    to: str,
    actor: Any,
    reason: str = "",
    now: dt.datetime | None = None,
    history_even_if_unchanged: bool = False,
) -> None:
    """Move a (locked) offer to `to`; refuses what OFFER_TRANSITIONS does not allow.

    Unchanged status: nothing happens, unless the caller wants the event in the history
    (an approval chain restarted by an edit keeps the offer pending).
    """
    check_transition(offer.status, to)
    if to == offer.status and not history_even_if_unchanged:
        return
    OfferChange.objects.create(
        offer=offer,
        from_status=offer.status,
        to_status=to,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now or timezone.now(),
    )
    offer.status = to
