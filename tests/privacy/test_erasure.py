"""Erasing a candidate (issue 13): their personal data leaves every table that held it, the
counts, stages, ratings, statuses and dates stay, and the audit log keeps who did what when.

The marker test is the proof: a marker in every free-text field of every row about the
candidate, then a scan of every text and JSON column of every table (all models,
introspected) after the erasure. The completeness test makes a new text field on any of
those tables fail until it is sorted into ERASED or KEPT.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from assessments.models import (
    Decision,
    Interview,
    InterviewChange,
    Scorecard,
    ScorecardAnswer,
    ScorecardChange,
    ScorecardRedFlag,
)
from hiring.careers.models import Submission
from hiring.checkins.models import CheckIn
from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.notifications.models import Notification
from hiring.offers.models import (
    ApprovalStep,
    ApprovalStepChange,
    Offer,
    OfferChange,
    OfferClock,
    OfferSignature,
    StepApprover,
)
from hiring.pipeline.models import Application, Candidate, Note, StageChange, Tag
from hiring.privacy.models import Erasure
from hiring.privacy.services.erasure import candidate_anonymise
from hiring.scheduling.models import SlotLink, SlotLinkChange
from tests import factories
from tests.careers.support import published_posting
from tests.privacy.people import MARKER, Staff, ended_application, marked_candidate, staff

pytestmark = pytest.mark.django_db

# Every text or JSON column of a table that holds rows about a candidate: erased...
ERASED: dict[type[models.Model], set[str]] = {
    Candidate: {
        "name", "email", "phone", "location", "time_zone", "portfolio_url", "github_url",
        "case_study_urls", "shipped_systems", "degrees", "schools", "certifications", "resume",
        "resume_name", "resume_content_type", "search_document",
    },
    Tag: {"name"},  # a tag only they had
    Application: {"next_step", "end_reason"},  # an end reason not from the list
    StageChange: {"reason"},  # likewise
    Note: {"body"},
    Interview: {"location"},
    InterviewChange: {"reason"},
    Scorecard: {"summary"},
    ScorecardAnswer: {"notes"},
    ScorecardRedFlag: {"evidence"},
    ScorecardChange: {"reason"},
    Decision: {"reason", "comment", "override_reason"},  # a reason not from the list
    Offer: {
        "notes", "justification", "returned_reason", "response_note", "letter_subject",
        "letter_text", "decline_reason",
    },
    OfferSignature: {"full_name", "statement", "user_agent", "letter_sha256"},  # deleted
    OfferChange: {"reason"},
    ApprovalStepChange: {"reason"},
    StepApprover: {"comment"},
    Notification: {"title", "body"},
    AuditEntry: {"object_repr", "before", "after"},
    LogEntry: {"object_repr", "change_message"},
    Submission: {"answers"},  # what they wrote on the careers page's apply form
    CheckIn: {"comment"},  # what their hiring manager wrote about them as a hire
}  # fmt: skip
# ... or kept, for the reason given: none of them is written about the person.
KEPT: dict[tuple[type[models.Model], str], str] = {
    (StageChange, "from_status"): "a status value",
    (StageChange, "to_status"): "a status value",
    (Interview, "round_name"): "the loop's round (the requisition's plan)",
    (ApprovalStep, "name"): "the approval template's step",
    (Decision, "evidence_headline"): "the scoring summary's words: ratings and playbook flags",
    (Decision, "explanation"): "the scoring summary at the decision: ratings, questions, flags",
    (SlotLink, "round_name"): "the loop's round (the requisition's plan)",
    (SlotLink, "location"): "the interview's video link",
    (SlotLink, "questions"): "question keys of the loop",
    (SlotLink, "nonce"): "a random key of the candidate's link",
    (SlotLinkChange, "reason"): "set by the system (booked, rescheduled, expired)",
    (StepApprover, "vote"): "approve or reject",
    (Offer, "currency"): "an ISO code",
    (Offer, "band_result"): "the band check's verdict",
    (Offer, "link_nonce"): "a random key of the candidate's link",
    (Offer, "sent_via"): "email or hand",
    (Offer, "answer_via"): "link or hand",
    (OfferClock, "stop_reason"): "set by the system (sent, moved on)",
    (Notification, "kind"): "a registered kind",
    (Notification, "subject_type"): "what the subject id names",
    (Notification, "url"): "a path with ids",
    (Notification, "email_error"): "the mail server's answer about a staff address",
    (AuditEntry, "actor_username"): "who acted: staff",
    (AuditEntry, "action"): "what was done",
    (AuditEntry, "object_type"): "a model label",
    (AuditEntry, "object_id"): "an id",
    (LogEntry, "object_id"): "an id",
    (Submission, "source"): "the ?source= of a job board's or a referral's link",
    (Submission, "consent_version"): "the consent notice's version",
    (Submission, "consent_text"): "the consent notice itself (names the company, not them)",
}


def text_columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Concrete columns that can hold text: char, text, e-mail, URL, file and JSON fields."""
    kinds = (models.CharField, models.TextField, models.FileField, models.JSONField)
    return [f for f in model._meta.concrete_fields if isinstance(f, kinds)]


