"""An interviewer's busy times: entered on the page, imported from an .ics file or from the
calendar's address (a real HTTP server on loopback), and what they take out of the slots."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hiring.errors import DomainError
from hiring.scheduling.fetch import CalendarFetchError, calendar_fetch
from hiring.scheduling.models import BusySource, BusyTime, InterviewerCalendar
from hiring.scheduling.services.busy import busy_import_url
from tests.scheduling.support import link_for, path_of, setup

pytestmark = pytest.mark.usefixtures("playbook")
NOW = dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC)
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Private thing\r\n"
    b"DTSTART;TZID=America/New_York:20260305T090000\r\n"
    b"DTEND;TZID=America/New_York:20260305T120000\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20260101T000000Z\r\n"
    b"DTSTART;VALUE=DATE:20260306\r\nDTEND;VALUE=DATE:20260307\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


class Calendars(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server hook
        if self.path == "/slow.ics":
            time.sleep(2)
        if self.path == "/missing.ics":
            self.send_error(404)
            return
        if self.path == "/away.ics":
            self.send_response(302)
            self.send_header("Location", "ftp://example.org/cal.ics")
            self.end_headers()
            return
        body = b"x" * (2 * 1024 * 1024 + 10) if self.path == "/huge.ics" else ICS
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def calendar_server(settings: Any) -> Iterator[str]:
    settings.CALENDAR_FETCH_ALLOW_PRIVATE = True  # the server is on loopback
    server = ThreadingHTTPServer(("127.0.0.1", 0), Calendars)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_interviewer_adds_a_busy_time_and_candidates_are_not_offered_it() -> None:
    world = setup(interviewers=1)
    person = world.interviewers[0]
    client = signed_in(person)
    assert client.get("/account/busy-times/").status_code == 200
    answer = client.post(
        "/account/busy-times/", {"starts_at": "2026-03-05T09:00", "ends_at": "2026-03-05T17:00"}
    )
    assert answer.status_code == 302
    busy = BusyTime.objects.get(user=person)
    assert busy.starts_at == dt.datetime(2026, 3, 5, 14, 0, tzinfo=dt.UTC)  # company time (EST)
    link = link_for(
        world.application, [person], first_day=dt.date(2026, 3, 5), last_day=dt.date(2026, 3, 6)
    )
    html = Client().get(path_of(link), {"tz": "America/New_York"}).content.decode()
    assert "Thursday 5 March" not in html and "Friday 6 March" in html
    assert "09:00" in client.get("/account/busy-times/").content.decode()
    assert client.post(f"/account/busy-times/{busy.pk}/delete/").status_code == 302
    assert not BusyTime.objects.exists()


def test_the_page_refuses_an_end_before_the_start_and_a_time_over_already() -> None:
    client = signed_in(setup(interviewers=1).interviewers[0])
    for start, end, error in [
        ("2026-03-05T12:00", "2026-03-05T11:00", "The end comes before the start."),
        ("2026-03-01T09:00", "2026-03-01T10:00", "That time is over already."),
        ("2026-03-05T12:00", "2026-05-05T11:00", "At most 31 days at once."),
    ]:
        answer = client.post("/account/busy-times/", {"starts_at": start, "ends_at": end})
        assert answer.status_code == 400 and error in answer.content.decode()
    assert not BusyTime.objects.exists()


def test_someone_elses_busy_time_cannot_be_removed() -> None:
    world = setup(interviewers=2)
    theirs = BusyTime.objects.create(
        user=world.interviewers[1],
        starts_at=NOW + dt.timedelta(days=1),
        ends_at=NOW + dt.timedelta(days=1, hours=1),
        source=BusySource.MANUAL,
    )
    answer = signed_in(world.interviewers[0]).post(
        f"/account/busy-times/{theirs.pk}/delete/", follow=True
    )
    assert "not there" in answer.content.decode()
    assert BusyTime.objects.filter(pk=theirs.pk).exists()


def test_importing_a_file_keeps_only_the_times_and_replaces_the_last_import() -> None:
    person = setup(interviewers=1).interviewers[0]
    client = signed_in(person)
    for _ in range(2):
        upload = SimpleUploadedFile("work.ics", ICS, content_type="text/calendar")
        answer = client.post("/account/busy-times/import/", {"file": upload}, follow=True)
        assert "Imported 2 busy times" in answer.content.decode()
    rows = list(BusyTime.objects.filter(user=person).values_list("starts_at", "ends_at", "source"))
    assert rows == [
        (
            dt.datetime(2026, 3, 5, 14, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 5, 17, tzinfo=dt.UTC),
            "file",
        ),
        (
            dt.datetime(2026, 3, 6, 5, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 7, 5, tzinfo=dt.UTC),
            "file",
        ),
    ]
    assert "Private thing" not in client.get("/account/busy-times/").content.decode()


def test_a_file_that_is_not_a_calendar_is_refused_on_the_page() -> None:
    client = signed_in(setup(interviewers=1).interviewers[0])
    upload = SimpleUploadedFile(
        "cv.pdf", b"%PDF-1.4 not a calendar", content_type="application/pdf"
    )
    answer = client.post("/account/busy-times/import/", {"file": upload})
    assert answer.status_code == 400 and "not an iCalendar" in answer.content.decode()
    assert not BusyTime.objects.exists()


def test_importing_from_the_calendars_address(calendar_server: str) -> None:
    person = setup(interviewers=1).interviewers[0]
    client = signed_in(person)
    answer = client.post(
        "/account/busy-times/address/", {"ics_url": f"{calendar_server}/me.ics"}, follow=True
    )
    assert "Imported 2 busy times" in answer.content.decode()
    calendar = InterviewerCalendar.objects.get(user=person)
    assert calendar.ics_url.endswith("/me.ics") and calendar.imported_at == NOW
    assert BusyTime.objects.filter(user=person, source="url").count() == 2


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.ics", "answered 404"),
        ("/huge.ics", "larger than 2 MB"),
        ("/away.ics", "http:// or https://"),
    ],
)
def test_a_calendar_address_that_fails_says_why_and_imports_nothing(
    calendar_server: str, path: str, message: str
) -> None:
    person = setup(interviewers=1).interviewers[0]
    with pytest.raises(DomainError, match=message):
        busy_import_url(actor=person, url=calendar_server + path)
    assert not BusyTime.objects.exists()


def test_a_calendar_that_does_not_answer_in_time_is_given_up(calendar_server: str) -> None:
    with pytest.raises(CalendarFetchError, match="could not be fetched"):
        calendar_fetch(f"{calendar_server}/slow.ics", timeout=0.5)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/a.ics", "gopher://x", "javascript:alert(1)", ""],
)
def test_only_http_and_https_addresses_are_fetched(url: str) -> None:
    with pytest.raises(CalendarFetchError, match="http:// or https://"):
        calendar_fetch(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379/", "http://localhost/", "http://10.0.0.5/", "http://[::1]/"]
)
def test_addresses_on_this_machine_or_a_private_network_are_refused(url: str) -> None:
    with pytest.raises(CalendarFetchError, match="private network"):
        calendar_fetch(url)
