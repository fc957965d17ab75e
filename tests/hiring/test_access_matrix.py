"""The authorization matrix (issue 13, item 2): every page and API endpoint × every role alone
and every pair of roles (10 users) × an object of the user's own and one of someone else's.

The rows are checked against the URL resolver: a URL pattern (and, for the API, an HTTP method
of it) without a row fails `test_every_endpoint_has_a_row`. Each row says which capability
gates it and whose reach the object must be in; the expected status is worked out from
hiring.permissions (RULES and REACH) and the facts of the world (tests/access_matrix.py), not
from the selectors under test. Every answer (HTML, JSON, CSV, file) is searched for the texts
the user may not see: other worlds' offer figures and approver notes, band figures (without
`compensation.view`), degrees and schools (pedigree-blind), the panel's scorecard, notes kept
for the hiring team, candidates' e-mails; and so is every e-mail (notifications, .ics invites)
each user receives. Rows marked `shows` also check the allowed texts are there, so a page
that shows nothing cannot pass for a safe one.

Data is built once for the module (an outer transaction); each cell runs in a savepoint that
is rolled back, so writes that pass the permission check change nothing for the next cell.
Run `pytest tests/hiring/test_access_matrix.py -s` to see the size of the matrix.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.invites import invites_reconcile
from compensation.models import Band
from hiring.notifications.delivery import notification_send
from hiring.notifications.models import Notification
from hiring.permissions import RECRUITER, can
from hiring.scheduling.links import slot_token
from tests import factories
from tests.access_matrix import (
    SHOWN_CAPABILITY,
    Matrix,
    World,
    approval_token,
    build_matrix,
    reaches,
)
from tests.bad_input import module_world
from tests.scheduling.support import link_for

pytestmark = pytest.mark.django_db
OBJECTS = ("own", "other")
WRITE = frozenset({200, 201, 204, 302, 400, 409})  # let through: answered on its merits
Expected = int | frozenset[int]


@dataclass
class Cell:
    matrix: Matrix
    key: str
    user: User
    which: str | None  # "own", "other", or None for a row without an object

    @property
    def world(self) -> World:
        assert self.which is not None
        return self.matrix.world(self.key, self.which)

    @property
    def card(self) -> Any:
        """The user's own scorecard in the world, or the panel's when they have none."""
        return self.world.cards.get(self.user.pk, self.world.panel_card)

    @property
    def notice(self) -> Any:
        """A notification of the user's own, or a stranger's."""
        return self.matrix.notices[self.user.pk if self.which == "own" else 0]


@dataclass(frozen=True)
class Row:
    name: str  # the URL's name
    method: str
    expect: Callable[[Cell], Expected]
    kwargs: Callable[[Cell], dict[str, Any]] | None = None  # None: no object
    query: dict[str, Any] = field(default_factory=dict)
    data: Callable[[Cell], Any] | None = None
    json: bool = False
    shows: tuple[str, ...] = ()  # kinds of the world's texts an allowed answer must show
    variant: str = ""  # a second row for the same endpoint (a search)
    one_user: bool = False  # the same answer for every signed-in user (the schema)
    extra_forbidden: Callable[[Cell], list[str]] | None = None

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' ' + self.variant if self.variant else ''}"


# Expectations, from the permission table ---------------------------------------------------


def gate(capability: str | None, allowed: Expected = 200) -> Callable[[Cell], Expected]:
    """A capability, no object: 403 without it."""
    return lambda c: allowed if capability is None or can(c.user, capability) else 403


def scoped(
    capability: str | None, scope: str | None = None, allowed: Expected = 200
) -> Callable[[Cell], Expected]:
    """403 without `capability`; 404 when `scope`'s reach (the capability's by default) does
    not cover the object."""

    def expect(c: Cell) -> Expected:
        if capability is not None and not can(c.user, capability):
            return 403
        if not reaches(c.user, scope or capability or "", c.world):
            return 404
        return allowed

    return expect


def scorecard_page(c: Cell) -> Expected:
    if not reaches(c.user, "interviews.view_own", c.world):
        return 404
    if c.user.pk in c.world.cards:
        return 200
    return 302 if can(c.user, "debrief.view") else 403  # to the debrief, or not theirs


def scorecard_post(c: Cell) -> Expected:
    if not reaches(c.user, "interviews.view_own", c.world):
        return 404
    return 302 if c.user.pk in c.world.cards else 403


def own_card(allowed: Expected) -> Callable[[Cell], Expected]:
    """Only the scorecard's interviewer writes it; anyone else is told there is none."""
    return lambda c: allowed if c.user.pk in c.world.cards else 404


def card_visible(c: Cell) -> bool:
    return c.user.pk in c.world.cards or reaches(c.user, "scorecards.view_all", c.world)


def card_read(c: Cell) -> Expected:
    return 200 if card_visible(c) else 404


def card_submit(c: Cell) -> Expected:
    if not card_visible(c):
        return 404
    # Your own draft: incomplete (400). The panel's: not yours to submit.
    return 400 if c.user.pk in c.world.cards else frozenset({403, 404, 409})


def card_reopen(c: Cell) -> Expected:
    if not can(c.user, "scorecards.reopen"):
        return 403
    return 409 if c.user.pk in c.world.cards else 200  # a draft is not reopened


