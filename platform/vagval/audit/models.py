"""The audit log: who read or changed whose personal data, when and why."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def subject_key_for(user_id: int) -> str:
    """A stable pseudonymous key for a user, kept in the log after the account is erased.

    It is a keyed hash of the user id, so the log can still tell that several events concerned
    the same (now erased) person without holding anything that identifies them.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"vagval-audit-user:{user_id}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32]


class AuditEvent(models.Model):
    """One access to (or change of) a person's data by someone, with its stated purpose."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_as_actor",
    )
    actor_key = models.CharField(_("pseudonym för utföraren"), max_length=32, blank=True)
    actor_role = models.CharField(_("utförarens roll"), max_length=16, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gäller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_as_subject",
    )
    subject_key = models.CharField(
        _("pseudonym för den det gäller"), max_length=32, blank=True, db_index=True
    )
    action = models.CharField(_("händelse"), max_length=64)
    object_type = models.CharField(_("typ av uppgift"), max_length=100, blank=True)
    object_id = models.CharField(_("uppgiftens id"), max_length=64, blank=True)
    purpose = models.CharField(_("syfte"), max_length=255)
    ip = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggad händelse")
        verbose_name_plural = _("loggade händelser")
        indexes = [
            models.Index(fields=["subject", "-at"], name="audit_subject_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} ({self.purpose})"
