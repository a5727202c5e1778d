"""Row frames and their writers: one row per source row, as `nuso export` and the portal's
row downloads give them. Access is decided before a frame is made (nuso.portal.access.Scope
gives a reader only the units they may see), so these writers only write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from nuso.core import spreadsheet
from nuso.core.outputs.formulas import neutralised

Progress = Callable[[int], None]
CSV_SLICE = 10_000  # rows sent at a time when a CSV is streamed
SHEET = "Rader"


@dataclass(frozen=True)
class RowSet:
    """Rows to write: the frame, each column's Swedish label, the coded columns' value
    labels, and whether a spreadsheet's header shows the labels (for people) or the
    column names (for programs that read the file back)."""

    frame: pl.DataFrame
    labels: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    labelled_header: bool = True

    def header(self) -> list[str]:
        if not self.labelled_header:
            return list(self.frame.columns)
        return [self.labels.get(name, name) for name in self.frame.columns]


def write_csv(rows: RowSet, path: Path, progress: Progress | None = None) -> None:
    """UTF-8 with a byte-order mark, so that Excel reads å, ä and ö right."""
    rows.frame.write_csv(path, include_bom=True)


def write_xlsx(rows: RowSet, path: Path, progress: Progress | None = None) -> None:
    spreadsheet.write_sheet(rows.frame, rows.header(), path, SHEET, progress)


def write_parquet(rows: RowSet, path: Path, progress: Progress | None = None) -> None:
    rows.frame.write_parquet(path)  # a data format: no spreadsheet runs it, values stay exact


def csv_chunks(frames: Iterable[pl.DataFrame]) -> Iterator[bytes]:
    """The CSV of `write_csv` (byte-order mark and all), a slice of rows at a time, from
    frames made one after another: for a download sent as it is read."""
    header = True
    for whole in frames:
        frame = neutralised(whole)
        for start in range(0, max(frame.height, 1 if header else 0), CSV_SLICE):
            text = frame.slice(start, CSV_SLICE).write_csv(include_header=header)
            yield ("\ufeff" + text if header else text).encode("utf-8")
            header = False
