"""Reader-facing forms. Each carries a honeypot field that people never see or fill in.

Validation errors re-render the form with everything the reader typed; the text itself is
neutralised in `cms.services`, not here, so the reader gets back exactly what they wrote.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import DebatePage, ReaderSubmission

HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    """A field hidden from people (CSS + aria-hidden) that naive bots fill in."""

    website = forms.CharField(
        required=False,
        label=_("Lämna det här fältet tomt"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())


class SubmissionForm(HoneypotMixin):
    """A comment on a page, or a reply to a debate piece."""

    kind = forms.ChoiceField(
        label=_("Vad vill du skicka?"),
        choices=ReaderSubmission.Kind.choices,
        initial=ReaderSubmission.Kind.COMMENT,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Namn"),
        max_length=120,
        help_text=_("Publiceras tillsammans med texten."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-post"),
        help_text=_("Visas inte. Vi meddelar dig när texten har granskats."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    title = forms.CharField(label=_("Rubrik (för repliker)"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"),
        max_length=8000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    accept = forms.BooleanField(
        label=_(
            "Jag godkänner att mitt namn och min text publiceras om redaktionen godkänner dem."
        ),
    )

    def __init__(self, *args: Any, page: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        if not isinstance(page, DebatePage):
            # Only debate pieces take replies; elsewhere a reader can only comment.
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (ReaderSubmission.Kind.COMMENT, ReaderSubmission.Kind.COMMENT.label)
            ]
            self.fields["kind"].widget = forms.HiddenInput()
            del self.fields["title"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") == ReaderSubmission.Kind.REPLY
            and not (data.get("title") or "").strip()
        ):
            self.add_error("title", _("En replik behöver en rubrik."))
        return data


class NewsletterForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class EventRegistrationForm(HoneypotMixin):
    name = forms.CharField(
        label=_("Namn"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class BarrierReportForm(HoneypotMixin):
    page_url = forms.CharField(
        label=_("Vilken sida gäller det? (valfritt)"), max_length=500, required=False
    )
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=4000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    email = forms.EmailField(
        label=_("E-post om du vill ha svar (valfritt)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
