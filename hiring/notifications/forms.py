"""The "Your reminders" forms: a muted box and a channel per kind, and the snooze."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from hiring.notifications.models import Channel
from hiring.notifications.registry import NotificationKind
from hiring.notifications.rules import Preference


class PreferencesForm(forms.Form):
    """`<kind>-muted` and `<kind>-channel` for each kind the user receives. A kind that waits
    on the user has a muted field too, never shown: a posted "mute" reaches the service,
    which refuses it beside the field."""

    def __init__(
        self,
        data: Any = None,
        *,
        user_kinds: list[NotificationKind],
        current: dict[str, Preference],
    ) -> None:
        super().__init__(data)
        self.user_kinds = user_kinds
        for kind in user_kinds:
            preference = current[kind.key]
            self.fields[f"{kind.key}-muted"] = forms.BooleanField(
                required=False, label=f"Mute {kind.name}", initial=preference.muted
            )
            self.fields[f"{kind.key}-channel"] = forms.ChoiceField(
                choices=Channel.choices,
                label=f"Where {kind.name} reaches you",
                initial=preference.channel,
                error_messages={
                    "required": "Choose inbox and e-mail, inbox only, or e-mail only.",
                    "invalid_choice": "Choose inbox and e-mail, inbox only, or e-mail only.",
                },
            )

    def choices(self) -> dict[str, tuple[bool, str]]:
        return {
            kind.key: (
                bool(self.cleaned_data[f"{kind.key}-muted"]),
                str(self.cleaned_data[f"{kind.key}-channel"]),
            )
            for kind in self.user_kinds
        }

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "muted": self[f"{kind.key}-muted"],
                "channel": self[f"{kind.key}-channel"],
            }
            for kind in self.user_kinds
        ]


class SnoozeForm(forms.Form):
    until = forms.DateTimeField(
        label="Snooze until",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Give the day and time the snooze ends.",
            "invalid": "Give the day and time the snooze ends, e.g. 2026-12-04 10:00.",
        },
    )

    def __init__(self, data: Any = None, *, latest: dt.datetime) -> None:
        super().__init__(data, initial={"until": latest})
        self.fields["until"].widget.attrs["max"] = f"{latest:%Y-%m-%dT%H:%M}"
