"""A workbook's own code list: case systems that export their values as numbers ("Kön" 1/2,
"Akt.typ" 1–4, "Ors.1" 11–32) often say what each number means, in one of these shapes:

- a heading naming the column, then rows of code and label under "Kod | Benämning", or right
  under the heading ("Kön", then "1 | Pojke", "2 | Flicka");
- the column's name as the code heading itself: "Åtgärdskod | Betydelse", then its rows;
- one table of every list, "Fält | Kod | Beskrivning" (or "Field | Code | Description"),
  each row naming its column;
- the list written out in one cell: a header "Kön (1=pojke, 2=flicka)", or a sentence on a
  sheet of notes, "Kön: 1 = pojke, 2 = flicka".

The numbers are read as those labels, which the harmoniser then decides like any other
spelling; a column is translated only where its header is the heading's and its values are
the list's codes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from nuso.core.errors import Problem
from nuso.core.harmonise.normalise import fold
from nuso.core.intake.layout import HEADER_SEARCH_ROWS, header_key, numbered_stem, unwrapped
from nuso.core.intake.reading import Cell, RawSheet

CODE_HEADINGS = frozenset({"kod", "koder", "code", "varde", "id", "nr"})
LABEL_HEADINGS = frozenset({"benamning", "betydelse", "text", "klartext", "label", "beskrivning",
                            "varde", "namn", "description", "meaning"})  # fmt: skip
FIELD_HEADINGS = frozenset({"falt", "faltnamn", "field", "variabel", "variable", "kolumn",
                            "column"})  # fmt: skip
LIST_SEGMENTS = re.compile(r"[;\n]")  # a note may write several lists, one after another
NAME_WORDS = 4
CODE_COMPOUND = re.compile(r"^\w{3,}(kod|koder|code)$")  # "Åtgärdskod": a column's name
# "1=pojke" in "Kön (1=pojke, 2=flicka)" or "Kön: 1 = pojke, 2 = flicka, 0 = ej angivet."
INLINE_ENTRY = re.compile(r"(?:^|[(,;:])\s*([^\s=,;:()]{1,4})\s*=\s*([^=,;:()]+?)\s*(?=[,;)]|\.?$)")
CODES_SHARE = 0.8  # of a column's values that must be the list's codes
# A list without a "Kod | Benämning" row: its codes short tokens ("1", "AN", "9"), at least two
SHORT_CODE = 4
HEADLESS_ENTRIES = 2


@dataclass(frozen=True)
class CodeList:
    sheet: str
    heading: str
    codes: dict[str, str]
    headed: bool = True  # under a "Kod | Benämning" row: its sheet is a sheet of lists
    own: str = ""  # a header's own list ("Kön (1=pojke, 2=flicka)"): for that header only

    def label(self, cell: str) -> str | None:
        """The label of a cell's code, whatever its case and spaces ("a " for "A")."""
        return self.folded.get(cell.strip().casefold())

    @cached_property
    def folded(self) -> dict[str, str]:
        return {code.strip().casefold(): label for code, label in self.codes.items()}


def code_lists(sheets: list[RawSheet]) -> list[CodeList]:
    """Every list of the workbook: a "Kod | Benämning" row with a heading above it and code
    and label rows below, down to the first row that is not one; or a heading alone on its
    row with short codes and their labels right below it."""
    found = []
    for sheet in sheets:
        rows = sheet.rows
        for at, row in enumerate(rows):
            # a header's own list stands among the first rows, a note's alone on its row
            if at < HEADER_SEARCH_ROWS or len(row) - row.count(None) == 1:
                found += _inline_lists(sheet.name, row)
            if _is_field_list_header(row):
                found += _field_lists(sheet.name, itertools.islice(rows, at + 1, None))
            elif _is_list_header(row) and (heading := _heading(rows, at)):
                codes = dict(_entries(rows[at + 1 :]))
                if codes:
                    found.append(CodeList(sheet.name, heading, codes))
            elif heading := _headless_heading(row):
                # islice: a sheet's every lone cell (a title, a month) comes here; no copy
                entries = _entries(itertools.islice(rows, at + 1, None))
                if _short_codes(entries) and not _is_list_header(rows[at + 1]):
                    found.append(CodeList(sheet.name, heading, dict(entries), headed=False))
    return found


