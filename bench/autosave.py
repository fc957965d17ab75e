"""Autosave benchmark: 50 interviewers saving their scorecards every 2 seconds, on loopback,
against gunicorn and PostgreSQL.

    .venv/bin/python bench/autosave.py [--interviewers 50] [--interval 2] [--duration 60]
                                       [--workers 4]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/hiring_bench_autosave, which this
script drops and creates afresh (a database given in DATABASE_URL is never dropped). It
migrates, loads the playbook, schedules one interview per interviewer through the services and
opens each scorecard, logs every interviewer in (a session row and a CSRF token, as a browser
would hold them), starts gunicorn on a free loopback port, and runs a bounded asyncio client
(httpx): each interviewer POSTs one autosave to /scorecards/<id>/save/ every `interval`
seconds for `duration` seconds, its notes growing as if typed, now and then a rating, always
with the version the last save returned. It prints the median, 95th and 99th percentile and
worst save latency, the throughput, the errors (any answer but 200, or a failed connection),
and the SQL statements one save runs. Aim: median under 30 ms, p99 under 150 ms, no error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hiring_bench_autosave"
AIM_MEDIAN_MS, AIM_P99_MS = 30.0, 150.0
# Warm-up: "fast" answers in a row before measuring (raise it on a busy machine).
FAST_SECONDS = float(os.environ.get("BENCH_WARM_SECONDS", "0.1"))

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefgh")
os.environ.setdefault("DEBUG", "false")  # production settings: no debug overhead
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")  # invites are not what is measured
os.environ.setdefault("EMAIL_URL", "locmem://")

from pipeline import django_on_postgres, percentile  # noqa: E402
from report import emit  # noqa: E402  bench/report.py: figures for `make bench`'s one table


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(interviewers: int) -> list[dict[str, Any]]:
    """One interview and open scorecard per interviewer; returns their ids and cookies."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from assessments.services.interviews import QuestionAssignment, interview_schedule
    from assessments.services.scorecards import scorecard_open
    from hiring.permissions import HIRING_MANAGER, INTERVIEWER, RECRUITER
    from hiring.pipeline.models import Candidate
    from hiring.pipeline.services.applications import application_create
    from hiring.pipeline.services.requisitions import requisition_create
    from roles.models import LoopQuestion, RoleProfile

    def person(username: str, role: str) -> Any:
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": username})
        user.email = f"{username}@example.com"
        user.save()
        user.groups.add(Group.objects.get(name=role))
        return user

    recruiter = person("bench-recruiter", RECRUITER)
    manager = person("bench-manager", HIRING_MANAGER)
    role = RoleProfile.objects.get(slug="applied-ml-engineer")
    requisition = requisition_create(
        title=f"Autosave bench {time.time():.0f}",
        role=role,
        level=role.levels.order_by("position").last(),
        hiring_manager=manager,
        recruiter=recruiter,
        opened_on=timezone.localdate(),
        actor=recruiter,
    )
    loop = [
        QuestionAssignment(step.question.current_version)
        for step in LoopQuestion.objects.filter(role=role)
        .select_related("question__current_version")
        .order_by("position")
    ]
    people = []
    for n in range(interviewers):
        interviewer = person(f"bench-interviewer-{n}", INTERVIEWER)
        candidate = Candidate.objects.create(name=f"Bench candidate {n}", email=f"c{n}@example.org")
        application = application_create(
            candidate=candidate, requisition=requisition, actor=recruiter
        )
        interview = interview_schedule(
            application=application,
            actor=recruiter,
            round_name="Structured interview",
            starts_at=timezone.now(),
            duration_minutes=60,
            interviewers=[interviewer],
            questions=loop,
        )
        card = scorecard_open(interview=interview, interviewer=interviewer)
        session = SessionStore()
        session[SESSION_KEY] = str(interviewer.pk)
        session[BACKEND_SESSION_KEY] = "hiring.sso.backends.PasswordBackend"  # as a login sets
        session[HASH_SESSION_KEY] = interviewer.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32)
        people.append(
            {
                "scorecard": card.pk,
                "version": card.version,
                "answers": list(card.answers.values_list("question_version_id", flat=True)),
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "csrf": csrf,
                "user": interviewer,
            }
        )
    return people


