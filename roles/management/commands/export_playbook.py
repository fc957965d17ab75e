from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roles.models import PlaybookInfo
from roles.playbook import playbook_dump, playbook_export


class Command(BaseCommand):
    help = "Write the current playbook content in the playbook file's format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not PlaybookInfo.objects.exists():
            raise CommandError("No playbook is loaded yet: run `manage.py load_playbook` first.")
        text = playbook_dump(playbook_export())
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")
