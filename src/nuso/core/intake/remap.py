"""A stored sheet read again with one column mapped otherwise, without the file: the block keeps
every raw cell, so the variables the change touches are decided from those cells as the import
decides them, and everything else stays as it was.

The cells are stored with identity numbers replaced by pseudonyms, so what the import derived
from an identity number (the pseudonym, and sex and age where no column gave them) cannot be
derived again. The pseudonym is kept; a row whose sex or age was derived without a raw text
keeps it when the new mapping gives none (see `merged`). A column read as the identity number
or as the unit cannot be changed here: both are read only while the file is in hand.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import polars as pl

from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.intake import blocks
from nuso.core.intake.layout import TICK_RULE, Column, Table, by_hand, is_tick_column
from nuso.core.intake.parts import kind_of_rule
from nuso.core.intake.reading import Cell, RawSheet
from nuso.core.intake.records import UNCHECKED, RowInterpreter
from nuso.core.intake.report import ColumnRead, ValueRead

READ_ONLY_WITH_THE_FILE = frozenset({"personnummer", "enhet"})
FROM_THE_IDENTITY_NUMBER = ("kon", "alder")  # what a row may have had from its number alone
DERIVED_METHODS = ("derived", "estimated", UNCHECKED)
REPEATED = re.compile(r" \((\d+)\)$")  # how a repeated header's cells are named: "Orsak (7)"


@dataclass(frozen=True)
class ColumnChange:
    """A column of a delivered file's sheet mapped to a target by hand ("" for none)."""

    sheet: str
    header: str
    target: str


@dataclass(frozen=True)
class Reread:
    """A block read again: its frame, how many records changed, and the flags the changed
    variables raised before and raise now (the report's flags are mended by the difference)."""

    frame: pl.DataFrame
    changed: int
    flags_before: Counter[str]
    flags_after: Counter[str]
    # variable: records with an identity number that had a value and would have none, where
    # reading the file again would derive one from the number
    unknowable: dict[str, int]


def targets(dictionary: StudyDictionary) -> set[str]:
    """What a column may be mapped to afterwards: a variable, or a column feeding one."""
    roles = {source.role for source in dictionary.source_columns}
    return ({v.name for v in dictionary.variables} | roles) - READ_ONLY_WITH_THE_FILE


def affected(dictionary: StudyDictionary, changed_targets: Iterable[str]) -> list[str]:
    """The variables a change of these targets decides anew: the variables themselves, age
    when a birth date, birth year or date column changes (age is found from them), and the
    variables derived from any of these, in the dictionary's order."""
    changed = set(changed_targets) - {""}
    dates = {v.name for v in dictionary.variables if v.type == "date"}
    if changed & ({"fodelsedatum", "fodelsear"} | dates):
        changed.add("alder")
    changed |= {d.name for d in dictionary.derived if d.source in changed}
    order = [v.name for v in dictionary.variables] + [d.name for d in dictionary.derived]
    return [name for name in order if name in changed]


def stored_sheet(frame: pl.DataFrame, name: str) -> RawSheet:
    """The block's raw cells as the sheet they came from: each record's cells at its row
    (the rows between, the header and those skipped, are empty)."""
    names = blocks.variables_of(frame, blocks.CELL)
    numbers = frame[blocks.ROW].to_list()
    rows: list[list[Cell]] = [[] for _ in range(max(numbers, default=0))]
    cells = frame.select(blocks.CELL + n for n in names).rows()
    for number, row in zip(numbers, cells, strict=True):
        rows[number - 1] = list(row)
    return RawSheet(name, rows)


def reported_columns(cell_names: Sequence[str], reported: Sequence[ColumnRead]) -> list[ColumnRead]:
    """The report's column for each stored cell column, in the file's order (the report lists
    unknown columns first; a repeated header's cells carry its column number)."""
    unused = list(reported)
    found = []
    for name in cell_names:
        candidates = [name, REPEATED.sub("", name)]
        column = next((c for n in candidates for c in unused if c.header == n), None)
        if column is None:
            column = ColumnRead("", name, None, "okänd")  # not in an early report: no variable
        else:
            unused.remove(column)
        found.append(column)
    return found


def stored_table(
    sheet: RawSheet, cell_names: Sequence[str], reported: Sequence[ColumnRead],
    dictionary: StudyDictionary, change: ColumnChange | None = None,
    from_name: Mapping[str, str] | None = None,
) -> Table:  # fmt: skip
    """The sheet's table as the import mapped it, or with `change` applied; its data rows are
    those the records came from, and the values its name gave (`from_name`) are given again."""
    numbers = [i + 1 for i, row in enumerate(sheet.rows) if row]
    columns = []
    for index, read in enumerate(reported_columns(cell_names, reported)):
        if change is not None and read.header == change.header:
            column = by_hand(index, read.header, change.target)
        else:
            column = Column(index, read.header, read.variable or "", read.how.split(":")[0])
        values = [sheet.rows[n - 1][index] for n in numbers]
        # a single-valued variable's boxes ("Flicka", "Pojke") as the import read them
        as_imported = change is None or read.header != change.header
        boxes = ticked(column.target, values, dictionary) or (as_imported and TICK_RULE in read.how)
        # a part of a variable told across columns, as the import read it
        part = kind_of_rule(read.how) if as_imported else ""
        columns.append(replace(column, marks=boxes, part=part))
    return Table(sheet.name, 0, columns, numbers, constants=dict(from_name or {}))


def ticked(target: str, values: Sequence[Cell], dictionary: StudyDictionary) -> bool:
    """A multi-valued variable's column of ticked boxes (its header is the value)."""
    multi = {v.name for v in dictionary.variables if v.type == "categories"}
    return target in multi and is_tick_column(values)


