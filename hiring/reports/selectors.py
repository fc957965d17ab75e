"""The five hiring reports, each as a table, a chart and notes: a constant number of queries.

The funnel, time in stage and sources read the summary table (`StageStay`); offers and the
interviewer load read their own tables, filtered the same way. A hiring manager's reports
cover the requisitions they manage (`reports.view`'s reach); recruiters and admins see all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek

from assessments.models import Decision, Scorecard
from assessments.rules import ScorecardStatus
from hiring.offers.models import Offer
from hiring.permissions import ANY, reach_of
from hiring.pipeline.models import DEFAULT_STAGES, CandidateSource, Requisition, StageKind
from hiring.reports import rules
from hiring.reports.models import ReportsRefresh, StageStay

KIND_ORDER = [*DEFAULT_STAGES, StageKind.CUSTOM]
KIND_LABELS = dict(StageKind.choices)
LATE_AFTER = timedelta(hours=24)  # a scorecard submitted later than this after the interview


@dataclass(frozen=True)
class Filters:
    requisition: int | None = None
    role: int | None = None
    level: int | None = None
    source: str = ""
    start: date | None = None
    end: date | None = None


@dataclass
class Report:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart: str
    notes: list[str] = field(default_factory=list)
    refreshed: ReportsRefresh | None = None
    from_summary: bool = False  # read from the summary table (its age is shown)

    @property
    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        """Each row's cells with their column's name (a phone shows each row as a card)."""
        return [list(zip(self.columns, row, strict=False)) for row in self.rows]


def _requisitions(user: User) -> QuerySet[Requisition] | None:
    """None: every requisition; otherwise the ones `reports.view` reaches."""
    if ANY in reach_of(user, "reports.view"):
        return None
    return Requisition.objects.filter(hiring_manager=user)


def _stays(user: User, f: Filters) -> QuerySet[StageStay]:
    rows = StageStay.objects.all()
    scope = _requisitions(user)
    if scope is not None:
        rows = rows.filter(requisition_id__in=scope.values("pk"))
    conditions = {
        "requisition_id": f.requisition,
        "role_id": f.role,
        "level_id": f.level,
        "source": f.source or None,
        "applied_on__gte": f.start,
        "applied_on__lte": f.end,
    }
    return rows.filter(**{k: v for k, v in conditions.items() if v is not None})


def _applications_filter(user: User, f: Filters, prefix: str) -> Q:
    """The same filters on a table that reaches the application through `prefix`."""
    p = prefix
    q = Q()
    scope = _requisitions(user)
    if scope is not None:
        q &= Q(**{f"{p}requisition__hiring_manager": user})
    for name, value in {
        "requisition_id": f.requisition,
        "requisition__role_id": f.role,
        "requisition__level_id": f.level,
        "candidate__source": f.source or None,
        "created_at__date__gte": f.start,
        "created_at__date__lte": f.end,
    }.items():
        if value is not None:
            q &= Q(**{f"{p}{name}": value})
    return q


def _refreshed() -> ReportsRefresh | None:
    return ReportsRefresh.objects.order_by("-refreshed_at").first()


def funnel(user: User, f: Filters) -> Report:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, outcome, n in (
        _stays(user, f)
        .values("kind", "outcome")
        .annotate(n=Count("id"))
        .values_list("kind", "outcome", "n")
    ):
        counts[kind][outcome] += n
    rows: list[list[Any]] = []
    for kind in [k for k in KIND_ORDER if k in counts]:
        c = counts[kind]
        entered = sum(c.values())
        rows.append(
            [
                KIND_LABELS[kind],
                entered,
                c["moved"],
                c["rejected"],
                c["withdrawn"],
                c["active"],
                rules.percent(rules.rate(c["moved"], entered)) if kind != StageKind.HIRED else "",
            ]
        )
    chart = rules.bar_chart(
        "Applications entering each stage", [(str(r[0]), float(r[1])) for r in rows]
    )
    return Report(
        "funnel",
        "Funnel",
        ["Stage", "Entered", "Moved on", "Rejected", "Withdrew", "Still there", "Pass-through"],
        rows,
        chart,
        [
            "Entered counts every stay: an application moved back and forward counts again.",
            "Pass-through: the share of those who entered a stage and moved on from it.",
        ],
        _refreshed(),
        from_summary=True,
    )


def time_in_stage(user: User, f: Filters) -> Report:
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    stays = _stays(user, f).filter(days__isnull=False)
    for kind, days, n in (
        stays.values("kind", "days").annotate(n=Count("id")).values_list("kind", "days", "n")
    ):
        if days is not None:  # filtered out above; this tells the type checker
            histograms[kind][days] = n
    rows: list[list[Any]] = []
    for kind in [k for k in KIND_ORDER if k in histograms]:
        h = histograms[kind]
        rows.append(
            [
                KIND_LABELS[kind],
                sum(h.values()),
                rules.percentile(h, 0.5),
                rules.percentile(h, 0.9),
            ]
        )
    slow = list(
        stays.values("requisition_id")
        .annotate(n=Count("id"), total=Count("id", filter=Q(days__gte=14)))
        .order_by("-total", "requisition_id")[:5]
    )
    titles = Requisition.objects.in_bulk([s["requisition_id"] for s in slow])
    notes = [
        "Days are whole days from entering a stage to leaving it; stays not ended yet are left out."
    ]
    for s in slow:
        if s["total"] and s["requisition_id"] in titles:
            notes.append(
                f"Slow: {titles[s['requisition_id']].title}: {s['total']} of {s['n']} stays "
                "lasted 14 days or more."
            )
    chart = rules.bar_chart(
        "Median days in each stage", [(r[0], r[2] or 0) for r in rows], unit=" d"
    )
    return Report(
        "time-in-stage",
        "Time in stage",
        ["Stage", "Stays ended", "Median days", "90th percentile days"],
        rows,
        chart,
        notes,
        _refreshed(),
        from_summary=True,
    )


def sources(user: User, f: Filters) -> Report:
    """One scan of the summary table, counting each application once per figure by the
    rebuild's first-stay flags (two COUNT(DISTINCT)s took 1 s at 1,000,000 applications)."""
    reached: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = {}
    kinds: list[str] = [StageKind.INTERVIEW, StageKind.OFFER, StageKind.HIRED]
    counted: dict[str, Count] = {"total": Count("id", filter=Q(first_of_application=True))}
    counted |= {k: Count("id", filter=Q(kind=k, first_of_kind=True)) for k in kinds}
    for row in _stays(user, f).values("source").annotate(**counted).order_by():
        totals[row["source"]] = row["total"]
        for kind in kinds:
            reached[row["source"]][kind] = row[kind]
    labels = dict(CandidateSource.choices)
    rows: list[list[Any]] = []
    for source, total in sorted(totals.items(), key=lambda item: -item[1]):
        r = reached[source]
        rows.append(
            [
                labels.get(source, source),
                total,
                r[StageKind.INTERVIEW],
                r[StageKind.OFFER],
                r[StageKind.HIRED],
                rules.percent(rules.rate(r[StageKind.HIRED], total)),
            ]
        )
    chart = rules.bar_chart("Hires per source", [(r[0], r[4]) for r in rows])
    return Report(
        "sources",
        "Sources",
        ["Source", "Applications", "Interviewed", "Offered", "Hired", "Yield (hired)"],
        rows,
        chart,
        ["Yield: hires per application from that source."],
        _refreshed(),
        from_summary=True,
    )


