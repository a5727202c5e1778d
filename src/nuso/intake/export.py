"""Harmonised records as row frames, for `nuso export` and the portal's row downloads, for
any study, from its dictionary: one row per source row with where it came from (kommunkod,
fil, flik, rad), each variable of the dictionary (a derived one right after the variable it
is derived from; several codes joined by |), the variables still waiting for review
(granskning) and, in `nuso export`, each variable's raw value (`<variabel>_original`). The
writers of nuso.core.outputs write them."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from nuso.analysis.data import dimension_labels
from nuso.core.harmonise.dictionary import StudyDictionary, dictionary_from_stored
from nuso.core.intake import blocks
from nuso.core.outputs.rows import RowSet
from nuso.intake.record_frames import FILE, SHEET, UNIT, record_frame, waiting_for_review
from nuso.studies.models import Study
from nuso.units.models import Unit


def place_labels() -> dict[str, str]:
    """The headings of where a row came from, in the reader's language (the portal's row
    downloads are made in it; `nuso export` in Swedish)."""
    return {"kommunkod": _("Kommun- eller stadsdelskod"), "fil": _("Fil"), "flik": _("Flik"),
            "rad": _("Rad")}  # fmt: skip


REVIEW = "granskning"
ORIGINAL = "_original"


def export_rows(study: Study, unit: Unit | None = None) -> RowSet:
    """What `nuso export` writes: the study's current records (of one unit, or all), with
    each variable's raw value, headed by column names for the programs that read it."""
    parts = (blocks.VALUE, blocks.METHOD, blocks.SOURCE)
    return row_set(record_frame(study, unit, parts=parts), study, originals=True)


def row_set(records: pl.DataFrame, study: Study, *, originals: bool = False) -> RowSet:
    """Records (with values and methods, and with sources for `originals`) as rows, in the
    order of unit, file, sheet and row, with their Swedish labels and the codes' labels."""
    dictionary = dictionary_from_stored(study.dictionary)
    records = records.sort([UNIT, FILE, SHEET, blocks.ROW], maintain_order=True)
    decided = [variable.name for variable in dictionary.variables] if originals else []
    frame = records.select(
        pl.col(UNIT).alias("kommunkod"),
        pl.col(FILE).alias("fil"),
        pl.col(SHEET).alias("flik"),
        pl.col(blocks.ROW).cast(pl.Int64).alias("rad"),
        *_values(dictionary),
        waiting_for_review(dictionary).alias(REVIEW),
        *(_original(name) for name in decided),
    )
    labels = _labels(dictionary, decided)
    return RowSet(frame, labels, dimension_labels(dictionary), labelled_header=not originals)


def value_order(dictionary: StudyDictionary) -> list[str]:
    """The dictionary's variables, each followed by those derived from it."""
    order = []
    for variable in dictionary.variables:
        order.append(variable.name)
        order += [d.name for d in dictionary.derived if d.source == variable.name]
    return order + [d.name for d in dictionary.derived if d.name not in order]


def _values(dictionary: StudyDictionary) -> list[pl.Expr]:
    types = blocks.value_types(dictionary)
    values = []
    for name in value_order(dictionary):
        column = pl.col(blocks.VALUE + name)
        if isinstance(types[name], pl.List):  # several codes joined; none is no value
            column = pl.when(column.list.len() > 0).then(column.list.join("|"))
        values.append(column.alias(name))
    return values


def _original(name: str) -> pl.Expr:
    source = pl.col(blocks.SOURCE + name)
    return pl.when(source != "").then(source).alias(name + ORIGINAL)


def _labels(dictionary: StudyDictionary, originals: list[str]) -> dict[str, str]:
    labels = {**place_labels(), **{v.name: v.label for v in dictionary.variables}}
    labels |= {d.name: d.label for d in dictionary.derived}
    labels[REVIEW] = _("Väntar på granskning")
    return labels | {name + ORIGINAL: f"{labels[name]} (originalvärde)" for name in originals}
