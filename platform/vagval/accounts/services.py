"""Writes of users and member companies: creating accounts and inviting staff roles."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Organisation, User, normalise_org_number, validate_org_number


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    role: str = User.Role.CLIENT,
    organisation: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
    email_verified: bool = False,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user with its allauth e-mail address (verified or not). No password = unusable."""
    if role == User.Role.HR and organisation is None:
        raise ValidationError(_("En HR-användare måste höra till ett medlemsföretag."))
    user = User.objects.create_user(
        email=email,
        password=password,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=email_verified, primary=True)
    return user


def organisation_upsert(
    *, org_number: str, name: str, membership: str | None = None
) -> Organisation:
    """Create or update a member company by organisation number (validated)."""
    validate_org_number(org_number)
    organisation, created = Organisation.objects.get_or_create(
        org_number=normalise_org_number(org_number),
        defaults={"name": name, "membership": membership or Organisation.Membership.ACTIVE},
    )
    changed = []
    if organisation.name != name:
        organisation.name = name
        changed.append("name")
    if membership and organisation.membership != membership:
        organisation.membership = membership
        changed.append("membership")
    if changed and not created:
        organisation.save(update_fields=changed)
    return organisation


def user_invite(
    *,
    email: str,
    role: str,
    invited_by: User,
    organisation: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an adviser, HR, editor or staff account and e-mail a link to choose a password.

    These roles are never self-signed-up. The link is allauth's password-reset link, so it
    expires like one and proves control of the mailbox; the address counts as verified once
    the invitee sets a password through it.
    """
    if role == User.Role.CLIENT:
        raise ValidationError(_("Klienter registrerar sig själva."))
    if not (invited_by.is_staff or invited_by.role == User.Role.STAFF):
        raise ValidationError(_("Bara personal kan bjuda in användare."))
    with transaction.atomic():
        user = user_create(
            email=email,
            password=None,
            role=role,
            organisation=organisation,
            first_name=first_name,
            last_name=last_name,
            email_verified=True,
            is_staff=role == User.Role.STAFF,
        )
        from vagval.audit.services import audit_record

        audit_record(
            actor=invited_by, subject=user, action="account.invite", purpose="Inbjudan skickad"
        )
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "invited_by": invited_by, "url": settings.SITE_URL + path}
    transaction.on_commit(
        lambda: send_mail(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Du är inbjuden till Vägval"),
            message=render_to_string("account/email/invitation_message.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )
    return user


def user_organisation_set(
    *,
    user: User,
    organisation: Organisation | None,
    actor: User | None,
    purpose: str,
) -> bool:
    """Tie `user` to the member company that employs them (None: to no company).

    The employer decides what an HR user may administer and which company's aggregates a
    client counts in, so every change is audited with `purpose` (shown to the person in their
    access log). HR users must always belong to a company. Returns whether anything changed;
    setting the company the user already has writes nothing.
    """
    if user.role == User.Role.HR and organisation is None:
        raise ValidationError(_("En HR-användare måste höra till ett medlemsföretag."))
    new_id = organisation.pk if organisation is not None else None
    if user.organisation_id == new_id:
        return False
    old_id = user.organisation_id
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    from vagval.audit.services import audit_record

    audit_record(
        actor=actor,
        subject=user,
        action="account.organisation.set",
        object_type="accounts.organisation",
        object_id=f"{old_id or '-'}->{new_id or '-'}",
        purpose=purpose,
    )
    return True


def user_set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
