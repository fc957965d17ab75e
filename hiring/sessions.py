"""The session store: Django's database sessions, read with a query compiled once.

Every signed-in request reads its session first; the query is the same each time but for
the key and the time (hiring.compiled). Everything else is Django's `db` backend: the same
table, cookies, expiry and `clearsessions`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from hiring.compiled import compiled


@compiled
def _live_session(key: str, now: dt.datetime) -> QuerySet[Session]:
    return Session.objects.filter(session_key=key, expire_date__gt=now)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        # Django's reads with .get(); the key is the primary key, so one row at most.
        found = list(_live_session(self.session_key, timezone.now())) if self.session_key else []
        if not found:
            self._session_key = None
            return None
        return found[0]
