"""A study's current records decided again under a new codebook version (`nuso codebook`,
`nuso study update`): what a review decision does for the records holding one raw value
(nuso.intake.decisions), done for every value decided from a raw text. Each distinct raw value
of a block is decided once, as an import would decide it now; the variables derived from the
codebook follow, every record carries the new version, and each batch's list of values
waiting for review (which the review queue is built from) is made anew."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace

import polars as pl
from django.db.models import QuerySet

from nuso.core.harmonise.dictionary import DerivedVariable, StudyDictionary, StudyVariable
from nuso.core.intake import blocks
from nuso.core.intake.outcomes import Outcome
from nuso.core.intake.records import RowInterpreter
from nuso.core.intake.reharmonise import outcome_of, with_outcomes
from nuso.core.intake.report import ImportReport
from nuso.intake.decisions import Interpreters
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.intake.record_frames import current_blocks
from nuso.intake.review import refresh_review_queue
from nuso.studies.models import CodebookVersion, Study

Waiting = dict[str, Counter[str]]  # study variable -> raw value -> records waiting with it


@dataclass(frozen=True)
class Reharmonised:
    records: int = 0
    changed: int = 0  # records with a value or a way of deciding it other than before
    pending: int = 0  # records waiting for review afterwards

    def __add__(self, other: Reharmonised) -> Reharmonised:
        return Reharmonised(
            self.records + other.records,
            self.changed + other.changed,
            self.pending + other.pending,
        )


def reharmonise_studies(studies: Iterable[Study], version: CodebookVersion) -> Reharmonised:
    """These studies' records decided again under `version`, and their review queues rebuilt
    (a value decided now leaves the queue, one that waits again joins it)."""
    done = Reharmonised()
    for study in studies:
        done += reharmonise_study(study, version)
        refresh_review_queue(study)
    return done


def reharmonise_study(study: Study, version: CodebookVersion) -> Reharmonised:
    """Every current record of the study decided again under `version`; the blocks are
    rewritten, within the caller's transaction."""
    return reharmonise_blocks(current_blocks(study), study, version)


def reharmonise_blocks(
    found: QuerySet[RecordBlock], study: Study, version: CodebookVersion
) -> Reharmonised:
    """These blocks' records decided again under `version`, within the caller's transaction:
    a study's current ones, or a delivery's brought back into use."""
    interpreters = Interpreters(study, version)
    waiting: dict[int, Waiting] = {}
    done = Reharmonised()
    found = (
        found.select_related("batch__unit")
        .defer("batch__report")  # the reports are rewritten below
        .select_for_update(of=("self",))
    )
    for block in found.order_by("pk").iterator(chunk_size=20):
        unit = block.batch.unit.code if block.batch.unit else ""
        interpreter = interpreters.for_unit(unit, block.batch.period)
        before = blocks.decode(bytes(block.data))
        after, block_waiting = decided_anew(before, interpreter)
        of_batch = waiting.setdefault(block.batch_id, {})
        for variable, counts in block_waiting.items():
            of_batch.setdefault(variable, Counter()).update(counts)
        block.data, block.pending = blocks.encode(after), int(after[blocks.PENDING].sum())
        block.save(update_fields=["data", "pending"])
        done += Reharmonised(after.height, changed(before, after), block.pending)
    write_waiting(waiting)
    return done


def write_waiting(waiting: dict[int, Waiting]) -> None:
    """Each batch's values waiting for review, in its report: what the review queue reads."""
    for batch in ImportBatch.objects.filter(pk__in=waiting):
        pending = {v: dict(c) for v, c in waiting[batch.pk].items() if c}
        batch.report = replace(ImportReport.from_json(batch.report), pending=pending).to_json()
        batch.save(update_fields=["report"])


def decided_anew(frame: pl.DataFrame, interpreter: RowInterpreter) -> tuple[pl.DataFrame, Waiting]:
    """A block with every codebook variable decided again, the variables derived from the
    codebook anew, the records' review flags and codebook version; and the raw values that
    wait for review, with how many records hold each."""
    dictionary = interpreter.dictionary
    waiting: Waiting = {}
    pending = pl.Series(blocks.PENDING, [False] * frame.height, pl.Boolean)
    for variable in (v for v in dictionary.variables if v.codebook):
        frame, counts, rows = redecided(frame, variable, interpreter)
        waiting[variable.name] = counts
        pending = pending | rows
    for derived in derived_from_elsewhere(dictionary):
        frame = rederived(frame, derived, interpreter)
    version = pl.Series(blocks.CODEBOOK, [interpreter.codebook.version] * frame.height, pl.Int32)
    return frame.with_columns(pending.alias(blocks.PENDING), version), waiting


