"""Finding the table in a sheet: the header row below any title rows, what each column means
(by its header, or by its content when the header says nothing), and which rows are data.

Nothing here decides values; it only says where they are. Blank rows and total rows are
reported with their row numbers, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nuso.core.dictionary import StudyDictionary
from nuso.core.normalise import fold
from nuso.core.pseudonyms import find_numbers
from nuso.core.reading import Cell, RawSheet

HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2
CONTENT_SAMPLE = 200
CONTENT_SHARE = 0.9
TOTAL_WORDS = ("totalt", "total", "summa", "summering", "antal totalt", "sum")
SEX_TOKENS = frozenset({"f", "p", "k", "m", "flicka", "pojke", "kvinna", "man", "tjej", "kille"})
DATE = re.compile(r"^(19|20)\d\d-\d\d-\d\d")
NUMBERED = re.compile(r"^(.*?)[\s_]*(\d{1,2})$")  # "Orsak 2", "orsak_3"


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    target: str  # a variable or source-column role; "" when unknown
    how: str  # namn | innehåll | okänd


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based
    columns: list[Column]
    data_rows: list[int] = field(default_factory=list)  # 1-based row numbers
    skipped: dict[int, str] = field(default_factory=dict)  # row -> reason

    def columns_for(self, target: str) -> list[Column]:
        return [column for column in self.columns if column.target == target]


def header_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w/ ]+", " ", fold(text)).split())


def alias_index(dictionary: StudyDictionary) -> dict[str, str]:
    index: dict[str, str] = {}
    for variable in dictionary.variables:
        for alias in (variable.name, *variable.aliases):
            index[header_key(alias)] = variable.name
    for source in dictionary.source_columns:
        for alias in (source.role, *source.aliases):
            index.setdefault(header_key(alias), source.role)
    return index


def match_header(text: Cell, aliases: dict[str, str]) -> str:
    if not text:
        return ""
    key = header_key(text)
    if key in aliases:
        return aliases[key]
    numbered = NUMBERED.match(key)  # several columns of one variable: Orsak 1, Orsak 2 …
    if numbered and numbered[1] in aliases:
        return aliases[numbered[1]]
    return ""


def find_header(rows: list[list[Cell]], aliases: dict[str, str]) -> int | None:
    """0-based index of the row most like a header: the most cells naming known columns."""
    best, best_score = None, MIN_HEADER_MATCHES - 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = len({match_header(cell, aliases) for cell in row} - {""})
        if score > best_score:
            best, best_score = i, score
    return best


def locate_table(sheet: RawSheet, dictionary: StudyDictionary) -> Table | None:
    """The table of a sheet, or None when the sheet holds no data of this study."""
    aliases = alias_index(dictionary)
    header_index = find_header(sheet.rows, aliases)
    if header_index is None:
        return None
    header = sheet.rows[header_index]
    body = sheet.rows[header_index + 1 :]
    multi = {v.name for v in dictionary.variables if v.type == "categories"}
    columns = map_columns(header, body, aliases, multi)
    variables = {v.name for v in dictionary.variables}
    if not any(column.target in variables for column in columns):
        return None
    table = Table(sheet.name, header_index + 1, columns)
    for offset, row in enumerate(body):
        number = header_index + 2 + offset
        if not any(row):
            table.skipped[number] = "tom rad"
        elif is_total_row(row):
            table.skipped[number] = "summeringsrad"
        else:
            table.data_rows.append(number)
    return table


def is_total_row(row: list[Cell]) -> bool:
    filled = [cell for cell in row if cell]
    if not filled or len(filled) > 3:  # counted first: a data row is never folded
        return False
    first = fold(filled[0])
    return any(first.startswith(word) for word in TOTAL_WORDS)


def map_columns(
    header: list[Cell], body: list[list[Cell]], aliases: dict[str, str], multi: set[str]
) -> list[Column]:
    columns = []
    for index, text in enumerate(header):
        target = match_header(text, aliases)
        how = "namn" if target else ""
        if not target:
            target = guess_from_content([row[index] if index < len(row) else None for row in body])
            how = "innehåll" if target else "okänd"
        columns.append(Column(index, text or f"(kolumn {index + 1})", target, how))
    return resolve_duplicate_roles(columns, multi)


def guess_from_content(values: list[Cell]) -> str:
    """A column's meaning from what it holds: F/P is sex, identity numbers are identity
    numbers, whatever the header says."""
    sample = [v.strip() for v in values[: CONTENT_SAMPLE * 3] if v and v.strip()][:CONTENT_SAMPLE]
    if len(sample) < 5:
        return ""
    if share(sample, is_sex) >= CONTENT_SHARE:
        return "kon"
    if share(sample, is_personal_number) >= CONTENT_SHARE:
        return "personnummer"
    return ""


def share(sample: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for value in sample if test(value)) / len(sample)


def is_sex(value: str) -> bool:
    return fold(value) in SEX_TOKENS


def is_personal_number(value: str) -> bool:
    return len(find_numbers(value)) == 1 and len(re.sub(r"\D", "", value)) in (10, 12)


def resolve_duplicate_roles(columns: list[Column], multi: set[str]) -> list[Column]:
    """Only multi-valued variables may take several columns (reasons in Orsak 1, Orsak 2 …);
    a second column for a single role (two 'Datum') keeps its header but no target."""
    seen: set[str] = set()
    resolved = []
    for column in columns:
        if column.target and column.target not in multi and column.target in seen:
            column = Column(column.index, column.header, "", "okänd")
        seen.add(column.target)
        resolved.append(column)
    return resolved
