"""Hot pages benchmark: the recruiter's home page, the requisition list, the board, the
candidate list (every sort), search, the list API, the candidate page, the debrief, the offers
list and dashboard on PostgreSQL, at several sizes.

    .venv/bin/python bench/pipeline.py [--sizes 10000,100000,1000000] [--repeat 30]
    BENCH_SIZES=10000,100000 .venv/bin/python bench/pipeline.py

Targets (exit status 1 when one is missed): median under 100 ms and p95 under 200 ms;
request time over its own SQL re-run raw at most 4x for pages and 2x for the API (from
100,000 applications on); the same number of queries at every size. The curve (median ms
per page against the size) is written to docs/bench-curve.svg.

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/hiring_bench, which this script
drops and creates afresh (a database given in DATABASE_URL is never dropped: it is only
topped up). It migrates, loads the playbook, seeds each size with `seed_demo
--applications N`, then times each request in-process with Django's test Client, logged in
as the demo recruiter: the full request/response cycle, without the network. For each
request it prints the median and 95th percentile, the number of SQL queries, and the time
of the same SQL re-run raw on a cursor, so the share spent outside the database shows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hiring_bench"
AIM_MS = 100.0  # median
AIM_P95_MS = 200.0
AIM_RATIO_PAGE = 4.0
AIM_RATIO_API = 2.0
RATIO_FROM = 100_000  # the sizes for the ratio: 100,000 and 1,000,000 applications
CURVE = ROOT / "docs" / "bench-curve.svg"

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefgh")
os.environ.setdefault("DEBUG", "false")  # production settings: no debug overhead
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMAIL_URL", "locmem://")  # never e-mail anyone from a benchmark


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def django_on_postgres(script: str, default_url: str) -> bool:
    """Shared start of every benchmark: PostgreSQL only (a fresh database when it is the
    script's own default), Django set up, migrated, the playbook loaded. False: not PostgreSQL."""
    url = os.environ.setdefault("DATABASE_URL", default_url)
    if not url.startswith(("postgres://", "postgresql://")):
        print(f"bench/{script} needs PostgreSQL; DATABASE_URL is {url}")
        return False
    if url == default_url:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_playbook", verbosity=0)
    return True


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def raw_sql_run(cursor: Any, statements: list[str]) -> float:
    """One run of the captured statements on the driver's cursor (no ORM), in ms."""
    started = time.perf_counter()
    for sql in statements:
        cursor.execute(sql)
        if cursor.description is not None:
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(client: Any, url: str, repeat: int) -> dict[str, Any]:
    """The request's median and p95, and its SQL re-run raw. The two are timed in turns (a
    request, then its statements raw), so a machine that speeds up or slows down during
    the run moves both and leaves their ratio alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return {"missing": "page not built yet (no URL)"}
    for _ in range(3):  # warm up: templates, connection, caches
        response = client.get(url)
        if response.status_code != 200:
            return {"missing": f"HTTP {response.status_code}"}
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Read now: every request clears the connection's query log (request_started).
    statements = [q["sql"] for q in captured.captured_queries]
    queries = len(statements)
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
    statements = [s for s in statements if not s.upper().startswith(skip)]
    times, raw = [], []
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg2's own cursor: no Django wrapper in the way
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            raw.append(raw_sql_run(cursor, statements))
    median, sql_ms = statistics.median(times), statistics.median(raw)
    return {
        "median": median,
        "p95": percentile(times, 0.95),
        "queries": queries,
        "sql": sql_ms,
        "ratio": median / sql_ms if sql_ms else float("nan"),
    }


def targets() -> list[tuple[str, Callable[[], str]]]:
    from django.db.models import Count, Q

    from hiring.demo.pipeline import FIRST_NAMES
    from hiring.pipeline.models import Application, Requisition

    def largest() -> Requisition | None:
        return (
            Requisition.objects.annotate(
                n=Count("applications", filter=Q(applications__status="active"))
            )
            .order_by("-n")
            .first()
        )

    def board() -> str:
        found = largest()
        return f"/requisitions/{found.pk}/board/" if found else "/requisitions/0/board/"

    def interviewed() -> Application | None:
        # The demo interviews' applications: a candidate page and a debrief with scorecards.
        return Application.objects.filter(interviews__isnull=False).order_by("-id").first()

    def candidate() -> str:
        app = interviewed()
        return f"/candidates/{app.candidate_id}/" if app else "/candidates/0/"

    def debrief() -> str:
        app = interviewed()
        return f"/applications/{app.pk}/debrief/" if app else "/applications/0/debrief/"

    sorts = ["name", "requisition", "stage", "-stage", "days", "added"]
    return [
        ("recruiter's home page", lambda: "/"),
        ("requisition list", lambda: "/requisitions/"),
        ("board of the largest requisition", board),
        ("candidate list page", lambda: "/candidates/"),
        *((f"candidate list ?sort={s}", lambda s=s: f"/candidates/?sort={s}") for s in sorts),
        (f"search ?q={FIRST_NAMES[0]}", lambda: f"/candidates/?q={FIRST_NAMES[0]}"),
        ("list API", lambda: "/api/applications/"),
        ("candidate page", candidate),
        ("debrief", debrief),
        ("offers list", lambda: "/offers/"),
        ("offers dashboard", lambda: "/offers/dashboard/"),
    ]


def missed(label: str, result: dict[str, Any], total: int) -> list[str]:
    """The targets this measurement misses at `total` applications (empty: all met). The
    request / SQL ratio is held from RATIO_FROM applications on: below, a page's SQL takes
    a millisecond or two and the ratio measures the fixed cost of any request."""
    if "missing" in result:
        return [result["missing"]]
    out = []
    if result["median"] >= AIM_MS:
        out.append(f"median over {AIM_MS:.0f} ms")
    if result["p95"] >= AIM_P95_MS:
        out.append(f"p95 over {AIM_P95_MS:.0f} ms")
    limit = AIM_RATIO_API if "API" in label else AIM_RATIO_PAGE
    if total >= RATIO_FROM and result["ratio"] > limit:
        out.append(f"over {limit:.0f}x its SQL")
    return out


def curve(rows: list[tuple[int, str, str, dict[str, Any]]], path: Path = CURVE) -> None:
    """Median ms per page against the number of applications (log scale): an SVG."""
    import math

    series: dict[str, list[tuple[int, float]]] = {}
    for total, label, _target, r in rows:
        if "median" in r:
            series.setdefault(label, []).append((total, r["median"]))
    sizes = sorted({t for t, *_ in rows})
    if not series or len(sizes) < 1:
        return
    width, height, left, top, right, bottom = 760, 420, 60, 20, 250, 50
    lo, hi = math.log10(min(sizes)), math.log10(max(sizes)) or 1
    top_ms = max(AIM_MS * 1.2, max(ms for pts in series.values() for _, ms in pts) * 1.1)

    def x(total: int) -> float:
        span = (hi - lo) or 1
        return left + (math.log10(total) - lo) / span * (width - left - right)

    def y(ms: float) -> float:
        return top + (1 - ms / top_ms) * (height - top - bottom)

    colours = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#2e4057",
               "#c9733a", "#4f6d7a", "#9b2226", "#588157", "#6c757d", "#e76f51",
               "#264653"]  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11" role="img">',
        "<title>Median request time per hot page against the number of applications</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{left}" y1="{y(AIM_MS):.1f}" x2="{width - right}" y2="{y(AIM_MS):.1f}" '
        f'stroke="#999" stroke-dasharray="4 3"/>',
        f'<text x="{width - right - 4}" y="{y(AIM_MS) - 4:.1f}" text-anchor="end" fill="#666">'
        f"target: median {AIM_MS:.0f} ms</text>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
        'stroke="black"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
    ]
    for total in sizes:
        parts.append(
            f'<text x="{x(total):.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{total:,}</text>"
        )
    for step in range(0, int(top_ms) + 1, 25 if top_ms < 300 else 100):
        parts.append(f'<text x="{left - 6}" y="{y(step) + 4:.1f}" text-anchor="end">{step}</text>')
    parts.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 12}" text-anchor="middle">'
        "applications (log scale)</text>"
    )
    parts.append(
        f'<text x="14" y="{(top + height - bottom) / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(top + height - bottom) / 2:.0f})">median ms</text>'
    )
    for n, (label, points) in enumerate(series.items()):
        colour = colours[n % len(colours)]
        path_d = " ".join(
            f"{'M' if i == 0 else 'L'}{x(t):.1f},{y(ms):.1f}" for i, (t, ms) in enumerate(points)
        )
        parts.append(f'<path d="{path_d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for t, ms in points:
            parts.append(f'<circle cx="{x(t):.1f}" cy="{y(ms):.1f}" r="3" fill="{colour}"/>')
        legend_y = top + 10 + n * 16
        parts.append(
            f'<rect x="{width - right + 12}" y="{legend_y - 8}" width="10" height="10" '
            f'fill="{colour}"/>'
        )
        parts.append(f'<text x="{width - right + 28}" y="{legend_y + 1}">{escape(label)}</text>')
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10000,100000"))
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if not django_on_postgres("pipeline.py", DEFAULT_URL):
        return 2
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from hiring.pipeline.models import Application

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - demo users
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        call_command("seed_demo", applications=size, stdout=open(os.devnull, "w"))  # noqa: SIM115
        seeded = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        total = Application.objects.count()
        print(f"seeded up to {total:,} applications in {seeded:.1f} s", flush=True)
        client = Client()
        client.force_login(User.objects.get(username="recruiter"))
        for label, path in targets():
            target = path()
            result = measure(client, target, args.repeat)
            rows.append((total, label, target, result))
            report_row(total, label, result)
            print(f"  {label}: {result}", flush=True)
    print()
    print(table(rows))
    curve(rows)
    print(f"\ncurve written to {CURVE.relative_to(ROOT)}")
    failures = [
        f"{total:,} {label}: {', '.join(why)}"
        for total, label, _t, r in rows
        if (why := missed(label, r, total))
    ]
    counts: dict[str, set[int]] = {}
    for _total, label, _t, r in rows:
        if "queries" in r:
            counts.setdefault(label, set()).add(r["queries"])
    failures += [f"{label}: query count varies with size {sorted(c)}" for label, c in
                 counts.items() if len(c) > 1]  # fmt: skip
    for line in failures:
        print(f"MISSED {line}")
    return 1 if failures else 0


def report_row(total: int, label: str, result: dict[str, Any]) -> None:
    """The row for `make bench`'s table (bench/report.py)."""
    from report import emit

    size = f"{total:,} applications"
    if "missing" in result:
        emit(label, median_ms=None, size=size, note=result["missing"])
        return
    emit(
        label,
        median_ms=result["median"],
        p95_ms=result["p95"],
        queries=result["queries"],
        sql_ms=result["sql"],
        ratio=result["ratio"],
        size=size,
        note=", ".join(missed(label, result, total)),
    )


Check = Callable[[str, dict[str, Any], int], list[str]]


def table(
    rows: list[tuple[int, str, str, dict[str, Any]]],
    check: Check = missed,
    targets: str = "",
) -> str:
    """The rows as a Markdown table; ⚠ marks a row `check` finds a missed target in."""
    lines = [
        "| applications | request | median ms | p95 ms | queries | raw SQL ms | request / SQL |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for total, label, target, r in rows:
        if "missing" in r:
            lines.append(f"| {total:,} | {label} (`{target}`) | {r['missing']} | | | | |")
            continue
        flag = " ⚠" if check(label, r, total) else ""
        lines.append(
            f"| {total:,} | {label} | {r['median']:.1f}{flag} | {r['p95']:.1f} | {r['queries']} "
            f"| {r['sql']:.1f} | {r['ratio']:.1f}× |"
        )
    lines.append(
        targets
        or f"\nTargets: median < {AIM_MS:.0f} ms, p95 < {AIM_P95_MS:.0f} ms, request / SQL <= "
        f"{AIM_RATIO_PAGE:.0f}x (pages), <= {AIM_RATIO_API:.0f}x (API) from {RATIO_FROM:,} "
        "applications on; ⚠: a target missed."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
