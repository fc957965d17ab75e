"""The world of the authorization matrix (tests/hiring/test_access_matrix.py): ten users (each
role alone and every pair of roles), each with a requisition of their own, one requisition of
someone else's, and what every page and endpoint must answer each of them.

Each user's OWN world is a requisition where they are what their roles make them: its hiring
manager (Hiring manager), its recruiter (Recruiter), on its interview (Interviewer); the other
parts are played by strangers outside the matrix. It is not pedigree-blind. The OTHER world is
one requisition of a stranger manager, pedigree-blind, on whose interview every user holding
the Interviewer role sits: the security review's case (a manager who also interviews
elsewhere). Beside it a bystander, a candidate of that requisition nobody in the matrix
interviews.

Every world has an application with an interview, a stranger's submitted scorecard (the
panel's), the matrix interviewers' scorecards in draft (so the blind rule keeps the panel's
hidden from them), a team note and a shared note, a resume, and an offer waiting for its
hiring manager's approval with figures of its own: so a text found in a page tells whose it is.
What a user may see of a world is worked out from hiring.permissions.REACH and the world's
facts (who manages, who interviews, who holds an approval seat), never from the selectors.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.services.scorecards import scorecard_open
from compensation.selectors import band_for
from hiring.checkins.models import CheckIn
from hiring.notifications.services import notify
from hiring.offers.links import approval_link
from hiring.offers.models import StepApprover
from hiring.permissions import (
    ADMIN,
    ANY,
    APPROVING,
    HIRING_MANAGER,
    INTERVIEWED,
    INTERVIEWED_UNLESS_BLIND,
    INTERVIEWER,
    MANAGED,
    REACH,
    RECRUITER,
    ROLES,
    can,
    reach_of,
)
from hiring.pipeline.services.applications import note_add
from tests import factories

SHORT = {RECRUITER: "R", INTERVIEWER: "I", HIRING_MANAGER: "HM", ADMIN: "A"}
# Every single role, then every pair: 4 + 6 users.
ROLE_SETS: list[tuple[str, ...]] = [(role,) for role in ROLES] + list(
    itertools.combinations(ROLES, 2)
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def user_key(roles: tuple[str, ...]) -> str:
    return "+".join(SHORT[role] for role in roles)


# What a page may show of a world, by kind, and the capability whose reach decides it.
SECRET_CAPABILITY = {
    "compensation": "offers.view",  # the offer's figures and its notes for approvers
    "credentials": "credentials.view",  # degrees, schools, certifications
    "scorecards": "scorecards.view_all",  # the panel's scorecard (the blind rule aside)
    "team notes": "notes.view",  # notes for the hiring team
    "shared notes": "candidates.view",  # notes shared with interviewers
    "candidate": "candidates.view",  # the candidate's e-mail
}
# What an allowed page must show (`Row.shows`) but may also show elsewhere: the candidate's
# name is on their offer, their interviews, the approver's e-mail.
SHOWN_CAPABILITY = {**SECRET_CAPABILITY, "name": "candidates.view"}


@dataclass
class World:
    """One requisition with one application and everything hanging from it."""

    tag: str  # in every text of the world: "w03"
    requisition: Any
    application: Any
    interview: Any
    panel_card: Any  # a stranger's submitted scorecard
    cards: dict[int, Any]  # the matrix users' own scorecards (drafts), by user id
    offer: Any
    step: Any  # the offer's open step (its hiring manager's)
    checkin: Any = None  # a 90-day check-in on the application (hiring.checkins)
    secrets: dict[str, list[str]] = field(default_factory=dict)
    _relations: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def candidate(self) -> Any:
        return self.application.candidate

    @property
    def stage(self) -> Any:
        return self.requisition.stages.order_by("position").first()

    def relation(self, user: User) -> frozenset[str]:
        """The reaches that cover this world for the user (ANY always does); worked out once
        (the world does not change: every cell is rolled back)."""
        cached = self._relations.get(user.pk)
        if cached is not None:
            return cached
        names = {ANY}
        if self.requisition.hiring_manager_id == user.pk:
            names.add(MANAGED)
        if user.pk in self.cards:
            names.add(INTERVIEWED)
            if not self.requisition.pedigree_blind:
                names.add(INTERVIEWED_UNLESS_BLIND)
        if user.pk in self.seats:
            names.add(APPROVING)
        self._relations[user.pk] = frozenset(names)
        return self._relations[user.pk]

    @cached_property
    def seats(self) -> set[int]:
        """Who holds a seat on one of the offer's approval steps."""
        return set(
            StepApprover.objects.filter(step__offer=self.offer).values_list("user_id", flat=True)
        )


