"""Who may use which page of the member-company portal, and the audit of every HR page view.

- `hr_view(action=..., purpose=...)`: signed-in HR users of a member company only (others get
  403, anonymous users the login page). The view is called with `organisation=` the user's own
  company, so every lookup inside is scoped to it. Each successful request is written to the
  audit log with the object ids from the URL.
- `client_view`: signed-in clients only (for their answers to invitations, matches, requests).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from vagval.audit.services import audit_record


def hr_view(*, action: str, purpose: str) -> Callable[[Callable[..., HttpResponse]],
                                                      Callable[..., HttpResponse]]:  # fmt: skip
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role != "hr" or user.organisation_id is None:
                raise PermissionDenied("The company portal is for HR users of member companies.")
            response = view(request, *args, organisation=user.organisation, **kwargs)
            if response.status_code < 400 and not getattr(request, "htmx_poll", False):
                audit_record(
                    actor=user,
                    subject=None,
                    action=f"employers.{action}",
                    object_type="employers.url" if kwargs else "",
                    object_id=",".join(f"{k}={v}" for k, v in sorted(kwargs.items()))[:64],
                    purpose=purpose,
                )
            return response

        return wrapper

    return decorate


def client_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.role != "client":
            raise PermissionDenied("This page is for clients.")
        return view(request, *args, **kwargs)

    return wrapper
