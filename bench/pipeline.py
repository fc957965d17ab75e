"""Pipeline benchmark: the board, the candidate list, a search and the list API on PostgreSQL.

    .venv/bin/python bench/pipeline.py [--sizes 10000,100000] [--repeat 30]

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
AIM_MS = 150.0

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefgh")
os.environ.setdefault("DEBUG", "false")  # production settings: no debug overhead
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


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


def raw_sql_ms(statements: list[str], repeat: int) -> float:
    """The captured statements, re-run on the driver's cursor (no ORM), median of runs."""
    from django.db import connection

    runs = []
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg2's own cursor: no Django wrapper in the way
        for _ in range(repeat):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def measure(client: Any, url: str, repeat: int) -> dict[str, Any]:
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
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [q["sql"] for q in captured.captured_queries]
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
    statements = [s for s in statements if not s.upper().startswith(skip)]
    sql_ms = raw_sql_ms(statements, max(5, repeat // 3))
    median = statistics.median(times)
    return {
        "median": median,
        "p95": percentile(times, 0.95),
        "queries": len(captured),
        "sql": sql_ms,
        "ratio": median / sql_ms if sql_ms else float("nan"),
    }


def targets() -> list[tuple[str, Callable[[], str]]]:
    from django.db.models import Count, Q

    from hiring.models import Requisition
    from hiring.seeding import FIRST_NAMES

    def board() -> str:
        largest = (
            Requisition.objects.annotate(
                n=Count("applications", filter=Q(applications__status="active"))
            )
            .order_by("-n")
            .first()
        )
        return f"/requisitions/{largest.pk}/board/" if largest else "/requisitions/0/board/"

    return [
        ("board of the largest requisition", board),
        ("candidate list page", lambda: "/candidates/"),
        (f"search ?q={FIRST_NAMES[0]}", lambda: f"/candidates/?q={FIRST_NAMES[0]}"),
        ("list API", lambda: "/api/applications/"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if not django_on_postgres("pipeline.py", DEFAULT_URL):
        return 2
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from hiring.models import Application

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
    return 0


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
        note="" if result["median"] < AIM_MS else f"over the {AIM_MS:.0f} ms aim",
    )


def table(rows: list[tuple[int, str, str, dict[str, Any]]]) -> str:
    lines = [
        "| applications | request | median ms | p95 ms | queries | raw SQL ms | request / SQL |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for total, label, target, r in rows:
        if "missing" in r:
            lines.append(f"| {total:,} | {label} (`{target}`) | {r['missing']} | | | | |")
            continue
        flag = "" if r["median"] < AIM_MS else " ⚠"
        lines.append(
            f"| {total:,} | {label} | {r['median']:.1f}{flag} | {r['p95']:.1f} | {r['queries']} "
            f"| {r['sql']:.1f} | {r['ratio']:.1f}× |"
        )
    lines.append(f"\nAim: every median under {AIM_MS:.0f} ms at 100,000 applications (⚠: over).")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
