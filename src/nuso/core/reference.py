"""Reference data: Sweden's and Norway's counties and municipalities, shipped and updatable.

The package ships Sweden's 21 counties and 290 municipalities (population 31 Dec 2024 from SCB,
SKR municipality group 2023) and Norway's 15 counties and 357 municipalities in force from
2024-01-01 (SSB's classification 131, with SSB's population on 1 January 2024, table 07459).
Newer tables are read by `read_update`, which validates
the whole file and raises InputError listing every problem, so that nothing is half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.normalise import fold
from nuso.core.intake.reading import read_delimited
from nuso.core.units import SKR_GROUPS

MUNICIPALITY_COUNT = 290
MIN_YEAR, MAX_YEAR = 1971, 2100  # the municipal reform of 1971 made today's municipalities


@dataclass(frozen=True)
class County:
    code: str
    name: str


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    population: int
    population_year: int
    municipality_group: str


def _data_file(name: str) -> bytes:
    return resources.files("nuso.core").joinpath("data", name).read_bytes()


def shipped_counties() -> list[County]:
    rows = read_delimited(_data_file("lan.csv"))
    return [County(code=code, name=name) for code, name in rows[1:]]


def shipped_municipalities() -> list[Municipality]:
    rows = read_delimited(_data_file("kommuner.csv"))
    return [
        Municipality(
            code=code,
            name=name,
            county_code=county,
            population=int(population),
            population_year=int(year),
            municipality_group=group,
        )
        for code, name, county, population, year, group in rows[1:]
    ]


NORWEGIAN_MUNICIPALITY_COUNT = 357


def shipped_norwegian_counties() -> list[County]:
    """Norway's fylker with their national codes (03 Oslo, 18 Nordland)."""
    rows = read_delimited(_data_file("no_fylker.csv"))
    return [County(code=code, name=name) for code, name in rows[1:]]


@dataclass(frozen=True)
class NorwegianMunicipality:
    code: str  # kommunenummer, national: 1860
    name: str
    county_code: str  # fylkesnummer, national: 18
    population: int  # folkemengde on 1 January of population_year (SSB, table 07459)
    population_year: int


def shipped_norwegian_municipalities() -> list[NorwegianMunicipality]:
    rows = read_delimited(_data_file("no_kommuner.csv"))
    return [
        NorwegianMunicipality(
            code=code,
            name=name,
            county_code=county,
            population=int(population),
            population_year=int(year),
        )
        for code, name, county, _county_name, population, year in rows[1:]
    ]


@dataclass(frozen=True)
class District:
    """A city district that reports on its own (Stockholm's stadsdelsområden, Göteborg's
    stadsdelsnämnder). No official code exists: ours is the municipality code and a number."""

    code: str
    name: str
    municipality_code: str


def shipped_districts() -> list[District]:
    rows = read_delimited(_data_file("stadsdelar.csv"))
    return [
        District(code=code, name=name, municipality_code=parent) for code, name, parent in rows[1:]
    ]


# --- updates from newer tables ---

# Column names a table may use, folded (lower case, no diacritics), mapped to field names.
UPDATE_COLUMNS: dict[str, str] = {
    "kommunkod": "code",
    "kommun_kod": "code",
    "kod": "code",
    "kommun": "name",
    "kommunnamn": "name",
    "lan_kod": "county_code",
    "lanskod": "county_code",
    "folkmangd": "population",
    "folkmangd_ar": "population_year",
    "ar": "population_year",
    "kommungrupp": "municipality_group",
    "kommungrupp_2023": "municipality_group",
    # SSB's words, for Norway's tables (`--land NO`)
    "kommunenummer": "code",
    "kommunenr": "code",
    "kommune": "name",
    "fylkesnummer": "county_code",
    "folkemengde": "population",
    "befolkning": "population",
}
# Columns our own `nuso reference list --format csv` writes that are derived, not loaded.
DERIVED_COLUMNS = frozenset({"lan", "kommunstorlek", "land"})


@dataclass
class ReferenceUpdate:
    """Validated changes: per municipality code, the fields the table gives."""

    file: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    column_names: dict[str, str] = field(default_factory=dict)  # field -> header as written

    @property
    def fields(self) -> set[str]:
        return {name for change in self.changes.values() for name in change}


def read_update(
    path: Path, known_codes: set[str], county_codes: set[str], *, data: bytes | None = None
) -> ReferenceUpdate:
    """Validate a CSV of municipality facts against the known codes; InputError lists all."""
    file = path.name
    rows = read_delimited(path.read_bytes() if data is None else data)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError([Problem("empty-file", "Filen är tom; en rubrikrad behövs.", file=file)])
    columns, ignored, problems = _map_header(file, rows[0])
    names = {target: rows[0][index].strip() for index, target in columns.items()}
    update = ReferenceUpdate(file=file, ignored_columns=ignored, column_names=names)
    if not problems:
        problems = list(_fill_update(update, rows[1:], columns, known_codes, county_codes))
    if problems:
        raise InputError(problems)
    return update


