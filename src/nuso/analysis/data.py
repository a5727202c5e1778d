"""The engine's input from the database: one analysis frame per study and period, the
categories and labels of every dimension, and the names of units and groups."""

from __future__ import annotations

import polars as pl

from nuso.core.analysis.indicators.frame import MISSING, analysis_frame
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks
from nuso.core.units import SIZE_BANDS, SKR_GROUPS
from nuso.intake.record_frames import PERIOD, UNIT, record_frame
from nuso.studies.codebooks import codebook_of, latest_version
from nuso.studies.models import Study
from nuso.units.models import Unit

MISSING_LABEL = "Uppgift saknas"
BOOLEAN_LABELS = {"ja": "Ja", "nej": "Nej"}


def study_input(study: Study, period: str | None = None) -> StudyInput:
    dictionary = dictionary_from_stored(study.dictionary)
    units = unit_table()
    frame = analysis_frame(_records(study, period), dictionary, units)
    labels = dimension_labels(dictionary)
    return StudyInput(
        tables=dictionary.tables,
        frame=frame,
        categories={name: tuple(codes) for name, codes in labels.items()},
        labels={name: {**codes, MISSING: MISSING_LABEL} for name, codes in labels.items()},
        names=level_names(units),
        multi_valued=frozenset(v.name for v in dictionary.variables if v.type == "categories"),
        titles={v.name: v.label for v in dictionary.variables}
        | {d.name: d.label for d in dictionary.derived}
        | {"storleksgrupp": "Kommunstorlek", "kommungrupp": "Kommungrupp", "steg": "Steg"},
    )


def _records(study: Study, period: str | None) -> pl.DataFrame:
    """The unit code, period and values of the study's current records."""
    records = record_frame(study, period=period)
    values = {name: name.removeprefix(blocks.VALUE) for name in records.columns
              if name.startswith(blocks.VALUE)}  # fmt: skip
    return records.select(
        pl.col(UNIT).alias("enhet"), PERIOD, *(pl.col(c).alias(v) for c, v in values.items())
    )


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
    codebook = codebook_of(latest_version())
    labels: dict[str, dict[str, str]] = {
        "storleksgrupp": {band.code: band.label for band in SIZE_BANDS},
        "kommungrupp": {code: f"{code} {name}" for code, name in SKR_GROUPS.items()},
    }
    for variable in dictionary.variables:
        if variable.codebook:
            codes = codebook.variables[variable.codebook].codes
            labels[variable.name] = {code.code: code.label for code in codes}
        elif variable.categories:
            labels[variable.name] = dict(variable.categories)
        elif variable.type == "boolean":
            labels[variable.name] = dict(BOOLEAN_LABELS)
        elif variable.type == "integer" and variable.min is not None and variable.max is not None:
            unit = f" {variable.unit}" if variable.unit else ""
            labels[variable.name] = {
                str(n): f"{n}{unit}" for n in range(variable.min, variable.max + 1)
            }
    for derived in dictionary.derived:
        if derived.codebook:
            codes = codebook.variables[derived.codebook].codes
            labels[derived.name] = {code.code: code.label for code in codes}
    return labels


def level_names(units: pl.DataFrame) -> dict[tuple[str, str], str]:
    from nuso.units.models import County

    names: dict[tuple[str, str], str] = {("riket", "riket"): "Riket"}
    names |= {("kommun", code): name for code, name in units.select("enhet", "namn").iter_rows()}
    names |= {("kommungrupp", code): name for code, name in SKR_GROUPS.items()}
    names |= {("storleksgrupp", band.code): band.label for band in SIZE_BANDS}
    names |= {("lan", county.code): county.name for county in County.objects.all()}
    return names
