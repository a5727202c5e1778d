"""Decks for a unit, a county or the nation, from the study's disclosure-controlled tables, as
PowerPoint files (`nuso report`, the portal's downloads). Several are made one after the
other with progress, and zipped. A deck is made in the language asked for (Swedish unless
told), whatever language is active; why one cannot be made is told in Swedish, as the
command line tells everything."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl
from django.conf import settings
from django.utils import translation

from nuso.analysis.service import DataVersion, data_version, study_tables
from nuso.core.analysis.indicators.counting import NATION
from nuso.core.analysis.indicators.engine import Results
from nuso.core.outputs.tables import TableSet, hidden
from nuso.core.whole_files import written_whole
from nuso.intake.models import ImportBatch
from nuso.portal.dashboard import comparisons_for
from nuso.reports.content import Deck
from nuso.reports.pptx_deck import write_deck
from nuso.reports.tables_deck import national_deck, periods_of, unit_input
from nuso.reports.unit_deck import unit_deck
from nuso.studies.models import Study
from nuso.units.models import County, Unit


class ReportError(Exception):
    """A deck that cannot be made; the message says why, in Swedish."""


@dataclass(frozen=True)
class DeckRequest:
    """Which deck: a unit's, a county's, or (neither) the nation's, for which period (None:
    the latest with data), compared with which group (a key; None: the first the unit's
    country offers) and in which language ("sv", "en", "nb")."""

    study: Study
    unit: Unit | None = None
    county: County | None = None
    period: str | None = None
    comparison: str | None = None
    language: str = "sv"


def deck_for(request: DeckRequest) -> Deck:
    with translation.override(request.language):
        if request.unit is not None:
            return unit_deck_for(request)
        return _place_deck(request)


def _place_deck(request: DeckRequest) -> Deck:
    """The county's deck, or the nation's."""
    results, version = study_tables(request.study), data_version(request.study)
    min_count = int(settings.NUSO_MIN_CELL_COUNT) if results.suppression else None
    code = request.county.code if request.county else ""
    rows = _county_rows(results, code) if code else results.national()
    place = request.county.name if request.county else results.source.names[(NATION, NATION)]
    periods = periods_of(rows, "lan" if code else NATION, code or None)
    if not periods or (request.period and request.period not in periods):
        asked = f" för {request.period}" if request.period else ""
        raise ReportError(f"{place} har inga uppgifter{asked} i {request.study.name}.")
    tables = hidden(TableSet(rows, results.source, min_count, title=request.study.name,
                             version=version.described, language=request.language))  # fmt: skip
    deck = national_deck(tables, request.period, county=code)
    return replace(deck, file_stem=f"{request.study.slug}_{code or NATION}")


def _county_rows(results: Results, county: str) -> dict[str, pl.DataFrame]:
    """A county's deck's rows: the county, the nation and the county's units (each unit's
    own figures, suppressed as its users see them; no unit's comparisons)."""
    units = [unit for unit, its in results.counties.items() if its == county]
    level, plain = pl.col("niva"), pl.col("jamforelse").is_null()
    chosen = plain & (
        ((level == "lan") & (pl.col("enhet") == county))
        | (level == "riket")
        | ((level == "kommun") & pl.col("enhet").is_in(units))
    )
    return {name: rows.filter(chosen) for name, rows in results.tables.items()}


def unit_tables(request: DeckRequest, results: Results, version: DataVersion) -> TableSet:
    """What the unit's users may see of the study (as the portal shows it), suppressed
    figures emptied, with the words the deck's title slide needs."""
    assert request.unit is not None
    rows = results.for_unit(request.unit.code)
    min_count = int(settings.NUSO_MIN_CELL_COUNT) if results.suppression else None
    return hidden(TableSet(rows, results.source, min_count, title=request.study.name,
                           version=version.described, language=request.language))  # fmt: skip


def comparison_of(request: DeckRequest) -> str:
    """The comparison asked for, or the unit's country's first; one its country has not (a
    Norwegian unit has no SKR group) is refused, naming those it has."""
    assert request.unit is not None
    offered = _offered(request.unit)
    if request.comparison is None:
        return next(iter(offered))
    if request.comparison not in offered:
        raise ReportError(
            f"{request.unit.name} kan inte jämföras med {request.comparison}; välj "
            f"{', '.join(offered)}."
        )
    return request.comparison


def unit_deck_for(request: DeckRequest) -> Deck:
    assert request.unit is not None
    comparison = comparison_of(request)
    tables = unit_tables(request, study_tables(request.study), data_version(request.study))
    periods = periods_of(tables.tables, "kommun", request.unit.code)
    if not periods:
        raise ReportError(f"{request.unit.name} har inga uppgifter i {request.study.name}.")
    if request.period and request.period not in periods:
        raise ReportError(
            f"{request.unit.name} har inga uppgifter för {request.period} i "
            f"{request.study.name}; perioder med uppgifter: {', '.join(periods)}."
        )
    given = unit_input(tables, request.unit.code, request.period, comparison)
    return replace(
        unit_deck(given), file_stem=f"{request.study.slug}_{request.unit.code}_{given.period}"
    )


def write_deck_file(request: DeckRequest, folder: Path) -> Path:
    """The deck in `folder`; its path."""
    deck = deck_for(request)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{deck.file_stem}.pptx"
    with written_whole(path) as temporary, translation.override(request.language):
        write_deck(deck, temporary)
    return path


def _offered(unit: Unit) -> dict[str, object]:
    return comparisons_for(unit.country, bool(unit.size_band))


def units_with_data(study: Study) -> list[Unit]:
    current = ImportBatch.objects.filter(study=study, status=ImportBatch.Status.IMPORTED)
    return list(Unit.objects.filter(pk__in=current.values("unit")).order_by("code"))


def every_deck(
    study: Study, period: str | None, comparison: str | None, language: str = "sv"
) -> list[DeckRequest]:
    """Each unit's deck, each county's with data, and the nation's, in `language`; the units
    compared with `comparison` where their country has it, else with their country's first."""
    units = units_with_data(study)
    counties = County.objects.filter(pk__in={u.county_id for u in units}).order_by("code")
    return [
        *(DeckRequest(study, unit=u, period=period, language=language,
                      comparison=comparison if comparison in _offered(u) else None)
          for u in units),
        *(DeckRequest(study, county=c, period=period, language=language) for c in counties),
        DeckRequest(study, period=period, language=language),
    ]  # fmt: skip


@dataclass
class Written:
    """What a run of decks wrote, and what it could not (a unit without data in the period
    asked for, say), with why: one deck that cannot be made never stops the others."""

    paths: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def write_decks(
    requests: Iterable[DeckRequest],
    folder: Path,
    progress: Callable[[Path | None], None] | None = None,
) -> Written:
    """Each deck in `folder`; `progress` is told each one done (None for one skipped)."""
    written = Written()
    for request in requests:
        path = None
        try:
            path = write_deck_file(request, folder)
            written.paths.append(path)
        except ReportError as error:
            written.skipped.append(str(error))
        if progress is not None:
            progress(path)
    return written


def zipped(paths: list[Path], path: Path) -> Path:
    """The decks in one zip (decks are compressed already: stored, not deflated again)."""
    with written_whole(path) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        for each in paths:
            archive.write(each, each.name, compress_type=zipfile.ZIP_STORED)
    return path
