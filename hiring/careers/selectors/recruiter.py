"""The recruiter's posting page: the form, and what the public sees of it."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.careers.models import Posting
from hiring.careers.selectors.public import published_salary
from hiring.pipeline.rules import RequisitionStatus


def posting_edit_context(posting: Posting, form: forms.Form) -> dict[str, Any]:
    requisition = posting.requisition
    is_open = requisition.status == RequisitionStatus.OPEN
    return {
        "form": form,
        "posting": posting,
        "requisition": requisition,
        "is_open": is_open,
        "live": posting.pk is not None and posting.published and is_open,
        "band": published_salary(posting) if posting.pk and posting.publish_band else None,
    }
