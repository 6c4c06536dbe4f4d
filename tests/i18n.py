"""Checks shared by the translation tests of each app: read a .po catalogue, extract an app's
strings afresh with Django's `makemessages`, and compare them with the committed English.

Each app's `test_translations.py` names its folder and catalogue and asserts with these."""

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

Catalogue = dict[tuple[str | None, str], "Entry"]


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


def strings_extract(app: Path, workdir: Path, *, ignore: tuple[str, ...] = ()) -> Catalogue:
    """The app's strings as `makemessages` finds them now, in a copy of the app (so the
    committed catalogue is untouched); skips the test without GNU gettext."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext is not installed")
    copy = workdir / app.name
    shutil.copytree(
        app,
        copy,
        ignore=shutil.ignore_patterns(*ignore, "locale", "__pycache__", "static", "*.pyc"),
    )
    (copy / "locale").mkdir()
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    return po_read(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")


def translations_missing(extracted: Catalogue, committed: Catalogue) -> tuple[list[str], list[str]]:
    """(strings not in the committed catalogue, strings in it with an empty or fuzzy English)."""
    missing = [key[1] for key in extracted if key not in committed]
    untranslated = [
        key[1]
        for key in extracted
        if key in committed
        and (
            committed[key].fuzzy
            or not committed[key].strings
            or not all(committed[key].strings.values())
            or (extracted[key].plural is not None and len(committed[key].strings) < 2)
        )
    ]
    return missing, untranslated


_PLACEHOLDER = re.compile(r"%\(\w+\)s")


def catalogue_check(folder: Path) -> None:
    """Every translation keeps its msgid's placeholders, and django.mo matches django.po."""
    committed = po_read(folder / "django.po")
    with (folder / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in committed.values():
        wanted = sorted(set(_PLACEHOLDER.findall(entry.msgid + (entry.plural or ""))))
        for text in entry.strings.values():
            assert sorted(set(_PLACEHOLDER.findall(text))) == wanted or (
                entry.plural and set(_PLACEHOLDER.findall(text)) <= set(wanted)
            ), f"placeholders differ: {entry.msgid!r} -> {text!r}"
        if entry.plural is None and entry.context is None:
            assert compiled.gettext(entry.msgid) == entry.strings[0], (
                f"django.mo is older than django.po ({entry.msgid!r}): run compilemessages"
            )
        elif entry.plural is not None:
            assert compiled.ngettext(entry.msgid, entry.plural, 2) == entry.strings[1]