def decide(c: Cell, *, page: bool) -> Expected:
    if not can(c.user, "debrief.view" if page else "debrief.decide"):
        return 403
    if not reaches(c.user, "debrief.view", c.world):
        return 404
    return 400 if reaches(c.user, "debrief.decide", c.world) else 403


def vote(c: Cell) -> Expected:
    """Approving through the API: the open step's approver; a seat on a later step is 409."""
    if not can(c.user, "offers.view"):
        return 403
    if not reaches(c.user, "offers.view", c.world):
        return 404
    if c.world.requisition.hiring_manager_id == c.user.pk:
        return 200
    return 409 if c.user.pk in c.world.seats else 403


def approval_link_page(c: Cell) -> Expected:
    if not can(c.user, "offers.view"):
        return 403
    return 200 if c.world.requisition.hiring_manager_id == c.user.pk else 403


def own_notice(allowed: Expected) -> Callable[[Cell], Expected]:
    return lambda c: allowed if c.which == "own" else 404


def hidden_note_matches(c: Cell) -> list[str]:
    """A search for a word only the hiring team's notes hold finds nobody's candidate whose
    notes the user may not read."""
    return [w.candidate.email for w in c.matrix.worlds if not reaches(c.user, "notes.view", w)]


# URL arguments of the world's objects --------------------------------------------------------


def requisition(c: Cell) -> dict[str, Any]:
    return {"pk": c.world.requisition.pk}


def candidate(c: Cell) -> dict[str, Any]:
    return {"pk": c.world.candidate.pk}


def candidate_application(c: Cell) -> dict[str, Any]:
    return {"pk": c.world.candidate.pk, "application_id": c.world.application.pk}


def application(c: Cell) -> dict[str, Any]:
    return {"application_id": c.world.application.pk}


def api_application(c: Cell) -> dict[str, Any]:
    return {"pk": c.world.application.pk}


def checkin(c: Cell) -> dict[str, Any]:
    return {"pk": c.world.checkin.pk}


def interview(c: Cell) -> dict[str, Any]:
    return {"interview_id": c.world.interview.pk}


def interviewer_of(c: Cell) -> dict[str, Any]:
    first = c.world.interview.interviewers.order_by("pk").first()
    return {"interview_id": c.world.interview.pk, "user_id": first.pk if first else 0}


def api_interview(c: Cell) -> dict[str, Any]:
    return {"pk": c.world.interview.pk}


def scorecard(c: Cell) -> dict[str, Any]:
    return {"scorecard_id": c.card.pk}


def api_scorecard(c: Cell) -> dict[str, Any]:
    return {"pk": c.card.pk}


def offer(c: Cell) -> dict[str, Any]:
    return {"pk": c.world.offer.pk}


def posting(c: Cell) -> dict[str, Any]:
    """The world's requisition published on the careers page (in the cell's savepoint)."""
    from tests.careers.support import published_posting

    posted = published_posting(
        requisition=c.world.requisition, slug=f"job-{c.world.tag}", workplace="remote"
    )
    return {"slug": posted.slug}


def status_token(c: Cell) -> dict[str, Any]:
    from hiring.careers.links import status_token as token

    return {"token": token(c.world.application.pk)}


def notice(c: Cell) -> dict[str, Any]:
    return {"pk": c.notice.pk}


def fixed(**kwargs: Any) -> Callable[[Cell], dict[str, Any]]:
    """The same object for every user (the playbook's): no own and other."""

    def arguments(c: Cell) -> dict[str, Any]:
        return kwargs

    arguments.fixed = True  # type: ignore[attr-defined]
    return arguments


def no_arguments(c: Cell) -> dict[str, Any]:
    return {}


# A forged candidate link: 404 (or 429 once the matrix's own requests pass the rate limit).
LINK_REFUSED = frozenset({404, 429})


def bad_link(c: Cell) -> dict[str, Any]:
    return {"token": f"not-a-link-{c.world.offer.pk}"}


def letter_template(c: Cell) -> dict[str, Any]:
    from hiring.offers.models import LetterTemplate

    template, _ = LetterTemplate.objects.get_or_create(
        name="Matrix", defaults={"subject": "Offer", "body": "Dear {candidate_name}"}
    )
    return {"pk": template.pk}


def body(**data: Any) -> Callable[[Cell], Any]:
    return lambda c: data


def card_version(c: Cell) -> dict[str, Any]:
    return {"version": c.card.version, "summary": "Saved by the matrix"}


def _link(c: Cell) -> Any:
    """A pick link of the world's application for its panel (made inside the cell's
    savepoint, so it is rolled back with it)."""
    today = timezone.localdate()
    panel = list(c.world.interview.interviewers.all())
    return link_for(
        c.world.application,
        panel,
        first_day=today + dt.timedelta(days=1),
        last_day=today + dt.timedelta(days=20),
    )


def pick_link(c: Cell) -> dict[str, Any]:
    return {"link_id": _link(c).pk}


def pick_token(c: Cell) -> dict[str, Any]:
    link = _link(c)
    return {"token": slot_token(link_id=link.pk, nonce=link.nonce)}


