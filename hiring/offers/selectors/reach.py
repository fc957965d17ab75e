"""Which applications' offers and clocks a user reaches (hiring.permissions.REACH): a module
of its own, with no band or compensation import, so the debrief (assessments, which does
not reach compensation) can show an application's offer state."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hiring.offers.models import StepApprover
from hiring.permissions import ANY, APPROVING, MANAGED, reach_of
from hiring.pipeline.models import Application


def not_scoped(capability: str, name: str) -> ValueError:
    return ValueError(f"{capability}: offers are not scoped by {name!r}")


def offer_applications(user: Any, capability: str) -> QuerySet[Application] | None:
    """The applications whose offers and clocks `capability` lets the user see (the offers in
    flight, the dashboard); None: every one."""
    return offer_applications_reached(reach_of(user, capability), user.pk)


def offer_applications_reached(
    reach: frozenset[str], user_id: int | None
) -> QuerySet[Application] | None:
    """`offer_applications` from a reach and the user's id (for queries compiled once per
    reach: hiring.compiled)."""
    if ANY in reach:
        return None
    condition = Q(pk__in=[])
    for name in sorted(reach):  # one order: the same SQL for the same reach
        if name == MANAGED:
            condition |= Q(requisition__hiring_manager=user_id)
        elif name == APPROVING:
            seats = StepApprover.objects.filter(user=user_id)
            condition |= Q(pk__in=seats.values("step__offer__application_id"))
        else:
            raise not_scoped("offers", name)
    return Application.objects.filter(condition)
