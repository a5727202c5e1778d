"""What a user may see, enforced in one place: every portal view reaches data only through a
`Scope`, built from the logged-in, OTP-verified user. A unit outside the scope is a 404 (its
existence is not confirmed); row-level data and unsuppressed figures of other units are never
handed out to municipal users. A test checks that portal views import no models directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum
from django.http import Http404

from nuso.accounts.models import User
from nuso.analysis.service import DataVersion, PortalTables, portal_tables, ready_version
from nuso.collection.overview import UnitOverview, unit_overview
from nuso.core.analysis.indicators.engine import Results
from nuso.core.countries import canonical_key
from nuso.core.intake import blocks
from nuso.core.outputs.registry import ROWS, Writer, writers
from nuso.core.outputs.rows import RowSet
from nuso.intake.export import row_set
from nuso.intake.models import ImportBatch, ReviewItem
from nuso.intake.record_frames import record_frame
from nuso.studies.models import Study
from nuso.units.models import Unit

ROW_PARTS = (blocks.VALUE, blocks.METHOD)  # what rows show of the records: no raw values
ANALYSTS_ONLY = {"sav"}  # row formats for analysts' statistics programs only


def _current_batches() -> QuerySet[ImportBatch]:
    """The deliveries in use that brought rows (one that skipped every row brings none)."""
    return ImportBatch.objects.filter(status=ImportBatch.Status.IMPORTED, rows_imported__gt=0)


@dataclass(frozen=True)
class UnitTables:
    unit: Unit
    results: Results
    rows: dict[str, pl.DataFrame]  # what the unit's users may see
    stale: bool  # of earlier data: the current tables are being computed
    version: DataVersion  # the data the tables are of


@dataclass(frozen=True)
class Delivery:
    """A delivery in use, as a unit's users may see it."""

    period: str
    rows: int
    imported: dt.datetime


