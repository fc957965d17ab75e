"""Accessibility: every page of the app, at 1280 and at 390 px, checked by axe-core (vendored
under tests/browser/vendor/, never fetched) against the WCAG 2.x A and AA rules and axe's best
practices; not one of them logs a Content-Security-Policy violation or a JS error; and at
390 px none scrolls sideways, nor holds a region that does without saying so.

One crawl serves all the checks: the demo data (`seed_demo`, as `make run` has it) is built
once, each role logs in once per width, and each page is loaded at that width (not resized:
a phone loads the page at its own width). axe runs in the page through Playwright (an init
script reaches the page as the debugger would, so the app's strict CSP stays on and is what
the console check sees). The checks are subtests of one test, so one failing does not hide
the other.

What the crawl found goes to test-artifacts/accessibility.json (pages checked, time taken,
each violation and console line); screenshots of the pages with findings (of every page with
BROWSER_SCREENSHOTS=always) to test-artifacts/screenshots/a11y-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from assessments.models import Interview, Question, RedFlag
from assessments.services.interviews import interview_cancel
from compensation.models import Band
from hiring.accounts import token_create
from hiring.candidate_mail.models import EmailTemplate
from hiring.careers.links import status_path
from hiring.careers.models import Posting
from hiring.checkins.models import CheckIn
from hiring.demo.interviews import DEBRIEF_ROUND, TODAY_ROUND
from hiring.demo.management.commands.seed_demo import DEMO_USERS
from hiring.offers.links import approval_link
from hiring.offers.models import Offer, StepApprover
from hiring.offers.rules import OfferStatus, StepStatus
from hiring.pipeline.models import Application, Candidate, Requisition, StageKind
from hiring.pipeline.rules import ApplicationStatus
from hiring.scheduling.models import SlotLink
from roles.models import RoleProfile
from tests import factories
from tests.browser.conftest import TIMEOUT_MS, screenshot_mode, screenshot_path
from tests.browser.support import fill_login_form, pdf_with_text
from tests.scheduling.support import link_for, path_of

pytestmark = pytest.mark.usefixtures("playbook")

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
WIDTHS: dict[str, ViewportSize] = {
    "1280px": {"width": 1280, "height": 800},
    "390px": {"width": 390, "height": 844},
}
PASSWORDS = {username: password for username, password, *_ in DEMO_USERS}
ANONYMOUS = "anonymous"
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.map(String).join(" >> "),
                               summary: n.failureSummary || ""})),
  }));
}"""
# At phone width: the page must not scroll sideways, and nothing may run past the edge of a
# region that scrolls sideways unless the page says so (a `.scroll-cue` beside it, as the
# debrief's wide tables have). A clock badge once ran out of its card on the offers list.
PHONE_FIT = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  }
  for (const el of document.querySelectorAll("main *")) {
    const style = getComputedStyle(el);
    const scrolls = ["auto", "scroll"].includes(style.overflowX);
    if (!scrolls || el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.getBoundingClientRect().width === 0) continue;
    const cued = [el.previousElementSibling, el.nextElementSibling]
      .some((s) => s && s.classList.contains("scroll-cue"));
    if (!cued) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        [...el.classList].map((c) => "." + c).join("");
      problems.push(`${name} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth})`);
    }
  }
  return problems;
}"""
# htmx fills the inbox badge after load: wait for its request, so axe sees the page settled.
HTMX_SETTLED = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"


@dataclass(frozen=True)
class Visit:
    """A page: its address, the status it answers with, and the steps (after loading it)
    that bring it to the state checked (a form submitted, an error shown), with the status
    of the page they end on when it is another."""

    name: str
    path: str
    status: int = 200
    steps: Callable[[Page, str], None] | None = None
    ends_on: int | None = None
    widths: tuple[str, ...] = tuple(WIDTHS)

    @property
    def shown_status(self) -> int:
        return self.ends_on or self.status


@dataclass
class Finding:
    who: str
    width: str
    visit: Visit
    violations: list[dict[str, Any]] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    layout: list[str] = field(default_factory=list)  # at 390 px: what runs past the edge

    @property
    def where(self) -> str:
        return f"[{self.width}] {self.who}: {self.visit.name} ({self.visit.path})"


# Steps: each leaves the page in the state the check is about. `width` keeps the data of
# the two runs (1280 and 390 px) apart where the app remembers it.


def _empty_submit(button: str) -> Callable[[Page, str], None]:
    def steps(page: Page, width: str) -> None:
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".field-error, .errorlist, .error-box").first).to_be_visible()

    return steps


def _added_and_saved(page: Page, width: str) -> None:
    """The template editor with a new, empty step saved: its errors swapped in (htmx)."""
    page.get_by_role("button", name="Add step").click()
    page.get_by_role("button", name="Save template").click()
    expect(page.locator(".field-error").first).to_be_visible()


def _wrong_password(page: Page, width: str) -> None:
    fill_login_form(page, f"nobody-else-{width}", "not-the-password")
    expect(page.get_by_role("alert")).to_be_visible()


def _locked_out(page: Page, width: str) -> None:
    for _ in range(5):  # LOGIN_FAILURE_LIMIT: the fifth failure locks this name out
        fill_login_form(page, f"nobody-{width}", "not-the-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed attempts")


IMPORT_CSV = (
    "name,email,location,tags\n"
    "Ada Byron,ada.{width}@example.org,London,python\n"
    "Known Person,{known},Berlin,\n"
    ",no-name.{width}@example.org,,\n"
)


def _import_preview(known_email: str) -> Callable[[Page, str], None]:
    def steps(page: Page, width: str) -> None:
        text = IMPORT_CSV.format(width=width, known=known_email).encode()
        page.get_by_label("CSV file").set_input_files(
            {"name": "candidates.csv", "mimeType": "text/csv", "buffer": text}
        )
        page.get_by_role("button", name="Preview").click()
        expect(page.locator(".import-summary")).to_be_visible()

    return steps


def _import_done(known_email: str) -> Callable[[Page, str], None]:
    preview = _import_preview(known_email)

    def steps(page: Page, width: str) -> None:
        preview(page, width)
        page.get_by_role("button", name="Import", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Import done")

    return steps


def _menu_open(page: Page, width: str) -> None:
    page.get_by_role("banner").get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def _team_plan_checked(page: Page, width: str) -> None:
    page.locator("input.count").nth(1).fill("3")
    page.get_by_role("button", name="Check the plan").click()
    expect(page.locator(".warning-list, .card.ok, .message").first).to_be_visible()


def _token_created(page: Page, width: str) -> None:
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator("code").first).to_be_visible()


# The data and the pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    """The objects the pages are about, from the demo data."""

    today: Interview  # the interviewer's interview under way: a scorecard to fill
    panel: Interview  # two scorecards submitted; its application waits for the debrief
    cancelled: Interview
    debrief: Application
    no_offer: Application  # active, no offer yet: an offer can be drafted, interviews set
    board: Requisition
    with_resume: Candidate  # a PDF: the page previews it in a frame
    known: Candidate  # its e-mail makes a row of the import a duplicate
    draft: Offer
    to_vote_on: Offer  # the manager approves its pending step
    approval_link: str
    slot_link: str  # a candidate's pick link, and one that expired
    slot_expired: str
    role: RoleProfile
    question: Question
    flag: RedFlag
    band: Band
    email_template: int  # a candidate e-mail template (the admins edit them)
    posting: str  # a published demo posting's slug
    status: str  # a demo application's status page
    checkin: int = 0  # a 90-day check-in due on a hire of the manager's
    webhook: Any = None  # an endpoint with one failed delivery
    webhook_delivery: Any = None


def _demo() -> Demo:
    """`seed_demo`, with what it lacks for some pages added: a cancelled interview, a PDF
    resume, an approval link and an API token."""
    call_command("seed_demo", stdout=io.StringIO())
    today = Interview.objects.get(round_name=TODAY_ROUND)
    panel = Interview.objects.get(round_name=DEBRIEF_ROUND)
    debrief = panel.application
    assert debrief.stage.kind == StageKind.DEBRIEF
    active = Application.objects.filter(status=ApplicationStatus.ACTIVE).exclude(pk=debrief.pk)
    cancelled = factories.scheduled_interview(
        application_obj=active.filter(requisition=debrief.requisition).first(),
        interviewers=[today.interviewers.get()],
        round_name="Cancelled round",
    )
    interview_cancel(interview=cancelled, actor=debrief.requisition.recruiter)
    with_resume = Candidate.objects.exclude(pk=debrief.candidate_id).order_by("pk").first()
    assert with_resume is not None
    with_resume.resume.save("cv.pdf", ContentFile(pdf_with_text("A resume")), save=False)
    with_resume.resume_name, with_resume.resume_content_type = "cv.pdf", "application/pdf"
    with_resume.save()
    seat = StepApprover.objects.select_related("step__offer").get(
        step__status=StepStatus.PENDING, user__username="manager"
    )
    token_create(user=User.objects.get(username="admin"))
    webhook, webhook_delivery = _webhook()
    no_offer = active.filter(offers__isnull=True).order_by("pk")[0]
    picks = [
        link_for(
            no_offer,
            [User.objects.get(username="interviewer")],
            first_day=timezone.localdate() + dt.timedelta(days=1),
            last_day=timezone.localdate() + dt.timedelta(days=14),
        )
        for _ in range(2)
    ]
    SlotLink.objects.filter(pk=picks[1].pk).update(expires_at=timezone.now())
    checkin = CheckIn.objects.create(
        application=debrief, horizon="90d", start_date=timezone.localdate() - dt.timedelta(days=95),
        due_on=timezone.localdate() - dt.timedelta(days=5),
    )  # fmt: skip
    return Demo(
        checkin=checkin.pk,
        webhook=webhook,
        webhook_delivery=webhook_delivery,
        today=today,
        panel=panel,
        cancelled=cancelled,
        debrief=debrief,
        no_offer=no_offer,
        board=Requisition.objects.filter(title__endswith="(demo)").order_by("pk")[0],
        with_resume=with_resume,
        known=Candidate.objects.exclude(pk=with_resume.pk).order_by("pk")[0],
        draft=Offer.objects.filter(status=OfferStatus.DRAFT)[0],
        to_vote_on=seat.step.offer,
        approval_link=approval_link(step_id=seat.step_id, user_id=seat.user_id),
        slot_link=path_of(picks[0]) + "?tz=America/New_York",
        slot_expired=path_of(picks[1]),
        role=RoleProfile.objects.order_by("slug")[0],
        question=Question.objects.order_by("number")[0],
        flag=RedFlag.objects.order_by("key")[0],
        band=Band.objects.order_by("pk")[0],
        posting=Posting.objects.filter(published=True).order_by("pk")[0].slug,
        status=status_path(debrief.pk),
        email_template=EmailTemplate.objects.order_by("pk")[0].pk,
    )


def _webhook() -> tuple[Any, Any]:
    from django.utils import timezone

    from hiring.notifications.models import OutboxMessage
    from hiring.webhooks.models import SUBJECT_TYPE
    from hiring.webhooks.services.endpoints import endpoint_create

    endpoint = endpoint_create(
        fields={"name": "HR system", "url": "https://hr.example.com/hooks", "kind": "signed",
                "events": ["application.hired", "offer.accepted"], "active": True},
        actor=User.objects.get(username="admin"),
    )  # fmt: skip
    now = timezone.now()
    delivery = OutboxMessage.objects.create(
        channel="webhook", claim_key="webhook:a11y", to=endpoint.url,
        title="application.hired 7d1c", body='{"id": "7d1c"}', subject_type=SUBJECT_TYPE,
        subject_id=endpoint.pk, created_at=now, send_after=now, next_attempt_at=now,
        status="failed", attempts=8, last_result="HTTP 503 not now",
    )  # fmt: skip
    return endpoint, delivery


def _visits(demo: Demo) -> dict[str, list[Visit]]:
    """The pages each role checks: every page by a role that uses it, each role's home."""
    known, board = demo.known, demo.board
    return {
        ANONYMOUS: [
            Visit("login", "/login/"),
            Visit("login, wrong password", "/login/", steps=_wrong_password),
            Visit("login, locked out", "/login/", steps=_locked_out, ends_on=429),
            Visit("404", "/no-such-page/", status=404),
            Visit("careers page", "/careers/"),
            Visit("careers page, no match", "/careers/?location=Nowhere"),
            Visit("posting", f"/careers/{demo.posting}/"),
            Visit(
                "posting, apply errors",
                f"/careers/{demo.posting}/",
                steps=_empty_submit("Send application"),
            ),  # fmt: skip
            Visit("candidate status", demo.status),
            Visit("candidate status, bad link", "/careers/status/not-a-token/", status=404),
            Visit("slot picker", demo.slot_link),
            Visit("slot picker, expired link", demo.slot_expired, status=410),
            Visit("slot picker, broken link", "/pick/not-a-token/", status=404),
        ],
        "recruiter": [
            Visit("home", "/"),
            Visit("home, menu open", "/", steps=_menu_open, widths=("390px",)),
            Visit("requisitions", "/requisitions/"),
            Visit("new requisition", "/requisitions/new/"),
            Visit(
                "new requisition, errors",
                "/requisitions/new/",
                steps=_empty_submit("Open requisition"),
            ),
            Visit("edit requisition", f"/requisitions/{board.pk}/edit/"),
            Visit("stages", f"/requisitions/{board.pk}/stages/"),
            Visit("careers posting", f"/requisitions/{board.pk}/posting/"),
            Visit("board", f"/requisitions/{board.pk}/board/"),
            Visit("candidates", "/candidates/"),
            Visit("new candidate", "/candidates/new/"),
            Visit(
                "new candidate, errors", "/candidates/new/", steps=_empty_submit("Add candidate")
            ),
            Visit("import", "/candidates/import/"),
            Visit("import preview", "/candidates/import/", steps=_import_preview(known.email)),
            Visit("import done", "/candidates/import/", steps=_import_done(known.email)),
            Visit("imports", "/transfer/imports/"),
            Visit(
                "imports, form errors",
                "/transfer/imports/",
                steps=_empty_submit("Start the import"),
                ends_on=400,
            ),
            Visit("export", "/transfer/export/"),
            Visit("candidate", f"/candidates/{demo.debrief.candidate_id}/"),
            Visit("candidate with a resume", f"/candidates/{demo.with_resume.pk}/"),
            # The offer's status, clock and link under the application (hiring.offers panels).
            Visit("candidate with an offer", f"/candidates/{demo.draft.application.candidate_id}/"),
            Visit("debrief after advancing", f"/applications/{demo.draft.application_id}/debrief/"),
            Visit("application interviews", f"/applications/{demo.debrief.pk}/interviews/"),
            Visit("schedule interview", f"/applications/{demo.no_offer.pk}/interviews/new/"),
            Visit("reject with an e-mail", f"/candidates/applications/{demo.no_offer.pk}/reject/"),
            Visit("edit interview", f"/interviews/{demo.today.pk}/edit/"),
            Visit("let the candidate pick", f"/applications/{demo.no_offer.pk}/interviews/pick/"),
            Visit("offers", "/offers/"),
            Visit("offer dashboard", "/offers/dashboard/"),
            Visit("new offer", f"/offers/new/?application={demo.no_offer.pk}"),
            Visit("new offer, no application", "/offers/new/", status=400),
            Visit("offer (draft)", f"/offers/{demo.draft.pk}/"),
            Visit("offer (pending)", f"/offers/{demo.to_vote_on.pk}/"),
            Visit("edit offer", f"/offers/{demo.draft.pk}/edit/"),
            Visit("candidate's offer link, not valid", "/offer/not-a-link/", status=404),
            Visit("bands", "/compensation/bands/"),
            Visit("team plan", "/roles/team-plan/"),
            Visit("team plan, checked", "/roles/team-plan/", steps=_team_plan_checked),
            Visit("inbox", "/notifications/"),
            Visit("reminder settings", "/notifications/settings/"),
            Visit("404", "/no-such-page/", status=404),
        ],
        "interviewer": [
            Visit("home", "/"),
            Visit("my interviews", "/interviews/"),
            Visit("busy times", "/account/busy-times/"),
            Visit("scorecard", f"/interviews/{demo.today.pk}/scorecard/"),
            Visit("scorecard (submitted)", f"/interviews/{demo.panel.pk}/scorecard/"),
            Visit("scorecard (cancelled)", f"/interviews/{demo.cancelled.pk}/scorecard/"),
            Visit("roles", "/roles/"),
            Visit("role", f"/roles/{demo.role.slug}/"),
            Visit("question bank", "/assessments/bank/"),
            Visit("my calibration", "/interviews/calibration/mine/"),
            Visit("403", "/audit-log/", status=403),
        ],
        "manager": [
            Visit("home", "/"),
            Visit("debrief", f"/applications/{demo.debrief.pk}/debrief/"),
            Visit("calibration", "/interviews/calibration/"),
            Visit("reports: funnel", "/reports/funnel/"),
            Visit("reports: time in stage", "/reports/time-in-stage/"),
            Visit("reports: quality of hire", "/reports/quality-of-hire/"),
            Visit("reports: predictive validity", "/reports/predictive-validity/"),
            Visit("check-ins", "/checkins/"),
            Visit("check-in", f"/checkins/{demo.checkin}/"),
            Visit(
                "check-in, errors",
                f"/checkins/{demo.checkin}/",
                steps=_empty_submit("Save the check-in"),
                ends_on=400,
            ),
            Visit("offer (to vote on)", f"/offers/{demo.to_vote_on.pk}/"),
            Visit("approval link", demo.approval_link),
            Visit("approval link, broken", "/offers/approve/not-a-token/", status=400),
            Visit("inbox", "/notifications/"),
        ],
        "admin": [
            Visit("home", "/"),
            Visit("audit log", "/audit-log/"),
            Visit("API tokens", "/account/api-tokens/"),
            Visit("API tokens, new key", "/account/api-tokens/", steps=_token_created),
            Visit("roles", "/roles/"),
            Visit("edit role", f"/roles/{demo.role.slug}/edit/"),
            Visit("edit question", f"/assessments/questions/{demo.question.key}/edit/"),
            Visit("edit red flag", f"/assessments/red-flags/{demo.flag.key}/edit/"),
            Visit("bands", "/compensation/bands/"),
            Visit("new band", "/compensation/bands/new/"),
            Visit("edit band", f"/compensation/bands/{demo.band.pk}/edit/"),
            Visit("webhooks", "/webhooks/"),
            Visit(
                "webhooks, form errors",
                "/webhooks/",
                steps=_empty_submit("Add the endpoint"),
                ends_on=400,
            ),
            Visit("webhook endpoint", f"/webhooks/{demo.webhook.pk}/"),
            Visit(
                "webhook delivery",
                f"/webhooks/{demo.webhook.pk}/deliveries/{demo.webhook_delivery.pk}/",
            ),
            Visit("candidate e-mails", "/candidate-emails/templates/"),
            Visit("edit candidate e-mail", f"/candidate-emails/templates/{demo.email_template}/"),
            Visit("new candidate e-mail", "/candidate-emails/templates/new/"),
            Visit(
                "new candidate e-mail, errors",
                "/candidate-emails/templates/new/",
                steps=_empty_submit("Save"),
                ends_on=400,
            ),
            Visit("letter templates", "/offers/letters/"),
            Visit("new letter template", "/offers/letters/new/"),
            Visit("approval templates", "/offers/approval-templates/"),
            Visit(
                "approval template, errors",
                "/offers/approval-templates/default/",
                steps=_added_and_saved,
            ),
            Visit(
                "requisition approval template",
                f"/offers/approval-templates/requisitions/{board.pk}/",
            ),
        ],
    }


