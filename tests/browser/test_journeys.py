"""First journeys: each role's way in and out, the friendly 403, lockout, phone width, API docs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests.browser.support import fill_login_form, section_heading
from tests.factories import PASSWORD, UserFactory

LogIn = Callable[..., User]

# role -> the section its home page shows
HOME_SECTIONS = {
    RECRUITER: "Pipeline",
    INTERVIEWER: "My interviews",
    HIRING_MANAGER: "Waiting for my approval",
    ADMIN: "Administration",
}
ROLE_IDS = {
    RECRUITER: "recruiter",
    INTERVIEWER: "interviewer",
    HIRING_MANAGER: "hiring_manager",
    ADMIN: "admin",
}
each_role = pytest.mark.parametrize("role", list(HOME_SECTIONS), ids=ROLE_IDS.get)

PHONE = {"width": 390, "height": 844}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@each_role
def test_each_role_logs_in_to_their_home_page_and_logs_out(
    page: Page, log_in: LogIn, live_server: LiveServer, role: str
) -> None:
    user = log_in(role, first_name="Sam", last_name=f"{ROLE_IDS[role].title()} Tester")

    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Sam")
    expect(section_heading(page, HOME_SECTIONS[role])).to_be_visible()
    for other_role, other_section in HOME_SECTIONS.items():
        if other_role != role:
            expect(section_heading(page, other_section)).to_have_count(0)
    header = page.get_by_role("banner")
    expect(header).to_contain_text(user.get_full_name())
    expect(header).to_contain_text(role)

    header.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto("/")  # the session is over: home sends us back to log in
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")


def test_interviewer_typing_a_url_outside_their_role_gets_the_friendly_403(
    page: Page, log_in: LogIn, live_server: LiveServer
) -> None:
    log_in(INTERVIEWER)

    response = page.goto("/audit-log/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This page is not part of your role")
    expect(page.locator("main")).to_contain_text(INTERVIEWER)

    page.get_by_role("link", name="Go to my home page").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(section_heading(page, HOME_SECTIONS[INTERVIEWER])).to_be_visible()


def test_five_wrong_passwords_show_the_lockout_page(page: Page, live_server: LiveServer) -> None:
    user = UserFactory(roles=[RECRUITER])

    for _ in range(4):
        fill_login_form(page, user.username, "not-the-password")
        expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    fill_login_form(page, user.username, "not-the-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed attempts")

    # Locked means locked: the right password does not get in either.
    fill_login_form(page, user.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed attempts")
    page.get_by_role("link", name="Back to log in").click()
    expect(page).to_have_url(f"{live_server.url}/login/")


@each_role
def test_home_page_at_phone_width_has_no_horizontal_scroll(
    page: Page, log_in: LogIn, role: str
) -> None:
    page.set_viewport_size(PHONE)
    log_in(role)
    expect(section_heading(page, HOME_SECTIONS[role])).to_be_visible()

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"page is {scroll_width}px wide at 390px"


def test_api_docs_render_swagger_ui_without_leaving_loopback(page: Page, log_in: LogIn) -> None:
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    page.on("request", record)
    log_in(ADMIN)

    page.get_by_role("link", name="API documentation").click()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("hiring API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()  # the schema loaded
    page.wait_for_load_state("networkidle")

    assert any(urlsplit(url).path == "/api/schema/" for url in requested), requested
    outside = [
        url
        for url in requested
        if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).hostname not in LOOPBACK
    ]
    assert outside == [], f"requests left loopback: {outside}"
