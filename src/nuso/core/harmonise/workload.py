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


def workloads_of_reports(
    reports: Iterable[Mapping[str, object]], variables: Iterable[str]
) -> list[Workload]:
    """The workload of a delivery from its files' import reports, for the harmonised
    `variables`: decided values from the report's listing of values (each code of a
    multi-valued cell counted), undecided ones from what waits for review."""
    wanted = list(variables)
    decided: Counter[str] = Counter()
    pending: dict[str, Counter[str]] = {name: Counter() for name in wanted}
    for report in reports:
        for variable, listed in _mapping(report.get("värden")).items():
            if variable in pending and isinstance(listed, list):
                decided[variable] += sum(_decided_values(entry) for entry in listed)
        for variable, raws in _mapping(report.get("granskning")).items():
            if variable in pending:
                for raw, occurrences in _mapping(raws).items():
                    pending[variable][raw] += int(str(occurrences))
    return [workload(name, decided[name], pending[name]) for name in wanted]


def _decided_values(entry: Mapping[str, object]) -> int:
    codes = [code for code in str(entry.get("kod", "")).split("|") if code]
    return len(codes) * int(str(entry.get("antal", 0)))


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}
