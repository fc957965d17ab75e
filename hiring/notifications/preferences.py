"""Reminder preferences: each user mutes kinds, picks inbox, e-mail or both, and an approver
snoozes the reminders that wait on them (rules in hiring.notifications.rules).

Applied when a reminder is claimed (`claims_planned`, called by
services.notifications_claim): the claim is always inserted, so it stays exactly-once, and
only where it shows changes. A muted kind's claims are recorded silently (no inbox row, no
e-mail), so unmuting brings nothing old back. One query reads the preferences of a whole
claim, however many rows it has; a second one, only when someone in it is snoozed, finds
the reminders already held.

A snoozed reminder is held: claimed with its inbox time and its e-mail's attempt time at the
snooze's end. While one reminder of a step is held, later ones of the same step (the next
morning's) are claimed silently, and a reminder claimed on the day the snooze ended, when
that step's held one went out that day, is too: the approver gets one reminder per step
when the snooze ends, not every one they missed. A new snooze never holds a reminder
longer than it was held already (a shorter one brings it forward), so none waits more than
one business day however often one snoozes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hiring.audit import audit_record
from hiring.business_time import company_calendar, local_date
from hiring.errors import DomainError
from hiring.notifications.models import EmailStatus, Notification, NotificationPreference
from hiring.notifications.registry import NotificationKind, kinds, waiting_kind_keys
from hiring.notifications.rules import (
    DEFAULT,
    Preference,
    delivery_for,
    preference_problems,
    snooze_problem,
)
from hiring.permissions import roles_of

# Claims for more recipients than this read every stored preference of their kinds (the
# table holds only choices that differ from the default) instead of a long IN list.
FEW_RECIPIENTS = 500


class Planned(NamedTuple):
    """A claim as the recipient wants it: the row (its time moved to a snooze's end when
    held), whether the e-mail goes, and whether the inbox shows it."""

    row: Any  # services.Claim
    email_status: str  # the plain value: PostgreSQL's COPY writes it as text
    in_inbox: bool


Series = tuple[int, str, str, int]  # recipient, kind, subject type, subject id


def claims_planned(rows: Sequence[Any]) -> list[Planned] | None:
    """Apply the recipients' preferences to claims; None when none of them has any (every
    row goes to the inbox and by e-mail, as it always did)."""
    stored = _preferences_of(rows)
    if not stored:
        return None
    waiting = waiting_kind_keys()
    held = _held_series(stored, waiting, now=rows[0].created_at)
    planned = []
    for row in rows:
        preference = stored.get((row.recipient_id, row.kind), DEFAULT)
        delivery = delivery_for(
            preference, waits_on_recipient=row.kind in waiting, now=row.created_at
        )
        series = (row.recipient_id, row.kind, row.subject_type, row.subject_id)
        if series in held:
            # A reminder of this step is held, or went out at the snooze's end today.
            planned.append(Planned(row, EmailStatus.SKIPPED.value, False))
            continue
        if delivery.held_until is not None:
            row = row._replace(created_at=delivery.held_until)
            held.add(series)
        status = EmailStatus.PENDING if delivery.email else EmailStatus.SKIPPED
        planned.append(Planned(row, status.value, delivery.inbox))
    return planned


def _preferences_of(rows: Sequence[Any]) -> dict[tuple[int, str], Preference]:
    recipients = {row.recipient_id for row in rows}
    stored = NotificationPreference.objects.filter(kind__in={row.kind for row in rows})
    if len(recipients) <= FEW_RECIPIENTS:
        stored = stored.filter(user_id__in=recipients)
    return {
        (user_id, kind): Preference(muted, channel, snoozed_until)
        for user_id, kind, muted, channel, snoozed_until in stored.values_list(
            "user_id", "kind", "muted", "channel", "snoozed_until"
        )
    }


def _held_series(
    stored: dict[tuple[int, str], Preference], waiting: frozenset[str], *, now: dt.datetime
) -> set[Series]:
    """The steps whose reminder is held for a snoozed recipient, or was released at the end
    of a snooze that ended today (one query, only when someone in the claim has a snooze)."""
    cal = company_calendar()
    today = local_date(now, cal)
    ends = {
        key: preference.snoozed_until
        for key, preference in stored.items()
        if key[1] in waiting
        and preference.snoozed_until is not None
        and (preference.snoozed_until > now or local_date(preference.snoozed_until, cal) == today)
    }
    if not ends:
        return set()
    rows = Notification.objects.filter(
        recipient_id__in={user_id for user_id, _ in ends},
        kind__in={kind for _, kind in ends},
        created_at__gte=min(min(ends.values()), now),
    ).values_list("recipient_id", "kind", "subject_type", "subject_id", "created_at")
    return {
        (user_id, kind, subject_type, subject_id)
        for user_id, kind, subject_type, subject_id, created_at in rows
        if (user_id, kind) in ends and (created_at > now or created_at == ends[(user_id, kind)])
    }


# The settings page and the API -----------------------------------------------------------


def kinds_for(user: User) -> list[NotificationKind]:
    """The kinds a user receives, by their roles (both roles' kinds for a user with two)."""
    roles = roles_of(user)
    return [kind for kind in kinds() if kind.roles & roles]


def preferences_of(user: User) -> dict[str, Preference]:
    """The user's choice for every kind they receive (the default where they made none)."""
    stored = {
        row.kind: Preference(row.muted, row.channel, row.snoozed_until)
        for row in NotificationPreference.objects.filter(user=user)
    }
    return {kind.key: stored.get(kind.key, DEFAULT) for kind in kinds_for(user)}


def notification_preferences_save(
    *, user: User, choices: dict[str, tuple[bool, str]], actor: User
) -> int:
    """Save the user's choices, {kind: (muted, channel)}, all or none; returns how many
    changed. Refuses muting a kind that waits on the user, a channel that would reach them
    nowhere, and a kind they do not receive. Muting a kind, or choosing the inbox only,
    also stops its e-mails not sent yet."""
    mine = {kind.key: kind for kind in kinds_for(user)}
    problems: dict[str, list[str]] = {}
    for key, (muted, channel) in choices.items():
        kind = mine.get(key)
        if kind is None:
            problems[f"{key}-muted"] = ["You do not receive this kind of reminder."]
            continue
        found = preference_problems(
            Preference(muted, channel),
            kind_name=kind.name,
            waits_on_recipient=kind.waits_on_recipient,
            has_email=bool(user.email),
        )
        for field, message in found.items():
            problems.setdefault(f"{key}-{field}", []).append(message)
    if problems:
        first = next(iter(problems.values()))[0]
        raise DomainError(f"Nothing was saved. {first}", fields=problems)
    with transaction.atomic():
        now = timezone.now()
        current = {
            row.kind: row
            for row in NotificationPreference.objects.select_for_update().filter(user=user)
        }
        before, after = {}, {}
        for key, (muted, channel) in choices.items():
            row = current.get(key)
            old = (row.muted, row.channel) if row else (False, DEFAULT.channel)
            if old == (muted, channel):
                continue
            before[key], after[key] = _described(*old), _described(muted, channel)
            _store(user=user, key=key, row=row, muted=muted, channel=channel, now=now)
            if muted or channel == "inbox":
                # E-mails claimed but not sent yet (pending: not one being sent) stay unsent.
                Notification.objects.filter(
                    recipient=user, kind=key, email_status=EmailStatus.PENDING
                ).update(email_status=EmailStatus.SKIPPED)
        if after:
            audit_record(
                actor=actor, action="notification_preferences.update", target=user,
                before=before, after=after,
            )  # fmt: skip
    return len(after)


def _described(muted: bool, channel: str) -> dict[str, Any]:
    return {"muted": muted, "channel": channel}


def _store(
    *,
    user: User,
    key: str,
    row: NotificationPreference | None,
    muted: bool,
    channel: str,
    now: dt.datetime,
) -> None:
    """Keep only choices that differ from the default (the sweep reads fewer rows)."""
    snoozed_until = row.snoozed_until if row else None
    if Preference(muted, channel, snoozed_until).is_default:
        if row is not None:
            row.delete()
        return
    if row is None:
        NotificationPreference.objects.create(
            user=user, kind=key, muted=muted, channel=channel, updated_at=now
        )
        return
    row.muted, row.channel, row.updated_at = muted, channel, now
    row.save(update_fields=["muted", "channel", "updated_at"])


def waiting_kinds_for(user: User) -> list[NotificationKind]:
    return [kind for kind in kinds_for(user) if kind.waits_on_recipient]


def notification_snooze(*, user: User, until: dt.datetime, actor: User) -> None:
    """Hold the reminders of steps that wait on the user until `until`, at most one
    business day from now. Reminders already held never wait longer than they were going
    to (a longer snooze keeps their time; a shorter one brings it forward)."""
    now = timezone.now()
    waiting = waiting_kinds_for(user)
    if not waiting:
        raise DomainError(
            "No reminder waits on you, so there is nothing to snooze.", fields={"until": []}
        )
    problem = snooze_problem(until, now=now, cal=company_calendar())
    if problem:
        raise DomainError(problem, fields={"until": [problem]})
    keys = [kind.key for kind in waiting]
    with transaction.atomic():
        _snooze_set(user=user, keys=keys, until=until, now=now, actor=actor)
        _held_release(user=user, keys=keys, at=until)  # a shorter snooze: sooner


def _held_release(*, user: User, keys: list[str], at: dt.datetime) -> int:
    """Reminders held past `at` go out at `at` instead (never later than they would have)."""
    held = Notification.objects.filter(recipient=user, kind__in=keys, created_at__gt=at)
    held.filter(email_status=EmailStatus.PENDING).update(email_next_attempt_at=at)
    return held.update(created_at=at)


def held_withdraw(
    *, subject_type: str, subject_ids: Iterable[int], recipient_id: int | None = None
) -> int:
    """Reminders still held by a snooze about subjects that no longer wait (a step the
    approver voted on, a step that closed) never come out: no e-mail, no inbox row.
    `recipient_id` None: everyone's. Returns how many."""
    held = Notification.objects.filter(
        subject_type=subject_type,
        subject_id__in=list(subject_ids),
        created_at__gt=timezone.now(),
        email_status=EmailStatus.PENDING,
    )
    if recipient_id is not None:
        held = held.filter(recipient_id=recipient_id)
    return held.update(email_status=EmailStatus.SKIPPED, in_inbox=False)


def notification_snooze_end(*, user: User, actor: User) -> int:
    """End the snooze now: the reminders held go out at the next sweep. Returns how many."""
    now = timezone.now()
    keys = [kind.key for kind in waiting_kinds_for(user)]
    with transaction.atomic():
        active = NotificationPreference.objects.filter(
            user=user, kind__in=keys, snoozed_until__gt=now
        )
        if not active.exists():
            return 0
        _snooze_set(user=user, keys=keys, until=now, now=now, actor=actor)
        return _held_release(user=user, keys=keys, at=now)


def _snooze_set(
    *, user: User, keys: Iterable[str], until: dt.datetime, now: dt.datetime, actor: User
) -> None:
    with transaction.atomic():
        rows = {
            row.kind: row
            for row in NotificationPreference.objects.select_for_update().filter(
                user=user, kind__in=keys
            )
        }
        before = {
            key: row.snoozed_until.isoformat() for key, row in rows.items() if row.snoozed_until
        }
        for key in keys:
            row = rows.get(key)
            if row is None:
                NotificationPreference.objects.create(
                    user=user, kind=key, snoozed_until=until, updated_at=now
                )
            else:
                row.snoozed_until, row.updated_at = until, now
                row.save(update_fields=["snoozed_until", "updated_at"])
        audit_record(
            actor=actor, action="notification_preferences.snooze", target=user,
            before={"snoozed_until": before or None},
            after={"snoozed_until": until.isoformat()},
        )  # fmt: skip


def snoozed_until(user: User, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the user's snooze of the reminders waiting on them ends (None: not snoozed)."""
    now = now or timezone.now()
    waiting = waiting_kind_keys()
    ends = [
        preference.snoozed_until
        for key, preference in preferences_of(user).items()
        if key in waiting and preference.snoozed_until is not None and preference.snoozed_at(now)
    ]
    return max(ends, default=None)
