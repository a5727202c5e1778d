"""At most one current delivery per study, unit and period, enforced by the database. Its own
migration: PostgreSQL cannot build the index in the transaction that updated the rows (0007)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0007_one_current_delivery")]

    operations = [
        migrations.AddConstraint(
            model_name="importbatch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "imported")),
                fields=("study", "unit", "period"),
                name="one_current_delivery",
                violation_error_message="Enheten har redan en gällande leverans för perioden.",
            ),
        ),
    ]
