"""A municipal user's attack on disclosure control, written apart from the engine: every
count they can fetch (the national tables and their unit's view), what they know of their
own unit (every count, from their own rows), the sums anyone who knows the codebook knows to
hold, and integer programming (scipy's `milp`) to bound each hidden count.

Counts are keyed by meaning, (set, outcome, period, area, conditions), so that the same count
shown by two tables is one unknown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from scipy import linalg
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, lil_matrix
from scipy.sparse.csgraph import connected_components

from nuso.core.analysis.indicators.engine import Results

MISSING = "uppgift_saknas"
GROUPS = ("kommungrupp", "storleksgrupp", "lan")
Key = tuple[Any, ...]


@dataclass
class Knowledge:
    counts: dict[Key, tuple[int, bool]]  # key -> (true value, known to the reader)
    equations: list[tuple[Key, list[Key]]]  # margin = sum(parts)
    own_levels: set[tuple[str, str]]  # the areas that hold the reader's unit
    unit: str

    def others(self, key: Key) -> int:
        """The part of a count that is about other units than the reader's."""
        value = self.counts[key][0]
        if key[3] == ("kommun", self.unit):
            return 0
        if key[3] in self.own_levels:
            value -= self.counts.get((*key[:3], ("kommun", self.unit), key[4]), (0, True))[0]
        return value


def what_a_unit_sees(
    protected: Results, plain: Results, unit: str, groupings: dict[str, tuple[str, Any]]
) -> Knowledge:
    counts: dict[Key, tuple[int, bool]] = {}
    national, view = protected.national(), protected.for_unit(unit)
    for name, definition in protected.definitions.items():
        if definition.kind == "logistic":
            continue
        rows = pl.concat([national[name], view[name]], how="diagonal_relaxed").unique()
        counts |= _counts(rows, definition, plain.tables[name])
    for key, (value, _) in list(counts.items()):
        if key[3] == ("kommun", unit):  # their own rows
            counts[key] = (value, True)
    for key, (value, _) in list(counts.items()):
        area = key[3]
        whole = (*key[:3], area[1:3], key[4])
        if area[0] == "rest" and area[3] == unit and counts.get(whole, (0, False))[1]:
            # the rest of their group whose whole is published: theirs by subtraction (the
            # view hides it only where their own count is hidden, from others they show it)
            counts[key] = (value, True)
    frame = protected.source.frame.filter(pl.col("enhet") == unit).row(0, named=True)
    levels = {(level, frame[level]) for level in GROUPS} | {("riket", "riket")}
    single = {d for t in protected.definitions.values() for d in t.dimensions}
    single -= protected.source.multi_valued
    outcomes = {o.key: o for t in protected.definitions.values() for o in t.outcomes}
    equations = _equations(counts, single, groupings)
    equations += _outcome_cells(counts, outcomes, single, protected.source.categories)
    _one_count(counts, equations)
    return Knowledge(counts, equations, levels, unit)


def _outcome_cells(
    counts: dict[Key, tuple[int, bool]], outcomes: dict[str, Any], single: set[str],
    categories: Any,
) -> list[tuple[Key, list[Key]]]:  # fmt: skip
    """A share's counts in the outcome variable's distribution: those with the outcome are
    the cells of its values, those without it the cells of the others, and all the records
    are those with it known and the cell without a value."""
    found = []
    for kind, outcome_key, period, area, conditions in counts:
        outcome = outcomes.get(outcome_key)
        if kind != "kand" or outcome is None or outcome.variable in dict(conditions):
            continue
        variable = outcome.variable
        cell = ("antal", "", period, area, conditions)  # all the records there
        place = (outcome_key, period, area, conditions)
        if variable in single or len(outcome.values) == 1:
            found.append((("ja", *place), [_with(cell, variable, v) for v in outcome.values]))
        if variable in single:
            others = [v for v in categories.get(variable, ()) if v not in outcome.values]
            found.append((("nej", *place), [_with(cell, variable, v) for v in others]))
            found.append((cell, [("kand", *place), _with(cell, variable, MISSING)]))
    usable = [(m, parts) for m, parts in found if m in counts and all(p in counts for p in parts)]
    for margin, parts in usable:
        if counts[margin][0] != sum(counts[p][0] for p in parts):
            raise ValueError(f"the attack's sum does not hold: {margin} = {parts}")
    return usable


