"""Configuration read from the environment and validated once, at start-up.

Every variable the app reads is a field here, so this class is the one list of
what can be configured (the README table mirrors it). A bad value stops the
process with one line per problem naming the variable, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
import zoneinfo
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
import holidays
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

EMAIL_SCHEMES = {"console", "smtp", "smtp+tls", "smtp+ssl", "file", "locmem", "dummy"}


class Config(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    DEBUG: bool = False
    SECRET_KEY: str = ""
    ALLOWED_HOSTS: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost"]
    )
    CSRF_TRUSTED_ORIGINS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    DATABASE_URL: str = f"sqlite:///{VAR_DIR / 'hiring.sqlite3'}"
    DATABASE_CONN_MAX_AGE: int = Field(default=60, ge=0)
    CELERY_BROKER_URL: str = "filesystem://"
    EMAIL_URL: str = "console://"
    DEFAULT_FROM_EMAIL: str = "hiring@localhost"
    SITE_URL: str = "http://127.0.0.1:8000"
    PORT: int = Field(default=8000, ge=1, le=65535)
    COMPANY_TIME_ZONE: str = "America/New_York"
    HOLIDAY_COUNTRY: str = "US"
    HOLIDAY_SUBDIVISION: str = ""
    LOGIN_FAILURE_LIMIT: int = Field(default=5, ge=1)
    LOGIN_COOLOFF_MINUTES: int = Field(default=15, ge=1)
    SECURE_SSL_REDIRECT: bool = False
    # Offers: business hours of the offer clock, the reminder sweep, who approves for finance/HR.
    BUSINESS_HOURS: str = "09:00-17:00"
    REMINDER_SWEEP_MINUTES: int = Field(default=5, ge=1, le=60)
    STALLED_DAYS: int = Field(default=7, ge=1, le=365)
    OFFER_FINANCE_APPROVERS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    OFFER_EXCEPTION_APPROVERS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    APPROVAL_LINK_HOURS: int = Field(default=72, ge=1, le=720)

    @field_validator(
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "OFFER_FINANCE_APPROVERS",
        "OFFER_EXCEPTION_APPROVERS",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url(cls, value: str) -> str:
        scheme = urlsplit(value).scheme
        if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
            raise ValueError("must start with sqlite:/// or postgres://")
        try:
            dj_database_url.parse(value)
        except ValueError as exc:
            raise ValueError(f"cannot be parsed ({exc})") from None
        return value

    @field_validator("CELERY_BROKER_URL")
    @classmethod
    def _broker_url(cls, value: str) -> str:
        if urlsplit(value).scheme not in {"filesystem", "redis", "rediss", "memory"}:
            raise ValueError("must be filesystem:// (embedded), redis:// or rediss://")
        return value

    @field_validator("EMAIL_URL")
    @classmethod
    def _email_url(cls, value: str) -> str:
        if urlsplit(value).scheme not in EMAIL_SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(sorted(EMAIL_SCHEMES))}")
        return value

    @field_validator("COMPANY_TIME_ZONE")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError("is not an IANA time zone name such as Europe/Berlin")
        return value

    @field_validator("HOLIDAY_COUNTRY")
    @classmethod
    def _country(cls, value: str) -> str:
        if value not in holidays.list_supported_countries():
            raise ValueError("is not a country code the holidays library knows (e.g. US, GB, DE)")
        return value

    @field_validator("BUSINESS_HOURS")
    @classmethod
    def _business_hours(cls, value: str) -> str:
        parse_business_hours(value)
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> Config:
        # Django's own deploy check wants 50+ characters with at least 5 distinct ones.
        if not self.DEBUG and (len(self.SECRET_KEY) < 50 or len(set(self.SECRET_KEY)) < 5):
            raise ValueError(
                "SECRET_KEY: required when DEBUG is off (50+ random characters, e.g. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'); "
                "or set DEBUG=true for local development"
            )
        subdivisions = holidays.list_supported_countries()[self.HOLIDAY_COUNTRY]
        if self.HOLIDAY_SUBDIVISION and self.HOLIDAY_SUBDIVISION not in subdivisions:
            raise ValueError(
                f"HOLIDAY_SUBDIVISION: {self.HOLIDAY_SUBDIVISION!r} is not a subdivision of "
                f"{self.HOLIDAY_COUNTRY}"
            )
        return self

    def databases(self) -> dict[str, Any]:
        db = dj_database_url.parse(self.DATABASE_URL, conn_max_age=self.DATABASE_CONN_MAX_AGE)
        if db["ENGINE"].endswith("sqlite3"):
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            # SQLite: one connection per request avoids "database is locked" across threads.
            db["CONN_MAX_AGE"] = 0
            db["OPTIONS"] = {"timeout": 20}
        else:
            db["CONN_HEALTH_CHECKS"] = True
        return {"default": db}

    def email(self) -> dict[str, Any]:
        """Translate EMAIL_URL into Django's EMAIL_* settings."""
        url = urlsplit(self.EMAIL_URL)
        backends = {
            "console": "django.core.mail.backends.console.EmailBackend",
            "file": "django.core.mail.backends.filebased.EmailBackend",
            "locmem": "django.core.mail.backends.locmem.EmailBackend",
            "dummy": "django.core.mail.backends.dummy.EmailBackend",
        }
        if url.scheme in backends:
            out: dict[str, Any] = {"EMAIL_BACKEND": backends[url.scheme]}
            if url.scheme == "file":
                out["EMAIL_FILE_PATH"] = url.path or str(VAR_DIR / "mail")
            return out
        query = parse_qs(url.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": url.hostname or "localhost",
            "EMAIL_PORT": url.port or (465 if url.scheme == "smtp+ssl" else 587),
            "EMAIL_HOST_USER": unquote(url.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(url.password or ""),
            "EMAIL_USE_TLS": url.scheme == "smtp+tls" or query.get("tls") == ["1"],
            "EMAIL_USE_SSL": url.scheme == "smtp+ssl",
            "EMAIL_TIMEOUT": 10,
        }


def parse_business_hours(value: str) -> tuple[dt.time, dt.time]:
    """ "09:00-17:00" -> (09:00, 17:00); the day must start before it ends."""
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError:
        raise ValueError("must look like 09:00-17:00 (start-end, 24-hour clock)") from None
    if start >= end:
        raise ValueError("the business day must start before it ends")
    return start, end


def format_errors(error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "configuration"
        message = item["msg"].removeprefix("Value error, ")
        value = item.get("input")
        if name != "configuration" and isinstance(value, str | int) and "SECRET" not in name:
            lines.append(f"{name}={value!s}: {message}")
        else:
            lines.append(f"{name}: {message}" if name != "configuration" else message)
    return lines


def load_config() -> Config:
    """Read the environment; on a bad value print what is wrong and exit with status 2."""
    try:
        return Config()
    except ValidationError as error:
        for line in format_errors(error):
            print(f"Configuration error: {line}", file=sys.stderr)
        raise SystemExit(2) from None
