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

The engine publishes the national tables (every level above the unit) as one publication and
each unit's view (the unit and the rest of its group and size band) as one more each: the
atoms and equations of each, and which rows' counts end up hidden, are built here.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from nuso.core.analysis.indicators.counting import COUNT, NATION
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.table_definitions import TableDefinition

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


# --- the engine's publications -------------------------------------------------------


def _in_order(rows: pl.DataFrame) -> pl.DataFrame:
    """The cells in one order, whatever order counting and joining left them in. Secondary
    suppression breaks ties by the order in which the atoms are registered, and the same data
    must always be suppressed the same way: two publications of it hiding different cells
    could be combined to find what each hides."""
    return rows.sort([c for c in rows.columns if c not in ("antal", "total")], nulls_last=True)


def suppress_national(
    study: StudyInput, national: dict[str, pl.DataFrame], threshold: int
) -> tuple[dict[str, pl.DataFrame], list[Suppression]]:
    """The national tables (every level above the unit) as one publication: the levels'
    cells add up to the nation along each grouping."""
    national = {name: _in_order(rows) for name, rows in national.items()}
    system, positions = _atoms(study, national)
    _partition_equations(system)
    result = suppress(system, threshold)
    hidden = np.array(result.hidden, dtype=bool)
    return {n: flags(rows, (positions[n], hidden)) for n, rows in national.items()}, [result]


def suppress_units(
    study: StudyInput, views: dict[str, pl.DataFrame], threshold: int
) -> tuple[dict[str, pl.DataFrame], list[Suppression]]:
    """Each unit's view as a publication of its own: what its users see of it and of the
    rest of its group and size band. (The county and the nation come from the national
    tables, suppressed there.)"""
    by_unit = {
        name: _in_order(rows).partition_by("jamforelse", as_dict=True, maintain_order=True)
        for name, rows in views.items()
    }
    units = sorted({key[0] for parts in by_unit.values() for key in parts})
    flagged: dict[str, list[pl.DataFrame]] = {name: [] for name in views}
    results = []
    for unit in units:
        mine = {name: parts[(unit,)] for name, parts in by_unit.items() if (unit,) in parts}
        system, positions = _atoms(study, mine)
        result = suppress(system, threshold, _forced_atoms(mine, positions))
        results.append(result)
        hidden = np.array(result.hidden, dtype=bool)
        for name, rows in mine.items():
            flagged[name].append(flags(rows, (positions[name], hidden)))
    return {name: pl.concat(parts) if parts else flags(views[name], None)
            for name, parts in flagged.items()}, results  # fmt: skip


def forced(views: pl.DataFrame, national: pl.DataFrame, table: TableDefinition) -> pl.DataFrame:
    """Marks the cells of a group without the unit whose whole group is hidden in the
    national tables: the unit's users know their own counts, so publishing the rest of the
    group would give the whole group away (and with it what it protects)."""
    keys = ["niva", "enhet", "period", *table.dimension_columns, "mangd"]
    flags = national.select(
        *keys,
        pl.col("antal_dold").alias("tvingad_antal"),
        pl.col("total_dold").alias("tvingad_total"),
    )
    joined = views.join(flags, on=keys, how="left")
    own = pl.col("niva") == "kommun"
    return joined.with_columns(
        (pl.col("tvingad_antal").fill_null(False) & ~own).alias("tvingad_antal"),
        (pl.col("tvingad_total").fill_null(False) & ~own).alias("tvingad_total"),
    )


def combined(*groups: list[Suppression]) -> Suppression:
    results = [result for group in groups for result in group]
    return Suppression(
        hidden=[],
        primary=sum(r.primary for r in results),
        secondary=sum(r.secondary for r in results),
        cells=sum(len(r.hidden) for r in results),
    )


def _forced_atoms(tables: dict[str, pl.DataFrame], positions: dict[str, np.ndarray]) -> list[int]:
    forced: list[int] = []
    for name, rows in tables.items():
        places = positions[name]
        antal = rows["tvingad_antal"].to_numpy()
        total = rows["tvingad_total"].to_numpy()
        forced += places[antal, 0].tolist() + [p for p in places[antal, 2].tolist() if p >= 0]
        forced += places[total, 1].tolist()
    return forced


