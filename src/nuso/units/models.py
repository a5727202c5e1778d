"""Units that report and compare: municipalities, and city districts under a municipality
(Stockholm and Göteborg report per district)."""

from __future__ import annotations

from django.db import models

from nuso.core.countries import COUNTRIES, SWEDEN, split_key
from nuso.core.units import size_band

COUNTRY_CHOICES = [(country.code, country.name) for country in COUNTRIES.values()]


class County(models.Model):
    code = models.CharField(
        "länskod", max_length=8, unique=True, help_text="Länskod (17) eller landets nyckel (NO-18)."
    )
    name = models.CharField("län", max_length=100)
    country = models.CharField("land", max_length=2, choices=COUNTRY_CHOICES, default=SWEDEN)

    class Meta:
        verbose_name = "län"
        verbose_name_plural = "län"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "kommun", "Kommun"
        DISTRICT = "stadsdel", "Stadsdel"

    code = models.CharField(
        "kod",
        max_length=16,
        unique=True,
        help_text="Enhetens nyckel: kommunkod (1780) eller stadsdelskod (0180-01) i Sverige, "
        "landskod och kommunnummer i andra länder (NO-1860).",
    )
    country = models.CharField("land", max_length=2, choices=COUNTRY_CHOICES, default=SWEDEN)
    name = models.CharField("namn", max_length=100)
    kind = models.CharField("typ", max_length=10, choices=Kind.choices, default=Kind.MUNICIPALITY)
    parent = models.ForeignKey(
        "self",
        verbose_name="kommun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="districts",
    )
    county = models.ForeignKey(County, verbose_name="län", on_delete=models.PROTECT)
    population = models.PositiveIntegerField("folkmängd", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("folkmängd år", null=True, blank=True)
    municipality_group = models.CharField(
        "kommungrupp", max_length=2, blank=True, help_text="SKR:s kommungrupp 2023 (A1–C9)."
    )
    active = models.BooleanField("aktiv", default=True)

    class Meta:
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
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
