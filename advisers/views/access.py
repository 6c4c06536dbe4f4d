"""Who may use which page of the adviser portal, and the one way an adviser reaches a client.

Every adviser page about a client goes through `adviser_case_access`:

- the client's journey is shown only through `vagval.consent.access.client_access` (role,
  relationship = the client is in the adviser's caseload, adviser_access consent), which
  writes the audit event;
- what the client and the adviser share in the case itself (meetings, messages, next steps,
  the adviser's own notes) stays reachable for the assigned adviser when the client has not
  (or no longer) shared the journey, as the consent text promises, and every such read is
  audited too;
- anyone else gets 404, so nobody can probe which clients exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from vagval.accounts.models import User
from vagval.audit.services import audit_record
from vagval.consent.access import client_access, client_access_allowed

from .. import selectors
from ..models import Case


def _role_required(
    role: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "role", None) != role:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


adviser_required = _role_required(User.Role.ADVISER)
client_required = _role_required(User.Role.CLIENT)


def team_lead_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @adviser_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        profile = selectors.adviser_profile_get(adviser=request.user)
        if profile is None or not profile.is_team_lead:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@dataclass
class CaseAccess:
    client: User
    case: Case
    shared: bool  # the journey may be shown (adviser_access consent in force)


def adviser_case_access(
    request: HttpRequest, *, client_id: int, purpose: str, action: str, journey: bool = False
) -> CaseAccess:
    """The client and case the signed-in adviser may work on, audited; else Http404.

    `journey=True` for pages that exist only to show the journey: without consent they 404.
    """
    viewer = request.user
    client = User.objects.filter(pk=client_id).first()
    if client is None:
        raise Http404
    if client_access_allowed(viewer=viewer, client=client):
        client = client_access(viewer=viewer, client_id=client_id, purpose=purpose, action=action)
        shared = True
    elif (
        not journey
        and client.is_active
        and client.role == User.Role.CLIENT
        and selectors.adviser_has_client(adviser=viewer, client=client)
    ):
        audit_record(actor=viewer, subject=client, action=action, purpose=purpose)
        shared = False
    else:
        raise Http404
    case = selectors.adviser_case_get(adviser=viewer, client_id=client.pk)
    if case is None:  # unassigned between the two reads
        raise Http404
    return CaseAccess(client=client, case=case, shared=shared)
