"""The candidate page: who sees it, what it shows, and the actions on it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hiring.errors import DomainError
from hiring.pipeline.models import Application, Candidate, Note, Requisition, StageChange
from hiring.pipeline.rules import RequisitionStatus
from hiring.pipeline.services.applications import application_move, note_add
from hiring.pipeline.services.candidates import candidate_create
from hiring.pipeline.timeline import timeline
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("playbook")
HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def recruiter_client() -> Client:
    return logged_in(UserFactory(roles=["Recruiter"]))


def detail_url(candidate: Candidate) -> str:
    return f"/candidates/{candidate.pk}/"


@pytest.fixture
def app() -> Application:
    return factories.application()


# Who sees the page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("recruiter", 200),
        ("admin", 200),
        ("interviewer_of_candidate", 200),
        ("other_interviewer", 404),
        ("own_hiring_manager", 200),
        ("other_hiring_manager", 404),
        ("no_role", 404),
    ],
)
def test_candidate_page_is_shown_only_to_who_may_see_the_candidate(
    app: Application, who: str, status: int
) -> None:
    users = {
        "recruiter": lambda: UserFactory(roles=["Recruiter"]),
        "admin": lambda: UserFactory(roles=["Admin"]),
        "interviewer_of_candidate": lambda: _interviewer_of(app),
        "other_interviewer": lambda: UserFactory(roles=["Interviewer"]),
        "own_hiring_manager": lambda: app.requisition.hiring_manager,
        "other_hiring_manager": lambda: UserFactory(roles=["Hiring manager"]),
        "no_role": lambda: UserFactory(roles=[]),
    }
    response = logged_in(users[who]()).get(detail_url(app.candidate))
    assert response.status_code == status
    if status == 404:
        assert app.candidate.name.encode() not in response.content


def _interviewer_of(application: Application) -> Any:
    user = UserFactory(roles=["Interviewer"])
    factories.interview(application_obj=application, interviewers=[user])
    return user


def test_anonymous_visitor_is_sent_to_log_in(app: Application) -> None:
    for url in [
        detail_url(app.candidate),
        f"/candidates/{app.candidate.pk}/timeline/",
        "/candidates/new/",
        "/candidates/import/",
        "/candidates/import/template.csv",
    ]:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


@pytest.mark.parametrize(
    ("role", "status"),
    [("Recruiter", 200), ("Admin", 200), ("Interviewer", 403), ("Hiring manager", 403)],
)
def test_add_and_import_pages_need_pipeline_edit(role: str, status: int) -> None:
    client = logged_in(UserFactory(roles=[role]))
    for url in ["/candidates/new/", "/candidates/import/", "/candidates/import/template.csv"]:
        assert client.get(url).status_code == status, url


def test_hiring_manager_sees_their_candidate_but_no_pipeline_actions(app: Application) -> None:
    client = logged_in(app.requisition.hiring_manager)
    page = client.get(detail_url(app.candidate)).content.decode()
    assert app.requisition.title in page
    assert "Move to stage" not in page
    assert "Add note" in page  # notes are open to anyone who sees the application
    stage = app.requisition.stages.get(name="Debrief")
    url = f"/candidates/{app.candidate.pk}/applications/{app.pk}/move/"
    assert client.post(url, {"stage": stage.pk}).status_code == 403
    app.refresh_from_db()
    assert app.stage.name == "Applied"


def test_interviewer_cannot_post_pipeline_actions(app: Application) -> None:
    client = logged_in(_interviewer_of(app))
    base = f"/candidates/{app.candidate.pk}"
    assert client.post(f"{base}/applications/{app.pk}/reopen/").status_code == 403
    assert client.post(f"{base}/merge/").status_code == 403
    assert client.post(f"{base}/applications/", {"requisition": 1}).status_code == 403


# What it shows ------------------------------------------------------------------------------


def test_page_separates_production_evidence_from_credentials(app: Application) -> None:
    page = recruiter_client().get(detail_url(app.candidate)).content.decode()
    evidence = page.index("Production evidence")
    credentials = page.index("Credentials")
    assert "Fraud model serving" in page[evidence:credentials]
    assert "Stanford University" in page[credentials:]
    assert "Stanford University" not in page[evidence:credentials]


def test_interviewer_on_blind_requisition_does_not_see_credentials(app: Application) -> None:
    assert app.requisition.pedigree_blind
    page = logged_in(_interviewer_of(app)).get(detail_url(app.candidate)).content.decode()
    assert "Hidden: this requisition is pedigree-blind" in page
    for credential in ["PhD Computer Science", "Stanford University", "AWS ML Specialty"]:
        assert credential not in page
    assert "Fraud model serving" in page  # production evidence stays


def test_recruiter_sees_credentials_on_blind_requisition(app: Application) -> None:
    page = recruiter_client().get(detail_url(app.candidate)).content.decode()
    assert "Stanford University" in page and "AWS ML Specialty" in page
    assert "pedigree-blind" not in page


def test_interviewer_sees_credentials_when_the_switch_is_off() -> None:
    requisition = factories.requisition(pedigree_blind=False)
    app = factories.application(requisition_obj=requisition)
    page = logged_in(_interviewer_of(app)).get(detail_url(app.candidate)).content.decode()
    assert "PhD Computer Science" in page and "Stanford University" in page


def test_application_shows_requisition_stage_status_and_days(app: Application) -> None:
    page = recruiter_client().get(detail_url(app.candidate)).content.decode()
    assert app.requisition.title in page
    assert "Stage <strong>Applied</strong>" in page
    assert "0 days in stage" in page
    assert "Active" in page


def test_empty_states_for_a_bare_candidate() -> None:
    candidate = candidate_create(fields={"name": "Bare", "email": "b@x.org"}, tags=[], actor=None)
    page = recruiter_client().get(detail_url(candidate)).content.decode()
    assert "Not in any requisition yet." in page
    assert "No production evidence recorded yet" in page
    assert "No resume uploaded." in page
    assert "Nothing has happened yet" in page


def test_merged_candidate_page_is_not_found() -> None:
    keep = factories.CandidateFactory()
    gone = factories.CandidateFactory(merged_into=keep)
    assert recruiter_client().get(detail_url(gone)).status_code == 404


# Actions ------------------------------------------------------------------------------------


def test_recruiter_moves_rejects_and_reopens_through_the_page(app: Application) -> None:
    client = recruiter_client()
    base = f"/candidates/{app.candidate.pk}/applications/{app.pk}"
    stage = app.requisition.stages.get(name="Structured interview")
    response = client.post(f"{base}/move/", {"stage": stage.pk}, follow=True)
    assert "Moved to Structured interview" in response.content.decode()
    app.refresh_from_db()
    assert app.stage == stage

    response = client.post(
        f"{base}/end/", {"status": "rejected", "reason": "Confirmed red flags"}, follow=True
    )
    app.refresh_from_db()
    assert (app.status, app.end_reason) == ("rejected", "Confirmed red flags")
    assert "Reopen" in response.content.decode()

    client.post(f"{base}/reopen/")
    app.refresh_from_db()
    assert app.status == "active"


def test_reason_outside_the_list_is_refused_with_a_message(app: Application) -> None:
    url = f"/candidates/{app.candidate.pk}/applications/{app.pk}/end/"
    response = recruiter_client().post(
        url, {"status": "withdrawn", "reason": "Made up"}, follow=True
    )
    assert response.status_code == 200
    assert "Pick a reason from the list." in response.content.decode()
    app.refresh_from_db()
    assert app.status == "active"


def test_stage_of_another_requisition_is_refused(app: Application) -> None:
    other = factories.requisition()
    url = f"/candidates/{app.candidate.pk}/applications/{app.pk}/move/"
    response = recruiter_client().post(url, {"stage": other.stages.first().pk}, follow=True)
    assert "Pick a stage of this requisition." in response.content.decode()


def test_add_to_requisition_offers_open_requisitions_only(app: Application) -> None:
    open_one = factories.requisition(title="Open one")
    closed = factories.requisition(title="Closed one")
    Requisition.objects.filter(pk=closed.pk).update(status=RequisitionStatus.CLOSED)
    client = recruiter_client()
    page = client.get(detail_url(app.candidate)).content.decode()
    select = page[page.index('id="add-requisition"') :]
    assert "Open one" in select and "Closed one" not in select
    url = f"/candidates/{app.candidate.pk}/applications/"
    response = client.post(url, {"requisition": closed.pk}, follow=True)
    assert "Pick an open requisition" in response.content.decode()
    client.post(url, {"requisition": open_one.pk})
    assert Application.objects.filter(candidate=app.candidate, requisition=open_one).exists()


def test_duplicate_banner_and_merge_through_the_page(app: Application) -> None:
    original = app.candidate
    client = recruiter_client()
    response = client.post(
        "/candidates/new/",
        {"name": "Second Record", "email": original.email.upper(), "source": "referral",
         "location": "Berlin"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    duplicate = Candidate.objects.get(name="Second Record")
    assert duplicate.duplicate_of == original
    assert "Possible duplicate" in page and "Merge into" in page
    original.refresh_from_db()
    assert original.name != "Second Record"  # flagged, never overwritten

    response = client.post(f"/candidates/{duplicate.pk}/merge/", follow=True)
    assert response.redirect_chain[-1][0] == detail_url(original)
    assert "Merged into" in response.content.decode()
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.merged_into == original
    assert original.location == "Berlin"  # an empty field was filled in
    assert client.get(detail_url(duplicate)).status_code == 404


def test_merge_of_a_candidate_that_is_not_a_duplicate_is_refused(app: Application) -> None:
    response = recruiter_client().post(f"/candidates/{app.candidate.pk}/merge/", follow=True)
    assert "not flagged as a duplicate" in response.content.decode()


# Notes and the timeline ---------------------------------------------------------------------


def test_note_added_inline_returns_the_updated_timeline(app: Application) -> None:
    response = recruiter_client().post(
        f"/candidates/{app.candidate.pk}/notes/",
        {"application": app.pk, "body": "Strong on drift monitoring."},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card timeline-card" id="timeline"')
    assert "Strong on drift monitoring." in html
    assert "<html" not in html
    assert Note.objects.get().body == "Strong on drift monitoring."


def test_empty_note_shows_the_error_inline_and_writes_nothing(app: Application) -> None:
    response = recruiter_client().post(
        f"/candidates/{app.candidate.pk}/notes/", {"application": app.pk, "body": "  "}, **HTMX
    )
    assert response.status_code == 200
    assert "Write something first." in response.content.decode()
    assert not Note.objects.exists()


def test_note_without_htmx_redirects_back_with_a_message(app: Application) -> None:
    client = recruiter_client()
    url = f"/candidates/{app.candidate.pk}/notes/"
    response = client.post(url, {"application": app.pk, "body": "Plain form"}, follow=True)
    assert "Note added." in response.content.decode()
    response = client.post(url, {"application": app.pk, "body": ""}, follow=True)
    assert "Write something first." in response.content.decode()


def test_note_on_an_application_the_user_cannot_see_is_refused(app: Application) -> None:
    other = factories.application()
    client = logged_in(app.requisition.hiring_manager)
    response = client.post(
        f"/candidates/{app.candidate.pk}/notes/", {"application": other.pk, "body": "x"}, **HTMX
    )
    assert response.status_code == 200
    assert not Note.objects.exists()


def test_timeline_merges_notes_moves_and_interviews_newest_first(app: Application) -> None:
    actor = app.requisition.recruiter
    application_move(
        application=app, to_stage=app.requisition.stages.get(name="Recruiter screen"), actor=actor
    )
    note_add(application=app, body="Booked the loop", actor=actor)
    factories.interview(application_obj=app, interviewers=[UserFactory(first_name="Ivy")])
    page = recruiter_client().get(detail_url(app.candidate)).content.decode()
    timeline_html = page[page.index('id="timeline"') :]
    positions = [
        timeline_html.index("Structured interview</strong>"),
        timeline_html.index("Booked the loop"),
        timeline_html.index("Recruiter screen</strong>"),
        timeline_html.index("added them at"),
    ]
    assert positions == sorted(positions)


def test_timeline_can_be_filtered_to_one_application(app: Application) -> None:
    second = factories.application(candidate=app.candidate)
    note_add(application=app, body="About the first", actor=None)
    note_add(application=second, body="About the second", actor=None)
    client = recruiter_client()
    url = f"/candidates/{app.candidate.pk}/timeline/?application={second.pk}"
    html = client.get(url, **HTMX).content.decode()
    assert "About the second" in html and "About the first" not in html
    html = client.get(f"/candidates/{app.candidate.pk}/timeline/", **HTMX).content.decode()
    assert "About the second" in html and "About the first" in html


def _busy_candidate(applications: int) -> Candidate:
    candidate = factories.CandidateFactory()
    for _ in range(applications):
        application = factories.application(candidate=candidate)
        application_move(
            application=application,
            to_stage=application.requisition.stages.get(name="Debrief"),
            actor=None,
        )
        note_add(application=application, body="note", actor=None)
        factories.interview(application_obj=application, interviewers=[UserFactory()])
    return candidate


def _options(html: str) -> list[str]:
    select = html[html.index('id="add-requisition"') :]
    return re.findall(r'<option value="\d+">([^<]+)</option>', select[: select.index("</select>")])


def test_add_to_requisition_lists_50_at_most_the_users_own_first_and_find_narrows(
    app: Application,
) -> None:
    """A company with hundreds of open requisitions: the page drew all of them (258 options
    at 100,000 applications, 2,580 at a million); now 50, the recruiter's own first."""
    user = UserFactory(roles=["Recruiter"])
    mine = factories.requisition(title="Zeta mine", recruiter=user)
    others = [factories.requisition(title=f"Role {n:02d}") for n in range(55)]
    client = logged_in(user)
    shown = _options(client.get(detail_url(app.candidate)).content.decode())
    assert len(shown) == 50
    assert shown[0].startswith("Zeta mine")
    assert app.requisition.title not in " ".join(shown)  # already in it
    assert (
        "Lists 50 open requisitions at most"
        in client.get(detail_url(app.candidate)).content.decode()
    )
    url = f"/candidates/{app.candidate.pk}/applications/options/"
    found = client.get(url, {"find": "role 54"}).content.decode()
    assert re.findall(r">([^<]+)</option>", found) == [f"Role 54 ({others[54].level.name})"]
    by_id = client.get(url, {"find": str(mine.pk)}).content.decode()
    assert "Zeta mine" in by_id
    nothing = client.get(url, {"find": "x" * 500}).content.decode()
    assert nothing == '<option value="">No open requisition matches</option>'


