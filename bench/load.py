"""The whole team at once: a mixed load against gunicorn, PostgreSQL, Redis, a Celery worker
and beat on this machine, for a bounded time, loopback only.

    .venv/bin/python bench/load.py [--duration 180] [--applications 10000] [--workers 9]

Who is on the app (the issue's mix): 60 recruiters (board, list, search, candidate page, a
stage move, a note), 100 interviewers (their scorecard page, an autosave every 2 s), 20 hiring
managers (home, a debrief, the offers they approve) and 20 API clients (list and detail
reads). Interviewers join over the first 20 s and submit their scorecard before the end.
Each virtual user loops with a think time until the deadline, then stops: every loop is
bounded in time, every request goes to 127.0.0.1. Then, in the same run, the ceiling:
20 clients on /bench/ceiling/ (50 rows of raw SQL as JSON, routed only with
BENCH_CEILING_VIEW) for 10 s. The Celery beat runs the reminder sweep every minute; the
worker's log says how long each sweep took.

Prints per endpoint: count, p50, p95, p99, errors; the throughput; the ceiling; the sweeps.
Targets (exit 1 when missed): page p95 < 250 ms, autosave p95 < 100 ms, 0 errors, every
sweep within its interval. DATABASE_URL defaults to .../hiring_bench_load (made afresh).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hiring_bench_load"
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefgh")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ["BENCH_CEILING_VIEW"] = "true"
os.environ["CELERY_BROKER_URL"] = BROKER
os.environ["REMINDER_SWEEP_MINUTES"] = "1"
AIM_PAGE_P95, AIM_AUTOSAVE_P95 = 250.0, 100.0
MIX = {"recruiter": 60, "interviewer": 100, "manager": 20, "api": 20}

from report import emit  # noqa: E402 - bench/report.py, after sys.path


def sessions(user: Any, how_many: int) -> list[dict[str, str]]:
    """Signed-in browsers of `user`: a session row and a CSRF cookie each."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    out = []
    for _ in range(how_many):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "hiring.sso.backends.PasswordBackend"  # as a login sets
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32)
        out.append(
            {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
            }
        )
    return out


def world(applications: int) -> dict[str, Any]:
    from autosave import prepare
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db.models import Count, Q

    from hiring.accounts import token_create
    from hiring.permissions import RECRUITER
    from hiring.pipeline.models import Application, Requisition

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", applications=applications, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from assessments.models import Scorecard

    interviewers = prepare(MIX["interviewer"])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics (search picked a scan of every candidate)
    cards = [p["scorecard"] for p in interviewers]
    of = dict(Scorecard.objects.filter(pk__in=cards).values_list("pk", "interview_id"))
    for person in interviewers:
        person["interview"] = of[person["scorecard"]]
    bench_apps = list(
        Application.objects.filter(requisition__title__startswith="Autosave bench")
        .select_related("requisition")
        .order_by("id")
    )
    requisition = bench_apps[0].requisition
    stages = list(requisition.stages.order_by("position").values_list("pk", flat=True))[:3]
    recruiter = User.objects.get(username="bench-recruiter")
    recruiter.groups.add(Group.objects.get(name=RECRUITER))
    largest = (
        Requisition.objects.annotate(
            n=Count("applications", filter=Q(applications__status="active"))
        )
        .order_by("-n")
        .first()
    )
    return {
        "interviewers": interviewers,
        "recruiters": sessions(recruiter, MIX["recruiter"]),
        "managers": sessions(requisition.hiring_manager, MIX["manager"]),
        "tokens": [token_create(user=api_user(n)) for n in range(MIX["api"])],
        "apps": [(a.candidate_id, a.pk) for a in bench_apps],
        "stages": stages,
        "board": f"/requisitions/{largest.pk}/board/" if largest else "/requisitions/",
    }


def api_user(n: int) -> Any:
    """An API client: a recruiter of its own (a user holds at most 10 tokens)."""
    from django.contrib.auth.models import Group, User

    from hiring.permissions import RECRUITER

    user, _ = User.objects.get_or_create(username=f"bench-api-{n}")
    user.groups.add(Group.objects.get(name=RECRUITER))
    return user


class Results:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    async def call(self, client: Any, name: str, method: str, url: str, **kw: Any) -> Any:
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kw)
        except Exception as error:  # noqa: BLE001 - an error of the run, counted
            self.errors[name].append(type(error).__name__)
            return None
        self.times[name].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            self.errors[name].append(f"HTTP {response.status_code}")
        return response


