"""What an attacker can bound a hidden count to: interval propagation over the published
sums, with counts whole and never negative.

Each sum margin = parts bounds every hidden term by the others' bounds; the bounds are
tightened until nothing changes. The result is what a reader can certainly work out (an
outer bound: integer programming over all sums together may narrow further, which the
tests check), and cheap enough to run on every publication."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

EquationList = Sequence[tuple[int, list[int]]]  # margin = sum(parts), by atom position
ROUNDS_PER_EQUATION = 50  # stops slow chains of one-by-one tightenings (bounds stay valid)


def attacker_bounds(
    values: Sequence[int], hidden: Sequence[bool], equations: EquationList
) -> tuple[list[int], list[int]]:
    """The lowest and highest value each atom can have for a reader who sees the atoms not
    hidden and knows every sum; published atoms are bounded to their value."""
    ceiling = max(values, default=0)
    low = [0 if h else v for v, h in zip(values, hidden, strict=True)]
    high = [ceiling if h else v for v, h in zip(values, hidden, strict=True)]
    members: dict[int, list[int]] = {}
    active = []
    for number, (margin, parts) in enumerate(equations):
        if hidden[margin] or any(hidden[p] for p in parts):
            active.append(number)
            for atom in (margin, *parts):
                if hidden[atom]:
                    members.setdefault(atom, []).append(number)
    queue, queued = deque(active), set(active)
    budget = ROUNDS_PER_EQUATION * max(len(active), 1)
    while queue and budget:
        budget -= 1
        number = queue.popleft()
        queued.discard(number)
        for atom in _tighten(equations[number], low, high):
            for other in members.get(atom, ()):  # published atoms never change
                if other not in queued:
                    queued.add(other)
                    queue.append(other)
    return low, high


def _tighten(equation: tuple[int, list[int]], low: list[int], high: list[int]) -> list[int]:
    """Tightens the bounds of the equation's atoms; returns those that changed."""
    margin, parts = equation
    changed = []
    sum_low = sum(low[p] for p in parts)
    sum_high = sum(high[p] for p in parts)
    if sum_low > low[margin] or sum_high < high[margin]:
        low[margin], high[margin] = max(low[margin], sum_low), min(high[margin], sum_high)
        changed.append(margin)
    for part in parts:
        top = high[margin] - (sum_low - low[part])
        bottom = low[margin] - (sum_high - high[part])
        if top < high[part] or bottom > low[part]:
            low[part], high[part] = max(low[part], bottom), min(high[part], top)
            changed.append(part)
    return changed
