"""Step 3's records, the labour-market inventory (arbetsmarknadsinventering).

- `SearchProfile`: what the job feed (step 5) searches for: target occupations and groups,
  places, commute and remote wish. Append-only: every change adds a revision; the newest is in
  force. Its places start as step 1's (`CurrentState`) and keep following step 1 until the
  client chooses other places here (`follows_current_state`), so a change of places in step 1
  reaches the feed without asking again.
- `MarketPlan`: step 3's output as the client saw it: the occupations ranked for them (with
  reasons, skills held and lacking, demand), the targets chosen, and the upstream revisions
  (CurrentState, CompetenceProfile, SearchProfile) it was computed from. Append-only; a new
  revision only when the suggestions or the choice change, so diffing two revisions says what
  changed for the client ("2 nya yrkesförslag sedan du lade till ...").
- `TransitionOutcome`: an anonymised outcome (from occupation group to occupation group) kept
  for the "paths earlier clients took" reason; no link to the person. Shown only for groups of
  at least `settings.VAGVAL_SUPPRESSION_THRESHOLD` outcomes.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .client import ClientProfile
from .current_state import RemoteWish

# Bumped when the meaning of a field changes (exports say which schema they follow).
SEARCH_PROFILE_SCHEMA_VERSION = 1
MARKET_PLAN_SCHEMA_VERSION = 1


class SearchProfileSource(models.TextChoices):
    """Who wrote a search profile revision."""

    CURRENT_STATE = "current_state", _("Från din nulägesanalys")
    CLIENT = "client", _("Valt av dig")
    REFRESH = "refresh", _("Uppdaterat efter en ändring")
    ADVISER = "adviser", _("Från din rådgivare")


class SearchProfile(models.Model):
    """One revision of what the client's job feed searches for."""

    client = models.ForeignKey(
        ClientProfile, on_delete=models.CASCADE, related_name="search_profiles"
    )
    revision = models.PositiveIntegerField()
    schema_version = models.PositiveSmallIntegerField(default=SEARCH_PROFILE_SCHEMA_VERSION)
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=16, choices=SearchProfileSource.choices)
    # [{"concept_id", "label", "ssyk", "group_id"}]: occupation-name concepts, in the client's order
    target_occupations = models.JSONField(default=list)
    target_groups = models.JSONField(default=list)  # ssyk-level-4 concept ids
    municipality_ids = models.JSONField(default=list)
    region_ids = models.JSONField(default=list)
    max_commute_minutes = models.PositiveIntegerField(null=True, blank=True)
    remote = models.CharField(max_length=8, choices=RemoteWish.choices, default=RemoteWish.UNKNOWN)
    # True while the places, commute and remote wish are step 1's (so they follow its changes).
    follows_current_state = models.BooleanField(default=True)
    state_revision = models.PositiveIntegerField(null=True, blank=True)

    CONTENT_FIELDS: tuple[str, ...] = (
        "target_occupations",
        "target_groups",
        "municipality_ids",
        "region_ids",
        "max_commute_minutes",
        "remote",
        "follows_current_state",
    )

    class Meta:
        ordering = ["client", "-revision"]
        get_latest_by = "revision"
        verbose_name = _("sökprofil")
        verbose_name_plural = _("sökprofiler")
        constraints = [
            models.UniqueConstraint(fields=["client", "revision"], name="journey_search_revision")
        ]

    def __str__(self) -> str:
        return f"SearchProfile({self.client_id} rev {self.revision})"

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    @property
    def target_occupation_ids(self) -> list[str]:
        return [t["concept_id"] for t in self.target_occupations]

    @property
    def place_ids(self) -> list[str]:
        return [*self.municipality_ids, *self.region_ids]


class MarketPlan(models.Model):
    """One revision of step 3's output: ranked occupations and the client's choice.

    - suggestions: [{"concept_id", "label", "ssyk", "group_id", "score", "reasons": [{"code",
      "sv", "en"}], "matched_skills": [{"concept_id", "label"}], "missing_skills": [...],
      "demand": {"active_ads", "active_by_region", "ads_2024", "ads_2024_by_region",
      "salary": {"p10", "mean", "p90"}}, "transitions": n}]
    - regions: the region ids demand was counted in
    """

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="market_plans")
    revision = models.PositiveIntegerField()
    schema_version = models.PositiveSmallIntegerField(default=MARKET_PLAN_SCHEMA_VERSION)
    computed_at = models.DateTimeField(auto_now_add=True)
    suggestions = models.JSONField(default=list)
    regions = models.JSONField(default=list)
    targets = models.JSONField(default=list)  # the chosen occupation concept ids
    state_revision = models.PositiveIntegerField(null=True, blank=True)
    competence_revision = models.PositiveIntegerField(null=True, blank=True)
    search_revision = models.PositiveIntegerField(null=True, blank=True)
    # When the client confirmed their choice on the step 3 page (None: only suggested so far).
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "-revision"]
        get_latest_by = "revision"
        verbose_name = _("arbetsmarknadsplan")
        verbose_name_plural = _("arbetsmarknadsplaner")
        constraints = [
            models.UniqueConstraint(fields=["client", "revision"], name="journey_market_revision")
        ]

    def __str__(self) -> str:
        return f"MarketPlan({self.client_id} rev {self.revision})"

    @property
    def suggestion_ids(self) -> list[str]:
        return [s["concept_id"] for s in self.suggestions]

    @property
    def inputs(self) -> tuple[int | None, int | None, int | None]:
        return (self.state_revision, self.competence_revision, self.search_revision)


class TransitionOutcome(models.Model):
    """An anonymised move from one SSYK-4 group to another (no person, no exact date)."""

    from_group_id = models.CharField(max_length=32)
    to_group_id = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("yrkesövergång")
        verbose_name_plural = _("yrkesövergångar")
        indexes = [models.Index(fields=["from_group_id"], name="journey_transition_from")]

    def __str__(self) -> str:
        return f"{self.from_group_id} -> {self.to_group_id} ({self.year})"
