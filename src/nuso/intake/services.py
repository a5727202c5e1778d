"""Importing delivered files: one transaction per file, every row kept, a report stored.

`import_paths` takes files and folders, imports each file on its own (one bad file never stops
the others) and returns what happened to each. A file already imported adds nothing; a new file
for a unit, study and period that already has one replaces it (the earlier batch stays, marked
replaced). Identity numbers are pseudonymised before anything is written: in the files' names
and content (nuso.core.intake.boundary), and in what the user gives (unit, period, study).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from nuso.audit.services import Actor, log
from nuso.core.errors import Problem
from nuso.core.harmonise.dictionary import dictionary_from_stored
from nuso.core.intake.boundary import Masker
from nuso.core.intake.delivery import (
    ImportPlan,
    ImportRefusedError,
    Interpreted,
    Refused,
    UnitPart,
)
from nuso.core.intake.import_workers import (
    Delivery,
    files_in,
    interpreted_in_order,
    workers_worth_starting,
)
from nuso.core.intake.reading import ReadOptions
from nuso.core.intake.report import FileStatus, ImportReport, merge_reports, refusal_text
from nuso.core.intake.unit_names import UnitIndex, UnitRef
from nuso.intake.columns import column_choices, remember_choices
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.intake.review import refresh_review_queue
from nuso.studies.codebooks import codebook_of, latest_version, learned_in_force, model_folder
from nuso.studies.models import CodebookVersion, Study
from nuso.units.models import Unit

__all__ = ["FileOutcome", "FileStatus", "ImportRefusedError", "import_paths"]


@dataclass
class FileOutcome:
    file: str
    status: FileStatus
    message: str = ""  # what the user reads beside the file's name
    unit: str = ""
    batch_id: int | None = None
    replaced_batch_id: int | None = None
    report: ImportReport | None = None  # of a file read, its units' rows added up
    problems: tuple[Problem, ...] = ()  # why a failed file was refused

    @property
    def failed(self) -> bool:
        return self.status == FileStatus.FAILED

    @property
    def held(self) -> bool:
        return self.status == FileStatus.HELD


@dataclass(frozen=True)
class Earlier:
    """A batch that already holds a file's content."""

    pk: int
    started_at: dt.datetime


@dataclass(frozen=True)
class ImportContext:
    study: Study
    version: CodebookVersion
    plan: ImportPlan
    actor: Actor
    # The study's stored files by content hash: those imported before the run, looked up
    # once, and those this run stores (the same content twice in a run is stored once).
    imported: dict[str, Earlier] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    # A delivery giving far fewer rows than the one it replaces goes through only when the
    # user confirmed it (`--ersatt`, the portal's box): see `held_back`.
    confirmed_replace: bool = False
    # When the run started, and the batches it stored: a batch stored since by another run
    # ran beside this one.
    started: dt.datetime = field(default_factory=timezone.now)
    stored: set[int] = field(default_factory=set)
    masker: Masker = field(default_factory=lambda: Masker(settings.NUSO_PSEUDONYM_KEY))

    def file_name(self, path: Path) -> str:
        """The file's name as stored, reported and shown: identity numbers masked."""
        return self.masker.file_name(path.name)

    def unit(self, code: str) -> Unit:
        if not self.units:  # one query for all, rather than one per file
            self.units.update((unit.code, unit) for unit in Unit.objects.all())
        return self.units[code]

    @property
    def period(self) -> str:
        return self.plan.period

    @property
    def dry_run(self) -> bool:
        return self.plan.dry_run


def period_middle(period: str) -> dt.date:
    """The middle of a period: '2023' → 1 July 2023; '2023-10-01--2024-03-31' → its midpoint."""
    if period.isdigit() and len(period) == 4:
        return dt.date(int(period), 7, 1)
    try:
        start, end = (dt.date.fromisoformat(part) for part in period.split("--"))
    except ValueError as error:
        message = (
            f"Perioden {period!r} går inte att läsa: ange ett år (2023) eller "
            "ÅÅÅÅ-MM-DD--ÅÅÅÅ-MM-DD."
        )
        raise ImportRefusedError([Problem("bad-period", message)]) from error
    return start + (end - start) / 2


def unit_index(country: str) -> UnitIndex:
    """The units a study of `country` may import: a Norwegian file's 1860 is Vestvågøy."""
    units = Unit.objects.select_related("parent").filter(active=True, country=country)
    return UnitIndex([UnitRef(u.code, u.name, u.parent.code if u.parent else "") for u in units])


