"""The signed link a candidate gets: which pick link it opens, and a nonce that must match.

The token carries the link's id and its nonce, signed with SECRET_KEY (a guessed or edited
token fails the signature); when it expires and whether it is used up is the link row's
business (`SlotLink.expires_at`, `status`, `reschedules_left`), so a recruiter can close a
link at once. Django's logs and gunicorn's access log redact these tokens (hiring.redaction).
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.urls import reverse

SLOT_LINK_SALT = "hiring.scheduling.slot-link"


def slot_token(*, link_id: int, nonce: str) -> str:
    return signing.dumps({"l": link_id, "n": nonce}, salt=SLOT_LINK_SALT)


def slot_path(*, link_id: int, nonce: str) -> str:
    return reverse("scheduling:pick", args=[slot_token(link_id=link_id, nonce=nonce)])


def slot_token_payload(token: str) -> dict[str, Any]:
    """The token's content; raises signing.BadSignature when it is not one of ours."""
    data = signing.loads(token, salt=SLOT_LINK_SALT)
    if not isinstance(data, dict) or not {"l", "n"} <= set(data):
        raise signing.BadSignature("incomplete slot link")
    return data