def reread(
    frame: pl.DataFrame, sheet_name: str, reported: Sequence[ColumnRead], change: ColumnChange,
    interpreter: RowInterpreter, from_name: Mapping[str, str] | None = None,
) -> Reread:  # fmt: skip
    """The block with the variables `change` touches decided again from its raw cells."""
    dictionary = interpreter.dictionary
    sheet = stored_sheet(frame, sheet_name)
    names = blocks.variables_of(frame, blocks.CELL)
    before_table = stored_table(sheet, names, reported, dictionary, None, from_name)
    after_table = stored_table(sheet, names, reported, dictionary, change, from_name)
    old = {c.target for c in before_table.columns if c.header == change.header}
    touched = affected(dictionary, old | {change.target})
    rows = frame[blocks.ROW].to_list()  # in the block's order
    before = interpreter.interpret(sheet, before_table, rows)
    after = interpreter.interpret(sheet, after_table, rows)
    updated = merged(frame, after.frame, touched, dictionary)
    return Reread(
        updated,
        changed_records(frame, updated),
        flags_of(before.outcomes, touched),
        flags_of(after.outcomes, touched),
        unknowable(frame, updated, touched),
    )


def merged(
    stored: pl.DataFrame, read: pl.DataFrame, touched: Sequence[str], dictionary: StudyDictionary
) -> pl.DataFrame:
    """The stored block with the touched variables' columns as read now. A row whose sex or
    age came from its identity number alone keeps it where the new reading gives none: the
    number is not stored, so it cannot be read again."""
    columns = [name for name in blocks.schema(dictionary) if column_variable(name) in touched]
    updated = stored.with_columns(read.select(columns))
    for name in (n for n in FROM_THE_IDENTITY_NUMBER if n in touched):
        keep = from_the_number(stored, name) & read[blocks.VALUE + name].is_null()
        kept = [c for c in columns if column_variable(c) in carried_with(name, dictionary)]
        updated = updated.with_columns(
            pl.when(keep).then(stored[c]).otherwise(updated[c]).alias(c) for c in kept
        )
    return updated


def unknowable(
    stored: pl.DataFrame, updated: pl.DataFrame, touched: Sequence[str]
) -> dict[str, int]:
    """For sex and age, the records with an identity number that lose their value: the import
    would have derived one from the number, which is not stored."""
    found = {}
    for name in (n for n in FROM_THE_IDENTITY_NUMBER if n in touched):
        column = blocks.VALUE + name
        if column not in stored.columns:
            continue
        lost = had_a_number(stored, name) & stored[column].is_not_null()
        count = int((lost & updated[column].is_null()).fill_null(False).sum())
        if count:
            found[name] = count
    return found


def from_the_number(frame: pl.DataFrame, name: str) -> pl.Series:
    """The rows whose `name` was derived, without a raw text, in a row with an identity
    number."""
    if blocks.METHOD + name not in frame.columns:
        return pl.Series([False] * frame.height)
    derived = frame[blocks.METHOD + name].is_in(DERIVED_METHODS) & (
        frame[blocks.SOURCE + name].fill_null("") == ""
    )
    return (derived & had_a_number(frame, name)).fill_null(False)


def had_a_number(frame: pl.DataFrame, name: str) -> pl.Series:
    """The rows with an identity number: a pseudonym, or `name` read from a number whose
    check digit is wrong (decision 0027), which has none."""
    unchecked = pl.Series([False] * frame.height)
    if blocks.METHOD + name in frame.columns:
        unchecked = (frame[blocks.METHOD + name] == UNCHECKED).fill_null(False)
    return frame[blocks.PSEUDONYM].is_not_null() | unchecked


def carried_with(name: str, dictionary: StudyDictionary) -> set[str]:
    return {name} | {d.name for d in dictionary.derived if d.source == name}


def column_variable(column: str) -> str:
    """The variable a block column belongs to ('' for the record's own columns and cells)."""
    for prefix in (blocks.VALUE, *blocks.DECISION_PREFIXES):
        if column.startswith(prefix):
            return column.removeprefix(prefix)
    return ""


def changed_records(before: pl.DataFrame, after: pl.DataFrame) -> int:
    columns = [c for c in before.columns if c.startswith((blocks.VALUE, blocks.METHOD))]
    return int((before.select(columns).hash_rows() != after.select(columns).hash_rows()).sum())


def flags_of(outcomes: Counter, touched: Sequence[str]) -> Counter[str]:  # type: ignore[type-arg]
    flags: Counter[str] = Counter()
    for outcome, n in outcomes.items():
        if outcome.variable in touched:
            for flag in outcome.flags:
                flags[flag] += n
    return flags


def listing(frames: Iterable[pl.DataFrame], variable: str) -> tuple[ValueRead, ...]:
    """What each distinct raw value of a variable decided from raw values became, over the
    blocks of a file, most frequent first: the report's listing, from the stored decisions."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for frame in frames:
        if blocks.METHOD + variable not in frame.columns:
            continue
        shown = pl.DataFrame(
            {
                "raw": frame[blocks.SOURCE + variable].fill_null(""),
                "code": shown_codes(frame[blocks.VALUE + variable]),
                "method": frame[blocks.METHOD + variable],
            }
        ).filter(pl.col("method").is_not_null())
        for raw, code, method, n in shown.group_by("raw", "code", "method").len().iter_rows():
            counts[(raw or "(härledd)", code, method)] += n
    return tuple(ValueRead(*key, n) for key, n in counts.most_common())


def shown_codes(values: pl.Series) -> pl.Series:
    """Codes as the report shows them: several joined by |, none as ''."""
    if isinstance(values.dtype, pl.List):
        return values.list.join("|").fill_null("")
    return values.cast(pl.String).fill_null("")