def test_add_options_need_pipeline_edit(app: Application) -> None:
    url = f"/candidates/{app.candidate.pk}/applications/options/"
    manager = logged_in(app.requisition.hiring_manager)
    assert manager.get(url).status_code == 403
    assert (
        recruiter_client()
        .get(f"/candidates/{app.candidate.pk + 999}/applications/options/")
        .status_code
        == 404
    )


def test_new_candidate_and_imports_offer_50_requisitions_at_most_with_the_chosen_first() -> None:
    """The add-candidate form listed every open requisition: 2,580 options and 79 ms at
    1,000,000 applications; now 50, the chosen one first, and Find for the others."""
    user = UserFactory(roles=["Recruiter"])
    chosen, *_ = [factories.requisition(title=f"Role {n:02d}") for n in range(55)]
    client = logged_in(user)
    html = client.get("/candidates/new/", {"requisition": chosen.pk}).content.decode()
    select = html[html.index('id="id_requisition"') :]
    options = re.findall(r'<option value="(\d*)"', select[: select.index("</select>")])
    assert options[0] == "" and len(options) == 51  # "Not now" and 50
    assert re.search(rf'<option value="{chosen.pk}" selected>', select)
    assert 'hx-get="/candidates/new/requisition-options/"' in html
    found = client.get("/candidates/new/requisition-options/", {"find": "Role 54"})
    assert re.findall(r">([^<]+)</option>", found.content.decode())[1:] == [
        f"Role 54 ({chosen.level.name})"
    ]
    imports = client.get("/transfer/imports/").content.decode()
    select = imports[imports.index('id="id_requisition"') :]
    assert len(re.findall(r"<option ", select[: select.index("</select>")])) == 51
    assert 'hx-get="/candidates/new/requisition-options/?for=import"' in imports
    blank = client.get("/candidates/new/requisition-options/", {"for": "import"}).content
    assert blank.decode().startswith('<option value="">No requisition</option>')