SLUG, QUESTION, FLAG = "ml-engineering-lead", "worst-production-failure", "every-project-successful"
CANDIDATE_TEXTS = ("credentials", "team notes", "shared notes", "candidate")
NOTES = ("team notes", "shared notes")


def band_kwargs(c: Cell) -> dict[str, Any]:
    return {"pk": Band.objects.order_by("pk").values_list("pk", flat=True).first()}


band_kwargs.fixed = True  # type: ignore[attr-defined]


def _webhook() -> Any:
    """An endpoint with one delivery (made in the cell's transaction, rolled back after it)."""
    from django.utils import timezone

    from hiring.notifications.models import OutboxMessage
    from hiring.webhooks.models import SUBJECT_TYPE, Endpoint

    endpoint, _ = Endpoint.objects.get_or_create(
        name="Matrix HR", defaults={"url": "https://hr.example.com/hook", "secret": "whsec_m",
                                    "events": ["application.hired"]},
    )  # fmt: skip
    now = timezone.now()
    message, _ = OutboxMessage.objects.get_or_create(
        claim_key=f"webhook:{endpoint.pk}:matrix",
        defaults={"channel": "webhook", "to": endpoint.url, "title": "application.hired m",
                  "body": "{}", "subject_type": SUBJECT_TYPE, "subject_id": endpoint.pk,
                  "created_at": now, "send_after": now, "next_attempt_at": now,
                  "status": "failed"},
    )  # fmt: skip
    return endpoint, message


def webhook(c: Cell) -> dict[str, Any]:
    return {"pk": _webhook()[0].pk}


def webhook_delivery(c: Cell) -> dict[str, Any]:
    endpoint, message = _webhook()
    return {"pk": endpoint.pk, "delivery_id": message.pk}


webhook.fixed = webhook_delivery.fixed = True  # type: ignore[attr-defined]


def import_job(c: Cell) -> dict[str, Any]:
    """An import job of the user's own, or a stranger's (made in the cell's savepoint)."""
    from hiring.transfer.models import ImportJob

    owner = c.user if c.which == "own" else factories.UserFactory(roles=[RECRUITER])
    now = timezone.now()
    job = ImportJob.objects.create(
        created_by=owner, created_at=now, updated_at=now, file_name="matrix.csv", format="csv"
    )
    return {"pk": job.pk}


def own_job(allowed: Expected) -> Callable[[Cell], Expected]:
    """Import jobs: "pipeline.edit"; one's own, and with "imports.view_all" anyone's."""

    def expect(c: Cell) -> Expected:
        if not can(c.user, "pipeline.edit"):
            return 403
        return allowed if c.which == "own" or can(c.user, "imports.view_all") else 404

    return expect


def email_template(c: Cell) -> dict[str, Any]:
    from hiring.candidate_mail.models import EmailTemplate

    return {"pk": EmailTemplate.objects.order_by("pk").values_list("pk", flat=True).first()}


email_template.fixed = True  # type: ignore[attr-defined]


