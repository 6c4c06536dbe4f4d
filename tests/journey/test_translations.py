"""The journey's English: every Swedish string in the journey app (steps 1, 2, 3 and 5 and Min
resa; step 4, `journey/cv`, has its own catalogue) has an English translation in
`journey/locale/en`, the compiled catalogue matches it, and the pages speak English when the
client chooses English.

The completeness test extracts the strings afresh with Django's `makemessages` from a copy of
the app, so a string added to a template or to Python code without a translation fails it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from journey.models import ClientProfile
from tests.i18n import Catalogue, catalogue_check, po_read, strings_extract, translations_missing

JOURNEY = Path(__file__).resolve().parents[2] / "journey"
CATALOGUE = JOURNEY / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return strings_extract(JOURNEY, tmp_path_factory.mktemp("extract"), ignore=("cv",))


def test_every_journey_string_is_translated_into_english(extracted: Catalogue) -> None:
    assert len(extracted) > 400, "the extraction found the strings"
    missing, untranslated = translations_missing(extracted, po_read(CATALOGUE / "django.po"))
    assert not missing, f"not in journey/locale/en (run makemessages and translate): {missing}"
    assert not untranslated, f"empty or fuzzy English translations: {untranslated}"


def test_translations_keep_their_placeholders_and_are_compiled() -> None:
    catalogue_check(CATALOGUE)


@pytest.mark.django_db
def test_min_resa_and_the_feed_are_in_english_when_the_client_chooses_english(
    developer: ClientProfile, karin_browser: Client
) -> None:
    karin_browser.post("/sprak/", {"language": "en", "next": "/resa/"})
    html = karin_browser.get("/resa/").content.decode()
    assert '<html lang="en">' in html
    assert "The steps of your journey" in html and "Your data" in html
    assert "Stegen i din resa" not in html and "Dina uppgifter" not in html
    html = karin_browser.get("/resa/jobb/?distans=1").content.decode()
    for english in ("Jobs for you", "Remote work", "Fully or partly remote", "Why this job"):
        assert english in html, english
    assert re.search(r"\d+ jobs? match(es)? you", html)
    assert "Partly remote" in html, "hybrid jobs say so on their cards"
    for swedish in ("Lediga jobb för dig", "Filtrera", "Därför passar jobbet dig", "Dölj"):
        assert swedish not in html, swedish
