"""One current delivery per study, unit and period, before 0008 makes the database hold it.

Two first deliveries of a unit stored at the same moment could both become current before
this (nothing was locked when the unit had no delivery yet). Where that happened, the one
stored last stays current and the others are marked replaced by it, as the import would have
done had they come one after the other; they stay restorable."""

from django.db import migrations


def keep_the_latest_current(apps, schema_editor):
    batch_model = apps.get_model("intake", "ImportBatch")
    current = batch_model.objects.filter(status="imported").order_by("-started_at", "-pk")
    kept: dict[tuple[int, int | None, str], object] = {}
    for batch in current.exclude(unit_id=None):  # no unit: the constraint does not apply
        key = (batch.study_id, batch.unit_id, batch.period)
        if key not in kept:
            kept[key] = batch
            continue
        batch.status, batch.replaced_by = "replaced", kept[key]
        batch.save(update_fields=["status", "replaced_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_column_mappings"),
        ("studies", "0003_study_shipped_digest"),
        ("units", "0001_initial"),
    ]

    operations = [migrations.RunPython(keep_the_latest_current, migrations.RunPython.noop)]