def reaches(user: User, capability: str, world: World) -> bool:
    """The permission table's answer: does `capability` let the user see this world? (A
    capability the table does not scope reaches everything, for those who hold it.)"""
    if capability not in REACH:
        return can(user, capability)
    return bool(reach_of(user, capability) & world.relation(user))


@dataclass
class Matrix:
    users: dict[str, User]  # by user_key
    own: dict[str, World]  # by user_key
    other: World  # a stranger manager's, blind, interviewed by every Interviewer
    bystander: World  # on the same requisition; nobody of the matrix interviews them
    notices: dict[int, Any]  # a notification of each user, by user id; strangers' under 0
    bands: list[str]  # the band figures of the requisitions' level, as pages show them
    _forbidden: dict[int, list[str]] = field(default_factory=dict)

    @property
    def worlds(self) -> list[World]:
        return [*self.own.values(), self.other, self.bystander]

    def world(self, key: str, which: str) -> World:
        return self.own[key] if which == "own" else self.other

    def forbidden(self, user: User) -> list[str]:
        """Every text the user must not find anywhere: the secrets of each kind of each
        world the table does not let them see, and the bands without compensation.view."""
        if user.pk in self._forbidden:
            return self._forbidden[user.pk]
        texts = [] if can(user, "compensation.view") else list(self.bands)
        for world in self.worlds:
            for kind, capability in SECRET_CAPABILITY.items():
                if not reaches(user, capability, world):
                    texts += world.secrets[kind]
        self._forbidden[user.pk] = texts
        return texts


def _world(
    n: int,
    *,
    manager: User,
    recruiter: User,
    interviewers: list[User],
    stranger: User,
    blind: bool,
    requisition: Any = None,
) -> World:
    tag = f"w{n:02d}"
    requisition = requisition or factories.requisition(
        title=f"Requisition {tag} of the matrix",
        hiring_manager=manager,
        recruiter=recruiter,
        pedigree_blind=blind,
    )
    candidate = factories.CandidateFactory(
        name=f"Candidate {tag.upper()} Matrix",
        email=f"candidate-{tag}@matrix.example.org",
        degrees=f"Degree in {tag} studies",
        schools=f"School of {tag}",
        certifications=f"Certified in {tag}",
    )
    candidate.resume.save(f"resume-{tag}.pdf", ContentFile(PDF), save=False)
    candidate.resume_name, candidate.resume_content_type = f"resume-{tag}.pdf", "application/pdf"
    candidate.save()
    application = factories.application(candidate=candidate, requisition_obj=requisition)
    interview = factories.scheduled_interview(
        application_obj=application, interviewers=[stranger, *interviewers]
    )
    panel = factories.filled_scorecard(
        interview=interview,
        interviewer=stranger,
        summary=f"Panel summary {tag}: shipped a ranking model",
        flags={"every-project-successful": f"Panel evidence {tag}: no failure named"},
    )
    cards = {u.pk: scorecard_open(interview=interview, interviewer=u) for u in interviewers}
    note_add(application=application, body=f"Team note {tag}: asked for 250k", actor=recruiter)
    note_add(
        application=application,
        body=f"Shared note {tag}: ask about the outage",
        actor=recruiter,
        visibility="shared",
    )
    factories.decision(application_obj=application, by=manager)
    # A distinct place in the band for each world: its figures are its own.
    offer = factories.offer(
        application_obj=application,
        submit=True,
        position=0.2 + 0.02 * n,
        notes=f"Approver note {tag}: she holds a competing offer",
    )
    world = World(
        tag=tag,
        requisition=requisition,
        application=application,
        interview=interview,
        panel_card=panel,
        cards=cards,
        offer=offer,
        step=offer.steps.get(round=offer.approval_round, position=0),
        checkin=CheckIn.objects.create(
            application=application,
            horizon="90d",
            start_date=dt.date(2026, 1, 5),
            due_on=dt.date(2026, 4, 5),
        ),
    )
    world.secrets = {
        "compensation": [
            f"{offer.base_salary:,}",
            f"{offer.total_cash:,}",
            f'"base_salary":{offer.base_salary}',
            f'"total_cash":{offer.total_cash}',
            offer.notes,
        ],
        "credentials": [candidate.degrees, candidate.schools, candidate.certifications],
        "scorecards": [panel.summary, f"Panel evidence {tag}"],
        "team notes": [f"Team note {tag}"],
        "shared notes": [f"Shared note {tag}"],
        "candidate": [candidate.email],
        "name": [candidate.name],
    }
    return world