def statements_of_one_save(person: dict[str, Any]) -> list[str]:
    """The SQL of one autosave request, through Django's test client (in this process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=False)
    client.force_login(person["user"])
    body = {"version": person["version"], "summary": "Warm-up."}
    url = f"/scorecards/{person['scorecard']}/save/"
    first = client.post(url, json.dumps(body), content_type="application/json")
    person["version"] = first.json()["version"]
    body = {
        "version": person["version"],
        "answers": [{"question_version": person["answers"][0], "notes": "One more sentence."}],
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, json.dumps(body), content_type="application/json")
    person["version"] = response.json()["version"]
    statements = [q["sql"] for q in captured.captured_queries]  # before the next request resets
    times = []
    for _ in range(200):  # the same request in this process: Django's own share, no network
        body["version"] = person["version"]
        started = time.perf_counter()
        response = client.post(url, json.dumps(body), content_type="application/json")
        times.append((time.perf_counter() - started) * 1000)
        person["version"] = response.json()["version"]
    person["in_process_ms"] = statistics.median(times)
    return statements


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_CONN_MAX_AGE": "60"}
    command = [  # production's configuration (gc.freeze, limits), on loopback, no access log
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-c", "python:hiring.gunicorn_conf",
        "hiring.wsgi",
        "--access-logfile", os.devnull,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--preload",
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    if not warmed_up(port):
        server.terminate()
        raise RuntimeError("gunicorn did not answer quickly within 60 s")
    return server


def warmed_up(port: int) -> bool:
    """The port accepts before every worker has booted: wait until 20 requests in a row
    are answered fast, so the measurement starts with all workers ready."""
    import urllib.request

    deadline, fast = time.monotonic() + 60, 0
    while time.monotonic() < deadline and fast < 20:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as answer:  # noqa: S310 - loopback
                answer.read()
            fast = fast + 1 if time.perf_counter() - started < FAST_SECONDS else 0
        except OSError:
            fast = 0
            time.sleep(0.2)
    return fast >= 20


async def interviewer(
    client: Any, base: str, person: dict[str, Any], interval: float, stop_at: float,
    latencies: list[float], errors: list[str],
) -> None:  # fmt: skip
    loop = asyncio.get_running_loop()
    rng = random.Random(person["scorecard"])  # noqa: S311 - load shape, not security
    await asyncio.sleep(rng.uniform(0, interval))  # spread the interviewers over the interval
    notes, due = "", loop.time()
    url = f"{base}/scorecards/{person['scorecard']}/save/"
    headers = {
        "Cookie": person["cookie"],
        "X-CSRFToken": person["csrf"],
        "Content-Type": "application/json",
    }
    while loop.time() < stop_at:
        notes += rng.choice(["Walked through the rollback. ", "Knew the p99. ", "Owned on-call. "])
        answer: dict[str, Any] = {"question_version": rng.choice(person["answers"]), "notes": notes}
        if rng.random() < 0.2:
            answer["rating"] = rng.randint(1, 4)
        body = json.dumps({"version": person["version"], "answers": [answer]})
        started = time.perf_counter()
        try:
            response = await client.post(url, content=body, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code == 200:
                person["version"] = response.json()["version"]
                latencies.append(elapsed)
            else:
                errors.append(f"HTTP {response.status_code}")
        except Exception as error:  # a failed connection counts as an error, the run goes on
            errors.append(type(error).__name__)
        due += interval
        await asyncio.sleep(max(0.0, due - loop.time()))


async def load(
    base: str, people: list[dict[str, Any]], interval: float, duration: float
) -> tuple[list[float], list[str], float]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=len(people), max_keepalive_connections=len(people))
    async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
        started = time.perf_counter()
        stop_at = asyncio.get_running_loop().time() + duration
        await asyncio.gather(
            *(interviewer(client, base, p, interval, stop_at, latencies, errors) for p in people)
        )
        wall = time.perf_counter() - started
    return latencies, errors, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--interviewers", type=int, default=50)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between saves")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args()
    if not (1 <= args.interviewers <= 500 and args.interval >= 0.1 and 1 <= args.duration <= 600):
        print("bounds: 1-500 interviewers, interval >= 0.1 s, duration 1-600 s")
        return 2
    if not django_on_postgres("autosave.py", DEFAULT_URL):
        return 2
    from django.db import connection

    people = prepare(args.interviewers)
    statements = statements_of_one_save(people[0])
    connection.close()  # the server's workers get the database to themselves
    port = free_port()
    server = start_server(port, args.workers)
    try:
        print(
            f"{args.interviewers} interviewers, one save every {args.interval:g} s each, "
            f"for {args.duration:g} s, against gunicorn ({args.workers} workers) on :{port}",
            flush=True,
        )
        latencies, errors, wall = asyncio.run(
            load(f"http://127.0.0.1:{port}", people, args.interval, args.duration)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    print(report(latencies, errors, wall, statements))
    own = people[0]["in_process_ms"]
    print(f"One save in this process (Django test client, no network): {own:.1f} ms median")
    if latencies:
        emit(
            "scorecard autosave under load",
            median_ms=statistics.median(latencies),
            p95_ms=percentile(latencies, 0.95),
            queries=len(statements),
            size=f"{args.interviewers} interviewers, a save every {args.interval:g} s",
            note=f"p99 {percentile(latencies, 0.99):.1f} ms, {len(errors)} errors, "
            f"{len(latencies)} saves",
        )
    return 1 if errors or not latencies else 0


def report(latencies: list[float], errors: list[str], wall: float, statements: list[str]) -> str:
    writes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    lines = [
        "| saves | median ms | p95 ms | p99 ms | max ms | saves/s | errors | SQL per save |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    if not latencies:
        lines.append(f"| 0 | | | | | | {len(errors)} | {len(statements)} |")
        return "\n".join(lines)
    median, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    flag_median = "" if median < AIM_MEDIAN_MS else " ⚠"
    flag_p99 = "" if p99 < AIM_P99_MS else " ⚠"
    lines.append(
        f"| {len(latencies):,} | {median:.1f}{flag_median} | {percentile(latencies, 0.95):.1f} "
        f"| {p99:.1f}{flag_p99} | {max(latencies):.1f} | {len(latencies) / wall:.1f} "
        f"| {len(errors)} | {len(statements)} ({len(writes)} writes) |"
    )
    if errors:
        kinds = {kind: errors.count(kind) for kind in sorted(set(errors))}
        lines.append(f"\nErrors: {kinds}")
    lines.append(
        f"\nAim: median under {AIM_MEDIAN_MS:.0f} ms, p99 under {AIM_P99_MS:.0f} ms, no error "
        "(⚠: over). One save's SQL:"
    )
    lines += [f"    {s[:110]}" for s in statements]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
