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
from nuso.core.countries import NORWAY, SWEDEN, canonical_key, split_key, unit_key
from nuso.core.errors import InputError, Problem
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
    "land",
)


@dataclass
class LoadSummary:
    created: int = 0  # Swedish municipalities and districts
    updated: int = 0
    unchanged: int = 0
    changed_codes: list[str] = field(default_factory=list)
    created_in_norway: int = 0


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
    summary.created_in_norway = load_shipped_norway()
    return summary


def load_shipped_norway() -> int:
    """Create Norway's missing fylker and kommuner under their keys (NO-18, NO-1860), with
    SSB's population; returns how many units were created. Names are SSB's short forms. As in
    Sweden, a stored population is replaced only by one of a newer year."""
    for county in reference.shipped_norwegian_counties():
        County.objects.update_or_create(
            code=unit_key(NORWAY, county.code),
            defaults={"name": county.name, "country": NORWAY},
        )
    counties = County.objects.filter(country=NORWAY).in_bulk(field_name="code")
    existing = Unit.objects.filter(country=NORWAY).in_bulk(field_name="code")
    missing, older = [], []
    for municipality in reference.shipped_norwegian_municipalities():
        key = unit_key(NORWAY, municipality.code)
        unit = existing.get(key)
        if unit is None:
            missing.append(
                Unit(
                    code=key,
                    name=municipality.name,
                    country=NORWAY,
                    kind=Unit.Kind.MUNICIPALITY,
                    county=counties[unit_key(NORWAY, municipality.county_code)],
                    population=municipality.population,
                    population_year=municipality.population_year,
                )
            )
        elif (unit.population_year or 0) < municipality.population_year:
            unit.population = municipality.population
            unit.population_year = municipality.population_year
            older.append(unit)
    Unit.objects.bulk_create(missing)
    Unit.objects.bulk_update(older, ["population", "population_year"])
    return len(missing)


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


def read_reference_update(path: Path, country: str = SWEDEN) -> reference.ReferenceUpdate:
    """Validate a table of one country's municipalities, written with their national codes,
    against the units in the database; InputError lists every problem. The update is keyed by
    the units' keys."""
    municipalities = Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY, country=country)
    known = {split_key(code)[1] for code in municipalities.values_list("code", flat=True)}
    county_keys = County.objects.filter(country=country).values_list("code", flat=True)
    counties = {split_key(code)[1] for code in county_keys}
    update = reference.read_update(path, known, counties)
    if country != SWEDEN and "municipality_group" in update.fields:
        column = update.column_names["municipality_group"]
        message = "SKR:s kommungrupper finns bara för svenska kommuner."
        raise InputError([Problem("bad-column", message, update.file, None, 1, column)])
    update.changes = {
        unit_key(country, code): {
            name: unit_key(country, value) if name == "county_code" else value
            for name, value in change.items()
        }
        for code, change in update.changes.items()
    }
    return update


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


def reference_rows(*, with_districts: bool = False, country: str = SWEDEN) -> list[dict[str, Any]]:
    """One country's municipalities (and on request city districts) as rows of the list
    (LIST_COLUMNS), with their national codes: the list loads back with `--land`."""
    units = Unit.objects.filter(country=country).select_related("county", "parent")
    if not with_districts:
        units = units.filter(kind=Unit.Kind.MUNICIPALITY)
    return [
        {
            "kommunkod": unit.national_code,
            "kommun": unit.name,
            "lan_kod": split_key(unit.county.code)[1],
            "lan": unit.county.name,
            "folkmangd": unit.population,
            "folkmangd_ar": unit.population_year,
            "kommungrupp": unit.municipality_group,
            "kommunstorlek": unit.size_band,
            "land": unit.country,
        }
        for unit in units.order_by("code")
    ]


def find_unit(text: str) -> Unit:
    """A unit by key ("1780", "0180-01", "NO-1860") or name (case-insensitive); LookupError
    naming the closest names when there is none, or the keys when a name is in two countries."""
    wanted = text.strip()
    unit = Unit.objects.filter(code=canonical_key(wanted)).first()
    if unit is not None:
        return unit
    named = list(Unit.objects.filter(name__iexact=wanted)[:2])
    if len(named) == 1:
        return named[0]
    if named:
        keys = " eller ".join(unit.code for unit in named)
        raise LookupError(f"{wanted!r} finns i mer än ett land; ange nyckeln: {keys}.")
    names = list(Unit.objects.values_list("name", flat=True))
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    hint = f" Menade du {' eller '.join(close)}?" if close else ""
    shown = Masker(settings.NUSO_PSEUDONYM_KEY).text(wanted)  # never an identity number
    raise LookupError(f"Okänd kommun eller stadsdel: {shown!r}.{hint}")
