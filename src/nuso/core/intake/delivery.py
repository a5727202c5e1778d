"""One delivered file interpreted, without a database: read, tables located, rows assigned to
units, interpreted into records, and the file's report. What the import stores.

Everything a file's interpretation needs comes in an `ImportPlan` (picklable), so files can be
interpreted in worker processes (`nuso.core.intake.import_workers`) while the importing process
stores the ones before them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.codebook import Codebook
from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.harmonise.suggest import ModelStore
from nuso.core.intake import blocks
from nuso.core.intake.boundary import Masker
from nuso.core.intake.code_lists import code_lists, translated
from nuso.core.intake.dates import period_span
from nuso.core.intake.layout import (
    Column,
    Recogniser,
    Table,
    data_tables,
    header_key,
    locate_table,
    split_by_sheet,
)
from nuso.core.intake.notes import file_notes
from nuso.core.intake.outcomes import Outcome
from nuso.core.intake.reading import RawSheet, ReadError, ReadOptions, read_file
from nuso.core.intake.records import RowInterpreter, TableRecords, unique_headers
from nuso.core.intake.report import (
    ColumnRead,
    ImportReport,
    ReportedUnit,
    RowCounts,
    SheetFound,
    Suggestion,
    UnitSource,
    ValueRead,
)
from nuso.core.intake.typed_values import own_categories_recogniser
from nuso.core.intake.unit_names import UnitIndex, UnitNotFoundError, UnitRef

Learned = dict[str, dict[str, str]]  # variable -> raw value -> code


class ImportRefusedError(InputError):
    """A file, or an import, that cannot be done; each problem says why and what to do."""


@dataclass(frozen=True)
class LearnedMappings:
    """Review decisions in force: national ones, and those for single units."""

    national: Learned = field(default_factory=dict)
    local: dict[str, Learned] = field(default_factory=dict)  # unit code -> its own

    def for_unit(self, unit_code: str) -> Learned:
        """The national decisions, overridden by the unit's own."""
        merged = {variable: dict(values) for variable, values in self.national.items()}
        for variable, values in self.local.get(unit_code, {}).items():
            merged.setdefault(variable, {}).update(values)
        return merged


class Harmonisers:
    """A harmoniser per scope of review decisions: each unit with decisions of its own gets
    its own, every other unit shares the national one, so that the decisions cached for one
    file serve every later file of the run."""

    def __init__(self, codebook: Codebook, learned: LearnedMappings, models: ModelStore) -> None:
        self.codebook, self.learned, self.models = codebook, learned, models
        self.made: dict[str, Harmoniser] = {}

    def scopes(self) -> list[str]:
        """The national scope ("") and each unit with decisions of its own."""
        return ["", *self.learned.local]

    def for_unit(self, unit_code: str) -> Harmoniser:
        key = unit_code if unit_code in self.learned.local else ""
        if key not in self.made:
            self.made[key] = Harmoniser(self.codebook, self.learned.for_unit(key), self.models)
        return self.made[key]


@dataclass(frozen=True)
class ColumnChoices:
    """Columns mapped by hand (header: variable, "" for none): for this run (`given`, from
    `nuso import --kolumn`), remembered for each unit's later deliveries (`by_unit`), and
    every unit's choices by the set of headers they were made for (`by_headers`), offered to
    another unit whose file has the same headers."""

    given: Mapping[str, str] = field(default_factory=dict)
    by_unit: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    by_headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def for_unit(self, code: str) -> dict[str, str]:
        return {**self.by_unit.get(code, {}), **self.given}

    def offered(self, headers: str, units: Mapping[UnitRef, object]) -> dict[str, str]:
        """Another unit's choices for the same headers, for a unit that has made none."""
        if self.given or any(unit.code in self.by_unit for unit in units):
            return {}
        return dict(self.by_headers.get(headers, {}))


def headers_key(tables: list[tuple[RawSheet, Table]]) -> str:
    """A file's set of headers, as choices made for one file are recognised in another."""
    return headers_key_of(c.header for _, table in tables for c in table.columns)


def headers_key_of(headers: Iterable[str]) -> str:
    return "|".join(sorted({header_key(header) for header in headers}))


@dataclass(frozen=True)
class ImportPlan:
    """What interpreting a study's files for one period needs; sent once to each worker."""

    study: str  # slug
    period: str
    period_middle: dt.date
    codebook_version: int
    dictionary: StudyDictionary
    codebook: Codebook
    learned: LearnedMappings
    units: UnitIndex
    unit_hint: str | None
    pseudonym_key: str
    dry_run: bool = False
    model_folder: Path | None = None  # the installation's trained suggestion models
    columns: ColumnChoices = field(default_factory=ColumnChoices)
    reading: ReadOptions = field(default_factory=ReadOptions)  # limits, very hidden sheets


