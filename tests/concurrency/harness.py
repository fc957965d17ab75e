"""What the concurrency tests send and check: who is asking, and what a burst did."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

from hiring.accounts import token_create
from hiring.models import AuditEntry
from tests.servers import Answer, Gunicorn

if TYPE_CHECKING:
    from django.contrib.auth.models import User

N = 10  # requests per burst: a double click, and then some


def api_headers(user: User) -> dict[str, str]:
    """An API caller: a fresh token of `user`'s."""
    return {"Authorization": f"Token {token_create(user=user)}"}


def page_headers(user: User) -> dict[str, str]:
    """A browser signed in as `user`: its session cookie, and a CSRF cookie sent back in the
    header as htmx does (set by hand: the cookies are Secure, the test server is HTTP)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(32)
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }


def statuses(answers: list[Answer]) -> dict[int, int]:
    """{status: how many answers had it}."""
    return dict(Counter(answer.status for answer in answers))


def refusals_say_why(answers: list[Answer]) -> bool:
    """Every 409 is the API's error with a message (a person can tell what happened)."""
    for answer in answers:
        if answer.status == 409:
            body = answer.json()
            if not (isinstance(body, dict) and body.get("detail")):
                return False
    return True


def audited(action: str, *targets: Any) -> int:
    """Audit entries of `action` on any of `targets`."""
    ids = [str(target.pk) for target in targets]
    return AuditEntry.objects.filter(action=action, object_id__in=ids).count()


def server_errors(server: Gunicorn) -> str:
    """For a failing assertion: the end of what the server logged as errors."""
    return server.errors_logged()[-3000:]
