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
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=make_user("Admin"))
    response = client.get("/api/audit-log/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
