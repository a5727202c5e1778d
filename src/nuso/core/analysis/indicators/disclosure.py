"""Disclosure control: small counts are suppressed, and enough other cells with them that no
suppressed count can be worked out from what is published.

Every published count is an *atom*: the number of records of one unit or level, in one
period, meeting one set of conditions. The same atom shown by two tables is one atom, so a
count hidden in one table is hidden in all. Published sums tie atoms together in
*equations* (total = sum of parts):

- a cell's records with and without the outcome add up to the records with a known outcome;
- the categories of a single-valued variable (with "uppgift saknas") add up to the margin;
- the units add up to their size band, municipality group, county and the nation.

Primary suppression hides counts from 1 to threshold − 1. Secondary suppression then makes
every equation hold either no hidden atom or at least two: an equation with exactly one would
give it away by subtraction. It adds the smallest positive detail cell of that equation
(margins and higher levels last), and repeats until no equation has a single hidden atom.
This is the classic singleton rule of cell suppression, applied across every table, level and
the filtered views (the categories of a dimension are the filters) at once. It prevents exact
recovery through single sums; it does not bound what an attacker can infer from combining
many equations, which the disclosure tests check with a linear-algebra audit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_THRESHOLD = 5
Key = tuple[Any, ...]  # what an atom counts, e.g. (set, outcome, period, level, unit, conditions)


@dataclass
class AtomSystem:
    values: list[int] = field(default_factory=list)
    index: dict[Key, int] = field(default_factory=dict)
    equations: list[tuple[int, list[int]]] = field(default_factory=list)  # (margin, parts)

    def atom(self, key: Key, value: int) -> int:
        position = self.index.get(key)
        if position is None:
            position = self.index[key] = len(self.values)
            self.values.append(int(value))
        elif self.values[position] != value:
            raise ValueError(f"atom {key!r} counted twice with different values")
        return position

    def equation(self, margin: Key, parts: Iterable[Key]) -> None:
        """margin = sum(parts), for atoms already registered; unknown keys are skipped
        together (an unpublished margin ties nothing)."""
        margin_index = self.index.get(margin)
        if margin_index is None:
            return
        indices = [self.index[part] for part in parts if part in self.index]
        if indices:
            self.equations.append((margin_index, indices))


@dataclass(frozen=True)
class Suppression:
    hidden: list[bool]
    primary: int
    secondary: int
    cells: int = 0  # atoms considered


def suppress(
    system: AtomSystem, threshold: int = DEFAULT_THRESHOLD, forced: Iterable[int] = ()
) -> Suppression:
    """Hides the small atoms, and those in `forced` (hidden in another publication the same
    readers see), then enough others that no equation has a single hidden atom."""
    hidden = [0 < value < threshold for value in system.values]
    for atom in forced:
        hidden[atom] = True
    primary = sum(hidden)
    members: list[list[int]] = [[] for _ in system.values]
    for number, (margin, parts) in enumerate(system.equations):
        for atom in (margin, *parts):
            members[atom].append(number)
    unknowns = [
        hidden[margin] + sum(hidden[p] for p in parts) for margin, parts in system.equations
    ]
    queue = deque(number for number, count in enumerate(unknowns) if count == 1)
    secondary = 0
    while queue:
        number = queue.popleft()
        if unknowns[number] != 1:
            continue
        chosen = _partner(system, number, hidden, members, unknowns)
        if chosen is None:
            continue
        hidden[chosen] = True
        secondary += 1
        for other in members[chosen]:
            unknowns[other] += 1
            if unknowns[other] == 1:
                queue.append(other)
    return Suppression(hidden, primary, secondary, len(hidden))


def _partner(
    system: AtomSystem,
    number: int,
    hidden: list[bool],
    members: list[list[int]],
    unknowns: list[int],
) -> int | None:
    """The atom to hide with the equation's single hidden one. Detail cells before the
    margin, positive counts before zeros; then the cell that closes the most other equations
    with a single hidden atom for the fewest it opens (so that hiding spreads as little as
    possible: a unit in the same county, group and size band is the best partner); then the
    smallest count."""
    margin, parts = system.equations[number]
    best: tuple[int, bool, int, int, int] | None = None
    for atom in (*parts, margin):
        if hidden[atom]:
            continue
        effect = sum(
            -1 if unknowns[e] == 1 else 1 if unknowns[e] == 0 else 0 for e in members[atom]
        )
        score = (int(atom == margin), system.values[atom] == 0, effect, system.values[atom], atom)
        if best is None or score < best:
            best = score
    return None if best is None else best[4]
