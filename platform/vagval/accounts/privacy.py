"""The accounts app's part of the portable profile and of account erasure."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from .models import User


def export_user_data(user: Any) -> dict[str, Any]:
    organisation = user.organisation
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "preferred_language": user.preferred_language,
        "organisation": (
            {"org_number": organisation.org_number, "name": organisation.name}
            if organisation
            else None
        ),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # Which second factors are set up, never their secrets.
        "mfa": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }


def erase_user_data(user: Any) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # The admin's change history names the user (object_repr is their e-mail address).
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
