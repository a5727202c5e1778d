"""Decks for a unit, a county or the nation, from the study's disclosure-controlled tables, as
PowerPoint files (`nuso report`, the portal's downloads). Several are made one after the
other with progress, and zipped."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from nuso.analysis.service import DataVersion, data_version, study_tables
from nuso.core.analysis.indicators.engine import Results
from nuso.core.whole_files import written_whole
from nuso.intake.models import ImportBatch
from nuso.reports.pptx_deck import write_deck
from nuso.reports.unit_deck import UnitDeckInput, unit_deck
from nuso.studies.models import Study
from nuso.units.models import Unit


class ReportError(Exception):
    """A deck that cannot be made; the message says why, in Swedish."""


@dataclass(frozen=True)
class DeckRequest:
    """Which deck: a unit's (`unit`), and for which period (None: the latest with data)."""

    study: Study
    unit: Unit
    period: str | None = None
    comparison: str = "kommungrupp"


def version_text(version: DataVersion) -> str:
    as_of = version.as_of
    when = timezone.localtime(as_of).strftime("%Y-%m-%d %H:%M") if as_of else "okänt datum"
    return f"data till och med {when} (version {version.tag[:8]})"


def unit_deck_input(request: DeckRequest, results: Results, version: DataVersion) -> UnitDeckInput:
    periods = _unit_periods(results, request.unit.code)
    if not periods:
        raise ReportError(f"{request.unit.name} har inga uppgifter i {request.study.name}.")
    period = request.period or periods[-1]
    if period not in periods:
        raise ReportError(
            f"{request.unit.name} har inga uppgifter för {period} i {request.study.name}; "
            f"perioder med uppgifter: {', '.join(periods)}."
        )
    group = {"kommungrupp": request.unit.municipality_group,
             "storleksgrupp": request.unit.size_band}.get(request.comparison, "")  # fmt: skip
    return UnitDeckInput(
        results=results, study_name=request.study.name, study_slug=request.study.slug,
        unit_code=request.unit.code, unit_name=request.unit.name, period=period,
        comparison=request.comparison, comparison_code=group or "",
        data_version=version_text(version), min_count=int(settings.NUSO_MIN_CELL_COUNT),
    )  # fmt: skip


def _unit_periods(results: Results, code: str) -> list[str]:
    frame = results.source.frame
    return sorted(frame.filter(frame["enhet"] == code)["period"].unique().to_list())


def write_unit_deck(request: DeckRequest, folder: Path) -> Path:
    """The unit's deck in `folder`; its path."""
    results = study_tables(request.study)
    deck = unit_deck(unit_deck_input(request, results, data_version(request.study)))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{deck.file_stem}.pptx"
    with written_whole(path) as temporary:
        write_deck(deck, temporary)
    return path


def units_with_data(study: Study) -> list[Unit]:
    current = ImportBatch.objects.filter(study=study, status=ImportBatch.Status.IMPORTED)
    return list(Unit.objects.filter(pk__in=current.values("unit")).order_by("code"))


def write_decks(
    requests: Iterable[DeckRequest], folder: Path, progress: Callable[[Path], None] | None = None
) -> list[Path]:
    written = []
    for request in requests:
        written.append(write_unit_deck(request, folder))
        if progress is not None:
            progress(written[-1])
    return written


def zipped(paths: list[Path], path: Path) -> Path:
    """The decks in one zip (decks are compressed already: stored, not deflated again)."""
    with written_whole(path) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        for each in paths:
            archive.write(each, each.name, compress_type=zipfile.ZIP_STORED)
    return path
