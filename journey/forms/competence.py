"""Forms of step 2 (kompetensinventering): validation of what the client posts.

Forms only check and clean input; the services write. Every form keeps what was typed when it
is invalid (Django re-renders bound forms), and a concept id field is only accepted if the
taxonomy has that concept with the right type (checked in the service, which owns the rule).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from journey.cvparse import MAX_BYTES, CvRefused
from journey.models import SKILL_LEVEL_MAX, SKILL_LEVEL_MIN, LanguageLevel

CONCEPT_ID_RE = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
NONE_PICK = "none"


class MonthField(forms.CharField):
    """A month as "YYYY-MM" (what <input type="month"> sends) or a year "YYYY"; the first day
    of the month as a date. Browsers without a month picker show a text box, hence the help."""

    default_error_messages = {
        "invalid": _("Skriv månaden som år och månad, till exempel 2019-03."),
    }

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})(?:\s*[-/.]\s*(\d{1,2}))?", text)
        if match is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match[1]), int(match[2] or 1)
        if not (1940 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(year, month, 1)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value.year:04d}-{value.month:02d}"
        return value


class ConceptIdField(forms.CharField):
    """A taxonomy concept id from a hidden input (set by the autocomplete); may be empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = (super().clean(value) or "").strip()
        if text and not CONCEPT_ID_RE.fullmatch(text):
            raise forms.ValidationError(_("Ogiltigt val."), code="invalid")
        return text


class ExperienceForm(forms.Form):
    title = forms.CharField(
        label=_("Yrkestitel"),
        max_length=200,
        help_text=_("Skriv din titel som du själv säger den. Välj gärna ett yrke ur förslagen."),
        error_messages={"required": _("Skriv din yrkestitel.")},
    )
    occupation_id = ConceptIdField()
    # The no-JS way to pick (or drop) the occupation: radio buttons of candidates.
    occupation_pick = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    employer = forms.CharField(label=_("Arbetsgivare"), max_length=200, required=False)
    start_date = MonthField(
        label=_("Från (år och månad)"), required=False, help_text=_("Till exempel 2019-03.")
    )
    end_date = MonthField(
        label=_("Till (år och månad)"),
        required=False,
        help_text=_("Lämna tomt om du fortfarande är kvar."),
    )
    description = forms.CharField(
        label=_("Vad gjorde du?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Några rader om uppgifter och resultat. Frivilligt."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Slutet kan inte vara före början."))
        limit = timezone.localdate().replace(day=1) + dt.timedelta(days=400)
        if start and start > limit:
            self.add_error("start_date", _("Början kan inte ligga mer än ett år fram i tiden."))
        pick = (data.get("occupation_pick") or "").strip()
        if pick and pick != NONE_PICK and not CONCEPT_ID_RE.fullmatch(pick):
            self.add_error(None, _("Ogiltigt val av yrke."))
        return data


class EducationForm(forms.Form):
    name = forms.CharField(
        label=_("Utbildning"),
        max_length=200,
        help_text=_("Till exempel Civilingenjör datateknik eller Undersköterska."),
        error_messages={"required": _("Skriv namnet på utbildningen.")},
    )
    institution = forms.CharField(label=_("Skola eller lärosäte"), max_length=200, required=False)
    level_id = forms.ChoiceField(label=_("Nivå"), required=False)
    field_text = forms.CharField(
        label=_("Inriktning"),
        max_length=200,
        required=False,
        help_text=_("Börja skriva och välj bland förslagen. Frivilligt."),
    )
    field_id = ConceptIdField()
    start_year = forms.IntegerField(label=_("Startår"), required=False, min_value=1940)
    end_year = forms.IntegerField(
        label=_("Slutår"), required=False, min_value=1940, help_text=_("Tomt om du läser nu.")
    )

    def __init__(self, *args: Any, level_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level_id"]).choices = [
            ("", _("Välj nivå (frivilligt)")),
            *level_choices,
        ]
        this_year = timezone.localdate().year
        too_late = _("Året ligger för långt fram.")
        self.fields["start_year"].validators.append(
            MaxValueValidator(this_year + 1, message=too_late)
        )
        self.fields["end_year"].validators.append(
            MaxValueValidator(this_year + 8, message=too_late)
        )
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "size": 6})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Slutåret kan inte vara före startåret."))
        return data


class SkillAddForm(forms.Form):
    skill_text = forms.CharField(
        label=_("Lägg till en kompetens"),
        max_length=200,
        help_text=_("Börja skriva, till exempel projektledning eller Excel, och välj ett förslag."),
        error_messages={"required": _("Skriv en kompetens.")},
    )
    skill_id = ConceptIdField()
    level = forms.TypedChoiceField(
        label=_("Nivå"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            ("", _("Ingen nivå ännu")),
            *level_choices(),
        ]


def level_choices() -> list[tuple[int, str]]:
    words = {
        1: _("1 – grundläggande"),
        2: _("2 – viss erfarenhet"),
        3: _("3 – god"),
        4: _("4 – mycket god"),
        5: _("5 – expert"),
    }
    return [(n, str(words[n])) for n in range(SKILL_LEVEL_MIN, SKILL_LEVEL_MAX + 1)]


class SkillLevelForm(forms.Form):
    skill_id = ConceptIdField(required=True)
    level = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", ""), *level_choices()]


class LanguageForm(forms.Form):
    language_text = forms.CharField(
        label=_("Språk"),
        max_length=100,
        help_text=_("Börja skriva och välj ett förslag."),
        error_messages={"required": _("Skriv ett språk.")},
    )
    language_id = ConceptIdField()
    level = forms.ChoiceField(
        label=_("Hur bra?"),
        choices=LanguageLevel.choices,
        error_messages={"required": _("Välj hur bra du kan språket.")},
    )


class LicenceForm(forms.Form):
    licences = forms.MultipleChoiceField(
        label=_("Körkort"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, licence_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["licences"]).choices = licence_choices


class CvUploadForm(forms.Form):
    cv = forms.FileField(
        label=_("Ditt CV (PDF eller Word-fil, högst 10 MB)"),
        error_messages={
            "required": _("Välj en fil att ladda upp."),
            "empty": _("Filen är tom. Välj filen med ditt CV igen."),
            "invalid": _("Välj en fil att ladda upp."),
        },
        allow_empty_file=True,  # the service refuses it with its own message
    )

    def clean_cv(self) -> Any:
        upload = self.cleaned_data["cv"]
        if upload is not None and upload.size > MAX_BYTES:
            # Refused on the size Django received, before the service reads a byte of it.
            language = "en" if (get_language() or "").startswith("en") else "sv"
            raise forms.ValidationError(CvRefused("too_large").message(language), code="too_large")
        return upload


MAX_UPLOAD_REQUEST_BYTES = MAX_BYTES + 64 * 1024  # the file plus the form's other fields