def every_note(application_ids: list[int]) -> Any:
    return Note.objects.filter(application_id__in=application_ids)


def test_timeline_runs_a_constant_number_of_queries() -> None:
    counts = []
    for size in (1, 6):
        applications = list(_busy_candidate(size).applications.all())
        with CaptureQueriesContext(connection) as queries:
            entries = timeline(applications, notes=every_note)
        assert len(entries) == size * 4
        counts.append(len(queries))
    # One per kind of event: notes, stage changes, interviews and their interviewers, e-mails
    # to the candidate, careers-page submissions.
    assert counts[0] == counts[1] <= 6


def test_candidate_page_runs_a_constant_number_of_queries() -> None:
    client = recruiter_client()
    counts = []
    for size in (1, 6):
        candidate = _busy_candidate(size)
        client.get(detail_url(candidate))  # warm the session and role caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(candidate)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_stage_change_rows_show_who_and_why(app: Application) -> None:
    recruiter = UserFactory(roles=["Recruiter"], first_name="Rita", last_name="Ray")
    client = logged_in(recruiter)
    client.post(
        f"/candidates/{app.candidate.pk}/applications/{app.pk}/end/",
        {"status": "withdrawn", "reason": "Timing"},
    )
    assert StageChange.objects.filter(to_status="withdrawn", actor=recruiter).exists()
    page = client.get(detail_url(app.candidate)).content.decode()
    assert "Rita Ray" in page and "Reason: Timing" in page