@dataclass(frozen=True)
class Block:
    """The records of one sheet, encoded as stored (nuso.core.intake.blocks): a few hundred
    kilobytes to send between processes for a file of thousands of rows."""

    sheet: str
    data: bytes
    rows: int
    pending: int


@dataclass(frozen=True)
class UnitPart:
    """A file's records of one unit (a survey export holds many) and their report."""

    unit: UnitRef
    blocks: list[Block]  # empty in a dry run: only the report is needed
    report: ImportReport


@dataclass(frozen=True)
class Interpreted:
    parts: list[UnitPart]


@dataclass(frozen=True)
class Refused:
    """A file that cannot be imported, with the problems that refuse it."""

    problems: tuple[Problem, ...]


class FileInterpreter:
    """Interprets the files of one import run. Keeps one harmoniser and one row interpreter
    for all units, and one more for each unit with review decisions of its own: their caches
    of decisions, made once per distinct raw value, serve every file of the run."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.masker = Masker(plan.pseudonym_key)
        self.harmonisers = Harmonisers(plan.codebook, plan.learned, ModelStore(plan.model_folder))
        self.interpreters: dict[int, RowInterpreter] = {}
        self.recognisers_: dict[str, Recogniser] | None = None

    def attempt(self, path: Path, data: bytes) -> Interpreted | Refused:
        """The file interpreted, or why it cannot be imported. Identity numbers in its name, its
        sheets' names, its headers and cells, and in why it was refused, are masked."""
        try:
            return self.interpret(path, data)
        except (ReadError, ImportRefusedError, UnitNotFoundError) as error:
            problems = (replace(p, file=p.file or path.name) for p in error.problems)
            return Refused(self.masker.problems(problems))

    def interpret(self, path: Path, data: bytes) -> Interpreted:
        plan = self.plan
        raw = self.masker.raw_file(read_file(path, data, plan.reading))
        sheets, decoded = translated(raw.sheets, code_lists(raw.sheets))
        raw = replace(raw, sheets=sheets)
        tables = self.tables(raw.sheets, plan.columns.given)
        by_unit, unit_source = units_of_rows(path, tables, plan)
        if len(by_unit) == 1:  # one unit's delivery: its own remembered choices apply
            chosen = plan.columns.for_unit(next(iter(by_unit)).code)
            if chosen != plan.columns.given:
                tables = self.tables(raw.sheets, chosen)
                by_unit, unit_source = units_of_rows(path, tables, plan)
        offered = plan.columns.offered(headers_key(tables), by_unit)
        notes = (*file_notes(raw, tables), *decoded)
        parts = []
        for unit, rows_of_table in by_unit.items():
            interpreter = self.interpreter(unit.code)
            records = [
                interpreter.interpret(sheet, table, rows_of_table.get(id(table), []))
                for sheet, table in tables
            ]
            report = build_report(raw.name, tables, records, unit, unit_source, plan, raw.encoding)
            report = replace(
                report,
                suggestions=self.suggestions(report.pending, unit.code),
                column_suggestions=offered,
                notes=notes,
            )
            report = self.masker.report(report)  # also what a reader added: none in clear
            parts.append(UnitPart(unit, [] if plan.dry_run else encoded(records), report))
        return Interpreted(parts)

    def tables(
        self, sheets: list[RawSheet], chosen: Mapping[str, str]
    ) -> list[tuple[RawSheet, Table]]:
        """The data tables of a file's sheets, with columns chosen by hand where given."""
        plan, recognisers = self.plan, self.recognisers()
        mask = self.masker.text  # headers: shown and stored masked, read as written
        tables = data_tables(
            [
                (sheet, table)
                for sheet in sheets
                if (table := locate_table(sheet, plan.dictionary, recognisers, chosen, mask))
            ]
        )
        tables = split_by_sheet(tables)
        if not tables:
            message = (
                f"Ingen tabell för delstudien {plan.study} hittades (ingen rubrikrad med "
                "kända kolumner). Kontrollera att det är rätt fil och rätt delstudie."
            )
            raise ImportRefusedError([Problem("no-table", message)])
        return tables

    def suggestions(
        self, pending: Mapping[str, Mapping[str, int]], unit_code: str
    ) -> dict[str, dict[str, tuple[Suggestion, ...]]]:
        """The reviewer's suggestions for each raw value waiting for review, from decisions
        the harmoniser has made already: the review queue takes them from the report rather
        than load the suggestion model again in the importing process."""
        harmoniser = self.harmoniser(unit_code)
        dictionary = self.plan.dictionary
        return {
            variable: {raw: harmoniser.suggestions(codebook, raw) for raw in raws}
            for variable, raws in pending.items()
            if (codebook := dictionary.variable(variable).codebook)
        }

    def harmoniser(self, unit_code: str) -> Harmoniser:
        return self.harmonisers.for_unit(unit_code)

    def interpreter(self, unit_code: str) -> RowInterpreter:
        harmoniser = self.harmoniser(unit_code)
        key = id(harmoniser)
        if key not in self.interpreters:
            plan = self.plan
            self.interpreters[key] = RowInterpreter(
                plan.dictionary, plan.codebook, harmoniser, plan.pseudonym_key, plan.period_middle,
                period_span(plan.period),
            )  # fmt: skip
        return self.interpreters[key]

    def recognisers(self) -> dict[str, Recogniser]:
        """For each categorical variable of the study, a test of whether a cell holds its
        values: by the national codebook and review decisions (a column is mapped before its
        unit is known, since the unit may come from a column), or by the study's own
        categories. Made once per run: every file of it is mapped by the same ones."""
        if self.recognisers_ is None:
            harmoniser = self.harmoniser("")
            found: dict[str, Recogniser] = {}
            for v in self.plan.dictionary.variables:
                if v.codebook:
                    found[v.name] = harmoniser.recogniser(v.codebook, multi=v.type == "categories")
                elif v.categories:
                    found[v.name] = own_categories_recogniser(v)
            self.recognisers_ = found
        return self.recognisers_


