"""gunicorn's configuration (the Dockerfile runs `gunicorn -c python:hiring.gunicorn_conf`).

- The request line may be as long as the API's documented limits allow (search text,
  tags and stage names percent-encoded): 8190 bytes, gunicorn's maximum (default 4094).
- The access log never records a signed link's token (an approver's link, a candidate's
  offer or slot link): anyone reading logs could otherwise act through it.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from hiring.redaction import redact

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
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