@dataclass(frozen=True)
class Scope:
    user: User

    @classmethod
    def of(cls, user: Any) -> Scope:
        if not (user.is_authenticated and user.is_verified()):
            raise PermissionDenied("Logga in med tvåstegsverifiering.")
        if user.is_social_worker:  # registers cases; sees no tables or rows of the unit
            raise PermissionDenied("Handläggare registrerar ärenden under Registrera.")
        return cls(user)

    @property
    def is_analyst(self) -> bool:
        return self.user.sees_all_units

    def units(self) -> QuerySet[Unit]:
        units = Unit.objects.filter(active=True)
        return units if self.is_analyst else units.filter(users=self.user)

    def unit(self, code: str) -> Unit:
        unit = self.units().filter(code=canonical_key(code)).first()
        if unit is None:
            raise Http404("Enheten finns inte eller hör inte till dig.")
        return unit

    def study(self, slug: str) -> Study:
        study = Study.objects.filter(slug=slug).first()
        if study is None:
            raise Http404("Delstudien finns inte.")
        return study

    def studies_with_data(self, unit: Unit) -> list[Study]:
        """The studies with current data for the unit (batches are per unit: a few rows, not
        the unit's records)."""
        return self.studies_by_unit(self.units().filter(pk=unit.pk)).get(unit.pk, [])

    def studies_by_unit(self, units: QuerySet[Unit] | None = None) -> dict[int, list[Study]]:
        """For each unit of the scope (or of `units`) with current data, its studies with
        data, in the studies' order; a unit without data is left out. One query for all."""
        in_use = _current_batches().filter(unit__in=self.units() if units is None else units)
        by_unit: dict[int, set[int]] = {}
        for unit_id, study_id in in_use.values_list("unit_id", "study_id").distinct():
            by_unit.setdefault(unit_id, set()).add(study_id)
        studies = list(Study.objects.order_by("number"))
        return {unit: [s for s in studies if s.pk in ids] for unit, ids in by_unit.items()}

    def deliveries(self, unit: Unit, study: Study) -> list[Delivery]:
        """What of the unit's data is in use in the study: each delivery's period, rows and
        when it was imported, newest first (no file names or reports: those are analysts')."""
        unit = self.unit(unit.code)  # in the scope
        in_use = _current_batches().filter(unit=unit, study=study).order_by("-finished_at", "-pk")
        fields = ("period", "rows_imported", "finished_at", "started_at")
        return [Delivery(b.period, b.rows_imported, b.finished_at or b.started_at)
                for b in in_use.only(*fields)]  # fmt: skip

    def batches(self) -> QuerySet[ImportBatch]:
        """Every import with its stored report, newest first: analysts only (reports hold raw
        values of the files)."""
        if not self.is_analyst:
            raise PermissionDenied("Inläsningarna är för analytiker.")
        return ImportBatch.objects.select_related("study", "unit").order_by("-started_at", "-pk")

    def batch(self, pk: int) -> ImportBatch:
        batch = self.batches().filter(pk=pk).first()
        if batch is None:
            raise Http404("Inläsningen finns inte.")
        return batch

    def unit_tables(self, study: Study, code: str) -> UnitTables:
        """A unit in the scope, with its tables and comparisons, disclosure-controlled."""
        unit = self.unit(code)
        if unit.country != study.country:  # a study's tables are one country's
            raise Http404("Delstudien gäller inte enhetens land.")
        shown = portal_tables(study)
        results = shown.results
        return UnitTables(unit, results, results.for_unit(unit.code), shown.stale, shown.version)

    def national_tables(self, study: Study) -> PortalTables:
        """Every unit side by side, unsuppressed: analysts only. Also whether they are of
        earlier data (the current ones being computed)."""
        if not self.is_analyst:
            raise PermissionDenied("Den nationella vyn med alla enheter är för analytiker.")
        return portal_tables(study, unsuppressed=True)

    def ready_version(self, study: Study, national: bool) -> str | None:
        """The tag of the study's current tables once they are ready (None while they are
        computed): the unit dashboards' disclosure-controlled ones, or with `national` the
        analysts' unsuppressed ones."""
        if national and not self.is_analyst:
            raise PermissionDenied("Den nationella vyn med alla enheter är för analytiker.")
        return ready_version(study, unsuppressed=national)

    def registration_overview(self, study: Study, code: str) -> UnitOverview:
        """A unit's registrations in a study collected by form: counts by occasion and what
        is overdue for follow-up (the unit's managers, and analysts)."""
        unit = self.unit(code)
        if study.dictionary.get("source") != "survey":
            raise Http404("Delstudien samlas inte in med formulär.")
        return unit_overview(study, unit)

    def review_queue(self) -> QuerySet[ReviewItem]:
        """The raw values waiting for review, most frequent first: analysts only (they are
        the files' own values, from every unit)."""
        if not self.is_analyst:
            raise PermissionDenied("Granskningskön är för analytiker.")
        items = ReviewItem.objects.filter(status=ReviewItem.Status.PENDING)
        return items.select_related("study").order_by("-occurrences")

    def review_item(self, pk: str) -> ReviewItem | None:
        """A value in the queue, or None when it is decided already (by another reviewer)."""
        return self.review_queue().filter(pk=int(pk) if pk.isdigit() else 0).first()

    def row_download(self, study: Study, unit: Unit | None, format_: str) -> RowSet:
        """The rows of a row download in this format (SPSS for analysts only), of the
        records as `records` gives them."""
        self._may_download(format_)
        return row_set(self.records(study, unit), study)

    def row_count(self, study: Study, unit: Unit | None, format_: str) -> int:
        """How many rows that download holds, checked as `row_download` checks it, from the
        deliveries (without reading the records)."""
        self._may_download(format_)
        return self._row_batches(study, unit).aggregate(rows=Sum("rows_imported"))["rows"] or 0

    def row_parts(self, study: Study, unit: Unit | None, format_: str) -> Iterator[pl.DataFrame]:
        """The rows of `row_download` a unit at a time, in the order of the units' codes
        (for a download sent as it is read). Checked here, read as the parts are asked for."""
        self._may_download(format_)
        batches = self._row_batches(study, unit)
        units = list(Unit.objects.filter(pk__in=batches.values("unit")).order_by("code"))
        if len(units) < 2 or batches.filter(unit__isnull=True).exists():  # all at once
            return iter([self._rows_of(study, unit)])
        return (self._rows_of(study, each) for each in units)

    def _rows_of(self, study: Study, unit: Unit | None) -> pl.DataFrame:
        return row_set(record_frame(study, unit, parts=ROW_PARTS), study).frame

    def row_writers(self) -> tuple[Writer, ...]:
        """The formats of row downloads this user may have."""
        return tuple(each for each in writers(ROWS)
                     if self.is_analyst or each.format not in ANALYSTS_ONLY)  # fmt: skip

    def _may_download(self, format_: str) -> None:
        if format_ not in {each.format for each in self.row_writers()}:
            raise PermissionDenied("Formatet är inte tillåtet för din roll.")

    def _row_batches(self, study: Study, unit: Unit | None) -> QuerySet[ImportBatch]:
        """The deliveries of a row download: the unit's in the scope, or (analysts) all."""
        if unit is None and not self.is_analyst:
            raise PermissionDenied("Radnivådata för alla enheter är för analytiker.")
        batches = _current_batches().filter(study=study)
        return batches if unit is None else batches.filter(unit=self.unit(unit.code))

    def records(self, study: Study, unit: Unit | None) -> pl.DataFrame:
        """Row-level records, with their values and how each was decided: of one unit in
        the scope, or (analysts) of every unit."""
        if unit is None:
            if not self.is_analyst:
                raise PermissionDenied("Radnivådata för alla enheter är för analytiker.")
            return record_frame(study, parts=ROW_PARTS)
        return record_frame(study, self.unit(unit.code), parts=ROW_PARTS)
