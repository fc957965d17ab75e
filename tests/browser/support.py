"""Helpers shared by the browser tests and their fixtures."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def fill_login_form(page: Page, username: str, password: str) -> None:
    """Open the login page and submit the real form."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def section_heading(page: Page, name: str) -> Locator:
    """A home-page section, found by its heading."""
    return page.get_by_role("heading", name=name, level=2, exact=True)
