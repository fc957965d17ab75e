"""Candidates: create, update, resume, duplicates and merge."""

from __future__ import annotations

import zipfile
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hiring.audit import audit_record, audit_record_many
from hiring.errors import DomainError
from hiring.pipeline.models import Application, Candidate, Note, Tag

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_RESUME_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
# The zones a candidate's time zone may be (the IANA names Python knows), sorted.
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
CANDIDATE_FIELDS = (
    "name",
    "email",
    "phone",
    "location",
    "time_zone",
    "source",
    "portfolio_url",
    "github_url",
    "case_study_urls",
    "shipped_systems",
    "degrees",
    "schools",
    "certifications",
)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def resume_content_type(upload: UploadedFile) -> str:
    """The file's real type, judged by its bytes (not its name), or a DomainError.

    PDF: starts with %PDF-. DOCX: a zip holding word/document.xml. Text: valid UTF-8
    without NUL bytes or other control characters.
    """
    if upload.size is not None and upload.size > MAX_RESUME_BYTES:
        mb = upload.size / 1024 / 1024
        raise DomainError(
            f"The resume is {mb:.1f} MB; the limit is 10 MB.",
            fields={"resume": [f"File too large ({mb:.1f} MB). The limit is 10 MB."]},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04") and _is_docx(upload):
        return DOCX
    if _is_text(upload):
        return TEXT
    raise DomainError(
        "The resume must be a PDF, a Word (.docx) document or plain text.",
        fields={"resume": ["Not a PDF, DOCX or plain-text file (checked by its content)."]},
    )


def _is_docx(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def _is_text(upload: UploadedFile) -> bool:
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def duplicate_of(email: str, *, exclude: int | None = None) -> Candidate | None:
    """The earliest live candidate with this e-mail, if any."""
    rows = Candidate.objects.filter(email=normalize_email(email), merged_into__isnull=True)
    if exclude:
        rows = rows.exclude(pk=exclude)
    return rows.order_by("id").first()


@transaction.atomic
def candidate_create(
    *,
    fields: dict[str, Any],
    tags: list[str],
    actor: User | None,
    resume: UploadedFile | None = None,
) -> Candidate:
    """Create a candidate. A known e-mail is not refused: the new record is flagged duplicate.
    `actor` is None when the candidate applied themselves (the careers page)."""
    fields = {**fields, "email": normalize_email(fields["email"])}
    candidate = Candidate(**fields, created_by=actor)
    candidate.duplicate_of = duplicate_of(fields["email"])
    if resume is not None:
        _attach_resume(candidate, resume)
    candidate.save()
    tags_set(candidate=candidate, names=tags)
    search_document_refresh(candidate=candidate)
    audit_record(
        actor=actor,
        action="candidate.create",
        target=candidate,
        after={"email": candidate.email, "duplicate_of": candidate.duplicate_of_id},
    )
    return candidate


@transaction.atomic
def candidates_create_many(
    *, rows: list[tuple[dict[str, Any], list[str]]], actor: User | None
) -> list[Candidate]:
    """`candidate_create` for many candidates at once (a batch of an import): the same
    fields, duplicate flags (against the stored candidates and the earlier rows of the
    batch), tags, search text and audit entry each, in a fixed number of queries a batch.
    Rows are (fields, tags); no resumes."""
    emails = [normalize_email(fields["email"]) for fields, _ in rows]
    earliest: dict[str, int] = {}
    stored = Candidate.objects.filter(email__in=set(emails), merged_into__isnull=True)
    for email, pk in stored.order_by("-id").values_list("email", "id"):
        earliest[email] = pk  # the last one written here is the smallest id
    names = [sorted({n.strip().lower()[:40] for n in tags if n.strip()}) for _, tags in rows]
    candidates = []
    for (fields, _), email, tags in zip(rows, emails, names, strict=True):
        candidate = Candidate(**{**fields, "email": email}, created_by=actor)
        candidate.duplicate_of_id = earliest.get(email)
        candidate.search_document = " ".join([candidate.name, email, *tags])
        candidates.append(candidate)
    Candidate.objects.bulk_create(candidates)
    _flag_repeats_within(candidates, earliest)
    _tags_add_many(candidates, names)
    audit_record_many(
        actor=actor,
        action="candidate.create",
        entries=[(c, {"email": c.email, "duplicate_of": c.duplicate_of_id}) for c in candidates],
    )
    return candidates


def _flag_repeats_within(candidates: list[Candidate], earliest: dict[str, int]) -> None:
    """A second row of the batch with an e-mail no stored candidate has is a duplicate of
    the first one (as it would be, written one after the other)."""
    first: dict[str, int] = {}
    repeats: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.email in earliest:
            continue
        if candidate.email in first:
            candidate.duplicate_of_id = first[candidate.email]
            repeats.setdefault(first[candidate.email], []).append(candidate)
        else:
            first[candidate.email] = candidate.pk
    for original, copies in repeats.items():
        Candidate.objects.filter(pk__in=[c.pk for c in copies]).update(duplicate_of=original)


def _tags_add_many(candidates: list[Candidate], names: list[list[str]]) -> None:
    wanted = sorted({name for tags in names for name in tags})
    if not wanted:
        return
    Tag.objects.bulk_create([Tag(name=n) for n in wanted], ignore_conflicts=True)
    ids = dict(Tag.objects.filter(name__in=wanted).values_list("name", "id"))
    link = Candidate.tags.through
    Candidate.tags.through.objects.bulk_create(
        link(candidate_id=c.pk, tag_id=ids[name])
        for c, tags in zip(candidates, names, strict=True)
        for name in tags
    )


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    fields: dict[str, Any],
    actor: User | None,
    tags: list[str] | None = None,
    resume: UploadedFile | None = None,
) -> Candidate:
    """Change a candidate's fields, tags or resume; a new e-mail is checked for duplicates."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if "email" in fields:
        fields = {**fields, "email": normalize_email(fields["email"])}
    before = {name: getattr(candidate, name) for name in fields}
    for name, value in fields.items():
        setattr(candidate, name, value)
    if "email" in fields and fields["email"] != before["email"]:
        candidate.duplicate_of = duplicate_of(fields["email"], exclude=candidate.pk)
    if resume is not None:
        _attach_resume(candidate, resume)
    candidate.save()
    if tags is not None:
        tags_set(candidate=candidate, names=tags)
    search_document_refresh(candidate=candidate)
    changed = {k: v for k, v in fields.items() if before.get(k) != v}
    if changed or resume is not None:
        audit_record(
            actor=actor,
            action="candidate.update",
            target=candidate,
            before={k: before[k] for k in changed},
            after={**changed, **({"resume": resume.name} if resume else {})},
        )
    return candidate


def _attach_resume(candidate: Candidate, upload: UploadedFile) -> None:
    candidate.resume_content_type = resume_content_type(upload)
    candidate.resume_name = (upload.name or "resume")[-200:]
    candidate.resume.save(upload.name or "resume", upload, save=False)


def tags_set(*, candidate: Candidate, names: list[str]) -> None:
    """The candidate's tags become `names`, trimmed and lower-cased; new tags are created."""
    cleaned = sorted({n.strip().lower()[:40] for n in names if n.strip()})
    existing = {t.name: t for t in Tag.objects.filter(name__in=cleaned)}
    missing = [Tag(name=n) for n in cleaned if n not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    candidate.tags.set(Tag.objects.filter(name__in=cleaned))


def search_document_refresh(*, candidate: Candidate) -> None:
    """Rebuild the text the candidate search matches: name, e-mail, tags and note text."""
    notes = Note.objects.filter(application__candidate=candidate).values_list("body", flat=True)
    tags = candidate.tags.values_list("name", flat=True)
    document = " ".join([candidate.name, candidate.email, *tags, *notes])
    Candidate.objects.filter(pk=candidate.pk).update(search_document=document)
    candidate.search_document = document


@transaction.atomic
def candidate_merge(*, keep: Candidate, duplicate: Candidate, actor: User) -> Candidate:
    """Fold `duplicate` into `keep`: applications move over, empty fields are filled in.

    Nothing is overwritten: where both have a value, `keep`'s stays. Refused when both
    are in the same requisition (a person cannot apply twice to one job).
    """
    if keep.pk == duplicate.pk:
        raise DomainError("A candidate cannot be merged into itself.")
    keep, duplicate = (
        Candidate.objects.select_for_update().get(pk=keep.pk),
        Candidate.objects.select_for_update().get(pk=duplicate.pk),
    )
    shared = set(keep.applications.values_list("requisition_id", flat=True)) & set(
        duplicate.applications.values_list("requisition_id", flat=True)
    )
    if shared:
        raise DomainError(
            "Both records are in the same requisition; reject or withdraw one application first."
        )
    filled = {}
    for name in CANDIDATE_FIELDS:
        if not getattr(keep, name) and getattr(duplicate, name):
            filled[name] = getattr(duplicate, name)
            setattr(keep, name, getattr(duplicate, name))
    if not keep.resume and duplicate.resume:
        keep.resume, keep.resume_name = duplicate.resume, duplicate.resume_name
        keep.resume_content_type = duplicate.resume_content_type
    keep.save()
    Application.objects.filter(candidate=duplicate).update(candidate=keep)
    keep.tags.add(*duplicate.tags.all())
    duplicate.merged_into, duplicate.duplicate_of = keep, None
    duplicate.save(update_fields=["merged_into", "duplicate_of"])
    Candidate.objects.filter(duplicate_of=duplicate).update(duplicate_of=keep)
    search_document_refresh(candidate=keep)
    audit_record(
        actor=actor,
        action="candidate.merge",
        target=keep,
        before={"merged": duplicate.pk},
        after={"filled": sorted(filled)},
    )
    return keep
