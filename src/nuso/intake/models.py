"""Import batches, the records they hold, and the review queue of undecided raw values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One delivered file for one study, unit and period, with its full problem report.

    A corrected re-delivery replaces the earlier batch (status `replaced`, `replaced_by` set);
    the earlier batch and its records stay for the history."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Pågår")
        IMPORTED = "imported", _("Inläst")
        FAILED = "failed", _("Misslyckades")
        REPLACED = "replaced", _("Ersatt")

    study = models.ForeignKey("studies.Study", on_delete=models.PROTECT, related_name="batches")
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="batches"
    )
    period = models.CharField(_("period"), max_length=40)
    file_name = models.CharField(_("filnamn"), max_length=255)
    content_hash = models.CharField(_("innehållets SHA-256"), max_length=64, db_index=True)
    case_system = models.CharField(_("verksamhetssystem"), max_length=100, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(
        _("utförd av"), max_length=150, help_text=_("Användare eller cli:KONTO.")
    )
    started_at = models.DateTimeField(_("startad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows_read = models.PositiveIntegerField(_("rader lästa"), default=0)
    rows_imported = models.PositiveIntegerField(_("rader inlästa"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rader överhoppade"), default=0)
    rows_pending_review = models.PositiveIntegerField(_("rader att granska"), default=0)
    report = models.JSONField(_("rapport"), default=dict, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )

    class Meta:
        verbose_name = _("inläsning")
        verbose_name_plural = _("inläsningar")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["study", "unit", "period", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "unit", "period"],
                condition=models.Q(status="imported"),
                name="one_current_delivery",
                violation_error_message=_("Enheten har redan en gällande leverans för perioden."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class RecordBlock(models.Model):
    """The records of one sheet of a batch, column-wise: one row per source row with its row
    number, pseudonym, every raw cell (identity numbers already replaced by pseudonyms) and
    every harmonised value with how it was decided, as an Arrow IPC document (layout in
    nuso.core.intake.blocks, decision 0011). Study, unit, period and file are the batch's."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="blocks")
    sheet = models.CharField(_("flik"), max_length=100, blank=True)
    rows = models.PositiveIntegerField(_("poster"))
    pending = models.PositiveIntegerField(_("poster att granska"), default=0)
    layout = models.PositiveSmallIntegerField(_("format"), default=1)
    data = models.BinaryField(_("poster (Arrow IPC)"))

    class Meta:
        verbose_name = _("postblock")
        verbose_name_plural = _("postblock")
        constraints = [
            models.UniqueConstraint(fields=["batch", "sheet"], name="one_block_per_sheet")
        ]

    def __str__(self) -> str:
        sheet = f" {self.sheet}" if self.sheet else ""
        return f"{self.batch.file_name}{sheet} ({self.rows} poster)"


class ReviewItem(models.Model):
    """A raw value the harmonisation cascade could not decide, with its best suggestions.

    `suggestions` is a list of {"code", "score", "method"}; `units` lists the unit codes the
    value came from, `occurrences` how many records hold it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        DECIDED = "decided", _("Beslutad")

    study = models.ForeignKey("studies.Study", on_delete=models.PROTECT, related_name="+")
    variable = models.CharField(_("variabel"), max_length=60)
    raw_key = models.CharField(_("normaliserat råvärde"), max_length=500)
    raw_example = models.CharField(_("råvärde"), max_length=500)
    occurrences = models.PositiveIntegerField(_("förekomster"), default=0)
    units = models.JSONField(_("enheter"), default=list)
    suggestions = models.JSONField(_("förslag"), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decision = models.ForeignKey(
        "studies.ValueMapping", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    class Meta:
        verbose_name = _("granskningspost")
        verbose_name_plural = _("granskningskö")
        ordering = ["-occurrences"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "variable", "raw_key"], name="one_review_item_per_raw_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.variable}: {self.raw_example!r} ({self.occurrences})"


class ColumnMapping(models.Model):
    """A column an analyst mapped by hand (`nuso import --kolumn "RUBRIK=VARIABEL"`): the
    unit's later deliveries read a column with this header so, and another unit's file with
    the same set of headers (`headers`) is offered it as a suggestion. `target` empty: the
    column is read as no variable. The latest choice per unit, study and header is in force."""

    study = models.ForeignKey("studies.Study", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    header = models.CharField(_("rubrik"), max_length=255)
    header_key = models.CharField(_("normaliserad rubrik"), max_length=255)
    target = models.CharField(_("variabel"), max_length=60, blank=True)
    headers = models.TextField(_("filens rubriker"), blank=True)
    actor = models.CharField(_("utförd av"), max_length=150)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("kolumnmappning")
        verbose_name_plural = _("kolumnmappningar")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.header!r} → {self.target or '(ingen)'}"
