"""SQLite under parallel writes (issue 13, item 16): with WAL, a busy timeout and IMMEDIATE
transactions (hiring/config.py), a second writer waits its turn instead of failing halfway
with "database is locked" (with only a timeout, `make run` gave 50 such 500s).

A real gunicorn (2 processes of 8 threads) on a real SQLite file that the test creates,
and 30 candidates added through the API at once: every one is saved, none is an error. It
always uses its own file, whatever DATABASE_URL says, so both `make test` runs run it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.servers import ROOT, Gunicorn, burst, server_env

WRITERS = 30
# Run in a subprocess on the file: its tables, straight from the models (the migrations one by
# one take 12-25 s on the 2-core machine; their one data step, the role groups, is done here),
# then a recruiter and an API token of theirs.
SETUP = """
import json, django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)
from django.contrib.auth.models import Group, User
from hiring.accounts import token_create
from hiring.permissions import RECRUITER
user = User.objects.create_user("sqlite-writer")
user.groups.add(Group.objects.create(name=RECRUITER))
print(json.dumps({"token": token_create(user=user)}))
"""


def test_thirty_parallel_writes_on_a_sqlite_file_are_all_saved(tmp_path: Path) -> None:
    database = tmp_path / "hiring.sqlite3"
    url = f"sqlite:///{database}"
    setup = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=server_env(url),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    token = json.loads(setup.stdout.strip().splitlines()[-1])["token"]
    headers = {"Authorization": f"Token {token}"}
    server = Gunicorn(database_url=url, name="sqlite-gunicorn", workers=2, threads=8)
    server.start()
    try:
        answers = burst(
            WRITERS,
            lambda client, i: client.post(
                f"{server.url}/api/candidates/",
                json={"name": f"Writer {i}", "email": f"writer{i}@example.org"},
                headers=headers,
            ),
        )
    finally:
        server.stop()

    with sqlite3.connect(database) as connection:
        (saved,) = connection.execute(
            "SELECT COUNT(*) FROM hiring_candidate WHERE email LIKE 'writer%@example.org'"
        ).fetchone()
        (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    statuses = sorted({answer.status for answer in answers})
    assert (statuses, saved) == ([201], WRITERS), server.errors_logged()[-3000:]
    assert mode == "wal"
