"""Shared pages: the signed-in start page that sends each role to its portal, and a health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    targets = {
        "client": "/resa/",
        "adviser": "/radgivare/",
        "hr": "/foretag/",
        "editor": "/cms-admin/",
        "staff": "/django-admin/",
    }
    return redirect(targets.get(request.user.role, "/"))  # type: ignore[union-attr]
