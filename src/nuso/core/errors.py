"""Typed input problems that carry where they were found.

Readers and validators collect every problem instead of stopping at the first, so a user fixes
a file in one round. Each problem has a stable code (for tests and translations) and a complete
Swedish message; `describe()` adds the place: file, sheet, row, column and value.

A problem has one shape wherever it leaves the program (an import report, a form, the API):
`to_json`, with the Swedish keys of JSON_KEYS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nuso.core.printable import printable

# A problem's fields and their keys in JSON, in this order.
JSON_KEYS = {
    "code": "kod",
    "message": "meddelande",
    "file": "fil",
    "sheet": "flik",
    "row": "rad",
    "column": "kolumn",
    "value": "värde",
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def place(self, *, file: bool = True) -> str:
        parts = []
        if self.file and file:
            parts.append(printable(self.file))  # a file's name may hold escape sequences
        if self.sheet:
            parts.append(f"flik {self.sheet!r}")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn {self.column!r}")
        if self.value is not None:
            parts.append(f"värde {self.value!r}")
        return ", ".join(parts)

    def describe(self, *, file: bool = True) -> str:
        """The message after its place; without the file where the file is named beside it."""
        place = self.place(file=file)
        return f"{place}: {self.message}" if place else self.message

    def to_json(self) -> dict[str, Any]:
        """Every key, null where the place is not known: one shape for every reader."""
        return {key: getattr(self, name) for name, key in JSON_KEYS.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Problem:
        fields: dict[str, Any] = {name: data.get(key) for name, key in JSON_KEYS.items()}
        return cls(**fields)


class InputError(Exception):
    """Input that cannot be accepted; holds every problem found, not only the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(problem.describe() for problem in self.problems))
