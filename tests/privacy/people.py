"""A candidate with something stored in every table that can hold data about them, each
free-text field carrying a marker the tests then look for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import RedFlag
from assessments.services.decisions import decision_record
from assessments.services.interviews import interview_cancel
from hiring.notifications.services import notify
from hiring.offers.models import OfferClock
from hiring.offers.services.approvals import step_vote
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.models import Application, Candidate
from hiring.pipeline.services.applications import application_end, note_add
from hiring.pipeline.services.candidates import candidate_create, candidate_merge, candidate_update
from tests import factories

MARKER = "zqx7marker"  # lower case: tags are stored lower-cased


@dataclass
class Staff:
    admin: User
    recruiter: User
    manager: User
    interviewer: User


def staff() -> Staff:
    return Staff(
        admin=factories.UserFactory(roles=[ADMIN]),
        recruiter=factories.UserFactory(roles=[RECRUITER]),
        manager=factories.UserFactory(roles=[HIRING_MANAGER]),
        interviewer=factories.UserFactory(roles=[INTERVIEWER]),
    )


def profile(marker: str, email: str | None = None) -> dict[str, Any]:
    return {
        "name": f"Ada {marker}",
        "email": email or f"{marker}@example.org",
        "phone": f"+1 555 {marker}",
        "location": f"{marker} City",
        "source": "referral",
        "portfolio_url": f"https://example.org/{marker}",
        "github_url": f"https://github.com/{marker}",
        "case_study_urls": [f"https://example.org/{marker}/case"],
        "shipped_systems": f"Fraud model at {marker} Corp",
        "degrees": f"PhD {marker}",
        "schools": f"{marker} University",
        "certifications": f"{marker} certified",
    }


def resume(marker: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{marker}-cv.txt", f"Resume of {marker}".encode(), "text/plain")


def marked_candidate(people: Staff, marker: str = MARKER) -> Candidate:
    """Through the services as the product writes them: a profile with a resume and tags, a
    second record of the same person merged into it, an ended application that went through
    an interview, a scorecard, the debrief, an offer sent back by its approver, and another
    application, withdrawn; notifications and Django admin's log about them."""
    recruiter, manager = people.recruiter, people.manager
    candidate = candidate_create(
        fields=profile(marker),
        tags=[f"{marker}-tag", "python"],
        actor=recruiter,
        resume=resume(marker),
    )
    candidate_update(candidate=candidate, fields={"location": f"{marker} Town"}, actor=recruiter)
    twin = candidate_create(
        fields=profile(marker) | {"name": f"A. {marker}"},
        tags=[f"{marker}-twin"],
        actor=recruiter,
        resume=resume(marker),
    )
    candidate_merge(keep=candidate, duplicate=twin, actor=recruiter)
    requisition = factories.requisition(hiring_manager=manager, recruiter=recruiter)
    application = factories.application(candidate=candidate, requisition_obj=requisition)
    note_add(application=application, body=f"Called {marker} back", actor=recruiter)
    interview = factories.scheduled_interview(
        application_obj=application,
        interviewers=[people.interviewer],
        location=f"https://meet.example.com/{marker}",
    )
    flag = RedFlag.objects.order_by("number").first()
    assert flag is not None
    factories.filled_scorecard(
        interview=interview,
        interviewer=people.interviewer,
        summary=f"{marker} knows their systems",
        flags={flag.key: f"{marker} blamed the team"},
    )
    decision_record(
        application=application,
        actor=manager,
        outcome="advance",
        comment=f"{marker} is great",
        override_reason=f"{marker} convinced us despite the flag",
    )
    offer = factories.offer(application_obj=application, submit=True, notes=f"{marker} wants")
    step_vote(offer=offer, step_id=None, actor=manager, approve=False, comment=f"{marker} no")
    second = factories.scheduled_interview(application_obj=application, interviewers=[manager])
    interview_cancel(interview=second, actor=recruiter)
    application_end(application=application, status="rejected", reason="Other", actor=recruiter)
    other = factories.application(
        candidate=candidate, requisition_obj=factories.requisition(recruiter=recruiter)
    )
    application_end(application=other, status="withdrawn", reason="Timing", actor=recruiter)
    clock = OfferClock.objects.get(application=application)
    for subject_type, subject_id in (("interview", interview.pk), ("clock", clock.pk)):
        notify(
            recipients=[recruiter.pk],
            kind="scorecard_reminder",
            subject_type=subject_type,
            subject_id=subject_id,
            title=f"About {marker}",
            body=f"{marker} waits",
            url="/",
        )
    LogEntry.objects.create(
        user=people.admin,
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id=str(candidate.pk),
        object_repr=candidate.name,
        action_flag=CHANGE,
        change_message=f"Looked at {marker}",
    )
    return Candidate.objects.get(pk=candidate.pk)


def ended_application(candidate: Candidate | None = None, status: str = "rejected") -> Application:
    application = factories.application(candidate=candidate)
    reason = "Other" if status == "rejected" else "Timing"
    return application_end(
        application=application,
        status=status,
        reason=reason,
        actor=application.requisition.recruiter,
    )