def flags(rows: pl.DataFrame, found: tuple[np.ndarray, np.ndarray] | None) -> pl.DataFrame:
    if found is None:
        return rows.with_columns(
            pl.lit(False).alias("antal_dold"), pl.lit(False).alias("total_dold")
        )
    positions, hidden = found
    complement = np.where(positions[:, 2] >= 0, hidden[positions[:, 2]], False)
    return rows.with_columns(
        pl.Series("antal_dold", hidden[positions[:, 0]] | complement),
        pl.Series("total_dold", hidden[positions[:, 1]]),
    )


def _atoms(
    study: StudyInput, tables: dict[str, pl.DataFrame]
) -> tuple[AtomSystem, dict[str, np.ndarray]]:
    """Registers every published count as an atom, and the sums within each level as
    equations. Returns, per table, the atom positions of each row's antal, total and
    complement."""
    system = AtomSystem()
    positions: dict[str, np.ndarray] = {}
    shares: set[tuple[int, int, int]] = set()
    for name, cells in tables.items():
        dimensions = study.tables_by_name[name].dimensions
        within = study.tables_by_name[name].within
        rows = cells.select("niva", "enhet", "period", *dimensions, "mangd",
                            "antal", "total").iter_rows()  # fmt: skip
        found = []
        for niva, enhet, period, *rest in rows:
            *values, mangd, antal, total = rest
            conditions = tuple(sorted(zip(dimensions, values, strict=True)))
            place = (period, niva, enhet)
            if mangd == COUNT:
                count = system.atom((COUNT, "", *place, conditions), antal)
                # the total of a distribution within a filter is the filter's own count
                kept = tuple(c for c in conditions if c[0] == within)
                margin = system.atom((COUNT, "", *place, kept), total)
                found.append((count, margin, -1))
            else:
                yes = system.atom(("ja", mangd, *place, conditions), antal)
                known = system.atom(("kand", mangd, *place, conditions), total)
                no = system.atom(("nej", mangd, *place, conditions), total - antal)
                shares.add((known, yes, no))
                found.append((yes, known, no))
        positions[name] = np.array(found, dtype=np.int64).reshape(-1, 3)
    for known, yes, no in sorted(shares):
        system.equations.append((known, [yes, no]))
    _dimension_equations(system, study.multi_valued)
    return system, positions


def _dimension_equations(system: AtomSystem, multi_valued: frozenset[str]) -> None:
    """The categories of a single-valued dimension add up to the margin without it."""
    groups: dict[Key, list[Key]] = defaultdict(list)
    for key in system.index:
        counted_set, outcome, period, niva, enhet, conditions = key
        for position, (dimension, _) in enumerate(conditions):
            if dimension in multi_valued:
                continue
            margin = conditions[:position] + conditions[position + 1 :]
            groups[(counted_set, outcome, period, niva, enhet, margin, dimension)].append(key)
    for (counted_set, outcome, period, niva, enhet, margin, _), parts in groups.items():
        system.equation((counted_set, outcome, period, niva, enhet, margin), parts)


def _partition_equations(system: AtomSystem) -> None:
    """Counties, municipality groups and size bands each add up to the nation (where they
    cover every unit: a unit without a group leaves that grouping's sum short)."""
    levels: dict[Key, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
    for key in system.index:
        counted_set, outcome, period, niva, _, conditions = key
        if niva != NATION:
            levels[(counted_set, outcome, period, conditions)][niva].append(key)
    for (counted_set, outcome, period, conditions), by_level in levels.items():
        nation = (counted_set, outcome, period, NATION, NATION, conditions)
        if nation not in system.index:
            continue
        total = system.values[system.index[nation]]
        for parts in by_level.values():
            if sum(system.values[system.index[p]] for p in parts) == total:
                system.equation(nation, parts)