R = Row  # the table reads better short
ROWS: list[Row] = [
    # The core ------------------------------------------------------------------------------
    R("home", "get", gate("home.view")),
    R("nav-counts", "get", lambda c: 200 if can(c.user, "home.view") else 204),
    R("login", "get", gate(None, 302)),  # a signed-in user is sent on
    R("logout", "get", gate(None, 405)),  # logging out is a POST
    # Single sign-on: off here (no OIDC_ISSUER); the refused page is a 403 for everyone.
    R("sso:start", "get", gate(None, 404)),
    R("sso:callback", "get", gate(None, 404)),
    R("sso:refused", "get", gate(None, 403)),
    R("audit-log", "get", gate("audit.view")),
    R("api-tokens", "get", gate("home.view")),
    R("healthz", "get", gate(None, frozenset({200, 503}))),
    R("admin:index", "get", gate(None, 302)),  # Django admin: staff only (the whole site)
    # The playbook ---------------------------------------------------------------------------
    R("roles:list", "get", gate("playbook.view")),
    R("roles:team-plan", "get", gate("team_plan.use")),
    R("roles:detail", "get", gate("playbook.view"), fixed(slug=SLUG)),
    R("roles:edit", "get", gate("playbook.edit"), fixed(slug=SLUG)),
    R("assessments:bank", "get", gate("playbook.view")),
    R("assessments:question-edit", "get", gate("playbook.edit"), fixed(key=QUESTION)),
    R("assessments:red-flag-edit", "get", gate("playbook.edit"), fixed(key=FLAG)),
    R("compensation:bands", "get", gate("compensation.view")),
    R("compensation:band-new", "get", gate("compensation.edit")),
    R("compensation:band-edit", "get", gate("compensation.edit"), band_kwargs),
    # Requisitions and boards -----------------------------------------------------------------
    R("requisitions:list", "get", gate("pipeline.view")),
    R("requisitions:new", "get", gate("pipeline.edit")),
    R("requisitions:level-options", "get", gate("pipeline.edit")),
    R("requisitions:edit", "get", scoped("pipeline.edit"), requisition),
    R("requisitions:stages", "get", scoped("pipeline.edit"), requisition),
    R("requisitions:board", "get", scoped("pipeline.view"), requisition, shows=("name",)),
    R("requisitions:move", "post", scoped("pipeline.edit", allowed=400), requisition),
    R(
        "requisitions:cards",
        "get",
        scoped("pipeline.view"),
        lambda c: {"pk": c.world.requisition.pk, "stage_pk": c.world.stage.pk},
    ),
    # The candidate list ---------------------------------------------------------------------
    R("candidates:list", "get", gate("pipeline.view")),
    R(
        "candidates:list",
        "get",
        gate("pipeline.view"),
        query={"q": "250k"},
        variant="search",
        extra_forbidden=hidden_note_matches,
    ),
    R("candidates:list", "post", gate("pipeline.edit", 400)),  # a bulk action
    R("candidates:export", "get", gate("pipeline.view")),
    R(
        "candidates:export",
        "get",
        gate("pipeline.view"),
        query={"q": "250k"},
        variant="search",
        extra_forbidden=hidden_note_matches,
    ),
    R("candidates:requisition-options", "get", gate("pipeline.view")),
    R("candidate:new", "get", gate("pipeline.edit")),
    R("candidate:requisition-options", "get", gate("pipeline.edit")),
    R("candidate:import", "get", gate("pipeline.edit")),
    R("candidate:import-template", "get", gate("pipeline.edit")),
    # A candidate ------------------------------------------------------------------------------
    R("candidate:detail", "get", scoped(None, "candidates.view"), candidate, shows=CANDIDATE_TEXTS),
    R("candidate:timeline", "get", scoped(None, "candidates.view"), candidate, shows=NOTES),
    R("candidate:note-add", "post", scoped(None, "candidates.view", 302), candidate),
    R("candidate:merge", "post", scoped("pipeline.edit", allowed=302), candidate),
    R("candidate:resume", "get", scoped(None, "candidates.view"), candidate),
    R("privacy:candidate-export", "get", scoped("candidates.export"), candidate),
    # Moving data in and out (hiring.transfer) --------------------------------------------------
    R("transfer:export", "get", gate("transfer.export")),
    R("transfer:options", "get", gate("transfer.export")),
    R("transfer:export-everything", "get", gate("transfer.export")),
    R(
        "transfer:export-requisition",
        "get",
        scoped("transfer.export"),
        requisition,
        shows=("candidate", "credentials"),
    ),
    R("transfer:imports", "get", gate("pipeline.edit")),
    R("transfer:imports", "post", gate("pipeline.edit", 400)),  # no file
    R("transfer:import", "get", own_job(200), import_job),
    R("transfer:import-progress", "get", own_job(200), import_job),
    R("transfer:import-refused", "get", own_job(200), import_job),
    # A queued job is not run again: the page says so (a message) and shows the job.
    R("transfer:import-retry", "post", own_job(302), import_job),
    R("candidate:resume-preview", "get", scoped(None, "candidates.view"), candidate),
    R("candidate:application-add", "post", scoped("pipeline.edit", allowed=302), candidate),
    R("candidate:add-options", "get", scoped("pipeline.edit"), candidate),
    R("candidate:move", "post", scoped("pipeline.edit", allowed=302), candidate_application),
    R("candidate:end", "post", scoped("pipeline.edit", allowed=302), candidate_application),
    R("candidate:reopen", "post", scoped("pipeline.edit", allowed=302), candidate_application),
    # Interviews, scorecards, the debrief ---------------------------------------------------------
    R("interviews:mine", "get", gate("interviews.view_own")),
    R("interviews:calibration", "get", gate("calibration.view")),
    R("interviews:my-calibration", "get", gate("calibration.own")),
    R("interviews:scorecard", "get", scorecard_page, interview),
    R("interviews:scorecard-post", "post", scorecard_post, interview, data=card_version),
    R("interviews:edit", "get", scoped("interviews.schedule"), interview),
    R("interviews:cancel", "post", scoped("interviews.schedule", allowed=302), interview),
    # The home page's nudge: it answers with the home page and a message (sent, or why not).
    R("interviews:nudge", "post", scoped("interviews.schedule", allowed=302), interviewer_of),
    R("interviews:scorecard-save", "post", own_card(200), scorecard, data=card_version, json=True),
    R(
        "interviews:scorecard-reopen",
        "post",
        scoped("scorecards.reopen", allowed=302),
        scorecard,
        data=body(reason="Reopened by the matrix"),
    ),
    R("interviews:application", "get", scoped("debrief.view"), application),
    R("interviews:schedule", "get", scoped("interviews.schedule"), application),
    R("interviews:debrief", "get", scoped("debrief.view"), application, shows=("scorecards",)),
    R("interviews:debrief", "post", lambda c: decide(c, page=True), application),
    # Offers ------------------------------------------------------------------------------------
    R("offers:list", "get", gate("offers.view")),
    R("offers:dashboard", "get", gate("offers.dashboard")),
    # Reports: no interviewer, and the offers report carries no amounts (absent_from checks).
    R("reports:index", "get", gate("reports.view")),
    R("reports:report", "get", gate("reports.view"), fixed(name="funnel")),
    R("reports:report", "get", gate("reports.view"), fixed(name="offers"), variant="offers"),
    R(
        "reports:report",
        "get",
        gate("reports.view"),
        fixed(name="quality-of-hire"),
        variant="quality",
    ),
    R(
        "reports:report",
        "get",
        gate("reports.view"),
        fixed(name="predictive-validity"),
        variant="validity",
    ),
    # Check-ins on hires: the requisition's hiring manager (and admins) only.
    R("checkins:list", "get", gate("checkins.fill")),
    R("checkins:fill", "get", scoped("checkins.fill"), checkin),
    R("checkins:fill", "post", scoped("checkins.fill", allowed=400), checkin),
    R(
        "offers:new",
        "get",
        scoped("offers.edit", allowed=302),  # it has an offer already: go there
        no_arguments,
        query={"application": "{application}"},
    ),
    R(
        "offers:approval-link",
        "get",
        approval_link_page,
        lambda c: {"token": approval_token(c.world)},
        shows=("compensation",),
    ),
    R("offers:detail", "get", scoped("offers.view"), offer, shows=("compensation",)),
    R("offers:edit", "get", scoped("offers.edit"), offer),
    R("offers:vote", "post", scoped("offers.view", allowed=302), offer),
    R(
        "offers:action",
        "post",
        scoped("offers.edit", allowed=302),
        lambda c: {"pk": c.world.offer.pk, "action": "withdraw"},
        data=body(reason="Withdrawn by the matrix"),
    ),
    # Offer letters: templates (admins), the preview, the letter and the signed copy.
    # Approval templates (admins): the overview, the company default, a requisition's own. An
    # empty post is not understood (400).
    R("offers:approval-templates", "get", gate("approvals.configure")),
    R("offers:approval-template-default", "get", gate("approvals.configure")),
    R("offers:approval-template-default", "post", gate("approvals.configure", 400)),
    R("offers:approval-template", "get", gate("approvals.configure"), requisition),
    R("offers:approval-template", "post", gate("approvals.configure", 400), requisition),
    R("offers:letter-templates", "get", gate("letters.edit")),
    R("offers:letter-template-new", "get", gate("letters.edit")),
    R("offers:letter-template-new", "post", gate("letters.edit", 400), data=body(name="")),
    R("offers:letter-template-edit", "get", gate("letters.edit"), letter_template),
    R(
        "offers:letter-preview",
        "post",
        scoped("offers.edit"),
        no_arguments,
        data=lambda c: {"application": c.world.application.pk},
    ),
    R("offers:letter-pdf", "get", scoped("offers.view"), offer),
    R("offers:signed-pdf", "get", scoped("offers.view", allowed=404), offer),
    # The candidate's page (no login): a link that is not ours opens nothing, for anyone.
    R("offer-letter:page", "get", gate(None, LINK_REFUSED), bad_link),
    R("offer-letter:pdf", "get", gate(None, LINK_REFUSED), bad_link),
    R("offer-letter:accept", "post", gate(None, LINK_REFUSED), bad_link),
    R("offer-letter:decline", "post", gate(None, LINK_REFUSED), bad_link),
    # Notifications ------------------------------------------------------------------------------
    R("notifications:inbox", "get", gate("notifications.view")),
    R("notifications:badge", "get", gate("notifications.view")),
    R("notifications:open", "post", own_notice(302), notice),
    R("notifications:read-all", "post", gate("notifications.view", 302)),
    R("notifications:settings", "get", gate("notifications.view")),
    # Saving without the channels: refused on its merits (400), for everyone who may save.
    R("notifications:settings", "post", gate("notifications.view", 400), data=body(action="save")),
    R(
        "notifications:settings",
        "post",
        gate("notifications.view", 302),
        data=body(action="unsnooze"),
        variant="end the snooze",
    ),
    # Webhooks (admins) ------------------------------------------------------------------------
    R("webhooks:list", "get", gate("webhooks.manage")),
    R("webhooks:list", "post", gate("webhooks.manage", 400)),  # an empty form
    R("webhooks:detail", "get", gate("webhooks.manage"), webhook),
    R("webhooks:detail", "post", gate("webhooks.manage", 400), webhook),
    R("webhooks:secret", "post", gate("webhooks.manage", 302), webhook),
    R("webhooks:delivery", "get", gate("webhooks.manage"), webhook_delivery),
    R("webhooks:send-again", "post", gate("webhooks.manage", 302), webhook_delivery),
    # Pick links: the recruiter's page and withdrawing a link; the candidate's page (public:
    # the same answer for every user); an interviewer's busy times (their own only).
    R("scheduling:new", "get", scoped("interviews.schedule"), application),
    R("scheduling:new", "post", scoped("interviews.schedule", allowed=400), application),
    R("scheduling:close", "post", scoped("interviews.schedule", allowed=302), pick_link),
    R("scheduling:pick", "get", gate(None), pick_token),
    R("scheduling:busy", "get", gate("busy_times.edit")),
    R("scheduling:busy", "post", gate("busy_times.edit", 400)),
    R("scheduling:busy-delete", "post", gate("busy_times.edit", 302), fixed(busy_id=999999)),
    R("scheduling:busy-import", "post", gate("busy_times.edit", 400)),
    R("scheduling:busy-url", "post", gate("busy_times.edit", 400)),
    # The careers page: public (the same answer signed in or not), and the recruiter's posting.
    R("careers:list", "get", gate(None)),
    R("careers:feed", "get", gate(None)),
    R("careers:posting", "get", gate(None), posting),
    R("careers:apply", "post", gate(None), posting),  # an empty form: its field errors
    R("careers:status", "get", gate(None), status_token),
    R("careers:posting-edit", "get", scoped("pipeline.edit"), requisition),
    # The API: core ----------------------------------------------------------------------------
    R("api-me", "get", gate("home.view")),
    R("api-audit-log", "get", gate("audit.view")),
    R("api-schema", "get", gate(None), one_user=True),
    R("api-docs", "get", gate(None)),
    # The pipeline API ---------------------------------------------------------------------------
    R("api-requisition-list", "get", gate("candidates.view")),
    R("api-requisition-list", "post", gate("pipeline.edit", 400), json=True, data=body()),
    R("api-requisition-detail", "get", scoped("candidates.view"), requisition),
    R("api-requisition-detail", "patch", scoped("pipeline.edit", allowed=WRITE), requisition),
    R("api-requisition-detail", "put", scoped("pipeline.edit", allowed=WRITE), requisition),
    R("api-requisition-stages", "put", scoped("pipeline.edit", allowed=400), requisition),
    R("api-candidate-list", "get", gate("candidates.view")),
    R("api-candidate-export", "get", scoped("candidates.export"), candidate),
    # Erasing: admins; refused (409) while the candidate has an active application.
    R(
        "api-candidate-anonymise",
        "post",
        scoped("candidates.erase", "candidates.export", 409),
        candidate,
        json=True,
        data=body(),
    ),
    R("api-candidate-list", "post", gate("pipeline.edit", 400), json=True, data=body()),
    R(
        "api-candidate-detail",
        "get",
        scoped("candidates.view"),
        candidate,
        shows=("credentials", "candidate"),
    ),
    R("api-candidate-detail", "patch", scoped("pipeline.edit", allowed=WRITE), candidate),
    R("api-candidate-detail", "put", scoped("pipeline.edit", allowed=WRITE), candidate),
    R("api-application-list", "get", gate("candidates.view")),
    R(
        "api-application-list",
        "get",
        gate("candidates.view"),
        query={"q": "250k"},
        variant="search",
        extra_forbidden=hidden_note_matches,
    ),
    R("api-application-list", "post", gate("pipeline.edit", 400), json=True, data=body()),
    R("api-application-detail", "get", scoped("candidates.view"), api_application),
    R("api-application-detail", "patch", scoped("pipeline.edit", allowed=WRITE), api_application),
    R("api-application-detail", "put", scoped("pipeline.edit", allowed=WRITE), api_application),
    R("api-application-end", "post", scoped("pipeline.edit", allowed=400), api_application),
    R("api-application-move", "post", scoped("pipeline.edit", allowed=400), api_application),
    R("api-application-reopen", "post", scoped("pipeline.edit", allowed=409), api_application),
    R("api-application-notes", "get", scoped("candidates.view"), api_application, shows=NOTES),
    R("api-application-notes", "post", scoped("pipeline.edit", allowed=400), api_application),
    # The playbook API ---------------------------------------------------------------------------
    R("api-team-plan", "post", gate("team_plan.use", WRITE), json=True, data=body()),
    R("role-list", "get", gate("playbook.view")),
    R("role-detail", "get", gate("playbook.view"), fixed(slug=SLUG)),
    R("role-detail", "patch", gate("playbook.edit", WRITE), fixed(slug=SLUG)),
    R("question-list", "get", gate("playbook.view")),
    R("question-detail", "get", gate("playbook.view"), fixed(key=QUESTION)),
    R("question-detail", "patch", gate("playbook.edit", WRITE), fixed(key=QUESTION)),
    R("red-flag-list", "get", gate("playbook.view")),
    R("red-flag-detail", "get", gate("playbook.view"), fixed(key=FLAG)),
    R("red-flag-detail", "patch", gate("playbook.edit", WRITE), fixed(key=FLAG)),
    R("compensation-band-list", "get", gate("compensation.view")),
    R("compensation-band-list", "post", gate("compensation.edit", 400), json=True, data=body()),
    R("compensation-band-detail", "get", gate("compensation.view"), band_kwargs),
    R("compensation-band-detail", "patch", gate("compensation.edit", WRITE), band_kwargs),
    # Interviews, scorecards, decisions API -------------------------------------------------------
    R("api-interview-list", "get", gate("interviews.view_own")),
    R("api-interview-list", "post", gate("interviews.schedule", 400), json=True, data=body()),
    R("api-interview-detail", "get", scoped("interviews.view_own"), api_interview),
    R("api-interview-detail", "patch", scoped("interviews.schedule", allowed=WRITE), api_interview),
    R("api-interview-cancel", "post", scoped("interviews.schedule", allowed=WRITE), api_interview),
    R("api-scorecard-list", "get", gate("interviews.view_own")),
    R("api-scorecard-list", "post", gate("interviews.view_own", 400), json=True, data=body()),
    R("api-scorecard-detail", "get", card_read, api_scorecard),
    R("api-scorecard-detail", "patch", own_card(200), api_scorecard, data=card_version),
    R(
        "api-scorecard-reopen",
        "post",
        card_reopen,
        api_scorecard,
        data=body(reason="Reopened by the matrix"),
    ),
    R("api-scorecard-submit", "post", card_submit, api_scorecard, data=card_version),
    R("api-application-summary", "get", scoped("debrief.view"), application),
    R("api-application-decision", "get", scoped("debrief.view"), application),
    R("api-application-decision", "post", lambda c: decide(c, page=False), application),
    # The offers API -----------------------------------------------------------------------------
    R("api-offer-list", "get", gate("offers.view")),
    R("api-offer-list", "post", gate("offers.edit", 400), json=True, data=body()),
    R("api-offer-detail", "get", scoped("offers.view"), offer, shows=("compensation",)),
    R("api-offer-detail", "patch", scoped("offers.edit", allowed=WRITE), offer),
    R("api-offer-band-check", "get", scoped("offers.view"), offer),
    R("api-offer-approve", "post", vote, offer, data=body(comment="Approved by the matrix")),
    R("api-offer-reject", "post", vote, offer, data=body(comment="Rejected by the matrix")),
    *(
        R(f"api-offer-{name}", "post", scoped("offers.edit", allowed=WRITE), offer)
        for name in (
            "accept",
            "decline",
            "rescind",
            "revise",
            "send",
            "send-email",
            "submit",
            "withdraw",
        )
    ),
    # The notifications API ----------------------------------------------------------------------
    R("api-notification-list", "get", gate("notifications.view")),
    R("api-notification-read-all", "post", gate("notifications.view", 200)),
    R("api-notification-preferences", "get", gate("notifications.view")),
    R(
        "api-notification-preferences",
        "put",
        gate("notifications.view", 400),
        json=True,
        data=body(),
    ),
    R("api-notification-snooze", "post", gate("notifications.view", 400), json=True, data=body()),
    R("api-notification-snooze", "delete", gate("notifications.view")),
    R("api-notification-detail", "get", own_notice(200), notice),
    R("api-notification-read", "post", own_notice(200), notice),
    # E-mails to candidates: admins edit the texts; recruiters reject with one ------------------
    R("candidate_mail:templates", "get", gate("candidate_emails.edit")),
    R("candidate_mail:template-new", "get", gate("candidate_emails.edit")),
    R("candidate_mail:template-new", "post", gate("candidate_emails.edit", 400)),
    R("candidate_mail:template-edit", "get", gate("candidate_emails.edit"), email_template),
    R("candidate_mail:template-edit", "post", gate("candidate_emails.edit", 400), email_template),
    # An automatic template is not deleted: refused with a message on the list.
    R("candidate_mail:template-delete", "post", gate("candidate_emails.edit", 302), email_template),
    R("candidate_mail:preview", "post", gate("candidate_emails.edit")),
    R("candidate_mail:reject", "get", scoped("pipeline.edit"), api_application),
    R("candidate_mail:reject", "post", scoped("pipeline.edit"), api_application),  # the composer
    R("candidate_mail:bulk-reject", "post", gate("pipeline.edit")),  # nothing ticked: the composer
    R("api-candidate-email-rejections", "post", gate("pipeline.edit", 400), json=True, data=body()),
]


