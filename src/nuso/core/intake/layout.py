"""Finding the table in a sheet: the header row below any title rows, what each column means
(by its header, or by its content when the header says nothing), and which rows are data.

Nothing here decides values; it only says where they are. Blank rows and total rows are
reported with their row numbers, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import lru_cache

from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.harmonise.normalise import fold
from nuso.core.intake.dates import masked_number_date, parse_age, parse_date, parse_year
from nuso.core.intake.headers import HeaderMatch, HeaderReader
from nuso.core.intake.parts import (
    COMPLETES,
    MARK,
    MARKS,
    PART_RULE,
    UNMARKS,
    composed,
    exclusive,
    part_kind,
)
from nuso.core.intake.pseudonyms import find_numbers
from nuso.core.intake.reading import Cell, RawSheet

HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2
HEADER_ROWS_BELOW = 2  # rows under a header found by whole aliases that may be the real one
MIN_CONTENT_COLUMNS = 3  # columns a header row found by its content must map
CONTENT_SAMPLE = 200
CONTENT_SHARE = 0.9
RECOGNISED_SHARE = 0.8  # of a column's values spelled as one codebook variable's codes
# ... or fewer, when no other variable comes near: a hand-kept column of decisions has its
# own wordings beside the known ones, and they go to review once the column is mapped
MOSTLY_RECOGNISED_SHARE = 0.6
MOSTLY_SAMPLE = 30  # values the lower share needs: four of six is no evidence
MAX_DISTINCT_SHARE = 0.5  # a column of categories repeats its values (each value of a cell)
VALUE_PARTS = re.compile(r"\s*(?:[;|\n]|,|\s\+\s)\s*")  # how a cell lists several values
DATE_SPAN_YEARS = 2  # referral dates of a period span a year or two, birth dates many
TOTAL_WORDS = ("totalt", "total", "summa", "summering", "antal", "sum")  # "Antal rader: 142"
TOTAL_INITIALS = frozenset(word[0] for word in TOTAL_WORDS)
SEX_TOKENS = frozenset({"f", "p", "k", "m", "flicka", "pojke", "kvinna", "man", "tjej", "kille"})
NUMBERED = re.compile(r"^(.*?)[\s_]*(\d{1,2})$")  # "Orsak 2", "orsak_3"
IDENTITY = "personnummer"  # the identity number's role, which columns and records share
TICK_RULE = "kryss under en rubrik som är ett värde"  # how the report names a box column
MAX_AGE = 17
MIN_DISTINCT_AGES = 3

Recogniser = Callable[[str], bool]
Mask = Callable[[str], str]  # a header's text as shown and stored (identity numbers replaced)


def as_written(text: str) -> str:
    return text


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    target: str  # a variable or source-column role; "" when unknown
    how: str  # namn | innehåll | okänd
    rule: str = ""  # in Swedish, which rule matched (or why none did), for the report
    candidates: tuple[str, ...] = ()  # targets a header could be equally well: none chosen
    marks: bool = False  # ticked boxes: a marked cell holds the header's value
    part: str = ""  # one of several columns telling one variable: its kind (nuso...parts)

    def described(self) -> str:
        """How the column was mapped, with the rule, as the import report shows it."""
        return f"{self.how}: {self.rule}" if self.rule else self.how


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based
    columns: list[Column]
    data_rows: list[int] = field(default_factory=list)  # 1-based row numbers
    skipped: dict[int, str] = field(default_factory=dict)  # row -> reason
    # A data row's continuation rows (more reasons on rows of their own): their cells are
    # read as part of it (`continues`).
    continued: dict[int, list[int]] = field(default_factory=dict)
    # Variables no column gives that the sheet's name does, for every row: a workbook with a
    # sheet per referral type ("Anmälningar", "Ansökningar").
    constants: dict[str, str] = field(default_factory=dict)
    # Whether most of its identity numbers fail the check digit (records.check_digits_say_
    # nothing), found once for the whole table when only some of its rows are read.
    numbers_unchecked: bool | None = field(default=None, compare=False)

    def columns_for(self, target: str) -> list[Column]:
        return [column for column in self.columns if column.target == target]


@lru_cache(maxsize=16_384)  # the first rows of every sheet are searched for the header
def header_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w/ ]+", " ", fold(text)).split())


@dataclass(frozen=True)
class Aliases:
    """A study's column names: the exact index of every alias, and a reader of headers by
    their words (nuso.core.intake.headers) for headers no alias spells."""

    index: dict[str, str]
    reader: HeaderReader

    def exact(self, text: Cell) -> str:
        """The target of a header that is an alias whole (or a numbered one), else ""."""
        whole = self.whole(text)
        return whole.target if whole else ""

    def target(self, text: Cell) -> str:
        """The target of a header, read whole or by its words; "" when none."""
        return self.match(text).target

    def match(self, text: Cell) -> HeaderMatch:
        if not text:
            return HeaderMatch("", "")
        return self.whole(text) or self.reader.read(text)

    def whole(self, text: Cell) -> HeaderMatch | None:
        if not text:
            return None
        key = header_key(text)
        if key in self.index:
            return HeaderMatch(self.index[key], "namn", key)
        numbered = NUMBERED.match(key)  # several columns of one variable: Orsak 1, Orsak 2 …
        if numbered and numbered[1] in self.index:
            return HeaderMatch(self.index[numbered[1]], "namn", numbered[1])
        return None


def alias_index(dictionary: StudyDictionary) -> Aliases:
    return _aliases(
        tuple((v.name, (v.name, *v.aliases)) for v in dictionary.variables)
        + tuple((s.role, (s.role, *s.aliases)) for s in dictionary.source_columns)
    )


@lru_cache(maxsize=64)  # one per study dictionary, every sheet of every file asks
def _aliases(names: tuple[tuple[str, tuple[str, ...]], ...]) -> Aliases:
    index: dict[str, str] = {}
    for target, aliases in names:
        for alias in aliases:
            index.setdefault(header_key(alias), target)
    return Aliases(index, HeaderReader(dict(names)))


def match_header(text: Cell, aliases: Aliases) -> str:
    return aliases.target(text)


def find_header(rows: list[list[Cell]], aliases: Aliases) -> int | None:
    """0-based index of the row most like a header: the most cells naming known columns.
    Aliases spelled whole are tried first, since nearly every export has two; only when no
    row has are headers read on their words (the first rows of a sheet are mostly data, and
    reading them all by their words cost 1 s of the national import, measured)."""
    found = best_header_row(rows, aliases.exact)
    if found is None:
        return best_header_row(rows, aliases.target)
    # A header in two rows (a group row over the real one): the rows just below are read by
    # their words too, and the one naming the most columns is the header.
    near = rows[found : found + HEADER_ROWS_BELOW + 1]
    below = best_header_row(near, aliases.target)
    return found + below if below is not None else found


def best_header_row(rows: list[list[Cell]], target: Callable[[Cell], str]) -> int | None:
    best, best_score = None, MIN_HEADER_MATCHES - 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = len({target(cell) for cell in row} - {""})
        if score > best_score:
            best, best_score = i, score
    return best


def locate_table(
    sheet: RawSheet,
    dictionary: StudyDictionary,
    recognisers: Mapping[str, Recogniser] | None = None,
    chosen: Mapping[str, str] | None = None,
    mask: Mask = as_written,
) -> Table | None:
    """The table of a sheet, or None when the sheet holds no data of this study.
    `recognisers` tell for a codebook variable whether a cell holds its values (from the
    harmoniser): then a column whose header says nothing is still mapped by its content.
    `chosen` maps headers to targets by hand ("" unmaps one); it goes before every rule, and
    names a header as `mask` gives it. `mask` gives each column's header as the table keeps
    it (nuso.core.intake.boundary replaces identity numbers); a header is read as written."""
    aliases = alias_index(dictionary)
    hints = ContentHints.of(dictionary, recognisers, chosen)
    header_index = find_header(sheet.rows, aliases)
    if header_index is None:
        header_index = find_header_by_content(sheet.rows, aliases, hints, mask)
    if header_index is None:
        return None
    header = sheet.rows[header_index]
    body = sheet.rows[header_index + 1 :]
    columns = map_columns(header, body, aliases, hints, mask)
    variables = {v.name for v in dictionary.variables}
    if not any(column.target in variables for column in columns):
        return None
    table = Table(sheet.name, header_index + 1, columns)
    table.constants = sheet_name_values(sheet.name, columns, hints)
    # Boxes are ticked on the record's own row: a row of only ticks is a record of its own.
    continuing = {c.index for c in columns if c.target in hints.multi and not c.marks}
    head = None  # the data row the next row may continue: the one just above, if any
    named = {c.index for c in columns if c.target and c.target != IDENTITY}
    ids = identifier_columns(body, [c.index for c in columns if c.index not in named])
    page_heads = PageHeads.above(sheet.rows[:header_index])
    for offset, row in enumerate(body):
        number = header_index + 2 + offset
        if not any(row):
            table.skipped[number], head = "tom rad", None
        elif page_heads.again(row):  # "Ljusdals kommun … Sida 2" atop a printed page
            table.skipped[number], head = "sidhuvud igen", None
        elif offset and not any(body[offset - 1]) and is_section_heading(row, continuing):
            table.skipped[number], head = "mellanrubrik", None  # "Juli–december" after a gap
        elif is_period_heading(row):
            table.skipped[number], head = "mellanrubrik", None  # "JANUARI" between the months
        elif is_note(row, continuing):
            table.skipped[number], head = "anteckning", None  # "** Ålder avser …" at the end
        elif row == header or is_page_footer(row):  # a printed report's page break
            # a record's further rows may go on after the break: it is the last one's
            table.skipped[number] = "rubrik eller sidfot igen"
            head = table.data_rows[-1] if row == header and table.data_rows else None
        elif is_total_row(row):
            table.skipped[number], head = "summeringsrad", None
        elif head is not None and (
            continues(row, continuing)
            or (
                bool(ids)
                and repeats(row, sheet.rows[head - 1], body[offset - 1], continuing, named, ids)
            )
        ):
            table.continued.setdefault(head, []).append(number)
            table.skipped[number] = f"fortsättning på rad {head}"
        else:
            table.data_rows.append(number)
            head = number
    return table


@dataclass(frozen=True)
class PageHeads:
    """The rows above a printed report's header (its title, "Utskrivet … Sida 1"), to know
    them again atop each later page, their numbers aside."""

    firsts: frozenset[str]  # their first cells, looked up first: every data row comes here
    shapes: frozenset[tuple[str, ...]]

    @classmethod
    def above(cls, rows: list[list[Cell]]) -> PageHeads:
        heads = [row for row in rows if len(row) - row.count(None) >= 2]
        return cls(frozenset(first_cell(row) for row in heads), frozenset(map(shape, heads)))

    def again(self, row: list[Cell]) -> bool:
        return bool(self.firsts) and first_cell(row) in self.firsts and shape(row) in self.shapes


def first_cell(row: list[Cell]) -> str:
    return next((cell for cell in row if cell), "")


def shape(row: list[Cell]) -> tuple[str, ...]:
    """A row with its numbers made alike ("Sida 2" as "Sida 1") and no trailing blanks."""
    cells = [re.sub(r"\d+", "0", cell) if cell else "" for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def is_section_heading(row: list[Cell], continuing: set[int]) -> bool:
    """One cell alone after an empty row, not a value of a multi-valued variable (that is a
    record of its own): a heading within the table ("Juli–december")."""
    filled = [at for at, cell in enumerate(row) if cell]
    return len(filled) == 1 and filled[0] not in continuing


NOTE_WORDS = 4  # a cell alone of this many words is a sentence about the list, not a record


def is_note(row: list[Cell], continuing: set[int]) -> bool:
    """One cell alone, not a value of a multi-valued variable, that is a footnote ("* …") or
    a sentence ("Sommarvikarie förde listan v. 27–32"): a record has values in several
    columns, and a heading (`is_section_heading`) is a few words."""
    filled = [(at, cell) for at, cell in enumerate(row) if cell and cell.strip()]
    if len(filled) != 1 or filled[0][0] in continuing:
        return False
    text = filled[0][1].strip()
    return text.startswith("*") or len(text.split()) >= NOTE_WORDS


MONTH = (  # Swedish and English month names, and their abbreviations
    r"(?:januari|january|februari|february|mars|march|april|maj|may|juni|june|juli|july|"
    r"augusti|august|september|oktober|october|november|december|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec)\.?)"
)
PERIOD_HEADING = re.compile(
    rf"^(?:{MONTH}(?:\s*[-–/]\s*{MONTH})?|(?:kvartal|kv|q)\.?\s*[1-4]|(?:vecka|v)\.?\s*\d{{1,2}})"
    r"(?:\s+(?:19|20)\d\d)?$"
)


def is_period_heading(row: list[Cell]) -> bool:
    """One cell alone naming a month, a quarter or a week ("JANUARI", "Jan–jun 2023",
    "Kv 3"): a heading a hand-kept sheet writes between its periods, with or without a gap."""
    alone = None
    for cell in row:  # a record has a second filled cell early: stop there
        if cell and cell.strip():
            if alone is not None:
                return False
            alone = cell
    return alone is not None and bool(PERIOD_HEADING.match(" ".join(fold(alone).split())))


def continues(row: list[Cell], continuing: set[int]) -> bool:
    """A row that carries only more values of a multi-valued variable (a further reason on
    a row of its own, every other cell empty, as report generators that write one row per
    reason do): it belongs to the data row above."""
    # all() stops at a data row's first filled cell; an empty row never comes here
    return bool(continuing) and all(not cell or at in continuing for at, cell in enumerate(row))


def repeats(
    row: list[Cell], head: list[Cell], above: list[Cell], continuing: set[int],
    named: set[int], ids: set[int],
) -> bool:  # fmt: skip
    """A row that repeats its record's row but for a further value of a multi-valued variable
    and a counter ("Orsaksrad" 2 after 1), as exports with one row per reason and every other
    column written again do: it belongs to that record. The record's identifier (a case
    number, an identity number: `identifier_columns`) must be among what it repeats; without
    one, two referrals alike in every column but their reasons are two."""
    if not ids or not any(
        at < min(len(row), len(head)) and row[at] and row[at] == head[at] for at in ids
    ):
        return False  # checked first: every data row of a table comes here
    if not continuing or not any(row[at] for at in continuing if at < len(row)):
        return False
    identified = False
    for at in range(max(len(row), len(head))):
        cell = row[at] if at < len(row) else None
        if at in continuing:
            continue
        was = head[at] if at < len(head) else None
        if cell == was:
            identified = identified or (at in ids and bool(cell))
        elif at in named or not is_next_count(cell, above[at] if at < len(above) else None):
            return False
    return identified


IDENTIFIER_SHARE = 0.3  # of a column's values that are distinct, in an identifier's column
IDENTIFIER_SAMPLE = 100  # rows looked at (every table of an import is)


def identifier_columns(body: list[list[Cell]], candidates: list[int]) -> set[int]:
    """Columns that identify records (a case number, an identity number): text of four
    characters or more with a digit and no date, many of them distinct (an age group,
    "13-15 år", has digits too, but few values), each value on consecutive rows only (a
    record's rows; a date or a team recurs apart)."""
    found = set()
    for at in candidates:
        values = [v.strip() for v in column_values(body[:IDENTIFIER_SAMPLE], at) if v and v.strip()]
        if values and all(is_identifier(value) for value in values):
            runs = 1 + sum(1 for a, b in itertools.pairwise(values) if a != b)
            distinct = len(set(values))
            if distinct >= IDENTIFIER_SHARE * len(values) and runs == distinct:
                found.add(at)
    return found


def is_identifier(value: str) -> bool:
    return (
        len(value) >= 4
        and any(ch.isdigit() for ch in value)
        and parse_date(value) is None
        and parse_year(value) is None
    )


def is_next_count(cell: Cell, above: Cell) -> bool:
    """ "2" under "1": a row counter within a record."""
    now, before = (cell or "").strip().removesuffix(".0"), (above or "").strip().removesuffix(".0")
    digits = now.isascii() and now.isdigit() and before.isascii() and before.isdigit()
    return digits and int(now) == int(before) + 1


def find_header_by_content(
    rows: list[list[Cell]], aliases: Aliases, hints: ContentHints, mask: Mask = as_written
) -> int | None:
    """When no row names two known columns (headers in English, or in codes: "RegDate",
    "Gender", "Outcome"), the row under which the most columns are known by their content,
    provided it names one known column itself and MIN_CONTENT_COLUMNS are mapped in all."""
    best, best_count = None, MIN_CONTENT_COLUMNS - 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        filled = [cell for cell in row if cell]
        if len(filled) < MIN_CONTENT_COLUMNS or not any(aliases.target(c) for c in row):
            continue
        body = rows[i + 1 : i + 1 + CONTENT_SAMPLE * 3]
        columns = map_columns(row, body, aliases, hints, mask)
        count = len({column.target for column in columns if column.target})
        if count > best_count:
            best, best_count = i, count
    return best


def data_tables(tables: list[tuple[RawSheet, Table]]) -> list[tuple[RawSheet, Table]]:
    """A workbook's data sheets: those that map at least half as many columns as the sheet
    that maps most. A sheet of drop-down lists ("Listor": Typ, Beslut) has a header of
    known words too, but only a few of the study's columns; sheets of the same export split
    by district or half-year map the same ones and are all kept."""
    mapped = [len({c.target for c in table.columns if c.target}) for _, table in tables]
    most = max(mapped, default=0)
    return [pair for pair, count in zip(tables, mapped, strict=True) if 2 * count >= most]


PAGE_FOOTER = re.compile(r"^\s*(sida|page)\s+\d+(\s*(av|of|/)\s*\d+|\s*\(\d+\))?\s*$", re.I)


def is_page_footer(row: list[Cell]) -> bool:
    """A page footer alone on its row ("Sida 3 av 7", "Sida 3 (7)") in a printed report."""
    if len(row) - row.count(None) > 1:  # counted first: every data row comes here
        return False
    filled = [cell for cell in row if cell]
    return len(filled) == 1 and PAGE_FOOTER.match(filled[0]) is not None


COUNT = re.compile(r"(?:[^\W\d_][\w ]*:\s*)?\d[\d ]*")  # "23", "1 204", "Antal: 262"


def is_total_row(row: list[Cell]) -> bool:
    """A row of totals: a total word first, then a few cells or only counts ("Summa", 280,
    23, 11, … under each column of a wide export)."""
    first = next((cell for cell in row if cell), None)
    if first is None or first.lstrip()[:1].lower() not in TOTAL_INITIALS:  # most rows end here
        return False
    if not any(fold(first).startswith(word) for word in TOTAL_WORDS):
        return False
    filled = [cell for cell in row if cell]
    return len(filled) <= 3 or all(COUNT.fullmatch(cell.strip()) for cell in filled[1:])


@dataclass(frozen=True)
class ContentHints:
    """What a column's content can be mapped to when its header says nothing: the study's
    date variables, its birth date and birth year columns, its codebook variables (each with
    a test of whether a cell holds its values), and which variables take several columns."""

    dates: tuple[str, ...]
    roles: frozenset[str]
    recognisers: Mapping[str, Recogniser]
    multi: frozenset[str]
    integers: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # name: range
    chosen: Mapping[str, str] = field(default_factory=dict)  # header key: target, by hand

    @classmethod
    def of(
        cls,
        dictionary: StudyDictionary,
        recognisers: Mapping[str, Recogniser] | None,
        chosen: Mapping[str, str] | None = None,
    ) -> ContentHints:
        return cls(
            dates=tuple(v.name for v in dictionary.variables if v.type == "date"),
            roles=frozenset(source.role for source in dictionary.source_columns),
            recognisers=recognisers or {},
            multi=frozenset(v.name for v in dictionary.variables if v.type == "categories"),
            integers={
                v.name: (int(v.min), int(v.max))
                for v in dictionary.variables
                if v.type == "integer" and v.min is not None and v.max is not None
            },
            chosen={header_key(header): target for header, target in (chosen or {}).items()},
        )


def map_columns(
    header: list[Cell],
    body: list[list[Cell]],
    aliases: Aliases,
    hints: ContentHints,
    mask: Mask = as_written,
) -> list[Column]:
    """Each column's target: by its header, else by its content, never a target another
    column already has by its header (but a multi-valued variable takes several). A header
    that could be two targets is reported with both and mapped to neither. Headers are read
    as written and kept as `mask` gives them: a pseudonym's letters are no header's words."""
    matches = [aliases.match(text) for text in header]
    sampled = body[: CONTENT_SAMPLE * 3]  # what every test of content looks at
    content = [column_values(sampled, index) for index in range(len(header))]
    named = [checked_by_content(m, v, hints) for m, v in zip(matches, content, strict=True)]
    kept = [mask(text) if text else "" for text in header]
    chosen = [hints.chosen.get(header_key(text)) for text in kept]
    taken = {match.target for match in named if match.target} | {c for c in chosen if c}
    columns = []
    for index, text in enumerate(header):
        name = kept[index] or f"(kolumn {index + 1})"
        if chosen[index] is not None:  # an analyst's choice goes before every rule
            columns.append(by_hand(index, name, chosen[index] or ""))
            continue
        match = named[index]
        written = unwrapped(text) or name
        marked = ""
        if match.rule != "namn":
            marked = ticked_variable(written, content[index], hints, taken)
        if marked:  # ticked boxes under a value: the header's words are the value's
            columns.append(Column(index, name, marked, "innehåll", TICK_RULE, marks=True))
            continue
        if match.target:
            columns.append(Column(index, name, match.target, "namn", named_rule(match)))
            continue
        column = column_by_content(index, name, content[index], hints, taken, match)
        if column.target and column.target not in hints.multi:
            taken.add(column.target)
        columns.append(column)
    columns = single_boxes(numbered_siblings(columns, hints.multi), hints.multi)
    columns = resolve_duplicate_roles(columns, set(hints.multi))
    return told_in_parts(columns, sampled, content, hints)


def told_in_parts(
    columns: list[Column], body: list[list[Cell]], content: list[list[Cell]], hints: ContentHints
) -> list[Column]:
    """Columns that tell one single-valued variable between them, one filled in each row
    ("Beslut att inleda utredning (datum)", "Påförd pågående", "Övrig åtgärd"): parts of
    it (`nuso.core.intake.parts`). Only where two or more are, one of them a tick or date
    under a value or a header a cell completes (two columns of values are read first one,
    then the other, as before; a value and a note beside it are a value and a note), and rows
    mostly fill one decision; a column mapped by hand or read as another variable is never
    one."""
    for variable, decides in hints.recognisers.items():
        if variable in hints.multi:
            continue
        pool = [c for c in columns
                if c.target in ("", variable) and c.how != "hand" and not c.marks]  # fmt: skip
        # parts have a header that is a value among them ("Övrig åtgärd"): without one, no
        # column is read again (the test of each value under each header costs time)
        if len(pool) < 2 or not any(decides(unwrapped(c.header)) for c in pool):
            continue
        kinds = {
            column.index: kind
            for column in pool
            if (kind := part_kind(unwrapped(column.header),
                                  content_sample(content[column.index]), decides))
        }  # fmt: skip
        # told apart: a tick or date under a value, or a header a cell completes, is among
        # them (a value column and a note beside it are a value and a note)
        if len(kinds) < 2 or not {MARK, COMPLETES} & set(kinds.values()):
            continue
        if any(c.target == variable and c.index not in kinds for c in columns):
            continue  # a column of the variable that is no part: it says what it says
        headers = {c.index: unwrapped(c.header) for c in columns}
        cells = [
            [composed(kind, headers[i], cell) for cell in column_values(body, i)]
            for i, kind in kinds.items()
        ]
        if not exclusive(cells):
            continue
        columns = [
            replace(c, target=variable, how="innehåll", rule=f"{PART_RULE}: {kinds[c.index]}",
                    part=kinds[c.index], candidates=())
            if c.index in kinds else c
            for c in columns
        ]  # fmt: skip
    return columns


def numbered_siblings(columns: list[Column], multi: frozenset[str]) -> list[Column]:
    """Numbered columns of one multi-valued variable ("Ors.1", "Ors.2", "Ors.3"): one read as
    the variable makes its unread siblings of the same name that variable too (a third
    reason column is mostly empty, too little to be read by its content)."""
    stems: dict[str, str] = {}
    for column in columns:
        stem = numbered_stem(column.header)
        if stem and column.target in multi and not column.marks:
            stems.setdefault(stem, column.target)
    return [
        replace(column, target=stems[stem], how="namn", rule=f"numrerad som {stem!r}")
        if not column.target and column.how != "hand" and (stem := numbered_stem(column.header))
        and stem in stems
        else column
        for column in columns
    ]  # fmt: skip


def numbered_stem(header: str) -> str:
    """The name of a numbered column ("ors" of "Ors.2", "orsak" of "Orsak_3"); "" for a
    column without a number."""
    found = NUMBERED.match(header_key(unwrapped(header)))
    return found[1].strip() if found and found[1].strip() else ""


def by_hand(index: int, name: str, target: str) -> Column:
    if target:
        return Column(index, name, target, "hand", "mappad för hand")
    return Column(index, name, "", "okänd", "avmappad för hand")


def column_values(body: list[list[Cell]], index: int) -> list[Cell]:
    return [row[index] if index < len(row) else None for row in body]


def named_rule(match: HeaderMatch) -> str:
    if match.rule == "ord":
        return f"rubrikens ord (som {match.alias!r})"
    if match.rule == "innehåll":
        return match.alias
    return ""


def checked_by_content(match: HeaderMatch, values: list[Cell], hints: ContentHints) -> HeaderMatch:
    """A header's target, unless the column's content is plainly something else: an "Ålder"
    column of dates holds birth dates, and so does a "Personnr" column of numbers whose last
    four digits are masked ("20130613-XXXX"). Then the content decides, and the report says
    so."""
    if match.target not in hints.integers and match.target != IDENTITY:
        return match
    sample = content_sample(values)
    if match.target == IDENTITY:
        birth_dates = (
            bool(sample)
            and "fodelsedatum" in hints.roles
            and share(sample, lambda value: masked_number_date(value) is not None) >= CONTENT_SHARE
        )
    else:
        birth_dates = bool(sample) and guess_date(sample, hints) == ["fodelsedatum"]
    if birth_dates:
        said = f"rubriken säger {match.target} men innehållet är födelsedatum"
        return HeaderMatch("fodelsedatum", "innehåll", said)
    return match


def column_by_content(
    index: int,
    name: str,
    values: list[Cell],
    hints: ContentHints,
    taken: set[str],
    match: HeaderMatch,
) -> Column:
    """A column whose header decided nothing, mapped by what it holds; an ambiguous
    header stays unmapped with its candidates."""
    if match.rule == "annan":
        rule = f"rubriken liknar {match.candidates[0]} men gäller något annat; välj för hand"
        return Column(index, name, "", "okänd", rule, match.candidates)
    if match.candidates:
        rule = "rubriken kan vara " + " eller ".join(match.candidates) + "; välj för hand"
        return Column(index, name, "", "okänd", rule, match.candidates)
    target, rule = guess_from_content(values, hints, taken)
    return Column(index, name, target, "innehåll" if target else "okänd", rule)


def content_sample(values: list[Cell]) -> list[str]:
    return [v.strip() for v in values[: CONTENT_SAMPLE * 3] if v and v.strip()][:CONTENT_SAMPLE]


def guess_from_content(values: list[Cell], hints: ContentHints, taken: set[str]) -> tuple[str, str]:
    """A column's meaning from what it holds, with the rule that said so: F/P is sex,
    identity numbers are identity numbers, dates of one or two years are the study's date,
    dates over many years birth dates, whole numbers 0–17 age, spellings of a codebook
    variable's codes that variable; whatever the header says. Nothing when the content fits
    no free target, or the spellings of more than one codebook variable."""
    sample = content_sample(values)
    if len(sample) < 5:
        return "", ""
    guesses = (
        (guess_sex(sample), "värden som F/P eller flicka/pojke"),
        (guess_personal_number(sample), IDENTITY),
        *((date, "datum") for date in guess_date(sample, hints)),
        (guess_birth_year(sample, hints), "födelseår"),
        (guess_age(sample, hints), "heltal 0–17 eller 'N år'"),
    )
    free = [(target, rule) for target, rule in guesses if target and target not in taken]
    if free:
        return free[0]
    target = guess_codebook_variable(sample, hints, taken)
    return target, ("värden som stavar variabelns koder" if target else "")


def guess_age(sample: list[str], hints: ContentHints) -> str:
    """Whole numbers (or "15 år") within the range of exactly one of the study's integer
    variables, several distinct and not a running count: that variable (age, 0–17)."""
    ages = [age for value in sample if (age := parse_age(value)) is not None]
    if len(ages) < CONTENT_SHARE * len(sample) or len(set(ages)) < MIN_DISTINCT_AGES:
        return ""
    if all(b == a + 1 for a, b in itertools.pairwise(ages)):
        return ""  # a running number 1, 2, 3 … is no age
    fitting = [
        name
        for name, (low, high) in hints.integers.items()
        if low <= min(ages) and max(ages) <= high
    ]
    return fitting[0] if len(fitting) == 1 else ""


def is_tick_column(values: Sequence[Cell]) -> bool:
    """Boxes ticked in some rows: marks (X, Ja, 1), and else empty cells or the word for
    an empty box (Nej, 0) as exports that write every box out have."""
    folded = {fold(value) for value in values if value}
    return bool(folded & MARKS) and folded <= MARKS | UNMARKS


def unwrapped(header: Cell) -> str:
    """A header as one line: a word broken with a hyphen at a line's end joined again
    ("Omsorgs-\nbrist"), other line breaks spaces ("Våld mot\nbarnet"); a value's own line
    breaks separate values, a header's only wrap it."""
    return " ".join(re.sub(r"-[ \t]*\n\s*", "", header or "").split())


def ticked_variable(
    header: str, values: list[Cell], hints: ContentHints, taken: AbstractSet[str] = frozenset()
) -> str:
    """The variable a column of ticked boxes belongs to, when its header is one of that
    variable's values: a multi-valued one ("Missbruk förälder" with X in some rows), else a
    single-valued one that no column gives by its header (an X under "Flicka" or "Pojke")."""
    sample = content_sample(values)
    if not is_tick_column(sample):
        return ""
    found = [name for name, recognises in hints.recognisers.items() if recognises(header)]
    multi = [name for name in found if name in hints.multi]
    if multi:
        return multi[0] if len(multi) == 1 else ""
    # A single-valued variable's boxes hold marks alone: under "Utredning inledd" a "Nej"
    # is another answer (no investigation), not an empty box, so Ja/Nej columns are not read
    # so (`single_boxes` also wants two boxes of the variable: "Flicka" and "Pojke").
    if any(fold(value) in UNMARKS for value in sample):
        return ""
    single = [name for name in found if name not in hints.multi and name not in taken]
    return single[0] if len(single) == 1 else ""


def single_boxes(columns: list[Column], multi: frozenset[str]) -> list[Column]:
    """A single-valued variable is read from ticked boxes only where two or more of its
    values have a box ("Flicka", "Pojke"): one box alone ("Polisanmälan" with an x) says
    nothing of the rows left empty, and is left unmapped for an analyst."""
    boxes = Counter(c.target for c in columns if c.marks and c.target not in multi)
    return [
        Column(c.index, c.header, "", "okänd", "en ensam kryssruta; välj för hand")
        if c.marks and c.target not in multi and boxes[c.target] < 2
        else c
        for c in columns
    ]


def split_by_sheet(tables: list[tuple[RawSheet, Table]]) -> list[tuple[RawSheet, Table]]:
    """The tables with a sheet name's value kept only where the workbook splits its records
    by that variable: two or more sheets named for different values ("Anmälningar",
    "Ansökningar"). One sheet "Orosanmälningar 2023" may hold every referral type, and
    "Orosanmälningar 2022" beside it is the same name for another year."""
    names: dict[str, set[str]] = {}
    for _, table in tables:
        for variable, name in table.constants.items():
            names.setdefault(variable, set()).add(re.sub(r"[\W\d_]+", " ", fold(name)).strip())
    for _, table in tables:
        table.constants = {
            variable: name
            for variable, name in table.constants.items()
            if len(names[variable]) >= 2
        }
    return tables


def sheet_name_values(name: str, columns: list[Column], hints: ContentHints) -> dict[str, str]:
    """The single-valued variable no column gives whose value the sheet's name is, with that
    value ({"aktualiseringstyp": "Anmälningar"}); none when the name fits two."""
    given = {column.target for column in columns}
    fitting = [
        variable
        for variable, recognises in hints.recognisers.items()
        if variable not in hints.multi and variable not in given and recognises(name)
    ]
    return {fitting[0]: name} if len(fitting) == 1 else {}


def guess_codebook_variable(sample: list[str], hints: ContentHints, taken: set[str]) -> str:
    """The one codebook variable whose codes the column's values spell: most of them
    (RECOGNISED_SHARE), else many (MOSTLY_RECOGNISED_SHARE) where no other variable's
    codes are as many. A column of mostly distinct values (identifiers, free text) holds no
    categories and is not tried."""
    counts = Counter(sample)
    parts = [part for value in sample for part in VALUE_PARTS.split(value) if part]
    # counted part by part: a cell listing several values is no new category
    mostly_distinct = len(set(parts)) > MAX_DISTINCT_SHARE * len(parts)
    if not parts or mostly_distinct:
        return ""
    shares = {
        name: sum(n for value, n in counts.items() if recognises(value)) / len(sample)
        for name, recognises in hints.recognisers.items()
        if name not in taken
    }
    tiers = (RECOGNISED_SHARE, MOSTLY_RECOGNISED_SHARE)
    for least in tiers if len(sample) >= MOSTLY_SAMPLE else tiers[:1]:
        recognised = [name for name, share in shares.items() if share >= least]
        if recognised:
            return recognised[0] if len(recognised) == 1 else ""
    return ""


def guess_sex(sample: list[str]) -> str:
    return "kon" if share(sample, is_sex) >= CONTENT_SHARE else ""


def guess_personal_number(sample: list[str]) -> str:
    return IDENTITY if share(sample, is_personal_number) >= CONTENT_SHARE else ""


def guess_date(sample: list[str], hints: ContentHints) -> list[str]:
    """Dates spread over at most DATE_SPAN_YEARS are the events of a period (the study's
    date variable, when it has exactly one); over more years, birth dates."""
    dates = [date for value in sample if (date := parse_date(value)) is not None]
    if len(dates) < CONTENT_SHARE * len(sample):
        return []
    if year_span([date.year for date in dates]) <= DATE_SPAN_YEARS:
        return list(hints.dates) if len(hints.dates) == 1 else []
    return ["fodelsedatum"] if "fodelsedatum" in hints.roles else []


def guess_birth_year(sample: list[str], hints: ContentHints) -> str:
    """Four-digit years over more than DATE_SPAN_YEARS, none in the future: birth years (a
    column of the period's year is not)."""
    if "fodelsear" not in hints.roles:
        return ""
    years = [year for value in sample if (year := parse_year(value)) is not None]
    if len(years) < CONTENT_SHARE * len(sample) or max(years) > dt.date.today().year:
        return ""
    return "fodelsear" if year_span(years) > DATE_SPAN_YEARS else ""


def year_span(years: list[int]) -> int:
    """The years the middle 90 % of the values cover: a few typing errors do not widen it."""
    ordered = sorted(years)
    low, high = ordered[int(0.05 * (len(ordered) - 1))], ordered[int(0.95 * (len(ordered) - 1))]
    return high - low


def share(sample: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for value in sample if test(value)) / len(sample)


def is_sex(value: str) -> bool:
    return fold(value) in SEX_TOKENS


def is_personal_number(value: str) -> bool:
    """One number and nothing else: 10 or 12 digits, or 8-9 that lost their leading zeros, or
    a Norwegian number's 11."""
    return len(find_numbers(value)) == 1 and len(re.sub(r"\D", "", value)) in (8, 9, 10, 11, 12)


def resolve_duplicate_roles(columns: list[Column], multi: set[str]) -> list[Column]:
    """Only multi-valued variables may take several columns (reasons in Orsak 1, Orsak 2 …),
    and a single one its ticked boxes ("Flicka", "Pojke"); of several columns for a single
    role the surest keeps it: chosen by hand, then named by an alias whole, then by its
    words, then by content; the others keep their header but no target (two "Datum": the
    first)."""
    keeper: dict[str, Column] = {}
    for column in columns:
        if column.target and column.target not in multi:
            held = keeper.get(column.target)
            if held is None or certainty(column) < certainty(held):
                keeper[column.target] = column
    boxes = {target for target, column in keeper.items() if column.marks}
    resolved = []
    for column in columns:
        single = column.target and column.target not in multi
        # every box of a variable given by boxes stays: the row's tick chooses
        boxed = column.marks and column.target in boxes
        if single and keeper[column.target] is not column and not boxed:
            rule = f"kolumnen {keeper[column.target].header!r} är redan {column.target}"
            column = Column(column.index, column.header, "", "okänd", rule)
        resolved.append(column)
    return resolved


def certainty(column: Column) -> int:
    """How sure a column's mapping is, 0 the surest."""
    if column.how == "hand":
        return 0
    if column.how == "namn":
        return 2 if column.rule else 1
    return 3
