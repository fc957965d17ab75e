"""An approver sets their reminders with the keyboard alone, in Chromium: mutes the
escalation, picks the inbox only for the breach, snoozes the approval reminders; the page
fits a 390 px phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from hiring.notifications.models import NotificationPreference
from hiring.permissions import ADMIN, HIRING_MANAGER

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def press(page: Page, selector: str, key: str) -> None:
    page.locator(selector).focus()
    page.keyboard.press(key)


def test_an_approver_sets_their_reminders_with_the_keyboard(
    page: Page, log_in: Callable[..., Any]
) -> None:
    user = log_in(HIRING_MANAGER, ADMIN)
    page.goto("/notifications/settings/")
    expect(page.get_by_role("heading", name="Reminders that wait on you")).to_be_visible()
    row = page.locator("#kind-approver_reminder")
    expect(row).to_contain_text("Waits on you: you can snooze it for up to one business day")
    expect(row.get_by_role("checkbox")).to_have_count(0)

    press(page, "#id_escalation-muted", "Space")
    page.locator("#id_breach-channel").focus()
    page.keyboard.press("ArrowDown")  # Inbox only
    press(page, "button:has-text('Save your reminders')", "Enter")
    expect(page.get_by_text("Saved.")).to_be_visible()
    stored = {
        p.kind: (p.muted, p.channel) for p in NotificationPreference.objects.filter(user=user)
    }
    assert stored == {"escalation": (True, "both"), "breach": (False, "inbox")}

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reminder-settings-snooze-form.png"), full_page=True)
    press(page, "button:has-text('Snooze')", "Enter")  # until the latest: one business day
    expect(page.get_by_text("Snoozed until")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "reminder-settings-1280.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(ARTIFACTS / "reminder-settings-390.png"), full_page=True)
    press(page, "button:has-text('End the snooze now')", "Enter")
    expect(page.get_by_text("Snooze ended")).to_be_visible()