async def recruiter(
    c: Any, r: Results, w: dict[str, Any], h: dict[str, str], rng: Any, stop: float
) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(rng.uniform(0, 3))
    while loop.time() < stop:
        candidate, app = rng.choice(w["apps"])
        step = rng.random()
        if step < 0.2:
            await r.call(c, "board", "GET", w["board"], headers=h)
        elif step < 0.4:
            await r.call(c, "candidate list", "GET", "/candidates/", headers=h)
        elif step < 0.55:
            await r.call(c, "search", "GET", "/candidates/?q=Maria", headers=h)
        elif step < 0.8:
            await r.call(c, "candidate page", "GET", f"/candidates/{candidate}/", headers=h)
        elif step < 0.9:
            await r.call(
                c,
                "stage move",
                "POST",
                f"/candidates/{candidate}/applications/{app}/move/",
                data={"stage": rng.choice(w["stages"])},
                headers=h,
            )
        else:
            await r.call(
                c,
                "note",
                "POST",
                f"/candidates/{candidate}/notes/",
                data={"application": app, "body": "Load test note."},
                headers=h,
            )
        await asyncio.sleep(rng.uniform(2, 4))


async def interviewer(c: Any, r: Results, p: dict[str, Any], rng: Any, stop: float) -> None:
    """Joins within the first 20 s (interviews do not all start in the same second), opens
    the scorecard, autosaves every 2 s, and submits it 5-15 s before the end."""
    import json

    loop = asyncio.get_running_loop()
    h = {"Cookie": p["cookie"], "X-CSRFToken": p["csrf"]}
    await asyncio.sleep(rng.uniform(0, 20))
    await r.call(c, "scorecard page", "GET", f"/interviews/{p['interview']}/scorecard/", headers=h)
    notes, due, submit_at = "", loop.time(), stop - rng.uniform(5, 15)
    while loop.time() < submit_at:
        notes += rng.choice(["Walked through the rollback. ", "Knew the p99. "])
        answer: dict[str, Any] = {"question_version": rng.choice(p["answers"]), "notes": notes}
        body = json.dumps({"version": p["version"], "answers": [answer]})
        response = await r.call(
            c,
            "autosave",
            "POST",
            f"/scorecards/{p['scorecard']}/save/",
            content=body,
            headers={**h, "Content-Type": "application/json"},
        )
        if response is not None and response.status_code == 200:
            p["version"] = response.json()["version"]
        due += 2.0
        await asyncio.sleep(max(0.0, due - loop.time()))
    form = {"version": str(p["version"]), "action": "submit", "recommendation": "yes"}
    form |= {f"rating-{qv}": "3" for qv in p["answers"]}
    form |= {f"notes-{qv}": notes or "Walked through the rollback." for qv in p["answers"]}
    await r.call(
        c, "submit", "POST", f"/interviews/{p['interview']}/scorecard/post/", data=form, headers=h
    )


async def manager(
    c: Any, r: Results, w: dict[str, Any], h: dict[str, str], rng: Any, stop: float
) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(rng.uniform(0, 5))
    while loop.time() < stop:
        _candidate, app = rng.choice(w["apps"])
        name, url = rng.choice(
            [("home", "/"), ("debrief", f"/applications/{app}/debrief/"), ("approvals", "/offers/")]
        )
        await r.call(c, name, "GET", url, headers=h)
        await asyncio.sleep(rng.uniform(4, 6))


async def api(c: Any, r: Results, w: dict[str, Any], token: str, rng: Any, stop: float) -> None:
    loop = asyncio.get_running_loop()
    h = {"Authorization": f"Token {token}"}
    await asyncio.sleep(rng.uniform(0, 2))
    while loop.time() < stop:
        if rng.random() < 0.5:
            await r.call(c, "API list", "GET", "/api/applications/", headers=h)
        else:
            await r.call(
                c, "API detail", "GET", f"/api/applications/{rng.choice(w['apps'])[1]}/", headers=h
            )
        await asyncio.sleep(rng.uniform(1, 3))


async def ceiling(c: Any, r: Results, stop: float) -> None:
    loop = asyncio.get_running_loop()
    while loop.time() < stop:
        await r.call(c, "ceiling", "GET", "/bench/ceiling/")