def translated(
    sheets: list[RawSheet], lists: list[CodeList]
) -> tuple[list[RawSheet], list[Problem]]:
    """The sheets with coded columns read as their labels, and a note for each column read so."""
    if not lists:
        return sheets, []
    # A sheet of "Kod | Benämning" lists is no data; a list without that row may stand above
    # a sheet's data (a title, then "Från | 2023-01-01"): that sheet is still translated.
    listed = {code_list.sheet for code_list in lists if code_list.headed}
    result, notes = [], []
    for sheet in sheets:
        if sheet.name in listed:
            result.append(sheet)
            continue
        rows, done = _translate(sheet, lists)
        result.append(replace(sheet, rows=rows) if done else sheet)
        notes += [_note(sheet.name, header, code_list) for header, code_list in done]
    return result, notes


def _translate(
    sheet: RawSheet, lists: list[CodeList]
) -> tuple[list[list[Cell]], list[tuple[str, CodeList]]]:
    rows = [list(row) for row in sheet.rows]
    done = []
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for index, header in enumerate(row):
            code_list = _list_for(header, lists) if header else None
            if code_list is None:
                continue
            cells = [r[index] if index < len(r) else None for r in rows[at + 1 :]]
            given = [cell for cell in cells if cell and cell.strip()]
            labelled = sum(1 for cell in given if code_list.label(cell) is not None)
            if not given or labelled < CODES_SHARE * len(given):
                continue
            for below in rows[at + 1 :]:
                cell = below[index] if index < len(below) else None
                label = code_list.label(cell) if cell else None
                if label is not None:
                    below[index] = label
            done.append((str(header), code_list))
    return rows, done


def _list_for(header: str, lists: list[CodeList]) -> CodeList | None:
    """The list whose heading names the column: "Kön" for Kön, "Akt.typ (aktualiseringstyp)"
    for Akt.typ, "Orsak (Ors.1–Ors.3)" for Ors.2, "Reason_1..3" for Reason_2 (a numbered
    column by its name); a header's own list first. Two lists of its name that say the same
    (a legend sheet's and a note's) are one."""
    own = [each for each in lists if each.own and each.own == header.strip()]
    if own:
        return own[0]
    # a name has letters: a data cell "1" in the rows looked at names no list
    names = {
        name
        for name in (header_key(unwrapped(header)), numbered_stem(header))
        if any(ch.isalpha() for ch in name)
    }
    found = [
        each for each in lists if not each.own and any(_names(name, each.heading) for name in names)
    ]
    if found and all(each.folded == found[0].folded for each in found):
        return found[0]
    return None


def _names(name: str, heading: str) -> bool:
    spaced = header_key(heading).replace("_", " ")  # "Reason_1..3" names Reason_2 too
    return f" {name.replace('_', ' ')} " in f" {spaced} "


def _is_list_header(row: list[Cell]) -> bool:
    if not row or len(row) - row.count(None) != 2:  # counted first: every row of a file comes here
        return False
    filled = [fold(cell) for cell in row if cell]
    return (
        len(filled) == 2
        and (filled[0] in CODE_HEADINGS or bool(CODE_COMPOUND.match(filled[0])))
        and _first_word(filled[1]) in LABEL_HEADINGS
    )


def _is_field_list_header(row: list[Cell]) -> bool:
    """ "Fält | Kod | Beskrivning": a table of every column's codes, a row each."""
    if not row or len(row) - row.count(None) != 3:
        return False
    filled = [fold(cell) for cell in row if cell]
    return (
        len(filled) == 3
        and filled[0] in FIELD_HEADINGS
        and filled[1] in CODE_HEADINGS
        and _first_word(filled[2]) in LABEL_HEADINGS
    )


def _first_word(text: str) -> str:
    words = re.findall(r"\w+", text)
    return words[0] if words else ""


