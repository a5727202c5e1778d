"""What a variable of each row became, column-wise.

A national import interprets 220 000 rows, but their variables hold few distinct raw values.
What one variable of a row became is an `Outcome`, decided once per distinct raw input and
shared by every row with that input. An `OutcomeColumn` is a variable's outcomes in a table:
the distinct ones and each row's position among them. The block's columns (nuso.core.intake.blocks),
the report's counts and the rows waiting for review come from the few distinct outcomes and
the positions, never from a loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from nuso.core.intake import blocks

# The decision's keys behind each decision column of a block.
DECISION_KEYS = (
    (blocks.METHOD, "method"),
    (blocks.CONFIDENCE, "confidence"),
    (blocks.SOURCE, "raw"),
)


@dataclass(frozen=True, eq=False)
class Outcome:
    """What one variable of a row became: its value (None: none), how it was decided (None
    for a derived variable), raw values waiting for review, and flags. Immutable and shared
    between rows: compared and hashed by identity."""

    variable: str
    value: Any = None
    decision: dict[str, Any] | None = None
    pending: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutcomeColumn:
    """A variable's outcome in every row of a table: `outcomes` are the distinct ones (the
    first, None, is no outcome), `rows` each row's position among them."""

    outcomes: list[Outcome | None]
    rows: list[int] = field(repr=False)

    @classmethod
    def of(cls, keys: Sequence[Hashable], make: Callable[[Any], Outcome | None]) -> OutcomeColumn:
        """`make` of each row's key, called once per distinct key (in the order first met);
        an empty key (None, no cells) has no outcome."""
        distinct = list(dict.fromkeys(keys))
        position = {key: i for i, key in enumerate(distinct, start=1)}
        outcomes = [None, *(make(key) if key else None for key in distinct)]
        return cls(outcomes, [position[key] for key in keys])

    @classmethod
    def empty(cls, size: int) -> OutcomeColumn:
        return cls([None], [0] * size)

    def derived(self, make: Callable[[Outcome], Outcome | None]) -> OutcomeColumn:
        """The outcomes made from these, row by row (a variable derived from this one)."""
        return OutcomeColumn([make(o) if o else None for o in self.outcomes], self.rows)

    def __getitem__(self, row: int) -> Outcome | None:
        return self.outcomes[self.rows[row]]

    @cached_property
    def positions(self) -> pl.Series:
        return pl.Series(self.rows, dtype=pl.UInt32)

    def series(self, name: str, kind: pl.DataType, decided: bool) -> list[pl.Series]:
        """The variable's block columns: value, and for a variable decided from raw values
        the method, confidence and source of each decision."""

        def column(prefix: str, values: list[Any], dtype: pl.DataType) -> pl.Series:
            # Indexing by a Series gathers, without Series.gather's per-call overhead.
            return pl.Series(prefix + name, values, dtype=dtype)[self.positions]

        found = [column(blocks.VALUE, [o.value if o else None for o in self.outcomes], kind)]
        if decided:
            how = [o.decision if o else None for o in self.outcomes]
            for prefix, key in DECISION_KEYS:
                values = [d[key] if d else None for d in how]
                found.append(column(prefix, values, blocks.DECISION_TYPES[prefix]))
        return found

    def counts(self) -> Iterator[tuple[Outcome, int]]:
        """How many rows have each outcome, in the order first met."""
        rows = np.bincount(self.positions.to_numpy(), minlength=len(self.outcomes))
        for outcome, n in zip(self.outcomes, rows.tolist(), strict=True):
            if outcome is not None and n:
                yield outcome, n

    def waiting(self) -> pl.Series | None:
        """Whether each row's outcome waits for review; None when no row's does."""
        pending = [i for i, o in enumerate(self.outcomes) if o is not None and o.pending]
        return self.positions.is_in(pending) if pending else None