def traces(marker: str) -> list[str]:
    """Every table.column, of every model installed, that holds `marker` anywhere."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        rows = model._base_manager.all()
        for field in text_columns(model):
            if isinstance(field, models.JSONField):
                hits = rows.annotate(_text=Cast(field.attname, models.TextField()))
                hits = hits.filter(_text__icontains=marker)
            else:
                hits = rows.filter(**{f"{field.attname}__icontains": marker})
            if hits.exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


def about_a_candidate() -> set[type[models.Model]]:
    """The candidate, and every model that points at one of these (recursively), their tags,
    and the logs and notifications that name rows of them."""
    found: set[type[models.Model]] = {Candidate}
    frontier: list[type[models.Model]] = [Candidate]
    while frontier:
        model = frontier.pop()
        for relation in model._meta.related_objects:
            related = relation.related_model
            if isinstance(related, type) and related not in found and not relation.many_to_many:
                found.add(related)
                frontier.append(related)
    return found | {Tag, Notification, AuditEntry, LogEntry}


def test_every_text_column_about_a_candidate_is_erased_or_kept_for_a_reason() -> None:
    unsorted = [
        f"{model._meta.label}.{field.name}"
        for model in about_a_candidate()
        for field in text_columns(model)
        if not field.choices
        and field.name not in ERASED.get(model, set())
        and (model, field.name) not in KEPT
    ]
    assert unsorted == []


def _marked(model: Any, name: str, marker: str) -> str:
    """The marker and the field's name, cut to the column's length (PostgreSQL refuses more)."""
    limit = model._meta.get_field(name).max_length
    return f"{marker} {name}"[:limit] if limit else f"{marker} {name}"


def fill_the_rest(candidate: Candidate, marker: str) -> None:
    """The services leave some fields empty or pick their text from lists: write the marker
    into every ERASED column of every row about the candidate the services did not fill."""
    paths = {
        Application: "candidate",
        StageChange: "application__candidate",
        Note: "application__candidate",
        Interview: "application__candidate",
        InterviewChange: "interview__application__candidate",
        Scorecard: "interview__application__candidate",
        ScorecardAnswer: "scorecard__interview__application__candidate",
        ScorecardRedFlag: "scorecard__interview__application__candidate",
        ScorecardChange: "scorecard__interview__application__candidate",
        Decision: "application__candidate",
        Offer: "application__candidate",
        OfferChange: "offer__application__candidate",
        ApprovalStepChange: "step__offer__application__candidate",
        StepApprover: "step__offer__application__candidate",
    }
    for model, path in paths.items():
        rows = model._default_manager.filter(**{path: candidate})
        assert rows.exists(), f"no {model._meta.label} row about the candidate"
        rows.update(**{name: _marked(model, name, marker) for name in ERASED[model]})
    # A signature of the candidate's first offer, as the offer link records it.
    signed = Offer.objects.filter(application__candidate=candidate).order_by("id").first()
    OfferSignature.objects.create(
        offer=signed,
        full_name=f"{marker} full_name",
        statement=f"{marker} statement",
        signed_at=dt.datetime.now(dt.UTC),
        user_agent=f"{marker} user_agent",
        letter_sha256=marker[:64],
        signed_pdf=b"%PDF",
    )
    # What they sent from the careers page with one of their applications.
    application = Application.objects.filter(candidate=candidate).order_by("pk").first()
    assert application is not None
    posting = published_posting(requisition=application.requisition, published=False)
    Submission.objects.create(
        application=application, posting=posting, source="careers page",
        answers=[{"question": "What did you ship?", "answer": f"{marker} answers"}],
        consent_version="v", consent_text="I agree", retention_months=24,
        consented_at=timezone.now(),
    )  # fmt: skip
    # A check-in on them as a hire, with its manager's comment.
    CheckIn.objects.create(
        application=application, horizon="90d", start_date=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 4, 5), status="done", performance=3, still_in_role=True,
        comment=f"{marker} comment",
    )  # fmt: skip
    # The resume's type is judged from its bytes; write one no upload could have.
    Candidate.objects.filter(name__contains=marker).update(
        resume_content_type=f"text/{marker}", time_zone=f"{marker} zone"
    )


@pytest.fixture
def people(playbook: Any) -> Staff:
    return staff()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_no_trace_of_the_candidate_is_left_in_any_table(
    people: Staff, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    candidate = marked_candidate(people)
    fill_the_rest(candidate, MARKER)
    everywhere = {
        f"{m._meta.db_table}.{m._meta.get_field(n).column}" for m in ERASED for n in ERASED[m]
    }
    before = set(traces(MARKER))
    assert everywhere - {"hiring_candidate.resume"} <= before, (
        everywhere - before
    )  # the scan sees what it looks for
    with django_capture_on_commit_callbacks(execute=True):
        candidate_anonymise(candidate=candidate, actor=people.admin)
    assert traces(MARKER) == []


def test_audit_entries_keep_who_did_what_and_when_without_the_personal_data(
    people: Staff, media: Path
) -> None:
    candidate = marked_candidate(people)
    about = AuditEntry.objects.filter(object_repr__icontains=MARKER)
    kept = ("id", "at", "actor_id", "actor_username", "action", "object_type", "object_id")
    before = list(about.order_by("id").values_list(*kept))
    assert len(before) >= 5 and {"candidate.create", "offer.reject"} <= {e[4] for e in before}
    candidate_anonymise(candidate=candidate, actor=people.admin)
    after = AuditEntry.objects.filter(pk__in=[e[0] for e in before]).order_by("id")
    assert list(after.values_list(*kept)) == before
    assert {(e.before, e.after) for e in after} == {(None, None)}
    created = after.get(action="candidate.create", object_id=str(candidate.pk))
    assert created.object_repr == f"Erased candidate #{candidate.pk}"


def test_the_erasure_is_audited_without_the_personal_data(people: Staff, media: Path) -> None:
    candidate = marked_candidate(people)
    candidate_anonymise(candidate=candidate, actor=people.admin)
    entry = AuditEntry.objects.get(action="candidate.anonymise")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        people.admin,
        "pipeline.Candidate",
        str(candidate.pk),
    )
    assert entry.object_repr == f"Erased candidate #{candidate.pk}"
    assert MARKER not in str(entry.after)


def test_the_resume_files_leave_the_disk_once_the_erasure_commits(
    people: Staff, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    candidate = marked_candidate(people)
    files = [media / name for name in Candidate.objects.values_list("resume", flat=True) if name]
    assert len(files) == 2 and all(path.exists() for path in files)  # theirs and their twin's
    with django_capture_on_commit_callbacks(execute=True):
        candidate_anonymise(candidate=candidate, actor=people.admin)
    assert not any(path.exists() for path in files)
    assert list(Candidate.objects.values_list("resume", "resume_name")) == [("", "")] * 2


def test_a_resume_file_another_record_still_uses_stays_on_disk(
    people: Staff, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from hiring.pipeline.services.candidates import candidate_create, candidate_merge
    from tests.privacy.people import profile, resume

    keep = candidate_create(fields=profile("keep"), tags=[], actor=people.recruiter)
    twin = candidate_create(
        fields=profile("twin", email=keep.email),
        tags=[],
        actor=people.recruiter,
        resume=resume("t"),
    )
    candidate_merge(keep=keep, duplicate=twin, actor=people.recruiter)  # keep takes the file
    path = media / twin.resume.name
    with django_capture_on_commit_callbacks(execute=True):
        candidate_anonymise(candidate=twin, actor=people.admin)
    assert path.exists()
    keep.refresh_from_db()
    assert keep.resume.name == twin.resume.name and keep.name == "Ada keep"


def test_counts_stages_ratings_statuses_dates_and_listed_reasons_stay(
    people: Staff, media: Path
) -> None:
    candidate = marked_candidate(people)

    def facts() -> dict[str, Any]:
        applications = Application.objects.filter(candidate=candidate).order_by("id")
        return {
            "applications": list(
                applications.values_list(
                    "requisition_id", "stage_id", "status", "end_reason", "created_at"
                )
            ),
            "moves": list(
                StageChange.objects.filter(application__candidate=candidate)
                .order_by("id")
                .values_list("to_stage_id", "to_status", "reason", "at")
            ),
            "notes": Note.objects.filter(application__candidate=candidate).count(),
            "ratings": sorted(
                ScorecardAnswer.objects.filter(
                    scorecard__interview__application__candidate=candidate
                ).values_list("rating", flat=True)
            ),
            "scorecards": list(Scorecard.objects.values_list("status", "recommendation")),
            "flags": list(ScorecardRedFlag.objects.filter(raised=True).values_list("red_flag_id")),
            "decisions": list(Decision.objects.values_list("outcome", "decided_at")),
            "offers": list(Offer.objects.values_list("status", "base_salary", "target_bonus")),
            "source": Candidate.objects.get(pk=candidate.pk).source,
            "interviews": list(Interview.objects.values_list("round_name", "status", "starts_at")),
        }

    before = facts()
    assert ("rejected", "Other") in [(a[2], a[3]) for a in before["applications"]]
    candidate_anonymise(candidate=candidate, actor=people.admin)
    assert facts() == before


def test_erasing_twice_is_harmless(people: Staff, media: Path) -> None:
    candidate = marked_candidate(people)
    first = candidate_anonymise(candidate=candidate, actor=people.admin)
    entries = AuditEntry.objects.count()
    again = candidate_anonymise(candidate=candidate, actor=people.admin)
    assert (again.pk, again.at, again.actor) == (first.pk, first.at, people.admin)
    assert AuditEntry.objects.count() == entries
    assert Erasure.objects.count() == 2  # the candidate and the record merged into them


def test_a_candidate_with_an_active_application_is_not_erased(people: Staff) -> None:
    application = factories.application()
    with pytest.raises(DomainError, match="active application") as refused:
        candidate_anonymise(candidate=application.candidate, actor=people.admin)
    assert refused.value.status == 409
    assert not Erasure.objects.exists()
    assert Candidate.objects.get(pk=application.candidate_id).name == application.candidate.name


def test_records_flagged_as_their_duplicates_are_no_longer_flagged(
    people: Staff, media: Path
) -> None:
    from hiring.pipeline.services.candidates import candidate_create
    from tests.privacy.people import profile

    candidate = ended_application().candidate
    other = candidate_create(
        fields=profile("other", email=candidate.email), tags=[], actor=people.recruiter
    )
    assert other.duplicate_of == candidate
    candidate_anonymise(candidate=candidate, actor=people.admin)
    other.refresh_from_db()
    assert other.duplicate_of is None and other.email == candidate.email


def test_a_tag_only_they_had_goes_and_a_shared_tag_stays(people: Staff, media: Path) -> None:
    candidate = marked_candidate(people)
    factories.CandidateFactory().tags.add(Tag.objects.get(name="python"))
    candidate_anonymise(candidate=candidate, actor=people.admin)
    assert list(Tag.objects.values_list("name", flat=True)) == ["python"]
    assert not Candidate.objects.get(pk=candidate.pk).tags.exists()


def test_a_scorecard_open_in_an_editor_cannot_save_the_erased_text_back(
    people: Staff, media: Path
) -> None:
    from assessments.services.scorecards import ScorecardChanges, scorecard_autosave

    application = factories.application()
    interview = factories.scheduled_interview(
        application_obj=application, interviewers=[people.interviewer]
    )
    card = factories.filled_scorecard(
        interview=interview, interviewer=people.interviewer, summary="Private", submit=False
    )
    from hiring.pipeline.services.applications import application_end

    application_end(
        application=application, status="withdrawn", reason="Timing", actor=people.recruiter
    )
    candidate_anonymise(candidate=application.candidate, actor=people.admin)
    with pytest.raises(DomainError) as stale:
        scorecard_autosave(
            scorecard_id=card.pk,
            actor=people.interviewer,
            version=card.version,
            changes=ScorecardChanges(summary="Private"),
        )
    assert stale.value.status == 409
    assert Scorecard.objects.get(pk=card.pk).summary == ""
