"""Turning the data rows of a located table into records: every raw cell kept (identity numbers
replaced by pseudonyms first), harmonised values with how each was decided, and flags.

Derivations: age from an age column ("15", "15 år"), else from a birth date or identity number
at the referral date (at the middle of the period when the file has no date: flagged as
estimated), else from a birth year; sex from the identity number when no column says it.

A national import interprets 220 000 rows, but their variables hold few distinct raw values.
What one variable of a row became is an `Outcome`, decided once per distinct raw input and
shared by every row with that input. A table's records come out column-wise, as the block
that stores them (nuso.core.intake.blocks): each variable's outcomes become its columns by gathering
the few distinct ones, never row by row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

import polars as pl

from nuso.core.harmonise.cascade import Harmoniser, Span
from nuso.core.harmonise.codebook import Codebook
from nuso.core.harmonise.dictionary import DerivedVariable, StudyDictionary, StudyVariable
from nuso.core.harmonise.normalise import fold
from nuso.core.intake import blocks
from nuso.core.intake.dates import parse_age, parse_date_cell, parse_year
from nuso.core.intake.layout import IDENTITY, Table, unwrapped
from nuso.core.intake.masking import MaskedText, masked_texts
from nuso.core.intake.outcomes import Outcome, OutcomeColumn
from nuso.core.intake.parts import MARKS, as_value, composed, spoken
from nuso.core.intake.personal_numbers import age_on
from nuso.core.intake.pseudonyms import birth_date, born_of, may_hold_numbers, sex_of
from nuso.core.intake.reading import Cell, RawSheet
from nuso.core.intake.typed_values import typed_outcome


@dataclass(frozen=True)
class TableRecords:
    """A table's records as the block that stores them, and how many rows each outcome has
    (what the import report lists)."""

    sheet: str
    frame: pl.DataFrame
    outcomes: Counter[Outcome]

    @property
    def rows(self) -> int:
        return self.frame.height

    @property
    def pending(self) -> int:
        return int(self.frame[blocks.PENDING].sum())


def unique_headers(table: Table) -> list[str]:
    """Header texts as keys of the raw cells; a repeated header gets its column number."""
    seen: dict[str, int] = {}
    names = []
    for column in table.columns:
        name = column.header
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({column.index + 1})")
    return names


NOTHING = MaskedText("", None, None)
# How a sex or an age read from a number with a wrong check digit was found, in a column
# where most fail (`check_digits_say_nothing`): not "derived", since the check could not
# confirm the digits; the number is masked all the same, and never hashed.
UNCHECKED = "unchecked"
MIN_UNCHECKED = 10  # numbers failing the check before "most fail" tells: two typos of three do not


class Numbers(NamedTuple):
    """Row by row, the child's identity number when valid, and the form a number with a
    wrong check digit claims."""

    canonicals: list[str | None]
    claimed: list[str | None]


class Number(NamedTuple):
    """One row's: see Numbers."""

    canonical: str | None
    claimed: str | None


ZEROS_PUT_BACK = "personnummer sparat som tal utan inledande nollor; läst med nollorna"


class MaskedCells(NamedTuple):
    safe: list[Sequence[Cell]]  # column by column
    canonicals: list[str | None]  # row by row: the child's identity number, when valid
    pseudonyms: list[str | None]  # row by row: its pseudonym
    claimed: list[str | None]  # row by row: a number's form, its check digit wrong


def table_cells(sheet: RawSheet, table: Table, numbers: list[int]) -> list[Sequence[Cell]]:
    """The cells of each column of the table in the given rows (a short row's missing cells
    are empty); a row's continuation rows joined to it, a value a line."""
    lines = [sheet.rows[number - 1] for number in numbers]
    if table.continued:
        lines = [continued(sheet, table, n, line) for n, line in zip(numbers, lines, strict=True)]
    return [
        [line[column.index] if column.index < len(line) else None for line in lines]
        for column in table.columns
    ]


