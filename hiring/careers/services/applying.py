"""Applying from the careers page: the spam and abuse checks, the rate limits, and the
application itself (candidate, application, consent and answers, the recruiter's notice) in
one transaction.

Every POST of an apply form is one `ApplyAttempt` row, accepted or refused, holding only
keyed digests of the address and the e-mail: what was sent is never logged. The limits
count those rows (the database is the only shared state: no third-party service, and it
works offline). A refused attempt's row is written outside the refused transaction, so it
stays when everything else is rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hiring.audit import audit_record
from hiring.careers.models import ApplyAttempt, Posting, Submission
from hiring.careers.notices import NEW_APPLICATION
from hiring.careers.rules import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    MAX_FORM_AGE,
    MIN_SECONDS_TO_SUBMIT,
    PER_ADDRESS,
    PER_EMAIL,
    WINDOW,
    Outcome,
)
from hiring.errors import DomainError
from hiring.locks import transaction_lock
from hiring.notifications.services import notify
from hiring.pipeline.models import Application, Candidate, CandidateSource
from hiring.pipeline.rules import CLOSED_REQUISITIONS
from hiring.pipeline.services.applications import application_create
from hiring.pipeline.services.candidates import (
    candidate_create,
    candidate_update,
    duplicate_of,
    normalize_email,
)

log = logging.getLogger(__name__)

FORM_SALT = "hiring.careers.apply-form"
# The fields a known candidate's record gets from a new application when it has none.
FILLABLE = ("phone", "location", "portfolio_url", "github_url", "shipped_systems")
TRY_AGAIN = "Your application was not sent."


def form_token(posting_id: int, *, now: float | None = None) -> str:
    """The apply form's hidden stamp: when it was shown, for which posting (signed)."""
    return signing.dumps({"p": posting_id, "t": now if now is not None else time.time()},
                         salt=FORM_SALT)  # fmt: skip


def consent_text() -> str:
    return CONSENT_TEXT.format(company=settings.COMPANY_NAME, months=settings.RETENTION_MONTHS)


def digest(kind: str, value: str) -> str:
    """A keyed digest (HMAC-SHA256 with the secret key): the same input gives the same key,
    and the table alone names nobody."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Sent:
    """What came with the POST besides the form's fields: who sent it and the form's stamps."""

    address: str
    email: str  # as typed, possibly invalid: only its digest is kept
    honeypot: str
    token: str


@dataclass
class Applicant:
    """A valid form's fields."""

    name: str
    email: str
    location: str
    phone: str = ""
    portfolio_url: str = ""
    github_url: str = ""
    shipped_systems: str = ""
    degrees: str = ""
    schools: str = ""
    certifications: str = ""
    answers: list[dict[str, str]] = field(default_factory=list)
    resume: UploadedFile | None = None
    consent: bool = False


