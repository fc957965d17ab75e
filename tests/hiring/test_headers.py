"""Headers on every answer: a Content-Security-Policy with nothing inline allowed, and no
caching of pages or API answers that carry candidates' data or compensation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


def test_every_page_carries_a_strict_content_security_policy(
    client_as: Callable[[str], Client],
) -> None:
    application = factories.application()
    client = client_as("admin")
    for url in ["/", "/candidates/", f"/candidates/{application.candidate.pk}/", "/login/"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("url", ["/", "/candidates/", "/offers/", "/api/applications/", "/api/me/"])
def test_pages_and_api_answers_with_data_are_never_cached(
    client_as: Callable[[str], Client], url: str
) -> None:
    assert client_as("admin").get(url)["Cache-Control"] == "private, no-store"
