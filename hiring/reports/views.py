"""The reports' pages: the index, each report (its chart, its table) and its CSV."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from hiring.permissions import SignedInRequest, requires
from hiring.pipeline.selectors.listing import csv_safe
from hiring.reports.catalog import REPORTS
from hiring.reports.forms import FiltersForm


@requires("reports.view")
def index(request: SignedInRequest) -> HttpResponse:
    return render(request, "reports/index.html", {"reports": REPORTS})


@requires("reports.view")
def report(request: SignedInRequest, name: str) -> HttpResponse:
    if name not in REPORTS:
        raise Http404(name)
    form = FiltersForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "reports/report.html", {"form": form, "reports": REPORTS}, status=400
        )
    result = REPORTS[name][1](request.user, form.filters())
    if request.GET.get("format") == "csv":
        return _csv(result.slug, result.columns, result.rows)
    chart = mark_safe(result.chart)  # noqa: S308 -- built by rules.bar_chart, every text escaped
    context = {"form": form, "report": result, "chart": chart, "reports": REPORTS}
    return render(request, "reports/report.html", context)


def _csv(slug: str, columns: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_safe(c) for c in row])
    return response
