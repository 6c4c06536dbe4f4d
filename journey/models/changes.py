"""The "what changed" log shown on Min resa: one row per change the client should hear about.

Written by `services.changes.journey_change_record` when step 1 is updated and by the downstream
refreshers of later steps ("4 nya träffar sedan du lade till ..."). `seen_at` is set when the
client dismisses it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .client import ClientProfile, JourneyStep


class ChangeKind(models.TextChoices):
    UPDATED = "updated", _("Uppdaterat")
    COMPLETED = "completed", _("Klart")
    NEW_RESULTS = "new_results", _("Nya resultat")
    REMOVED_RESULTS = "removed_results", _("Resultat som försvunnit")
    QUESTIONNAIRE_UPGRADED = "questionnaire_upgraded", _("Nya frågor")
    INFO = "info", _("Information")


class JourneyChange(models.Model):
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="changes")
    step = models.CharField(max_length=16, choices=JourneyStep.choices)
    kind = models.CharField(max_length=24, choices=ChangeKind.choices)
    message_sv = models.CharField(max_length=500)
    message_en = models.CharField(max_length=500, blank=True)
    # Where to look at the change (a path inside the site), optional.
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "-created_at", "-id"]
        verbose_name = _("förändring i resan")
        verbose_name_plural = _("förändringar i resan")
        indexes = [models.Index(fields=["client", "seen_at"], name="journey_change_unseen")]

    def __str__(self) -> str:
        return f"{self.step}/{self.kind}: {self.message_sv}"

    def message(self, language: str) -> str:
        return self.message_en if language == "en" and self.message_en else self.message_sv
