"""Step 4's records: CVs, their sent versions, cover letters, CV checks, interview and pitch
practice.

- `Cv`: one CV of one client, targeted at one occupation. `content` holds the client's own text
  (started from the competence inventory, then only ever changed by the client), `sections` the
  order and visibility of its sections. `competence_revision` is the CompetenceProfile revision
  the client last saw offers from (newer inventory items are *offered*, never written in).
  Deleting is soft: `deleted_at` set, restorable for `RESTORE_DAYS` days, then purged.
- `CvVersion`: a frozen copy of a CV as exported or sent with an application (append-only).
- `CoverLetter`: a letter of its own, linked to an application in step 5's tracker (by id, like
  the tracker links ads) and to the CV version sent with it. `LetterTemplate`: the client's own
  template for drafting letters.
- `CvCheck`: a CV checked against an ad (from the feed, or pasted text) and what was found.
- `InterviewQuestion`: the question bank, data edited by staff in the admin.
- `PracticeSet` and `PracticeAnswer`: a set of questions for an ad or a target, answered in
  writing; a set may be shared with the adviser (the private note never is).
- `Pitch`: the client's 30-, 60- or 120-second presentation.

Concept ids are JobTech taxonomy ids (strings), not foreign keys (as in step 2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journey.models import ClientProfile

RESTORE_DAYS = 30
CV_CONTENT_SCHEMA_VERSION = 1


class DocLanguage(models.TextChoices):
    SV = "sv", "Svenska"
    EN = "en", "English"


class CvTemplate(models.TextChoices):
    """Three ATS-friendly looks: real text, real headings, no images, no tables for layout."""

    CLASSIC = "classic", _("Klassisk")
    MODERN = "modern", _("Modern")
    COMPACT = "compact", _("Kompakt")


class CvLayout(models.TextChoices):
    ONE_COLUMN = "one", _("En kolumn (tolkas säkrast av rekryteringssystem)")
    TWO_COLUMNS = "two", _("Två kolumner (kompetenser och språk i en sidospalt)")


class CvOrigin(models.TextChoices):
    INVENTORY = "inventory", _("Från din kompetensinventering")
    IMPORT_JSON = "import_json", _("Importerat från JSON Resume")
    IMPORT_FILE = "import_file", _("Importerat från en fil")
    COPY = "copy", _("Kopia av ett annat CV")


class SoftDeleted(models.Model):
    """A document the client can delete and restore within RESTORE_DAYS days."""

    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def purge_after(self) -> dt.datetime | None:
        if self.deleted_at is None:
            return None
        return self.deleted_at + dt.timedelta(days=RESTORE_DAYS)

    @property
    def restorable(self) -> bool:
        after = self.purge_after
        return after is not None and after > timezone.now()


class Cv(SoftDeleted):
    """One CV of one client (see the module docstring).

    content: {"basics": {"name", "headline", "email", "phone", "city", "summary"},
    "experience": [{"key", "title", "employer", "occupation_id", "start", "end", "current",
    "description", "hidden"}], "education": [{"key", "name", "institution", "start_year",
    "end_year", "hidden"}], "skills": [{"concept_id", "label", "level", "hidden"}],
    "languages": [{"concept_id", "label", "level", "hidden"}], "licences": [{"concept_id",
    "label", "hidden"}]}. Dates are "YYYY-MM" or "".

    sections: [{"key": one of SECTION_KEYS, "hidden": bool, "heading": str}] in display order;
    an empty heading means the default heading in the CV's language.
    """

    SECTION_KEYS: tuple[str, ...] = (
        "profile",
        "experience",
        "education",
        "skills",
        "languages",
        "licences",
    )

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("namn på CV:t"), max_length=120)
    language = models.CharField(
        _("språk"), max_length=2, choices=DocLanguage.choices, default=DocLanguage.SV
    )
    template = models.CharField(
        _("mall"), max_length=12, choices=CvTemplate.choices, default=CvTemplate.CLASSIC
    )
    layout = models.CharField(
        _("layout"), max_length=4, choices=CvLayout.choices, default=CvLayout.ONE_COLUMN
    )
    target_occupation_id = models.CharField(max_length=32, blank=True)
    target_label = models.CharField(_("målyrke"), max_length=200, blank=True)
    origin = models.CharField(max_length=12, choices=CvOrigin.choices, default=CvOrigin.INVENTORY)
    # An imported CV is a draft until the client has reviewed it.
    is_draft = models.BooleanField(default=False)
    schema_version = models.PositiveSmallIntegerField(default=CV_CONTENT_SCHEMA_VERSION)
    content = models.JSONField(default=dict)
    sections = models.JSONField(default=list)
    competence_revision = models.PositiveIntegerField(null=True, blank=True)
    # Inventory items the client said no to ("skill:<id>", "experience:<key>"): never offered again.
    declined = models.JSONField(default=list, blank=True)
    # Bumped on every change of content, sections or look: a CvVersion records which one was sent.
    edit_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client", "-updated_at", "-id"]
        verbose_name = _("CV")
        verbose_name_plural = _("CV")
        indexes = [models.Index(fields=["client", "deleted_at"], name="journey_cv_client_deleted")]

    def __str__(self) -> str:
        return f"Cv({self.client_id}: {self.title})"


class CvVersion(models.Model):
    """A CV as it was exported or sent (frozen; the CV itself may change afterwards)."""

    cv = models.ForeignKey(Cv, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    edit_count = models.PositiveIntegerField()  # the CV's edit_count when frozen
    language = models.CharField(max_length=2, choices=DocLanguage.choices)
    template = models.CharField(max_length=12, choices=CvTemplate.choices)
    layout = models.CharField(max_length=4, choices=CvLayout.choices)
    content = models.JSONField()
    sections = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cv", "-number"]
        verbose_name = _("CV-version")
        verbose_name_plural = _("CV-versioner")
        constraints = [
            models.UniqueConstraint(fields=["cv", "number"], name="journey_cv_version_number")
        ]

    def __str__(self) -> str:
        return f"CvVersion({self.cv_id} v{self.number})"


class LetterTemplate(models.Model):
    """The client's own template for drafting cover letters (one per language)."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2, choices=DocLanguage.choices)
    body = models.TextField(_("mall"), max_length=6000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("brevmall")
        verbose_name_plural = _("brevmallar")
        constraints = [
            models.UniqueConstraint(fields=["client", "language"], name="journey_cv_letter_tpl")
        ]

    def __str__(self) -> str:
        return f"LetterTemplate({self.client_id} {self.language})"


class CoverLetter(SoftDeleted):
    """A cover letter (personligt brev), styled like the CV it goes with."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("namn på brevet"), max_length=200)
    language = models.CharField(
        _("språk"), max_length=2, choices=DocLanguage.choices, default=DocLanguage.SV
    )
    cv = models.ForeignKey(
        Cv, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    cv_version = models.ForeignKey(
        CvVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    # Step 5's tracker entry and ad, by id (the tracker keeps its own copy of the ad).
    application_id = models.PositiveBigIntegerField(null=True, blank=True)
    ad_id = models.PositiveBigIntegerField(null=True, blank=True)
    recipient = models.CharField(_("arbetsgivare"), max_length=300, blank=True)
    job_title = models.CharField(_("tjänst"), max_length=500, blank=True)
    body = models.TextField(_("brevtext"), max_length=8000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client", "-updated_at", "-id"]
        verbose_name = _("personligt brev")
        verbose_name_plural = _("personliga brev")
        indexes = [
            models.Index(fields=["client", "deleted_at"], name="journey_cv_letter_deleted"),
            models.Index(fields=["client", "application_id"], name="journey_cv_letter_app"),
        ]

    def __str__(self) -> str:
        return f"CoverLetter({self.client_id}: {self.title})"


class CvCheck(models.Model):
    """One check of a CV against an ad. `result` is what the check page shows (see
    `journey.cv.check.CheckResult.as_dict`)."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    cv = models.ForeignKey(Cv, on_delete=models.CASCADE, related_name="checks")
    ad_id = models.PositiveBigIntegerField(null=True, blank=True)
    headline = models.CharField(max_length=500, blank=True)
    ad_text = models.TextField(max_length=20000, blank=True)  # pasted text (empty for feed ads)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "-created_at", "-id"]
        verbose_name = _("CV-granskning")
        verbose_name_plural = _("CV-granskningar")

    def __str__(self) -> str:
        return f"CvCheck({self.cv_id}: {self.headline[:40]})"


class QuestionKind(models.TextChoices):
    STAR = "star", _("Kompetensbaserad (STAR)")
    GENERAL = "general", _("Allmän")
    REDUNDANCY = "redundancy", _("Om uppsägningen")


class InterviewQuestion(models.Model):
    """One question of the bank. A STAR question may name a skill concept and/or an SSYK-4
    occupation group it is for; a question with neither is for anyone."""

    kind = models.CharField(_("typ"), max_length=12, choices=QuestionKind.choices)
    skill_id = models.CharField(_("kompetens (begrepps-id)"), max_length=32, blank=True)
    group_id = models.CharField(_("yrkesgrupp (SSYK-4, begrepps-id)"), max_length=32, blank=True)
    text_sv = models.TextField(_("fråga (svenska)"), max_length=1000)
    text_en = models.TextField(_("fråga (engelska)"), max_length=1000, blank=True)
    guidance_sv = models.TextField(_("tips (svenska)"), max_length=2000, blank=True)
    guidance_en = models.TextField(_("tips (engelska)"), max_length=2000, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=100)
    key = models.SlugField(max_length=60, unique=True)  # stable id for the seed data

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("intervjufråga")
        verbose_name_plural = _("intervjufrågor")

    def __str__(self) -> str:
        return self.text_sv[:80]

    def text(self, language: str) -> str:
        return (self.text_en if language == "en" else "") or self.text_sv

    def guidance(self, language: str) -> str:
        return (self.guidance_en if language == "en" else "") or self.guidance_sv


class PracticeSet(models.Model):
    """A set of interview questions to practise, for an ad or a target occupation."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("namn"), max_length=500)
    language = models.CharField(max_length=2, choices=DocLanguage.choices, default=DocLanguage.SV)
    ad_id = models.PositiveBigIntegerField(null=True, blank=True)
    application_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_occupation_id = models.CharField(max_length=32, blank=True)
    # {"skills": [ids], "gaps": [ids], "group_id": ...}: what the questions were chosen from.
    basis = models.JSONField(default=dict, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)  # shared with the adviser
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client", "-created_at", "-id"]
        verbose_name = _("övningsomgång")
        verbose_name_plural = _("övningsomgångar")

    def __str__(self) -> str:
        return f"PracticeSet({self.client_id}: {self.title[:40]})"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


CHECKLIST_KEYS: tuple[str, ...] = ("situation", "task", "action", "result", "example", "length")


class PracticeAnswer(models.Model):
    """The client's written answer to one question of a set (STAR parts, checklist, note)."""

    practice_set = models.ForeignKey(PracticeSet, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        InterviewQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A copy of the question as asked (the bank may be edited or a question generated).
    question_text = models.TextField(max_length=1000)
    guidance = models.TextField(max_length=2000, blank=True)
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    skill_id = models.CharField(max_length=32, blank=True)
    is_gap = models.BooleanField(default=False)  # asked about a competence the client lacks
    order = models.PositiveSmallIntegerField(default=0)
    situation = models.TextField(_("situation"), max_length=2000, blank=True)
    task = models.TextField(_("uppgift"), max_length=2000, blank=True)
    action = models.TextField(_("handling"), max_length=3000, blank=True)
    result = models.TextField(_("resultat"), max_length=2000, blank=True)
    checklist = models.JSONField(default=list, blank=True)  # the CHECKLIST_KEYS ticked
    note = models.TextField(_("privat anteckning"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practice_set", "order", "id"]
        verbose_name = _("övningssvar")
        verbose_name_plural = _("övningssvar")

    def __str__(self) -> str:
        return f"PracticeAnswer({self.practice_set_id}: {self.question_text[:40]})"

    @property
    def is_answered(self) -> bool:
        return any((self.situation, self.task, self.action, self.result))

    def answer_text(self) -> str:
        return "\n".join(p for p in (self.situation, self.task, self.action, self.result) if p)


PITCH_SECONDS: tuple[int, ...] = (30, 60, 120)


class Pitch(models.Model):
    """The client's spoken presentation of a given length (one per length and language)."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    seconds = models.PositiveSmallIntegerField(choices=[(s, f"{s} s") for s in PITCH_SECONDS])
    language = models.CharField(max_length=2, choices=DocLanguage.choices, default=DocLanguage.SV)
    text = models.TextField(_("text"), max_length=4000)
    target_occupation_id = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client", "seconds"]
        verbose_name = _("presentation")
        verbose_name_plural = _("presentationer")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "seconds", "language"], name="journey_cv_pitch_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Pitch({self.client_id}: {self.seconds} s)"


def content_fields(obj: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}
