"""Webhooks as data and pure functions: endpoint kinds, the signature, what a payload may hold.

No ORM in here (an import-linter contract). The signature is Stripe's scheme: HMAC-SHA256,
keyed with the endpoint's secret, over "<timestamp>.<body>", sent as
`Hiring-Signature: t=<unix seconds>,v1=<hex digest>`. A receiver recomputes it over the raw
body it got and refuses a timestamp too far from its own clock (a replay).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from hiring.statuses import Status

SIGNATURE_HEADER = "Hiring-Signature"
EVENT_HEADER = "Hiring-Event"
EVENT_ID_HEADER = "Hiring-Event-Id"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
TOLERANCE_SECONDS = 300  # what the README's receiver accepts between its clock and ours


class EndpointKind(Status):
    SIGNED = "signed", "Signed JSON (an HR system, your own service)"
    CHAT = "chat", "Chat (a Slack-compatible incoming webhook)"


# The events a chat channel gets: short messages a team acts on.
CHAT_EVENTS = ("offer.approval_waiting", "offer.accepted")
CHAT_ONLY_EVENTS = frozenset({"offer.approval_waiting"})
COMPENSATION_KEY = "compensation"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(*, secret: str, timestamp: int, body: str) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signature_valid(
    *, secret: str, header: str, body: str, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """What a receiver checks: a v1 signature of this body, at a timestamp close to now."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret=secret, timestamp=timestamp, body=body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def payload(
    *,
    event_id: str,
    name: str,
    created: str,
    data: dict[str, Any],
    compensation_allowed: bool,
) -> dict[str, Any]:
    """A signed endpoint's JSON: the event's id, type and time, and its data; the figures
    only for an endpoint allowed to receive compensation."""
    if not compensation_allowed:
        data = {key: value for key, value in data.items() if key != COMPENSATION_KEY}
    return {"id": event_id, "type": name, "created": created, "data": data}


def chat_text(name: str, data: dict[str, Any]) -> str | None:
    """A chat message for the events a channel gets (None for the others): who, what, the
    link. Never a figure: a channel is read by more people than the offer's."""
    candidate = data.get("candidate", {}).get("name", "A candidate")
    title = data.get("requisition", {}).get("title", "")
    url = data.get("offer", {}).get("url", "")
    link = f" <{url}|Open the offer>" if url else ""
    if name == "offer.approval_waiting":
        step = data.get("step", {})
        who = ", ".join(step.get("approvers", [])) or "its approvers"
        return (
            f"Approval waiting: the offer for {candidate} ({title}) waits for {who} at the step "
            f"'{step.get('name', '')}'.{link}"
        )
    if name == "offer.accepted":
        return f"Offer accepted: {candidate} accepted the offer for {title}.{link}"
    return None


def encode(document: dict[str, Any]) -> str:
    """The body exactly as sent and signed: compact, keys in a stable order."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True, default=str)


def url_problem(url: str) -> str | None:
    """Why a URL cannot be an endpoint (None when it can): http(s), a host, no credentials."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "Enter a URL such as https://hr.example.com/hooks/hiring."
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "Enter an http:// or https:// URL with a host name."
    if parts.username or parts.password:
        return "Leave user names and passwords out of the URL; the signature proves the sender."
    return None
