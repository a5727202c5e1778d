"""Finding the table in a sheet: the header row below any title rows, what each column means
(by its header, or by its content when the header says nothing), and which rows are data.

Nothing here decides values; it only says where they are. Blank rows and total rows are
reported with their row numbers, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from nuso.core.harmonise.dictionary import StudyDictionary
from nuso.core.harmonise.normalise import fold
from nuso.core.intake.dates import parse_date, parse_year
from nuso.core.intake.pseudonyms import find_numbers
from nuso.core.intake.reading import Cell, RawSheet

HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2
CONTENT_SAMPLE = 200
CONTENT_SHARE = 0.9
RECOGNISED_SHARE = 0.8  # of a column's values spelled as one codebook variable's codes
MAX_DISTINCT_SHARE = 0.5  # a column of categories repeats its values
DATE_SPAN_YEARS = 2  # referral dates of a period span a year or two, birth dates many
TOTAL_WORDS = ("totalt", "total", "summa", "summering", "antal totalt", "sum")
SEX_TOKENS = frozenset({"f", "p", "k", "m", "flicka", "pojke", "kvinna", "man", "tjej", "kille"})
NUMBERED = re.compile(r"^(.*?)[\s_]*(\d{1,2})$")  # "Orsak 2", "orsak_3"

Recogniser = Callable[[str], bool]


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


@lru_cache(maxsize=16_384)  # the first rows of every sheet are searched for the header
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


def locate_table(
    sheet: RawSheet,
    dictionary: StudyDictionary,
    recognisers: Mapping[str, Recogniser] | None = None,
) -> Table | None:
    """The table of a sheet, or None when the sheet holds no data of this study.
    `recognisers` tell for a codebook variable whether a cell holds its values (from the
    harmoniser): then a column whose header says nothing is still mapped by its content."""
    aliases = alias_index(dictionary)
    header_index = find_header(sheet.rows, aliases)
    if header_index is None:
        return None
    header = sheet.rows[header_index]
    body = sheet.rows[header_index + 1 :]
    columns = map_columns(header, body, aliases, ContentHints.of(dictionary, recognisers))
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
    if len(row) - row.count(None) > 3:  # counted first: a data row is never folded
        return False
    filled = [cell for cell in row if cell]
    if not filled:
        return False
    first = fold(filled[0])
    return any(first.startswith(word) for word in TOTAL_WORDS)


@dataclass(frozen=True)
class ContentHints:
    """What a column's content can be mapped to when its header says nothing: the study's
    date variables, its birth date and birth year columns, its codebook variables (each with
    a test of whether a cell holds its values), and which variables take several columns."""

    dates: tuple[str, ...]
    roles: frozenset[str]
    recognisers: Mapping[str, Recogniser]
    multi: frozenset[str]

    @classmethod
    def of(
        cls, dictionary: StudyDictionary, recognisers: Mapping[str, Recogniser] | None
    ) -> ContentHints:
        return cls(
            dates=tuple(v.name for v in dictionary.variables if v.type == "date"),
            roles=frozenset(source.role for source in dictionary.source_columns),
            recognisers=recognisers or {},
            multi=frozenset(v.name for v in dictionary.variables if v.type == "categories"),
        )


def map_columns(
    header: list[Cell], body: list[list[Cell]], aliases: dict[str, str], hints: ContentHints
) -> list[Column]:
    """Each column's target: by its header, else by its content, never a target another
    column already has by its header (but a multi-valued variable takes several)."""
    named = [match_header(text, aliases) for text in header]
    taken = {target for target in named if target}
    columns = []
    for index, text in enumerate(header):
        target, how = named[index], "namn"
        if not target:
            values = [row[index] if index < len(row) else None for row in body]
            target = guess_from_content(values, hints, taken)
            how = "innehåll" if target else "okänd"
            if target and target not in hints.multi:
                taken.add(target)
        columns.append(Column(index, text or f"(kolumn {index + 1})", target, how))
    return resolve_duplicate_roles(columns, set(hints.multi))


def guess_from_content(values: list[Cell], hints: ContentHints, taken: set[str]) -> str:
    """A column's meaning from what it holds: F/P is sex, identity numbers are identity
    numbers, dates of one or two years are the study's date, dates over many years birth
    dates, spellings of a codebook variable's codes that variable; whatever the header says.
    Nothing when the content fits no free target, or the spellings of more than one
    codebook variable."""
    sample = [v.strip() for v in values[: CONTENT_SAMPLE * 3] if v and v.strip()][:CONTENT_SAMPLE]
    if len(sample) < 5:
        return ""
    free = [
        target
        for target in (
            guess_sex(sample),
            guess_personal_number(sample),
            *guess_date(sample, hints),
            guess_birth_year(sample, hints),
        )
        if target and target not in taken
    ]
    if free:
        return free[0]
    return guess_codebook_variable(sample, hints, taken)


def guess_codebook_variable(sample: list[str], hints: ContentHints, taken: set[str]) -> str:
    """The one codebook variable whose codes the column's values spell. A column of mostly
    distinct values (identifiers, free text) holds no categories and is not tried."""
    counts = Counter(sample)
    if len(counts) > MAX_DISTINCT_SHARE * len(sample):
        return ""
    recognised = [
        name
        for name, recognises in hints.recognisers.items()
        if name not in taken
        and sum(n for value, n in counts.items() if recognises(value))
        >= RECOGNISED_SHARE * len(sample)
    ]
    return recognised[0] if len(recognised) == 1 else ""


def guess_sex(sample: list[str]) -> str:
    return "kon" if share(sample, is_sex) >= CONTENT_SHARE else ""


def guess_personal_number(sample: list[str]) -> str:
    return "personnummer" if share(sample, is_personal_number) >= CONTENT_SHARE else ""


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