# The crawl ----------------------------------------------------------------------------------


def _log_in(page: Page, who: str, base_url: str) -> None:
    if who != ANONYMOUS:
        fill_login_form(page, who, PASSWORDS[who])
        expect(page).to_have_url(f"{base_url}/")


def _check(page: Page, finding: Finding, config: pytest.Config) -> None:
    """Load the page, bring it to its state, run axe; the console is recorded meanwhile."""
    visit = finding.visit
    response = page.goto(visit.path)
    assert response is not None, finding.where
    assert response.status == visit.status, f"{finding.where} answered {response.status}"
    if visit.steps is not None:
        visit.steps(page, finding.width)
    page.wait_for_load_state("load")
    page.wait_for_function(HTMX_SETTLED)
    finding.violations = page.evaluate(AXE_RUN, AXE_TAGS)
    if finding.width == "390px":
        finding.layout = page.evaluate(PHONE_FIT)
    if (finding.violations or finding.console or finding.layout) or screenshot_mode(
        config
    ) == "always":
        name = f"a11y-{finding.who}-{finding.visit.name}-{finding.width}"
        page.screenshot(path=screenshot_path(config, name), full_page=True)


def _expected_error(message: ConsoleMessage, page_status: int, expected_4xx: set[str]) -> bool:
    """The browser logs a page's own 4xx answer as an error: that is the page, not a fault.
    It is the page checked now (its status in the text), or, when the message arrives after
    the crawl moved on, one visited on purpose for a 4xx (matched by the address logged)."""
    if not message.text.startswith("Failed to load resource: the server responded with a"):
        return False
    if page_status >= 400 and f"status of {page_status}" in message.text:
        return True
    return "status of 4" in message.text and (
        urlsplit(message.location.get("url", "")).path in expected_4xx
    )