def redecided(
    frame: pl.DataFrame, variable: StudyVariable, interpreter: RowInterpreter
) -> tuple[pl.DataFrame, Counter[str], pl.Series]:
    """`variable` decided again wherever it was decided from a raw text (not where it came
    from an identity number); the raw values that wait for review with their record counts,
    and which records wait for this variable."""
    none = pl.Series([False] * frame.height)
    if blocks.METHOD + variable.name not in frame.columns:
        return frame, Counter(), none  # stored before the variable joined the study
    sources = frame[blocks.SOURCE + variable.name]
    decided = (frame[blocks.METHOD + variable.name].is_not_null() & (sources != "")).fill_null(
        False
    )
    keyed = interpreter.stored_keys(frame, variable)
    if keyed is not None:
        return redecided_in_force(frame, variable, interpreter, decided, keyed)
    outcomes = {raw: outcome_of(raw, variable, interpreter) for raw in set(sources.filter(decided))}
    frame, _ = with_outcomes(frame, variable, decided, outcomes, interpreter)
    return (
        frame,
        waiting_values(sources.filter(decided), outcomes),
        waiting_rows(decided, sources, outcomes),
    )


def redecided_in_force(
    frame: pl.DataFrame,
    variable: StudyVariable,
    interpreter: RowInterpreter,
    decided: pl.Series,
    keyed: list[tuple[str, frozenset[str] | None] | None],
) -> tuple[pl.DataFrame, Counter[str], pl.Series]:
    """`redecided` for a variable whose codes have validity dates: each record's raw text
    with the list in force at its date decides."""
    chosen = [key for key, hit in zip(keyed, decided.to_list(), strict=True) if hit and key]
    outcomes: dict[Hashable, Outcome] = {
        key: outcome_of(key, variable, interpreter) for key in set(chosen)
    }
    frame, _ = with_outcomes(frame, variable, decided, outcomes, interpreter, keyed)
    counts: Counter[str] = Counter()
    for key, n in Counter(chosen).items():
        for value in outcomes[key].pending:
            counts[value] += n
    rows = [bool(key and hit and outcomes[key].pending) for key, hit in zip(
        keyed, decided.to_list(), strict=True)]  # fmt: skip
    return frame, counts, pl.Series(rows, dtype=pl.Boolean)


def waiting_values(sources: pl.Series, outcomes: dict[str, Outcome]) -> Counter[str]:
    """The raw values waiting for review, counted by records as the import report counts
    them (each value of a multi-valued cell on its own)."""
    counts: Counter[str] = Counter()
    for raw, n in sources.value_counts().iter_rows():
        for value in outcomes[raw].pending:
            counts[value] += n
    return counts


def waiting_rows(decided: pl.Series, sources: pl.Series, outcomes: dict[str, Outcome]) -> pl.Series:
    waiting = [raw for raw, outcome in outcomes.items() if outcome.pending]
    return (decided & sources.is_in(waiting)).fill_null(False)


def derived_from_elsewhere(dictionary: StudyDictionary) -> list[DerivedVariable]:
    """The derived variables whose codes the codebook gives but whose source is not decided
    by it (age groups from ages): those deriving from a codebook variable follow it in
    `with_outcomes`."""
    decided = {v.name for v in dictionary.variables if v.codebook}
    return [d for d in dictionary.derived if d.codebook and d.source not in decided]


def rederived(
    frame: pl.DataFrame, derived: DerivedVariable, interpreter: RowInterpreter
) -> pl.DataFrame:
    column = blocks.VALUE + derived.source
    if column not in frame.columns:
        return frame
    sources = frame[column]
    made = {v: interpreter.derived_value(derived, v) for v in set(sources.drop_nulls())}
    codes = {v: outcome.value for v, outcome in made.items() if outcome is not None}
    values = [None if v is None else codes.get(v) for v in sources.to_list()]
    return frame.with_columns(pl.Series(blocks.VALUE + derived.name, values, pl.String))


def changed(before: pl.DataFrame, after: pl.DataFrame) -> int:
    """How many records have another value or another way of deciding one."""
    columns = [c for c in before.columns if c.startswith((blocks.VALUE, blocks.METHOD))]
    return int((before.select(columns).hash_rows() != after.select(columns).hash_rows()).sum())
