"""Demo data of the accounts app: a member company and one verified user per role.

Portals use these constants to attach their own demo data (e.g. the client's half-finished
journey) to the same people.
"""

from __future__ import annotations

from typing import TextIO

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from vagval.web.demoloader import DemoLogin, demo_password

from .models import Organisation, User
from .services import organisation_upsert, user_organisation_set

DEMO_ORG_NUMBER = "5569876542"  # valid Luhn check digit; not a real company's number
DEMO_ORG_NAME = "Norrsken Industri AB"
DEMO_CLIENT_EMAIL = "klient@demo.vagval.se"
DEMO_ADVISER_EMAIL = "radgivare@demo.vagval.se"
DEMO_HR_EMAIL = "hr@demo.vagval.se"
DEMO_EDITOR_EMAIL = "redaktor@demo.vagval.se"
DEMO_STAFF_EMAIL = "admin@demo.vagval.se"

_USERS = [
    # email, role, first, last, on org?, is_staff, is_superuser, description
    (
        DEMO_CLIENT_EMAIL,
        User.Role.CLIENT,
        "Karin",
        "Lindqvist",
        True,
        False,
        False,
        "ansluten till Norrsken Industri AB",
    ),
    (
        DEMO_ADVISER_EMAIL,
        User.Role.ADVISER,
        "Ahmed",
        "Berg",
        False,
        False,
        False,
        "rådgivarportalen",
    ),
    (
        DEMO_HR_EMAIL,
        User.Role.HR,
        "Helena",
        "Sjöberg",
        True,
        False,
        False,
        "företagsportalen, Norrsken",
    ),
    (
        DEMO_EDITOR_EMAIL,
        User.Role.EDITOR,
        "Erik",
        "Dahl",
        False,
        False,
        False,
        "Wagtail, /cms-admin/",
    ),
    (
        DEMO_STAFF_EMAIL,
        User.Role.STAFF,
        "Sara",
        "Nyström",
        False,
        True,
        True,
        "administration, /django-admin/",
    ),
]


def demo_user_ensure(
    *,
    email: str,
    role: str,
    first_name: str,
    last_name: str,
    organisation: Organisation | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create or reset a demo user: the demo password and a verified primary e-mail address."""
    user = User.objects.filter(email=email).first() or User(email=email, organisation=organisation)
    user.role = role
    user.first_name = first_name
    user.last_name = last_name
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.is_active = True
    if not user.pk or not user.check_password(demo_password()):
        user.set_password(demo_password())
    user.save()
    user_organisation_set(
        user=user, organisation=organisation, actor=None, purpose="Demoanvändaren återställd"
    )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    organisation = organisation_upsert(org_number=DEMO_ORG_NUMBER, name=DEMO_ORG_NAME)
    logins = []
    for email, role, first, last, on_org, is_staff, is_superuser, description in _USERS:
        user = demo_user_ensure(
            email=email,
            role=role,
            first_name=first,
            last_name=last,
            organisation=organisation if on_org else None,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        if role == User.Role.EDITOR:
            # Wagtail's own migrations create the "Editors" group with access to its admin.
            editors = Group.objects.filter(name="Editors").first()
            if editors is not None:
                user.groups.add(editors)
        logins.append(DemoLogin(role=str(role.label), email=email, description=description))
    stdout.write(f"  medlemsföretag {organisation} och {len(logins)} demoanvändare\n")
    return logins
