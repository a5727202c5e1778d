"""Every text a delivery brings, masked where it enters: the identity numbers in a file's name,
its sheets' names and its column headers are replaced as those in its cells are
(nuso.core.intake.pseudonyms), before anything stores, reports or prints them. A file's
problems and its report are masked once more as they leave its interpretation, whatever a
reader put into them: masking twice changes nothing.

The services mask the texts a person gives (`nuso import --kommun`, `--kolumn`, a portal form)
with the same `Masker`, under the same key: a header a person copies from a report is the
header the import sees.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from nuso.core.errors import Problem
from nuso.core.intake.pseudonyms import MAYBE_NUMBER, masked
from nuso.core.intake.reading import RawFile
from nuso.core.intake.report import ImportReport


@dataclass
class Masker:
    """Masks texts with the pseudonym key; each distinct text once (a run's files repeat
    their headers and sheet names)."""

    key: str
    today: dt.date = field(default_factory=dt.date.today)
    seen: dict[str, str] = field(default_factory=dict, repr=False)

    def text(self, text: str) -> str:
        safe = self.seen.get(text)
        if safe is None:
            safe = self.seen[text] = masked(text, self.key, self.today).safe
        return safe

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self.text(text)

    def file_name(self, name: str) -> str:
        """A file's name; its stem is also read as a cell is ('908092794.xlsx')."""
        safe = self.text(name)
        stem, dot, suffix = safe.rpartition(".")
        return self.text(stem) + dot + suffix if dot and stem else safe

    def raw_file(self, raw: RawFile) -> RawFile:
        """A file as read, with its name and its sheets' names masked."""
        names = distinct([self.text(sheet.name) for sheet in raw.sheets])
        sheets = [replace(sheet, name=name) for sheet, name in zip(raw.sheets, names, strict=True)]
        return replace(raw, name=self.file_name(raw.name), sheets=sheets)

    def problem(self, problem: Problem) -> Problem:
        """A problem with each of its texts masked: the message, and the file, sheet, column
        and value it names."""
        return replace(
            problem,
            message=self.text(problem.message),
            file=self.file_name(problem.file) if problem.file else problem.file,
            sheet=self.optional(problem.sheet),
            column=self.optional(problem.column),
            value=self.optional(problem.value),
        )

    def problems(self, problems: Iterable[Problem]) -> tuple[Problem, ...]:
        return tuple(self.problem(problem) for problem in problems)

    def report(self, report: ImportReport) -> ImportReport:
        """The report with every text in it masked (its stored form masked and read back),
        when a quick look finds anything to mask: nearly never, as its texts came masked. The
        look passes over the raw values, those waiting for review and their suggestions: they
        are the cells' own, masked with them, and most of a national file's report."""
        rest = replace(report, values={}, pending={}, suggestions={})
        if not may_hold_numbers(rest.to_json()):
            return report
        return ImportReport.from_json(self.json(report.to_json()))

    def json(self, data: Any) -> Any:
        """Every text in JSON-shaped data masked, keys too (a report's raw values are keys)."""
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, Mapping):
            return {self.json(key): self.json(value) for key, value in data.items()}
        if isinstance(data, list | tuple):
            return [self.json(value) for value in data]
        return data


JSON_CONTROL = re.compile(r"\\(?:u00[0-9a-fA-F]{2}|[bfnrt])")


def may_hold_numbers(data: Any) -> bool:
    """Whether any text in JSON-shaped data may hold an identity number: one search over its
    JSON (the report of a national file is thousands of texts), where a control character's
    escape stands as the space it would separate digits as, and each text ends at its quote
    as texts searched together end at NUL (nuso.core.intake.pseudonyms.MAYBE_NUMBER)."""
    written = json.dumps(data, ensure_ascii=False, default=str)
    return MAYBE_NUMBER.search(JSON_CONTROL.sub(" ", written).replace('"', "\0")) is not None


def distinct(names: list[str]) -> list[str]:
    """Names kept apart: two names that masking made alike (two mistyped numbers both became
    '[pnr:ogiltigt]') get their place after them, as a workbook's sheets are one per name."""
    counts = Counter(names)
    return [f"{name} ({i + 1})" if counts[name] > 1 else name for i, name in enumerate(names)]