def _with(key: Key, variable: str, value: str) -> Key:
    """The count `key` of the records with the variable's value too."""
    return (*key[:4], tuple(sorted((*key[4], (variable, value)))))


def _one_count(counts: dict[Key, tuple[int, bool]], equations: list[tuple[Key, list[Key]]]) -> None:
    """A count that is the only part of a sum is the same count under two names (a share's
    records with the outcome and its distribution's cell): known if either is shown."""
    for margin, parts in equations:
        if len(parts) == 1:
            (part,) = parts
            known = counts[margin][1] or counts[part][1]
            counts[margin] = (counts[margin][0], known)
            counts[part] = (counts[part][0], known)


def _counts(
    rows: pl.DataFrame, definition: Any, truth: pl.DataFrame
) -> dict[Key, tuple[int, bool]]:
    dimensions = list(definition.dimensions)
    keys = ["niva", "enhet", "period", *definition.dimension_columns, "jamforelse"]
    true = truth.select(*keys, pl.col("antal").alias("t_antal"), pl.col("total").alias("t_total"))
    joined = rows.join(true, on=keys, how="left", nulls_equal=True)
    outcomes = {o.name: o.key for o in definition.outcomes}
    found: dict[Key, tuple[int, bool]] = {}
    for row in joined.iter_rows(named=True):
        if any(row[d] == "samtliga" for d in dimensions):  # a test of the whole distribution
            continue
        if row["jamforelse"] is not None and row["niva"] in ("kommungrupp", "storleksgrupp"):
            area: tuple[str, ...] = ("rest", row["niva"], row["enhet"], row["jamforelse"])
        else:
            area = (row["niva"], row["enhet"])
        conditions = tuple(sorted((d, str(row[d])) for d in dimensions))
        count, total = row["t_antal"], row["t_total"]
        count_shown, total_shown = row["antal"] is not None, row["total"] is not None
        if definition.kind == "distribution":
            found[("antal", "", row["period"], area, conditions)] = (count, count_shown)
            kept = tuple(c for c in conditions if c[0] == definition.within)
            found[("antal", "", row["period"], area, kept)] = (total, total_shown)
        else:
            step = row.get("steg")
            outcome = outcomes[step] if step else next(iter(outcomes.values()))
            place = (outcome, row["period"], area, conditions)
            found[("ja", *place)] = (count, count_shown)
            found[("kand", *place)] = (total, total_shown)
            found[("nej", *place)] = (total - count, count_shown and total_shown)
    return found