def continued(sheet: RawSheet, table: Table, number: int, line: list[Cell]) -> list[Cell]:
    more = [sheet.rows[row - 1] for row in table.continued.get(number, ())]
    if not more:
        return line
    width = max(len(line), *(len(row) for row in more))
    cells = [*line, *([None] * (width - len(line)))]
    for row in more:
        for at, cell in enumerate(row):
            repeated = at < len(line) and cell == line[at]  # written again: said once
            if cell and not repeated:
                cells[at] = f"{cells[at]}\n{cell}" if cells[at] else cell
    return cells


class TargetCells:
    """The cells of the columns mapped to each variable, row by row; an empty cell is no
    value."""

    def __init__(self, table: Table, cells: list[Sequence[Cell]], size: int) -> None:
        self.size = size
        self.columns: dict[str, list[Sequence[Cell]]] = {}
        # a variable told across columns: what each part's cells compose, with their ranks
        self.parts: dict[str, list[list[tuple[int, str] | None]]] = {}
        for column, values in zip(table.columns, cells, strict=True):
            if column.part:
                header = unwrapped(column.header)
                self.parts.setdefault(column.target, []).append(
                    [composed(column.part, header, value) for value in values]
                )
            elif column.target:
                self.columns.setdefault(column.target, []).append(
                    ticked(column.header, values) if column.marks else values
                )
        for target, value in table.constants.items():
            self.columns.setdefault(target, [[value] * size])
        self.ticked = {  # targets given by ticked boxes alone
            target
            for target in self.columns
            if all(c.marks for c in table.columns_for(target)) and table.columns_for(target)
        }

    def first(self, target: str) -> list[Cell]:
        """The first non-empty cell of the target's columns in each row; where boxes alone
        give the target, a row with two different boxes ticked has none (which is right?)."""
        if target in self.parts:  # a column mapped to it besides (by hand) is a value too
            plain = [[as_value(cell) for cell in column] for column in self.columns.get(target, [])]
            return [spoken(row) for row in zip(*self.parts[target], *plain, strict=True)]
        columns = self.columns.get(target)
        if not columns:
            return [None] * self.size
        if len(columns) == 1:
            return [cell or None for cell in columns[0]]
        if target in self.ticked:
            return [one_ticked(row) for row in zip(*columns, strict=True)]
        return [next((c for c in row if c), None) for row in zip(*columns, strict=True)]

    def every(self, target: str) -> list[tuple[str, ...]]:
        """Every non-empty cell of the target's columns in each row."""
        columns = self.columns.get(target)
        if not columns:
            return [()] * self.size
        if len(columns) == 1:
            return [(cell,) if cell else () for cell in columns[0]]
        return [tuple(filter(None, row)) for row in zip(*columns, strict=True)]


def check_digits_say_nothing(numbers: list[MaskedText]) -> bool:
    """Whether most of a column's numbers fail the Luhn check: an export of test numbers,
    or of numbers whose last digits were changed, where the date and the sex digit are still
    each child's. A wrong number among right ones may be a typo, of any digit, or another
    child's number: it gives nothing."""
    wrong = sum(1 for n in numbers if n.claimed)
    return wrong >= MIN_UNCHECKED and wrong > sum(1 for n in numbers if n.canonical)


def one_ticked(row: Sequence[Cell]) -> Cell:
    """The value of a row's ticked box, None when none is ticked or two different are."""
    values = {cell for cell in row if cell}
    return values.pop() if len(values) == 1 else None


def ticked(header: str, values: Sequence[Cell]) -> list[Cell]:
    """A column of ticked boxes as values: the header (as one line) where a box is ticked,
    else none."""
    value_of = unwrapped(header)
    return [value_of if value and fold(value) in MARKS else None for value in values]


def cell_series(table: Table, safe: list[Sequence[Cell]]) -> list[pl.Series]:
    """Every raw cell of the table, identity numbers replaced, by its (unique) header."""
    return [
        pl.Series(blocks.CELL + header, column, pl.String)
        for header, column in zip(unique_headers(table), safe, strict=True)
    ]


