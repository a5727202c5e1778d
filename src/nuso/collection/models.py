"""Collection periods, registrations (drafts and submitted ones) and the API's tokens.

A registration holds the answers of one case at one occasion, as the form or the case system
gave them (identity numbers never: the child is its keyed pseudonym), and the record they make,
decided as an import decides a row (`record`: the block columns of nuso.core.intake.blocks).
The submitted registrations of a unit, study and period are what the analysis reads: they are
written as that unit's delivery of the period (nuso.collection.delivery)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CollectionPeriod(models.Model):
    """A study's period of collection, opened and closed by an analyst: registrations are made
    and corrected while it is open, and are final once it is closed."""

    study = models.ForeignKey("studies.Study", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("period"), max_length=40, help_text=_("Till exempel 2026."))
    opened_at = models.DateTimeField(_("öppnad"), auto_now_add=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        verbose_name = _("insamlingsperiod")
        verbose_name_plural = _("insamlingsperioder")
        ordering = ["study__number", "-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["study", "name"], name="one_period_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({'öppen' if self.is_open else 'stängd'})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Registration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")

    class Source(models.TextChoices):
        FORM = "form", _("Webbformulär")
        API = "api", _("Verksamhetssystem (API)")

    study = models.ForeignKey("studies.Study", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        CollectionPeriod, on_delete=models.PROTECT, related_name="registrations"
    )
    occasion = models.CharField(_("tillfälle"), max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.FORM)
    pseudonym = models.CharField(_("barnets pseudonym"), max_length=16, blank=True, db_index=True)
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    record = models.JSONField(_("post"), default=dict, blank=True)
    decision = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by",
        verbose_name=_("registrering vid beslut"),
    )  # fmt: skip
    # A follow-up or closing registered without its decision registration: allowed, flagged.
    without_decision = models.BooleanField(_("utan registrering vid beslut"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="registrations",
    )  # fmt: skip
    token = models.ForeignKey(
        "collection.ApiToken", null=True, blank=True, on_delete=models.PROTECT,
        related_name="registrations",
    )  # fmt: skip
    client_id = models.CharField(_("klientens post-id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("registrering")
        verbose_name_plural = _("registreringar")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["study", "unit", "period", "status"]),
            models.Index(fields=["author", "status"]),
        ]
        constraints = [
            # A case system's record id, re-sent, finds the registration it made.
            models.UniqueConstraint(
                fields=["token", "study", "client_id"],
                condition=models.Q(token__isnull=False),
                name="one_registration_per_client_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.study_id}/{self.unit_id} {self.occasion} ({self.get_status_display()})"


class ApiToken(models.Model):
    """An integration's key: scoped to units and studies, revocable, shown once when created
    and stored only as its SHA-256 (a random 256-bit key needs no slow hash)."""

    name = models.CharField(
        _("namn"), max_length=100, help_text=_("Till exempel kommunens system.")
    )
    prefix = models.CharField(_("början av nyckeln"), max_length=12, db_index=True)
    key_hash = models.CharField(_("nyckelns SHA-256"), max_length=64, unique=True)
    units = models.ManyToManyField("units.Unit", verbose_name=_("enheter"), related_name="+")
    studies = models.ManyToManyField(
        "studies.Study", verbose_name=_("delstudier"), related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
