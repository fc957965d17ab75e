"""Every report, by its address: the hiring reports and quality of hire."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

from hiring.reports import quality, selectors
from hiring.reports.selectors import Filters, Report

REPORTS: dict[str, tuple[str, Callable[[User, Filters], Report]]] = {
    "funnel": ("Funnel", selectors.funnel),
    "time-in-stage": ("Time in stage", selectors.time_in_stage),
    "sources": ("Sources", selectors.sources),
    "offers": ("Offers", selectors.offers),
    "interviewer-load": ("Interviewer load", selectors.interviewer_load),
    "quality-of-hire": ("Quality of hire", quality.quality_of_hire),
    "predictive-validity": ("Predictive validity", quality.predictive_validity),
}
