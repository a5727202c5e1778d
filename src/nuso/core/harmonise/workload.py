"""What an analyst must still do for a delivery: per variable, how many distinct values must be
decided by hand, most frequent first, to bring the share of values decided to TARGET.

This is the real cost of a delivery. A thousand undecided spellings that occur once each
cost a thousand decisions; one spelling that occurs a thousand times costs one. Spellings
that normalise alike (nuso.core.harmonise.normalise) are one decision, as in the review queue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nuso.core.harmonise.normalise import normalise

TARGET = 0.995


@dataclass(frozen=True)
class Workload:
    variable: str
    values: int  # values in all, decided or not
    decided: int
    waiting: tuple[int, ...]  # occurrences of each distinct undecided value, most first

    @property
    def share_decided(self) -> float:
        return self.decided / self.values if self.values else 1.0

    @property
    def needed(self) -> int:
        """Distinct values to decide, most frequent first, until TARGET of all are decided."""
        return decisions_to_reach(self.waiting, self.decided, self.values)


def decisions_to_reach(waiting: Iterable[int], decided: int, values: int) -> int:
    if values == 0:
        return 0
    count = 0
    for occurrences in sorted(waiting, reverse=True):
        if decided >= TARGET * values:
            break
        decided += occurrences
        count += 1
    return count


def workload(variable: str, decided: int, pending: Mapping[str, int]) -> Workload:
    """The workload of one variable from its decided values and its undecided raw values
    with their occurrences."""
    by_key: Counter[str] = Counter()
    for raw, occurrences in pending.items():
        by_key[normalise(raw)] += occurrences
    waiting = tuple(sorted(by_key.values(), reverse=True))
    return Workload(variable, decided + sum(waiting), decided, waiting)


def workloads_of(
    variables: Iterable[str], decided: Mapping[str, int], pending: Mapping[str, Mapping[str, int]]
) -> list[Workload]:
    """The workload of each variable from its decided values and its undecided raw values."""
    return [workload(name, decided.get(name, 0), pending.get(name, {})) for name in variables]
