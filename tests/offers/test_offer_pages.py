"""Offer pages as users meet them: the list, the offer page with its band bar and chain,
submitting out of band, approving from the home page (htmx) and from an e-mail link,
the inbox and its unread count, the reminder settings and the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from hiring.notifications.models import Notification
from hiring.offers.links import APPROVAL_LINK_SALT, approval_link
from hiring.offers.models import Offer, OfferClock, UsedApprovalLink
from hiring.offers.rules import OfferStatus
from hiring.offers.services import offers as services
from hiring.offers.services.approvals import step_vote
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin")


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_offer_page_shows_terms_band_bar_chain_and_time_left(admin: Any) -> None:
    offer = factories.offer(submit=True)
    page = login(offer.application.requisition.recruiter).get(f"/offers/{offer.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Within band" in html and '<svg class="band-bar"' in html
    assert "Hiring manager" in html and "Finance/HR" in html
    assert "business hours left)</span>" in html
    assert "Back to draft" in html  # the recruiter's next step while approvals run


def test_an_out_of_band_submit_without_a_justification_shows_the_field_error(
    admin: Any,
) -> None:
    offer = factories.offer(position=1.3)
    client = login(offer.application.requisition.recruiter)
    page = client.get(f"/offers/{offer.pk}/").content.decode()
    assert "Above band" in page and 'name="justification"' in page

    refused = client.post(f"/offers/{offer.pk}/submit/", {"justification": ""})
    assert refused.status_code == 400
    assert "out of band" in refused.content.decode()
    assert 'id="justification-error"' in refused.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT

    done = client.post(
        f"/offers/{offer.pk}/submit/",
        {"justification": "Counter-offer from a lab; unique production experience with RAG."},
    )
    assert done.status_code == 302
    offer.refresh_from_db()
    assert offer.steps.filter(name="Compensation exception").exists()


def test_the_hiring_manager_approves_in_place_on_the_home_page(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager = login(offer.application.requisition.hiring_manager)
    home = manager.get("/").content.decode()
    assert "Waiting for my approval" in home
    assert offer.application.candidate.name in home
    assert f'hx-post="/offers/{offer.pk}/vote/"' in home

    step = offer.steps.get(position=0)
    response = manager.post(
        f"/offers/{offer.pk}/vote/",
        {"vote": "approve", "step": step.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "now waits for: Finance/HR" in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment for htmx
    assert "Nothing waits for you" in manager.get("/").content.decode()


def test_a_rejection_from_the_home_page_needs_a_comment(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager = login(offer.application.requisition.hiring_manager)
    response = manager.post(f"/offers/{offer.pk}/vote/", {"vote": "reject"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Say why you reject" in html and 'role="alert"' in html
    assert 'name="comment"' in html  # the form is still there to try again
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_the_e_mail_link_votes_once(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager_user = offer.application.requisition.hiring_manager
    manager = login(manager_user)
    step = offer.steps.get(position=0)
    link = approval_link(step_id=step.pk, user_id=manager_user.pk)
    page = manager.get(link)
    assert page.status_code == 200
    assert f"Approve the offer for {offer.application.candidate.name}" in page.content.decode()

    voted = manager.post(link, {"vote": "approve", "step": step.pk})
    assert voted.status_code == 302 and voted["Location"] == f"/offers/{offer.pk}/"
    assert UsedApprovalLink.objects.count() == 1
    again = manager.get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_or_forged_link_is_refused(admin: Any, settings: Any) -> None:
    offer = factories.offer(submit=True)
    manager_user = offer.application.requisition.hiring_manager
    manager = login(manager_user)
    step = offer.steps.get(position=0)
    token = signing.dumps({"s": step.pk, "u": manager_user.pk, "n": "x"}, salt=APPROVAL_LINK_SALT)
    settings.APPROVAL_LINK_HOURS = 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: 10**10)
        assert manager.get(f"/offers/approve/{token}/").status_code == 410
    assert manager.get(f"/offers/approve/{token}x/").status_code == 400
    assert manager.get("/offers/approve/not-a-token/").status_code == 400


def test_offers_in_flight_are_sorted_by_time_left(admin: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 4, 15, tzinfo=dt.UTC), tick=False)
    late = factories.application()
    soon = factories.application(requisition_obj=late.requisition)
    factories.decision(application_obj=late, at=dt.datetime(2026, 3, 4, 14, tzinfo=dt.UTC))
    factories.decision(application_obj=soon, at=dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC))
    factories.offer(application_obj=late)
    factories.offer(application_obj=soon)
    html = login(late.requisition.recruiter).get("/offers/").content.decode()
    assert html.index(soon.candidate.name) < html.index(late.candidate.name)
    assert "overdue" in html


def test_the_list_filters_by_requisition_and_role(admin: Any) -> None:
    one = factories.offer()
    other = factories.offer(application_obj=factories.application(
        requisition_obj=factories.requisition(role_slug="mlops-engineer")
    ))  # fmt: skip
    client = login(admin)
    only = client.get(f"/offers/?requisition={one.application.requisition_id}").content.decode()
    assert one.application.candidate.name in only
    assert other.application.candidate.name not in only
    by_role = client.get("/offers/?role=mlops-engineer").content.decode()
    assert other.application.candidate.name in by_role
    assert one.application.candidate.name not in by_role
    assert client.get("/offers/?requisition=99999999999999999999999").status_code == 200


def test_markup_in_names_and_comments_is_shown_escaped(admin: Any) -> None:
    candidate = factories.CandidateFactory(name="<script>alert(1)</script>")
    offer = factories.offer(application_obj=factories.application(candidate=candidate), submit=True)
    step_vote(offer=offer, step_id=None, actor=offer.application.requisition.hiring_manager,
                approve=False, comment="<b>too high</b>")  # fmt: skip
    html = login(admin).get(f"/offers/{offer.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;too high&lt;/b&gt;" in html


def test_the_inbox_shows_unread_notifications_and_opening_one_marks_it_read(
    admin: Any,
) -> None:
    offer = factories.offer(submit=True)
    manager_user = offer.application.requisition.hiring_manager
    manager = login(manager_user)
    badge = manager.get("/notifications/badge/").content.decode()
    assert 'aria-label="1 unread"' in badge
    inbox = manager.get("/notifications/").content.decode()
    assert f"Approve the offer for {offer.application.candidate.name}" in inbox
    row = Notification.objects.get(recipient=manager_user)
    opened = manager.post(f"/notifications/{row.pk}/open/")
    assert opened["Location"] == f"/offers/{offer.pk}/"
    assert "unread" not in manager.get("/notifications/badge/").content.decode()
    assert Client().get("/notifications/badge/").status_code == 204


def test_someone_elses_notification_cannot_be_opened(admin: Any) -> None:
    offer = factories.offer(submit=True)
    row = Notification.objects.get(recipient=offer.application.requisition.hiring_manager)
    assert login(admin).post(f"/notifications/{row.pk}/open/").status_code == 404


def test_the_settings_page_lists_the_reminders_a_role_gets(
    make_user: Callable[..., Any],
) -> None:
    html = login(make_user("Interviewer")).get("/notifications/settings/").content.decode()
    assert "Scorecard reminder" in html and "at most 10" in html
    assert html.count('id="kind-') == 1
    manager = login(make_user("Hiring manager")).get("/notifications/settings/")
    # Approval requested, approval reminder, escalation, breach, the candidate's answer, and
    # the check-ins on their hires.
    page = manager.content.decode()
    assert page.count('id="kind-') == 6 and "Check-in on a hire" in page


def test_the_dashboard_reports_share_within_two_days_and_the_slowest_step(
    admin: Any, time_machine: Any
) -> None:
    monday = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)  # 10:00 in New York
    time_machine.move_to(monday, tick=False)
    application = factories.application()
    factories.decision(application_obj=application, at=monday)
    offer = factories.offer(application_obj=application, submit=True)
    time_machine.move_to(monday + dt.timedelta(hours=3), tick=False)
    step_vote(offer=offer, step_id=None, actor=application.requisition.hiring_manager,
                approve=True)  # fmt: skip
    time_machine.move_to(monday + dt.timedelta(hours=4), tick=False)
    step_vote(offer=offer, step_id=None, actor=admin, approve=True)
    offer.refresh_from_db()
    services.offer_mark_sent(offer=offer, actor=application.requisition.recruiter)
    html = login(admin).get("/offers/dashboard/").content.decode()
    assert "100 %" in html and "1 of 1 offer" in html
    assert "Which step waits longest: Hiring manager" in html
    assert '<svg class="bar-chart"' in html
    # Each label is drawn whole (truncated to 22 characters it read "Candidate opens the o…")
    assert "Candidate opens the offer</text>" in html
    assert OfferClock.objects.get(application=application).business_hours_to_send == 4.0


def test_an_offer_in_flight_names_its_deadline_once(admin: Any) -> None:
    factories.offer(submit=True)
    for url in ("/offers/", "/offers/dashboard/"):
        html = login(admin).get(url).content.decode()
        # "due Wed 9 Dec, 10:32 (10 business hours left)", not that and "due Wed 9 Dec, 10:32"
        assert len(re.findall(r"due \w{3} \d{1,2} \w{3}, \d\d:\d\d", html)) == 1, url


def test_the_new_offer_form_shows_the_band_and_errors_in_place(admin: Any) -> None:
    application = factories.application()
    client = login(application.requisition.recruiter)
    page = client.get(f"/offers/new/?application={application.pk}").content.decode()
    assert 'data-testid="band-hint"' in page
    refused = client.post(
        "/offers/new/",
        {"application": application.pk, "base_salary": "-1", "target_bonus": "0",
         "currency": "USD", "level": application.requisition.level_id,
         "start_date": "2030-01-07", "expires_on": "2030-02-01"},
    )  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "greater than or equal to 1" in html
    assert not Offer.objects.exists()
    wrong_order = client.post(
        "/offers/new/",
        {"application": application.pk, "base_salary": "200000", "target_bonus": "0",
         "currency": "USD", "level": application.requisition.level_id,
         "start_date": "2030-01-07", "expires_on": "2030-02-01"},
    )  # fmt: skip
    assert "expire on or before the start date" in wrong_order.content.decode()
    assert not Offer.objects.exists()


def test_a_requisition_filter_that_is_not_an_id_is_a_field_error_on_the_list(
    admin: Any,
) -> None:
    offer = factories.offer()
    page = login(admin).get("/offers/?requisition=²")  # a digit to str.isdigit, not to int()
    assert page.status_code == 200
    html = page.content.decode()
    assert "Not a requisition: showing every requisition." in html
    assert offer.application.candidate.name in html  # the filter is not applied


def test_a_requisition_filter_that_is_not_an_id_is_a_field_error_on_the_dashboard(
    admin: Any,
) -> None:
    page = login(admin).get("/offers/dashboard/?requisition=²")
    assert page.status_code == 200
    assert "Not a requisition: showing every requisition." in page.content.decode()


def test_a_new_offer_for_an_application_that_is_not_an_id_is_a_400(admin: Any) -> None:
    recruiter = factories.application().requisition.recruiter
    page = login(recruiter).get("/offers/new/?application=²")
    assert page.status_code == 400
    assert "does not name an application" in page.content.decode()
    assert not Offer.objects.exists()


@pytest.mark.parametrize("url", ["/offers/", "/offers/dashboard/"])
def test_the_list_and_dashboard_take_the_same_queries_as_offers_grow(
    admin: Any, url: str, django_assert_max_num_queries: Any
) -> None:
    client = login(admin)
    for n in (1, 6):
        while Offer.objects.count() < n:
            factories.offer(submit=True)
        with django_assert_max_num_queries(QUERIES[url]):
            assert client.get(url).status_code == 200


QUERIES = {"/offers/": 10, "/offers/dashboard/": 16}  # whatever the number of offers


def test_the_requisition_filter_offers_the_open_ones_and_keeps_the_chosen_one(
    admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every requisition there was made 2,000 options at 100,000 applications: the filter
    now offers open and on-hold ones (50 at most; 2 here), and the chosen one, whatever it is."""
    from hiring.pipeline.models import Requisition
    from hiring.pipeline.selectors import candidate_list

    monkeypatch.setattr(candidate_list, "REQUISITION_CHOICES", 2)
    requisitions = [factories.requisition(title=f"Open job {n}") for n in range(3)]
    closed = factories.requisition(title="A closed job")
    Requisition.objects.filter(pk=closed.pk).update(status="closed")
    page = login(admin).get("/offers/").content.decode()
    assert sum(f">{r.title}<" in page for r in requisitions) == 2
    assert "A closed job" not in page
    chosen = login(admin).get(f"/offers/?requisition={closed.pk}").content.decode()
    assert f'<option value="{closed.pk}" selected>A closed job (closed)</option>' in chosen
