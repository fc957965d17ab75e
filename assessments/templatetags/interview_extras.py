"""Template helpers of the interview pages: local times, shares, ratings, lookups."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html

from assessments.scoring import RATING_LABELS, RECOMMENDATION_LABELS, number_text

register = template.Library()


@register.simple_tag
def local_time(value: dt.datetime | None, style: str = "long") -> str:
    """`<time>` in the company time zone; static/js/localtime.js rewrites it in the reader's."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    text = f"{local:%a %-d %b, %H:%M} {local.tzname()}"
    if style == "time":
        text = f"{local:%H:%M} {local.tzname()}"
    elif style == "date":
        text = f"{local:%a %-d %b %Y}"
    return format_html(
        '<time datetime="{}" data-local-time="{}">{}</time>',
        value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        style,
        text,
    )


@register.filter
def percent(value: Fraction | float | None) -> str:
    if value is None:
        return "–"
    return f"{round(float(value) * 100)}%"


@register.filter
def percent_number(value: Fraction | float | None) -> int:
    return 0 if value is None else round(float(value) * 100)


@register.filter
def decimal(value: Fraction | float | None) -> str:
    return "–" if value is None else number_text(Fraction(value))


@register.filter
def rating_label(value: int | None) -> str:
    return RATING_LABELS.get(value or 0, "not rated")


@register.filter
def recommendation_label(value: str) -> str:
    return RECOMMENDATION_LABELS.get(value, "none yet")


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def signed(value: float | None) -> str:
    """An offset with its sign, one decimal: +0.4, −0.2, 0.0."""
    if value is None:
        return "–"
    text = f"{abs(value):.1f}"
    return text if text == "0.0" else ("+" if value > 0 else "−") + text


@register.filter
def two_places(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace("-", "−")