class ConsoleWatch:
    """Records what the browser logs against the page being checked."""

    def __init__(self, page: Page) -> None:
        self.finding: Finding | None = None
        self.expected_4xx: set[str] = set()
        page.on("console", self.console)
        page.on("pageerror", self.page_error)

    def watch(self, finding: Finding) -> None:
        self.finding = finding
        if finding.visit.shown_status >= 400:
            self.expected_4xx.add(urlsplit(finding.visit.path).path)

    def console(self, message: ConsoleMessage) -> None:
        if self.finding is None:
            return
        csp = "Content Security Policy" in message.text
        error = message.type == "error" and not _expected_error(
            message, self.finding.visit.shown_status, self.expected_4xx
        )
        if csp or error:
            self.finding.console.append(f"console.{message.type}: {message.text}")

    def page_error(self, error: Error) -> None:
        if self.finding is not None:
            self.finding.console.append(f"uncaught: {error.message}")


def _crawl(
    browser: Browser, base_url: str, visits: dict[str, list[Visit]], config: pytest.Config
) -> Iterator[Finding]:
    for who, pages in visits.items():
        for width, viewport in WIDTHS.items():
            context = browser.new_context(viewport=viewport, base_url=base_url)
            context.set_default_timeout(TIMEOUT_MS)
            context.add_init_script(path=AXE)
            page = context.new_page()
            watch = ConsoleWatch(page)
            try:
                _log_in(page, who, base_url)
                for visit in (v for v in pages if width in v.widths):
                    finding = Finding(who, width, visit)
                    watch.watch(finding)
                    _check(page, finding, config)
                    yield finding
            finally:
                context.close()