def encoded(records: list[TableRecords]) -> list[Block]:
    """Each sheet's records as stored; a sheet without rows of the unit stores nothing."""
    return [Block(r.sheet, blocks.encode(r.frame), r.rows, r.pending) for r in records if r.rows]


def units_of_rows(
    path: Path, tables: list[tuple[RawSheet, Table]], plan: ImportPlan
) -> tuple[dict[UnitRef, dict[int, list[int]]], UnitSource]:
    """For each unit, the data rows of each table (keyed by id(table)) that belong to it: all
    rows to one unit from --kommun or the file name, or row by row from a unit column (a
    survey export holds many municipalities)."""
    every_row = {id(table): list(table.data_rows) for _, table in tables}
    if plan.unit_hint:
        return {plan.units.resolve(plan.unit_hint, "--kommun"): every_row}, UnitSource.HINT
    by_unit: dict[UnitRef, dict[int, list[int]]] = {}
    for sheet, table in tables:
        column = next(iter(table.columns_for("enhet")), None)
        if column is None:
            continue
        values = unit_column_values(sheet, table, column)
        resolved = resolve_unit_column(values, column, plan.units)
        if resolved is None:
            continue  # a column of the case system's own team names, not units
        for number, value in values.items():
            by_unit.setdefault(resolved[value], {}).setdefault(id(table), []).append(number)
    if by_unit:
        return by_unit, UnitSource.COLUMN
    try:
        return {plan.units.resolve(path.stem, "filnamnet"): every_row}, UnitSource.FILE_NAME
    except UnitNotFoundError as unnamed:
        if unnamed.candidates:
            raise  # the name fits several: guessing from elsewhere would hide that
        titled = unit_in_titles(tables, plan.units)
        if titled is None:
            raise
        return {titled: every_row}, UnitSource.TITLE


def unit_in_titles(tables: list[tuple[RawSheet, Table]], units: UnitIndex) -> UnitRef | None:
    """The one unit the title rows above the header name ("Härnösands kommun -
    Socialförvaltningen"), when the file name names none; None when they name none, or
    more than one."""
    found: dict[str, UnitRef] = {}
    for sheet, table in tables:
        for cells in sheet.rows[: table.header_row - 1]:
            line = " ".join(cell.strip() for cell in cells if cell and cell.strip())
            for unit in units.matches(line) if line else ():
                found[unit.code] = unit
    return next(iter(found.values())) if len(found) == 1 else None


def unit_column_values(sheet: RawSheet, table: Table, column: Column) -> dict[int, str]:
    """Each data row's text in the unit column; a row without one refuses the file."""
    values = {}
    for number in table.data_rows:
        cells = sheet.rows[number - 1]
        value = ((cells[column.index] if column.index < len(cells) else None) or "").strip()
        if not value:
            message = f"enheten saknas i kolumnen {column.header!r}."
            raise ImportRefusedError([Problem("missing-unit", message, row=number)])
        values[number] = value
    return values


def resolve_unit_column(
    values: dict[int, str], column: Column, units: UnitIndex
) -> dict[str, UnitRef] | None:
    """The unit of each distinct value of a column headed like a unit column. None when no
    value names a unit at all ("Mottagningen barn och unga"): the header misled, and the
    unit comes from the file name. A column where some values name units and others do
    not refuses the file, naming the first value it cannot place."""
    resolved: dict[str, UnitRef] = {}
    failures: list[UnitNotFoundError] = []
    for value in dict.fromkeys(values.values()):
        try:
            resolved[value] = units.resolve(value, f"kolumnen {column.header!r}")
        except UnitNotFoundError as error:
            failures.append(error)
    if failures and not resolved:
        return None
    if failures:
        raise failures[0]
    return resolved


def columns_read(
    tables: list[tuple[RawSheet, Table]], records: list[TableRecords]
) -> tuple[ColumnRead, ...]:
    """How each column was read; unknown columns first, each with a few of its values (as
    stored: identity numbers masked), so that an analyst sees at once what was left out."""
    read = []
    for (_, table), stored in zip(tables, records, strict=True):
        for column, name in zip(table.columns, unique_headers(table), strict=True):
            sample = () if column.target else value_sample(stored.frame, blocks.CELL + name)
            read.append(
                ColumnRead(
                    table.sheet, column.header, column.target or None, column.described(), sample
                )
            )
    return tuple(sorted(read, key=lambda column: column.variable is not None))


def value_sample(frame: pl.DataFrame, name: str, size: int = 3) -> tuple[str, ...]:
    """The column's most frequent values that occur more than once: categories show, while
    names, case numbers and free text (each written once) stay in the stored cells."""
    if name not in frame.columns:
        return ()
    counts = frame[name].drop_nulls().value_counts(sort=True)
    repeated = counts.filter(pl.col("count") > 1).head(size)
    return tuple(str(value) for value in repeated[name])


def build_report(
    name: str,
    tables: list[tuple[RawSheet, Table]],
    records: list[TableRecords],
    unit: UnitRef,
    unit_source: UnitSource,
    plan: ImportPlan,
    encoding: str,
) -> ImportReport:
    skipped = Counter(reason for _, t in tables for reason in t.skipped.values())
    imported = sum(r.rows for r in records)
    values, pending, flags = value_listings(sum((r.outcomes for r in records), Counter()))
    return ImportReport(
        file=name,
        encoding=encoding,
        unit=ReportedUnit(unit.code, unit.name, unit_source),
        study=plan.study,
        period=plan.period,
        codebook=plan.codebook_version,
        sheets=tuple(
            SheetFound(t.sheet, t.header_row, len(t.data_rows), dict(t.skipped), dict(t.constants))
            for _, t in tables
        ),
        columns=columns_read(tables, records),
        rows=RowCounts(
            read=imported + sum(skipped.values()),
            imported=imported,
            skipped=dict(skipped),
            pending=sum(r.pending for r in records),
        ),
        values=values,
        pending=pending,
        flags=flags,
    )


def value_listings(
    outcomes: Counter[Outcome],
) -> tuple[dict[str, tuple[ValueRead, ...]], dict[str, dict[str, int]], dict[str, int]]:
    """For each variable the distinct raw values and what they became, what waits for
    review, and the flags raised, from how many rows have each outcome (outcomes are shared
    between rows with the same raw input: each distinct one is described once)."""
    values: dict[str, Counter[tuple[str, str, str]]] = {}
    pending: dict[str, Counter[str]] = {}
    flags: Counter[str] = Counter()
    for outcome, n in outcomes.items():
        for flag in outcome.flags:
            flags[flag] += n
        for raw in outcome.pending:
            pending.setdefault(outcome.variable, Counter())[raw] += n
        if outcome.decision is None:
            continue
        code = outcome.value
        shown = "|".join(code) if isinstance(code, list) else "" if code is None else str(code)
        raw = str(outcome.decision.get("raw", "")) or "(härledd)"
        values.setdefault(outcome.variable, Counter())[
            (raw, shown, outcome.decision["method"])
        ] += n
    listed = {
        variable: tuple(ValueRead(*key, n) for key, n in counter.most_common())
        for variable, counter in values.items()
    }
    return listed, {v: dict(counter) for v, counter in pending.items()}, dict(flags)
