"""Fetching a calendar from its address (an interviewer's "secret address in iCal format").

http and https only; a timeout and a size limit; no redirect to anything but http(s); and,
unless CALENDAR_FETCH_ALLOW_PRIVATE is on, no address on this machine or the private
network (the server must not be made to read its own services for whoever types a URL).
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from hiring.scheduling.ics import MAX_BYTES, CalendarFileError

TIMEOUT_SECONDS = 10


class CalendarFetchError(CalendarFileError):
    """The calendar could not be fetched; the message says why, for the user."""


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CalendarFetchError("Give an http:// or https:// address.")
    if getattr(settings, "CALENDAR_FETCH_ALLOW_PRIVATE", False):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise CalendarFetchError(f"The address {parts.hostname} was not found.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise CalendarFetchError("That address is on a private network: give a public one.")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        _check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def calendar_fetch(url: str, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The calendar's bytes. CalendarFetchError: a bad address, no answer in time, an error
    status, or more than MAX_BYTES."""
    if url.lower().startswith("webcal://"):  # what calendar apps hand out for https
        url = "https://" + url[len("webcal://") :]
    _check_url(url)
    opener = urllib.request.build_opener(_CheckedRedirects())
    request = urllib.request.Request(url, headers={"Accept": "text/calendar"})  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as answer:
            data: bytes = answer.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise CalendarFetchError(f"The calendar's address answered {error.code}.") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, CalendarFetchError):
            raise reason from None
        raise CalendarFetchError(f"The calendar could not be fetched ({reason}).") from None
    if len(data) > MAX_BYTES:
        raise CalendarFetchError("The calendar is larger than 2 MB.")
    return data
