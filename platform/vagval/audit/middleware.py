"""Middleware that makes the request's client IP available to audit-writing services."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import reset_current_ip, set_current_ip


def _client_ip(request: HttpRequest) -> str | None:
    try:
        from allauth.account.adapter import get_adapter

        # allauth knows about trusted proxies (ALLAUTH_TRUSTED_PROXY_COUNT and friends).
        ip = get_adapter(request).get_client_ip(request)
    except Exception:  # a misconfigured proxy setting must not break the page
        ip = request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


class AuditRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_current_ip(_client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_current_ip(token)
