"""allauth adapter: self-signup makes clients of a member company, with clear Swedish messages."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """Self-signup always creates a client; advisers, HR and staff are created by invitation."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Say that the block is temporary: the rate limit cools off, nobody is locked out for good.
        "too_many_login_attempts": _(
            "För många misslyckade inloggningsförsök. Vänta några minuter och försök igen, "
            "eller återställ ditt lösenord."
        ),
    }

    def save_user(
        self, request: HttpRequest, user: Any, form: BaseForm, commit: bool = True
    ) -> Any:
        user = super().save_user(request, user, form, commit=False)
        # The role is never taken from the request: self-signup is for clients only.
        user.role = User.Role.CLIENT
        user.organisation = form.cleaned_data.get("organisation")
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user
