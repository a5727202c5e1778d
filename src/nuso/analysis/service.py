"""Computing a study's tables, kept until the data changes (an import, a replaced batch or a
review decision): in each process's memory, so that the portal serves one unit's comparisons
in milliseconds, and in the data directory's shared store (nuso.analysis.store), so that the
tables are computed once for all web workers and commands rather than once per process."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nuso.analysis import store
from nuso.analysis.data import study_input
from nuso.analysis.store import TablesKind
from nuso.core.analysis.indicators.engine import Results, compute
from nuso.intake.models import ImportBatch
from nuso.studies.models import CodebookVersion, Study


@dataclass(frozen=True)
class DataVersion:
    """What the tables were computed from: changes whenever the study's current records,
    its definitions or the codebook change. Times as well as counts: another database (a
    test's, a restored backup) with the same counts is not the same data."""

    last_batch: int | None
    batches: int
    rows: int | None
    replaced: int
    started: dt.datetime | None
    finished: dt.datetime | None
    codebook: int | None
    codebook_created: dt.datetime | None
    definitions: dt.datetime

    @property
    def as_of(self) -> dt.datetime | None:
        """When the data last changed: the latest import, codebook version or change of the
        study's definitions that the tables include (what a page says its figures are from)."""
        times = [t for t in (self.finished, self.codebook_created, self.definitions) if t]
        return max(times) if times else None

    @property
    def described(self) -> str:
        """The data in words, for a file's title page, in the active language: 'data till och
        med 2026-12-02 14:03 (version 1a2b3c4d)'."""
        as_of = self.as_of
        when = timezone.localtime(as_of).strftime("%Y-%m-%d %H:%M") if as_of else _("okänt datum")
        return _("data till och med %(when)s (version %(version)s)") % {
            "when": when, "version": self.tag[:8]}  # fmt: skip

    @property
    def tag(self) -> str:
        """A short text naming this version, for pages to compare (`ready_version`)."""
        return store.digest(self)


@dataclass(frozen=True)
class PortalTables:
    """What a portal page shows: the tables, the data they are of, and whether that is
    earlier data (the current tables are being computed meanwhile)."""

    results: Results
    version: DataVersion
    stale: bool


@dataclass(frozen=True)
class CacheKey:
    kind: TablesKind
    version: DataVersion


_cache: dict[CacheKey, Results] = {}
_refreshing: set[TablesKind] = set()
_lock = threading.Lock()


def data_version(study: Study) -> DataVersion:
    batches = ImportBatch.objects.filter(study=study).aggregate(
        last=Max("id"), count=Count("id"), rows=Sum("rows_imported"),
        replaced=Count("replaced_by"), started=Max("started_at"), finished=Max("finished_at"),
    )  # fmt: skip
    codebook = CodebookVersion.objects.aggregate(last=Max("number"), created=Max("created_at"))
    return DataVersion(
        batches["last"], batches["count"], batches["rows"], batches["replaced"],
        batches["started"], batches["finished"], codebook["last"], codebook["created"],
        study.updated_at,
    )  # fmt: skip


def study_tables(study: Study, period: str | None = None, unsuppressed: bool = False) -> Results:
    """All tables of the study; disclosure-controlled unless `unsuppressed` (analysts)."""
    return _tables(_kind(study, period, unsuppressed), data_version(study), study)


def _kind(study: Study, period: str | None, unsuppressed: bool) -> TablesKind:
    """Which tables: the study's, of a period or all, and their suppression threshold."""
    threshold = None if unsuppressed else int(settings.NUSO_MIN_CELL_COUNT)
    return TablesKind(study.slug, period, threshold)


def _tables(kind: TablesKind, version: DataVersion, study: Study) -> Results:
    key = CacheKey(kind, version)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    results = store.shared(
        kind, version, lambda: compute(study_input(study, kind.period), kind.threshold)
    )
    with _lock:
        for old in [k for k in _cache if k.kind == kind]:
            del _cache[old]
        _cache[key] = results
    return results


def portal_tables(study: Study, unsuppressed: bool = False) -> PortalTables:
    """For the portal: the study's tables, the data they are of, and whether they are stale.
    When the data changed (an upload, a review decision) and this process has tables of the
    earlier data, those are shown while the current ones are computed in the background:
    nobody waits tens of seconds for the national computation after each change. Otherwise
    as `study_tables`."""
    kind, version = _kind(study, None, unsuppressed), data_version(study)
    with _lock:
        cached = _cache.get(CacheKey(kind, version))
        previous = next(((k, r) for k, r in _cache.items() if k.kind == kind), None)
    if cached is not None:
        return PortalTables(cached, version, False)
    ready = store.path_of(kind, version).exists()  # another process computed them: a quick read
    if previous is None or ready or not settings.NUSO_TABLES_IN_BACKGROUND:
        return PortalTables(_tables(kind, version, study), version, False)
    _refresh_in_background(study, unsuppressed, kind)
    earlier, results = previous
    return PortalTables(results, earlier.version, True)


def ready_version(study: Study, unsuppressed: bool = False) -> str | None:
    """The tag of the current data's tables when they are ready, in this process or in the
    shared store (a page showing other tables then gets the current ones on reloading);
    None while they are still being computed. Computes nothing."""
    kind, version = _kind(study, None, unsuppressed), data_version(study)
    with _lock:
        cached = CacheKey(kind, version) in _cache
    return version.tag if cached or store.path_of(kind, version).exists() else None


def _refresh_in_background(study: Study, unsuppressed: bool, kind: TablesKind) -> None:
    with _lock:
        if kind in _refreshing:
            return
        _refreshing.add(kind)

    def refresh() -> None:
        try:
            study_tables(study, unsuppressed=unsuppressed)
        finally:
            with _lock:
                _refreshing.discard(kind)
            connections.close_all()  # this thread's own connections

    threading.Thread(target=refresh, name="nuso-tables", daemon=True).start()


def warm_up() -> list[str]:
    """Computes every study's tables ahead of the first request (the web server calls it in
    the background at start): the disclosure-controlled ones every dashboard shows, then the
    analysts' unsuppressed ones behind the national view. The first visitor then waits no
    longer than the others. Returns the studies computed."""
    imported = Study.objects.filter(batches__status=ImportBatch.Status.IMPORTED).distinct()
    studies = list(imported.order_by("number"))
    for unsuppressed in (False, True):
        for study in studies:
            study_tables(study, unsuppressed=unsuppressed)
    return [study.slug for study in studies]


def warm_up_in_background() -> None:
    """`warm_up` in a thread of its own, for web servers as they start."""
    threading.Thread(target=warm_up, name="nuso-warm-up", daemon=True).start()
