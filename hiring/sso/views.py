"""Signing in and out: the login page (company account first, a password where allowed),
the provider's redirect and callback (mozilla-django-oidc's views, off without OIDC_ISSUER),
the page a refused company account sees, and logging out of both."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc import views as oidc_views

from hiring.sso.backends import REFUSED_KEY, oidc_setting
from hiring.sso.discovery import document, sso_enabled
from hiring.sso.services import BAD_TOKEN, INACTIVE, NO_ROLE


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": sso_enabled(),
            "password_login": settings.PASSWORD_LOGIN,
        }


def _sso_only(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is not configured")
        return view(request, *args, **kwargs)

    return wrapped


class StartView(oidc_views.OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def login_failure(self) -> HttpResponse:
        self.request.session.setdefault(REFUSED_KEY, BAD_TOKEN)
        return HttpResponseRedirect(reverse("sso:refused"))


sso_start = _sso_only(StartView.as_view())
sso_callback = _sso_only(CallbackView.as_view())

REASONS = {
    NO_ROLE: "Your company account is not in a group that has a role here.",
    INACTIVE: "Your account here has been deactivated.",
    BAD_TOKEN: "The sign-in could not be verified (it may have expired or been tampered with).",
}


def sso_refused(request: HttpRequest) -> HttpResponse:
    """Why a company account was not let in; nothing was created for it."""
    reason = request.session.pop(REFUSED_KEY, BAD_TOKEN)
    context = {"reason": REASONS.get(reason, REASONS[BAD_TOKEN]), "no_role": reason == NO_ROLE}
    return render(request, "sso/refused.html", context, status=403)


class LogoutView(auth_views.LogoutView):
    """Log out here, then, after a company-account sign-in, at the provider too."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        end_session = document().get("end_session_endpoint") if id_token and sso_enabled() else ""
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": f"{settings.SITE_URL}{reverse('login')}",
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")
