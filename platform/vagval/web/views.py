"""Shared pages: the signed-in start page for every role, and a health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from vagval.accounts.services import user_set_language
from vagval.web.navigation import nav_items


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The page after login: the role's main places, and what to do first."""
    user = request.user
    role = user.role  # type: ignore[union-attr]
    context = {
        "role": role,
        "destinations": nav_items(role=role),
        "mfa_enabled": _has_totp(user),
    }
    return render(request, "web/home.html", context)


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on the signed-in account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
    return response
