"""Reminder preferences as pure rules: how one user's choice for one kind decides where a
reminder goes, and how long a snooze may last. No ORM here (hiring.notifications.preferences
reads and writes the choices).

- A kind can be muted (neither inbox nor e-mail) unless it is a step that waits on the
  recipient (an offer's approval): that one can only be snoozed, for up to one business day.
- The channel is both (the default), inbox only or e-mail only; every channel reaches the
  user somewhere, so a waiting step's reminder always arrives.
- While snoozed, a waiting step's reminder is held: claimed as usual (exactly once) but shown
  and e-mailed only when the snooze ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hiring.business_time import BusinessCalendar, add_business_hours, moment_label

BOTH = "both"
INBOX = "inbox"
EMAIL = "email"
CHANNELS = (BOTH, INBOX, EMAIL)


@dataclass(frozen=True)
class Preference:
    """One user's choice for one kind; the default is today's behaviour: inbox and e-mail."""

    muted: bool = False
    channel: str = BOTH
    snoozed_until: dt.datetime | None = None

    @property
    def is_default(self) -> bool:
        return not self.muted and self.channel == BOTH and self.snoozed_until is None

    def snoozed_at(self, now: dt.datetime) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > now


DEFAULT = Preference()


@dataclass(frozen=True)
class Delivery:
    """Where one reminder goes: the inbox, the e-mail, and when (held until a snooze ends)."""

    inbox: bool
    email: bool
    held_until: dt.datetime | None = None


def delivery_for(preference: Preference, *, waits_on_recipient: bool, now: dt.datetime) -> Delivery:
    if preference.muted and not waits_on_recipient:
        return Delivery(inbox=False, email=False)
    held = preference.snoozed_until if waits_on_recipient and preference.snoozed_at(now) else None
    return Delivery(
        inbox=preference.channel != EMAIL, email=preference.channel != INBOX, held_until=held
    )


def snooze_limit(now: dt.datetime, cal: BusinessCalendar) -> dt.datetime:
    """The latest a snooze set at `now` may end: one business day of working hours later
    (Thursday 10:00 -> Friday 10:00; Friday 15:00 -> Monday 15:00; Saturday -> Monday's
    closing time)."""
    return add_business_hours(now, cal.hours_per_day, cal)


def snooze_problem(until: dt.datetime, *, now: dt.datetime, cal: BusinessCalendar) -> str | None:
    """Why a snooze until `until` is refused, or None."""
    if until <= now:
        return "Pick a time later than now."
    limit = snooze_limit(now, cal)
    if until > limit:
        return (
            "You can snooze them for up to one business day: until "
            f"{moment_label(limit, cal)} at the latest."
        )
    return None


def preference_problems(
    preference: Preference, *, kind_name: str, waits_on_recipient: bool, has_email: bool
) -> dict[str, str]:
    """What is wrong with a choice, by field ("muted", "channel")."""
    problems = {}
    if preference.channel not in CHANNELS:
        problems["channel"] = "Choose inbox and e-mail, inbox only, or e-mail only."
    if waits_on_recipient and preference.muted:
        problems["muted"] = (
            f"{kind_name} waits on you: you can snooze it for up to one business day, not mute it."
        )
    if waits_on_recipient and preference.channel == EMAIL and not has_email:
        problems["channel"] = (
            f"Your account has no e-mail address, so '{kind_name}' by e-mail only would "
            "reach you nowhere: keep the inbox."
        )
    return problems
