"""Importing delivered files: one transaction per file, every row kept, a report stored.

`import_paths` takes files and folders, imports each file on its own (one bad file never stops
the others) and returns what happened to each. A file already imported adds nothing; a new file
for a unit, study and period that already has one replaces it (the earlier batch stays, marked
replaced). Identity numbers are pseudonymised before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nuso.audit.services import Actor, log
from nuso.core.codebook import Codebook
from nuso.core.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.harmonise import METHODS, Harmoniser
from nuso.core.reading import SUPPORTED_SUFFIXES, ReadError, read_file
from nuso.core.records import RowInterpreter, RowRecord, own_categories_recogniser
from nuso.core.tables import Recogniser, Table, locate_table
from nuso.core.unit_names import UnitIndex, UnitNotFoundError, UnitRef
from nuso.intake.models import ImportBatch, Record
from nuso.intake.review import refresh_review_queue
from nuso.studies.codebooks import codebook_of, latest_version, learned_mappings
from nuso.studies.models import CodebookVersion, Study
from nuso.units.models import Unit

BULK_SIZE = 2_000


class ImportRefusedError(Exception):
    """A file that cannot be imported; the message names the file and says what to do."""


@dataclass
class FileOutcome:
    file: str
    status: str  # inläst | redan inläst | provläst | fel
    message: str = ""
    unit: str = ""
    batch_id: int | None = None
    replaced_batch_id: int | None = None
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status == "fel"


@dataclass
class ImportContext:
    study: Study
    dictionary: StudyDictionary
    period: str
    period_middle: dt.date
    version: CodebookVersion
    units: UnitIndex
    unit_hint: str | None
    actor: Actor
    dry_run: bool
    harmonisers: dict[str, Harmoniser] = field(default_factory=dict)
    interpreters: dict[int, RowInterpreter] = field(default_factory=dict)
    codebook: Codebook | None = None
    recognisers_: dict[str, Recogniser] | None = None

    def harmoniser(self, unit_code: str) -> Harmoniser:
        """One harmoniser (and its cache of decisions) for all units that share the same
        review decisions; usually that is every unit."""
        learned = learned_mappings(unit_code)
        key = repr(sorted((v, sorted(m.items())) for v, m in learned.items()))
        if key not in self.harmonisers:
            self.harmonisers[key] = Harmoniser(self.codebook_(), learned)
        return self.harmonisers[key]

    def interpreter(self, unit_code: str) -> RowInterpreter:
        """One interpreter per harmoniser, kept for the whole run: its outcomes, decided once
        per distinct raw value, serve every file."""
        harmoniser = self.harmoniser(unit_code)
        key = id(harmoniser)
        if key not in self.interpreters:
            self.interpreters[key] = RowInterpreter(
                self.dictionary,
                self.codebook_(),
                harmoniser,
                settings.NUSO_PSEUDONYM_KEY,
                self.period_middle,
            )
        return self.interpreters[key]

    def recognisers(self) -> dict[str, Recogniser]:
        """For each categorical variable of the study, a test of whether a cell holds its
        values: by the national codebook and review decisions (a column is mapped before its
        unit is known, since the unit may come from a column), or by the study's own
        categories. Made once per run: every file of it is mapped by the same ones."""
        if self.recognisers_ is None:
            harmoniser = self.harmoniser("")
            found: dict[str, Recogniser] = {}
            for v in self.dictionary.variables:
                if v.codebook:
                    multi = v.type == "categories"
                    found[v.name] = harmoniser.recogniser(v.codebook, multi=multi)
                elif v.categories:
                    found[v.name] = own_categories_recogniser(v)
            self.recognisers_ = found
        return self.recognisers_

    def codebook_(self) -> Codebook:
        if self.codebook is None:
            self.codebook = codebook_of(self.version)
        return self.codebook


def period_middle(period: str) -> dt.date:
    """The middle of a period: '2023' → 1 July 2023; '2023-10-01--2024-03-31' → its midpoint."""
    if period.isdigit() and len(period) == 4:
        return dt.date(int(period), 7, 1)
    try:
        start, end = (dt.date.fromisoformat(part) for part in period.split("--"))
    except ValueError as error:
        raise ImportRefusedError(
            f"Perioden {period!r} går inte att läsa: ange ett år (2023) eller "
            "ÅÅÅÅ-MM-DD--ÅÅÅÅ-MM-DD."
        ) from error
    return start + (end - start) / 2


def unit_index() -> UnitIndex:
    units = Unit.objects.select_related("parent").filter(active=True)
    return UnitIndex([UnitRef(u.code, u.name, u.parent.code if u.parent else "") for u in units])


def files_in(paths: Iterable[Path]) -> list[Path]:
    """The files to import: each file given, and every supported file in each folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            found.append(path)
    return found


