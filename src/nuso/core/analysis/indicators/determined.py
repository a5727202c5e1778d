"""Which hidden counts the published sums fix exactly, by linear algebra over all the sums
at once.

Interval propagation (`bounds`) tightens one sum at a time, and misses what only a
combination of several sums gives away: in the national referral tables, 72 hidden counts
(two of them 1–4) followed exactly from the sums that way while every one of them still
looked free to propagation. A hidden count is fixed by the sums exactly when every solution
of the sums with the published counts taken away (the null space of the matrix of hidden
atoms) leaves it unchanged.

The matrix is split into its connected components (hidden atoms tied by a chain of sums),
and each is factorised on its own by a column-pivoted QR (LAPACK): with rank k, the null
space is spanned by the columns of [-R11⁻¹R12; I] in pivot order, so a count is fixed when
it is a pivot column whose row of R11⁻¹R12 is zero. A component that does not change
between rounds of suppression is not factorised again.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import linalg
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

EquationList = Sequence[tuple[int, list[int]]]  # margin = sum(parts), by atom position
TOLERANCE = 1e-9  # the sums' coefficients are 0 and ±1: far from any rounding


class ExactAudit:
    """Finds the hidden atoms the sums fix; remembers components already factorised."""

    def __init__(self, equations: EquationList) -> None:
        self.equations = equations
        self._known: dict[tuple[int, ...], list[int]] = {}  # component's atoms -> fixed ones

    def fixed(self, hidden: Sequence[bool]) -> list[int]:
        """The hidden atoms whose value the sums and the published atoms determine."""
        columns = [atom for atom, is_hidden in enumerate(hidden) if is_hidden]
        matrix = self._matrix(hidden, columns)
        if matrix.shape[0] == 0:
            return []
        count, component = connected_components(abs(matrix).T @ abs(matrix), directed=False)
        order = np.argsort(component, kind="stable")
        starts = np.searchsorted(component[order], np.arange(count + 1))
        found: list[int] = []
        for number in range(count):
            members = order[starts[number] : starts[number + 1]]
            atoms = tuple(columns[i] for i in members)
            if atoms not in self._known:
                self._known[atoms] = [atoms[i] for i in _fixed_columns(matrix[:, members])]
            found += self._known[atoms]
        return sorted(found)

    def _matrix(self, hidden: Sequence[bool], columns: list[int]) -> csr_matrix:
        """One row per sum with a hidden atom, one column per hidden atom: the published
        atoms are known numbers and drop out."""
        position = {atom: i for i, atom in enumerate(columns)}
        rows, cols, signs = [], [], []
        used = 0
        for margin, parts in self.equations:
            entries: dict[int, int] = {}
            for atom, sign in ((margin, -1), *((part, 1) for part in parts)):
                if hidden[atom]:
                    entries[position[atom]] = entries.get(position[atom], 0) + sign
            entries = {column: sign for column, sign in entries.items() if sign}
            if entries:
                rows += [used] * len(entries)
                cols += list(entries)
                signs += list(entries.values())
                used += 1
        shape = (used, len(columns))
        return csr_matrix(coo_matrix((signs, (rows, cols)), shape=shape, dtype=float))


def _fixed_columns(block: csr_matrix) -> list[int]:
    """The columns of one component that every null-space vector leaves at zero."""
    rows = np.unique(block.nonzero()[0])
    dense = block[rows].toarray()
    r, pivots = linalg.qr(dense, mode="r", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int((diagonal > TOLERANCE * max(float(diagonal.max(initial=0)), 1.0)).sum())
    if rank == dense.shape[1]:  # no free direction: every count is fixed
        return list(range(dense.shape[1]))
    if rank == 0:
        return []
    free = linalg.solve_triangular(r[:rank, :rank], r[:rank, rank:])
    zero_rows = np.flatnonzero(np.abs(free).max(axis=1) < TOLERANCE)
    return sorted(int(pivots[i]) for i in zero_rows)