def import_paths(
    paths: Iterable[Path],
    *,
    study_slug: str,
    period: str,
    actor: Actor,
    unit_hint: str | None = None,
    dry_run: bool = False,
    progress: Callable[[FileOutcome], None] | None = None,
    workers: int | None = None,
    columns: Mapping[str, str] | None = None,
    confirmed_replace: bool = False,
    very_hidden_sheets: bool = False,
    started: dt.datetime | None = None,
) -> list[FileOutcome]:
    """Import each file on its own, in order. `workers` processes interpret the files while
    this one stores them (default: the NUSO_IMPORT_WORKERS setting for a large import, none
    for a small one). `columns` maps headers by hand (nuso.intake.columns): files already
    imported are then read again with them, and the choices are remembered for the units.
    A delivery that would replace a unit's data with far fewer rows is held back unless
    `confirmed_replace` (see `held_back`). `very_hidden_sheets` reads the sheets Excel cannot
    show too, also of files already imported. `started` is when the user started the
    import (default: now); a delivery of the same unit that another run stored since then
    was stored while this one ran, and the user is told that this one replaced it."""
    reading = ReadOptions(settings.NUSO_IMPORT_LIMITS, very_hidden_sheets)
    context = import_context(study_slug, period, actor, unit_hint, dry_run, columns, reading)
    context = replace(
        context, confirmed_replace=confirmed_replace, started=started or context.started
    )
    read = [read_delivery(path, context) for path in files_in(paths)]
    if not columns and not very_hidden_sheets:  # a file read otherwise is no repetition
        context.imported.update(imported_before(context.study, read))
    checked = [already_imported(item, context) or item for item in read]
    deliveries = [item for item in checked if isinstance(item, Delivery)]
    if workers is None:
        workers = workers_worth_starting(deliveries, settings.NUSO_IMPORT_WORKERS)
    outcomes = []
    with closing(interpreted_in_order(deliveries, context.plan, workers)) as interpreted:
        for item in checked:
            outcome = (
                store_file(*next(interpreted), context) if isinstance(item, Delivery) else item
            )
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    if not dry_run:
        refresh_review_queue(context.study)
        if columns:
            imported = [o.report for o in outcomes if o.status == FileStatus.IMPORTED and o.report]
            remember_choices(context.study, columns, imported, actor)
    return outcomes


def import_context(
    study_slug: str,
    period: str,
    actor: Actor,
    unit_hint: str | None,
    dry_run: bool,
    columns: Mapping[str, str] | None = None,
    reading: ReadOptions | None = None,
) -> ImportContext:
    """What the run needs; what the user gave is masked before any message or batch holds it.
    The unit is found by the text as given (a pseudonym's hex could hold a unit's code): the
    problems that quote it are masked with the file's (nuso.core.intake.delivery)."""
    masker = Masker(settings.NUSO_PSEUDONYM_KEY)
    study_slug, period = masker.text(study_slug), masker.text(period)
    study = Study.objects.filter(slug=study_slug).first()
    if study is None:
        known = ", ".join(Study.objects.values_list("slug", flat=True))
        message = f"Okänd delstudie {study_slug!r}; kända: {known}."
        raise ImportRefusedError([Problem("unknown-study", message)])
    version = latest_version()
    dictionary = dictionary_from_stored(study.dictionary)
    plan = ImportPlan(
        study=study.slug,
        period=period,
        period_middle=period_middle(period),
        codebook_version=version.number,
        dictionary=dictionary,
        codebook=codebook_of(version),
        learned=learned_in_force(),
        units=unit_index(dictionary.country),
        unit_hint=unit_hint,
        pseudonym_key=settings.NUSO_PSEUDONYM_KEY,
        dry_run=dry_run,
        model_folder=model_folder(),
        columns=column_choices(study, columns or {}),
        reading=reading or ReadOptions(settings.NUSO_IMPORT_LIMITS),
    )
    return ImportContext(study, version, plan, actor, masker=masker)


def read_delivery(path: Path, context: ImportContext) -> FileOutcome | Delivery:
    """The file's content and hash, or why there is none."""
    if not path.is_file():
        missing = Problem("missing-file", "Filen finns inte.", file=context.file_name(path))
        return failed(path, "", (missing,), context)
    data = path.read_bytes()
    return Delivery(path, data, hashlib.sha256(data).hexdigest())


def imported_before(study: Study, read: list[FileOutcome | Delivery]) -> dict[str, Earlier]:
    """The batches that already hold any of these files (one query for the run)."""
    hashes = [item.content_hash for item in read if isinstance(item, Delivery)]
    batches = ImportBatch.objects.filter(
        study=study,
        content_hash__in=hashes,
        status__in=[ImportBatch.Status.IMPORTED, ImportBatch.Status.REPLACED],
    ).order_by("started_at")  # the latest batch of a content last: it is the one named
    return {b.content_hash: Earlier(b.pk, b.started_at) for b in batches}


