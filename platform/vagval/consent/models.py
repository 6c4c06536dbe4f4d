"""The consent ledger: what a person agreed to, for which purpose, under which text version.

A consent is never edited in place: granting creates a record tied to the exact text version,
withdrawing stamps `withdrawn_at`, and a later grant creates a new record. The history stays.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    ADVISER_ACCESS = "adviser_access", _("Dela min resa med min rådgivare")
    EMPLOYER_VISIBILITY = "employer_visibility", _("Synlighet för arbetsgivare")
    STATISTICS = "statistics", _("Anonymiserad statistik")
    # Being ranked for the internal openings of one's own employer; HR sees a person only
    # after they also said yes to one opening (double opt-in).
    INTERNAL_MOBILITY = "internal_mobility", _("Visas för min arbetsgivare vid intern rörlighet")


class ConsentText(models.Model):
    """One published version of the plain-language text a person agrees to for a purpose."""

    purpose = models.CharField(_("syfte"), max_length=32, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField(_("version"))
    title_sv = models.CharField(_("rubrik (svenska)"), max_length=200)
    title_en = models.CharField(_("rubrik (engelska)"), max_length=200)
    text_sv = models.TextField(_("text (svenska)"))
    text_en = models.TextField(_("text (engelska)"))
    published_at = models.DateTimeField(_("publicerad"), default=timezone.now)

    class Meta:
        ordering = ["purpose", "-version"]
        verbose_name = _("samtyckestext")
        verbose_name_plural = _("samtyckestexter")
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "sv").startswith("en") else self.text_sv


class ConsentRecord(models.Model):
    """A person's consent to one purpose under one text version; withdrawn when stamped."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(_("syfte"), max_length=32, choices=ConsentPurpose.choices)
    text = models.ForeignKey(
        ConsentText, verbose_name=_("text"), on_delete=models.PROTECT, related_name="records"
    )
    granted_at = models.DateTimeField(_("lämnat"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        constraints = [
            # At most one consent in force per person and purpose.
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("granted_at")),
                name="consent_withdrawn_after_granted",
            ),
        ]
        indexes = [models.Index(fields=["purpose", "withdrawn_at"], name="consent_purpose_active")]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"{self.user_id} {self.purpose} v{self.text.version} {state}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