# The world, the users' clients ---------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matrix]:
    media = tmp_path_factory.mktemp("media")
    # A thousand refusals are the point here: their warnings (with tracebacks) are not news.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        with module_world(django_db_blocker), override_settings(MEDIA_ROOT=media):
            yield build_matrix()
    finally:
        request_log.setLevel(level)


@pytest.fixture(scope="module")
def clients(matrix: Matrix) -> dict[str, Client]:
    result = {}
    for key, user in matrix.users.items():
        client = Client()
        client.force_login(user)
        result[key] = client
    return result


def per_object(row: Row) -> bool:
    return row.kwargs is not None and not getattr(row.kwargs, "fixed", False)


def row_cells(matrix: Matrix, row: Row) -> list[Cell]:
    users = list(matrix.users.items())[:1] if row.one_user else list(matrix.users.items())
    objects: tuple[str | None, ...] = OBJECTS if per_object(row) else (None,)
    return [Cell(matrix, key, user, which) for key, user in users for which in objects]


def _url(row: Row, cell: Cell) -> str:
    url = reverse(row.name, kwargs=row.kwargs(cell) if row.kwargs else None)
    if row.query:
        values = {
            name: str(value).format(application=cell.world.application.pk if cell.which else "")
            for name, value in row.query.items()
        }
        url += "?" + "&".join(f"{name}={value}" for name, value in values.items())
    return url


