"""Forms of step 4. They check shape (lengths, choices, dates); the services clean the text and
enforce the rules, so the same rules hold for every caller."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from .models import CHECKLIST_KEYS, PITCH_SECONDS, CvLayout, CvTemplate, DocLanguage

MONTH_HELP = _("ÅÅÅÅ-MM, till exempel 2019-03")


class MonthInput(forms.TextInput):
    """<input type="month"> (a month picker on phones); plain "ÅÅÅÅ-MM" text elsewhere."""

    input_type = "month"


class CvCreateForm(forms.Form):
    target = forms.ChoiceField(label=_("Målyrke"), required=False)
    language = forms.ChoiceField(label=_("Språk"), choices=DocLanguage.choices, initial="sv")
    template = forms.ChoiceField(label=_("Mall"), choices=CvTemplate.choices, initial="classic")
    layout = forms.ChoiceField(label=_("Layout"), choices=CvLayout.choices, initial="one")
    title = forms.CharField(label=_("Namn på CV:t (valfritt)"), max_length=120, required=False)

    def __init__(self, *args: Any, targets: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", _("Inget särskilt yrke")),
            *(targets or []),
        ]
        if targets:
            self.fields["target"].initial = targets[0][0]


class CvSettingsForm(forms.Form):
    title = forms.CharField(label=_("Namn på CV:t"), max_length=120)
    language = forms.ChoiceField(label=_("Språk"), choices=DocLanguage.choices)
    template = forms.ChoiceField(label=_("Mall"), choices=CvTemplate.choices)
    layout = forms.ChoiceField(label=_("Layout"), choices=CvLayout.choices)


class BasicsForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200, required=False)
    headline = forms.CharField(
        label=_("Rubrik under namnet (yrke)"), max_length=200, required=False
    )
    email = forms.CharField(label=_("E-post"), max_length=254, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("Profil"),
        help_text=_("Två–tre meningar om vem du är, vad du är bra på och vad du söker."),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ExperienceForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    occupation_id = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    employer = forms.CharField(label=_("Arbetsgivare"), max_length=200, required=False)
    start = forms.CharField(
        label=_("Från"), max_length=7, required=False, help_text=MONTH_HELP, widget=MonthInput
    )
    end = forms.CharField(
        label=_("Till (tomt om du är kvar)"),
        max_length=7,
        required=False,
        help_text=MONTH_HELP,
        widget=MonthInput,
    )
    description = forms.CharField(
        label=_("Vad du gjorde och åstadkom"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hidden = forms.BooleanField(label=_("Dölj i CV:t"), required=False)


ExperienceFormSet = formset_factory(ExperienceForm, extra=1, can_delete=True, max_num=40)


class EducationForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Utbildning"), max_length=200, required=False)
    institution = forms.CharField(label=_("Skola"), max_length=200, required=False)
    start_year = forms.IntegerField(
        label=_("Startår"), required=False, min_value=1940, max_value=2100
    )
    end_year = forms.IntegerField(label=_("Slutår"), required=False, min_value=1940, max_value=2100)
    hidden = forms.BooleanField(label=_("Dölj i CV:t"), required=False)


EducationFormSet = formset_factory(EducationForm, extra=1, can_delete=True, max_num=30)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CV-fil"),
        help_text=_("JSON Resume (.json), PDF eller Word (DOCX), högst 10 MB."),
    )


class CheckForm(forms.Form):
    ad = forms.ChoiceField(label=_("Annons från dina jobb"), required=False)
    text = forms.CharField(
        label=_("… eller klistra in annonsens text"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, ads: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ad"]).choices = [
            ("", _("Välj en annons")),
            *(ads or []),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("ad") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Välj en annons eller klistra in annonsens text."))
        return data


class LetterCreateForm(forms.Form):
    application = forms.ChoiceField(label=_("Ansökan"), required=False)
    cv = forms.ChoiceField(label=_("CV som skickas med"), required=False)
    language = forms.ChoiceField(label=_("Språk"), choices=DocLanguage.choices, initial="sv")

    def __init__(
        self,
        *args: Any,
        applications: list[tuple[str, str]] | None = None,
        cvs: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["application"]).choices = [
            ("", _("Ingen särskild annons")),
            *(applications or []),
        ]
        cast(forms.ChoiceField, self.fields["cv"]).choices = [("", _("Inget CV")), *(cvs or [])]


class LetterForm(forms.Form):
    title = forms.CharField(label=_("Namn på brevet"), max_length=200)
    recipient = forms.CharField(label=_("Arbetsgivare"), max_length=300, required=False)
    job_title = forms.CharField(label=_("Tjänst"), max_length=500, required=False)
    cv = forms.ChoiceField(label=_("CV som skickas med"), required=False)
    body = forms.CharField(
        label=_("Brevtext"), max_length=8000, widget=forms.Textarea(attrs={"rows": 16})
    )

    def __init__(self, *args: Any, cvs: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cv"]).choices = [("", _("Inget CV")), *(cvs or [])]


class LetterTemplateForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Språk"), choices=DocLanguage.choices, widget=forms.HiddenInput
    )
    body = forms.CharField(
        label=_("Din brevmall"),
        help_text=_(
            "Platshållare som fylls i: {tjanst}, {arbetsgivare}, {kompetenser}, {erfarenhet}, "
            "{namn}, {yrke}."
        ),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 14}),
    )


class PracticeCreateForm(forms.Form):
    ad = forms.ChoiceField(label=_("För en annons"), required=False)
    target = forms.ChoiceField(label=_("… eller för ett yrke"), required=False)
    language = forms.ChoiceField(label=_("Språk"), choices=DocLanguage.choices, initial="sv")

    def __init__(
        self,
        *args: Any,
        ads: list[tuple[str, str]] | None = None,
        targets: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ad"]).choices = [("", _("Ingen annons")), *(ads or [])]
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", _("Allmän övning")),
            *(targets or []),
        ]


CHECKLIST_LABELS = {
    "situation": _("Jag beskrev situationen kort"),
    "task": _("Jag sa vad just jag skulle göra"),
    "action": _("Jag berättade hur jag gjorde (jag, inte vi)"),
    "result": _("Jag sa vad det ledde till, gärna med en siffra"),
    "example": _("Exemplet hör ihop med det annonsen efterfrågar"),
    "length": _("Svaret tar runt två minuter att säga"),
}


class PracticeAnswerForm(forms.Form):
    situation = forms.CharField(
        label=_("Situation"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    task = forms.CharField(
        label=_("Uppgift"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    action = forms.CharField(
        label=_("Handling"), max_length=3000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    result = forms.CharField(
        label=_("Resultat"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    checklist = forms.MultipleChoiceField(
        label=_("Checklista"),
        choices=list(CHECKLIST_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Privat anteckning (visas aldrig för någon annan)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


assert set(CHECKLIST_LABELS) == set(CHECKLIST_KEYS)


class PitchForm(forms.Form):
    seconds = forms.TypedChoiceField(
        choices=[(s, f"{s} s") for s in PITCH_SECONDS], coerce=int, widget=forms.HiddenInput
    )
    language = forms.ChoiceField(choices=DocLanguage.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Din presentation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8})
    )
