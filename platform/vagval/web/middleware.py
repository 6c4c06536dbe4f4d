"""Language selection that lets the app pages follow the visitor's chosen language.

Django's LocaleMiddleware forces every URL without a language prefix to LANGUAGE_CODE when
`i18n_patterns(prefix_default_language=False)` is used (as it is for the Wagtail site, Swedish
at / and English at /en/). That would make the language switch useless on the app pages
(/start/, /konto/, /resa/ ...), which have no prefix. Here the app pages use the language the
visitor chose with the language switch (the language cookie), else Swedish; the browser's
Accept-Language is not used, so the service is Swedish unless someone asks for English. The
public Wagtail pages keep their path-based language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        if translation.get_language_from_path(request.path_info):
            return
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return
        if match.url_name == "wagtail_serve":
            return  # a public page: its language is in its path
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
