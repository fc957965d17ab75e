"""Offer letters: one letter PDF (target < 200 ms) and the candidate's offer page (target
< 50 ms), measured in-process on a fresh SQLite database (or DATABASE_URL).

    python bench/letters.py [--runs N]

The PDF is measured for a letter in Latin-1 (set in the PDF core font, nothing embedded)
and for one with a name outside it ("Łukasz Nguyễn": DejaVu Sans embedded as a subset).
Both after `gc.freeze()`, as the web and Celery workers run (hiring.gc_freeze).
The page is the candidate's GET of their signed link, through Django's test client (the
whole request: middleware, the link's checks, the template), after the first view.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefgh")
os.environ.setdefault("DEBUG", "false")
os.environ["EMAIL_URL"] = "locmem://"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/letters.sqlite3"

try:
    from report import emit
except ImportError:  # pragma: no cover

    def emit(name: str, **figures: Any) -> None:
        pass


def measure(run: Any, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from roles.playbook import playbook_load

    playbook_load()
    from django.db import connection

    from hiring.offers.letters import DEFAULT_BODY, DEFAULT_SUBJECT, letter_fill
    from hiring.offers.links import candidate_link
    from hiring.offers.pdf import letter_pdf
    from hiring.offers.selectors.letters import letter_facts
    from hiring.offers.services.approvals import step_vote
    from hiring.offers.services.sending import offer_delivered, offer_send
    from tests import factories

    factories.UserFactory(roles=["Admin"])
    offer = factories.offer(submit=True)
    for _ in range(5):
        offer.refresh_from_db()
        step = offer.steps.filter(round=offer.approval_round, status="pending").first()
        if step is None:
            break
        seat = step.approvers.first()
        step_vote(offer=offer, step_id=step.pk, actor=seat.user, approve=True)
    offer_send(offer=offer, actor=offer.application.requisition.recruiter)
    offer.refresh_from_db()
    from django.utils import timezone

    offer_delivered(offer_id=offer.pk, at=timezone.now())
    offer.refresh_from_db()
    facts = letter_facts(offer)
    latin = letter_fill(subject=DEFAULT_SUBJECT, body=DEFAULT_BODY, facts=facts)
    other = letter_fill(
        subject=DEFAULT_SUBJECT,
        body=DEFAULT_BODY.replace("{candidate_name}", "Łukasz Nguyễn"),
        facts=facts,
    )
    letter_pdf(letter=latin, reference="warm-up")
    letter_pdf(letter=other, reference="warm-up")
    # As each gunicorn and Celery worker does once it has loaded the app (hiring.gc_freeze).
    from hiring.gc_freeze import freeze_loaded

    freeze_loaded()
    median, p95 = measure(lambda: letter_pdf(letter=latin, reference="Offer 1"), args.runs)
    print(f"letter PDF (Latin-1, core font): median {median:.1f} ms, p95 {p95:.1f} ms")
    emit("letter PDF (Latin-1)", median_ms=round(median, 1), p95_ms=round(p95, 1),
         note="target < 200 ms")  # fmt: skip
    runs = max(5, args.runs // 5)
    median, p95 = measure(lambda: letter_pdf(letter=other, reference="Offer 1"), runs)
    print(f"letter PDF (other scripts, DejaVu embedded): median {median:.1f} ms, p95 {p95:.1f} ms")
    emit("letter PDF (non-Latin-1 name)", median_ms=round(median, 1), p95_ms=round(p95, 1),
         note="DejaVu Sans embedded")  # fmt: skip
    link = candidate_link(offer_id=offer.pk, nonce=offer.link_nonce)
    client = Client()
    client.get(link)  # the first view marks it viewed
    from django.core.cache import cache

    def page() -> None:
        cache.clear()  # the rate limit counts this one client too
        response = client.get(link)
        assert response.status_code == 200, response.status_code

    # Counted at the cursor: CaptureQueriesContext reads connection.queries, which the
    # request_started signal empties in the middle of the request (it printed 0).
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        page()
    median, p95 = measure(page, args.runs * 2)
    print(f"candidate's offer page: median {median:.1f} ms, p95 {p95:.1f} ms, "
          f"{len(queries)} queries")  # fmt: skip
    emit("candidate offer page", median_ms=round(median, 1), p95_ms=round(p95, 1),
         queries=len(queries), note="target < 50 ms")  # fmt: skip


if __name__ == "__main__":
    main()
