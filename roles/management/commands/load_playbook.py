from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roles.playbook import DEFAULT_PATH, PlaybookError, playbook_load


class Command(BaseCommand):
    help = "Load the playbook file (role profiles, interview bank, red flags, bands). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            report = playbook_load(path=path)
        except PlaybookError as error:
            lines = "\n".join(f"  {line}" for line in error.messages)
            raise CommandError(f"{path} refused, nothing was written:\n{lines}") from None
        if not report.changed:
            self.stdout.write(f"Playbook {path.name}: already up to date, nothing changed.")
            return
        self.stdout.write(f"Playbook {path.name}: {len(report.changes)} change(s)")
        if options["verbosity"] > 1:
            for change in report.changes:
                self.stdout.write(f"  {change}")
