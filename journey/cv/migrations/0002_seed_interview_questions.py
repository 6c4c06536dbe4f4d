"""Seed the interview question bank from journey/cv/data/interview_questions.json.

Idempotent (update_or_create by `key`). Staff edit the bank in the admin afterwards; re-running
this migration on a database where a question was edited would overwrite it, so it only runs
once, like any migration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

SEED = Path(__file__).resolve().parents[1] / "data" / "interview_questions.json"
FIELDS = ("kind", "skill_id", "group_id", "text_sv", "text_en", "guidance_sv", "guidance_en",
          "order")  # fmt: skip


def seed(apps: Any, schema_editor: Any) -> None:
    question = apps.get_model("journey_cv", "InterviewQuestion")
    data = json.loads(SEED.read_text(encoding="utf-8"))
    for row in data["questions"]:
        question.objects.update_or_create(
            key=row["key"], defaults={name: row[name] for name in FIELDS}
        )


class Migration(migrations.Migration):
    dependencies = [("journey_cv", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
