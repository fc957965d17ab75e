"""The provider for the single sign-on tests, and the app configured to use it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sso.provider_process import CLIENT_ID, CLIENT_SECRET, Provider, running_provider

PEOPLE = {
    "ana": ["recruiting"],
    "max": ["eng-leads", "interviewers"],
    "zoe": ["marketing"],
}
GROUP_ROLES = (
    "recruiting=Recruiter,eng-leads=Hiring manager,interviewers=Interviewer,it-admins=Admin"
)


def configure(settings: Any, provider: Provider, site_url: str) -> None:
    from hiring.sso import discovery

    discovery._documents.clear()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_GROUP_ROLES = GROUP_ROLES
    settings.SITE_URL = site_url
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    origin = provider.issuer.rsplit("/o", 1)[0]
    policy["DIRECTIVES"]["form-action"] = ["'self'", origin]  # as settings.py makes it
    settings.CONTENT_SECURITY_POLICY = policy


def providers(tmp_path: Path, settings: Any) -> Iterator[Callable[[str], Provider]]:
    """`provider_for(site_url)`: a provider that knows the app at site_url, and the app
    configured to sign in through it; all stopped at the end (the fixture's body)."""
    started: list[Any] = []

    def start(site_url: str) -> Provider:
        context = running_provider(
            tmp_path, people=PEOPLE, redirect_uri=f"{site_url}/sso/callback/",
            logout_uri=f"{site_url}/login/",
        )  # fmt: skip
        provider = context.__enter__()
        started.append(context)
        configure(settings, provider, site_url)
        return provider

    yield start
    for context in started:
        context.__exit__(None, None, None)


@pytest.fixture
def provider_for(tmp_path: Path, settings: Any) -> Iterator[Callable[[str], Provider]]:
    yield from providers(tmp_path, settings)
