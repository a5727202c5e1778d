"""Rendering a unit's referrals in its export style: sheets of cells, plus the facit rows
that say, for every data row, where it is and what it truly means."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.synth import vocabulary as vocab
from nuso.core.synth.dialects import UnitStyle, choose, typo
from nuso.core.synth.referrals import Referral
from nuso.core.synth.units import SynthUnit

Cell = str | int | dt.date | None
MAX_REASON_COLUMNS = 3
EXPORT_DAY = dt.date(2024, 1, 15)


@dataclass
class Sheet:
    name: str  # empty for CSV
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass(frozen=True)
class FacitRow:
    file: str
    sheet: str
    row: int
    unit_code: str
    referral: Referral
    reasons: tuple[str, ...]
    raw: dict[str, str]
    reason_values: tuple[str, ...] = ()  # each reason's text before joining (for statistics)


def slug(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-")


def name_parts(unit: SynthUnit, year: int) -> dict[str, str]:
    """What a file name may say about the unit; a district goes by its city and its name."""
    name = f"{unit.municipality_name} {unit.name}" if unit.is_district else unit.name
    return {"code": unit.municipality_code, "name": name, "slug": slug(name), "year": str(year)}


class RowRenderer:
    """Turns one referral into the cells of one export row, with row-level noise."""

    def __init__(self, unit: SynthUnit, style: UnitStyle, rng: np.random.Generator) -> None:
        self.unit, self.style, self.rng = unit, style, rng
        self.columns = self.logical_columns()
        self.last_reason_values: list[str] = []

    def logical_columns(self) -> list[str]:
        columns: list[str] = []
        for column in self.style.system.columns:
            if column == "orsak" and self.style.reason_mode == "none":
                continue
            if column == "orsak" and self.style.system.multi_reason == "columns":
                count = MAX_REASON_COLUMNS if self.style.reason_mode == "multi" else 1
                columns += [f"orsak{i}" for i in range(1, count + 1)]
                continue
            columns.append(column)
        return columns

    def header(self) -> list[Cell]:
        names: list[Cell] = []
        for column in self.columns:
            if column.startswith("orsak") and column != "orsak":
                base = self.style.headers["orsak"]
                names.append(
                    base
                    if column == "orsak1" and len(self.columns) == 1
                    else f"{base} {column[5:]}"
                )
            else:
                names.append(self.style.headers[column])
        return names

    def noisy(self, text: str) -> str:
        text = self.style.apply_case(text)
        roll = self.rng.random()
        if roll < self.style.system.typo_rate:
            return typo(self.rng, text)
        if roll < self.style.system.typo_rate + 0.0008:
            return text + " "  # a trailing space, invisible in the spreadsheet
        return text

    def pick(self, words: tuple[str, ...]) -> str:
        # The first wording is the habit; alternatives turn up now and then.
        if len(words) == 1 or self.rng.random() < 0.75:
            return words[0]
        return words[1 + int(self.rng.integers(len(words) - 1))]

    def type_text(self, referral: Referral) -> str:
        word = self.pick(self.style.type_words[referral.type])
        for suffix, low, high in self.style.type_age_split:
            if low <= referral.age <= high and referral.type != "annan_information":
                return f"{word} {suffix}"
        return word

    def reason_texts(self, reasons: tuple[str, ...]) -> list[str]:
        texts = [self.noisy(self.pick(self.style.reason_words[code])) for code in reasons]
        self.last_reason_values = texts
        return texts

    def render(
        self, referral: Referral, reasons: tuple[str, ...]
    ) -> tuple[list[Cell], dict[str, str]]:
        raw: dict[str, str] = {"kon": "", "typ": "", "orsak": "", "atgard": ""}
        cells: list[Cell] = []
        texts = self.reason_texts(reasons) if reasons else []
        for column in self.columns:
            cell = self.cell(column, referral, texts, raw)
            cells.append(cell)
        return cells, raw

    def cell(
        self, column: str, referral: Referral, reasons: list[str], raw: dict[str, str]
    ) -> Cell:
        system = self.style.system
        pn = PersonalNumber(referral.birth_date, referral.serial)
        if column == "id":
            return int(self.rng.integers(100_000, 999_999))
        if column == "personnummer":
            return pn.formatted(system.personal_number_style, on=referral.referral_date)
        if column == "fodelsedatum":
            return referral.birth_date.isoformat() if system.dates_as_text else referral.birth_date
        if column == "fodelsear":
            return referral.birth_date.year
        if column == "alder":
            return f"{referral.age} år" if system.age_style == "years_text" else referral.age
        if column == "datum":
            return (
                referral.referral_date.isoformat()
                if system.dates_as_text
                else referral.referral_date
            )
        if column == "kon":
            raw["kon"] = choose(self.rng, self.style.sex_words[referral.sex])
            return raw["kon"]
        # Types and actions come from the system's drop-down lists: no typing errors.
        if column == "typ":
            raw["typ"] = self.style.apply_case(self.type_text(referral))
            return raw["typ"]
        if column == "atgard":
            raw["atgard"] = self.style.apply_case(
                self.pick(self.style.action_words[referral.action])
            )
            return raw["atgard"]
        if column == "orsak":
            raw["orsak"] = system.reason_separator.join(reasons)
            return raw["orsak"]
        if column.startswith("orsak"):
            index = int(column[5:]) - 1
            value = reasons[index] if index < len(reasons) else None
            raw["orsak"] = "|".join(reasons)
            return value
        if column == "kommentar":
            return self.comment(referral)
        if column == "kommun":
            return name_parts(self.unit, referral.referral_date.year)["name"]
        raise ValueError(f"unknown column {column}")

    def comment(self, referral: Referral) -> str | None:
        roll = self.rng.random()
        if roll < self.style.system.comment_pn_rate:
            # Free text is where identity numbers slip in: the child's own or a sibling's.
            sibling = PersonalNumber(
                referral.birth_date - dt.timedelta(days=int(self.rng.integers(400, 3000))),
                int(self.rng.integers(1, 999)),
            )
            number = choose(self.rng, (sibling.formatted("short"), sibling.formatted("long")))
            return choose(self.rng, (f"Syskon {number} aktuellt", f"Se även {number}"))
        if roll < 0.12:
            return choose(self.rng, vocab.COMMENTS)
        return None


def sheet_name(style: UnitStyle, referral: Referral) -> str:
    month = referral.referral_date.month
    if style.system.sheets == "quarters":
        return f"Kv{(month - 1) // 3 + 1} {referral.referral_date.year}"
    if style.system.sheets == "halves":
        return "Jan-jun" if month <= 6 else "Jul-dec"
    return "Aktualiseringar" if style.system.file_format != "csv" else ""


def title_rows(unit: SynthUnit, style: UnitStyle, year: int) -> list[list[Cell]]:
    if not style.system.title_rows or style.system.file_format == "csv":
        return []
    name = name_parts(unit, year)["name"]
    return [
        [f"Aktualiseringar {name} {year}"],
        [f"Utsökt {EXPORT_DAY.isoformat()} – period {year}-01-01–{year}-12-31"],
        [],
    ]


def summary_sheet(referrals: list[Referral], style: UnitStyle) -> Sheet:
    """A pivot some systems put first: counts per type. Not data rows."""
    counts: dict[str, int] = {}
    for referral in referrals:
        word = style.type_words[referral.type][0]
        counts[word] = counts.get(word, 0) + 1
    rows: list[list[Cell]] = [["Sammanställning aktualiseringar"], [], ["Typ", "Antal"]]
    rows += [[word, count] for word, count in sorted(counts.items())]
    rows.append(["Totalt", len(referrals)])
    return Sheet("Sammanställning", rows)


def render_unit(
    unit: SynthUnit, style: UnitStyle, referrals: list[Referral], file_name: str, seed: int
) -> tuple[list[Sheet], list[FacitRow]]:
    rng = np.random.default_rng([seed, 3, unit.index])
    renderer = RowRenderer(unit, style, rng)
    year = referrals[0].referral_date.year if referrals else 2023
    sheets: dict[str, Sheet] = {}
    facit: list[FacitRow] = []
    for referral in referrals:
        name = sheet_name(style, referral)
        sheet = sheets.get(name)
        if sheet is None:
            sheet = sheets[name] = Sheet(name, [*title_rows(unit, style, year), renderer.header()])
        shown = () if style.reason_mode == "none" else referral.reasons
        cells, raw = renderer.render(referral, shown)
        values = tuple(renderer.last_reason_values) if shown else ()
        if rng.random() < style.system.blank_row_rate:
            sheet.rows.append([])
        sheet.rows.append(cells)
        row = FacitRow(file_name, name, len(sheet.rows), unit.code, referral, shown, raw, values)
        facit.append(row)
    if style.system.total_row:
        counts = Counter(row.sheet for row in facit)
        for sheet in sheets.values():
            sheet.rows.append(["Totalt", counts[sheet.name]])
    ordered = list(sheets.values())
    if style.system.summary_sheet:
        ordered.insert(0, summary_sheet(referrals, style))
    return ordered, facit


def facit_records(rows: list[FacitRow]) -> Iterator[dict[str, Any]]:
    for row in rows:
        referral = row.referral
        yield {
            "fil": row.file,
            "flik": row.sheet,
            "rad": row.row,
            "kommunkod": row.unit_code,
            "kon": referral.sex,
            "alder": referral.age,
            "aktualiseringstyp": referral.type,
            "orsaker": "|".join(row.reasons),
            "atgard": referral.action,
            "atgardsgrupp": referral.group,
            "kon_original": row.raw["kon"],
            "aktualiseringstyp_original": row.raw["typ"],
            "orsak_original": row.raw["orsak"],
            "atgard_original": row.raw["atgard"],
        }
