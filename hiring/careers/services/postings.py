"""A requisition's posting: created with its defaults, edited, published and unpublished.

Closing a requisition (or putting it on hold) takes its posting off the careers page at
once without touching the posting: the public reads show only published postings of open
requisitions (selectors.public).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from hiring.audit import audit_record
from hiring.careers.models import Posting
from hiring.careers.rendering import MAX_CHARS, description_html
from hiring.careers.rules import MAX_QUESTIONS, Workplace, default_questions
from hiring.errors import DomainError
from hiring.pipeline.models import Requisition
from hiring.pipeline.rules import RequisitionStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

POSTING_FIELDS = (
    "slug",
    "team",
    "workplace",
    "employment_type",
    "valid_through",
    "description",
    "publish_band",
    "show_hiring_manager",
    "questions",
)
MAX_QUESTION_CHARS = 300


def posting_draft(requisition: Requisition) -> Posting:
    """The requisition's posting, or an unsaved one with its defaults: a slug from the
    title, unpublished, the questions from the role profile's signals."""
    existing = Posting.objects.filter(requisition=requisition).first()
    if existing is not None:
        return existing
    return Posting(
        requisition=requisition,
        slug=f"{slugify(requisition.title)[:60] or 'role'}-{requisition.pk}",
        questions=default_questions(list(requisition.role.signals or [])),
    )


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields checked; questions trimmed (not given: the posting keeps its own)."""
    problems: dict[str, list[str]] = {}
    if "questions" in fields:
        questions = [q.strip() for q in fields["questions"] if q and q.strip()]
        fields = {**fields, "questions": questions}
        if len(questions) > MAX_QUESTIONS:
            problems["questions"] = [f"At most {MAX_QUESTIONS} questions."]
        if any(len(q) > MAX_QUESTION_CHARS for q in questions):
            problems["questions"] = [f"A question has at most {MAX_QUESTION_CHARS} characters."]
    if len(fields.get("description", "")) > MAX_CHARS:
        problems["description"] = [f"At most {MAX_CHARS:,} characters."]
    if problems:
        raise DomainError("The posting was not saved: see the fields marked.", fields=problems)
    return fields


@transaction.atomic
def posting_save(
    *, requisition: Requisition, fields: dict[str, Any], actor: User, published: bool
) -> Posting:
    """Create or change the requisition's posting and publish or unpublish it.

    Publishing is refused unless the requisition is open. The description's HTML is
    rendered and sanitised here, once, so no page renders Markdown. The first publication
    sets `published_at` (schema.org datePosted); unpublishing keeps it.
    """
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    fields = _cleaned({k: v for k, v in fields.items() if k in POSTING_FIELDS})
    if published and requisition.status != RequisitionStatus.OPEN:
        raise DomainError(
            f"{requisition.title} is {requisition.get_status_display().lower()}: reopen it "
            "before publishing its posting.",
            fields={"published": ["Only an open requisition's posting can be published."]},
            status=409,
        )
    workplace = fields.get("workplace", Workplace.ON_SITE)
    if published and not requisition.location.strip() and workplace != Workplace.REMOTE:
        raise DomainError(
            "An on-site or hybrid job needs a location: set the requisition's location first.",
            fields={"workplace": ["Give the requisition a location, or make the job remote."]},
        )
    posting = posting_draft(requisition)
    created = posting.pk is None
    before = {name: _plain(getattr(posting, name)) for name in (*POSTING_FIELDS, "published")}
    for name, value in fields.items():
        setattr(posting, name, value)
    posting.description_html = description_html(posting.description)
    posting.published = published
    if published and posting.published_at is None:
        posting.published_at = timezone.now()
    try:
        with transaction.atomic():
            posting.save()
    except IntegrityError:
        raise DomainError(
            "Another posting has this address.",
            fields={"slug": ["Taken by another posting; choose another."]},
        ) from None
    after = {name: _plain(getattr(posting, name)) for name in (*POSTING_FIELDS, "published")}
    changed = after if created else {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit_record(
            actor=actor,
            action="posting.publish" if "published" in changed and published else "posting.save",
            target=posting,
            before=None if created else {k: before[k] for k in changed},
            after=changed,
        )
    return posting


def _plain(value: Any) -> Any:
    """A field's value as the audit log stores it (JSON)."""
    return value.isoformat() if hasattr(value, "isoformat") else value