API_NAMES = ("api-", "role-", "question-", "red-flag-", "compensation-band-")


def _send(client: Client, row: Row, cell: Cell) -> Any:
    url = _url(row, cell)
    data = row.data(cell) if row.data else {}
    if row.method == "get":
        return client.get(url)
    if row.json or row.name.startswith(API_NAMES):
        return getattr(client, row.method)(url, data, content_type="application/json")
    return getattr(client, row.method)(url, data)


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode(errors="replace")


def _problems(row: Row, cell: Cell, status: int, text: str) -> list[str]:
    """What is wrong with one cell's answer: its status, a text it must not show, a text
    it must show."""
    where = f"{row.id} as {cell.key}" + (f" on {cell.which}" if cell.which else "")
    problems = []
    expected = row.expect(cell)
    if status != expected and not (isinstance(expected, frozenset) and status in expected):
        problems.append(f"{where}: {status}, expected {expected}")
    forbidden = cell.matrix.forbidden(cell.user)
    if row.extra_forbidden:
        forbidden = [*forbidden, *row.extra_forbidden(cell)]
    leaked = sorted({t for t in forbidden if t in text})
    if leaked:
        problems.append(f"{where}: shows {leaked}")
    if status == 200 and cell.which:
        for kind in row.shows:
            world = cell.world
            allowed = reaches(cell.user, SHOWN_CAPABILITY[kind], world)
            if allowed and not any(t in text for t in world.secrets[kind]):
                problems.append(f"{where}: does not show its {kind}")
    return problems


