"""The journey's English: every Swedish string in the journey app (steps 1, 2, 3 and 5 and Min
resa; step 4, `journey/cv`, has its own catalogue) has an English translation in
`journey/locale/en`, the compiled catalogue matches it, and the pages speak English when the
client chooses English.

The completeness test extracts the strings afresh with Django's `makemessages` from a copy of
the app, so a string added to a template or to Python code without a translation fails it."""

# ruff: noqa: F811 - the shared fixtures are imported by name, then used as arguments

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from journey.models import ClientProfile
from tests.journey.test_feed_fixtures import (  # noqa: F401 - fixtures
    _ads_in_test_db,
    ads,
    concepts,
    developer,
    karin,
    karin_browser,
    karin_client,
    questionnaire_v1,
)

JOURNEY = Path(__file__).resolve().parents[2] / "journey"
CATALOGUE = JOURNEY / "locale" / "en" / "LC_MESSAGES"


@dataclass
class Entry:
    msgid: str = ""
    plural: str | None = None
    context: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid


def po_read(path: Path) -> dict[tuple[str | None, str], Entry]:
    """The entries of a .po file (obsolete `#~` entries and the header left out)."""
    entries: dict[tuple[str | None, str], Entry] = {}
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
    for block in blocks:
        entry, target = Entry(), None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            if line.startswith("#") or not line.strip():
                continue
            m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
            if m:
                keyword, index, text = m.group(1), m.group(2), ast.literal_eval(m.group(3))
                target = (keyword, int(index or 0))
                if keyword == "msgstr":
                    entry.strings[target[1]] = text
                elif keyword == "msgid":
                    entry.msgid = text
                elif keyword == "msgid_plural":
                    entry.plural = text
                else:
                    entry.context = text
            elif line.startswith('"') and target is not None:
                text = ast.literal_eval(line)
                keyword, index = target
                if keyword == "msgstr":
                    entry.strings[index] += text
                elif keyword == "msgid":
                    entry.msgid += text
                elif keyword == "msgid_plural":
                    entry.plural = (entry.plural or "") + text
                else:
                    entry.context = (entry.context or "") + text
        if entry.msgid:
            entries[entry.key] = entry
    return entries


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str | None, str], Entry]:
    """The journey's strings as `makemessages` finds them now, in a copy of the app."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path_factory.mktemp("extract") / "journey"
    shutil.copytree(
        JOURNEY,
        copy,
        ignore=shutil.ignore_patterns("cv", "locale", "__pycache__", "static", "*.pyc"),
    )
    (copy / "locale").mkdir()
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    return po_read(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")


def test_every_journey_string_is_translated_into_english(
    extracted: dict[tuple[str | None, str], Entry],
) -> None:
    committed = po_read(CATALOGUE / "django.po")
    assert len(extracted) > 400, "the extraction found the journey's strings"
    missing = [key[1] for key in extracted if key not in committed]
    assert not missing, f"not in journey/locale/en (run makemessages and translate): {missing}"
    untranslated = [
        key[1]
        for key in extracted
        if committed[key].fuzzy
        or not committed[key].strings
        or not all(committed[key].strings.values())
        or (extracted[key].plural is not None and len(committed[key].strings) < 2)
    ]
    assert not untranslated, f"empty or fuzzy English translations: {untranslated}"


def test_translations_keep_their_placeholders_and_are_compiled() -> None:
    committed = po_read(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    placeholder = re.compile(r"%\(\w+\)s")
    for entry in committed.values():
        wanted = sorted(set(placeholder.findall(entry.msgid + (entry.plural or ""))))
        for text in entry.strings.values():
            assert sorted(set(placeholder.findall(text))) == wanted or (
                entry.plural and set(placeholder.findall(text)) <= set(wanted)
            ), f"placeholders differ: {entry.msgid!r} -> {text!r}"
        if entry.plural is None and entry.context is None:
            assert compiled.gettext(entry.msgid) == entry.strings[0], (
                f"django.mo is older than django.po ({entry.msgid!r}): run compilemessages"
            )
        elif entry.plural is not None:
            assert compiled.ngettext(entry.msgid, entry.plural, 2) == entry.strings[1]


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
