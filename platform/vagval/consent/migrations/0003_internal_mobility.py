"""The internal-mobility purpose: being ranked for one's own employer's internal openings.

Adds the purpose to the choices and publishes version 1 of its plain-language text, so the
purpose shows on the client's consent page from the start.
"""

from django.db import migrations, models
from django.utils import timezone

PURPOSES = [
    ("adviser_access", "Dela min resa med min rådgivare"),
    ("employer_visibility", "Synlighet för arbetsgivare"),
    ("statistics", "Anonymiserad statistik"),
    ("internal_mobility", "Visas för min arbetsgivare vid intern rörlighet"),
]

TEXT = {
    "purpose": "internal_mobility",
    "title_sv": "Visas för min arbetsgivare vid intern rörlighet",
    "title_en": "Shown to my employer for internal mobility",
    "text_sv": (
        "Vägval får jämföra dina kompetenser och mål med de lediga tjänster som din "
        "arbetsgivare lägger ut internt, och visa dig de tjänster som passar. Din arbetsgivare "
        "får inte veta att du matchar en tjänst. Först när du själv väljer att visas för en "
        "viss tjänst ser HR ditt namn, din e-postadress och vilka av tjänstens kompetenser du "
        "har, och varje gång HR tittar loggas det. Du kan ta tillbaka samtycket när du vill; "
        "då slutar vi föreslå tjänster och HR ser dig inte längre, inte heller för tjänster "
        "där du redan har valt att visas."
    ),
    "text_en": (
        "Vägval may compare your competences and goals with the openings your employer posts "
        "internally, and show you the ones that fit. Your employer is not told that you "
        "match an opening. Only when you yourself choose to be shown for a particular "
        "opening does HR see your name, your e-mail address and which of the opening's "
        "competences you have, and every time HR looks it is logged. You can withdraw this "
        "consent at any time; we then stop suggesting openings and HR no longer sees you, "
        "not even for openings where you had already chosen to be shown."
    ),
}


def seed(apps, schema_editor):
    ConsentText = apps.get_model("consent", "ConsentText")
    ConsentText.objects.get_or_create(
        purpose=TEXT["purpose"], version=1, defaults={**TEXT, "published_at": timezone.now()}
    )


def unseed(apps, schema_editor):
    apps.get_model("consent", "ConsentText").objects.filter(
        purpose=TEXT["purpose"], records=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_seed_consent_texts")]

    operations = [
        migrations.AlterField(
            model_name="consentrecord",
            name="purpose",
            field=models.CharField(choices=PURPOSES, max_length=32, verbose_name="syfte"),
        ),
        migrations.AlterField(
            model_name="consenttext",
            name="purpose",
            field=models.CharField(choices=PURPOSES, max_length=32, verbose_name="syfte"),
        ),
        migrations.RunPython(seed, unseed),
    ]
