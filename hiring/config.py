"""Configuration read from the environment and validated once, at start-up.

Every variable the app reads is a field here, so this class is the one list of
what can be configured (the README table mirrors it). A bad value stops the
process with one line per problem naming the variable, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import sys
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
import holidays
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# The roles (hiring.permissions.ROLES; the core's config imports nothing of the app).
ROLE_NAMES = ("Recruiter", "Interviewer", "Hiring manager", "Admin")
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
    # Behind PgBouncer in transaction mode: no named (server-side) cursors, which must live
    # across statements (PostgreSQL only).
    DATABASE_DISABLE_SERVER_SIDE_CURSORS: bool = False
    # A read replica of DATABASE_URL for lists and reports (hiring.replica); empty: none.
    DATABASE_REPLICA_URL: str = ""
    # After a write, the same browser's reads stay on the primary this long (replica lag).
    REPLICA_PIN_SECONDS: int = Field(default=5, ge=0, le=3600)
    CELERY_BROKER_URL: str = "filesystem://"
    # Required when DEBUG is off: production must not print e-mails (salaries, signed links)
    # to the console. With DEBUG on, empty means the console.
    EMAIL_URL: str = ""
    DEFAULT_FROM_EMAIL: str = "hiring@localhost"
    # Empty: http://127.0.0.1:<PORT>, so links in e-mails follow `make run PORT=...`.
    SITE_URL: str = ""
    PORT: int = Field(default=8000, ge=1, le=65535)
    COMPANY_TIME_ZONE: str = "America/New_York"
    # The employer's name as candidates see it: the careers page, its JobPosting data, the
    # consent text, the candidates' e-mails and the offer letters ({company}).
    COMPANY_NAME: str = Field(default="Our company", min_length=1, max_length=100)
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
    # Requests a minute one address may make to the candidates' offer pages.
    OFFER_LINK_RATE_PER_MINUTE: int = Field(default=30, ge=1, le=10_000)
    # Proxies (addresses or networks) whose X-Forwarded-For is believed: the login lockout
    # keys on the client's address behind them. Empty: the connecting address, always.
    TRUSTED_PROXIES: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Candidates whose every application ended (rejected or withdrawn) more than this many
    # months ago are anonymised by a daily sweep (hiring.privacy); 0 turns the sweep off.
    RETENTION_MONTHS: int = Field(default=24, ge=0, le=1200)
    # bench/load.py only: /bench/ceiling/, 50 rows of raw SQL as JSON, the machine's ceiling.
    BENCH_CEILING_VIEW: bool = False
    # The OpenAPI schema and docs are for signed-in users unless opened up.
    API_DOCS_PUBLIC: bool = False
    # Single sign-on (OpenID Connect): off while OIDC_ISSUER is empty. The endpoints come
    # from the issuer's discovery document; roles from the groups claim through the mapping.
    OIDC_ISSUER: str = ""
    OIDC_CLIENT_ID: str = ""
    OIDC_CLIENT_SECRET: str = ""
    OIDC_GROUPS_CLAIM: str = "groups"
    OIDC_GROUP_ROLES: str = ""  # group=Role,group=Role (hiring.sso.rules)
    # Off: only the break-glass admin (a username) signs in with a password.
    PASSWORD_LOGIN: bool = True
    BREAK_GLASS_ADMIN: str = ""

    @field_validator(
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "OFFER_FINANCE_APPROVERS",
        "OFFER_EXCEPTION_APPROVERS",
        "TRUSTED_PROXIES",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("DATABASE_REPLICA_URL")
    @classmethod
    def _replica_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"postgres", "postgresql", "pgsql"}:
            raise ValueError("must be empty or start with postgres:// (a read replica)")
        try:
            dj_database_url.parse(value) if value else None
        except ValueError as exc:
            raise ValueError(f"cannot be parsed ({exc})") from None
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

    @field_validator("TRUSTED_PROXIES")
    @classmethod
    def _proxies(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return value

    @field_validator("EMAIL_URL")
    @classmethod
    def _email_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in EMAIL_SCHEMES:
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
        if not self.DEBUG and not self.EMAIL_URL:
            raise ValueError(
                "EMAIL_URL: required when DEBUG is off (smtp://user:pass@host:587, or "
                "smtp+tls://...); e-mails carry salaries and signed links and must not go to "
                "the console"
            )
        self._check_sso()
        subdivisions = holidays.list_supported_countries()[self.HOLIDAY_COUNTRY]
        if self.HOLIDAY_SUBDIVISION and self.HOLIDAY_SUBDIVISION not in subdivisions:
            raise ValueError(
                f"HOLIDAY_SUBDIVISION: {self.HOLIDAY_SUBDIVISION!r} is not a subdivision of "
                f"{self.HOLIDAY_COUNTRY}"
            )
        return self

    def _check_sso(self) -> None:
        if self.OIDC_ISSUER:
            if urlsplit(self.OIDC_ISSUER).scheme not in {"http", "https"}:
                raise ValueError("OIDC_ISSUER: must be the provider's https:// URL")
            if not (self.OIDC_CLIENT_ID and self.OIDC_CLIENT_SECRET):
                raise ValueError("OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: required with OIDC_ISSUER")
            try:
                mapping = parse_group_roles(self.OIDC_GROUP_ROLES, ROLE_NAMES)
            except ValueError as error:
                raise ValueError(f"OIDC_GROUP_ROLES: {error}") from None
            if not mapping:
                raise ValueError(
                    "OIDC_GROUP_ROLES: required with OIDC_ISSUER, e.g. "
                    "'hiring-admins=Admin,recruiting=Recruiter'"
                )
        if not self.PASSWORD_LOGIN and not (self.OIDC_ISSUER or self.BREAK_GLASS_ADMIN):
            raise ValueError(
                "PASSWORD_LOGIN: turning passwords off needs OIDC_ISSUER (single sign-on) or "
                "BREAK_GLASS_ADMIN, or nobody could sign in"
            )

    def databases(self) -> dict[str, Any]:
        db = dj_database_url.parse(self.DATABASE_URL, conn_max_age=self.DATABASE_CONN_MAX_AGE)
        if db["ENGINE"].endswith("sqlite3"):
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            # SQLite holds a small team's concurrent clicks: WAL lets readers and one writer
            # work at once, and IMMEDIATE takes the write lock at BEGIN, so a second writer
            # waits (up to the timeout) instead of failing halfway ("database is locked").
            db["CONN_MAX_AGE"] = 0
            db["OPTIONS"] = {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        else:
            db["CONN_HEALTH_CHECKS"] = True
            db["DISABLE_SERVER_SIDE_CURSORS"] = self.DATABASE_DISABLE_SERVER_SIDE_CURSORS
        databases = {"default": db}
        if self.DATABASE_REPLICA_URL:
            replica = dj_database_url.parse(
                self.DATABASE_REPLICA_URL, conn_max_age=self.DATABASE_CONN_MAX_AGE
            )
            replica["CONN_HEALTH_CHECKS"] = True
            replica["DISABLE_SERVER_SIDE_CURSORS"] = self.DATABASE_DISABLE_SERVER_SIDE_CURSORS
            databases["replica"] = replica
        return databases

    def sso_origins(self) -> list[str]:
        """The provider's origin (scheme://host:port), where a logout form's redirect goes."""
        if not self.OIDC_ISSUER:
            return []
        parts = urlsplit(self.OIDC_ISSUER)
        return [f"{parts.scheme}://{parts.netloc}"]

    def site_url(self) -> str:
        return (self.SITE_URL or f"http://127.0.0.1:{self.PORT}").rstrip("/")

    def email(self) -> dict[str, Any]:
        """Translate EMAIL_URL into Django's EMAIL_* settings (empty: the console)."""
        url = urlsplit(self.EMAIL_URL or "console://")
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


def parse_group_roles(value: str, roles: Iterable[str]) -> dict[str, frozenset[str]]:
    """`a=Recruiter,b=Admin,a=Admin` -> {"a": {Recruiter, Admin}, "b": {Admin}}; a role the
    app does not have, or an item without `=`, is a ValueError naming it."""
    known = set(roles)
    mapping: dict[str, set[str]] = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        group, sep, role = (piece.strip() for piece in item.partition("="))
        if not sep or not group or not role:
            raise ValueError(f"{item!r} is not group=Role")
        if role not in known:
            raise ValueError(f"{role!r} is not a role (one of: {', '.join(sorted(known))})")
        mapping.setdefault(group, set()).add(role)
    return {group: frozenset(names) for group, names in mapping.items()}


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