def offers(user: User, f: Filters) -> Report:
    rows_q = Offer.objects.filter(_applications_filter(user, f, "application__")).exclude(
        status="superseded"
    )
    by_status = dict(rows_q.values("status").annotate(n=Count("id")).values_list("status", "n"))
    reasons = list(
        rows_q.filter(status="declined")
        .values("response_note")
        .annotate(n=Count("id"))
        .order_by("-n", "response_note")[:10]
    )
    answered = list(
        rows_q.filter(sent_at__isnull=False).values_list(
            "application_id", "sent_at", "responded_at"
        )
    )
    advances: dict[int, Any] = {}
    for application_id, at in Decision.objects.filter(
        outcome="advance", application_id__in=[a for a, _, _ in answered]
    ).values_list("application_id", "decided_at"):
        advances[application_id] = min(at, advances.get(application_id, at))
    to_offer_h: dict[int, int] = defaultdict(int)
    to_answer_h: dict[int, int] = defaultdict(int)
    for a, sent, responded in answered:
        if sent is None:
            continue
        if a in advances:
            to_offer_h[max(0, int((sent - advances[a]).total_seconds() // 86400))] += 1
        if responded:
            to_answer_h[max(0, int((responded - sent).total_seconds() // 86400))] += 1
    accepted, declined = by_status.get("accepted", 0), by_status.get("declined", 0)
    rows: list[list[Any]] = [
        ["Offers (not counting superseded revisions)", sum(by_status.values())],
        ["Sent", len(answered)],
        ["Accepted", accepted],
        ["Declined", declined],
        [
            "Acceptance rate (of those answered)",
            rules.percent(rules.rate(accepted, accepted + declined)),
        ],
        ["Median days from decision to offer sent", rules.percentile(to_offer_h, 0.5)],
        ["Median days from offer sent to answer", rules.percentile(to_answer_h, 0.5)],
    ]
    rows += [[f"Declined: {r['response_note'] or 'no reason given'}", r["n"]] for r in reasons]
    chart = rules.bar_chart(
        "Offers by status",
        [(str(s).capitalize(), n) for s, n in sorted(by_status.items(), key=lambda i: -i[1])],
    )
    return Report(
        "offers",
        "Offers",
        ["Figure", "Value"],
        rows,
        chart,
        ["No offer amounts are shown here.", "Decline reasons are the candidate's answer note."],
    )


def interviewer_load(user: User, f: Filters) -> Report:
    cards = Scorecard.objects.filter(_applications_filter(user, f, "interview__application__"))
    weekly = list(
        cards.annotate(week=TruncWeek("interview__starts_at"))
        .values("interviewer_id", "week")
        .annotate(
            interviews=Count("interview_id", distinct=True),
            submitted=Count("id", filter=Q(status=ScorecardStatus.SUBMITTED)),
            late=Count(
                "id",
                filter=Q(submitted_at__gt=F("interview__ends_at") + LATE_AFTER),
            ),
        )
        .order_by("-week", "interviewer_id")[:200]
    )
    people = User.objects.in_bulk({w["interviewer_id"] for w in weekly})
    rows = [
        [
            w["week"].date().isoformat() if w["week"] else "",
            people[w["interviewer_id"]].get_full_name() or people[w["interviewer_id"]].username,
            w["interviews"],
            w["submitted"],
            w["late"],
        ]
        for w in weekly
    ]
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r[1]] += r[2]
    chart = rules.bar_chart(
        "Interviews per interviewer (weeks shown)", sorted(totals.items(), key=lambda i: -i[1])[:12]
    )
    return Report(
        "interviewer-load",
        "Interviewer load",
        ["Week of", "Interviewer", "Interviews", "Scorecards submitted", "Submitted late"],
        rows,
        chart,
        ["Late: submitted more than 24 hours after the interview ended. The latest 200 rows."],
    )
