"""Seed version 1 of the step 1 questionnaire (nulägesanalys) from its JSON definition.

The JSON file is the published text of version 1 and is never edited; a new version gets a new
file and a new migration (or is made by staff in the admin). Re-running changes nothing.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DEFINITION = Path(__file__).resolve().parents[1] / "questionnaires" / "nulagesanalys-v1.json"
QUESTION_FIELDS = (
    "key", "section", "order", "kind", "required", "text_sv", "text_en", "help_sv", "help_en",
    "options", "show_if", "min_value", "max_value", "max_choices",
)


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("journey", "Questionnaire")
    Question = apps.get_model("journey", "Question")
    definition = json.loads(DEFINITION.read_text(encoding="utf-8"))
    if Questionnaire.objects.filter(
        slug=definition["slug"], version=definition["version"]
    ).exists():
        return
    questionnaire = Questionnaire.objects.create(
        slug=definition["slug"],
        version=definition["version"],
        title_sv=definition["title_sv"],
        title_en=definition["title_en"],
        intro_sv=definition["intro_sv"],
        intro_en=definition["intro_en"],
        sections=definition["sections"],
        published=True,
        published_at=timezone.now(),
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            **{name: item[name] for name in QUESTION_FIELDS if item.get(name) is not None},
        )
        for item in definition["questions"]
    )


def unseed(apps, schema_editor):
    Questionnaire = apps.get_model("journey", "Questionnaire")
    Questionnaire.objects.filter(slug="nulagesanalys", version=1, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("journey", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
