"""Typed input problems that carry where they were found.

Readers and validators collect every problem instead of stopping at the first, so a user fixes
a file in one round. Each problem has a stable code (for tests and translations) and a complete
Swedish message; `describe()` adds the place: file, sheet, row, column and value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"flik {self.sheet!r}")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn {self.column!r}")
        if self.value is not None:
            parts.append(f"värde {self.value!r}")
        return ", ".join(parts)

    def describe(self) -> str:
        place = self.place()
        return f"{place}: {self.message}" if place else self.message


class InputError(Exception):
    """Input that cannot be accepted; holds every problem found, not only the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(problem.describe() for problem in self.problems))
