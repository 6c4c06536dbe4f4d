"""Step 1 (nulägesanalys): the questionnaire as data, and the client's answers.

A `Questionnaire` row is one *version* of a questionnaire (slug + version). Staff edit a draft in
the Django admin and publish it; a published version is frozen, so every `QuestionnaireResponse`
keeps pointing at exactly the questions it was answered against. A client who opens step 1 after
a newer version is published gets a new response on that version, with the still-valid answers
carried over (services.questionnaire.response_current_ensure); the old response stays untouched.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from journey.conditions import ConditionError, condition_validate

from .client import ClientProfile

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,62}$", _("Använd små bokstäver a–z, siffror och understreck.")
)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Ett val")
    MULTI = "multi", _("Flera val")
    SCALE = "scale", _("Skala 1–5")
    DATE = "date", _("Datum")
    NUMBER = "number", _("Tal")
    TEXT = "text", _("Fritext")
    YESNO = "yesno", _("Ja/nej")
    PLACE = "place", _("Kommun eller län")


# Kinds whose answer must be one (or several) of the question's options.
KINDS_WITH_OPTIONS = (QuestionKind.SINGLE, QuestionKind.MULTI)
SCALE_VALUES = (1, 2, 3, 4, 5)


class Questionnaire(models.Model):
    """One version of a questionnaire. Sections are listed here; questions point at them."""

    slug = models.SlugField(_("kortnamn"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title_sv = models.CharField(_("rubrik (sv)"), max_length=200)
    title_en = models.CharField(_("rubrik (en)"), max_length=200, blank=True)
    intro_sv = models.TextField(_("inledning (sv)"), blank=True)
    intro_en = models.TextField(_("inledning (en)"), blank=True)
    # [{"key": "situation", "title_sv": "...", "title_en": "...", "intro_sv": "", "intro_en": ""}]
    sections = models.JSONField(_("avsnitt"), default=list)
    published = models.BooleanField(_("publicerad"), default=False)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("frågeformulär")
        verbose_name_plural = _("frågeformulär")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="journey_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        state = _("publicerad") if self.published else _("utkast")
        return f"{self.slug} v{self.version} ({state})"

    @property
    def section_keys(self) -> list[str]:
        return [s["key"] for s in self.sections if isinstance(s, dict) and "key" in s]

    def clean(self) -> None:
        if not isinstance(self.sections, list) or not self.sections:
            raise ValidationError({"sections": _("Ange minst ett avsnitt.")})
        seen: set[str] = set()
        for section in self.sections:
            if (
                not isinstance(section, dict)
                or not section.get("key")
                or not section.get("title_sv")
            ):
                raise ValidationError(
                    {"sections": _("Varje avsnitt behöver minst key och title_sv.")}
                )
            try:
                key_validator(section["key"])
            except ValidationError as exc:
                raise ValidationError({"sections": exc.messages}) from exc
            if section["key"] in seen:
                raise ValidationError({"sections": _("Två avsnitt har samma key.")})
            seen.add(section["key"])


class Question(models.Model):
    """One question of one questionnaire version, in a section, shown if `show_if` holds."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.CharField(_("nyckel"), max_length=63, validators=[key_validator])
    section = models.CharField(_("avsnitt"), max_length=63, validators=[key_validator])
    order = models.PositiveIntegerField(_("ordning"))
    kind = models.CharField(_("typ"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("obligatorisk"), default=False)
    text_sv = models.CharField(_("fråga (sv)"), max_length=300)
    text_en = models.CharField(_("fråga (en)"), max_length=300, blank=True)
    help_sv = models.TextField(_("hjälptext (sv)"), blank=True)
    help_en = models.TextField(_("hjälptext (en)"), blank=True)
    # [{"value": "notice", "label_sv": "...", "label_en": "..."}]; for a scale, optional labels
    # of the points 1-5.
    options = models.JSONField(_("svarsalternativ"), default=list, blank=True)
    show_if = models.JSONField(_("visas om"), default=dict, blank=True)
    min_value = models.IntegerField(_("minsta värde"), null=True, blank=True)
    max_value = models.IntegerField(_("största värde"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("högst antal val"), null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="journey_question_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text_sv}"

    @property
    def option_values(self) -> list[Any]:
        return [o["value"] for o in self.options if isinstance(o, dict) and "value" in o]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not isinstance(self.options, list):
            errors["options"] = _("Svarsalternativen är en lista.")
        else:
            for option in self.options:
                if (
                    not isinstance(option, dict)
                    or "value" not in option
                    or not option.get("label_sv")
                ):
                    errors["options"] = _("Varje alternativ behöver value och label_sv.")
                    break
            values = self.option_values
            if len(values) != len(set(map(str, values))):
                errors["options"] = _("Två alternativ har samma value.")
            if self.kind in KINDS_WITH_OPTIONS and not values:
                errors["options"] = _("Den här frågetypen behöver svarsalternativ.")
            if self.kind == QuestionKind.SCALE and values and set(values) - set(SCALE_VALUES):
                errors["options"] = _("En skala har värdena 1–5.")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = _("Största värdet är mindre än det minsta.")
        if self.questionnaire_id and self.section not in self.questionnaire.section_keys:
            errors["section"] = _("Avsnittet finns inte i frågeformuläret.")
        if self.show_if and self.questionnaire_id:
            # A condition may only look back: earlier questions are already answered.
            earlier = Question.objects.filter(
                questionnaire_id=self.questionnaire_id, order__lt=self.order
            ).values_list("key", flat=True)
            try:
                condition_validate(self.show_if, known_keys=earlier)
            except ConditionError as exc:
                errors["show_if"] = str(exc)
        if errors:
            raise ValidationError(errors)

    def text(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_sv

    def help(self, language: str) -> str:
        return self.help_en if language == "en" and self.help_en else self.help_sv


class QuestionnaireResponse(models.Model):
    """A client's answers to one questionnaire version. Completed once every shown required
    question is answered and the client has gone through to the end."""

    client = models.ForeignKey(
        ClientProfile, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date on every save so Min resa shows progress without loading every answer.
    answered_count = models.PositiveIntegerField(default=0)
    shown_count = models.PositiveIntegerField(default=0)
    # The section the client last saved, to offer "continue where you left off".
    last_section = models.CharField(max_length=63, blank=True)

    class Meta:
        ordering = ["client", "-id"]
        verbose_name = _("svar på frågeformulär")
        verbose_name_plural = _("svar på frågeformulär")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "questionnaire"], name="journey_response_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"Response({self.pk}) of {self.client_id} to {self.questionnaire_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class Answer(models.Model):
    """The current answer to one question. `revision` grows by one on every change, so a form
    showing an older revision cannot silently overwrite a newer answer."""

    response = models.ForeignKey(
        QuestionnaireResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question_key = models.CharField(max_length=63)
    # None means the client cleared the answer; the row stays so the revision keeps counting.
    value = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["response", "question_key"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.UniqueConstraint(fields=["response", "question_key"], name="journey_answer_key")
        ]

    def __str__(self) -> str:
        return f"{self.question_key}={self.value!r} (rev {self.revision})"
