"""Internal mobility moves to the consent ledger; network openings get an application link.

Every employee who had opted in (`Enrolment.mobility_opt_in_at`) gets an internal-mobility
consent under text version 1, granted when they opted in, unless they already have one in
force; then the field goes. Going back turns consents in force into timestamps again.
"""

from django.db import migrations, models

PURPOSE = "internal_mobility"


def opt_ins_to_consents(apps, schema_editor):
    Enrolment = apps.get_model("employers", "Enrolment")
    ConsentText = apps.get_model("consent", "ConsentText")
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    text = ConsentText.objects.filter(purpose=PURPOSE, version=1).first()
    first_opt_in: dict[int, object] = {}
    for user_id, at in (
        Enrolment.objects.filter(status="accepted", user__isnull=False)
        .exclude(mobility_opt_in_at=None)
        .order_by("mobility_opt_in_at")
        .values_list("user_id", "mobility_opt_in_at")
    ):
        first_opt_in.setdefault(user_id, at)
    if not first_opt_in or text is None:
        return
    has = set(
        ConsentRecord.objects.filter(
            purpose=PURPOSE, withdrawn_at=None, user_id__in=list(first_opt_in)
        ).values_list("user_id", flat=True)
    )
    ConsentRecord.objects.bulk_create(
        ConsentRecord(user_id=user_id, purpose=PURPOSE, text=text, granted_at=at)
        for user_id, at in first_opt_in.items()
        if user_id not in has
    )


def consents_to_opt_ins(apps, schema_editor):
    Enrolment = apps.get_model("employers", "Enrolment")
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    for user_id, at in ConsentRecord.objects.filter(purpose=PURPOSE, withdrawn_at=None).values_list(
        "user_id", "granted_at"
    ):
        Enrolment.objects.filter(user_id=user_id, status="accepted").update(mobility_opt_in_at=at)


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0001_initial"),
        ("consent", "0003_internal_mobility"),
    ]

    operations = [
        migrations.RunPython(opt_ins_to_consents, consents_to_opt_ins),
        migrations.RemoveField(model_name="enrolment", name="mobility_opt_in_at"),
        migrations.AddField(
            model_name="opening",
            name="apply_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="länk till ansökan"),
        ),
    ]
