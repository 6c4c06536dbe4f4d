"""Reads of users and member companies."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Organisation, User, normalise_org_number


def organisation_member_by_number(*, org_number: str) -> Organisation | None:
    """The member company with this organisation number, if its membership is active."""
    return Organisation.objects.filter(
        org_number=normalise_org_number(org_number),
        membership=Organisation.Membership.ACTIVE,
    ).first()


def user_get(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def users_with_role(*, role: str) -> QuerySet[User]:
    return User.objects.filter(role=role, is_active=True).order_by("email")


def organisation_users(*, organisation: Organisation, role: str | None = None) -> QuerySet[User]:
    qs = User.objects.filter(organisation=organisation, is_active=True)
    if role is not None:
        qs = qs.filter(role=role)
    return qs.order_by("email")
