"""The registry of writers, keyed by format. Each writer declares its format, file suffix,
media type, Swedish label for links and what it can write (row frames, tables or both); the
command line's choices, the portal's addresses and links, and the tests' parametrisations are
all read from here, so that a format is added in one place.

A module that brings a format of its own (the PowerPoint decks) calls `register` when it is
imported; it must be imported before the portal's addresses are first resolved (a Django
app's `ready` does that), since they are built from the registry then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from nuso.core.outputs.formulas import neutralised
from nuso.core.outputs.rows import Progress, RowSet
from nuso.core.outputs.sentences import in_language
from nuso.core.outputs.tables import TableSet, hidden

ROWS = "rader"  # what a writer can write; also the file name's word for it
TABLES = "tabeller"
EVERY_UNIT = "alla"  # a file name's place: the rows of every unit (analysts)
NATIONAL = "riket"  # a file name's place: the nation's figures

RowWriter = Callable[[RowSet, Path, Progress | None], None]
TableWriter = Callable[[TableSet, Path], None]


@dataclass(frozen=True)
class Writer:
    format: str  # as asked for: `--format`, the address's suffix
    suffix: str  # the file's, without the dot
    media_type: str
    label: str  # Swedish, in links: "tabeller (Excel)"
    rows: RowWriter | None = None
    tables: TableWriter | None = None
    neutralises: bool = False  # a spreadsheet opens it: formula starts are neutralised first

    def writes(self, kind: str) -> bool:
        return (self.rows if kind == ROWS else self.tables) is not None


_writers: dict[str, Writer] = {}


def register(writer: Writer) -> None:
    """Adds a format; the same writer again is no change, another one by the same name an
    error (two modules would be fighting over one format)."""
    known = _writers.get(writer.format)
    if known is not None and known != writer:
        raise ValueError(f"Formatet {writer.format!r} är redan registrerat.")
    _writers[writer.format] = writer


def writer(format_: str) -> Writer:
    if format_ not in _writers:
        raise ValueError(f"Okänt format {format_!r}; kända: {', '.join(_writers)}.")
    return _writers[format_]


def writers(kind: str) -> tuple[Writer, ...]:
    """The writers of row frames (ROWS) or of tables (TABLES), in the order registered."""
    return tuple(each for each in _writers.values() if each.writes(kind))


def formats(kind: str) -> tuple[str, ...]:
    return tuple(each.format for each in writers(kind))


def pattern(kind: str) -> str:
    """A regular expression matching exactly the formats of that kind (for addresses)."""
    return "|".join(re.escape(name) for name in formats(kind))


def file_name(study: str, place: str, kind: str, format_: str, period: str | None = None) -> str:
    """The name every file of NUSO's gets: `nuso-aktualiseringar-1780-rader.xlsx`; the place
    is a unit's code, EVERY_UNIT or NATIONAL; a period when the file holds only one."""
    parts = ["nuso", study, place, kind, *([period] if period else [])]
    return "-".join(parts) + "." + writer(format_).suffix


def write_rows(format_: str, rows: RowSet, path: Path, progress: Progress | None = None) -> int:
    """The rows written to `path`; returns how many. `progress` is told the rows written so
    far, by the writers that write in steps (Excel)."""
    chosen = writer(format_)
    if chosen.rows is None:
        raise ValueError(f"Formatet {format_!r} skriver inte rader.")
    if chosen.neutralises:
        rows = RowSet(neutralised(rows.frame), rows.labels, rows.value_labels,
                      rows.labelled_header)  # fmt: skip
    chosen.rows(rows, path, progress)
    return rows.frame.height


def write_tables(format_: str, tables: TableSet, path: Path) -> int:
    """The tables written to `path`, no suppressed figure among them; returns the rows."""
    chosen = writer(format_)
    if chosen.tables is None:
        raise ValueError(f"Formatet {format_!r} skriver inte tabeller.")
    tables = in_language(hidden(tables))
    if chosen.neutralises:
        tables = replace(tables, tables={n: neutralised(rows) for n, rows in tables.tables.items()})
    chosen.tables(tables, path)
    return tables.rows()
