"""The portable profile and account erasure, gathered from every app's `privacy.py`.

The protocol (explicit, no signals): any installed app may have a module `privacy.py` with

    def export_user_data(user) -> dict: ...   # JSON-serialisable data about `user`
    def erase_user_data(user) -> None: ...    # remove or anonymise every personal record

`user_data_export` puts each app's export under the app's label in one document, the portable
profile (schema described in docs/portable-profile.md). `user_account_delete` calls every
eraser (portals first, core last: the reverse of INSTALLED_APPS) in one transaction and then
deletes the user. An eraser must leave nothing that identifies the person; data kept for
statistics must be anonymised first (no user id, no free text, no exact dates).

This module is also the consent app's own provider (its records are exported and erased here).
"""

from __future__ import annotations

import json
import sys
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

PORTABLE_PROFILE_SCHEMA = "vagval.portable-profile"
PORTABLE_PROFILE_VERSION = 1
RESERVED_KEYS = frozenset({"schema", "version", "exported_at", "language"})


def privacy_providers() -> list[tuple[str, ModuleType]]:
    """(app label, module) for every installed app with a `privacy.py`, in INSTALLED_APPS order."""
    autodiscover_modules("privacy")
    providers = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.privacy")
        if module is None:
            continue
        has_export = callable(getattr(module, "export_user_data", None))
        has_erase = callable(getattr(module, "erase_user_data", None))
        if not (has_export or has_erase):
            continue  # a third-party module that happens to be called privacy
        if not (has_export and has_erase):
            raise ImproperlyConfigured(
                f"{module.__name__} must define both export_user_data and erase_user_data"
            )
        if config.label in RESERVED_KEYS:
            raise ImproperlyConfigured(f"App label {config.label!r} clashes with a profile key")
        providers.append((config.label, module))
    return providers


def user_data_export(*, user: Any) -> dict[str, Any]:
    """Everything Vägval holds about `user`, as one JSON-ready portable profile."""
    profile: dict[str, Any] = {
        "schema": PORTABLE_PROFILE_SCHEMA,
        "version": PORTABLE_PROFILE_VERSION,
        "exported_at": timezone.now().isoformat(),
        "language": getattr(user, "preferred_language", "sv"),
    }
    for label, module in privacy_providers():
        data = module.export_user_data(user)
        # Round-trip so dates, UUIDs and decimals become plain JSON, and a provider returning
        # something unserialisable fails here rather than in the download.
        profile[label] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return profile


def user_account_delete(*, user: Any, actor: Any | None = None) -> None:
    """Erase `user`: every app's eraser, then the account itself, all or nothing.

    The audit log keeps an event saying that an account was deleted, under the pseudonymous
    key only. `actor` is whoever asked (the user themself by default).
    """
    from vagval.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            actor=actor or user,
            subject=user,
            action="account.delete",
            purpose="Kontot raderades på begäran" if actor is None else "Kontot raderades",
        )
        for _label, module in reversed(privacy_providers()):
            module.erase_user_data(user)
        user.delete()


# --- the consent app's own provider ---------------------------------------------------------


def export_user_data(user: Any) -> dict[str, Any]:
    from .selectors import consent_records_for_user

    return {
        "records": [
            {
                "purpose": r.purpose,
                "text_version": r.text.version,
                "text_sv": r.text.text_sv,
                "granted_at": r.granted_at,
                "withdrawn_at": r.withdrawn_at,
            }
            for r in consent_records_for_user(user=user)
        ]
    }


def erase_user_data(user: Any) -> None:
    from .models import ConsentRecord

    ConsentRecord.objects.filter(user=user).delete()