def already_imported(item: FileOutcome | Delivery, context: ImportContext) -> FileOutcome | None:
    if not isinstance(item, Delivery):
        return None
    earlier = context.imported.get(item.content_hash)
    if earlier is None:
        return None
    message = f"Samma fil lästes redan in {earlier.started_at:%Y-%m-%d}; inget ändrat."
    name = context.file_name(item.path)
    return FileOutcome(name, FileStatus.ALREADY_IMPORTED, message, batch_id=earlier.pk)


def store_file(
    delivery: Delivery, result: Interpreted | Refused, context: ImportContext
) -> FileOutcome:
    """An interpreted file stored, one batch per unit in it; a refused one recorded."""
    path = delivery.path
    if isinstance(result, Refused):
        return failed(path, delivery.content_hash, result.problems, context)
    # The same file earlier in this run: interpreted before that one was stored.
    earlier = already_imported(delivery, context)
    if earlier is not None:
        return earlier
    parts, name = result.parts, context.file_name(path)
    outcome = FileOutcome(name, FileStatus.DRY_RUN if context.dry_run else FileStatus.IMPORTED)
    outcome.unit = parts[0].unit.code if len(parts) == 1 else f"{len(parts)} enheter"
    if context.dry_run:
        for part in parts:
            outcome.report = merge_reports(outcome.report, part.report)
        return outcome
    try:
        with transaction.atomic():  # a file's units are stored together or not at all
            held = store_parts(name, delivery.content_hash, parts, outcome, context)
    except DatabaseError as error:
        if not storage_full(error):
            raise
        problem = Problem("storage-full", STORAGE_FULL, file=name)
        return FileOutcome(name, FileStatus.FAILED, STORAGE_FULL, problems=(problem,))
    if held:
        outcome.message = " ".join([*held, HOW_TO_CONFIRM])
        if len(held) == len(parts):
            outcome.status = FileStatus.HELD
    return outcome


STORAGE_FULL = (
    "Databasen är full (disken eller databasens största storlek): filen sparades inte, och "
    "inget av den finns kvar. Det som redan var inläst är orört. Frigör utrymme och läs in "
    "filen igen."
)


def storage_full(error: DatabaseError) -> bool:
    """SQLite's 'database or disk is full', PostgreSQL's disk_full (53100) or a write that
    found no space."""
    text = str(error).lower()
    return (
        getattr(error.__cause__, "sqlstate", None) == "53100"
        or "database or disk is full" in text
        or "no space left on device" in text
    )


def store_parts(
    name: str, data_hash: str, parts: list[UnitPart], outcome: FileOutcome,
    context: ImportContext,
) -> list[str]:  # fmt: skip
    """Each unit's part stored, or held back (why, for each one held)."""
    held: list[str] = []
    # Units in one order for every run: two files holding the same units in opposite orders,
    # stored at once, would otherwise each hold one unit's lock and wait for the other's.
    for part in sorted(parts, key=lambda each: each.unit.code):
        try:
            batch, replaced = store(name, data_hash, part, context)
        except HeldBackError as error:  # its savepoint rolled back: audited outside it
            held.append(str(error))
            rows = part.report.rows.imported if part.report.rows else 0
            log(context.actor, "import.held", unit=context.unit(part.unit.code), file=name,
                rows=rows, why=str(error))  # fmt: skip
            continue
        outcome.report = merge_reports(outcome.report, part.report)
        outcome.batch_id = batch.pk
        outcome.replaced_batch_id = replaced.pk if replaced else None
        context.stored.add(batch.pk)
        beside = replaced is not None and replaced.pk not in context.stored
        if beside and replaced is not None and replaced.started_at >= context.started:
            outcome.message = " ".join(filter(None, [outcome.message, ran_beside(replaced)]))
        context.imported.setdefault(data_hash, Earlier(batch.pk, batch.started_at))
    return held


def ran_beside(replaced: ImportBatch) -> str:
    """What the user is told when another import stored the same unit's delivery while this
    one ran: this one, stored last, replaced it."""
    unit = replaced.unit.name if replaced.unit else ""
    return (
        f"Obs: {replaced.actor} läste in {replaced.file_name!r} för {unit} {replaced.period} "
        f"medan den här inläsningen pågick. Den här filen lästes in sist och ersätter den; "
        f"den andra går att återställa (nuso batches restore {replaced.pk})."
    )


