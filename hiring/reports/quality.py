"""Quality of hire: how hires turn out at 90 days, 6, 12 and 18 months (the check-ins),
beside the source's figure, and whether what was known at the decision goes with it.

Both read the check-ins of the hires the user's reports reach (hiring managers: their own
requisitions), filtered like every report. Constant queries: one aggregate for the shares;
the check-ins, their decisions' snapshots and the interviewers' names for the correlations.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Decision
from hiring.business_time import company_calendar, local_date
from hiring.checkins.models import CheckIn
from hiring.checkins.rules import (
    HORIZONS,
    MEETS,
    SOURCE_UNDERPERFORM_SHARE,
    SOURCE_UNDERPERFORM_TEXT,
    CheckInStatus,
)
from hiring.reports import rules
from hiring.reports.selectors import Filters, Report, _applications_filter
from hiring.reports.statistics import MIN_N, correlation
from hiring.reports.validity import outcome, predictors

ANSWERED = (CheckInStatus.DONE, CheckInStatus.CLOSED)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def quality_of_hire(user: User, f: Filters) -> Report:
    counts = {
        row["horizon"]: row
        for row in CheckIn.objects.filter(
            _applications_filter(user, f, "application__"),
            status__in=ANSWERED,
            due_on__lte=local_date(timezone.now(), company_calendar()),  # closed early: not yet
        )
        .values("horizon")
        .annotate(
            answered=Count("id"),
            meets=Count("id", filter=Q(still_in_role=True, performance__gte=MEETS)),
            left=Count("id", filter=Q(still_in_role=False) | Q(status=CheckInStatus.CLOSED)),
            again=Count("id", filter=Q(would_hire_again=True)),
        )
    }
    rows, bars = [], []
    for horizon in HORIZONS:
        c = counts.get(horizon.key, {"answered": 0, "meets": 0, "left": 0, "again": 0})
        n = c["answered"]
        enough = n >= MIN_N
        below = n - c["meets"]
        rows.append([
            horizon.label,
            n,
            c["meets"],
            _percent(c["meets"], n) if enough else f"not enough check-ins yet (n = {n})",
            _percent(below, n) if enough else "–",
            c["left"],
            _percent(c["again"], n) if enough else "–",
        ])  # fmt: skip
        if enough:
            bars.append((f"Here, at {horizon.label}", 100 * below / n))
    bars.append(("Source (002), 18 months", 100 * SOURCE_UNDERPERFORM_SHARE))
    chart = rules.bar_chart(
        "Hires below expectations or gone: here, and the source", bars, unit="%"
    )
    return Report(
        "quality-of-hire",
        "Quality of hire",
        [
            "Check-in",
            "Answered",
            "Meeting expectations",
            "Share meeting",
            "Below expectations or left",
            "Left",
            "Would hire again",
        ],
        rows,
        chart,
        [
            f"The source's figure: {SOURCE_UNDERPERFORM_TEXT} (002). Here, at each check-in, "
            "the share of hires below expectations or no longer in the role.",
            "Meeting: Meets or Exceeds expectations and still in the role. A hire who left "
            "counts as not meeting at that check-in and at the later ones (they close), once "
            "those are due.",
            f"Shares are shown from {MIN_N} answered check-ins; on a few dozen hires they move "
            "a lot from one hire to the next.",
        ],
    )


def predictive_validity(user: User, f: Filters) -> Report:
    checkins = CheckIn.objects.filter(
        _applications_filter(user, f, "application__"), status=CheckInStatus.DONE
    )
    done = list(
        checkins.values_list(
            "application_id", "horizon", "performance", "still_in_role", "left_reason"
        )
    )
    snapshots: dict[int, dict[str, object]] = {}
    # The hires' decisions by a subquery: an IN list of every hire's id cost 50 ms to build
    # at 100,000 applications, before the database saw it.
    for application_id, explanation in (
        Decision.objects.filter(
            application_id__in=checkins.values("application_id"), outcome="advance"
        )
        .order_by("application_id", "decided_at", "id")
        .values_list("application_id", "explanation")
    ):
        if explanation:
            snapshots[application_id] = explanation  # the latest advance decision
    interviewer_ids = {
        row.get("interviewer")
        for snap in snapshots.values()
        for row in snap.get("recommendations", [])  # type: ignore[attr-defined]
    }
    names = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(pk__in=[i for i in interviewer_ids if isinstance(i, int)])
    }
    pairs: dict[tuple[str, str], tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    known: dict[int, dict[str, float]] = {}  # each hire's predictors, once for all horizons
    for application_id, horizon, performance, still_in_role, left_reason in done:
        result = outcome(performance, still_in_role, left_reason)
        snapshot = snapshots.get(application_id)
        if result is None or snapshot is None:
            continue
        if application_id not in known:
            known[application_id] = predictors(snapshot, names)
        for label, value in known[application_id].items():
            xs, ys = pairs[(horizon, label)]
            xs.append(value)
            ys.append(result)
    rows, bars = [], []
    order = {h.key: i for i, h in enumerate(HORIZONS)}
    labels = {h.key: h.label for h in HORIZONS}
    for (horizon, label), (xs, ys) in sorted(
        pairs.items(), key=lambda i: (order[i[0][0]], i[0][1])
    ):
        r = correlation(xs, ys)
        if r.enough:
            interval = f"{r.low:+.2f} to {r.high:+.2f}" if r.low is not None else "–"
            rows.append([labels[horizon], label, r.n, f"{r.rho:+.2f}", interval])
            if label == "Mean rating":
                bars.append((f"{labels[horizon]}: mean rating", max(0.0, 100 * (r.rho or 0))))
        else:
            rows.append([labels[horizon], label, r.n,
                         f"not enough data (n = {r.n}, needs {r.minimum})", "–"])  # fmt: skip
    chart = rules.bar_chart("Mean rating against the outcome: Spearman's rho × 100", bars)
    return Report(
        "predictive-validity",
        "Predictive validity",
        ["Check-in", "Known at the decision", "Hires (n)", "Spearman's rho", "95% interval"],
        rows,
        chart,
        [
            "Each row: the rank correlation between what the decision's snapshot recorded and "
            "the outcome at that check-in (the performance level, 1 Below to 4 Exceeds "
            "expectations; a hire who left for their performance counts as 1).",
            "A positive rho: higher at the interview went with better later. The interval "
            "(Fisher's z) says how sure: on a few dozen hires it is wide, and a correlation "
            "that small is weak evidence either way. It is not shown below "
            f"{MIN_N} hires.",
            "Only hires advanced at a debrief with a recorded snapshot count.",
        ],
    )
