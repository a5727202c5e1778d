"""Use cases for the reference data of units: load what the package ships, apply newer SCB/SKR
tables, and list the units."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from nuso.audit.services import Actor, log
from nuso.core import reference
from nuso.core.intake.boundary import Masker
from nuso.units.models import County, Unit

LIST_COLUMNS = (
    "kommunkod",
    "kommun",
    "lan_kod",
    "lan",
    "folkmangd",
    "folkmangd_ar",
    "kommungrupp",
    "kommunstorlek",
)


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_codes: list[str] = field(default_factory=list)


@transaction.atomic
def load_shipped_reference() -> LoadSummary:
    """Create missing counties and municipalities from the shipped tables.

    Idempotent. Existing units keep what users loaded later, except that a population from a
    newer year than the stored one is taken: shipped facts never overwrite newer facts.
    """
    for county in reference.shipped_counties():
        County.objects.update_or_create(code=county.code, defaults={"name": county.name})
    counties = {county.code: county for county in County.objects.all()}
    existing = {unit.code: unit for unit in Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY)}
    summary = LoadSummary()
    for municipality in reference.shipped_municipalities():
        unit = existing.get(municipality.code)
        if unit is None:
            Unit.objects.create(
                code=municipality.code,
                name=municipality.name,
                kind=Unit.Kind.MUNICIPALITY,
                county=counties[municipality.county_code],
                population=municipality.population,
                population_year=municipality.population_year,
                municipality_group=municipality.municipality_group,
            )
            summary.created += 1
        elif (unit.population_year or 0) < municipality.population_year:
            unit.population = municipality.population
            unit.population_year = municipality.population_year
            unit.save(update_fields=["population", "population_year"])
            summary.updated += 1
        else:
            summary.unchanged += 1
    summary.created += load_shipped_districts()
    return summary


def load_shipped_districts() -> int:
    """Create missing city districts under their municipality; returns how many."""
    parents = Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY).in_bulk(field_name="code")
    existing = set(Unit.objects.filter(kind=Unit.Kind.DISTRICT).values_list("code", flat=True))
    created = 0
    for district in reference.shipped_districts():
        if district.code in existing:
            continue
        parent = parents[district.municipality_code]
        Unit.objects.create(
            code=district.code,
            name=district.name,
            kind=Unit.Kind.DISTRICT,
            parent=parent,
            county=parent.county,
            municipality_group=parent.municipality_group,
        )
        created += 1
    return created


def read_reference_update(path: Path) -> reference.ReferenceUpdate:
    """Validate a table against the units in the database; InputError lists every problem."""
    known = set(Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY).values_list("code", flat=True))
    counties = set(County.objects.values_list("code", flat=True))
    return reference.read_update(path, known, counties)


@transaction.atomic
def apply_reference_update(update: reference.ReferenceUpdate, actor: Actor) -> LoadSummary:
    """Apply a validated update in one transaction, and log it."""
    counties = {county.code: county for county in County.objects.all()}
    units = Unit.objects.select_for_update().in_bulk(list(update.changes), field_name="code")
    summary = LoadSummary()
    for code, changes in update.changes.items():
        unit = units[code]
        before = _field_values(unit, changes)
        for name, value in changes.items():
            setattr(unit, name, counties[value] if name == "county_code" else value)
        if _field_values(unit, changes) == before:
            summary.unchanged += 1
            continue
        unit.save()
        summary.updated += 1
        summary.changed_codes.append(code)
    log(
        actor,
        "reference.load",
        file=update.file,
        fields=sorted(update.fields),
        updated=summary.updated,
        unchanged=summary.unchanged,
        changed_codes=summary.changed_codes,
    )
    return summary


def _field_values(unit: Unit, changes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (unit.county.code if name == "county_code" else getattr(unit, name))
        for name in changes
    }


def reference_rows(*, with_districts: bool = False) -> list[dict[str, Any]]:
    """Municipalities (and on request city districts) as rows of the list (LIST_COLUMNS)."""
    units = Unit.objects.select_related("county", "parent").order_by("code")
    if not with_districts:
        units = units.filter(kind=Unit.Kind.MUNICIPALITY)
    return [
        {
            "kommunkod": unit.code,
            "kommun": unit.name,
            "lan_kod": unit.county.code,
            "lan": unit.county.name,
            "folkmangd": unit.population,
            "folkmangd_ar": unit.population_year,
            "kommungrupp": unit.municipality_group,
            "kommunstorlek": unit.size_band,
        }
        for unit in units
    ]


def find_unit(text: str) -> Unit:
    """A unit by code ("1780", "0180-01") or name (case-insensitive); LookupError naming the
    closest names when there is none."""
    wanted = text.strip()
    unit = (
        Unit.objects.filter(code=wanted).first() or Unit.objects.filter(name__iexact=wanted).first()
    )
    if unit is not None:
        return unit
    names = list(Unit.objects.values_list("name", flat=True))
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    hint = f" Menade du {' eller '.join(close)}?" if close else ""
    shown = Masker(settings.NUSO_PSEUDONYM_KEY).text(wanted)  # never an identity number
    raise LookupError(f"Okänd kommun eller stadsdel: {shown!r}.{hint}")
