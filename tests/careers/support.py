"""Shared helpers of the careers tests: a published posting, a valid apply form's body."""

from __future__ import annotations

import time
from typing import Any

from hiring.careers.services.applying import form_token
from hiring.careers.services.postings import posting_save
from tests import factories

DESCRIPTION = "## What you will do\n\nRun **our** model serving.\n\n- Ship it\n- Keep it up\n"


def published_posting(*, requisition: Any = None, **fields: Any) -> Any:
    requisition = requisition or factories.requisition(location="Lisbon")
    values = {
        "slug": fields.pop("slug", f"job-{requisition.pk}"),
        "team": "Platform",
        "workplace": "on_site",
        "employment_type": "FULL_TIME",
        "description": DESCRIPTION,
        **fields,
    }
    published = values.pop("published", True)
    return posting_save(
        requisition=requisition, fields=values, actor=requisition.recruiter, published=published
    )


def apply_body(posting: Any, **changes: Any) -> dict[str, Any]:
    """A valid apply form, shown 10 seconds ago."""
    body: dict[str, Any] = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "phone": "",
        "location": "London, UK",
        "portfolio_url": "https://ada.example.org",
        "github_url": "https://github.com/ada",
        "shipped_systems": "A ranking service at 20k requests a second.",
        "degrees": "",
        "schools": "",
        "certifications": "",
        "consent": "on",
        "website": "",
        "form_token": form_token(posting.pk, now=time.time() - 10),
    }
    for number, _question in enumerate(posting.questions):
        body[f"answer_{number}"] = f"Answer {number}"
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}
