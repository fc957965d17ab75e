"""Forms of the pick-link pages (parsing only): the recruiter's link, the candidate's choice,
an interviewer's busy time and calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from assessments.forms.interviews import DATETIME_FORMAT, InterviewForm
from assessments.selectors.interviews import ScheduleChoices
from hiring.scheduling.rules import MAX_WINDOW_DAYS
from hiring.scheduling.selectors.pages import zone_names

SLOT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # how a slot's start is sent: UTC
RESCHEDULES = [("1", "Yes, once"), ("0", "No")]


class SlotLinkForm(InterviewForm):
    """The scheduling form without a start time: the candidate picks it, between the first
    and the last day."""

    first_day = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(
        label="Last day",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"At most {MAX_WINDOW_DAYS} days from the first. The link expires when "
        "this day's business hours end.",
    )
    reschedules = forms.TypedChoiceField(
        choices=RESCHEDULES,
        coerce=int,
        initial="1",
        label="The candidate may reschedule",
        widget=forms.RadioSelect,
    )

    field_order = ["round_name", "duration_minutes", "location", "first_day", "last_day"]

    def __init__(self, data: Any = None, *, choices: ScheduleChoices, today: dt.date) -> None:
        super().__init__(data, choices=choices)
        del self.fields["starts_at"]
        self.initial.setdefault("first_day", today + dt.timedelta(days=1))
        self.initial.setdefault("last_day", today + dt.timedelta(days=14))

    def link(self) -> dict[str, Any]:
        """The valid form as the arguments of `slot_link_create`."""
        self.cleaned_data.setdefault("starts_at", None)  # the candidate picks it
        data = self.schedule()
        data.pop("starts_at")
        return {
            **data,
            "first_day": self.cleaned_data["first_day"],
            "last_day": self.cleaned_data["last_day"],
            "reschedules": self.cleaned_data["reschedules"],
        }


class PickForm(forms.Form):
    """The candidate's choice: a slot's start (as offered, in UTC) and the zone they read it in."""

    start = forms.CharField(max_length=40)
    tz = forms.CharField(max_length=64, required=False)

    def clean_start(self) -> dt.datetime:
        text: str = self.cleaned_data["start"]
        try:
            value = dt.datetime.strptime(text, SLOT_FORMAT).replace(tzinfo=dt.UTC)
        except ValueError:
            raise forms.ValidationError("Pick one of the times shown.") from None
        return value

    def clean_tz(self) -> str:
        value: str = self.cleaned_data.get("tz") or ""
        return value if value in zone_names() else ""


class BusyTimeForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="From",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    ends_at = forms.DateTimeField(
        label="Until",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class CalendarFileForm(forms.Form):
    file = forms.FileField(label="Calendar file (.ics)")


class CalendarUrlForm(forms.Form):
    ics_url = forms.CharField(
        max_length=500,
        label="Calendar address",
        help_text="The secret address in iCal format (Google Calendar, Outlook, Apple "
        "Calendar: webcal:// works too). Only the times you are busy are kept.",
    )
