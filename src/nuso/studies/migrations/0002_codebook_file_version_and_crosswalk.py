"""Codebook versions record the codebook file's own version number and the crosswalk from
the codes of the version before (a revised codebook applied with `nuso codebook`)."""

from typing import Any

from django.db import migrations, models


def first_versions_came_from_the_file(apps: Any, schema_editor: Any) -> None:
    """The versions without a predecessor were made from the shipped codebook file, whose
    version number they took."""
    version = apps.get_model("studies", "CodebookVersion")
    for first in version.objects.filter(based_on__isnull=True):
        first.file_version = first.number
        first.save(update_fields=["file_version"])


FILE_VERSION = models.PositiveIntegerField(
    "filens version", null=True, blank=True,
    help_text="Versionsnumret i kodboksfilen som versionen gjordes av; tomt för beslut.",
)  # fmt: skip
CROSSWALK = models.JSONField(
    "omkodning", default=dict, blank=True,
    help_text="Variabel → kod i föregående version → de koder den blev (inga: till "
    "granskning). Tom när inga koder ändrades.",
)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("studies", "0001_initial")]

    operations = [
        migrations.AddField("codebookversion", "file_version", FILE_VERSION),
        migrations.AddField("codebookversion", "crosswalk", CROSSWALK),
        migrations.RunPython(first_versions_came_from_the_file, migrations.RunPython.noop),
    ]