def _axe_report(findings: list[Finding]) -> str:
    lines = []
    for finding in findings:
        for violation in finding.violations:
            lines.append(
                f"{finding.where}\n  {violation['id']} ({violation['impact']}): "
                f"{violation['help']}  {violation['url']}"
            )
            for node in violation["nodes"][:5]:
                summary = " ".join(node["summary"].split())[:300]
                lines.append(f"    {node['target']}\n      {summary}")
            if len(violation["nodes"]) > 5:
                lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def _console_report(findings: list[Finding]) -> str:
    return "\n".join(
        f"{finding.where}\n" + "\n".join(f"  {line}" for line in finding.console)
        for finding in findings
        if finding.console
    )


def _tally(findings: list[Finding]) -> dict[str, int]:
    """Pages (at a width) failing each rule."""
    tally: dict[str, int] = {}
    for finding in findings:
        for violation in finding.violations:
            tally[violation["id"]] = tally.get(violation["id"], 0) + 1
    return dict(sorted(tally.items()))


# One test loads every page twice (about 400 loads): longer than the suite's 180 s per test
# when other jobs share the 2 cores.
@pytest.mark.timeout(900)
def test_every_page_passes_axe_logs_no_console_error_and_fits_a_phone(
    browser: Browser,
    live_server: LiveServer,
    request: pytest.FixtureRequest,
    subtests: pytest.Subtests,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    visits = _visits(_demo())
    started = time.monotonic()
    findings = list(_crawl(browser, live_server.url, visits, request.config))
    took = time.monotonic() - started
    report = request.config.rootpath / "test-artifacts" / "accessibility.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        json.dumps(
            {
                "checked": len(findings),
                "seconds": round(took, 1),
                "pages_failing_each_rule": _tally(findings),
                "findings": [
                    {
                        "where": f.where,
                        "violations": f.violations,
                        "console": f.console,
                        "layout": f.layout,
                    }
                    for f in findings
                    if f.violations or f.console or f.layout
                ],
            },
            indent=2,
        )
    )
    assert {f.width for f in findings} == set(WIDTHS)

    with subtests.test(msg="axe: no violation"):
        failing = [f for f in findings if f.violations]
        assert not failing, (
            f"axe found violations on {len(failing)} of {len(findings)} pages "
            f"(pages failing each rule: {_tally(findings)}):\n{_axe_report(failing)}"
        )
    with subtests.test(msg="390 px: nothing runs past the edge"):
        cramped = [f for f in findings if f.layout]
        assert not cramped, f"{len(cramped)} pages do not fit a phone:\n" + "\n".join(
            f"{f.where}: {'; '.join(f.layout)}" for f in cramped
        )
    with subtests.test(msg="console: no CSP violation, no JS error"):
        noisy = [f for f in findings if f.console]
        assert not noisy, (
            f"{len(noisy)} of {len(findings)} pages logged errors:\n{_console_report(noisy)}"
        )