async def run(base: str, w: dict[str, Any], duration: float) -> tuple[Results, float, float]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    rng = random.Random(17)  # noqa: S311 - load shape
    results = Results()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        stop = asyncio.get_running_loop().time() + duration
        started = time.perf_counter()
        tasks = [
            recruiter(client, results, w, h, random.Random(rng.random()), stop)
            for h in w["recruiters"]
        ]
        tasks += [
            interviewer(client, results, p, random.Random(rng.random()), stop)
            for p in w["interviewers"]
        ]
        tasks += [
            manager(client, results, w, h, random.Random(rng.random()), stop) for h in w["managers"]
        ]
        tasks += [
            api(client, results, w, t, random.Random(rng.random()), stop) for t in w["tokens"]
        ]
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
        ceiling_results = Results()
        stop = asyncio.get_running_loop().time() + 10
        started = time.perf_counter()
        await asyncio.gather(*(ceiling(client, ceiling_results, stop) for _ in range(20)))
        ceiling_rate = len(ceiling_results.times["ceiling"]) / (time.perf_counter() - started)
    results.times["ceiling"] = ceiling_results.times["ceiling"]
    results.errors["ceiling"] = ceiling_results.errors["ceiling"]
    return results, wall, ceiling_rate


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def processes(port: int, workers: int, log: Path) -> list[subprocess.Popen[bytes]]:
    from autosave import start_server

    env = {**os.environ}
    bin_ = ROOT / ".venv" / "bin"
    out = log.open("wb")
    server = start_server(port, workers)  # first: it raises when it does not come up
    celery = [
        subprocess.Popen(
            [
                str(bin_ / "celery"),
                "-A",
                "hiring",
                "worker",
                "--loglevel=INFO",
                "--pool=threads",
                "--concurrency=2",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                str(bin_ / "celery"),
                "-A",
                "hiring",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(log.with_suffix(".beat")),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        ),
    ]
    return [server, *celery]


def sweeps(log: Path) -> list[float]:
    """Seconds each sweep task took, from the worker's log."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return [float(s) for s in re.findall(r"sweep\S*\] succeeded in ([0-9.]+)s", text)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=180.0)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument(
        "--workers", type=int, default=9, help="gunicorn sync workers (production's for 2 cores)"
    )
    parser.add_argument(
        "--team",
        type=float,
        default=1.0,
        help="the share of the issue's team to put on (0.5: 30 recruiters, 50 interviewers, "
        "10 managers, 10 API clients), to find what a machine holds within the targets",
    )
    args = parser.parse_args()
    if not (0.05 <= args.team <= 4):
        print("bounds: a team share of 0.05-4")
        return 2
    MIX.update({role: max(1, round(n * args.team)) for role, n in MIX.items()})
    if not (10 <= args.duration <= 600):
        print("bounds: a duration of 10-600 s")
        return 2
    from autosave import free_port
    from pipeline import django_on_postgres

    if not django_on_postgres("load.py", DEFAULT_URL):
        return 2
    from django.db import connection

    w = world(args.applications)
    connection.close()
    port, log = free_port(), ROOT / "var" / "bench-load-celery.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    running = processes(port, args.workers, log)
    try:
        results, wall, ceiling_rate = asyncio.run(run(f"http://127.0.0.1:{port}", w, args.duration))
    finally:
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    return report(results, wall, ceiling_rate, sweeps(log), args)


def report(
    results: Results, wall: float, ceiling_rate: float, swept: list[float], args: Any
) -> int:
    lines = [
        "| endpoint | count | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    missed = []
    total = 0
    names = set(results.times) | set(results.errors)
    for name in sorted(names, key=lambda n: (n == "ceiling", n)):
        times, errors = results.times[name], results.errors[name]
        if name != "ceiling":
            total += len(times) + len(errors)
        p95 = percentile(times, 0.95)
        lines.append(
            f"| {name} | {len(times):,} | {percentile(times, 0.5):.1f} | {p95:.1f} "
            f"| {percentile(times, 0.99):.1f} | {len(errors)} |"
        )
        aim = AIM_AUTOSAVE_P95 if name == "autosave" else AIM_PAGE_P95
        if name != "ceiling" and (p95 >= aim or errors):
            missed.append(f"{name}: p95 {p95:.0f} ms (target {aim:.0f}), {len(errors)} errors")
        if name != "ceiling" and times:
            emit(
                f"load: {name}",
                median_ms=statistics.median(times),
                p95_ms=p95,
                size=(
                    f"{MIX['recruiter']} recruiters, {MIX['interviewer']} interviewers, "
                    f"{MIX['manager']} managers, {MIX['api']} API clients"
                ),
                note=f"p99 {percentile(times, 0.99):.0f} ms, {len(errors)} errors",
            )
    interval = 60.0
    late = [s for s in swept if s >= interval]
    if late or not swept:
        missed.append(f"sweeps: {swept or 'none ran'} (interval {interval:.0f} s)")
    print("\n".join(lines))
    print(
        f"\nThroughput: {total / wall:.0f} requests/s over {wall:.0f} s; ceiling (bare raw-SQL "
        f"JSON view, 50 rows, same server, 20 clients): {ceiling_rate:.0f} requests/s."
    )
    print(
        f"Reminder sweeps during the run: {', '.join(f'{s:.2f} s' for s in swept) or 'none'}; "
        f"{args.applications:,} applications, gunicorn {args.workers} workers."
    )
    emit(
        "load: throughput",
        median_ms=None,
        size=f"{args.duration:.0f} s",
        note=f"{total / wall:.0f} req/s; ceiling {ceiling_rate:.0f} req/s",
    )
    kinds = Counter(e for errors in results.errors.values() for e in errors)
    if kinds:
        print(f"Errors by kind: {dict(kinds.most_common())}")
    for line in missed:
        print(f"MISSED {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
