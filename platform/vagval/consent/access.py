"""Authorising one person's read of a client's data: role, relationship, consent, then audit.

Portals call `client_access` before showing anything about a client to someone else. Whether
a viewer is related to a client is the portals' knowledge (an adviser's caseload, an employer's
enrolled staff), but vagval must not import them, so each portal registers a rule for its role
from its `AppConfig.ready()`:

    from vagval.consent.access import access_rule_register
    from vagval.consent.models import ConsentPurpose

    class AdvisersConfig(AppConfig):
        def ready(self) -> None:
            from .selectors import adviser_has_client
            access_rule_register(
                role="adviser",
                relationship=lambda viewer, client: adviser_has_client(
                    adviser=viewer, client=client
                ),
                consent=ConsentPurpose.ADVISER_ACCESS,
            )

A role without a rule never gets access. This is an explicit registry, not a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404

from vagval.accounts.models import User
from vagval.audit.services import audit_record

from .selectors import consent_is_granted

Relationship = Callable[[Any, Any], bool]
"""`relationship(viewer, client) -> bool`: is this viewer entitled to this client at all?"""


@dataclass(frozen=True)
class AccessRule:
    role: str
    relationship: Relationship
    consent: str | None
    """The consent purpose the client must have granted, or None when none is needed."""


_rules: dict[str, AccessRule] = {}


def access_rule_register(*, role: str, relationship: Relationship, consent: str | None) -> None:
    """Say how viewers with `role` may reach a client. Registering a role again replaces it."""
    if role not in User.Role.values or role == User.Role.CLIENT:
        raise ValueError(f"No access rule can be registered for role {role!r}")
    _rules[role] = AccessRule(role=role, relationship=relationship, consent=consent)


def access_rule_unregister(*, role: str) -> None:
    _rules.pop(role, None)


def access_rules() -> dict[str, AccessRule]:
    return dict(_rules)


def client_access_allowed(*, viewer: Any, client: Any) -> bool:
    """Would `client_access` let `viewer` see `client`? Writes nothing (use it to hide links)."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    if client is None or not client.is_active or client.role != User.Role.CLIENT:
        return False
    if viewer.pk == client.pk:
        return True
    rule = _rules.get(viewer.role)
    if rule is None or not rule.relationship(viewer, client):
        return False
    return rule.consent is None or consent_is_granted(user=client, purpose=rule.consent)


def client_access(
    *,
    viewer: Any,
    client_id: int,
    purpose: str,
    action: str = "client.view",
    obj: models.Model | None = None,
) -> User:
    """Return the client `viewer` may see for `purpose`, and log the access; else raise Http404.

    404 rather than 403 so that nobody can probe which client ids exist. A client reading their
    own data is allowed and not logged. `purpose` is the plain reason shown to the client in
    their access log (e.g. "Förbereda rådgivningsmöte").
    """
    if not purpose or not purpose.strip():
        raise ValueError("client_access needs a purpose")
    client = User.objects.filter(pk=client_id).first()
    if not client_access_allowed(viewer=viewer, client=client):
        raise Http404
    assert client is not None
    if viewer.pk != client.pk:
        audit_record(actor=viewer, subject=client, action=action, obj=obj, purpose=purpose)
    return client
