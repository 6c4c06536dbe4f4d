"""Models of vagval.taxonomy: JobTech taxonomy concepts, their relations and search terms.

Rows are written only by `services.taxonomy_load` from the committed snapshot. Other apps refer to
concepts by their JobTech concept id (the primary key), so a concept is never deleted: one that a
newer snapshot no longer has is marked `deprecated`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConceptType(models.TextChoices):
    """The concept types this snapshot holds (JobTech type names, legacy spellings normalised)."""

    OCCUPATION_NAME = "occupation-name", _("Yrkesbenämning")
    SSYK_LEVEL_1 = "ssyk-level-1", _("SSYK nivå 1")
    SSYK_LEVEL_2 = "ssyk-level-2", _("SSYK nivå 2")
    SSYK_LEVEL_3 = "ssyk-level-3", _("SSYK nivå 3")
    SSYK_LEVEL_4 = "ssyk-level-4", _("Yrkesgrupp (SSYK nivå 4)")
    OCCUPATION_FIELD = "occupation-field", _("Yrkesområde")
    ISCO_LEVEL_4 = "isco-level-4", _("ISCO nivå 4")
    SKILL = "skill", _("Kompetens")
    KEYWORD = "keyword", _("Sökord")
    COUNTRY = "country", _("Land")
    REGION = "region", _("Län")
    MUNICIPALITY = "municipality", _("Kommun")
    LANGUAGE = "language", _("Språk")
    DRIVING_LICENCE = "driving-licence", _("Körkort")
    EMPLOYMENT_TYPE = "employment-type", _("Anställningsform")
    EMPLOYMENT_DURATION = "employment-duration", _("Anställningens varaktighet")
    WORKTIME_EXTENT = "worktime-extent", _("Arbetstid")
    WAGE_TYPE = "wage-type", _("Löneform")
    OCCUPATION_EXPERIENCE = "occupation-experience-year", _("Yrkeserfarenhet")
    SELF_EMPLOYMENT_TYPE = "self-employment-type", _("Egenföretagande")
    SUN_FIELD_1 = "sun-education-field-1", _("Utbildningsinriktning nivå 1")
    SUN_FIELD_2 = "sun-education-field-2", _("Utbildningsinriktning nivå 2")
    SUN_FIELD_3 = "sun-education-field-3", _("Utbildningsinriktning nivå 3")
    SUN_FIELD_4 = "sun-education-field-4", _("Utbildningsinriktning nivå 4")
    SUN_LEVEL_1 = "sun-education-level-1", _("Utbildningsnivå 1")
    SUN_LEVEL_2 = "sun-education-level-2", _("Utbildningsnivå 2")
    SUN_LEVEL_3 = "sun-education-level-3", _("Utbildningsnivå 3")


class Concept(models.Model):
    """One JobTech taxonomy concept, keyed by its stable JobTech concept id."""

    concept_id = models.CharField(primary_key=True, max_length=32)
    type = models.CharField(max_length=40, choices=ConceptType.choices, db_index=True)
    label_sv = models.CharField(max_length=255)
    # NULL means "no English label in the sources", unlike an empty string (brief: nullable).
    label_en = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    # SSYK / ISCO / SUN code, municipality or län code, ISO language or country code.
    code = models.CharField(max_length=32, blank=True, default="")
    # occupation-name -> ssyk-level-4 -> 3 -> 2 -> 1; municipality -> region -> country.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    deprecated = models.BooleanField(default=False)
    # Small per-type facts: coordinates of a municipality, an SSYK definition, ISO codes.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["type", "label_sv"]
        indexes = [
            models.Index(fields=["type", "code"], name="taxonomy_concept_type_code"),
            models.Index(fields=["type", "deprecated"], name="taxonomy_concept_type_depr"),
        ]

    def __str__(self) -> str:
        return f"{self.label_sv} ({self.type} {self.concept_id})"


class RelationKind(models.TextChoices):
    SUBSTITUTES = "substitutes", _("Kan ersätta")
    RELATED = "related", _("Relaterad")
    BROADER = "broader", _("Bredare")
    KEYWORD = "keyword", _("Sökord för")


class ConceptRelation(models.Model):
    """A directed relation between two concepts.

    `substitutes`: an employer looking for `target` may accept someone who is `source`, with
    `weight` the JobTech substitutability percentage (25, 50, 75). `keyword`: the keyword `source`
    points to the occupation, skill or education field `target`. `related`: e.g. SSYK-4 to ISCO-4.
    """

    source = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=20, choices=RelationKind.choices)
    weight = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="taxonomy_relation_unique"
            )
        ]
        indexes = [models.Index(fields=["target", "kind"], name="taxonomy_relation_target_kind")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class TermKind(models.TextChoices):
    LABEL = "label", _("Benämning")
    SYNONYM = "synonym", _("Synonym")
    MISSPELLING = "misspelling", _("Felstavning")
    KEYWORD = "keyword", _("Sökord")


class ConceptTerm(models.Model):
    """A word or phrase that names a concept: its label, a synonym, a common misspelling."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=255)
    # normalize.normalize_term(term): folded, single-spaced; what search compares.
    norm = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=20, choices=TermKind.choices)
    lang = models.CharField(max_length=8, default="sv")
    # False for terms that are ordinary words ("ansvar", "service") or too short: they stay
    # searchable in autocomplete but the free-text matcher ignores them.
    matchable = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concept", "term"], name="taxonomy_term_unique")
        ]

    def __str__(self) -> str:
        return f"{self.term} -> {self.concept_id} ({self.kind})"


class TaxonomyRelease(models.Model):
    """One loaded snapshot. The newest row's `version` is the taxonomy version in force."""

    version = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField(auto_now=True)
    source = models.CharField(max_length=500, blank=True, default="")
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"taxonomy {self.version} loaded {self.loaded_at:%Y-%m-%d %H:%M}"
