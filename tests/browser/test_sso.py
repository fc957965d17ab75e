"""Single sign-on in Chromium: the whole redirect flow against a real OpenID Connect provider
in a second process (tests/sso/provider/), the roles from its groups on the first sign-in and
updated on the next, a company account without a mapped group refused with a clear page and
no account, and logging out of the app and of the provider."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hiring.models import AuditEntry
from hiring.sso.models import Identity
from tests.sso.conftest import providers
from tests.sso.provider_process import PASSWORD, Provider


@pytest.fixture
def provider_for(tmp_path: Any, settings: Any) -> Iterator[Callable[[str], Provider]]:
    yield from providers(tmp_path, settings)


def sign_in(page: Page, provider: Provider, username: str) -> None:
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with your company account").click()
    expect(page).to_have_url(re.compile("^" + re.escape(provider.issuer.rsplit("/o", 1)[0])))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_a_company_account_signs_in_with_its_roles_and_logs_out_of_both(
    page: Page, live_server: LiveServer, provider_for: Callable[[str], Provider]
) -> None:
    provider = provider_for(live_server.url)
    sign_in(page, provider, "ana")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".who")).to_contain_text("Recruiter")
    ana = User.objects.get(username="ana")
    assert roles(ana) == {"Recruiter"} and not ana.has_usable_password()
    assert ana.email == "ana@corp.example.com"
    assert Identity.objects.get(user=ana).issuer == provider.issuer
    assert AuditEntry.objects.filter(action="role.grant", object_id=str(ana.pk)).count() == 1

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    # The provider's session ended too: signing in again asks for the password.
    page.get_by_role("link", name="Sign in with your company account").click()
    expect(page.get_by_label("Password")).to_be_visible()


def test_a_later_sign_in_updates_the_roles_from_the_groups(
    page: Page, live_server: LiveServer, provider_for: Callable[[str], Provider], tmp_path: Any
) -> None:
    provider = provider_for(live_server.url)
    sign_in(page, provider, "max")
    expect(page).to_have_url(f"{live_server.url}/")
    assert roles(User.objects.get(username="max")) == {"Hiring manager", "Interviewer"}
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")

    # The directory takes max out of the interviewers group.
    with sqlite3.connect(tmp_path / "provider.sqlite3") as db:
        db.execute(
            "DELETE FROM auth_user_groups WHERE group_id = "
            "(SELECT id FROM auth_group WHERE name = 'interviewers')"
        )
    sign_in(page, provider, "max")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".who")).not_to_contain_text("Interviewer")
    assert roles(User.objects.get(username="max")) == {"Hiring manager"}
    assert User.objects.filter(username__startswith="max").count() == 1
    assert AuditEntry.objects.filter(action="role.remove").count() == 1


def test_a_company_account_without_a_mapped_group_gets_a_clear_page_and_no_account(
    page: Page, live_server: LiveServer, provider_for: Callable[[str], Provider]
) -> None:
    provider = provider_for(live_server.url)
    sign_in(page, provider, "zoe")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not signed in")
    expect(page.get_by_role("alert")).to_contain_text("not in a group that has a role")
    assert not User.objects.filter(username="zoe").exists()
    assert not Identity.objects.exists()
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_login_and_refused_pages_pass_axe(
    page: Page, live_server: LiveServer, provider_for: Callable[[str], Provider], width: int
) -> None:
    from tests.browser.test_accessibility import AXE, AXE_RUN, AXE_TAGS

    provider_for(live_server.url)
    page.set_viewport_size({"width": width, "height": 800})
    page.add_init_script(path=AXE)  # as the debugger would: the app's CSP stays on
    for path in ("/login/", "/sso/refused/"):
        page.goto(path)
        assert page.evaluate(AXE_RUN, AXE_TAGS) == [], path
