"""Forms of the member-company portal: plain Django forms, validated here, written by services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import Organisation

from .models import CaseKind, OpeningAudience, SignupRole, Site
from .staff_lists import MAX_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Namn på arbetsstället"), max_length=200)
    address = forms.CharField(label=_("Adress"), max_length=300, required=False)


class UnionContactForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    union = forms.CharField(label=_("Fackförbund"), max_length=120)
    email = forms.EmailField(label=_("E-postadress"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)


class HrInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Kollegans e-postadress"),
        help_text=_("Kollegan får ett mejl med en länk som gäller i 14 dagar."),
    )


class AccountCreateForm(forms.Form):
    """Name and password for a new account (HR invitation or an employee's invitation)."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    password1 = forms.CharField(
        label=_("Välj ett lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Skriv lösenordet igen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Lösenorden är inte likadana."))
        return data


class CaseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av ärende"), choices=CaseKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Namn på ärendet"),
        max_length=200,
        help_text=_("Till exempel ”Omorganisation ekonomi 2026”."),
    )
    reason = forms.CharField(
        label=_("Orsak"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
        help_text=_("Krävs för ett varsel. Beskriv kort varför, utan namn på personer."),
    )
    number_affected = forms.IntegerField(
        label=_("Antal berörda"), min_value=1, max_value=100000, required=False
    )
    notice_date = forms.DateField(label=_("Datum för varsel"), required=False, widget=DateInput())
    last_working_day = forms.DateField(
        label=_("Sista anställningsdag"), required=False, widget=DateInput()
    )
    site = forms.ModelChoiceField(
        label=_("Arbetsställe"), queryset=Site.objects.none(), required=False
    )
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Kontaktpersonens e-post"), required=False)
    contact_phone = forms.CharField(
        label=_("Kontaktpersonens telefon"), max_length=40, required=False
    )
    self_signup_domain = forms.CharField(
        label=_("Låt medarbetare anmäla sig själva (e-postdomän)"),
        max_length=120,
        required=False,
        help_text=_(
            "Bara för kompetenskartläggning före varsel. Till exempel ”foretaget.se”: den som "
            "har en adress i domänen kan anmäla sig via en länk ni delar."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CaseKind.NOTICE:
            if not data.get("reason"):
                self.add_error("reason", _("Skriv orsaken till varslet."))
            if not data.get("notice_date"):
                self.add_error("notice_date", _("Ange datum för varslet."))
        notice, last = data.get("notice_date"), data.get("last_working_day")
        if notice and last and last < notice:
            self.add_error(
                "last_working_day", _("Sista anställningsdagen kan inte vara före varslet.")
            )
        domain = (data.get("self_signup_domain") or "").strip().lower().lstrip("@")
        if domain and ("." not in domain or " " in domain or "@" in domain):
            self.add_error("self_signup_domain", _("Skriv en domän, till exempel foretaget.se."))
        data["self_signup_domain"] = domain
        return data


class EnrolmentForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    email = forms.EmailField(label=_("E-postadress"))
    unit = forms.CharField(label=_("Enhet"), max_length=120, required=False)
    last_working_day = forms.DateField(
        label=_("Sista anställningsdag"), required=False, widget=DateInput()
    )


class SelfSignupForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    email = forms.EmailField(label=_("Din e-postadress på jobbet"))
    unit = forms.CharField(label=_("Enhet"), max_length=120, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Lista över berörda (CSV eller Excel)"),
        help_text=_(
            "Kolumner: E-post, Förnamn, Efternamn (eller Namn), och om ni vill Enhet och Sista "
            "anställningsdag. Ta inte med personnummer. Högst 2 MB och 5 000 rader."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-"
                             "officedocument.spreadsheetml.sheet"}
        ),
    )  # fmt: skip

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor. Största tillåtna storlek är 2 MB."), code="too_big"
            )
        return upload


class AcceptForm(forms.Form):
    statistics = forms.BooleanField(
        label=_("Mina framsteg får räknas in i anonym statistik till arbetsgivaren"),
        required=False,
        help_text=_(
            "Arbetsgivaren ser bara antal för grupper om minst fem personer, aldrig dig. "
            "Du kan ändra dig när du vill under Mina uppgifter."
        ),
    )
    mobility = forms.BooleanField(
        label=_("Föreslå mig för lediga tjänster hos min arbetsgivare"),
        required=False,
        help_text=_(
            "Du ser förslagen först och väljer själv för varje tjänst om HR får se att du är "
            "intresserad. Du kan ta tillbaka samtycket när du vill under Mina uppgifter."
        ),
    )


class OpeningForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    occupation = forms.CharField(
        label=_("Yrke"),
        max_length=200,
        required=False,
        help_text=_("Skriv och välj ett yrke i listan."),
    )
    occupation_id = forms.CharField(required=False, widget=forms.HiddenInput)
    skills = forms.CharField(
        label=_("Kompetenser"),
        required=False,
        help_text=_("Skriv kompetenser åtskilda med kommatecken, till exempel ”Python, SQL”."),
    )
    description = forms.CharField(
        label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        max_length=8000,
    )  # fmt: skip
    unit = forms.CharField(label=_("Enhet"), max_length=120, required=False)
    site = forms.ModelChoiceField(
        label=_("Arbetsställe"), queryset=Site.objects.none(), required=False
    )
    audience = forms.ChoiceField(
        label=_("Vem får se tjänsten"),
        choices=OpeningAudience.choices,
        widget=forms.RadioSelect,
        initial=OpeningAudience.INTERNAL,
    )
    closes_on = forms.DateField(label=_("Sista ansökningsdag"), required=False, widget=DateInput())
    apply_url = forms.URLField(
        label=_("Länk till ansökan"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_(
            "För tjänster som visas för andra medlemsföretags medarbetare: var de söker. "
            "Utan länk, skriv i beskrivningen hur man söker."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == OpeningAudience.NETWORK and not data.get("description", ""):
            self.add_error(
                "description",
                _("Skriv en beskrivning: den blir annonsen i andra medlemsföretags "
                  "medarbetares flöde."),
            )  # fmt: skip
        return data


class CandidateSearchForm(forms.Form):
    occupation = forms.CharField(label=_("Yrke"), max_length=200, required=False)
    occupation_id = forms.CharField(required=False, widget=forms.HiddenInput)
    skill = forms.CharField(label=_("Kompetens"), max_length=200, required=False)
    skill_id = forms.CharField(required=False, widget=forms.HiddenInput)
    region = forms.ChoiceField(label=_("Län"), required=False)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Hela Sverige")),
            *regions,
        ]


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Meddelande till personen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Berätta kort om er och varför ni vill ha kontakt."),
    )


class SeminarSignupForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    email = forms.EmailField(label=_("E-postadress"))
    role = forms.ChoiceField(label=_("Roll"), choices=SignupRole.choices)