def import_paths(
    paths: Iterable[Path],
    *,
    study_slug: str,
    period: str,
    actor: Actor,
    unit_hint: str | None = None,
    dry_run: bool = False,
    progress: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    study = Study.objects.filter(slug=study_slug).first()
    if study is None:
        known = ", ".join(Study.objects.values_list("slug", flat=True))
        raise ImportRefusedError(f"Okänd delstudie {study_slug!r}; kända: {known}.")
    context = ImportContext(
        study=study,
        dictionary=dictionary_from_stored(study.dictionary),
        period=period,
        period_middle=period_middle(period),
        version=latest_version(),
        units=unit_index(),
        unit_hint=unit_hint,
        actor=actor,
        dry_run=dry_run,
    )
    outcomes = []
    for path in files_in(paths):
        outcome = import_file(path, context)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    if not dry_run:
        refresh_review_queue(study)
    return outcomes


def import_file(path: Path, context: ImportContext) -> FileOutcome:
    try:
        if not path.is_file():
            raise ImportRefusedError("Filen finns inte.")
        data = path.read_bytes()
        data_hash = hashlib.sha256(data).hexdigest()
        earlier = ImportBatch.objects.filter(
            study=context.study,
            content_hash=data_hash,
            status__in=[ImportBatch.Status.IMPORTED, ImportBatch.Status.REPLACED],
        ).first()
        if earlier is not None:
            message = f"Samma fil lästes redan in {earlier.started_at:%Y-%m-%d}; inget ändrat."
            return FileOutcome(path.name, "redan inläst", message, batch_id=earlier.pk)
        return interpret_and_store(path, data, data_hash, context)
    except (ReadError, ImportRefusedError, UnitNotFoundError) as error:
        message = str(error).removeprefix(f"{path.name}: ")
        if not context.dry_run:
            record_failure(path, context, message)
        return FileOutcome(path.name, "fel", message)


def interpret_and_store(
    path: Path, data: bytes, data_hash: str, context: ImportContext
) -> FileOutcome:
    raw = read_file(path, data)
    recognisers = context.recognisers()
    tables = [
        (sheet, table)
        for sheet in raw.sheets
        if (table := locate_table(sheet, context.dictionary, recognisers))
    ]
    if not tables:
        raise ImportRefusedError(
            f"Ingen tabell för delstudien {context.study.slug} hittades (ingen rubrikrad med "
            "kända kolumner). Kontrollera att det är rätt fil och rätt delstudie."
        )
    by_unit, unit_source = units_of_rows(path, tables, context)
    outcome = FileOutcome(path.name, "provläst" if context.dry_run else "inläst")
    outcome.unit = next(iter(by_unit)).code if len(by_unit) == 1 else f"{len(by_unit)} enheter"
    for unit, rows_of_table in by_unit.items():
        interpreter = context.interpreter(unit.code)
        rows = [
            record
            for sheet, table in tables
            for record in interpreter.interpret(sheet, table, rows_of_table.get(id(table), []))
        ]
        report = build_report(raw.name, tables, rows, unit, unit_source, context, raw.encoding)
        outcome.report = merge_reports(outcome.report, report)
        if not context.dry_run:
            batch, replaced = store(path.name, data_hash, unit, rows, report, context)
            outcome.batch_id, outcome.replaced_batch_id = batch.pk, replaced
    return outcome


def units_of_rows(
    path: Path, tables: list[tuple[Any, Table]], context: ImportContext
) -> tuple[dict[UnitRef, dict[int, list[int]]], str]:
    """For each unit, the data rows of each table (keyed by id(table)) that belong to it: all
    rows to one unit from --kommun or the file name, or row by row from a unit column (a
    survey export holds many municipalities)."""
    every_row = {id(table): list(table.data_rows) for _, table in tables}
    if context.unit_hint:
        return {context.units.resolve(context.unit_hint, "--kommun"): every_row}, "--kommun"
    by_unit: dict[UnitRef, dict[int, list[int]]] = {}
    resolved: dict[str, UnitRef] = {}
    for sheet, table in tables:
        column = next(iter(table.columns_for("enhet")), None)
        if column is None:
            continue
        for number in table.data_rows:
            cells = sheet.rows[number - 1]
            value = (cells[column.index] if column.index < len(cells) else None) or ""
            if not value.strip():
                raise ImportRefusedError(
                    f"rad {number}: enheten saknas i kolumnen {column.header!r}."
                )
            key = value.strip()
            if key not in resolved:
                resolved[key] = context.units.resolve(key, f"kolumnen {column.header!r}")
            by_unit.setdefault(resolved[key], {}).setdefault(id(table), []).append(number)
    if by_unit:
        return by_unit, "kolumn"
    return {context.units.resolve(path.stem, "filnamnet"): every_row}, "filnamn"


def merge_reports(total: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    """The file's report for the summary: one unit's as it is, several units' rows added up."""
    if not total:
        return report
    merged = dict(total)
    rows = dict(total["rader"])
    for key in ("lästa", "inlästa", "att_granska"):
        rows[key] += report["rader"][key]
    merged["rader"] = rows
    return merged


def build_report(
    name: str,
    tables: list[tuple[Any, Table]],
    rows: list[RowRecord],
    unit: UnitRef,
    unit_source: str,
    context: ImportContext,
    encoding: str,
) -> dict[str, Any]:
    skipped = Counter(reason for _, t in tables for reason in t.skipped.values())
    # Outcomes are shared between rows with the same raw input: count them, then describe
    # each distinct one once.
    outcomes = Counter(outcome for row in rows for outcome in row.outcomes)
    values: dict[str, Counter[tuple[str, str, str]]] = {}
    pending: dict[str, Counter[str]] = {}
    flags: Counter[str] = Counter()
    for outcome, n in outcomes.items():
        for flag in outcome.flags:
            flags[flag] += n
        for raw in outcome.pending:
            pending.setdefault(outcome.variable, Counter())[raw] += n
        if outcome.decision is None:
            continue
        code = outcome.value
        shown = "|".join(code) if isinstance(code, list) else "" if code is None else str(code)
        raw = str(outcome.decision.get("raw", "")) or "(härledd)"
        values.setdefault(outcome.variable, Counter())[
            (raw, shown, outcome.decision["method"])
        ] += n
    return {
        "fil": name,
        "kodning": encoding,
        "enhet": {"kod": unit.code, "namn": unit.name, "källa": unit_source},
        "delstudie": context.study.slug,
        "period": context.period,
        "kodbok": context.version.number,
        "flikar": [
            {
                "flik": t.sheet,
                "rubrikrad": t.header_row,
                "datarader": len(t.data_rows),
                "överhoppade": {str(r): why for r, why in t.skipped.items()},
            }
            for _, t in tables
        ],
        "kolumner": [
            {"flik": t.sheet, "kolumn": c.header, "tolkas_som": c.target or "(okänd)", "hur": c.how}
            for _, t in tables
            for c in t.columns
        ],
        "rader": {
            "lästa": len(rows) + sum(skipped.values()),
            "inlästa": len(rows),
            "överhoppade": dict(skipped),
            "att_granska": sum(1 for r in rows if r.pending_review),
        },
        "värden": {
            variable: [
                {"rått": raw, "kod": code, "metod": method, "antal": n}
                for (raw, code, method), n in counter.most_common()
            ]
            for variable, counter in values.items()
        },
        "granskning": {variable: dict(counter) for variable, counter in pending.items()},
        "flaggor": dict(flags),
    }


def methods_used(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The decision methods a report's value listings show, each with what it means."""
    used = {
        part
        for rows in (report.get("värden") or {}).values()
        for row in rows
        for part in str(row["metod"]).split("+")
    }
    return [(method, text) for method, text in METHODS.items() if method in used]


@transaction.atomic
def store(
    name: str,
    data_hash: str,
    unit_ref: UnitRef,
    rows: list[RowRecord],
    report: dict[str, Any],
    context: ImportContext,
) -> tuple[ImportBatch, int | None]:
    unit = Unit.objects.get(code=unit_ref.code)
    batch = ImportBatch.objects.create(
        study=context.study,
        unit=unit,
        period=context.period,
        file_name=name,
        content_hash=data_hash,
        imported_by=context.actor.user,
        actor=context.actor.label,
    )
    insert_records(batch, unit, name, rows, context)
    previous = (
        ImportBatch.objects.select_for_update()
        .filter(
            study=context.study,
            unit=unit,
            period=context.period,
            status=ImportBatch.Status.IMPORTED,
        )
        .exclude(pk=batch.pk)
        .first()
    )
    if previous is not None:
        previous.status, previous.replaced_by = ImportBatch.Status.REPLACED, batch
        previous.save(update_fields=["status", "replaced_by"])
    counts = report["rader"]
    batch.status = ImportBatch.Status.IMPORTED
    batch.finished_at = timezone.now()
    batch.rows_read, batch.rows_imported = counts["lästa"], counts["inlästa"]
    batch.rows_skipped = sum(counts["överhoppade"].values())
    batch.rows_pending_review = counts["att_granska"]
    batch.report = report
    batch.save()
    log(
        context.actor,
        "import.file",
        target=batch,
        unit=unit,
        file=name,
        rows=len(rows),
        replaced=previous.pk if previous else None,
    )
    return batch, previous.pk if previous else None


RECORD_COLUMNS = (
    "batch_id",
    "study_id",
    "unit_id",
    "period",
    "source_file",
    "sheet",
    "row_number",
    "raw",
    "values",
    "decisions",
    "codebook_version_id",
    "pending_review",
    "pseudonym",
)


def insert_records(
    batch: ImportBatch, unit: Unit, name: str, rows: list[RowRecord], context: ImportContext
) -> None:
    """All rows of a file, bypassing the ORM: a national import writes 220 000 records, and
    the ORM's per-object work costs more than the database's. Each row's JSON documents come
    encoded from the interpreter (their parts encoded once per distinct value). PostgreSQL
    takes them with COPY (one stream instead of a round trip per row); SQLite with batched
    INSERTs in the same process."""
    table = connection.ops.quote_name(Record._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in RECORD_COLUMNS)
    constant = (batch.pk, context.study.pk, unit.pk, context.period, name)
    values = (
        (
            *constant,
            row.sheet,
            row.row,
            row.raw_json,
            row.values_json,
            row.decisions_json,
            context.version.pk,
            row.pending_review,
            row.pseudonym,
        )
        for row in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Identifiers from the model's own metadata, quoted; the data is streamed.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(RECORD_COLUMNS))
        # Identifiers from the model's own metadata, quoted; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        while chunk := list(itertools.islice(values, BULK_SIZE)):
            cursor.executemany(sql, chunk)


def record_failure(path: Path, context: ImportContext, message: str) -> None:
    ImportBatch.objects.create(
        study=context.study,
        period=context.period,
        file_name=path.name,
        content_hash=hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "",
        imported_by=context.actor.user,
        actor=context.actor.label,
        status=ImportBatch.Status.FAILED,
        finished_at=timezone.now(),
        report={"fel": message},
    )
    log(context.actor, "import.failed", file=path.name, message=message)
