"""Step 1's output: `CurrentState`, the typed record later steps read instead of asking again.

Append-only: each recomputation that changes anything adds a row with the next `revision`, and
names the response (and its questionnaire version) it was computed from. The newest row is the
client's current state; older rows are history (what changed, and for the adviser).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .client import ClientProfile, EmploymentStatus
from .questionnaire import QuestionnaireResponse

# Bumped when the meaning of a field changes, so an export says which schema it follows.
CURRENT_STATE_SCHEMA_VERSION = 1


class Driver(models.TextChoices):
    """What the client wants from the next job (step 1 'drivkrafter')."""

    DEVELOPMENT = "development", _("Utveckling")
    SECURITY = "security", _("Trygghet")
    SALARY = "salary", _("Lön")
    MEANING = "meaning", _("Meningsfullhet")
    FLEXIBILITY = "flexibility", _("Flexibilitet")
    COLLEAGUES = "colleagues", _("Kollegor")
    LEADERSHIP = "leadership", _("Ledarskap")


class Openness(models.TextChoices):
    YES = "yes", _("Ja")
    MAYBE = "maybe", _("Kanske")
    NO = "no", _("Nej")
    UNKNOWN = "unknown", _("Inte angivet")


class RemoteWish(models.TextChoices):
    ONSITE = "onsite", _("På arbetsplatsen")
    HYBRID = "hybrid", _("Delvis på distans")
    REMOTE = "remote", _("Helt på distans")
    ANY = "any", _("Spelar ingen roll")
    UNKNOWN = "unknown", _("Inte angivet")


class Hours(models.TextChoices):
    FULL = "full", _("Heltid")
    PART = "part", _("Deltid")
    EITHER = "either", _("Heltid eller deltid")
    UNKNOWN = "unknown", _("Inte angivet")


class EconomicRunway(models.TextChoices):
    UNDER_3 = "under_3", _("Mindre än 3 månader")
    FROM_3_TO_6 = "3_6", _("3–6 månader")
    FROM_6_TO_12 = "6_12", _("6–12 månader")
    OVER_12 = "over_12", _("Mer än ett år")
    UNKNOWN = "unknown", _("Inte angivet")


class SuggestedPath(models.TextChoices):
    SAME_OCCUPATION = "same_occupation", _("Nytt jobb i samma yrke")
    NEW_OCCUPATION = "new_occupation", _("Nytt yrke")
    STUDIES = "studies", _("Studier")
    OWN_BUSINESS = "own_business", _("Eget företag")


class Priority(models.TextChoices):
    HIGH = "high", _("Hög")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Låg")


class CurrentState(models.Model):
    """One computed revision of a client's current state (see services.current_state)."""

    client = models.ForeignKey(
        ClientProfile, on_delete=models.CASCADE, related_name="current_states"
    )
    revision = models.PositiveIntegerField()
    schema_version = models.PositiveSmallIntegerField(default=CURRENT_STATE_SCHEMA_VERSION)
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_from = models.ForeignKey(
        QuestionnaireResponse, on_delete=models.CASCADE, related_name="current_states"
    )
    computed_from_version = models.PositiveIntegerField()

    stage = models.CharField(max_length=16, choices=EmploymentStatus.choices)
    notice_date = models.DateField(null=True, blank=True)
    last_working_day = models.DateField(null=True, blank=True)
    economic_runway = models.CharField(max_length=8, choices=EconomicRunway.choices)
    energy = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5
    wellbeing = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5

    # {"development": 0-100, ...}: every Driver, higher means it matters more.
    drivers = models.JSONField(default=dict)
    top_drivers = models.JSONField(default=list)  # up to three Driver values, as chosen

    municipality_ids = models.JSONField(default=list)  # JobTech concept ids
    region_ids = models.JSONField(default=list)  # JobTech concept ids
    max_commute_minutes = models.PositiveIntegerField(null=True, blank=True)
    relocate = models.BooleanField(null=True, blank=True)
    remote = models.CharField(max_length=8, choices=RemoteWish.choices)
    hours = models.CharField(max_length=8, choices=Hours.choices)
    salary_floor = models.PositiveIntegerField(null=True, blank=True)  # SEK a month, before tax

    open_new_occupation = models.CharField(max_length=8, choices=Openness.choices)
    open_studies = models.CharField(max_length=8, choices=Openness.choices)
    open_own_business = models.CharField(max_length=8, choices=Openness.choices)

    suggested_path = models.CharField(max_length=16, choices=SuggestedPath.choices)
    # [{"code": "...", "sv": "...", "en": "..."}]: why this path, in plain language.
    path_reasons = models.JSONField(default=list)
    priority = models.CharField(max_length=8, choices=Priority.choices)
    priority_reasons = models.JSONField(default=list)
    help_wanted = models.JSONField(default=list)  # option values of the 'help_wanted' question

    class Meta:
        ordering = ["client", "-revision"]
        get_latest_by = "revision"
        verbose_name = _("nuläge")
        verbose_name_plural = _("nulägen")
        constraints = [
            models.UniqueConstraint(fields=["client", "revision"], name="journey_state_revision")
        ]
        indexes = [models.Index(fields=["priority", "-computed_at"], name="journey_state_prio")]

    def __str__(self) -> str:
        return f"CurrentState({self.client_id} rev {self.revision})"

    # Later steps ask these instead of interpreting the Openness strings themselves.
    @property
    def is_open_to_new_occupation(self) -> bool:
        return self.open_new_occupation in (Openness.YES, Openness.MAYBE)

    @property
    def is_open_to_studies(self) -> bool:
        return self.open_studies in (Openness.YES, Openness.MAYBE)

    @property
    def is_open_to_own_business(self) -> bool:
        return self.open_own_business in (Openness.YES, Openness.MAYBE)

    @property
    def place_ids(self) -> list[str]:
        return [*self.municipality_ids, *self.region_ids]

    # The fields that carry meaning (not bookkeeping): compared to tell whether anything changed.
    CONTENT_FIELDS: tuple[str, ...] = (
        "stage",
        "notice_date",
        "last_working_day",
        "economic_runway",
        "energy",
        "wellbeing",
        "drivers",
        "top_drivers",
        "municipality_ids",
        "region_ids",
        "max_commute_minutes",
        "relocate",
        "remote",
        "hours",
        "salary_floor",
        "open_new_occupation",
        "open_studies",
        "open_own_business",
        "suggested_path",
        "path_reasons",
        "priority",
        "priority_reasons",
        "help_wanted",
    )

    def content(self) -> dict[str, Any]:
        """The meaningful fields as plain values (dates stay `date`)."""
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}
