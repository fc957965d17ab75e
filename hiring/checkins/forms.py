"""The check-in form: parsing only; what must be answered when is the service's rule."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.checkins.rules import LEFT_REASONS, PERFORMANCE

YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_COMMENT = 2000


class CheckInForm(forms.Form):
    still_in_role = forms.ChoiceField(
        label="Are they still in the role they were hired for?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they are still in the role."},
    )
    performance = forms.TypedChoiceField(
        label="Performance against the role's expectations",
        choices=[(k, v[0]) for k, v in PERFORMANCE.items()],
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    would_hire_again = forms.ChoiceField(
        label="Knowing what you know now, would you hire them again?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    left_reason = forms.ChoiceField(
        label="If they left: why?",
        choices=[("", "(they are still in the role)"), *LEFT_REASONS.items()],
        required=False,
    )
    comment = forms.CharField(
        label="Anything else (optional)",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data

        def yes(value: str) -> bool | None:
            return {"yes": True, "no": False}.get(value)

        return {
            "still_in_role": yes(data["still_in_role"]),
            "performance": data["performance"] or None,
            "would_hire_again": yes(data["would_hire_again"]),
            "left_reason": data["left_reason"],
            "comment": data["comment"],
        }


def checkin_initial(checkin: Any) -> dict[str, Any]:
    def answer(value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    return {
        "still_in_role": answer(checkin.still_in_role),
        "performance": checkin.performance,
        "would_hire_again": answer(checkin.would_hire_again),
        "left_reason": checkin.left_reason,
        "comment": checkin.comment,
    }
