"""Step 2's records, the competence inventory (kompetensinventering).

What the client tells us (or accepts from our suggestions) about their competences:

- `Experience`: jobs held; the title as typed, and the occupation concept it was matched to
- `Education`: programmes; level and field concepts where they could be matched
- `CompetenceSkill`: one row per (client, skill concept): declared, or suggested from the
  occupations held, from an uploaded CV or from an ad; accepted or rejected. A rejected
  suggestion stays, so the same skill is never suggested again.
- `LanguageSkill`, `DrivingLicence`
- `CvUpload`: the text extracted from an uploaded old CV (the file itself is never stored)
- `CompetenceInventory`: the step's own bookkeeping (started, marked done)
- `CompetenceProfile`: step 2's output, an append-only snapshot of the accepted competences as
  concept ids with source and level, rebuilt by `services.competence.competence_profile_rebuild`
  on every change. Steps 3, 4 and 5 read the newest revision instead of the rows above.

Concept ids are JobTech taxonomy ids (strings); they are not foreign keys, so a taxonomy reload
never touches client data (a concept is never deleted there, only marked deprecated).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .client import ClientProfile

# Bumped when the meaning of a CompetenceProfile field changes (exports say which they follow).
COMPETENCE_PROFILE_SCHEMA_VERSION = 1

SKILL_LEVEL_MIN = 1
SKILL_LEVEL_MAX = 5


class CompetenceSource(models.TextChoices):
    """Where a competence came from."""

    DECLARED = "declared", _("Angiven av dig")
    FROM_OCCUPATION = "from_occupation", _("Från dina yrken")
    FROM_CV = "from_cv", _("Från ditt CV")
    FROM_AD = "from_ad", _("Från en annons")
    FROM_ADVISER = "from_adviser", _("Från din rådgivare")


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Förslag")
    ACCEPTED = "accepted", _("Godkänd")
    REJECTED = "rejected", _("Avvisad")


class LanguageLevel(models.TextChoices):
    """How well the client speaks a language (plain words, roughly CEFR A2 / B2 / C1 / native)."""

    BASIC = "basic", _("Grundläggande")
    GOOD = "good", _("Goda kunskaper")
    FLUENT = "fluent", _("Flytande")
    NATIVE = "native", _("Modersmål")


class ClientOwned(models.Model):
    """Common columns of step 2's rows: whose they are, where they came from, when."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(
        max_length=16, choices=CompetenceSource.choices, default=CompetenceSource.DECLARED
    )
    status = models.CharField(
        max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.ACCEPTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_suggestion(self) -> bool:
        return self.status == SuggestionStatus.SUGGESTED


class Experience(ClientOwned):
    """A job the client has held. `title` is kept exactly as typed, matched or not."""

    employer = models.CharField(_("arbetsgivare"), max_length=200, blank=True)
    title = models.CharField(_("yrkestitel"), max_length=200)
    # occupation-name concept id; "" when the title matched no occupation (free text is fine).
    occupation_id = models.CharField(max_length=32, blank=True)
    start_date = models.DateField(_("från"), null=True, blank=True)  # first of the month
    end_date = models.DateField(_("till"), null=True, blank=True)  # None: still there
    description = models.TextField(_("beskrivning"), max_length=4000, blank=True)

    class Meta:
        ordering = ["client", "-start_date", "-id"]
        verbose_name = _("erfarenhet")
        verbose_name_plural = _("erfarenheter")
        indexes = [models.Index(fields=["client", "status"], name="journey_exp_client_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="journey_exp_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Experience({self.client_id}: {self.title})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Education(ClientOwned):
    """A programme or course. Level and field are concept ids where the client chose one."""

    name = models.CharField(_("utbildning"), max_length=200)
    institution = models.CharField(_("skola"), max_length=200, blank=True)
    level_id = models.CharField(max_length=32, blank=True)  # sun-education-level-2 concept
    field_id = models.CharField(max_length=32, blank=True)  # sun-education-field-3/4 concept
    start_year = models.PositiveSmallIntegerField(_("startår"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("slutår"), null=True, blank=True)

    class Meta:
        ordering = ["client", "-end_year", "-start_year", "-id"]
        verbose_name = _("utbildning")
        verbose_name_plural = _("utbildningar")

    def __str__(self) -> str:
        return f"Education({self.client_id}: {self.name})"


class CompetenceSkill(ClientOwned):
    """One skill concept of one client, whatever its source and status (unique per client)."""

    skill_id = models.CharField(max_length=32)
    # 1 (some) .. 5 (expert); None until the client rates it.
    level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SKILL_LEVEL_MIN), MaxValueValidator(SKILL_LEVEL_MAX)],
    )
    # Why it was suggested: [{"source": "from_occupation", "sv": "...", "en": "...", ...}].
    reasons = models.JSONField(default=list, blank=True)
    # Ordering of suggestions: higher first (share of ads, number of mentions in the CV).
    score = models.FloatField(default=0.0)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "-score", "id"]
        verbose_name = _("kompetens")
        verbose_name_plural = _("kompetenser")
        constraints = [
            models.UniqueConstraint(fields=["client", "skill_id"], name="journey_skill_unique"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True)
                | models.Q(level__gte=SKILL_LEVEL_MIN, level__lte=SKILL_LEVEL_MAX),
                name="journey_skill_level_range",
            ),
        ]
        indexes = [models.Index(fields=["client", "status"], name="journey_skill_client_status")]

    def __str__(self) -> str:
        return f"CompetenceSkill({self.client_id}: {self.skill_id} {self.status})"


