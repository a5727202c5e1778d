"""The engine's input from the database: one analysis frame per study and period, the
categories and labels of every dimension, and the names of units and groups."""

from __future__ import annotations

import polars as pl

from nuso.core.analysis.indicators.frame import MISSING, analysis_frame
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.analysis.indicators.labels import dimension_labels as labels_of
from nuso.core.countries import COUNTRIES, SWEDEN
from nuso.core.harmonise.codebook import Codebook
from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks
from nuso.core.intake.dates import period_span
from nuso.core.units import SIZE_BANDS, SKR_GROUPS
from nuso.intake.record_frames import PERIOD, UNIT, record_frame
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import Study
from nuso.units.models import Unit

MISSING_LABEL = "Uppgift saknas"


class MixedCountriesError(RuntimeError):
    """A study's records hold a unit of another country than the study's: its tables would
    mix countries. The import, the forms and the API refuse such units, so this is a fault."""


def study_input(study: Study, period: str | None = None) -> StudyInput:
    dictionary = dictionary_from_stored(study.dictionary)
    units = unit_table(dictionary.country)
    # a case's records may be of several periods: read them all, then keep the period's
    across = any(variable.across_case for variable in dictionary.computed)
    records = _records(study, None if across else period)
    foreign = set(records["enhet"].unique()) - set(units["enhet"])
    if foreign:
        raise MixedCountriesError(
            f"{study.slug} is {dictionary.country}'s study but holds records of {sorted(foreign)}"
        )
    frame = analysis_frame(records, dictionary, units)
    if period is not None:
        frame = frame.filter(pl.col("period") == period)
    codebook = codebook_of(latest_version())
    labels = labels_of(dictionary, codebook)
    return StudyInput(
        tables=dictionary.tables,
        frame=frame,
        categories={name: tuple(codes) for name, codes in labels.items()},
        labels={name: {**codes, MISSING: MISSING_LABEL} for name, codes in labels.items()},
        names=level_names(units, dictionary.country),
        multi_valued=frozenset(v.name for v in dictionary.variables if v.type == "categories")
        | {d.name for d in dictionary.derived if d.multiple},
        titles={v.name: v.label for v in dictionary.variables}
        | {d.name: d.label for d in dictionary.derived}
        | {c.name: c.label for c in dictionary.computed}
        | {"storleksgrupp": "Kommunstorlek", "kommungrupp": "Kommungrupp", "steg": "Steg"},
        country=dictionary.country,
        out_of_force=codes_out_of_force(dictionary, codebook, frame["period"].unique().to_list()),
    )


def codes_out_of_force(
    dictionary: StudyDictionary, codebook: Codebook, periods: list[str]
) -> dict[str, dict[str, frozenset[str]]]:
    """Per dimension with a dated code list, per period, the codes in force on no day of
    it: a 2024 table has no row for a code that came in 2025."""
    lists = {v.name: v.codebook for v in dictionary.variables if v.codebook}
    lists |= {d.name: d.codebook for d in dictionary.derived if d.codebook}
    spans = {period: span for period in periods if (span := period_span(period)) is not None}
    found: dict[str, dict[str, frozenset[str]]] = {}
    for name, list_name in lists.items():
        variable = codebook.variables[list_name]
        if variable.dated:
            found[name] = {period: variable.code_set - variable.in_force(*span)
                           for period, span in spans.items()}  # fmt: skip
    return found


def _records(study: Study, period: str | None) -> pl.DataFrame:
    """The unit code, period, pseudonym and values of the study's current records."""
    records = record_frame(study, period=period)
    values = {name: name.removeprefix(blocks.VALUE) for name in records.columns
              if name.startswith(blocks.VALUE)}  # fmt: skip
    return records.select(
        pl.col(UNIT).alias("enhet"), PERIOD, blocks.PSEUDONYM,
        *(pl.col(c).alias(v) for c, v in values.items()),
    )  # fmt: skip


def unit_table(country: str = SWEDEN) -> pl.DataFrame:
    """Every unit of `country` with its comparison groups; a district takes its
    municipality's SKR group and county, and the size band of its own population (PM #1).
    One country's: a study's nation and groups are never of two countries."""
    rows = []
    for unit in Unit.objects.filter(country=country).select_related("parent", "county"):
        group = unit.municipality_group or (unit.parent.municipality_group if unit.parent else "")
        rows.append((unit.code, unit.name, unit.county.code, group or None, unit.size_band or None))
    # typed: a country without SKR groups (or populations) has a column of nulls only
    names = ["enhet", "namn", "lan", "kommungrupp", "storleksgrupp"]
    return pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")


def dimension_labels(dictionary: StudyDictionary) -> dict[str, dict[str, str]]:
    """Codes and labels of everything a table can be broken down by, in codebook order."""
    return labels_of(dictionary, codebook_of(latest_version()))


def level_names(units: pl.DataFrame, country: str = SWEDEN) -> dict[tuple[str, str], str]:
    from nuso.units.models import County

    nation = "Riket" if country == SWEDEN else COUNTRIES[country].name
    names: dict[tuple[str, str], str] = {("riket", "riket"): nation}
    names |= {("kommun", code): name for code, name in units.select("enhet", "namn").iter_rows()}
    names |= {("kommungrupp", code): name for code, name in SKR_GROUPS.items()}
    names |= {("storleksgrupp", band.code): band.label for band in SIZE_BANDS}
    counties = County.objects.filter(country=country)
    names |= {("lan", county.code): county.name for county in counties}
    return names