def build_matrix() -> Matrix:
    """The users and their worlds (about 13 requisitions; a second or two on SQLite)."""
    users = {user_key(roles): factories.UserFactory(roles=list(roles)) for roles in ROLE_SETS}
    stranger_manager = factories.UserFactory(roles=[HIRING_MANAGER])
    stranger_recruiter = factories.UserFactory(roles=[RECRUITER])
    stranger = factories.UserFactory(roles=[INTERVIEWER], first_name="Panel", last_name="Stranger")
    own = {}
    for n, (key, user) in enumerate(users.items(), start=1):
        roles = set(ROLE_SETS[n - 1])
        own[key] = _world(
            n,
            manager=user if HIRING_MANAGER in roles else stranger_manager,
            recruiter=user if RECRUITER in roles else stranger_recruiter,
            interviewers=[user] if INTERVIEWER in roles else [],
            stranger=stranger,
            blind=False,
        )
    other_manager = factories.UserFactory(roles=[HIRING_MANAGER])
    interviewers = [
        u for roles, u in zip(ROLE_SETS, users.values(), strict=True) if INTERVIEWER in roles
    ]
    other = _world(
        len(users) + 1,
        manager=other_manager,
        recruiter=stranger_recruiter,
        interviewers=interviewers,
        stranger=stranger,
        blind=True,
    )
    bystander = _world(
        len(users) + 2,
        manager=other_manager,
        recruiter=stranger_recruiter,
        interviewers=[],
        stranger=stranger,
        blind=True,
        requisition=other.requisition,
    )
    notices = {}
    for user in [*users.values(), stranger]:
        notify(
            recipients=[user.pk],
            kind="approval_requested",
            subject_type="matrix",
            subject_id=user.pk,
            title=f"A notice for {user.username}",
            body="Something happened.",
            url="/",
        )
        notices[user.pk if user is not stranger else 0] = user.notifications.get(
            subject_type="matrix"
        )
    level = other.requisition.level
    band = band_for(level_id=level.pk, currency="USD", on=timezone.localdate())
    assert band is not None
    figures = [f"{band.low:,}", f"{band.high:,}", f'"low":{band.low}', f'"high":{band.high}']
    return Matrix(
        users=users, own=own, other=other, bystander=bystander, notices=notices, bands=figures
    )


def approval_token(world: World) -> str:
    """The signed link of the world's open step, sent to its approver (the manager)."""
    return approval_link(step_id=world.step.pk, user_id=world.requisition.hiring_manager_id).split(
        "/"
    )[-2]
