"""gunicorn's configuration (the Dockerfile runs `gunicorn -c python:hiring.gunicorn_conf`).

- Workers: WEB_CONCURRENCY, else four per core plus one (at most 17).
- The request line may be as long as the API's documented limits allow (search text,
  tags and stage names percent-encoded): 8190 bytes, gunicorn's maximum (default 4094).
- The access log never records a signed link's token (an approver's link, a candidate's
  offer or slot link): anyone reading logs could otherwise act through it.
- Each worker freezes what it loaded at boot out of the garbage collector's reach
  (`gc.freeze()`): a full collection then walks only the objects of the requests since,
  instead of all of Django too. Building a letter PDF in DejaVu Sans makes enough objects to
  set one off every few letters; before, those letters took 180-210 ms instead of 90 ms
  (bench/letters.py).
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from hiring.gc_freeze import freeze_loaded, warm_web
from hiring.redaction import redact

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Four sync workers per core (at most 17): a page waits on the database part of its time,
# and a short request (an autosave) must not queue behind slow ones. On 2 cores under the
# whole team's load (bench/load.py) 9 workers gave an autosave p95 of 23 ms, 5 gave 244 ms.
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(4 * (os.cpu_count() or 1) + 1, 17))))
timeout = 30
accesslog = "-"
limit_request_line = 8190


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger


def post_worker_init(worker: Any) -> None:
    worker.log.info("warm: compiled %s templates", warm_web())
    worker.log.info("gc: froze %s objects loaded at boot", freeze_loaded())
