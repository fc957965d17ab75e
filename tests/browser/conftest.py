"""Browser tests: Playwright (sync API) driving Debian's Chromium against `live_server`.

Run them with `make test-browser` (`pytest -m browser tests/browser`). Every test in this
folder is marked `browser` automatically, so `make test` (`-m "not browser"`) skips them.

- The browser is /usr/bin/chromium (never `playwright install`), headless, one for the
  whole folder (package scope). Each test gets a fresh context and page (1280x800) whose
  base URL is the live server, so `page.goto("/login/")` works.
- The app runs under pytest-django's `live_server` with `transactional_db`, on SQLite or on
  PostgreSQL (DATABASE_URL), with the production settings the other tests use (DEBUG off).
  Its session and CSRF cookies are then `Secure`; Chromium sends them to http://localhost
  and http://127.0.0.1 (trustworthy origins), so no settings override is needed.
- Log in through the real form with the `log_in` fixture; `role_groups` re-creates the four
  role groups for every test (the flush after each transactional test deletes them).
- Screenshots go to `test-artifacts/screenshots/<test-name>.png` under the repository root:
  full page, taken at the end of a test that failed; for every test with
  `--screenshots=always`, or with the environment variable BROWSER_SCREENSHOTS=always. The
  option is only known when pytest is started on a path inside tests/browser (as
  `make test-browser` does), because pytest reads `pytest_addoption` from the conftests of
  the paths it is given; the environment variable works however pytest is started.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hiring.permissions import ROLES
from tests.browser.support import fill_login_form
from tests.factories import PASSWORD, UserFactory

CHROMIUM = "/usr/bin/chromium"
# The machine has no internet: without the background-networking flags Chromium keeps
# trying (and failing) to reach Google services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000

BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOT_MODES = ("on-failure", "always")
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        choices=SCREENSHOT_MODES,
        default=None,
        help="browser tests: save a full-page screenshot on failure (default) or always; "
        "same as BROWSER_SCREENSHOTS=always",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Before the mark plugin applies `-m`; this hook sees every item of the run.
    for item in items:
        if BROWSER_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def screenshot_mode(config: pytest.Config) -> str:
    mode = config.getoption("screenshots", default=None) or os.environ.get(
        "BROWSER_SCREENSHOTS", "on-failure"
    )
    if mode not in SCREENSHOT_MODES:
        raise pytest.UsageError(f"BROWSER_SCREENSHOTS must be one of {', '.join(SCREENSHOT_MODES)}")
    return mode


def screenshot_path(config: pytest.Config, test_name: str) -> Path:
    safe = re.sub(r"[^\w.-]+", "-", test_name).strip("-")
    return config.rootpath / "test-artifacts" / "screenshots" / f"{safe}.png"


@pytest.fixture(scope="package")
def pw() -> Iterator[Playwright]:
    # The sync API keeps an asyncio loop running in this thread for as long as it is open, so
    # Django's ORM (test data, the transactional flush) would raise SynchronousOnlyOperation.
    # The variable is set only while the loop runs: package scope ends both after the last
    # browser test, so in a full `pytest` run the later tests neither see a running loop nor
    # inherit the variable (Django's deploy check, run in a subprocess, rejects it: async.E001).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(pw: Playwright) -> Iterator[Browser]:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def role_groups(transactional_db: None) -> None:
    """The four role groups. Migration 0002 creates them, but the flush that ends each
    transactional test deletes them, so only the first browser test of a run would have them."""
    for name in ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh context and page per test; screenshot at the end when asked or on failure."""
    mode = screenshot_mode(request.config)
    shot = screenshot_path(request.config, request.node.name)
    shot.unlink(missing_ok=True)  # the folder shows this run only
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
        reports = request.node.stash.get(REPORTS, {})
        failed = any(report.failed for report in reports.values())
        if failed or mode == "always":
            shot.parent.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=shot, full_page=True)
            except Exception as exc:  # a broken page must not hide the test's own result
                warnings.warn(f"could not save {shot}: {exc}", stacklevel=1)
    finally:
        context.close()


@pytest.fixture
def log_in(page: Page, live_server: LiveServer) -> Callable[..., User]:
    """`log_in(*roles, **user_fields)`: a new user holding the roles, logged in through the
    real form (username and password); waits for the home page and returns the user."""

    def log_in(*roles: str, **fields: Any) -> User:
        user = UserFactory(roles=list(roles), **fields)
        fill_login_form(page, user.username, PASSWORD)
        expect(page).to_have_url(f"{live_server.url}/")
        return user

    return log_in
