"""A stored block decided again after a review decision: the records whose raw value holds the
decided key get the variable's new outcome, with the variables derived from it, their pending
flag and the codebook version, as the import would have made them under the new codebook.
Pure functions over a block's frame; the service (nuso.intake.decisions) finds the blocks and
stores them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import partial

import polars as pl

from nuso.core.harmonise.cascade import Harmoniser
from nuso.core.harmonise.dictionary import StudyDictionary, StudyVariable
from nuso.core.harmonise.normalise import normalise
from nuso.core.intake import blocks
from nuso.core.intake.outcomes import Outcome, OutcomeColumn
from nuso.core.intake.records import RowInterpreter


def raw_keys(raw: str, variable: StudyVariable, harmoniser: Harmoniser) -> set[str]:
    """The keys of the values a stored raw text holds, split as the import splits them."""
    if variable.type != "categories":
        return {normalise(raw)}
    matcher = harmoniser.matchers[str(variable.codebook)]
    return {normalise(value) for cell in raw.split("|") for value in matcher.split(cell)}


def decided_again(
    frame: pl.DataFrame, variable: StudyVariable, key: str, interpreter: RowInterpreter
) -> tuple[pl.DataFrame, int]:
    """A block with `variable` decided again in the records whose raw value holds the key
    (with the variables derived from it, their pending flag and codebook version), and how
    many records that was. Each distinct raw value is decided once."""
    if blocks.METHOD + variable.name not in frame.columns:
        return frame, 0  # stored before the variable joined the study: nothing decided
    decided = frame[blocks.METHOD + variable.name].is_not_null()
    keyed = interpreter.stored_keys(frame, variable)
    candidates: set[Hashable] = (
        set(frame[blocks.SOURCE + variable.name].filter(decided).to_list())
        if keyed is None
        else {k for k, d in zip(keyed, decided.to_list(), strict=True) if d}
    )
    outcomes = {
        raw: outcome_of(raw, variable, interpreter)
        for raw in candidates - {None}
        if key in raw_keys(raw_text(raw), variable, interpreter.harmoniser)
    }
    return with_outcomes(frame, variable, decided, outcomes, interpreter, keyed)


def raw_text(key: Hashable) -> str:
    """A decision's key: a raw text, or one with the list of codes it is read against."""
    return str(key[0] if isinstance(key, tuple) else key)


def with_outcomes(
    frame: pl.DataFrame,
    variable: StudyVariable,
    decided: pl.Series,
    outcomes: dict[Hashable, Outcome],
    interpreter: RowInterpreter,
    keyed: Sequence[Hashable] | None = None,
) -> tuple[pl.DataFrame, int]:
    """A block with `variable` set to its new outcome (by raw value, or by raw value and
    list in force: `keyed`, RowInterpreter.stored_keys) in the records decided before whose
    key has one, as `decided_again` says; and how many records."""
    if not outcomes:
        return frame, 0
    if keyed is None:
        sources = frame[blocks.SOURCE + variable.name]
        rows = decided & sources.is_in(list(outcomes))
        keyed = sources.to_list()
    else:
        rows = decided & pl.Series([key in outcomes for key in keyed], dtype=pl.Boolean)
    keys = [key if hit else None for key, hit in zip(keyed, rows.to_list(), strict=True)]
    column = OutcomeColumn.of(keys, outcomes.__getitem__)
    version = pl.Series(blocks.CODEBOOK, [interpreter.codebook.version] * frame.height, pl.Int32)
    changes = [
        *new_columns(column, variable, interpreter),
        pending_flags(frame, column, variable.name, interpreter.dictionary),
        version,
    ]
    updated = frame.with_columns(
        pl.when(rows).then(new).otherwise(pl.col(new.name)).alias(new.name) for new in changes
    )
    return updated, int(rows.sum())


def new_columns(
    column: OutcomeColumn, variable: StudyVariable, interpreter: RowInterpreter
) -> list[pl.Series]:
    """The variable's block columns from its new outcomes, and those derived from it."""
    types = blocks.value_types(interpreter.dictionary)
    series = column.series(variable.name, types[variable.name], decided=True)
    for derived in interpreter.dictionary.derived:
        if derived.source == variable.name:
            made = column.derived(partial(interpreter.derived_outcome, derived))
            series += made.series(derived.name, types[derived.name], decided=False)
    return series


def pending_flags(
    frame: pl.DataFrame, column: OutcomeColumn, name: str, dictionary: StudyDictionary
) -> pl.Series:
    """Whether each record still waits for review: for this variable's new outcome, or for
    another variable's pending decision."""
    others = [  # "pending" alone, or beside the methods of a cell's decided values
        pl.col(blocks.METHOD + v.name).str.contains("pending", literal=True)
        for v in dictionary.variables
        if v.name != name
    ]
    own = column.waiting()
    if own is None:
        own = pl.Series([False] * frame.height)
    if not others:
        return own.alias(blocks.PENDING)
    other = frame.select(pl.any_horizontal(others).fill_null(False)).to_series()
    return (own | other).alias(blocks.PENDING)


def outcome_of(key: Hashable, variable: StudyVariable, interpreter: RowInterpreter) -> Outcome:
    """The outcome of a stored raw text, or of one with the list it is read against."""
    raw, in_force = key if isinstance(key, tuple) else (key, None)
    if variable.type == "categories":
        cells = tuple(str(raw).split("|"))
        return interpreter.reasons(variable.name, str(variable.codebook), cells, in_force)
    return interpreter.category(variable.name, str(raw), in_force)
