from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.fixture
def recruiter(make_user: Callable[..., object]) -> object:
    return make_user("Recruiter", username="rita")


def login(client: Client, password: str, address: str = "10.0.0.1") -> object:
    return client.post("/login/", {"username": "rita", "password": password}, REMOTE_ADDR=address)


def test_login_lands_on_home_and_logout_ends_the_session(client: Client, recruiter: object) -> None:
    response = login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_shows_an_error_in_the_page(client: Client, recruiter: object) -> None:
    response = login(client, "wrong")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_repeated_wrong_passwords_lock_the_login(
    client: Client, recruiter: object, settings: object
) -> None:
    for _ in range(5):
        login(client, "guess")
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content
    assert client.get("/").status_code == 302  # still not logged in


def test_lockout_is_per_address(client: Client, recruiter: object) -> None:
    for _ in range(5):
        login(client, "guess", address="10.0.0.9")
    assert login(client, PASSWORD, address="10.0.0.2").status_code == 302


def test_token_authentication_works_for_the_api(
    client: Client, make_user: Callable[..., object]
) -> None:
    from hiring.accounts import token_create

    key = token_create(user=make_user("Admin"))
    response = client.get("/api/audit-log/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def forwarded_login(client: Client, password: str, *, proxy: str, client_ip: str) -> object:
    return client.post(
        "/login/",
        {"username": "rita", "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"{client_ip}, {proxy}",
    )


def test_behind_a_trusted_proxy_the_lockout_keys_on_the_client_address(
    client: Client, recruiter: object, settings: object
) -> None:
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]  # type: ignore[attr-defined]
    for _ in range(5):
        forwarded_login(client, "guess", proxy="10.1.0.5", client_ip="203.0.113.7")
    locked = forwarded_login(client, PASSWORD, proxy="10.1.0.5", client_ip="203.0.113.7")
    assert locked.status_code == 429
    # Another client through the same proxy is not locked out with them.
    other = forwarded_login(client, PASSWORD, proxy="10.1.0.5", client_ip="198.51.100.4")
    assert other.status_code == 302


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(
    client: Client, recruiter: object, settings: object
) -> None:
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]  # type: ignore[attr-defined]
    for attempt in range(5):
        # A client rotating a made-up header does not escape the lockout of its own address.
        forwarded_login(client, "guess", proxy="192.0.2.50", client_ip=f"203.0.113.{attempt}")
    locked = forwarded_login(client, PASSWORD, proxy="192.0.2.50", client_ip="203.0.113.99")
    assert locked.status_code == 429
