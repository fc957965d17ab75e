"""The public reads: the careers page, a posting, its JobPosting data, the feed.

Only published postings of open requisitions exist here: unpublishing or closing the
requisition removes a posting from every one of these reads at once. What they return is
the posting's public fields and the requisition's title, location and role: never its
stages, counts, notes or people (the hiring manager only when the posting says so).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from compensation.selectors import bands_in_force
from hiring.careers.models import Posting
from hiring.careers.rendering import plain_text
from hiring.careers.rules import DEFAULT_VALID_DAYS, Workplace
from hiring.pipeline.rules import RequisitionStatus

PAGE_SIZE = 30
FEED_SIZE = 100
PUBLIC_FIELDS = (
    "slug", "published_at", "valid_through", "team", "workplace", "employment_type",
    "requisition__title", "requisition__location", "requisition__role__title",
    "requisition__role__slug",
)  # fmt: skip


def open_postings() -> QuerySet[Posting]:
    """Published postings whose requisition is open (posting_published_idx)."""
    return Posting.objects.filter(published=True, requisition__status=RequisitionStatus.OPEN)


@dataclass(frozen=True)
class Listing:
    postings: list[dict[str, Any]]
    locations: list[str]
    roles: list[tuple[str, str]]  # (slug, title)
    location: str
    role: str
    page: int
    has_next: bool


def careers_page(*, location: str = "", role: str = "", page: int = 1) -> Listing:
    """The careers page: open postings, newest first, filtered by location and role, a page
    at a time. Three queries whatever the number of postings."""
    rows = open_postings()
    choices = list(
        rows.values_list("requisition__location", "requisition__role__slug",
                         "requisition__role__title").distinct()
    )  # fmt: skip
    locations = sorted({loc for loc, _slug, _title in choices if loc})
    roles = sorted({(slug, title) for _loc, slug, title in choices}, key=lambda r: r[1])
    if location:
        rows = rows.filter(requisition__location=location)
    if role:
        rows = rows.filter(requisition__role__slug=role)
    page = max(1, min(page, 10_000))
    start = (page - 1) * PAGE_SIZE
    found = list(
        rows.order_by("-published_at", "-id").values(*PUBLIC_FIELDS)[start : start + PAGE_SIZE + 1]
    )
    labels = dict(Workplace.choices)
    for row in found:
        row["workplace_label"] = labels.get(row["workplace"], "")
    return Listing(
        postings=found[:PAGE_SIZE],
        locations=locations,
        roles=roles,
        location=location,
        role=role,
        page=page,
        has_next=len(found) > PAGE_SIZE,
    )


def public_posting(slug: str) -> Posting:
    """The open posting at `slug`, with its requisition and role; 404 otherwise."""
    posting = (
        open_postings()
        .select_related("requisition__role", "requisition__level", "requisition__hiring_manager")
        .filter(slug=slug)
        .first()
    )
    if posting is None:
        raise Http404("No open job at this address.")
    return posting


@dataclass(frozen=True)
class Salary:
    low: int
    high: int
    open_ended: bool
    currency: str

    def __str__(self) -> str:
        if self.open_ended:
            return f"{self.currency} {self.low:,}+ a year"
        return f"{self.currency} {self.low:,}–{self.high:,} a year"


def published_salary(posting: Posting) -> Salary | None:
    """The band in force for the requisition's level, when the posting publishes it."""
    if not posting.publish_band:
        return None
    bands = bands_in_force(role=posting.requisition.role.slug, level=posting.requisition.level.name)
    band = next((b for b in bands if b.level_id == posting.requisition.level_id), None)
    if band is None:
        return None
    return Salary(low=band.low, high=band.high, open_ended=band.open_ended, currency=band.currency)


def valid_through(posting: Posting) -> dt.date:
    if posting.valid_through:
        return posting.valid_through
    posted = posting.published_at or timezone.now()
    return timezone.localtime(posted).date() + dt.timedelta(days=DEFAULT_VALID_DAYS)


def posting_url(posting_slug: str) -> str:
    return f"{settings.SITE_URL}{reverse('careers:posting', args=[posting_slug])}"


def job_posting_data(posting: Posting, salary: Salary | None) -> dict[str, Any]:
    """schema.org JobPosting, with the fields search engines require: title, description,
    datePosted, validThrough, employmentType, hiringOrganization, and jobLocation (on-site,
    hybrid) or applicantLocationRequirements with jobLocationType TELECOMMUTE (remote);
    baseSalary only when the posting publishes its band."""
    requisition = posting.requisition
    posted = timezone.localtime(posting.published_at or timezone.now())
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": requisition.title,
        "description": posting.description_html or f"<p>{requisition.role.title}</p>",
        "datePosted": posted.date().isoformat(),
        "validThrough": f"{valid_through(posting).isoformat()}T23:59:59",
        "employmentType": posting.employment_type,
        "identifier": {
            "@type": "PropertyValue",
            "name": settings.COMPANY_NAME,
            "value": posting.slug,
        },  # fmt: skip
        "hiringOrganization": {
            "@type": "Organization",
            "name": settings.COMPANY_NAME,
            "sameAs": settings.SITE_URL,
        },
        "url": posting_url(posting.slug),
        "directApply": True,
    }
    if posting.workplace == Workplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {
            "@type": "Country" if len(requisition.location) <= 3 else "AdministrativeArea",
            "name": requisition.location or "Anywhere",
        }
    else:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": requisition.location},
        }
    if salary is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "YEAR"}
        if salary.open_ended:
            value["minValue"] = salary.low
        else:
            value.update(minValue=salary.low, maxValue=salary.high)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": salary.currency,
                              "value": value}  # fmt: skip
    return data


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json(data: dict[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> block: nothing in it can close the
    script element (the escapes Django's json_script uses)."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES))  # noqa: S308


def posting_page(slug: str) -> dict[str, Any]:
    """The posting page's context: the posting, its salary (if published), its JobPosting."""
    posting = public_posting(slug)
    salary = published_salary(posting)
    manager = posting.requisition.hiring_manager if posting.show_hiring_manager else None
    return {
        "posting": posting,
        "requisition": posting.requisition,
        "salary": salary,
        "hiring_manager": (manager.get_full_name() or manager.username) if manager else "",
        "job_posting_json": ld_json(job_posting_data(posting, salary)),
        "company": settings.COMPANY_NAME,
    }


def json_feed() -> dict[str, Any]:
    """Open postings as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1), for job boards."""
    rows = (
        open_postings()
        .select_related("requisition__role")
        .order_by("-published_at", "-id")[:FEED_SIZE]
    )
    items = []
    for posting in rows:
        requisition = posting.requisition
        url = posting_url(posting.slug)
        items.append(
            {
                "id": url,
                "url": url,
                "title": requisition.title,
                "content_html": posting.description_html,
                "summary": plain_text(posting.description_html)[:300],
                "date_published": (posting.published_at or timezone.now()).isoformat(),
                "date_modified": posting.updated_at.isoformat(),
                "tags": [t for t in (requisition.role.title, posting.team) if t],
                "_job": {
                    "location": requisition.location,
                    "workplace": posting.workplace,
                    "employment_type": posting.employment_type,
                    "valid_through": valid_through(posting).isoformat(),
                    "apply_url": url + "#apply",
                },
            }
        )
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Jobs at {settings.COMPANY_NAME}",
        "home_page_url": f"{settings.SITE_URL}{reverse('careers:list')}",
        "feed_url": f"{settings.SITE_URL}{reverse('careers:feed')}",
        "items": items,
    }
