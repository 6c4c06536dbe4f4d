"""What readers send us: replies and comments, barrier reports, newsletter sign-ups and event
registrations. Each row keeps only what the purpose needs; changes go through `cms.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReaderSubmission(models.Model):
    """A reader's reply to a debate piece or comment on a page, waiting for moderation."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Kommentar")
        REPLY = "reply", _("Replik")

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på granskning")
        APPROVED = "approved", _("Publicerad")
        REJECTED = "rejected", _("Avvisad")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("sida"),
        on_delete=models.CASCADE,
        related_name="reader_submissions",
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    name = models.CharField(_("namn"), max_length=120)
    email = models.EmailField(_("e-post"), help_text=_("Visas aldrig publikt."))
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=8000)
    language = models.CharField(_("språk"), max_length=8, default="sv")
    created_at = models.DateTimeField(_("inskickad"), auto_now_add=True)
    decided_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.CharField(_("skäl till avvisning"), max_length=500, blank=True)
    published_page = models.ForeignKey(
        "cms.DebatePage",
        verbose_name=_("publicerad som"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("läsarbidrag")
        verbose_name_plural = _("läsarbidrag (moderering)")
        indexes = [models.Index(fields=["page", "status"], name="cms_submission_page_status")]

    def __str__(self) -> str:
        return self.title or self.body[:60]


class BarrierReport(models.Model):
    """A reader's report of an accessibility barrier (required by the accessibility law)."""

    page_url = models.CharField(_("sida med problemet"), max_length=500, blank=True)
    description = models.TextField(_("beskrivning"), max_length=4000)
    email = models.EmailField(_("e-post för svar"), blank=True)
    created_at = models.DateTimeField(_("inskickad"), auto_now_add=True)
    handled = models.BooleanField(_("hanterad"), default=False)

    class Meta:
        ordering = ["handled", "-created_at"]
        verbose_name = _("rapporterad tillgänglighetsbrist")
        verbose_name_plural = _("rapporterade tillgänglighetsbrister")

    def __str__(self) -> str:
        return self.description[:60]


class NewsletterSubscription(models.Model):
    """A newsletter address; it receives mail only after the owner confirms (double opt-in).

    Unsubscribing deletes the row, so nothing is kept about people who left.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på bekräftelse")
        CONFIRMED = "confirmed", _("Bekräftad")

    email = models.EmailField(_("e-post"), unique=True)
    language = models.CharField(_("språk"), max_length=8, default="sv")
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("prenumerant på nyhetsbrevet")
        verbose_name_plural = _("prenumeranter på nyhetsbrevet")

    def __str__(self) -> str:
        return self.email


class EventRegistration(models.Model):
    """A place at an event, or a place on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Plats")
        WAITLISTED = "waitlisted", _("Väntelista")
        CANCELLED = "cancelled", _("Avbokad")

    event = models.ForeignKey(
        "cms.EventPage",
        verbose_name=_("evenemang"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(_("namn"), max_length=120)
    email = models.EmailField(_("e-post"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="cms_registration_unique_email")
        ]
        indexes = [models.Index(fields=["event", "status"], name="cms_registration_event_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"
