"""A hiring manager fills a 90-day check-in from the reminder e-mail's link, in Chromium, and
the quality-of-hire report changes."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hiring.business_time import company_calendar, local_date, next_business_opening
from hiring.checkins.models import CheckIn
from hiring.checkins.reminders import CHECKIN_REMINDER, claim_checkin_reminders
from hiring.checkins.services import checkins_schedule
from hiring.notifications.delivery import notification_send
from hiring.notifications.models import Notification
from hiring.offers.models import Offer
from tests import factories
from tests.checkins.test_checkins import hired_by_offer
from tests.factories import PASSWORD
from tests.reports.test_quality import hire_with, in_role

pytestmark = pytest.mark.usefixtures("playbook")
DOCS = Path(__file__).resolve().parents[2] / "docs"
SHOOT = os.environ.get("DOCS_SCREENSHOTS") == "1"


def ninety_row(page: Page) -> Any:
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="90 days"))


def test_a_hiring_manager_fills_a_check_in_from_the_reminder_and_the_report_changes(
    page: Page, live_server: LiveServer, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    application = hired_by_offer(start=dt.date(2026, 1, 5))
    manager = application.requisition.hiring_manager
    today = local_date(timezone.now(), company_calendar())
    Offer.objects.filter(application=application).update(start_date=today - dt.timedelta(days=91))
    # Nine earlier hires of the same manager, checked in at 90 days: 8 meeting, 1 below.
    earlier = factories.requisition(hiring_manager=manager, headcount=20)
    for level in [3, 4, 3, 3, 4, 3, 3, 3, 2]:
        hire_with(earlier, mean=3.0, **in_role(level))
    checkins_schedule(timezone.now())

    # The reminder, at the next business morning, e-mailed with its link.
    morning = next_business_opening(timezone.now(), company_calendar())
    claim_checkin_reminders(morning)
    reminder = Notification.objects.get(kind=CHECKIN_REMINDER, recipient=manager)
    assert notification_send(notification_id=reminder.pk, now=morning) == "sent"
    [message] = [m for m in mail.outbox if m.to == [manager.email]]
    found = re.search(rf"{re.escape(live_server.url)}(/checkins/\d+/)", message.body)
    assert found, message.body

    # The link, opened signed out: the login page, then the check-in itself.
    page.goto(found.group(1))
    expect(page).to_have_url(re.compile(r"/login/\?next=/checkins/"))
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    name = application.candidate.name
    expect(page.get_by_role("heading", level=1)).to_have_text(f"90 days check-in: {name}")
    page.goto("/reports/quality-of-hire/")
    expect(ninety_row(page)).to_contain_text("not enough check-ins yet (n = 9)")
    page.goto(found.group(1))

    still = page.get_by_role("group", name="Are they still in the role they were hired for?")
    still.get_by_label("Yes").check()
    page.get_by_role("radio", name="Meets expectations Does the").check()
    again = page.get_by_role("group", name="would you hire them again?")
    again.get_by_label("Yes").check()
    page.get_by_label("Anything else (optional)").fill("Owns the feature store's on-call.")
    if SHOOT:
        page.screenshot(path=str(DOCS / "readme-checkin-1280.png"), full_page=True)
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_text(f"Check-in saved: {name}, thank you.")).to_be_visible()
    checkin = CheckIn.objects.get(application=application, horizon="90d")
    assert (checkin.status, checkin.performance) == ("done", 3)

    # The report now counts ten: nine of ten meeting expectations.
    page.goto("/reports/quality-of-hire/")
    row = ninety_row(page)
    expect(row).to_contain_text("90%")
    expect(row).to_contain_text("10%")
    if SHOOT:
        page.screenshot(path=str(DOCS / "readme-quality-of-hire-1280.png"), full_page=True)