SIZE: dict[str, int] = {}


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_matrix(row: Row, matrix: Matrix, clients: dict[str, Client]) -> None:
    """One row of the matrix: every user, on their own object and on someone else's."""
    problems = []
    for cell in row_cells(matrix, row):
        with transaction.atomic():
            response = _send(clients[cell.key], row, cell)
            problems += _problems(row, cell, response.status_code, _text(response))
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


# E-mails: what each user receives -------------------------------------------------------------


@pytest.fixture(scope="module")
def received(matrix: Matrix) -> dict[str, list[str]]:
    """Every e-mail the world's notifications and interview invites (.ics) send, by
    recipient address: the text of its body, alternatives and attachments."""
    mail.outbox = []
    with transaction.atomic():
        for pk in Notification.objects.values_list("pk", flat=True):
            notification_send(notification_id=pk)
        for world in matrix.worlds:
            invites_reconcile(interview_id=world.interview.pk)
        transaction.set_rollback(True)
    by_address: dict[str, list[str]] = {}
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
        parts += [_attachment(a) for a in message.attachments]
        for address in message.to:
            by_address.setdefault(address, []).append("\n".join(parts))
    return by_address


def _attachment(attachment: Any) -> str:
    content = attachment.get_payload(decode=True) if hasattr(attachment, "get_payload") else None
    if content is None and isinstance(attachment, tuple):
        content = attachment[1]
    return content.decode(errors="replace") if isinstance(content, bytes) else str(content)


