"""Forms of the adviser portal. They validate input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vagval.taxonomy import selectors as taxonomy

from .models import (
    ADVISER_LANGUAGES,
    AdviserProfile,
    MeetingMode,
    MeetingSlot,
    OutcomeKind,
    Recommendation,
    SeminarTopic,
    SharingChoice,
)
from .selectors import JOURNEY_STAGES, SIGNAL_LABELS, SORTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök namn"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Steg"), required=False)
    signal = forms.ChoiceField(label=_("Signal"), required=False)
    sort = forms.ChoiceField(
        label=_("Sortera efter"),
        required=False,
        choices=[
            ("priority", _("Prioritet")),
            ("name", _("Namn")),
            ("stage", _("Steg")),
            ("notice", _("Dagar sedan uppsägning")),
            ("last_day", _("Dagar till sista anställningsdag")),
            ("activity", _("Senaste aktivitet")),
            ("meeting", _("Nästa möte")),
        ],
    )
    desc = forms.BooleanField(label=_("Omvänd ordning"), required=False)

    def __init__(self, *args: Any, stage_labels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_field: Any = self.fields["stage"]
        stage_field.choices = [
            ("", _("Alla steg")),
            *[(s, stage_labels.get(s, s)) for s in JOURNEY_STAGES],
            ("-", _("Har inte delat")),
        ]
        signal_field: Any = self.fields["signal"]
        english = (get_language() or "").startswith("en")
        signal_field.choices = [("", _("Alla"))] + [
            (code, en if english else sv) for code, (sv, en, _w) in SIGNAL_LABELS.items()
        ]

    def params(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"stage": "", "signal": "", "query": "", "sort": "priority", "descending": False}
        data = self.cleaned_data
        sort = data.get("sort") or "priority"
        return {
            "stage": data.get("stage") or "",
            "signal": data.get("signal") or "",
            "query": data.get("q") or "",
            "sort": sort if sort in SORTS else "priority",
            "descending": bool(data.get("desc")),
        }


class NextStepForm(forms.Form):
    text = forms.CharField(label=_("Nästa steg"), max_length=300)
    due_date = forms.DateField(label=_("Klart senast (valfritt)"), required=False, widget=DATE)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Anteckning"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    meeting = forms.TypedChoiceField(
        label=_("Hör till mötet"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, meetings: Sequence[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field: Any = self.fields["meeting"]
        field.choices = [("", _("Inget möte"))] + [
            (m.pk, timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M")) for m in meetings
        ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Ditt meddelande"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SlotForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DATE)
    start = forms.TimeField(label=_("Börjar"), widget=TIME)
    end = forms.TimeField(label=_("Slutar"), widget=TIME)
    modes = forms.MultipleChoiceField(
        label=_("Mötesform"),
        choices=MeetingMode.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[m for m in MeetingMode.values],
    )
    location = forms.CharField(label=_("Plats (för fysiska möten)"), required=False, max_length=200)
    repeat_weeks = forms.IntegerField(
        label=_("Upprepa varje vecka, antal veckor"), min_value=0, max_value=26, initial=0
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("start") and data.get("end"):
            tz = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(data["date"], data["start"], tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(data["date"], data["end"], tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("Tiden måste sluta efter att den börjar."))
        return data


class BookForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Välj en tid"), coerce=int, widget=forms.RadioSelect)
    mode = forms.ChoiceField(
        label=_("Hur vill ni ses?"), choices=MeetingMode.choices, widget=forms.RadioSelect
    )
    agenda = forms.CharField(
        label=_("Vad vill du ta upp? (valfritt)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, slots: list[MeetingSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["slot"]
        field.choices = [(s.pk, slot_label(s)) for s in slots]


def slot_label(slot: MeetingSlot) -> str:
    start = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    modes = ", ".join(str(MeetingMode(m).label).lower() for m in slot.modes)
    return f"{start:%Y-%m-%d} {start:%H:%M}–{end:%H:%M} ({modes})"


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Hur gick det?"),
        choices=[("held", _("Mötet genomfördes")), ("no_show", _("Klienten kom inte"))],
        widget=forms.RadioSelect,
    )


class RecommendationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vad vill du tipsa om?"),
        choices=Recommendation.Kind.choices,
        widget=forms.RadioSelect,
    )
    ad_id = forms.IntegerField(label=_("Annons"), required=False, widget=forms.RadioSelect)
    seminar_id = forms.TypedChoiceField(
        label=_("Seminarium"), required=False, coerce=int, empty_value=None
    )
    url = forms.CharField(label=_("Länk till artikeln"), required=False, max_length=2000)
    title = forms.CharField(label=_("Rubrik"), required=False, max_length=300)
    note = forms.CharField(
        label=_("Hälsning till klienten (valfritt)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        ads: Sequence[Any] = (),
        seminars: Sequence[Any] = (),
        **kwargs: Any,  # type: ignore[assignment]
    ) -> None:
        super().__init__(*args, **kwargs)
        ad_field: Any = self.fields["ad_id"]
        ad_field.widget = forms.RadioSelect(
            choices=[(a.pk, f"{a.headline} – {a.employer_name}") for a in ads]
        )
        seminar_field: Any = self.fields["seminar_id"]
        seminar_field.choices = [("", "—")] + [
            (
                s.seminar.pk,
                f"{s.seminar.title} ({timezone.localtime(s.seminar.starts_at):%Y-%m-%d})",
            )
            for s in seminars
        ]


def occupation_resolve(text: str) -> str:
    """An occupation concept id from what was typed (a concept id, or the best label match)."""
    text = text.strip()
    if not text:
        return ""
    concept = taxonomy.concept_get(concept_id=text)
    if concept is not None and concept.type == "occupation-name":
        return concept.concept_id
    hits = taxonomy.concept_autocomplete(query=text, types=["occupation"], limit=1)
    if not hits:
        raise forms.ValidationError(_("Hittade inget yrke som heter så. Prova ett annat ord."))
    return hits[0].concept_id


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hur slutade det?"), choices=OutcomeKind.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label=_("Från vilket datum?"), widget=DATE)
    occupation = forms.CharField(
        label=_("Yrke i det nya jobbet"),
        required=False,
        max_length=200,
        help_text=_("Till exempel ”Projektledare, IT”."),
    )
    employer_name = forms.CharField(
        label=_("Arbetsgivare (valfritt)"), required=False, max_length=200
    )
    comment = forms.CharField(label=_("Kommentar (valfritt)"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["occupation_id"] = occupation_resolve(data.get("occupation") or "")
        except forms.ValidationError as error:
            self.add_error("occupation", error)
            return data
        if data.get("kind") == OutcomeKind.JOB and not data["occupation_id"]:
            self.add_error("occupation", _("Ange yrket i det nya jobbet."))
        return data


class SeminarForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    topic = forms.ChoiceField(label=_("Ämne"), choices=SeminarTopic.choices)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    date = forms.DateField(label=_("Datum"), widget=DATE)
    start = forms.TimeField(label=_("Börjar"), widget=TIME)
    end = forms.TimeField(label=_("Slutar"), widget=TIME)
    location = forms.CharField(label=_("Plats"), required=False, max_length=200)
    video_url = forms.URLField(label=_("Videolänk"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Antal platser"), min_value=1, max_value=500, initial=20)
    language = forms.ChoiceField(label=_("Språk"), choices=ADVISER_LANGUAGES, initial="sv")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("start") and data.get("end"):
            tz = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(data["date"], data["start"], tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(data["date"], data["end"], tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("Seminariet måste sluta efter att det börjar."))
            elif data["starts_at"] <= timezone.now():
                self.add_error("date", _("Välj en tid som inte har passerat."))
        return data


class AdviserProfileForm(forms.ModelForm):
    video_room_url = forms.URLField(
        label=_("Länk till mitt videorum"), required=False, assume_scheme="https"
    )
    region_ids = forms.MultipleChoiceField(
        label=_("Regioner"), required=False, widget=forms.CheckboxSelectMultiple
    )
    occupation_codes = forms.MultipleChoiceField(
        label=_("Yrkesområden du har erfarenhet av"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Språk du kan ge råd på"),
        required=False,
        choices=ADVISER_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AdviserProfile
        fields = [
            "photo",
            "photo_alt",
            "title",
            "presentation_sv",
            "presentation_en",
            "region_ids",
            "occupation_codes",
            "languages",
            "video_room_url",
            "default_location",
            "capacity",
            "accepts_new_clients",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = (get_language() or "").startswith("en")

        def label(concept: Any) -> str:
            # The taxonomy has English labels for some concepts only; else the Swedish name.
            return str((concept.label_en if english else "") or concept.label_sv)

        regions: Any = self.fields["region_ids"]
        regions.choices = [(c.concept_id, label(c)) for c in taxonomy.concept_list(type="region")]
        codes: Any = self.fields["occupation_codes"]
        codes.choices = [
            (c.code, f"{c.code} {label(c)}")
            for c in sorted(taxonomy.concept_list(type="ssyk-level-2"), key=lambda c: c.code)
        ]


class ReassignForm(forms.Form):
    adviser = forms.TypedChoiceField(
        label=_("Ny rådgivare"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, advisers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["adviser"]
        field.choices = [("", _("Bästa matchning automatiskt"))] + [
            (
                load.profile.pk,
                f"{load.profile.user} ({load.open_cases}/{load.profile.capacity})",
            )
            for load in advisers
        ]


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Berätta gärna varför (valfritt)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wished_language = forms.ChoiceField(
        label=_("Önskat språk (valfritt)"),
        required=False,
        choices=[("", "—"), *ADVISER_LANGUAGES],
    )


class SharingForm(forms.Form):
    shared = forms.MultipleChoiceField(
        label=_("Det här får min rådgivare se"),
        required=False,
        choices=SharingChoice.Part.choices,
        widget=forms.CheckboxSelectMultiple,
    )
