"""Users, their role, and the member companies (organisations) they may belong to."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: migrations and forms name `vagval.accounts.models.validate_org_number`.
from .orgnumber import normalise_org_number, validate_org_number


class Organisation(models.Model):
    """A member company (kundföretag) of the job security council."""

    class Membership(models.TextChoices):
        ACTIVE = "active", _("Ansluten")
        SUSPENDED = "suspended", _("Vilande")
        ENDED = "ended", _("Avslutad")

    org_number = models.CharField(
        _("organisationsnummer"), max_length=10, unique=True, validators=[validate_org_number]
    )
    name = models.CharField(_("namn"), max_length=200)
    membership = models.CharField(
        _("medlemskap"), max_length=16, choices=Membership.choices, default=Membership.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("medlemsföretag")
        verbose_name_plural = _("medlemsföretag")

    def __str__(self) -> str:
        return f"{self.name} ({self.org_number[:6]}-{self.org_number[6:]})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.org_number = normalise_org_number(self.org_number)
        super().save(*args, **kwargs)


class UserManager(BaseUserManager["User"]):
    """Users are identified by e-mail address; there is no username."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", User.Role.STAFF)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who logs in. The role decides which portal they use."""

    class Role(models.TextChoices):
        CLIENT = "client", _("Klient")
        ADVISER = "adviser", _("Rådgivare")
        HR = "hr", _("HR på medlemsföretag")
        EDITOR = "editor", _("Redaktör")
        STAFF = "staff", _("Personal")

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-postadress"), unique=True)
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices, default=Role.CLIENT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("medlemsföretag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Arbetsgivaren för en klient, eller företaget en HR-användare företräder."),
    )
    preferred_language = models.CharField(
        _("språk"), max_length=5, choices=[("sv", "Svenska"), ("en", "English")], default="sv"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="hr") | models.Q(organisation__isnull=False),
                name="hr_user_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_client(self) -> bool:
        return self.role == self.Role.CLIENT

    @property
    def is_adviser(self) -> bool:
        return self.role == self.Role.ADVISER

    @property
    def is_hr(self) -> bool:
        return self.role == self.Role.HR

    @property
    def is_editor(self) -> bool:
        return self.role == self.Role.EDITOR

    @property
    def needs_mfa(self) -> bool:
        """Roles that see other people's personal data must use a second factor in production."""
        return self.role in (self.Role.ADVISER, self.Role.HR, self.Role.STAFF)
