"""Creating and migrating the database and loading what the package ships (`nuso init`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nuso.studies.services import DefinitionsSummary, load_shipped_definitions
from nuso.units.services import LoadSummary, load_shipped_reference

if TYPE_CHECKING:
    from nuso.core.harmonise.dictionary import StudyDictionary
    from nuso.intake.codebook_change import CodebookApplied, CodebookChange
    from nuso.intake.study_change import StudyChange


@dataclass
class InitSummary:
    migrations_applied: int
    units: LoadSummary
    definitions: DefinitionsSummary
    models_trained: int = 0
    codebook_change: CodebookChange | None = None  # a newer shipped codebook, applied
    codebook_applied: CodebookApplied | None = None
    study_changes: list[StudyChange] = field(default_factory=list)  # dictionaries, applied


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def needs_initialisation() -> bool:
    """True on a new or outdated database: migrations pending, or nothing loaded yet."""
    from nuso.studies.models import Study
    from nuso.units.models import Unit

    return bool(pending_migrations()) or not (Unit.objects.exists() and Study.objects.exists())


def initialise(verbosity: int = 0) -> InitSummary:
    """Migrate, then load reference data, studies and codebook. Safe to run any number of
    times: each step only adds what is missing."""
    from nuso.analysis import store
    from nuso.studies.codebooks import prepare_suggestion_models

    pending = pending_migrations()
    if pending:
        call_command("migrate", interactive=False, verbosity=verbosity)
    store.clear()  # tables computed by an earlier version of the engine
    units, definitions = load_shipped_reference(), load_shipped_definitions()
    change, applied = apply_shipped_codebook()
    study_changes = apply_shipped_dictionaries(definitions.changed)
    return InitSummary(pending, units, definitions, prepare_suggestion_models(), change, applied,
                       study_changes)  # fmt: skip


def apply_shipped_codebook() -> tuple[CodebookChange | None, CodebookApplied | None]:
    """A release that ships a codebook with a higher version number than any applied here
    brings it in as `nuso codebook` would: a new version, every record re-harmonised."""
    from nuso.audit.services import Actor
    from nuso.intake.codebook_change import apply_codebook_change, shipped_change

    change = shipped_change()
    if change is None or change.diff.empty:
        return change, None
    return change, apply_codebook_change(change, Actor.command_line())


def apply_shipped_dictionaries(changed: list[StudyDictionary]) -> list[StudyChange]:
    """The dictionaries the package changed, applied as `nuso study update` applies one; one
    its records cannot follow stops `nuso init` with the key named."""
    from nuso.audit.services import Actor
    from nuso.intake.study_change import apply_study_change, study_change
    from nuso.studies.models import Study
    from nuso.studies.services import dictionary_digest, remember_shipped

    applied = []
    for dictionary in changed:
        change = study_change(dictionary, f"{dictionary.slug}.yaml")
        if change.changes:
            apply_study_change(change, Actor.command_line())
        remember_shipped(Study.objects.get(slug=dictionary.slug), dictionary_digest(dictionary))
        applied += [change] if change.changes else []
    return applied


@dataclass
class Status:
    database: str
    municipalities: int
    districts: int
    counties: int
    studies: list[str]
    codebook_version: int | None
    batches: int
    records: int
    norwegian_municipalities: int = 0
    norwegian_counties: int = 0


def status() -> Status:
    """What the database holds, for `nuso init` and `nuso demo` to report."""
    from nuso.intake.models import ImportBatch
    from nuso.intake.record_frames import records_stored
    from nuso.studies.models import CodebookVersion, Study
    from nuso.units.models import County, Unit

    latest = CodebookVersion.objects.order_by("-number").first()
    return Status(
        database=describe_database(),
        municipalities=Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY, country="SE").count(),
        districts=Unit.objects.filter(kind=Unit.Kind.DISTRICT).count(),
        counties=County.objects.filter(country="SE").count(),
        norwegian_municipalities=Unit.objects.filter(country="NO").count(),
        norwegian_counties=County.objects.filter(country="NO").count(),
        studies=list(Study.objects.order_by("number").values_list("name", flat=True)),
        codebook_version=latest.number if latest else None,
        batches=ImportBatch.objects.filter(status=ImportBatch.Status.IMPORTED).count(),
        records=records_stored(),
    )


def describe_database() -> str:
    """Engine and location, never the password."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite, {settings['NAME']}"
    host = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}"
    return f"PostgreSQL, {settings['NAME']} på {host}"
