"""Forms of the client's privacy pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentChangeForm(forms.Form):
    """Grant or withdraw one purpose; `text_version` is the text the person was shown."""

    action = forms.ChoiceField(choices=[("grant", "grant"), ("withdraw", "withdraw")])
    text_version = forms.IntegerField(required=False, min_value=1)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Vi frågar efter lösenordet så att ingen annan kan radera ditt konto."),
    )
    understood = forms.BooleanField(
        label=_("Jag förstår att allt raderas för gott och inte kan återställas."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta att du vill radera.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Lösenordet stämmer inte."), code="wrong_password")
        return password
