"""Signed approval links: the link in an approver's e-mail, to vote on one step.

Signed and expiring (APPROVAL_LINK_HOURS); single-use (the nonce is recorded when used, see
UsedApprovalLink); and logging in as the approver it was sent to is still required.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

APPROVAL_LINK_SALT = "hiring.offers.approval-link"


def approval_link(*, step_id: int, user_id: int) -> str:
    """A signed, expiring, single-use link to vote on one step (login still required)."""
    token = signing.dumps(
        {"s": step_id, "u": user_id, "n": secrets.token_urlsafe(12)}, salt=APPROVAL_LINK_SALT
    )
    return reverse("offers:approval-link", args=[token])


def approval_link_payload(token: str) -> dict[str, Any]:
    """The link's content; raises signing.BadSignature (or SignatureExpired) when invalid."""
    max_age = dt.timedelta(hours=settings.APPROVAL_LINK_HOURS)
    data = signing.loads(token, salt=APPROVAL_LINK_SALT, max_age=max_age)
    if not isinstance(data, dict) or not {"s", "u", "n"} <= set(data):
        raise signing.BadSignature("incomplete approval link")
    return data


# The candidate's link to their offer page: no login. It names the offer and the nonce of
# the sending; the page checks the offer itself (still the one sent, not expired, revised or
# rescinded), so the link needs no expiry of its own.
CANDIDATE_LINK_SALT = "hiring.offers.candidate-link"


def candidate_link(*, offer_id: int, nonce: str) -> str:
    token = signing.dumps({"o": offer_id, "n": nonce}, salt=CANDIDATE_LINK_SALT)
    return reverse("offer-letter:page", args=[token])


def candidate_link_payload(token: str) -> tuple[int, str]:
    """(offer id, nonce); raises signing.BadSignature when the link is not ours."""
    data = signing.loads(token, salt=CANDIDATE_LINK_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("o"), int):
        raise signing.BadSignature("incomplete offer link")
    return data["o"], str(data.get("n", ""))


def new_link_nonce() -> str:
    return secrets.token_urlsafe(16)
