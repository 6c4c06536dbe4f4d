"""factory_boy factories for users and member companies, for every app's tests.

`UserFactory` creates a user with a verified primary e-mail address (as allauth needs for
login) and the password `PASSWORD`; pass `email_verified=False` for an unverified one.
"""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from vagval.accounts.models import Organisation, User

PASSWORD = "korrekt-hast-batteri-42"


def _luhn_org_number(n: int) -> str:
    base = f"55{n:07d}"[:9]
    total = 0
    for i, ch in enumerate(base):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return base + str((10 - total % 10) % 10)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("org_number",)

    org_number = factory.Sequence(lambda n: _luhn_org_number(1000 + n))
    name = factory.Sequence(lambda n: f"Testföretaget {n} AB")
    membership = Organisation.Membership.ACTIVE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    first_name = "Anna"
    last_name = "Svensson"
    role = User.Role.CLIENT
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in (User.Role.CLIENT, User.Role.HR)),
        yes_declaration=factory.SubFactory(OrganisationFactory),
        no_declaration=None,
    )

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def email_verified(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )
