"""The report of one delivered file: where its tables were found, how each column was read,
what each distinct raw value became, what waits for review and, for a refused file, the
problems that refused it. What `nuso import --rapport` prints, the portal shows and an import
batch stores.

Stored as JSON under the Swedish keys an analyst reads in the admin (decision 0012): `to_json`
writes the shape reports have always had, and `from_json` reads every report stored since the
first import, also those without suggestions (stored before the import made them) and refusals
stored as their text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NamedTuple

from nuso.core.errors import Problem
from nuso.core.harmonise.cascade import METHODS
from nuso.core.harmonise.normalise import normalise

UNKNOWN_COLUMN = "(okänd)"  # how a column read as no variable is shown
REFUSAL = "fel"  # the key of a refused file's problems
NOTES = "anmärkningar"  # the key of an imported file's notes

Suggestion = tuple[str, float]  # a code and its score


class FileStatus(StrEnum):
    """What became of a delivered file; the value is what the user reads."""

    IMPORTED = "inläst"
    ALREADY_IMPORTED = "redan inläst"
    DRY_RUN = "provläst"  # read and reported, nothing stored
    HELD = "hålls tillbaka"  # would replace a unit's data with far less: needs confirming
    FAILED = "fel"


class UnitSource(StrEnum):
    """Where the unit of a file's rows was found."""

    HINT = "--kommun"
    COLUMN = "kolumn"
    FILE_NAME = "filnamn"
    TITLE = "rubrik"  # the title rows above the header, when the file name names none


@dataclass(frozen=True, slots=True)
class ReportedUnit:
    code: str
    name: str
    source: UnitSource


@dataclass(frozen=True, slots=True)
class SheetFound:
    """Where a sheet's table was found, and the rows passed over with why."""

    sheet: str
    header_row: int
    data_rows: int
    skipped: Mapping[int, str]  # row -> reason
    # variable -> the sheet's name, its value for every row (layout.split_by_sheet)
    from_name: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ColumnRead:
    sheet: str
    header: str
    variable: str | None  # None: the column is read as no variable
    how: str  # namn | innehåll | hand | okänd, with the rule that matched
    sample: tuple[str, ...] = ()  # an unknown column's first values (identity numbers masked)

    @property
    def shown_variable(self) -> str:
        return self.variable or UNKNOWN_COLUMN


@dataclass(frozen=True, slots=True)
class RowCounts:
    read: int
    imported: int
    skipped: Mapping[str, int]  # reason -> rows
    pending: int  # rows holding a value that waits for review

    def plus(self, other: RowCounts) -> RowCounts:
        """The rows of two units of one file. Skipped rows are the file's, counted in each
        unit's report alike (in its rows read too): kept once."""
        return replace(
            self,
            read=self.read + other.read - sum(other.skipped.values()),
            imported=self.imported + other.imported,
            pending=self.pending + other.pending,
        )


class ValueRead(NamedTuple):
    """A distinct raw value of a variable, what it became and how, and in how many rows.
    A tuple: a national set's reports list tens of thousands, read back at each decision."""

    raw: str
    code: str  # several codes joined by |, none as ""
    method: str
    occurrences: int


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A review decision taken after the import: the variable and the raw value's key."""

    variable: str
    key: str


@dataclass(frozen=True)
class ImportReport:
    """A file's report for one unit. A refused file's has its problems and nothing else."""

    file: str = ""
    encoding: str = ""  # text files only
    unit: ReportedUnit | None = None
    study: str = ""
    period: str = ""
    codebook: int | None = None  # the version the values were decided under
    sheets: tuple[SheetFound, ...] = ()
    columns: tuple[ColumnRead, ...] = ()
    rows: RowCounts | None = None
    values: Mapping[str, tuple[ValueRead, ...]] = field(default_factory=dict)
    pending: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # variable, raw
    flags: Mapping[str, int] = field(default_factory=dict)
    suggestions: Mapping[str, Mapping[str, tuple[Suggestion, ...]]] = field(default_factory=dict)
    reviewed: tuple[Reviewed, ...] = ()
    problems: tuple[Problem, ...] = ()
    # header: variable, as another unit mapped it by hand for a file with the same headers
    column_suggestions: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[Problem, ...] = ()  # of a file imported all the same (nuso.core.intake.notes)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def decided_values(self, variable: str) -> int:
        """How many values of the variable were decided (each code of a multi-valued cell
        counted): the other half, beside `pending`, of what an analyst still has to do."""
        return sum(
            len([code for code in value.code.split("|") if code]) * value.occurrences
            for value in self.values.get(variable, ())
        )

    def after_review(self, variable: str, key: str) -> ImportReport:
        """The report once a decision on `variable` decided the raw values with this key:
        they no longer wait for review, and the decision is listed."""
        pending = dict(self.pending)
        if variable in pending:
            pending[variable] = {
                raw: n for raw, n in pending[variable].items() if normalise(raw) != key
            }
        return replace(self, pending=pending, reviewed=(*self.reviewed, Reviewed(variable, key)))

    def to_json(self) -> dict[str, Any]:
        if self.refused:
            return {REFUSAL: [problem.to_json() for problem in self.problems]}
        data = {
            "fil": self.file,
            "kodning": self.encoding,
            "enhet": unit_to_json(self.unit),
            "delstudie": self.study,
            "period": self.period,
            "kodbok": self.codebook,
            "flikar": [sheet_to_json(sheet) for sheet in self.sheets],
            "kolumner": [column_to_json(column) for column in self.columns],
            "rader": rows_to_json(self.rows),
            "värden": {
                variable: values_to_json(values) for variable, values in self.values.items()
            },
            "granskning": {variable: dict(raws) for variable, raws in self.pending.items()},
            "flaggor": dict(self.flags),
            "förslag": suggestions_to_json(self.suggestions),
        }
        if self.reviewed:
            data["granskade"] = [{"variabel": r.variable, "nyckel": r.key} for r in self.reviewed]
        if self.column_suggestions:
            data["kolumnförslag"] = dict(self.column_suggestions)
        if self.notes:
            data[NOTES] = [note.to_json() for note in self.notes]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportReport:
        """A stored report, as any version stored it; what it lacks is empty. Nothing of
        `data` is shared: a change to the stored JSON does not reach the report."""
        if REFUSAL in data:
            return cls(problems=problems_from_json(data[REFUSAL]))
        return cls(
            file=data.get("fil", ""),
            encoding=data.get("kodning", ""),
            unit=unit_from_json(data.get("enhet")),
            study=data.get("delstudie", ""),
            period=data.get("period", ""),
            codebook=data.get("kodbok"),
            sheets=tuple(sheet_from_json(sheet) for sheet in data.get("flikar", ())),
            columns=tuple(column_from_json(column) for column in data.get("kolumner", ())),
            rows=rows_from_json(data.get("rader")),
            values={
                variable: values_from_json(values)
                for variable, values in data.get("värden", {}).items()
            },
            pending={variable: dict(raws) for variable, raws in data.get("granskning", {}).items()},
            flags=dict(data.get("flaggor", {})),
            suggestions=suggestions_from_json(data.get("förslag", {})),
            reviewed=tuple(Reviewed(r["variabel"], r["nyckel"]) for r in data.get("granskade", ())),
            column_suggestions=dict(data.get("kolumnförslag", {})),
            notes=problems_from_json(data.get(NOTES, ())),
        )


def merge_reports(total: ImportReport | None, report: ImportReport) -> ImportReport:
    """The file's report for the summary: one unit's as it is, several units' rows added up."""
    if total is None or total.rows is None or report.rows is None:
        return report
    return replace(total, rows=total.rows.plus(report.rows))


def methods_used(report: ImportReport) -> list[tuple[str, str]]:
    """The decision methods a report's value listings show, each with what it means."""
    used = {
        part for values in report.values.values() for value in values
        for part in value.method.split("+")
    }  # fmt: skip
    return [(method, text) for method, text in METHODS.items() if method in used]


def refusal_text(problems: Sequence[Problem]) -> str:
    """Why a file was refused, as the user reads it beside the file's name."""
    return "\n".join(problem.describe(file=False) for problem in problems)


def problems_from_json(stored: Any) -> tuple[Problem, ...]:
    if isinstance(stored, str):  # stored before refusals were problems: the text shown
        return (Problem("refused", stored),)
    return tuple(Problem.from_json(problem) for problem in stored)


def unit_to_json(unit: ReportedUnit | None) -> dict[str, str] | None:
    if unit is None:
        return None
    return {"kod": unit.code, "namn": unit.name, "källa": unit.source.value}


def unit_from_json(data: Mapping[str, str] | None) -> ReportedUnit | None:
    if data is None:
        return None
    return ReportedUnit(data["kod"], data["namn"], UnitSource(data["källa"]))


def sheet_to_json(sheet: SheetFound) -> dict[str, Any]:
    found: dict[str, Any] = {
        "flik": sheet.sheet,
        "rubrikrad": sheet.header_row,
        "datarader": sheet.data_rows,
        "överhoppade": {str(row): why for row, why in sheet.skipped.items()},
    }
    if sheet.from_name:  # a key of its own, only where a sheet's name gave values
        found["ur_fliknamnet"] = dict(sheet.from_name)
    return found


def sheet_from_json(data: Mapping[str, Any]) -> SheetFound:
    skipped = {int(row): why for row, why in data["överhoppade"].items()}
    from_name = dict(data.get("ur_fliknamnet", {}))  # reports stored before it: none
    return SheetFound(data["flik"], data["rubrikrad"], data["datarader"], skipped, from_name)


def column_to_json(column: ColumnRead) -> dict[str, Any]:
    data: dict[str, Any] = {
        "flik": column.sheet,
        "kolumn": column.header,
        "tolkas_som": column.shown_variable,
        "hur": column.how,
    }
    if column.sample:
        data["exempel"] = list(column.sample)
    return data


def column_from_json(data: Mapping[str, Any]) -> ColumnRead:
    variable = data["tolkas_som"]
    known = None if variable == UNKNOWN_COLUMN else variable
    return ColumnRead(
        data["flik"], data["kolumn"], known, data["hur"], tuple(data.get("exempel", ()))
    )


def rows_to_json(rows: RowCounts | None) -> dict[str, Any] | None:
    if rows is None:
        return None
    return {
        "lästa": rows.read,
        "inlästa": rows.imported,
        "överhoppade": dict(rows.skipped),
        "att_granska": rows.pending,
    }


def rows_from_json(data: Mapping[str, Any] | None) -> RowCounts | None:
    if data is None:
        return None
    return RowCounts(data["lästa"], data["inlästa"], dict(data["överhoppade"]), data["att_granska"])


def suggestions_to_json(
    suggestions: Mapping[str, Mapping[str, tuple[Suggestion, ...]]],
) -> dict[str, dict[str, list[list[Any]]]]:
    return {
        variable: {raw: [list(s) for s in found] for raw, found in raws.items()}
        for variable, raws in suggestions.items()
    }


def suggestions_from_json(
    data: Mapping[str, Mapping[str, list[list[Any]]]],
) -> dict[str, dict[str, tuple[Suggestion, ...]]]:
    return {
        variable: {
            raw: tuple((code, score) for code, score in found) for raw, found in raws.items()
        }
        for variable, raws in data.items()
    }


def values_to_json(values: Sequence[ValueRead]) -> list[dict[str, Any]]:
    return [
        {"rått": raw, "kod": code, "metod": method, "antal": n} for raw, code, method, n in values
    ]


def values_from_json(data: Sequence[Mapping[str, Any]]) -> tuple[ValueRead, ...]:
    return tuple([ValueRead(v["rått"], v["kod"], v["metod"], v["antal"]) for v in data])
