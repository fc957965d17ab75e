"""The import job's statuses and the moves between them (pure: no ORM)."""

from __future__ import annotations

from hiring.statuses import Status


class ImportStatus(Status):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


J = ImportStatus
# A failed job can be run again: it goes on from the first row it had not finished.
IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    J.QUEUED: frozenset({J.RUNNING, J.FAILED}),
    J.RUNNING: frozenset({J.DONE, J.FAILED}),
    J.FAILED: frozenset({J.QUEUED}),
    J.DONE: frozenset(),
}
UNFINISHED = frozenset({J.QUEUED, J.RUNNING})


class ImportFormat(Status):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"
    JSON_RESUME = "jsonresume", "JSON Resume"


class LineOutcome(Status):
    PENDING = "pending", "Waiting"
    WRITTEN = "written", "Written"
    FLAGGED = "flagged", "Written, flagged as a duplicate"
    REFUSED = "refused", "Refused"


def percent(done: int, total: int) -> int:
    """How far along a job is, in whole percent (0 for an empty job, 100 only when done)."""
    if total <= 0:
        return 0
    return min(100, done * 100 // total)
