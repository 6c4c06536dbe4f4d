"""Who may use the journey: signed-in users with the client role, each on their own data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from journey.services.client import client_profile_get_or_create


def client_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anonymous users to the login page, refuse other roles (403), and call the view with
    `client=` the signed-in user's ClientProfile (created on the first visit)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(user, "role", None) != "client":
            raise PermissionDenied("Min resa is for clients.")
        client = client_profile_get_or_create(user=user)
        return view(request, *args, client=client, **kwargs)

    return wrapper
