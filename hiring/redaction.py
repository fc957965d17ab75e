"""Keeping signed link tokens out of logs: the access log (gunicorn) and Django's own.

Anyone who can read a log must not be able to act through a link someone else was sent (an
approver's link, a candidate's offer or slot link).
"""

from __future__ import annotations

import logging
import re

# A Django signed value (signing.dumps): base64 segments joined by ":" ("%3A" once it is
# in a login page's ?next=), long. Query values
# named token or key are redacted whatever they look like.
SIGNED = re.compile(r"[A-Za-z0-9_\-]{16,}(?:(?::|%3[Aa])[A-Za-z0-9_\-]{4,}){1,3}")
SECRET_QUERY = re.compile(r"((?:^|[?&])(?:token|key|signature)=)[^&\s]*", re.IGNORECASE)


def redact(text: str) -> str:
    return SECRET_QUERY.sub(r"\1[redacted]", SIGNED.sub("[redacted]", text))


class RedactTokens(logging.Filter):
    """A logging filter: the message (a request's path, for django.request) redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
