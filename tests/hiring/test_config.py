"""Start-up refuses bad configuration with one clear line, never a traceback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from hiring.config import Config

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "a-long-random-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"
MAIL = "smtp://mail.example.com:587"


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in Config.model_fields}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "nonsense"}, "Configuration error: DATABASE_URL=nonsense: must start"),
        ({"PORT": "eighty"}, "Configuration error: PORT=eighty: Input should be a valid integer"),
        ({"DEBUG": "maybe"}, "Configuration error: DEBUG=maybe"),
        ({"CELERY_BROKER_URL": "amqp://x"}, "Configuration error: CELERY_BROKER_URL=amqp://x"),
        ({"COMPANY_TIME_ZONE": "Mars/Base"}, "COMPANY_TIME_ZONE=Mars/Base: is not an IANA"),
        ({"HOLIDAY_COUNTRY": "XX"}, "HOLIDAY_COUNTRY=XX: is not a country code"),
        ({"HOLIDAY_SUBDIVISION": "ZZ"}, "HOLIDAY_SUBDIVISION: 'ZZ' is not a subdivision of US"),
        ({"EMAIL_URL": "pigeon://coop"}, "Configuration error: EMAIL_URL=pigeon://coop"),
    ],
)
def test_bad_value_stops_startup_with_one_line_naming_the_variable(
    env: dict[str, str], expected: str
) -> None:
    result = start({"SECRET_KEY": GOOD_KEY, "EMAIL_URL": MAIL, **env})
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_secret_key_is_required_when_debug_is_off() -> None:
    result = start({"DEBUG": "false"})
    assert result.returncode == 2
    assert "SECRET_KEY: required" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_e_mail_server_is_required_when_debug_is_off() -> None:
    """Without it e-mails (salaries, signed approval links) would be printed to the log."""
    result = start({"SECRET_KEY": GOOD_KEY})
    assert result.returncode == 2
    assert "EMAIL_URL: required when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_with_debug_on_e_mails_go_to_the_console_by_default() -> None:
    config = Config(DEBUG=True, EMAIL_URL="")
    assert config.email()["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_links_in_e_mails_follow_the_local_port_unless_site_url_is_set() -> None:
    assert Config(DEBUG=True, PORT=8123, SITE_URL="").site_url() == "http://127.0.0.1:8123"
    explicit = Config(DEBUG=True, PORT=8123, SITE_URL="https://hiring.example.com/")
    assert explicit.site_url() == "https://hiring.example.com"


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    result = start(
        {"SECRET_KEY": GOOD_KEY, "EMAIL_URL": MAIL, "TRUSTED_PROXIES": "10.0.0.0/8,proxy"}
    )
    assert result.returncode == 2
    assert "TRUSTED_PROXIES" in result.stderr and "'proxy' is not an IP address" in result.stderr


def test_debug_runs_without_a_secret_key() -> None:
    result = start({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_check() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in Config.model_fields}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": secrets.token_urlsafe(50), "EMAIL_URL": MAIL},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgres_url_selects_postgresql() -> None:
    config = Config(DATABASE_URL="postgres://u@127.0.0.1:5432/db", SECRET_KEY=GOOD_KEY)
    assert config.databases()["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_behind_pgbouncer_server_side_cursors_are_off_on_primary_and_replica() -> None:
    url = "postgres://u@127.0.0.1:6432/db"
    default = Config(DATABASE_URL=url, SECRET_KEY=GOOD_KEY).databases()
    assert default["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False
    config = Config(
        DATABASE_URL=url,
        DATABASE_REPLICA_URL="postgres://u@127.0.0.1:6433/db",
        DATABASE_DISABLE_SERVER_SIDE_CURSORS="true",
        SECRET_KEY=GOOD_KEY,
    )
    databases = config.databases()
    assert databases["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert databases["replica"]["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_smtp_email_url_sets_host_port_and_tls() -> None:
    config = Config(EMAIL_URL="smtp+tls://mailer:p%40ss@mail.example.com:2525", SECRET_KEY=GOOD_KEY)
    email = config.email()
    assert email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (email["EMAIL_HOST"], email["EMAIL_PORT"]) == ("mail.example.com", 2525)
    assert email["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert email["EMAIL_USE_TLS"] is True


def test_allowed_hosts_is_a_comma_separated_list() -> None:
    config = Config(ALLOWED_HOSTS="hiring.example.com, .internal", SECRET_KEY=GOOD_KEY)
    assert config.ALLOWED_HOSTS == ["hiring.example.com", ".internal"]
