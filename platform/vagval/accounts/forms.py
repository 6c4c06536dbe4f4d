"""Forms of the account pages: client signup tied to a member company."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import validate_org_number
from .selectors import organisation_member_by_number


class ClientSignupForm(SignupForm):
    """Signup for clients: name, e-mail, the employer's organisation number and a password."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    org_number = forms.CharField(
        label=_("Arbetsgivarens organisationsnummer"),
        max_length=13,
        help_text=_(
            "Tio siffror, till exempel 556074-3089. Du hittar det på lönebeskedet "
            "eller i anställningsavtalet."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    field_order = ["first_name", "last_name", "email", "org_number", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].label = _("E-postadress")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = _("Lösenord")
        if "password2" in self.fields:
            self.fields["password2"].label = _("Lösenord igen")
            self.fields["password2"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].widget.attrs.pop("placeholder", None)

    def clean_org_number(self) -> str:
        value: str = self.cleaned_data["org_number"].strip()
        validate_org_number(value)
        organisation = organisation_member_by_number(org_number=value)
        if organisation is None:
            raise ValidationError(
                _(
                    "Vi hittar inget anslutet medlemsföretag med organisationsnumret "
                    "%(number)s. Kontrollera numret, eller kontakta oss om din arbetsgivare "
                    "borde vara ansluten."
                ),
                params={"number": value},
                code="not_member",
            )
        self.cleaned_data["organisation"] = organisation
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # clean_org_number stored the organisation; keep it through the parent's clean().
        if "organisation" in self.cleaned_data:
            cleaned["organisation"] = self.cleaned_data["organisation"]
        return cleaned
