"""Studies (defined by data dictionaries) and the versioned national codebook."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Study(models.Model):
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    number = models.PositiveSmallIntegerField(_("delstudie nr"), default=0)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    dictionary = models.JSONField(
        _("datadefinition"), help_text=_("Variabler, typer och kategorier.")
    )
    shipped_digest = models.CharField(
        _("paketets datadefinition"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 av datadefinitionen som paketet hade när den senast lästes in."),
    )
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    class Meta:
        verbose_name = _("delstudie")
        verbose_name_plural = _("delstudier")
        ordering = ["number", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def country(self) -> str:
        """The country whose units report to the study (a dictionary stored before countries
        is Swedish)."""
        return str(self.dictionary.get("country", "SE"))


class CodebookVersion(models.Model):
    """One version of the national codebook. Versions are never edited: a review decision or
    a revised codebook file (`nuso codebook`) makes a new version, and every record keeps the
    version it was harmonised with. A version made from a file records the file's own version
    number and the crosswalk from the codes of the version before."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    note = models.TextField(_("anteckning"), blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    file_version = models.PositiveIntegerField(
        _("filens version"),
        null=True,
        blank=True,
        help_text=_("Versionsnumret i kodboksfilen som versionen gjordes av; tomt för beslut."),
    )
    crosswalk = models.JSONField(
        _("omkodning"),
        default=dict,
        blank=True,
        help_text=_(
            "Variabel → kod i föregående version → de koder den blev (inga: till "
            "granskning). Tom när inga koder ändrades."
        ),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("kodboksversion")
        verbose_name_plural = _("kodboksversioner")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Kodbok v{self.number}"


class CodebookEntry(models.Model):
    """A national code of one variable in one codebook version."""

    version = models.ForeignKey(CodebookVersion, on_delete=models.CASCADE, related_name="entries")
    variable = models.CharField(_("variabel"), max_length=60)
    code = models.CharField(_("kod"), max_length=60)
    label = models.CharField(_("etikett"), max_length=200)
    attributes = models.JSONField(_("egenskaper"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("kod")
        verbose_name_plural = _("koder")
        ordering = ["version", "variable", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "variable", "code"], name="unique_code_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.variable}={self.code}"


class ValueMapping(models.Model):
    """A raw value's code, decided in review: nationally, or only for one unit or case system
    where the value means something else there. Valid from the version that introduced it
    until the version that replaced it (None: still valid)."""

    variable = models.CharField(_("variabel"), max_length=60)
    raw_key = models.CharField(_("normaliserat råvärde"), max_length=500)
    raw_example = models.CharField(_("råvärde"), max_length=500)
    code = models.CharField(_("kod"), max_length=60, blank=True, help_text=_("Tom: okänt värde."))
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case_system = models.CharField(_("verksamhetssystem"), max_length=100, blank=True)
    valid_from = models.ForeignKey(
        CodebookVersion, on_delete=models.PROTECT, related_name="introduced_mappings"
    )
    valid_to = models.ForeignKey(
        CodebookVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retired_mappings",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(_("beslutad"), auto_now_add=True)

    class Meta:
        verbose_name = _("värdemappning")
        verbose_name_plural = _("värdemappningar")
        indexes = [models.Index(fields=["variable", "raw_key"])]

    def __str__(self) -> str:
        return f"{self.variable}: {self.raw_example!r} → {self.code or '(okänt)'}"