def _field_lists(sheet: str, rows: Iterable[list[Cell]]) -> list[CodeList]:
    """The lists of a "Fält | Kod | Beskrivning" table, one per field, in order."""
    by_field: dict[str, dict[str, str]] = {}
    for field, code, label in _filled_rows(rows, 3):
        by_field.setdefault(field, {})[code] = label
    return [CodeList(sheet, field, codes) for field, codes in by_field.items()]


def _inline_lists(sheet: str, row: list[Cell]) -> list[CodeList]:
    """Lists written out in a cell: a header's own ("Kön (1=pojke, 2=flicka)", "Kön: 1=pojke,
    2=flicka" among other headers), for that column alone; or a note alone on its row
    ("Kön: 1 = pojke, 2 = flicka; Typ: A = anmälan"), naming its columns. Two entries or
    more, short codes, labels of words, a name of a few words."""
    if "=" not in "".join(cell for cell in row if cell):  # every row of a file comes here
        return []
    alone = len(row) - row.count(None) - row.count("") == 1
    found = []
    for cell in row:
        if not cell or "=" not in cell:
            continue
        for segment in LIST_SEGMENTS.split(cell) if alone else [cell]:
            entries = INLINE_ENTRY.findall(segment)
            name = re.split(r"[(:]", segment, maxsplit=1)[0].strip()
            if _short_codes(entries) and _is_name(name):
                own = "" if alone else cell.strip()
                found.append(CodeList(sheet, name, dict(entries), headed=False, own=own))
    return found


def _is_name(text: str) -> bool:
    """A column's name: a few words, letters and no digits ("Kön", "Typ av aktualisering")."""
    return 0 < len(text.split()) <= NAME_WORDS and not any(ch.isdigit() for ch in text)


def _heading(rows: list[list[Cell]], at: int) -> str:
    first = next((cell for cell in rows[at] if cell), "")
    if CODE_COMPOUND.match(fold(first)):
        return first.strip()  # "Åtgärdskod | Betydelse" names its column itself
    for above in reversed(rows[max(0, at - 2) : at]):
        filled = [cell for cell in above if cell]
        if len(filled) == 1:
            return str(filled[0])
    return ""


def _headless_heading(row: list[Cell]) -> str:
    """The heading a row is when it holds one text and nothing else (not a number)."""
    if len(row) - row.count(None) != 1:  # counted first: every row of a file comes here
        return ""
    text = next(cell for cell in row if cell is not None).strip()
    return "" if not text or text.replace(" ", "").isdigit() else text


def _short_codes(entries: list[tuple[str, str]]) -> bool:
    """Whether rows read as a list without its "Kod | Benämning" row are one: two or more,
    each code a short token of its own, each label words longer than its code (not a count
    or a date: "F | 54" is a summary, "Från | 2023-01-01" a selection)."""
    codes = [code for code, _ in entries]
    return (
        len(entries) >= HEADLESS_ENTRIES
        and len(set(codes)) == len(codes)
        and all(len(code) <= SHORT_CODE and " " not in code for code in codes)
        and all(len(label) > len(code) and _is_words(label) for code, label in entries)
    )


def _is_words(label: str) -> bool:
    """A label has more letters than digits: "Pojke", "Anmälan (14 kap. 1 § SoL)"."""
    letters = sum(ch.isalpha() for ch in label)
    return letters > sum(ch.isdigit() for ch in label)


def _entries(rows: Iterable[list[Cell]]) -> list[tuple[str, str]]:
    return [(code, label) for code, label in _filled_rows(rows, 2)]


def _filled_rows(rows: Iterable[list[Cell]], width: int) -> Iterator[list[str]]:
    """Each row's filled cells, stripped, down to the first row without exactly `width`."""
    for row in rows:
        filled = [cell.strip() for cell in row if cell and cell.strip()]
        if len(filled) != width:
            return
        yield filled


def _note(sheet: str, header: str, code_list: CodeList) -> Problem:
    message = (f"Kolumnen {unwrapped(header)!r} har koder; de lästes som benämningarna i fliken "
               f"{code_list.sheet!r} ({code_list.heading}).")  # fmt: skip
    return Problem("code-list", message, sheet=sheet or None, column=unwrapped(header))