def test_what_each_user_receives_by_email(matrix: Matrix, received: dict[str, list[str]]) -> None:
    # Everyone got their notice by e-mail, and the interviewers their invites.
    assert all(received.get(user.email) for user in matrix.users.values())
    assert any("BEGIN:VCALENDAR" in text for texts in received.values() for text in texts)
    problems = []
    for key, user in matrix.users.items():
        forbidden = matrix.forbidden(user)
        for text in received.get(user.email, []):
            leaked = sorted({t for t in forbidden if t in text})
            if leaked:
                problems.append(f"e-mail to {key}: shows {leaked}")
    assert not problems, "\n".join(problems)


# Every endpoint has a row -------------------------------------------------------------------------


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def _methods(callback: Any) -> set[str]:
    """The HTTP methods an API view answers (a viewset route's actions, an APIView's
    handlers); a page view: {"*"} (its rows name the methods they send)."""
    actions = getattr(callback, "actions", None)
    if actions:
        return set(actions) & set(callback.cls.http_method_names) - {"head", "options"}
    view = getattr(callback, "view_class", None)
    if view is not None and hasattr(view, "permission_classes"):
        return {m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}
    return {"*"}


def endpoints() -> set[tuple[str, str]]:
    """Every (URL name, method) the matrix must cover; Django admin counts as one."""
    found = set()
    for name, callback in _patterns(get_resolver()):
        if name.startswith("admin:"):
            name = "admin:index"
        for method in _methods(callback):
            found.add((name, method))
    return found


def test_every_endpoint_has_a_row() -> None:
    covered = {(row.name, row.method) for row in ROWS}
    names = {row.name for row in ROWS}
    missing = sorted(
        f"{method.upper()} {name}"
        for name, method in endpoints()
        if (name, method) not in covered and not (method == "*" and name in names)
    )
    assert not missing, f"endpoints without a row in the matrix: {missing}"
    known = {name for name, _method in endpoints()}
    stale = sorted(name for name in names if name not in known)
    assert not stale, f"rows for endpoints that are gone: {stale}"


def test_matrix_size(matrix: Matrix, record_property: Callable[[str, Any], None]) -> None:
    """The size of the matrix, printed (`-s`) and recorded in the JUnit report."""
    patterns = {name for name, _method in endpoints()}
    pages = {row.name for row in ROWS if not row.name.startswith(API_NAMES)}
    apis = {row.name for row in ROWS if row.name.startswith(API_NAMES)}
    cells = sum(len(row_cells(matrix, row)) for row in ROWS) + len(matrix.users)  # + e-mails
    size = {
        "url patterns": len(patterns),
        "pages": len(pages),
        "api endpoints": len(apis),
        "rows": len(ROWS),
        "users": len(matrix.users),
        "objects": len(OBJECTS),
        "cells": cells,
    }
    for name, value in size.items():
        record_property(name, value)
    print("\naccess matrix:", ", ".join(f"{value} {name}" for name, value in size.items()))
    assert pages | apis == patterns