class RowInterpreter:
    def __init__(
        self,
        dictionary: StudyDictionary,
        codebook: Codebook,
        harmoniser: Harmoniser,
        pseudonym_key: str,
        period_middle: dt.date,
        period: Span | None = None,
    ) -> None:
        self.dictionary, self.codebook, self.harmoniser = dictionary, codebook, harmoniser
        self.key = pseudonym_key
        self.period_middle = period_middle
        # A record without a date is read against the codes in force at some time of the
        # delivery's period (codes with validity dates only; None: against every code).
        self.period = period
        self.today = dt.date.today()
        self.dates = [v.name for v in dictionary.variables if v.type == "date"]
        self.memo: dict[tuple[Any, ...], Outcome] = {}

    def interpret(
        self, sheet: RawSheet, table: Table, rows: list[int] | None = None
    ) -> TableRecords:
        """The records of a table's data rows (or of the given ones), worked column by column:
        each variable's distinct raw values are decided once and mapped onto the rows."""
        numbers = table.data_rows if rows is None else rows
        cells, restored = self.zeros_put_back(table, table_cells(sheet, table, numbers))
        child = TargetCells(table, cells, len(numbers)).first(IDENTITY)
        whole = None if rows is None or rows == table.data_rows else self.unchecked(sheet, table)
        masked = self.masked_cells(cells, child, whole)
        # Values are read from the masked cells: an identity number written into any other
        # column (a reason, a comment) reaches no decision, report or export in clear.
        targets = TargetCells(table, masked.safe, len(numbers))
        outcomes = self.outcome_columns(targets, Numbers(masked.canonicals, masked.claimed))
        frame = pl.DataFrame(
            [
                *self.record_series(numbers, masked.pseudonyms, outcomes),
                *self.variable_series(outcomes),
                *cell_series(table, masked.safe),
            ]
        )
        counts = tally(outcomes)
        if restored:
            counts[Outcome(IDENTITY, flags=(ZEROS_PUT_BACK,))] = restored
        return TableRecords(table.sheet, frame, counts)

    def zeros_put_back(
        self, table: Table, cells: list[Sequence[Cell]]
    ) -> tuple[list[Sequence[Cell]], int]:
        """The cells, with the numbers of an identity-number column that a spreadsheet stored
        as numbers (908092794, and 1051234 for a child born in January 2000) given back the
        leading zeros that make them a date; and how many were. Read so, they are masked as
        the numbers they are, and give the child's age and sex."""
        restored, read = 0, []
        for column, texts in zip(table.columns, cells, strict=True):
            whole = {}
            if column.target == IDENTITY:  # a length first: 90 000 cells in a national import
                short = (text for text in set(texts) if text and 7 <= len(text) <= 9)
                whole = {text: ten for text in short if (ten := self.with_zeros(text))}
            if whole:
                restored += sum(1 for text in texts if text in whole)
                texts = [whole.get(text, text) if text else text for text in texts]
            read.append(texts)
        return read, restored

    def with_zeros(self, text: str) -> str | None:
        if not (text.isascii() and text.isdigit()):
            return None
        ten = text.zfill(10)
        return ten if birth_date(ten[:6], "", "", self.today) else None

    def record_series(
        self, numbers: list[int], pseudonyms: list[str | None], outcomes: dict[str, OutcomeColumn]
    ) -> list[pl.Series]:
        """Each record's row, pseudonym, whether it waits for review and its codebook."""
        size = len(numbers)
        pending = pl.Series(blocks.PENDING, [False] * size, pl.Boolean)
        for column in outcomes.values():
            waiting = column.waiting()
            if waiting is not None:
                pending = pending | waiting
        return [
            pl.Series(blocks.ROW, numbers, pl.UInt32),
            pl.Series(blocks.PSEUDONYM, pseudonyms, pl.String),
            pending.alias(blocks.PENDING),
            pl.Series(blocks.CODEBOOK, [self.codebook.version] * size, pl.Int32),
        ]

    def variable_series(self, outcomes: dict[str, OutcomeColumn]) -> list[pl.Series]:
        """Every variable's columns, in the order of the study's block schema."""
        decided = {variable.name for variable in self.dictionary.variables}
        series = {
            s.name: s
            for name, kind in blocks.value_types(self.dictionary).items()
            for s in outcomes[name].series(name, kind, name in decided)
        }
        return [series[name] for name in blocks.schema(self.dictionary) if name in series]

    def unchecked(self, sheet: RawSheet, table: Table) -> bool:
        """Whether most of the whole table's identity numbers fail the check digit: what a
        part of its rows is read by, so that a row is the same alone as with its table."""
        if table.numbers_unchecked is None:
            rows = table.data_rows
            cells, _ = self.zeros_put_back(table, table_cells(sheet, table, rows))
            child = TargetCells(table, cells, len(rows)).first(IDENTITY)
            texts = {c for c in child if c} if may_hold_numbers(child) else set()
            found = masked_texts(texts, self.key, self.today)
            numbers = [found[c] for c in child if c in found]
            table.numbers_unchecked = check_digits_say_nothing(numbers)
        return table.numbers_unchecked

    def masked_cells(
        self, cells: list[Sequence[Cell]], child: list[Cell], unchecked: bool | None = None
    ) -> MaskedCells:
        """Every cell with its identity numbers replaced by pseudonyms, and what was found in
        each row's child cell (the first identity-number cell of the row). Each distinct text
        of the columns that may hold numbers is masked once."""
        holding = [may_hold_numbers(column) for column in cells]
        child_holds = may_hold_numbers(child)
        texts = {
            c for column, holds in zip(cells, holding, strict=True) if holds for c in column if c
        }
        texts.update(c for c in child if c and child_holds)
        found = masked_texts(texts, self.key, self.today)
        safe = [
            [found[c].safe if c else c for c in column] if holds else column
            for column, holds in zip(cells, holding, strict=True)
        ]
        if not child_holds:
            nothing: list[str | None] = [None] * len(child)
            return MaskedCells(safe, nothing, nothing, nothing)
        numbers = [found[c] if c else NOTHING for c in child]
        claimed = [n.claimed for n in numbers]
        if not (check_digits_say_nothing(numbers) if unchecked is None else unchecked):
            claimed = [None] * len(numbers)
        return MaskedCells(
            safe, [n.canonical for n in numbers], [n.pseudonym for n in numbers], claimed
        )

    def outcome_columns(self, targets: TargetCells, numbers: Numbers) -> dict[str, OutcomeColumn]:
        """Each variable's outcome for every row: the dictionary's variables by their type,
        then the derived ones; `kon` and `alder` may also come from an identity number or a
        birth date, the person variables every study has."""
        given: dict[str, list[dt.date | None]] = {}
        for name in self.dates:
            texts = targets.first(name)
            parsed = {text: parse_date_cell(text) for text in set(texts)}
            given[name] = [parsed[text] for text in texts]
        dates = first_dates(list(given.values()), targets.size)
        columns: dict[str, OutcomeColumn] = {}
        for variable in self.dictionary.variables:
            if variable.name == "kon":
                columns["kon"] = self.sex_column(targets.first("kon"), numbers)
            elif variable.name == "alder":
                columns["alder"] = self.age_column(targets, numbers, dates)
            else:
                spans = self.spans(variable, dates, given.get(variable.dated_by or ""))
                columns[variable.name] = self.variable_column(variable, targets, spans)
        for derived in self.dictionary.derived:
            source = columns[derived.source]
            columns[derived.name] = source.derived(partial(self.derived_outcome, derived))
        return columns

    def spans(
        self,
        variable: StudyVariable,
        dates: list[dt.date | None],
        own: list[dt.date | None] | None = None,
    ) -> list[Span | None] | None:
        """For a variable whose codes have validity dates, the days each record's value is
        read at: the day of its own date variable (`dated_by`); else the record's date (the
        first date it gives) — from that day on when the variable has a date of its own
        that is missing (an investigation ends after the report); else the delivery's
        period. None for any other variable."""
        codebook = self.codebook.variables.get(variable.codebook or "")
        if codebook is None or not codebook.dated:
            return None
        own = own or [None] * len(dates)
        open_end = variable.dated_by is not None
        return [
            record_span(mine, date, open_end, self.period)
            for mine, date in zip(own, dates, strict=True)
        ]

    def stored_keys(
        self, frame: pl.DataFrame, variable: StudyVariable
    ) -> list[tuple[str, frozenset[str] | None] | None] | None:
        """For a stored block and a variable whose codes have validity dates, each record's
        raw text with the list it is read against, found from its stored dates as the
        import found it from its cells; None for any other variable (its raw text alone
        decides)."""
        if self.spans(variable, []) is None:
            return None
        assert variable.codebook is not None
        given = {name: stored_dates(frame, name) for name in self.dates}
        dates = first_dates(list(given.values()), frame.height)
        spans = self.spans(variable, dates, given.get(variable.dated_by or "")) or []
        lists = [self.harmoniser.in_force(variable.codebook, span) for span in spans]
        sources = frame[blocks.SOURCE + variable.name].to_list()
        return [
            None if raw is None else (raw, codes) for raw, codes in zip(sources, lists, strict=True)
        ]

    def variable_column(
        self, variable: StudyVariable, targets: TargetCells, spans: list[Span | None] | None = None
    ) -> OutcomeColumn:
        name, codebook = variable.name, variable.codebook
        if codebook and spans is not None:
            lists = [self.harmoniser.in_force(codebook, span) for span in spans]
            return self.dated_column(variable, codebook, targets, lists)
        if codebook and variable.type == "categories":
            return OutcomeColumn.of(
                targets.every(name), lambda cells: self.reasons(name, codebook, cells)
            )
        if codebook:
            return OutcomeColumn.of(targets.first(name), lambda cell: self.category(name, cell))
        return OutcomeColumn.of(targets.every(name), lambda cells: self.typed(variable, cells))

    def dated_column(
        self,
        variable: StudyVariable,
        codebook: str,
        targets: TargetCells,
        lists: list[frozenset[str] | None],
    ) -> OutcomeColumn:
        """A variable read against the list in force for each record: decided once per
        distinct raw value and list."""
        name = variable.name
        if variable.type == "categories":
            keys = [
                (cells, codes) if cells else None
                for cells, codes in zip(targets.every(name), lists, strict=True)
            ]
            return OutcomeColumn.of(keys, lambda key: self.reasons(name, codebook, *key))
        cells = [
            (cell, codes) if cell else None
            for cell, codes in zip(targets.first(name), lists, strict=True)
        ]
        return OutcomeColumn.of(cells, lambda key: self.category(name, *key))

    def sex_column(self, cells: list[Cell], numbers: Numbers) -> OutcomeColumn:
        """A sex column's spelling, else the sex an identity number gives ('pnr', sex), else
        the sex digit of one with a wrong check digit ('unchecked', sex)."""
        keys = [
            cell if cell is not None else sex_derived(canonical, claimed)
            for cell, canonical, claimed in zip(cells, *numbers, strict=True)
        ]
        return OutcomeColumn.of(keys, self.sex)

    def age_column(
        self, targets: TargetCells, numbers: Numbers, dates: list[dt.date | None]
    ) -> OutcomeColumn:
        """An age column's text, else an age found otherwise (age, how): see `age_found`."""
        inputs = zip(
            targets.first("alder"), targets.first("fodelsedatum"), *numbers, dates,
            targets.first("fodelsear"), strict=True,
        )  # fmt: skip
        keys = [
            raw if raw is not None else self.age_found(born, Number(canonical, claimed), date, year)
            for raw, born, canonical, claimed, date, year in inputs
        ]
        return OutcomeColumn.of(keys, self.age)

    def remembered(self, key: tuple[Any, ...], make: Callable[[], Outcome]) -> Outcome:
        outcome = self.memo.get(key)
        if outcome is None:
            outcome = self.memo[key] = make()
        return outcome

    def typed(self, variable: StudyVariable, raws: tuple[str, ...]) -> Outcome:
        """A variable with the study's own categories, or a boolean, number, date or text.
        A value outside its definition is kept raw and flagged (no review: these come from
        forms with fixed answers)."""
        key = ("typed", variable.name, raws)
        return self.remembered(key, lambda: typed_outcome(variable, raws))

    def derived_outcome(self, derived: DerivedVariable, source: Outcome | None) -> Outcome | None:
        if source is None or source.value is None:
            return None  # no source, no derived value
        return self.derived_value(derived, source.value)

    def derived_value(self, derived: DerivedVariable, source: Any) -> Outcome | None:
        if derived.codebook is None:
            return None
        key = ("derived", derived.name, tuple(source) if isinstance(source, list) else source)
        outcome = self.remembered(key, lambda: self.derive(derived, source))
        return outcome if outcome.value is not None else None

    def derive(self, derived: DerivedVariable, source: Any) -> Outcome:
        assert derived.codebook is not None
        if derived.attribute and isinstance(source, list):
            # each code's attribute once, in the order of the derived variable's codes
            of = self.codebook.variables[self.codebook_of(derived.source)]
            found = {of.code(str(code)).attributes.get(derived.attribute) for code in source}
            order = [c.code for c in self.codebook.variables[derived.codebook].codes]
            return Outcome(derived.name, [code for code in order if code in found] or None)
        if derived.attribute:
            entry = self.codebook.variables[self.codebook_of(derived.source)].code(str(source))
            return Outcome(derived.name, entry.attributes.get(derived.attribute))
        if isinstance(source, int):
            codes = self.codebook.variables[derived.codebook].codes
            band = [
                c.code
                for c in codes
                if c.attributes.get("min", 0) <= source <= c.attributes.get("max", -1)
            ]
            return Outcome(derived.name, band[0] if band else None)
        return Outcome(derived.name)

    def codebook_of(self, variable: str) -> str:
        return self.dictionary.variable(variable).codebook or variable

    def birth_date(self, text: Cell, canonical: str | None) -> dt.date | None:
        """A birth date column's date, else the identity number's."""
        born = parse_date_cell(text)
        if born is not None:
            return born
        return born_of(canonical) if canonical else None

    def sex(self, key: str | tuple[str, str]) -> Outcome:
        if isinstance(key, str):
            return self.category("kon", key)
        how, sex = key
        decision = {"method": "derived", "confidence": 1.0, "raw": ""}
        if how == UNCHECKED:
            decision = {"method": UNCHECKED, "confidence": 0.8, "raw": ""}
        return self.remembered(("kon-pnr", how, sex), lambda: Outcome("kon", sex, decision))

    def age_found(
        self, born: str | None, number: Number, date: dt.date | None, year: str | None
    ) -> tuple[int, str] | None:
        """An age without an age column: from the birth date (a column's, else the identity
        number's) at the referral date, else the date of a number with a wrong check digit,
        else the birth year; with how it was found."""
        birth = self.birth_date(born, number.canonical)
        if birth is not None:
            return age_on(birth, date or self.period_middle), "derived" if date else "estimated"
        claimed = born_of(number.claimed) if number.claimed else None
        if claimed is not None:
            return age_on(claimed, date or self.period_middle), UNCHECKED
        year_of_birth = parse_year(year)
        if year_of_birth is None:
            return None
        return self.period_middle.year - year_of_birth, "estimated"

    def age(self, key: str | tuple[int, str]) -> Outcome:
        """From an age column's text, or an age found otherwise; the outcome is shared by
        every row with the same age found the same way."""
        if isinstance(key, str):
            return self.remembered(("alder", key), lambda: self.age_outcome(key))
        age, how = key
        return self.remembered(("alder-härledd", age, how), lambda: age_outcome(age, how, ""))

    def age_outcome(self, raw: str) -> Outcome:
        age = parse_age(raw)
        if age is None:
            return Outcome("alder", flags=(f"ålder går inte att läsa: {raw!r}",))
        return age_outcome(age, "exact", raw)

    def category(self, variable: str, raw: str, in_force: frozenset[str] | None = None) -> Outcome:
        key = ("category", variable, raw, in_force)
        return self.remembered(key, lambda: self.decide(variable, raw, in_force))

    def decide(self, variable: str, raw: str, in_force: frozenset[str] | None = None) -> Outcome:
        codebook_name = self.dictionary.variable(variable).codebook or variable
        decision = self.harmoniser.decide(codebook_name, raw, in_force)
        if decision.pending:
            how = {"method": "pending", "confidence": 0.0, "raw": raw}
            notes = (decision.note,) if decision.note else ()
            return Outcome(variable, None, how, pending=(raw,), flags=notes)
        how = {"method": decision.method, "confidence": decision.confidence, "raw": raw}
        return Outcome(variable, decision.code, how)

    def reasons(
        self,
        variable: str,
        codebook: str,
        cells: tuple[str, ...],
        in_force: frozenset[str] | None = None,
    ) -> Outcome:
        key = ("reasons", variable, cells, in_force)
        return self.remembered(
            key, lambda: self.decide_reasons(variable, codebook, cells, in_force)
        )

    def decide_reasons(
        self,
        variable: str,
        codebook: str,
        cells: tuple[str, ...],
        in_force: frozenset[str] | None = None,
    ) -> Outcome:
        decided = self.harmoniser.decide_many(codebook, list(cells), in_force)
        codes = list(dict.fromkeys(d.code for _, d in decided if d.code))
        pending = tuple(value for value, d in decided if d.pending)
        # A cell partly decided says so in its method ("rule+pending"): a later decision on
        # another variable of the record must still see that the record waits.
        methods = {d.method for _, d in decided if d.code} | ({"pending"} if pending else set())
        confidence = min((d.confidence for _, d in decided if d.code), default=0.0)
        decision = {
            "method": "+".join(sorted(methods)) or "pending",
            "confidence": confidence,
            "raw": "|".join(cells),
        }
        notes = tuple(dict.fromkeys(d.note for _, d in decided if d.note))
        return Outcome(variable, codes, decision, pending=pending, flags=notes)


