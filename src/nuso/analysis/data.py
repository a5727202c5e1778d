"""The engine's input from the database: one analysis frame per study and period, the
categories and labels of every dimension, and the names of units and groups."""

from __future__ import annotations

import polars as pl

from nuso.core.analysis.indicators.frame import MISSING, analysis_frame
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.analysis.indicators.labels import dimension_labels as labels_of
from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks
from nuso.core.units import SIZE_BANDS, SKR_GROUPS
from nuso.intake.record_frames import PERIOD, UNIT, record_frame
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import Study
from nuso.units.models import Unit

MISSING_LABEL = "Uppgift saknas"


def study_input(study: Study, period: str | None = None) -> StudyInput:
    dictionary = dictionary_from_stored(study.dictionary)
    units = unit_table()
    # a case's records may be of several periods: read them all, then keep the period's
    across = any(variable.across_case for variable in dictionary.computed)
    frame = analysis_frame(_records(study, None if across else period), dictionary, units)
    if period is not None:
        frame = frame.filter(pl.col("period") == period)
    labels = dimension_labels(dictionary)
    return StudyInput(
        tables=dictionary.tables,
        frame=frame,
        categories={name: tuple(codes) for name, codes in labels.items()},
        labels={name: {**codes, MISSING: MISSING_LABEL} for name, codes in labels.items()},
        names=level_names(units),
        multi_valued=frozenset(v.name for v in dictionary.variables if v.type == "categories")
        | {d.name for d in dictionary.derived if d.multiple},
        titles={v.name: v.label for v in dictionary.variables}
        | {d.name: d.label for d in dictionary.derived}
        | {c.name: c.label for c in dictionary.computed}
        | {"storleksgrupp": "Kommunstorlek", "kommungrupp": "Kommungrupp", "steg": "Steg"},
    )


def _records(study: Study, period: str | None) -> pl.DataFrame:
    """The unit code, period, pseudonym and values of the study's current records."""
    records = record_frame(study, period=period)
    values = {name: name.removeprefix(blocks.VALUE) for name in records.columns
              if name.startswith(blocks.VALUE)}  # fmt: skip
    return records.select(
        pl.col(UNIT).alias("enhet"), PERIOD, blocks.PSEUDONYM,
        *(pl.col(c).alias(v) for c, v in values.items()),
    )  # fmt: skip


def unit_table() -> pl.DataFrame:
    """Every unit with its comparison groups; a district takes its municipality's SKR group
    and county, and the size band of its own population (PM #1)."""
    rows = []
    for unit in Unit.objects.select_related("parent", "county"):
        group = unit.municipality_group or (unit.parent.municipality_group if unit.parent else "")
        rows.append((unit.code, unit.name, unit.county.code, group or None, unit.size_band or None))
    return pl.DataFrame(
        rows, schema=["enhet", "namn", "lan", "kommungrupp", "storleksgrupp"], orient="row"
    )


def dimension_labels(dictionary: StudyDictionary) -> dict[str, dict[str, str]]:
    """Codes and labels of everything a table can be broken down by, in codebook order."""
    return labels_of(dictionary, codebook_of(latest_version()))


def level_names(units: pl.DataFrame) -> dict[tuple[str, str], str]:
    from nuso.units.models import County

    names: dict[tuple[str, str], str] = {("riket", "riket"): "Riket"}
    names |= {("kommun", code): name for code, name in units.select("enhet", "namn").iter_rows()}
    names |= {("kommungrupp", code): name for code, name in SKR_GROUPS.items()}
    names |= {("storleksgrupp", band.code): band.label for band in SIZE_BANDS}
    names |= {("lan", county.code): county.name for county in County.objects.all()}
    return names
