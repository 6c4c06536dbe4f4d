"""`manage.py cv_export --profile FILE --format {pdf,docx,json} --out PATH`: a CV from a
portable profile (the JSON `manage.py export_profile` writes), for batch runs and checks.

The CV is the profile's own (its `journey_cv.cvs`, the most recently edited one that is not
deleted) when there is one; otherwise it is built the way the site builds a new CV: from the
journey's competence section (step 2), targeted at the first target occupation of step 3.
PATH "-" writes to standard output. Nothing is read from or written to the database about the
person: the profile file is the only input.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

PROFILE_SCHEMA = "vagval.portable-profile"
MAX_PROFILE_BYTES = 50 * 1024 * 1024


def _load(path: str) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path} is not a file")
    if file.stat().st_size > MAX_PROFILE_BYTES:
        raise CommandError(f"{path} is larger than {MAX_PROFILE_BYTES // (1024 * 1024)} MB")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != PROFILE_SCHEMA:
        raise CommandError(
            f'{path} is not a portable profile (expected "schema": "{PROFILE_SCHEMA}"; '
            "write one with manage.py export_profile)"
        )
    return data


def cv_from_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """{"content", "sections", "language", "template", "layout", "title", "target_label",
    "target_id"} of the CV to render from a portable profile."""
    from journey.cv.builder import (
        Target,
        cv_content_build,
        cv_inputs_from_profile,
        default_sections,
    )
    from vagval.matching.taxonomy_view import get_taxonomy_view

    own = [
        cv
        for cv in (profile.get("journey_cv") or {}).get("cvs") or []
        if not cv.get("deleted_at") and cv.get("content")
    ]
    if own:
        cv = max(own, key=lambda c: (not c.get("is_draft"), c.get("updated_at") or ""))
        return {
            "content": cv["content"],
            "sections": cv.get("sections") or default_sections(),
            "language": cv.get("language", "sv"),
            "template": cv.get("template", "classic"),
            "layout": cv.get("layout", "one"),
            "title": cv.get("title", "CV"),
            "target_label": cv.get("target_label", ""),
            "target_id": cv.get("target_occupation_id", ""),
        }
    inputs = cv_inputs_from_profile(profile)
    if not (inputs.experiences or inputs.skills or inputs.education):
        raise CommandError(
            "The profile holds no CV and no competence inventory (journey.competence) to build "
            "one from"
        )
    language = "en" if profile.get("language") == "en" else "sv"
    view = get_taxonomy_view()
    target = Target()
    if inputs.targets:
        first = inputs.targets[0]
        target = Target(
            first["concept_id"],
            first.get("label", ""),
            first.get("group_id") or view.occupation_group.get(first["concept_id"], ""),
        )
    substitutes = {src for src, dst, _w in view.substitutes if dst == target.concept_id}
    content = cv_content_build(
        inputs=inputs,
        target=target,
        language=language,
        groups=view.occupation_group,
        substitutes=substitutes,
    )
    return {
        "content": content,
        "sections": default_sections(),
        "language": language,
        "template": "classic",
        "layout": "one",
        "title": f"CV – {target.label}" if target.label else "CV",
        "target_label": target.label,
        "target_id": target.concept_id,
    }


class Command(BaseCommand):
    help = "Render a CV as PDF, DOCX or JSON Resume from a portable profile (export_profile)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", required=True, help="the portable profile JSON file")
        parser.add_argument("--format", required=True, choices=["pdf", "docx", "json"])
        parser.add_argument("--out", required=True, help="the file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        from journey.cv.services import cv_render

        cv = cv_from_profile(_load(options["profile"]))
        data = cv_render(fmt=options["format"], **cv)
        out = options["out"]
        if out == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"{out} is a folder: give a file name")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist")
        # Beside the target, then renamed: a failed run never leaves half a file.
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o600)  # personal data: readable by the owner only
            os.replace(tmp, path)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        self.stderr.write(f"Wrote {cv['title']} ({options['format']}, {len(data)} bytes) to {path}")