def _equations(
    counts: dict[Key, tuple[int, bool]], single: set[str], groupings: dict[str, tuple[str, Any]]
) -> list[tuple[Key, list[Key]]]:
    """Known with the outcome = with + without; the categories of a single-valued
    dimension add up to the margin; a grouping's cell is the sum of what it groups; the
    nation's cell for a group is the group's; units and rests add up to their levels; the
    counties, groups and size bands each add up to the nation."""
    found: list[tuple[Key, list[Key]]] = []
    margins: dict[Key, list[Key]] = defaultdict(list)
    levels: dict[Key, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
    for key in counts:
        kind, outcome, period, area, conditions = key
        if kind == "kand":
            found.append((key, [("ja", *key[1:]), ("nej", *key[1:])]))
        for i, (dimension, _) in enumerate(conditions):
            if dimension in single:
                margin = (kind, outcome, period, area, conditions[:i] + conditions[i + 1 :])
                margins[(margin, dimension)].append(key)
        values = dict(conditions)
        for coarse, (fine, members) in groupings.items():
            if coarse in values and fine not in values:
                others = tuple(c for c in conditions if c[0] != coarse)
                found.append((key, [(kind, outcome, period, area,
                                     tuple(sorted((*others, (fine, m)))))
                                    for m in members[values[coarse]]]))  # fmt: skip
        if area == ("riket", "riket"):
            for dimension, value in conditions:
                if dimension in GROUPS and value != MISSING:
                    others = tuple(c for c in conditions if c[0] != dimension)
                    found.append((key, [(kind, outcome, period, (dimension, value), others)]))
        if area[0] == "rest":
            whole = (kind, outcome, period, area[1:3], conditions)
            found.append((whole, [(kind, outcome, period, ("kommun", area[3]), conditions), key]))
        if len(area) == 2 and area[0] in GROUPS:
            levels[(kind, outcome, period, conditions)][area[0]].append(key)
    found += [(margin, parts) for (margin, _), parts in margins.items()]
    for (kind, outcome, period, conditions), by_level in levels.items():
        nation = (kind, outcome, period, ("riket", "riket"), conditions)
        found += [(nation, parts) for parts in by_level.values()]
    usable = [(m, parts) for m, parts in found if m in counts and all(p in counts for p in parts)]
    for margin, parts in usable:  # the attacker's sums must hold, or the attack proves nothing
        if counts[margin][0] != sum(counts[p][0] for p in parts):
            raise ValueError(f"the attack's sum does not hold: {margin} = {parts}")
    return usable


def bounds(knowledge: Knowledge, keys: Iterable[Key]) -> Iterable[tuple[Key, tuple[int, int]]]:
    """The smallest and largest value each hidden count can have, given everything the
    reader knows: integer counts, never negative. Yields as it goes."""
    counts = knowledge.counts
    unknown = [key for key, (_, known) in counts.items() if not known]
    column = {key: i for i, key in enumerate(unknown)}
    matrix = lil_matrix((len(knowledge.equations), len(unknown)))
    rhs = np.zeros(len(knowledge.equations))
    used = 0
    for margin, parts in knowledge.equations:
        touched = False
        for key, sign in ((margin, -1.0), *((p, 1.0) for p in parts)):
            if key in column:
                matrix[used, column[key]] += sign
                touched = True
            else:
                rhs[used] -= sign * counts[key][0]
        used += touched
    system = csr_matrix(matrix[:used])
    # unknowns tied by any chain of equations are bounded together, apart from the rest
    ties = abs(system).T @ abs(system)
    _, component = connected_components(ties, directed=False)
    for key in keys:
        members = np.flatnonzero(component == component[column[key]])
        yield key, _interval(system, rhs[:used], column[key], members)


def _interval(
    system: csr_matrix, rhs: np.ndarray, target: int, members: np.ndarray
) -> tuple[int, int]:
    rows = np.unique(system[:, members].nonzero()[0])
    sub = system[rows][:, members]
    constraints = [LinearConstraint(sub, rhs[rows], rhs[rows])] if len(rows) else []
    objective = np.zeros(len(members))
    objective[np.searchsorted(members, target)] = 1
    found = []
    for sign in (1, -1):
        result = milp(sign * objective, constraints=constraints,
                      integrality=np.ones(len(members)), bounds=Bounds(0, 10**7))  # fmt: skip
        found.append(round(sign * result.fun))
    return found[0], found[1]


def determined(knowledge: Knowledge) -> list[Key]:
    """Hidden counts that the sums alone fix (without using that counts are never
    negative)."""
    return fixed_by_sums(knowledge.counts, knowledge.equations)


def fixed_by_sums(
    counts: dict[Key, tuple[int, bool]], equations: list[tuple[Key, list[Key]]]
) -> list[Key]:
    """The unknown counts (`counts`: key -> (value, known)) that the equations (margin =
    sum of parts) determine exactly: those whose coordinate is zero in every solution of the
    homogeneous system (its null space). With no equation on them, none is."""
    unknown = [key for key, (_, known) in counts.items() if not known]
    column = {key: i for i, key in enumerate(unknown)}
    rows = []
    for margin, parts in equations:
        row = np.zeros(len(unknown))
        for key, sign in ((margin, -1.0), *((p, 1.0) for p in parts)):
            if key in column:
                row[column[key]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return []
    null = null_space(np.array(rows))
    return [key for key, i in column.items() if np.allclose(null[i], 0, atol=1e-9)]


def null_space(matrix: np.ndarray) -> np.ndarray:
    """The matrix's null space by SVD: LAPACK's divide and conquer (gesdd) now and then does
    not converge on these 0/±1 matrices (once in a CI run, on PostgreSQL's order of the
    same sums); the slower QR-iteration driver (gesvd) does."""
    try:
        return linalg.null_space(matrix)
    except np.linalg.LinAlgError:
        return linalg.null_space(matrix, lapack_driver="gesvd")
