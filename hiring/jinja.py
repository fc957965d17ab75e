"""Jinja2 for the hot fragments: the board's cards, the candidate list's table and the
candidate's timeline.

Pages are Django templates. The few fragments that repeat per row on the busiest pages are
Jinja2 templates (`templates/**/*.jinja`), several times faster to render: Django's template
engine escapes and resolves every variable through several layers of Python, and those
fragments render thousands of variables per request. A Django template renders one with
`{% jinja "pipeline/requisitions/_cards.jinja" %}` (the current context passes through,
autoescaped; `csrf_input` is the form's CSRF field); a view that returns the fragment alone
renders it with `render(..., using="jinja2")`.

The environment adds only what the fragments use: `url` (`hiring.paths.url`: Django's
`reverse` for ids, its pattern worked out once per URL name), `date` (Django's date
formats, in the current time zone, as the `date` filter does), `linebreaksbr` and `slugify`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import template
from django.template import engines
from django.template.context import Context
from django.template.defaultfilters import linebreaksbr
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from jinja2 import Environment

from hiring.paths import url

register = template.Library()


def environment(**options: Any) -> Environment:
    """The Jinja2 environment of TEMPLATES' "jinja2" engine."""
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.filters.update(date=date, linebreaksbr=linebreaksbr, slugify=slugify)
    env.globals.update(url=url)
    return env


def date(value: dt.date | dt.datetime | None, fmt: str) -> str:
    """Django's `date` filter: aware datetimes shown in the current time zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, fmt)


@register.simple_tag(takes_context=True)
def jinja(context: Context, name: str) -> SafeString:
    """Render the Jinja2 fragment `name` with the Django template's context."""
    fragment = engines["jinja2"].get_template(name)
    values = cast(dict[str, Any], context.flatten())
    return mark_safe(fragment.render(values, context.get("request")))  # noqa: S308 - Jinja2 escaped it
