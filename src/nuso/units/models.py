"""Units that report and compare: municipalities, and city districts under a municipality
(Stockholm and Göteborg report per district)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nuso.core.countries import COUNTRIES, SWEDEN, split_key
from nuso.core.units import size_band

COUNTRY_CHOICES = [(country.code, country.name) for country in COUNTRIES.values()]


class County(models.Model):
    code = models.CharField(
        _("länskod"),
        max_length=8,
        unique=True,
        help_text=_("Länskod (17) eller landets nyckel (NO-18)."),
    )
    name = models.CharField(_("län"), max_length=100)
    country = models.CharField(_("land"), max_length=2, choices=COUNTRY_CHOICES, default=SWEDEN)

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "kommun", _("Kommun")
        DISTRICT = "stadsdel", _("Stadsdel")

    code = models.CharField(
        _("kod"),
        max_length=16,
        unique=True,
        help_text=_(
            "Enhetens nyckel: kommunkod (1780) eller stadsdelskod (0180-01) i Sverige, "
            "landskod och kommunnummer i andra länder (NO-1860)."
        ),
    )
    country = models.CharField(_("land"), max_length=2, choices=COUNTRY_CHOICES, default=SWEDEN)
    name = models.CharField(_("namn"), max_length=100)
    kind = models.CharField(
        _("typ"), max_length=10, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="districts",
    )
    county = models.ForeignKey(County, verbose_name=_("län"), on_delete=models.PROTECT)
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("folkmängd år"), null=True, blank=True)
    municipality_group = models.CharField(
        _("kommungrupp"), max_length=2, blank=True, help_text=_("SKR:s kommungrupp 2023 (A1–C9).")
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="district_has_parent_municipality",
                condition=(
                    models.Q(kind="kommun", parent__isnull=True)
                    | models.Q(kind="stadsdel", parent__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def national_code(self) -> str:
        """The code the unit has in its own country (1860 for NO-1860)."""
        return split_key(self.code)[1]

    @property
    def size_band(self) -> str:
        """Size band from the unit's own population (PM #1 groups by municipality or district
        size), else from its municipality's."""
        if self.population is not None:
            return size_band(self.population)
        if self.parent is not None:
            return self.parent.size_band
        return ""