def _map_header(file: str, header: list[str]) -> tuple[dict[int, str], list[str], list[Problem]]:
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = fold(name).replace(" ", "_")
        target = UPDATE_COLUMNS.get(key)
        if target is None or target in columns.values():
            if key and key not in DERIVED_COLUMNS:
                ignored.append(name)
            continue
        columns[index] = target
    problems = []
    if "code" not in columns.values():
        problems.append(
            Problem("missing-column", "Kolumnen kommunkod saknas i rubrikraden.", file=file, row=1)
        )
    elif len(columns) == 1:
        known = "kommun, lan_kod, folkmangd, folkmangd_ar, kommungrupp"
        message = f"Ingen kolumn att uppdatera; kända kolumner: {known}."
        problems.append(Problem("no-data-columns", message, file=file, row=1))
    return columns, ignored, problems


def _fill_update(
    update: ReferenceUpdate,
    rows: list[list[str]],
    columns: dict[int, str],
    known_codes: set[str],
    county_codes: set[str],
) -> Iterator[Problem]:
    header_names = {target: index for index, target in columns.items()}
    for row_number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values: dict[str, Any] = {}
        row_problems = []
        for target, index in header_names.items():
            raw = cells[index].strip() if index < len(cells) else ""
            try:
                values[target] = PARSERS[target](raw, known_codes, county_codes)
            except ValueError as error:
                column = update.column_names[target]
                row_problems.append(
                    Problem("bad-value", str(error), update.file, None, row_number, column, raw)
                )
        if not row_problems:
            row_problems = _check_row(update, values, row_number)
        yield from row_problems
        if not row_problems:
            update.changes[values.pop("code")] = values


def _check_row(update: ReferenceUpdate, values: dict[str, Any], row: int) -> list[Problem]:
    code = values["code"]
    if code in update.changes:
        message = "Kommunkoden förekommer mer än en gång i filen."
        column = update.column_names["code"]
        return [Problem("duplicate-code", message, update.file, None, row, column, code)]
    county = values.get("county_code")
    if county is not None and not code.startswith(county):
        message = f"Kommunkod {code} hör inte till län {county} (de två första siffrorna)."
        column = update.column_names["county_code"]
        return [Problem("county-mismatch", message, update.file, None, row, column, county)]
    return []


def _parse_code(raw: str, known: set[str], _counties: set[str]) -> str:
    # Excel drops leading zeros: 114 is Upplands Väsby's 0114.
    if not re.fullmatch(r"\d{3,4}", raw):
        raise ValueError("Kommunkoden ska vara fyra siffror, t.ex. 1780.")
    code = raw.zfill(4)
    if code not in known:
        raise ValueError(f"Okänd kommunkod {code}; det finns ingen sådan kommun i registret.")
    return code


def _parse_name(raw: str, _known: set[str], _counties: set[str]) -> str:
    if not raw:
        raise ValueError("Kommunens namn saknas.")
    return raw


def _parse_county(raw: str, _known: set[str], counties: set[str]) -> str:
    code = raw.zfill(2) if raw.isdigit() else raw
    if code not in counties:
        raise ValueError("Okänd länskod; ange två siffror, t.ex. 17 för Värmlands län.")
    return code


def _parse_population(raw: str, _known: set[str], _counties: set[str]) -> int:
    # SCB writes thousands with spaces, sometimes non-breaking ones: "62 055".
    digits = re.sub(r"[\s\u00a0\u202f]", "", raw)
    if not digits.isdigit() or int(digits) <= 0:
        raise ValueError("Folkmängden ska vara ett positivt heltal, t.ex. 62055.")
    return int(digits)


def _parse_year(raw: str, _known: set[str], _counties: set[str]) -> int:
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise ValueError(f"Året ska vara ett årtal mellan {MIN_YEAR} och {MAX_YEAR}.")
    return int(raw)


def _parse_group(raw: str, _known: set[str], _counties: set[str]) -> str:
    code = raw.split(" ", 1)[0].upper()
    if code not in SKR_GROUPS:
        raise ValueError(f"Okänd kommungrupp; ange en av {', '.join(SKR_GROUPS)}.")
    return code


PARSERS = {
    "code": _parse_code,
    "name": _parse_name,
    "county_code": _parse_county,
    "population": _parse_population,
    "population_year": _parse_year,
    "municipality_group": _parse_group,
}