# Adding a candidate -------------------------------------------------------------------------


def test_add_candidate_with_all_fields_into_a_requisition() -> None:
    requisition = factories.requisition(title="Platform ML")
    client = recruiter_client()
    response = client.post(
        "/candidates/new/",
        {
            "name": "Grace Hopper",
            "email": " Grace@Example.org ",
            "phone": "+1 555 0100",
            "location": "Arlington",
            "source": "sourced",
            "portfolio_url": "https://grace.example.org",
            "github_url": "https://github.com/grace",
            "case_study_urls": "https://a.example.org/one\n\nhttps://a.example.org/two\n",
            "shipped_systems": "COBOL compiler",
            "degrees": "PhD Mathematics",
            "schools": "Yale",
            "certifications": "",
            "tags": "compilers, Leadership, ",
            "requisition": requisition.pk,
        },
    )
    candidate = Candidate.objects.get(email="grace@example.org")
    assert response.status_code == 302
    assert response["Location"] == detail_url(candidate)
    assert candidate.case_study_urls == ["https://a.example.org/one", "https://a.example.org/two"]
    assert sorted(candidate.tags.values_list("name", flat=True)) == ["compilers", "leadership"]
    assert candidate.applications.get().requisition == requisition


def test_bad_case_study_link_and_missing_fields_are_shown_on_the_form() -> None:
    response = recruiter_client().post(
        "/candidates/new/",
        {"name": "", "email": "not-an-email", "source": "inbound",
         "case_study_urls": "https://ok.example.org\njavascript:alert(1)"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved." in page
    assert "Not a web address (https://…): javascript:alert(1)" in page
    assert "Enter a valid email address." in page
    assert not Candidate.objects.exists()


def test_refused_application_leaves_no_candidate_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    requisition = factories.requisition()

    def refuse(**kwargs: Any) -> None:
        raise DomainError("Refused for the test.", fields={"requisition": ["Not today."]})

    monkeypatch.setattr("hiring.pipeline.services.applications.application_create", refuse)
    response = recruiter_client().post(
        "/candidates/new/",
        {"name": "Lin", "email": "lin@example.org", "source": "inbound",
         "requisition": requisition.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Not today." in response.content.decode()
    assert not Candidate.objects.filter(email="lin@example.org").exists()
