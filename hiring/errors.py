"""The one domain error type: a user-facing message plus the fields it concerns."""

from __future__ import annotations


class DomainError(Exception):
    """Raised by services; pages show it as form errors, the API as 400 (or `status`)."""

    def __init__(
        self, message: str, *, fields: dict[str, list[str]] | None = None, status: int = 400
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.status = status
