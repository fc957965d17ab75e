"""`manage.py retention [--dry-run]`: anonymise the candidates past RETENTION_MONTHS now, or
list who that would be. The daily beat sweep does the same."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hiring.privacy.services.retention import retention_candidates, retention_sweep


class Command(BaseCommand):
    help = (
        "Anonymise candidates whose every application ended more than RETENTION_MONTHS "
        "months ago (--dry-run: list them, change nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be anonymised; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        months = settings.RETENTION_MONTHS
        if months == 0:
            self.stdout.write("Retention is off (RETENTION_MONTHS=0): nobody is anonymised.")
            return
        now = timezone.now()
        if options["dry_run"]:
            rows = retention_candidates(now=now, months=months)
            verb = "would be anonymised"
        else:
            rows = retention_sweep(now=now, months=months)
            verb = "anonymised"
        for row in rows:
            self.stdout.write(f"#{row.candidate_id}\t{row.name}")
        self.stdout.write(
            f"{len(rows)} candidate{'s' if len(rows) != 1 else ''} {verb} "
            f"(every application ended more than {months} months ago)."
        )
