"""The client's place in the journey: one `ClientProfile` per client user.

The profile is the anchor every journey record hangs from. Its primary key is the user's id, so
`client_id` means the same number everywhere (tasks, URLs, other apps). The employer is not
copied: it is the user's organisation (set at signup from the organisation number).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vagval.accounts.models import Organisation


class EmploymentStatus(models.TextChoices):
    """Where the client stands with their (former) employer."""

    UNKNOWN = "unknown", _("Inte angivet")
    AT_RISK = "at_risk", _("Risk för uppsägning")
    NOTICE = "notice", _("Uppsagd, under uppsägningstid")
    LEFT = "left", _("Anställningen har upphört")


class JourneyStep(models.TextChoices):
    """The five steps of the journey, in order (DESIGN.md). Values are stable identifiers."""

    CURRENT_STATE = "current_state", _("Nulägesanalys")
    COMPETENCE = "competence", _("Kompetensinventering")
    MARKET = "market", _("Arbetsmarknadsinventering")
    CV = "cv", _("CV, brev och intervju")
    FEED = "feed", _("Lediga jobb")


STEP_ORDER: tuple[str, ...] = tuple(step.value for step in JourneyStep)


class JourneyStage(models.TextChoices):
    """How far the client has come: the furthest step started, or that the journey is over."""

    NOT_STARTED = "not_started", _("Inte påbörjad")
    CURRENT_STATE = "current_state", _("Nulägesanalys")
    COMPETENCE = "competence", _("Kompetensinventering")
    MARKET = "market", _("Arbetsmarknadsinventering")
    CV = "cv", _("CV, brev och intervju")
    FEED = "feed", _("Lediga jobb")
    FINISHED = "finished", _("Avslutad")


STAGE_ORDER: tuple[str, ...] = tuple(stage.value for stage in JourneyStage)


class ClientProfile(models.Model):
    """A client's journey record. Created on the client's first visit to the journey."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="client_profile",
        verbose_name=_("användare"),
    )
    status = models.CharField(
        _("anställningsstatus"),
        max_length=16,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.UNKNOWN,
    )
    notice_date = models.DateField(_("datum för uppsägningsbesked"), null=True, blank=True)
    last_working_day = models.DateField(_("sista anställningsdag"), null=True, blank=True)
    journey_stage = models.CharField(
        _("steg i resan"),
        max_length=16,
        choices=JourneyStage.choices,
        default=JourneyStage.NOT_STARTED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("klientprofil")
        verbose_name_plural = _("klientprofiler")

    def __str__(self) -> str:
        return f"ClientProfile({self.pk})"

    @property
    def employer(self) -> Organisation | None:
        """The member company the client comes from (the user's organisation)."""
        return self.user.organisation  # type: ignore[attr-defined, no-any-return]
