"""What an offer's events tell a receiver (hiring.events; the webhooks domain delivers them).

The figures go under "compensation" only: the webhooks domain drops that key for an endpoint
not allowed to receive compensation, and never puts it in a chat message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from hiring.offers.models import Offer


def offer_event_data(offer: Offer, **extra: Any) -> dict[str, Any]:
    """The offer, its candidate and requisition (read with the offer's joins), and its terms."""
    application = offer.application
    candidate, requisition = application.candidate, application.requisition
    return {
        "offer": {
            "id": offer.pk,
            "status": offer.status,
            "revision": offer.revision,
            "start_date": offer.start_date.isoformat(),
            "expires_on": offer.expires_on.isoformat(),
            "sent_on": offer.sent_on.isoformat() if offer.sent_on else None,
            "url": f"{settings.SITE_URL}{reverse('offers:detail', args=[offer.pk])}",
        },
        "application": {"id": application.pk},
        "candidate": {"id": candidate.pk, "name": candidate.name, "email": candidate.email},
        "requisition": {"id": requisition.pk, "title": requisition.title},
        "compensation": {
            "base_salary": offer.base_salary,
            "target_bonus": offer.target_bonus,
            "currency": offer.currency,
        },
        **extra,
    }
