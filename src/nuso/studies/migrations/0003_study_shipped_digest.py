"""A study remembers the dictionary the package shipped when it was last loaded, so that
`nuso init` brings in a dictionary the package changed (as `nuso study update` would) and
leaves one changed on the installation alone. Studies stored before have none: the next
`nuso init` finds their dictionaries as the package ships them, or applies its change."""

from django.db import migrations, models

SHIPPED_DIGEST = models.CharField(
    "paketets datadefinition", max_length=64, blank=True,
    help_text="SHA-256 av datadefinitionen som paketet hade när den senast lästes in.",
)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("studies", "0002_codebook_file_version_and_crosswalk")]

    operations = [migrations.AddField("study", "shipped_digest", SHIPPED_DIGEST)]