class LanguageSkill(ClientOwned):
    language_id = models.CharField(max_length=32)
    level = models.CharField(max_length=8, choices=LanguageLevel.choices, blank=True)

    class Meta:
        ordering = ["client", "id"]
        verbose_name = _("språk")
        verbose_name_plural = _("språk")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "language_id"], name="journey_language_unique"
            )
        ]

    def __str__(self) -> str:
        return f"LanguageSkill({self.client_id}: {self.language_id})"


class DrivingLicence(models.Model):
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    licence_id = models.CharField(max_length=32)  # driving-licence concept id
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "id"]
        verbose_name = _("körkort")
        verbose_name_plural = _("körkort")
        constraints = [
            models.UniqueConstraint(fields=["client", "licence_id"], name="journey_licence_unique")
        ]

    def __str__(self) -> str:
        return f"DrivingLicence({self.client_id}: {self.licence_id})"


class CvKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"


class CvUpload(models.Model):
    """An uploaded old CV: its extracted text and what it gave. The file is not kept."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=CvKind.choices)
    size = models.PositiveIntegerField()  # bytes
    text = models.TextField()
    # {"skills": n, "languages": n, "experiences": n, "occupations": [...]}: what was suggested.
    found = models.JSONField(default=dict, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "-uploaded_at", "-id"]
        verbose_name = _("uppladdat CV")
        verbose_name_plural = _("uppladdade CV")

    def __str__(self) -> str:
        return f"CvUpload({self.client_id}: {self.filename})"


class CompetenceInventory(models.Model):
    """Step 2's bookkeeping: when the client started and when they said they were done."""

    client = models.OneToOneField(
        ClientProfile, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kompetensinventering")
        verbose_name_plural = _("kompetensinventeringar")

    def __str__(self) -> str:
        return f"CompetenceInventory({self.client_id})"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class CompetenceProfile(models.Model):
    """One revision of step 2's output (append-only; the newest is the client's profile).

    Every list holds concept ids with where they came from, so steps 3-5 never re-read the rows
    of step 2:

    - skills: [{"concept_id", "label", "source", "level"}] (accepted skills only; level 1-5 or
      None when not rated)
    - occupations: [{"concept_id", "label", "source": "experience", "years", "current"}]
      (matched occupations of the experiences, most recent first)
    - languages: [{"concept_id", "label", "level"}]
    - driving_licences: [{"concept_id", "label"}]
    - education: [{"name", "level_id", "field_id", "end_year"}]
    """

    client = models.ForeignKey(
        ClientProfile, on_delete=models.CASCADE, related_name="competence_profiles"
    )
    revision = models.PositiveIntegerField()
    schema_version = models.PositiveSmallIntegerField(default=COMPETENCE_PROFILE_SCHEMA_VERSION)
    computed_at = models.DateTimeField(auto_now_add=True)
    skills = models.JSONField(default=list)
    occupations = models.JSONField(default=list)
    languages = models.JSONField(default=list)
    driving_licences = models.JSONField(default=list)
    education = models.JSONField(default=list)
    experience_years = models.FloatField(default=0.0)  # total, overlapping jobs counted once

    CONTENT_FIELDS: tuple[str, ...] = (
        "skills",
        "occupations",
        "languages",
        "driving_licences",
        "education",
        "experience_years",
    )

    class Meta:
        ordering = ["client", "-revision"]
        get_latest_by = "revision"
        verbose_name = _("kompetensprofil")
        verbose_name_plural = _("kompetensprofiler")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "revision"], name="journey_competence_revision"
            )
        ]

    def __str__(self) -> str:
        return f"CompetenceProfile({self.client_id} rev {self.revision})"

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    @property
    def skill_ids(self) -> list[str]:
        return [s["concept_id"] for s in self.skills]

    @property
    def occupation_ids(self) -> list[str]:
        return [o["concept_id"] for o in self.occupations]

    def skill_weights(self) -> dict[str, float]:
        """Skill id -> weight in [0, 1] for matching: a rated level / 5, unrated counts 0.6."""
        return {
            s["concept_id"]: (s["level"] / SKILL_LEVEL_MAX if s.get("level") else 0.6)
            for s in self.skills
        }