def stored_dates(frame: pl.DataFrame, name: str) -> list[dt.date | None]:
    """A stored date variable's days (ISO text in the block)."""
    column = blocks.VALUE + name
    if column not in frame.columns:
        return [None] * frame.height
    return [dt.date.fromisoformat(text) if text else None for text in frame[column].to_list()]


def record_span(
    own: dt.date | None, date: dt.date | None, open_end: bool, period: Span | None
) -> Span | None:
    """The days a record's value is read at (see RowInterpreter.spans)."""
    if own is not None:
        return (own, own)
    if date is not None:
        return (date, dt.date.max if open_end else date)
    return period


def first_dates(columns: list[list[dt.date | None]], size: int) -> list[dt.date | None]:
    """Each record's date: the first of the study's date variables that it gives."""
    dates: list[dt.date | None] = [None] * size
    for column in columns:
        dates = [earlier or day for earlier, day in zip(dates, column, strict=True)]
    return dates


def sex_derived(canonical: str | None, claimed: str | None = None) -> tuple[str, str] | None:
    """The sex an identity number gives (the ninth digit: odd for boys), else the one a
    number with a wrong check digit claims; a Norwegian FH-nummer gives none."""
    if canonical:
        sex = sex_of(canonical)
        return ("pnr", sex) if sex else None
    sex = sex_of(claimed) if claimed else None
    return (UNCHECKED, sex) if sex else None


def tally(columns: dict[str, OutcomeColumn]) -> Counter[Outcome]:
    """How many rows have each outcome, over every variable."""
    counts: Counter[Outcome] = Counter()
    for column in columns.values():
        for outcome, n in column.counts():
            counts[outcome] += n
    return counts


def age_outcome(age: int, how: str, raw: str) -> Outcome:
    confidence = {"estimated": 0.5, UNCHECKED: 0.8}.get(how, 1.0)
    decision = {"method": how, "confidence": confidence, "raw": raw}
    flags = () if 0 <= age <= 17 else (f"ålder {age} utanför 0–17",)
    return Outcome("alder", age, decision, flags=flags)
