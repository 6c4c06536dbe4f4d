"""Security rules that depend on the user's role: MFA enrolment and the adviser idle timeout."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

# Pages a user without MFA must still reach: the account and MFA setup pages themselves
# (allauth lives under /konto/), static files, the language switch and the health check.
_MFA_EXEMPT_PREFIXES = ("/konto/", "/static/", "/i18n/", "/healthz")
IDLE_SESSION_KEY = "vagval_last_seen"


class RoleSecurityMiddleware:
    """Force MFA enrolment for advisers, HR and staff (when required) and time out idle advisers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.role == "adviser" and self._idle_expired(request):
                logout(request)
                login_url = resolve_url(settings.LOGIN_URL)
                query = urlencode({"timeout": "1", "next": request.get_full_path()})
                return redirect(f"{login_url}?{query}")
            if (
                settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES
                and user.needs_mfa
                and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
                and not _has_mfa(user)
            ):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _idle_expired(request: HttpRequest) -> bool:
        """True if the adviser's previous request was longer ago than the idle limit."""
        now = int(time.time())
        last = request.session.get(IDLE_SESSION_KEY)
        request.session[IDLE_SESSION_KEY] = now
        return last is not None and now - int(last) > settings.VAGVAL_ADVISER_IDLE_SECONDS


def _has_mfa(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
