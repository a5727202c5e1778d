"""Turning the data rows of a located table into records: every raw cell kept (identity numbers
replaced by pseudonyms first), harmonised values with how each was decided, and flags.

Derivations: age from an age column ("15", "15 år"), else from a birth date or identity number
at the referral date (at the middle of the period when the file has no date: flagged as
estimated), else from a birth year; sex from the identity number when no column says it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from nuso.core.codebook import Codebook
from nuso.core.dictionary import StudyDictionary, StudyVariable
from nuso.core.harmonise import Harmoniser
from nuso.core.normalise import normalise
from nuso.core.personal_numbers import age_on
from nuso.core.pseudonyms import find_numbers, pseudonymise
from nuso.core.reading import Cell, RawSheet
from nuso.core.tables import Table

AGE = re.compile(r"^\s*(\d{1,3})(?:[.,]0+)?\s*(?:år|ar)?\s*$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
SWEDISH_DATE = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)\s*$")
YEAR = re.compile(r"^\s*((?:19|20)\d\d)(?:[.,]0+)?\s*$")


@dataclass
class RowRecord:
    sheet: str
    row: int
    raw: dict[str, str | None]
    values: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: dict[str, list[str]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    pseudonym: str = ""


def parse_date(text: Cell) -> dt.date | None:
    if not text:
        return None
    for pattern, order in ((ISO_DATE, (1, 2, 3)), (SWEDISH_DATE, (3, 2, 1))):
        match = pattern.match(text)
        if match:
            year, month, day = (int(match[i]) for i in order)
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def unique_headers(table: Table) -> list[str]:
    """Header texts as keys of the raw cells; a repeated header gets its column number."""
    seen: dict[str, int] = {}
    names = []
    for column in table.columns:
        name = column.header
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({column.index + 1})")
    return names


class RowInterpreter:
    def __init__(
        self,
        dictionary: StudyDictionary,
        codebook: Codebook,
        harmoniser: Harmoniser,
        pseudonym_key: str,
        period_middle: dt.date,
    ) -> None:
        self.dictionary, self.codebook, self.harmoniser = dictionary, codebook, harmoniser
        self.key = pseudonym_key
        self.period_middle = period_middle
        self.today = dt.date.today()

    def interpret(
        self, sheet: RawSheet, table: Table, rows: list[int] | None = None
    ) -> list[RowRecord]:
        """The records of a table's data rows (or of the given ones)."""
        headers = unique_headers(table)
        numbers = table.data_rows if rows is None else rows
        return [self.row(sheet, table, headers, number) for number in numbers]

    def row(self, sheet: RawSheet, table: Table, headers: list[str], number: int) -> RowRecord:
        cells = sheet.rows[number - 1]
        by_target: dict[str, list[str]] = {}
        raw: dict[str, str | None] = {}
        pseudonym = ""
        for column, header in zip(table.columns, headers, strict=True):
            cell = cells[column.index] if column.index < len(cells) else None
            safe, found = pseudonymise(cell, self.key, self.today) if cell else (cell, [])
            raw[header] = safe
            if column.target == "personnummer" and found:
                pseudonym = found[0]
            if column.target and cell:
                by_target.setdefault(column.target, []).append(cell)
        record = RowRecord(table.sheet, number, raw, pseudonym=pseudonym)
        self.fill(record, by_target)
        return record

    def fill(self, record: RowRecord, cells: dict[str, list[str]]) -> None:
        """Every variable of the dictionary by its type; `kon` and `alder` may also come from
        an identity number or birth date, the person variables every study has."""
        number = first(cells, "personnummer")
        found = find_numbers(number, self.today) if number else []
        canonical = found[0].canonical if found else None
        dates = [v for v in self.dictionary.variables if v.type == "date"]
        date = next((d for v in dates if (d := parse_date(first(cells, v.name)))), None)
        for variable in self.dictionary.variables:
            raw = cells.get(variable.name, [])
            if variable.name == "kon":
                self.fill_sex(record, cells, canonical)
            elif variable.name == "alder":
                self.fill_age(record, cells, self.birth_date(cells, canonical), date)
            elif variable.codebook and variable.type == "categories":
                self.fill_reasons(record, variable.name, variable.codebook, raw)
            elif variable.codebook:
                self.fill_category(record, variable.name, first(cells, variable.name))
            elif raw:
                self.fill_typed(record, variable, raw)
        self.fill_derived(record)

    def fill_typed(self, record: RowRecord, variable: StudyVariable, raws: list[str]) -> None:
        """A variable with the study's own categories, or a boolean, number, date or text.
        A value outside its definition is kept raw and flagged (no review: these come from
        forms with fixed answers)."""
        try:
            value = typed_value(variable, raws)
        except ValueError:
            record.flags.append(f"okänt värde i {variable.name}: {'|'.join(raws)!r}")
            return
        record.values[variable.name] = value
        record.decisions[variable.name] = {
            "method": "exact",
            "confidence": 1.0,
            "raw": "|".join(raws),
        }
        if variable.type == "integer" and isinstance(value, int):
            low, high = variable.min, variable.max
            if (low is not None and value < low) or (high is not None and value > high):
                record.flags.append(f"{variable.name} {value} utanför {low}–{high}")

    def fill_derived(self, record: RowRecord) -> None:
        for derived in self.dictionary.derived:
            source = record.values.get(derived.source)
            if source is None or derived.codebook is None:
                record.values.pop(derived.name, None)  # no source, no derived value
                continue
            codes = self.codebook.variables[derived.codebook].codes
            if derived.attribute:
                entry = self.codebook.variables[self.codebook_of(derived.source)].code(str(source))
                record.values[derived.name] = entry.attributes.get(derived.attribute)
            elif isinstance(source, int):
                band = [
                    c.code
                    for c in codes
                    if c.attributes.get("min", 0) <= source <= c.attributes.get("max", -1)
                ]
                if band:
                    record.values[derived.name] = band[0]

    def codebook_of(self, variable: str) -> str:
        return self.dictionary.variable(variable).codebook or variable

    def birth_date(self, cells: dict[str, list[str]], canonical: str | None) -> dt.date | None:
        born = parse_date(first(cells, "fodelsedatum"))
        if born is not None:
            return born
        if canonical:
            day = int(canonical[6:8])
            try:
                return dt.date(
                    int(canonical[:4]), int(canonical[4:6]), day - 60 if day > 60 else day
                )
            except ValueError:
                return None
        return None

    def fill_sex(
        self, record: RowRecord, cells: dict[str, list[str]], canonical: str | None
    ) -> None:
        raw = first(cells, "kon")
        if raw is not None:
            self.fill_category(record, "kon", raw)
            return
        if canonical:
            sex = "pojke" if int(canonical[-2]) % 2 else "flicka"
            record.values["kon"] = sex
            record.decisions["kon"] = {"method": "derived", "confidence": 1.0, "raw": ""}

    def fill_age(
        self,
        record: RowRecord,
        cells: dict[str, list[str]],
        birth: dt.date | None,
        date: dt.date | None,
    ) -> None:
        raw = first(cells, "alder")
        age, how = None, ""
        if raw is not None:
            match = AGE.match(raw)
            if match:
                age, how = int(match[1]), "exact"
            else:
                record.flags.append(f"ålder går inte att läsa: {raw!r}")
        elif birth is not None:
            age, how = age_on(birth, date or self.period_middle), "derived" if date else "estimated"
        else:
            year = YEAR.match(first(cells, "fodelsear") or "")
            if year:
                age, how = self.period_middle.year - int(year[1]), "estimated"
        if age is None:
            return
        record.values["alder"] = age
        confidence = 1.0 if how != "estimated" else 0.5
        record.decisions["alder"] = {"method": how, "confidence": confidence, "raw": raw or ""}
        if not 0 <= age <= 17:
            record.flags.append(f"ålder {age} utanför 0–17")

    def fill_category(self, record: RowRecord, variable: str, raw: str | None) -> None:
        codebook_name = self.dictionary.variable(variable).codebook or variable
        if raw is None:
            return
        decision = self.harmoniser.decide(codebook_name, raw)
        if decision.pending:
            record.pending[variable] = [raw]
            record.decisions[variable] = {"method": "pending", "confidence": 0.0, "raw": raw}
            return
        record.values[variable] = decision.code
        record.decisions[variable] = {
            "method": decision.method,
            "confidence": decision.confidence,
            "raw": raw,
        }

    def fill_reasons(
        self, record: RowRecord, variable: str, codebook: str, cells: list[str]
    ) -> None:
        if not cells:
            return
        decided = self.harmoniser.decide_many(codebook, cells)
        codes = list(dict.fromkeys(d.code for _, d in decided if d.code))
        pending = [value for value, d in decided if d.pending]
        record.values[variable] = codes
        methods = {d.method for _, d in decided if d.code}
        confidence = min((d.confidence for _, d in decided if d.code), default=0.0)
        record.decisions[variable] = {
            "method": "+".join(sorted(methods)) or "pending",
            "confidence": confidence,
            "raw": "|".join(cells),
        }
        if pending:
            record.pending[variable] = pending


