"""Exporting a candidate's data (a subject-access request): built, and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from hiring.audit import audit_record
from hiring.pipeline.models import Candidate
from hiring.privacy.selectors.export import export_data

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Export:
    filename: str
    data: dict[str, Any]

    @property
    def content_disposition(self) -> str:
        """Download it under its name, never show it in the browser."""
        return content_disposition_header(True, self.filename) or "attachment"


@transaction.atomic
def candidate_export(*, candidate: Candidate, actor: User) -> Export:
    """Everything stored about the candidate, and the audit entry saying who exported whom
    (the entry holds no copy of the data)."""
    now = timezone.now()
    data = export_data(candidate, now=now)
    audit_record(actor=actor, action="candidate.export", target=candidate)
    person = slugify(candidate.name)[:60].strip("-") or "candidate"
    filename = f"candidate-{candidate.pk}-{person}-{timezone.localdate(now):%Y-%m-%d}.json"
    return Export(filename=filename, data=data)
