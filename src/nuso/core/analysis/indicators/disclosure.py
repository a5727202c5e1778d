"""Disclosure control: small counts are suppressed, and enough other cells with them that no
suppressed count can be worked out from what is published.

Every published count is an *atom*: the number of records of one unit or level, in one
period, meeting one set of conditions. The same atom shown by two tables is one atom, so a
count hidden in one table is hidden in all. Published sums tie atoms together in
*equations* (total = sum of parts):

- a cell's records with and without the outcome add up to the records with a known outcome;
- the categories of a single-valued variable (with "uppgift saknas") add up to the margin;
- the units add up to their size band, municipality group, county and the nation.

Primary suppression hides counts from 1 to threshold − 1 and counts that are the whole of
their total. Secondary suppression then makes every equation hold either no hidden atom or at
least two, whose hidden parts under a published margin add up to at least the threshold (the
singleton rule of cell suppression, with a sum), across every table, level and filtered view
at once. An audit (`bounds`) then bounds every hidden count as an attacker would, over all the
equations with counts whole and never negative, and hides more where a count is still bounded
to fewer values than a suppressed count has. docs/statistics.md says what is checked, and
decision 0015 why.

The engine publishes the national tables (every level above the unit) as one publication and
each unit's view (the unit and the rest of its group and size band) as one more each: the
atoms and equations of each, and which rows' counts end up hidden, are built here.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from nuso.core.analysis.indicators.bounds import attacker_bounds
from nuso.core.analysis.indicators.counting import COUNT, GROUP_LEVELS, NATION
from nuso.core.analysis.indicators.determined import ExactAudit
from nuso.core.analysis.indicators.frame import MISSING
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.table_definitions import Outcome, TableDefinition

DEFAULT_THRESHOLD = 5
MAX_ROUNDS = 20  # of hiding more where the bounds are still narrow
Key = tuple[Any, ...]  # what an atom counts, e.g. (set, outcome, period, level, unit, conditions)


@dataclass
class AtomSystem:
    values: list[int] = field(default_factory=list)
    index: dict[Key, int] = field(default_factory=dict)
    equations: list[tuple[int, list[int]]] = field(default_factory=list)  # (margin, parts)
    whole: set[int] = field(default_factory=set)  # atoms that are all of their total
    rests: dict[int, Key] = field(default_factory=dict)  # unshown atoms (_dimension_equations)

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
    """Hides the small atoms, those that are the whole of their total, and those in
    `forced` (hidden in another publication the same readers see); then enough others that
    every equation with a hidden atom has at least two, and that the hidden parts of an
    equation with a published margin add up to at least the threshold (else the margin
    would bound each of them to fewer values than a small count has)."""
    hidden = [0 < value < threshold for value in system.values]
    for atom in (*system.whole, *forced):
        hidden[atom] = True
    primary = sum(hidden)
    sensitive = frozenset(atom for atom, is_hidden in enumerate(hidden) if is_hidden)
    state = _Hiding(system, hidden, threshold)
    state.settle(range(len(system.equations)))
    audit = ExactAudit(system.equations)
    for _ in range(MAX_ROUNDS):
        before = sum(hidden)
        # propagation first (cheap); where it finds nothing, the exact audit
        for atom in state.narrow() or state.fixed(audit, sensitive):
            number = state.tightest(atom)
            if number is None:  # every sum on it hidden: fixed through its hidden neighbours
                number = state.nearest_open(atom)
            chosen = None if number is None else state.partner(number)
            if chosen is not None:
                state.settle(state.hide(chosen))
        if sum(hidden) == before:  # nothing narrow left, or nothing more to hide for it
            break
    return Suppression(hidden, primary, sum(hidden) - primary, len(hidden))


class _Hiding:
    """Which atoms are hidden, and per equation how many and how much of its parts."""

    def __init__(self, system: AtomSystem, hidden: list[bool], threshold: int) -> None:
        self.system, self.hidden, self.threshold = system, hidden, threshold
        self.members: list[list[int]] = [[] for _ in system.values]
        self.unknowns = [0] * len(system.equations)
        self.counted = [0] * len(system.equations)  # hidden atoms that are protected
        self.hidden_sum = [0] * len(system.equations)
        for number, (margin, parts) in enumerate(system.equations):
            for atom in (margin, *parts):
                self.members[atom].append(number)
                if hidden[atom]:
                    self._count(number, atom)

    def _count(self, number: int, atom: int) -> None:
        self.unknowns[number] += 1
        self.counted[number] += self.protected(atom)
        if atom != self.system.equations[number][0]:
            self.hidden_sum[number] += self.system.values[atom]

    def settle(self, numbers: Iterable[int]) -> None:
        """Hides partners until none of the equations (and those they touch) is short."""
        queue = deque(number for number in numbers if self.short(number))
        while queue:
            number = queue.popleft()
            if not self.short(number):
                continue
            chosen = self.partner(number)
            if chosen is not None:
                queue.extend(self.hide(chosen))

    def protected(self, atom: int) -> bool:
        """A count whose value must not be given away: any above nought, and the nought of
        a whole cell ("8 av 8": no one without the attribute is the disclosure). Other
        noughts are not protected (docs/statistics.md, Limits)."""
        return self.system.values[atom] > 0 or atom in self.system.whole

    def short(self, number: int) -> bool:
        """The equation gives a hidden atom away, or bounds it too narrowly: it has one
        hidden atom, or hidden parts adding up to less than the threshold under a published
        margin. A sum that would give away only unprotected noughts hides nothing more:
        one nought hidden as a partner would hide its nation's totals through every sum it
        is in."""
        if self.counted[number] == 0:
            return False
        if self.unknowns[number] == 1:
            return True
        margin = self.system.equations[number][0]
        return not self.hidden[margin] and self.hidden_sum[number] < self.threshold

    def hide(self, atom: int) -> list[int]:
        """Hides the atom; returns the equations that may now be short."""
        self.hidden[atom] = True
        for number in self.members[atom]:
            self._count(number, atom)
        return self.members[atom]

    def partner(self, number: int) -> int | None:
        """The atom to hide next in a short equation. Detail cells before the margin,
        counts that make the hidden parts reach the threshold before smaller ones (zeros
        last); then the cell that closes the most other short equations for the fewest it
        opens (so that hiding spreads as little as possible: a unit in the same county, group
        and size band is the best partner); then the smallest count."""
        margin, parts = self.system.equations[number]
        needed = self.threshold - self.hidden_sum[number]
        best: tuple[int, bool, bool, int, int, int] | None = None
        for atom in (*parts, margin):
            if self.hidden[atom]:
                continue
            value = self.system.values[atom]
            effect = sum(-1 if self.unknowns[e] == 1 else 1 if self.unknowns[e] == 0 else 0
                         for e in self.members[atom])  # fmt: skip
            score = (int(atom == margin), value == 0, value < needed, effect, value, atom)
            if best is None or score < best:
                best = score
        return None if best is None else best[5]

    def narrow(self) -> list[int]:
        """Hidden positive counts that the published ones and the sums bound to fewer
        values than a suppressed count has (0 to threshold − 1)."""
        values, hidden = self.system.values, self.hidden
        low, high = attacker_bounds(values, hidden, self.system.equations)
        few = [high[atom] - low[atom] + 1 < self.threshold for atom in range(len(values))]
        return [a for a in range(len(values)) if hidden[a] and few[a] and self.protected(a)]

    def fixed(self, audit: ExactAudit, sensitive: frozenset[int]) -> list[int]:
        """The sensitive counts (hidden for what they are: small, whole, or leaving a small
        rest) that all the sums together fix exactly. A partner hidden beside one may
        follow from the sums, as long as the count it protects does not."""
        return [atom for atom in audit.fixed(self.hidden)
                if atom in sensitive and self.protected(atom)]  # fmt: skip

    def nearest_open(self, atom: int) -> int | None:
        """The sum nearest the atom, through sums of hidden atoms only, that still has a
        published atom to hide: where all the sums on an atom are hidden and it is still
        fixed, a combination of its neighbours' sums fixes it, and one more hidden count
        there is what it lacks."""
        seen_atoms, seen_sums = {atom}, set()
        frontier = [atom]
        while frontier:
            new_sums = list(dict.fromkeys(n for current in frontier for n in self.members[current]
                                          if n not in seen_sums))  # fmt: skip
            seen_sums.update(new_sums)
            reached = [n for n in new_sums if not all(self.hidden[a] for a in self._atoms_of(n))]
            if reached:
                return min(reached, key=lambda n: (self.hidden_sum[n], n))
            frontier = []
            for number in new_sums:  # only they hold atoms not seen yet
                for other in self._atoms_of(number):
                    if other not in seen_atoms:
                        seen_atoms.add(other)
                        frontier.append(other)
        return None

    def _atoms_of(self, number: int) -> tuple[int, ...]:
        margin, parts = self.system.equations[number]
        return (margin, *parts)

    def tightest(self, atom: int) -> int | None:
        """The equation that bounds a hidden atom most: the one with a published margin
        whose other hidden parts hold the least (else any with an atom left to hide)."""
        best: tuple[int, int] | None = None
        for number in self.members[atom]:
            margin, parts = self.system.equations[number]
            if all(self.hidden[a] for a in (margin, *parts)):
                continue
            own = self.system.values[atom] if atom != margin else 0
            slack = self.hidden_sum[number] - own
            score = (slack if not self.hidden[margin] else 10**12 + number, number)
            if best is None or score < best:
                best = score
        return None if best is None else best[1]


# --- the engine's publications -------------------------------------------------------


def _in_order(rows: pl.DataFrame) -> pl.DataFrame:
    """The cells in one order, whatever order counting and joining left them in. Secondary
    suppression breaks ties by the order in which the atoms are registered, and the same data
    must always be suppressed the same way: two publications of it hiding different cells
    could be combined to find what each hides."""
    return rows.sort([c for c in rows.columns if c not in ("antal", "total")], nulls_last=True)


def suppress_national(
    study: StudyInput,
    national: dict[str, pl.DataFrame],
    threshold: int,
    units: dict[str, pl.DataFrame] | None = None,
) -> tuple[dict[str, pl.DataFrame], list[Suppression]]:
    """The national tables (every level above the unit) as one publication: the levels'
    cells add up to the nation along each grouping. `units` (each table's unit cells) are
    what each unit's users know of their own: a level's cell is hidden where it, less one
    of its units, would give the rest of the level away."""
    national = {name: _in_order(rows) for name, rows in national.items()}
    system, positions = _atoms(study, national)
    _partition_equations(system, _covering_levels(study))
    exposed: list[int] = []
    for name, rows in national.items():
        if units is not None and name in units:
            table = study.tables_by_name[name]
            flagged = exposed_rests(rows, units[name], unit_levels(study), table, threshold)
            exposed += _flagged_atoms(flagged, positions[name])
    if units is not None and system.rests:
        exposed += exposed_rest_atoms(study, system, units, threshold)
    result = suppress(system, threshold, exposed)
    hidden = np.array(result.hidden, dtype=bool)
    return {n: flags(rows, (positions[n], hidden)) for n, rows in national.items()}, [result]


def suppress_units(
    study: StudyInput, views: dict[str, pl.DataFrame], threshold: int
) -> tuple[dict[str, pl.DataFrame], list[Suppression]]:
    """Each unit's view as a publication of its own: what its users see of it and of the
    rest of its group and size band. (The county and the nation come from the national
    tables, suppressed there.) The unit's own cells are suppressed as a system of their own
    (for what its users show others: they know their own rows). The rest of a group is
    hidden exactly where the whole group is hidden in the national tables: its users can
    subtract their own counts from a published group, so hiding more there protects
    nothing, and the national tables already hide a group wherever its rest would be small
    (`exposed_rests`)."""
    by_unit = {
        name: _in_order(rows).partition_by("jamforelse", as_dict=True, maintain_order=True)
        for name, rows in views.items()
    }
    units = sorted({key[0] for parts in by_unit.values() for key in parts})
    flagged: dict[str, list[pl.DataFrame]] = {name: [] for name in views}
    results = []
    for unit in units:
        mine = {name: parts[(unit,)] for name, parts in by_unit.items() if (unit,) in parts}
        own = {name: rows.filter(pl.col("niva") == "kommun") for name, rows in mine.items()}
        system, positions = _atoms(study, own)
        result = suppress(system, threshold)
        results.append(result)
        hidden = np.array(result.hidden, dtype=bool)
        for name, rows in mine.items():
            own_flags = flags(own[name], (positions[name], hidden))
            flagged[name].append(own_flags)
            rests = rows.filter(pl.col("niva") != "kommun")
            flagged[name].append(rests_hidden(rests, own_flags, study.tables_by_name[name]))
    return {name: pl.concat(parts) if parts else flags(views[name], None)
            for name, parts in flagged.items()}, results  # fmt: skip


def rests_hidden(rests: pl.DataFrame, own: pl.DataFrame, table: TableDefinition) -> pl.DataFrame:
    """The rests of a unit's groups (the group without the unit), hidden where the whole
    group is hidden nationally (`forced`) and wherever the unit's own count is hidden: the
    whole group is published, and the group less its rest is the unit's own count, so a
    rest beside its published group would give away what the unit's suppression hides from
    whoever the unit's users show their figures to. The rests then hide exactly the unit's
    pattern, which its own suppression made safe."""
    keys = ["period", *table.dimension_columns, "mangd"]
    hidden_own = own.select(
        *keys, pl.col("antal_dold").alias("eget_antal"), pl.col("total_dold").alias("eget_total")
    )
    joined = rests.join(hidden_own, on=keys, how="left", nulls_equal=True)
    return joined.with_columns(
        (pl.col("tvingad_antal") | pl.col("eget_antal").fill_null(False)).alias("antal_dold"),
        (pl.col("tvingad_total") | pl.col("eget_total").fill_null(False)).alias("total_dold"),
    ).drop("eget_antal", "eget_total")


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


def exposed_rests(
    rows: pl.DataFrame,
    units: pl.DataFrame,
    levels: pl.DataFrame,
    table: TableDefinition,
    threshold: int,
) -> pl.DataFrame:
    """Marks the level cells (county, group, size band, nation) that, less the cell of one
    of their units, leave a small or a whole count for the rest of the level. A unit's users
    know their own counts from their own rows, so for them a published level cell *is* the
    rest of the level: it must be hidden wherever that rest would be (columns
    `rest_antal`, `rest_total`, `rest_nej`: which atom of the row to hide). `levels` is
    `unit_levels` of the study."""
    keys = ["period", *table.dimension_columns, "mangd"]
    own = units.filter(pl.col("niva") == "kommun").join(levels, on="enhet", how="inner")
    share = table.kind != "distribution"
    parts = []
    for level in (*GROUP_LEVELS, NATION):
        mine = own.select(
            pl.col(f"_{level}").alias("enhet"), *keys,
            pl.col("antal").alias("u_antal"), pl.col("total").alias("u_total"),
        )  # fmt: skip
        joined = rows.filter(pl.col("niva") == level).join(mine, on=["enhet", *keys])
        rest_antal = pl.col("antal") - pl.col("u_antal")
        rest_total = pl.col("total") - pl.col("u_total")
        whole = _whole(rest_antal, rest_total, table)
        no = _small(rest_total - rest_antal, threshold) | whole if share else pl.lit(False)
        parts.append(
            joined.group_by("niva", "enhet", *keys).agg(
                (_small(rest_antal, threshold) | whole).any().alias("rest_antal"),
                _small(rest_total, threshold).any().alias("rest_total"),
                no.any().alias("rest_nej"),
            )
        )
    names = ["rest_antal", "rest_total", "rest_nej"]
    return rows.join(pl.concat(parts), on=["niva", "enhet", *keys], how="left").with_columns(
        pl.col(names).fill_null(False)
    )


def exposed_rest_atoms(
    study: StudyInput, system: AtomSystem, units: dict[str, pl.DataFrame], threshold: int
) -> list[int]:
    """The rests no table shows (`_dimension_equations`) that, less the rest of one of
    their units, leave a small count for the other units: as `exposed_rests` for the rows."""
    own, _ = _atoms(study, {name: rows.filter(pl.col("niva") == "kommun")
                            for name, rows in units.items()})  # fmt: skip
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for unit, *levels in unit_levels(study).iter_rows():
        for level, code in zip((*GROUP_LEVELS, NATION), levels, strict=True):
            members[(level, code)].append(unit)
    found = []
    for atom, (counted_set, outcome, period, niva, enhet, conditions) in system.rests.items():
        for unit in members.get((niva, enhet), []):
            # a nation's cell for one group is keyed as the group's (_key); the unit's has it
            keys = [conditions, tuple(sorted((*conditions, (niva, enhet)), key=lambda c: c[0]))]
            mine = next((own.values[own.index[k]] for k in
                         ((counted_set, outcome, period, "kommun", unit, c) for c in keys)
                         if k in own.index), 0)  # fmt: skip
            if _is_small(system.values[atom] - mine, threshold):
                found.append(atom)
                break
    return found


def _is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def unit_levels(study: StudyInput) -> pl.DataFrame:
    """Each unit with the county, group, size band and nation it counts in (`_lan`, …)."""
    return study.memo(  # type: ignore[no-any-return]
        "unit_levels",
        lambda: study.frame.select(
            "enhet",
            *(pl.col(level).alias(f"_{level}") for level in GROUP_LEVELS),
            pl.lit(NATION).alias(f"_{NATION}"),
        ).unique("enhet"),
    )


def _small(count: pl.Expr, threshold: int) -> pl.Expr:
    return (count > 0) & (count < threshold)


def _whole(antal: pl.Expr, total: pl.Expr, table: TableDefinition) -> pl.Expr:
    """Everyone counted has the attribute: a share of 100 %, or a distribution's category
    holding the whole total (except the category of records without a value, which says
    nothing about anyone)."""
    whole = (antal == total) & (total > 0)
    if table.kind != "distribution":
        return whole
    attributes = [d for d in table.dimensions if d != table.within]
    for dimension in attributes:
        whole = whole & (pl.col(dimension).cast(pl.String) != MISSING)
    return whole


def _flagged_atoms(rows: pl.DataFrame, places: np.ndarray) -> list[int]:
    antal = rows["rest_antal"].to_numpy()
    total = rows["rest_total"].to_numpy()
    nej = rows["rest_nej"].to_numpy()
    found: list[int] = places[antal, 0].tolist() + places[total, 1].tolist()
    return found + [p for p in places[nej, 2].tolist() if p >= 0]


def combined(*groups: list[Suppression]) -> Suppression:
    results = [result for group in groups for result in group]
    return Suppression(
        hidden=[],
        primary=sum(r.primary for r in results),
        secondary=sum(r.secondary for r in results),
        cells=sum(len(r.hidden) for r in results),
    )


def flags(rows: pl.DataFrame, found: tuple[np.ndarray, np.ndarray] | None) -> pl.DataFrame:
    if found is None:
        return rows.with_columns(
            pl.lit(False).alias("antal_dold"), pl.lit(False).alias("total_dold")
        )
    positions, hidden = found
    total_hidden = hidden[positions[:, 1]]
    # a share's count beside its published total gives the records without the outcome
    # away: it is hidden where they are; beside a hidden total it is a count like any other
    complement = np.where(positions[:, 2] >= 0, hidden[positions[:, 2]], False)
    return rows.with_columns(
        pl.Series("antal_dold", hidden[positions[:, 0]] | complement & ~total_hidden),
        pl.Series("total_dold", total_hidden),
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
    outcomes: dict[tuple[int, int, int], tuple[Outcome, Key]] = {}  # (yes, known, no) -> …
    for name, cells in tables.items():
        table = study.tables_by_name[name]
        dimensions, within = table.dimensions, table.within
        whole_cell = _whole(pl.col("antal"), pl.col("total"), table).alias("_hel")
        rows = cells.select("niva", "enhet", "period", *dimensions, "mangd",
                            "antal", "total", whole_cell).iter_rows()  # fmt: skip
        found = []
        for niva, enhet, period, *rest in rows:
            *values, mangd, antal, total, whole = rest
            # a table's `where` is a condition of every count it shows: its closings are
            # the cells of the closings in a table broken down by occasion
            conditions = tuple(sorted((*zip(dimensions, values, strict=True), *table.where)))
            if mangd == COUNT:
                count = system.atom(_key(COUNT, "", period, niva, enhet, conditions), antal)
                # the total of a distribution within a filter is the filter's own count
                kept = tuple(c for c in conditions if c[0] == within or c in table.where)
                margin = system.atom(_key(COUNT, "", period, niva, enhet, kept), total)
                found.append((count, margin, -1))
                if whole:
                    system.whole.add(count)
            else:
                yes = system.atom(_key("ja", mangd, period, niva, enhet, conditions), antal)
                known = system.atom(_key("kand", mangd, period, niva, enhet, conditions), total)
                no = system.atom(_key("nej", mangd, period, niva, enhet, conditions),
                                 total - antal)  # fmt: skip
                shares.add((known, yes, no))
                outcome = next(o for o in table.outcomes if o.key == mangd)
                outcomes[(yes, known, no)] = (outcome, (period, niva, enhet, conditions))
                found.append((yes, known, no))
                if whole:
                    system.whole.update((yes, no))
        positions[name] = np.array(found, dtype=np.int64).reshape(-1, 3)
    for known, yes, no in sorted(shares):
        system.equations.append((known, [yes, no]))
    _outcome_equations(system, outcomes, study.multi_valued, study.categories)
    _dimension_equations(system, study.multi_valued, study.categories)
    _grouping_equations(system, groupings(study))
    return system, positions


def _outcome_equations(
    system: AtomSystem,
    outcomes: Mapping[tuple[int, int, int], tuple[Outcome, Key]],
    multi_valued: frozenset[str],
    categories: Mapping[str, Sequence[str]],
) -> None:
    """A share's counts are cells of the outcome variable's distribution where a table shows
    it: the records with the outcome are the cells of its values, those without it the cells
    of the other values, and those with the outcome known are all the records less the cell
    without a value. Without these sums a count hidden as a share's could be read in the
    distribution (or the other way round). Each sum is added only where the counts bear it
    out (a value outside the codebook counts as known in a share and as without a value in
    a distribution)."""
    for (yes, known, no), (outcome, place) in outcomes.items():
        variable = outcome.variable
        if any(dimension == variable for dimension, _ in place[3]):
            continue
        single = variable not in multi_valued
        if single or len(outcome.values) == 1:
            _add_if_true(system, yes, _cells(system, place, variable, outcome.values))
        if single:
            others = [v for v in categories.get(variable, ()) if v not in outcome.values]
            _add_if_true(system, no, _cells(system, place, variable, others))
            everyone = _cells(system, place, None, [""])
            missing = _cells(system, place, variable, [MISSING])
            if everyone and missing:
                _add_if_true(system, everyone[0], [known, *missing])


def _cells(
    system: AtomSystem, place: Key, variable: str | None, values: Sequence[str]
) -> list[int] | None:
    """The distribution's cells of the variable's values at the share's place (without
    `variable`: the place's own count); None where a table shows not all of them."""
    period, niva, enhet, conditions = place
    found = []
    for value in values:
        with_value = conditions if variable is None else (*conditions, (variable, value))
        atom = system.index.get(_key(COUNT, "", period, niva, enhet, tuple(sorted(with_value))))
        if atom is None:
            return None
        found.append(atom)
    return found or None


def _add_if_true(system: AtomSystem, margin: int, parts: list[int] | None) -> None:
    if parts and sum(system.values[p] for p in parts) == system.values[margin]:
        system.equations.append((margin, parts))


def _key(counted: str, outcome: str, period: Any, niva: str, enhet: str, conditions: Key) -> Key:
    """An atom's key, by what it counts: the nation's cell for one comparison group (a
    table with the size band as dimension) is that group's own cell, one atom."""
    if niva == NATION:
        for position, (dimension, value) in enumerate(conditions):
            if dimension in GROUP_LEVELS and value != MISSING:
                rest = conditions[:position] + conditions[position + 1 :]
                return (counted, outcome, period, dimension, value, rest)
    return (counted, outcome, period, niva, enhet, conditions)


Groupings = dict[tuple[str, str], dict[str, list[str]]]  # (fine, coarse) -> coarse -> fines


def groupings(study: StudyInput) -> Groupings:
    """Dimensions that group another (age groups of ages): the coarse dimension's cell is
    the sum of the fine dimension's cells it holds, which anyone who knows the codebook can
    add up. Found from the records, where the coarse value is a function of the fine one,
    for pairs of tables whose dimensions differ by the two alone."""
    return study.memo("groupings", lambda: _groupings(study))  # type: ignore[no-any-return]


def _groupings(study: StudyInput) -> Groupings:
    single = [d for d in study.frame.columns if d not in study.multi_valued]
    pairs = set()
    for first in study.tables:
        for second in study.tables:
            a, b = set(first.dimensions), set(second.dimensions)
            if len(a - b) == 1 and len(b - a) == 1:
                pairs.add((next(iter(a - b)), next(iter(b - a))))
    found: Groupings = {}
    for fine, coarse in sorted(pairs):
        if fine not in single or coarse not in single:
            continue
        values = study.frame.select(pl.col(fine, coarse).cast(pl.String).fill_null(MISSING))
        mapping = values.unique().group_by(coarse).agg(pl.col(fine))
        fines = values[fine].n_unique()
        # a function of the fine value (each once), and coarser than it
        if 0 < mapping.height < fines == sum(map(len, mapping[fine])):
            found[(fine, coarse)] = dict(mapping.iter_rows())
    return found


def _grouping_equations(system: AtomSystem, found: Groupings) -> None:
    for (fine, coarse), members in found.items():
        for key in list(system.index):
            counted_set, outcome, period, niva, enhet, conditions = key
            values = dict(conditions)
            if coarse not in values or fine in values:
                continue
            others = tuple(c for c in conditions if c[0] != coarse)
            parts = [
                (counted_set, outcome, period, niva, enhet,
                 tuple(sorted((*others, (fine, value)))))
                for value in members.get(values[coarse], [])
            ]  # fmt: skip
            if parts and all(part in system.index for part in parts):
                system.equation(key, parts)


def _dimension_equations(
    system: AtomSystem, multi_valued: frozenset[str], categories: Mapping[str, Sequence[str]]
) -> None:
    """The categories of a single-valued dimension add up to the margin without it. Where
    only some categories are published (a table with `where: {tillfalle: avslut}` beside one
    of every occasion), the margin less them is the count of the others: a *rest* atom,
    published by subtraction though no table shows it, so that it is protected like the
    counts that are shown (all the records less the closings must not leave two)."""
    groups: dict[Key, list[Key]] = defaultdict(list)
    for key in system.index:
        counted_set, outcome, period, niva, enhet, conditions = key
        for position, (dimension, _) in enumerate(conditions):
            if dimension in multi_valued or (niva == NATION and dimension in GROUP_LEVELS):
                continue  # the nation's groups are the groups' own cells (_key, _partition)
            margin = conditions[:position] + conditions[position + 1 :]
            groups[(counted_set, outcome, period, niva, enhet, margin, dimension)].append(key)
    for (counted_set, outcome, period, niva, enhet, margin, dimension), parts in groups.items():
        whole = (counted_set, outcome, period, niva, enhet, margin)
        values = {value for part in parts for name, value in part[5] if name == dimension}
        if values != {*categories.get(dimension, ()), MISSING} and whole in system.index:
            shown = sum(system.values[system.index[part]] for part in parts)
            others = (dimension, ("övriga", *sorted(values)))  # the categories not shown
            rest = (*whole[:5], tuple(sorted((*margin, others), key=lambda c: c[0])))
            atom = system.atom(rest, system.values[system.index[whole]] - shown)
            system.rests[atom] = rest
            parts = [*parts, rest]
        system.equation(whole, parts)


def _covering_levels(study: StudyInput) -> frozenset[str]:
    """The groupings every unit belongs to (every Swedish municipality has a county, a
    group and a size band): whose nation's cell for units outside them is nought, which any
    reader with the public list of units knows."""
    units = unit_levels(study)
    return frozenset(level for level in GROUP_LEVELS
                     if not units[f"_{level}"].fill_null("").eq("").any())  # fmt: skip


def _partition_equations(system: AtomSystem, covering: frozenset[str] = frozenset()) -> None:
    """Counties, municipality groups and size bands each add up to the nation (where they
    cover every unit: a unit without a group leaves that grouping's sum short, by the
    nation's cell for units outside them where a table shows it and some unit is outside;
    where none is, that cell is nought and known to be)."""
    levels: dict[Key, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
    for key in system.index:
        counted_set, outcome, period, niva, _, conditions = key
        if niva != NATION:
            levels[(counted_set, outcome, period, conditions)][niva].append(key)
    for (counted_set, outcome, period, conditions), by_level in levels.items():
        # by size band too: the nation's cells of one band are the band's own (_key)
        nation = _key(counted_set, outcome, period, NATION, NATION, conditions)
        if nation not in system.index:
            continue
        total = system.values[system.index[nation]]
        for level, parts in by_level.items():
            # the nation's cell for units without such a group, where a table shows it
            outside = _key(counted_set, outcome, period, NATION, NATION,
                           tuple(sorted((*conditions, (level, MISSING)))))  # fmt: skip
            if outside in system.index and level not in covering:
                parts = [*parts, outside]
            if sum(system.values[system.index[p]] for p in parts) == total:
                system.equation(nation, parts)