def failed(
    path: Path, data_hash: str, problems: tuple[Problem, ...], context: ImportContext
) -> FileOutcome:
    if not context.dry_run:
        record_failure(path, data_hash, problems, context)
    message = refusal_text(problems)
    return FileOutcome(context.file_name(path), FileStatus.FAILED, message, problems=problems)


class HeldBackError(Exception):
    """A delivery that would replace a unit's data with far fewer rows; the message says so."""


# A delivery keeping less than this share of the rows it replaces is held back (a header-only
# file, a filter left on in the case system, one month instead of a year) until confirmed.
REPLACE_BELOW_SHARE = 0.5
HOW_TO_CONFIRM = (
    "Inget ändrat. Är det rätt, läs in filen igen med --ersatt (i portalen: kryssa i "
    '"Ersätt även med färre rader"). Den ersatta leveransen går att återställa.'
)


def held_back(previous: ImportBatch | None, imported: int, context: ImportContext) -> str | None:
    """Why the delivery must not replace `previous` unconfirmed, or None when it may."""
    if previous is None or context.confirmed_replace:
        return None
    if imported >= REPLACE_BELOW_SHARE * previous.rows_imported:
        return None
    unit = previous.unit.name if previous.unit else ""
    return (
        f"{unit}: leveransen har {count(imported)} rader men skulle ersätta "
        f"{count(previous.rows_imported)} rader för {previous.period} (filen "
        f"{previous.file_name!r}, inläst {previous.started_at:%Y-%m-%d})."
    )


def count(value: int) -> str:
    """Swedish digit grouping: 21 858."""
    return f"{value:,}".replace(",", "\u00a0")


@transaction.atomic
def store(
    name: str, data_hash: str, part: UnitPart, context: ImportContext
) -> tuple[ImportBatch, ImportBatch | None]:
    unit, report = context.unit(part.unit.code), part.report
    counts = report.rows
    assert counts is not None  # an interpreted file's report counts its rows
    previous = current_batch(context.study, unit, context.period)
    why = held_back(previous, counts.imported, context)
    if why is not None:
        raise HeldBackError(why)
    if previous is not None:  # first: one current delivery at a time (the table's constraint)
        previous.status = ImportBatch.Status.REPLACED
        previous.save(update_fields=["status"])
    batch = ImportBatch.objects.create(
        study=context.study,
        unit=unit,
        period=context.period,
        file_name=name,
        content_hash=data_hash,
        imported_by=context.actor.user,
        actor=context.actor.label,
        status=ImportBatch.Status.IMPORTED,
        finished_at=timezone.now(),
        rows_read=counts.read,
        rows_imported=counts.imported,
        rows_skipped=sum(counts.skipped.values()),
        rows_pending_review=counts.pending,
        report=report.to_json(),
    )
    store_blocks(batch, part)
    if previous is not None:
        previous.replaced_by = batch
        previous.save(update_fields=["replaced_by"])
    log(
        context.actor,
        "import.file",
        target=batch,
        unit=unit,
        file=name,
        rows=counts.imported,
        replaced=previous.pk if previous else None,
    )
    return batch, previous


def current_batch(study: Study, unit: Unit, period: str) -> ImportBatch | None:
    """The unit's current delivery for the study and period, with the unit locked until the
    transaction ends: of two deliveries at once, the second waits and then replaces the first.
    The unit's row is what is locked because it always exists; the current delivery may not
    yet, and locking no row let two first deliveries both become current."""
    Unit.objects.select_for_update().get(pk=unit.pk)
    found = ImportBatch.objects.select_for_update(of=("self",)).select_related("unit")
    return found.filter(
        study=study, unit=unit, period=period, status=ImportBatch.Status.IMPORTED
    ).first()


def store_blocks(batch: ImportBatch, part: UnitPart) -> None:
    """The unit's records of the file, a block per sheet, as the workers encoded them."""
    RecordBlock.objects.bulk_create(
        RecordBlock(batch=batch, sheet=b.sheet, rows=b.rows, pending=b.pending, data=b.data)
        for b in part.blocks
    )


def record_failure(
    path: Path, data_hash: str, problems: tuple[Problem, ...], context: ImportContext
) -> None:
    ImportBatch.objects.create(
        study=context.study,
        period=context.period,
        file_name=context.file_name(path),
        content_hash=data_hash,
        imported_by=context.actor.user,
        actor=context.actor.label,
        status=ImportBatch.Status.FAILED,
        finished_at=timezone.now(),
        report=ImportReport(problems=problems).to_json(),
    )
    message = refusal_text(problems)
    log(context.actor, "import.failed", file=context.file_name(path), message=message)
