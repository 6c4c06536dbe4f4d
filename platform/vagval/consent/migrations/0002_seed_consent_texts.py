"""Publish version 1 of the plain-language consent text for each purpose."""

from django.db import migrations
from django.utils import timezone

TEXTS = [
    {
        "purpose": "adviser_access",
        "title_sv": "Dela min resa med min rådgivare",
        "title_en": "Share my journey with my adviser",
        "text_sv": (
            "Din rådgivare får se det du har fyllt i under Min resa: nulägesanalysen, dina "
            "kompetenser, dina mål och dina sparade jobb. Rådgivaren använder uppgifterna för att "
            "förbereda era möten och ge dig bättre stöd. Varje gång någon tittar på dina "
            "uppgifter loggas det, och du kan se loggen här. Du kan ta tillbaka samtycket när "
            "du vill; då ser rådgivaren inte längre dina uppgifter, men det ni redan har pratat "
            "om finns kvar i rådgivarens anteckningar."
        ),
        "text_en": (
            "Your adviser may see what you have entered in My journey: the current-state "
            "analysis, your competences, your goals and your saved jobs. The adviser uses this "
            "to prepare your meetings and support you better. Every time someone looks at your "
            "data it is logged, and you can see the log here. You can withdraw this consent at "
            "any time; the adviser then no longer sees your data, but what you have already "
            "discussed stays in the adviser's notes."
        ),
    },
    {
        "purpose": "employer_visibility",
        "title_sv": "Synlighet för arbetsgivare",
        "title_en": "Visibility to employers",
        "text_sv": (
            "Arbetsgivare som söker personal genom Vägval får se en anonym sammanfattning av "
            "dina kompetenser och vilka yrken du söker. Ditt namn och dina kontaktuppgifter "
            "visas först när du själv har tackat ja till en förfrågan. Din nuvarande "
            "arbetsgivare ser bara sammanställningar för grupper, aldrig dig som person. "
            "Du kan ta tillbaka samtycket när du vill."
        ),
        "text_en": (
            "Employers recruiting through Vägval may see an anonymous summary of your "
            "competences and the occupations you are looking for. Your name and contact "
            "details are shown only after you have accepted a request yourself. Your current "
            "employer only sees figures for groups, never you as a person. You can withdraw "
            "this consent at any time."
        ),
    },
    {
        "purpose": "statistics",
        "title_sv": "Anonymiserad statistik",
        "title_en": "Anonymised statistics",
        "text_sv": (
            "Vi får använda uppgifter om hur det gick för dig, till exempel vilket yrke du "
            "gick vidare till och hur lång tid det tog, i statistik som hjälper andra att "
            "hitta nya vägar. Statistiken innehåller aldrig ditt namn eller annat som pekar ut "
            "dig, och grupper som är för små för att vara anonyma visas inte. Om du tar "
            "tillbaka samtycket används dina uppgifter inte i ny statistik."
        ),
        "text_en": (
            "We may use information about how things went for you, such as which occupation "
            "you moved on to and how long it took, in statistics that help others find new "
            "paths. The statistics never contain your name or anything else that singles you "
            "out, and groups too small to be anonymous are not shown. If you withdraw this "
            "consent your data is not used in new statistics."
        ),
    },
]


def seed(apps, schema_editor):
    ConsentText = apps.get_model("consent", "ConsentText")
    now = timezone.now()
    for text in TEXTS:
        ConsentText.objects.get_or_create(
            purpose=text["purpose"], version=1, defaults={**text, "published_at": now}
        )


def unseed(apps, schema_editor):
    apps.get_model("consent", "ConsentText").objects.filter(version=1, records=None).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
