"""allauth adapter: self-signup makes clients of a member company, with clear Swedish messages."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
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

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        # The person's chosen language follows them to every device they log in on.
        language = getattr(user, "preferred_language", "")
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