TRUE_WORDS = frozenset({"1", "ja", "j", "yes", "true", "sant", "x"})
FALSE_WORDS = frozenset({"0", "nej", "n", "no", "false", "falskt"})
MULTI_SEPARATORS = re.compile(r"\s*[|;]\s*")


def typed_value(variable: StudyVariable, raws: list[str]) -> Any:
    """The value of a non-codebook variable; ValueError when the raw text does not fit."""
    raw = raws[0].strip()
    if variable.type == "boolean":
        word = normalise(raw)
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(raw)
    if variable.type == "integer":
        match = AGE.match(raw)
        if not match:
            raise ValueError(raw)
        return int(match[1])
    if variable.type == "date":
        date = parse_date(raw)
        if date is None:
            raise ValueError(raw)
        return date.isoformat()
    if variable.type == "category":
        return own_category(variable, raw)
    if variable.type == "categories":
        parts = [p for cell in raws for p in MULTI_SEPARATORS.split(cell) if p.strip()]
        return [own_category(variable, part) for part in parts]
    return raw


def own_category(variable: StudyVariable, raw: str) -> str:
    code = category_index(tuple(variable.categories.items())).get(normalise(raw))
    if code is None:
        raise ValueError(raw)
    return code


@lru_cache(maxsize=256)
def category_index(categories: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """A study variable's codes by the normalised code and label; the first one listed wins,
    as a scan in order would."""
    index: dict[str, str] = {}
    for code, label in categories:
        index.setdefault(normalise(code), code)
        index.setdefault(normalise(label), code)
    return index


def first(cells: dict[str, list[str]], target: str) -> str | None:
    values = cells.get(target)
    return values[0] if values else None