def _refusal(posting: Posting, sent: Sent, now: dt.datetime) -> tuple[Outcome, str] | None:
    """The first reason to refuse the attempt before reading it, if any."""
    if sent.honeypot.strip():
        return Outcome.HONEYPOT, f"{TRY_AGAIN} Please send the form again."
    try:
        stamp = signing.loads(sent.token, salt=FORM_SALT)
        shown, posting_id = float(stamp["t"]), int(stamp["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        shown, posting_id = 0.0, 0
    if now.timestamp() - shown > MAX_FORM_AGE.total_seconds():
        return Outcome.STALE, f"{TRY_AGAIN} The form had expired: it is fresh now, send it again."
    if posting_id != posting.pk:
        return Outcome.STALE, f"{TRY_AGAIN} The form was for another job: send it again."
    if now.timestamp() - shown < MIN_SECONDS_TO_SUBMIT:
        return Outcome.TOO_FAST, (
            f"{TRY_AGAIN} It came quicker than a person fills the form: check it and send it again."
        )
    since = now - WINDOW
    attempts = ApplyAttempt.objects.filter(at__gte=since)
    if attempts.filter(address_key=digest("address", sent.address)).count() >= PER_ADDRESS:
        return Outcome.RATE_ADDRESS, (
            f"{TRY_AGAIN} Too many applications came from your network in the last hour: "
            "please try again later."
        )
    email = normalize_email(sent.email)
    if email and attempts.filter(email_key=digest("email", email)).count() >= PER_EMAIL:
        return Outcome.RATE_EMAIL, (
            f"{TRY_AGAIN} Too many attempts for this e-mail address in the last hour: please "
            "try again later."
        )
    return None


def attempt_record(*, posting: Posting, sent: Sent, outcome: Outcome, now: dt.datetime) -> None:
    """Log the attempt: digests, the posting and the outcome, never what was sent."""
    email = normalize_email(sent.email)
    ApplyAttempt.objects.create(
        posting=posting,
        address_key=digest("address", sent.address),
        email_key=digest("email", email) if email else "",
        outcome=outcome,
        at=now,
    )
    if outcome != Outcome.ACCEPTED:
        log.info("careers: apply attempt refused (%s) on posting %s", outcome, posting.pk)


def careers_apply(
    *, posting: Posting, sent: Sent, applicant: Applicant | None, source: str
) -> Application | None:
    """Screen an apply attempt, then apply: returns the new application.

    Refusals raise a DomainError with a message for the page: the honeypot filled, a form
    sent within seconds of being shown (or expired or forged), too many attempts from one
    address or for one e-mail within the hour, a posting no longer open, a second
    application to the same requisition (its message gives the date of the first). None
    means the form itself was invalid (`applicant` None): its field errors are the answer.
    Every attempt is recorded, and counts against the limits.
    """
    now = timezone.now()
    refusal = _refusal(posting, sent, now)
    if refusal is not None:
        attempt_record(posting=posting, sent=sent, outcome=refusal[0], now=now)
        raise DomainError(refusal[1], status=429 if "Too many" in refusal[1] else 400)
    if applicant is None:
        attempt_record(posting=posting, sent=sent, outcome=Outcome.INVALID, now=now)
        return None
    try:
        application = _apply(posting=posting, applicant=applicant, source=source, now=now)
    except DomainError as error:
        outcome = Outcome.DUPLICATE if error.status == 409 else Outcome.CLOSED
        attempt_record(posting=posting, sent=sent, outcome=outcome, now=now)
        raise
    attempt_record(posting=posting, sent=sent, outcome=Outcome.ACCEPTED, now=now)
    return application


@transaction.atomic
def _apply(*, posting: Posting, applicant: Applicant, source: str, now: dt.datetime) -> Application:
    requisition = posting.requisition
    email = normalize_email(applicant.email)
    _lock_email(email)
    # The bare row locked, then read with its requisition (a locking join can miss the row).
    Posting.objects.select_for_update().get(pk=posting.pk)
    locked = Posting.objects.select_related("requisition").get(pk=posting.pk)
    if not locked.published or locked.requisition.status in CLOSED_REQUISITIONS:
        raise DomainError(
            f"{TRY_AGAIN} {requisition.title} is no longer open for applications.", status=410
        )
    first = (
        Application.objects.filter(candidate__email=email, requisition=requisition)
        .order_by("created_at")
        .first()
    )
    if first is not None:
        when = timezone.localtime(first.created_at)
        raise DomainError(
            f"You applied to {requisition.title} on {when:%-d %B %Y} already, and we have that "
            "application: there is no need to apply again. We will write to you either way.",
            fields={"email": ["This e-mail address has applied to this job already."]},
            status=409,
        )
    candidate = _candidate(applicant, email=email, source=source)
    application = application_create(
        candidate=candidate, requisition=requisition, actor=None, source=source, via="careers"
    )
    Submission.objects.create(
        application=application,
        posting=posting,
        source=source,
        answers=applicant.answers,
        consent_version=CONSENT_VERSION,
        consent_text=consent_text(),
        retention_months=settings.RETENTION_MONTHS,
        consented_at=now,
    )
    audit_record(actor=None, action="careers.apply", target=application, after={"source": source})
    notify(
        recipients=[requisition.recruiter_id],
        kind=NEW_APPLICATION,
        subject_type="application",
        subject_id=application.pk,
        title=f"New application for {requisition.title}: {candidate.name}",
        body=f"{candidate.name} applied from the careers page (source: {source}).",
        url=reverse("candidate:detail", args=[candidate.pk]),
        now=now,
    )
    return application


def _lock_email(email: str) -> None:
    """Two applications with one new e-mail at once must not make two candidates: on
    PostgreSQL a transaction lock on the e-mail (SQLite's IMMEDIATE transactions run one at
    a time anyway)."""
    transaction_lock(f"careers:{email}")


SOURCES = {
    CandidateSource.REFERRAL.value,
    CandidateSource.AGENCY.value,
    CandidateSource.EVENT.value,
}


def _candidate(applicant: Applicant, *, email: str, source: str) -> Candidate:
    """The known candidate with this e-mail (never a second one), their empty fields filled
    in and their resume replaced by the one they just sent; or a new candidate."""
    fields: dict[str, Any] = {
        "name": applicant.name,
        "email": email,
        "location": applicant.location,
        "phone": applicant.phone,
        "portfolio_url": applicant.portfolio_url,
        "github_url": applicant.github_url,
        "shipped_systems": applicant.shipped_systems,
        "degrees": applicant.degrees,
        "schools": applicant.schools,
        "certifications": applicant.certifications,
    }
    known = duplicate_of(email)
    if known is None:
        kind = source if source in SOURCES else CandidateSource.INBOUND.value
        return candidate_create(
            fields={**fields, "source": kind}, tags=[], actor=None, resume=applicant.resume
        )
    filled = {name: fields[name] for name in FILLABLE if fields[name] and not getattr(known, name)}
    if filled or applicant.resume is not None:
        return candidate_update(candidate=known, fields=filled, actor=None, resume=applicant.resume)
    return known
