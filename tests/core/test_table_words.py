"""The tables workbook in the tables' language and for their country: a Norwegian study's
workbook names the fylke and Norge and nothing Swedish (no län, no riket, no SKR groups), in
Swedish, English and bokmål; and every language's words have the same fields."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from nuso.core.analysis.indicators.frame import RESULT_COLUMNS
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.table_definitions import Outcome, TableDefinition
from nuso.core.outputs import words
from nuso.core.outputs.registry import write_tables
from nuso.core.outputs.tables import TableSet

DEFINITION = TableDefinition(
    "undersokelse", "Andel meldinger som fører til undersøkelse", "share", (),
    outcomes=(Outcome("undersokelse", "Fører til undersøkelse", "utfall", ("undersokelse",)),),
)  # fmt: skip
SWEDISH_WORDS = ("Län", "Riket", "riket", "Kommungrupp", "SKR", "Sverige", "Sweden")


def tables_of(country: str, language: str) -> TableSet:
    """One share for a unit, its county, the county without the unit and the nation."""
    unit, county = ("NO-1860", "NO-18") if country == "NO" else ("1780", "17")
    rows = pl.DataFrame({
        "tabell": ["undersokelse"] * 4, "niva": ["kommun", "lan", "lan", "riket"],
        "enhet": [unit, county, county, "riket"], "period": ["2024"] * 4,
        "steg": ["undersokelse"] * 4, "antal": [63, 146, 83, 240],
        "total": [110, 330, 220, 580], "andel": [0.573, 0.442, 0.377, 0.414],
        "jamforelse": [None, None, unit, None], "undertryckt": [False] * 4,
    })  # fmt: skip
    rest = [pl.lit(None).alias(name) for name in RESULT_COLUMNS if name not in rows.columns]
    names = {("kommun", unit): "Vestvågøy" if country == "NO" else "Karlstad",
             ("lan", county): "Nordland" if country == "NO" else "Värmland",
             ("riket", "riket"): "Norge" if country == "NO" else "Riket"}  # fmt: skip
    study = StudyInput((DEFINITION,), pl.DataFrame(), {}, {}, names, frozenset(),
                       country=country)  # fmt: skip
    return TableSet({"undersokelse": rows.with_columns(rest)}, study, 5, language=language)


def workbook_text(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize(
    ("language", "county", "nation", "method"),
    [("sv", "Fylke", "Norge", "Om metoden"), ("en", "County (fylke)", "Norway",
     "About the method"), ("nb", "Fylke", "Norge", "Om metoden")],
)  # fmt: skip
def test_a_norwegian_workbook_names_the_fylke_and_norway_and_nothing_swedish(
    tmp_path, language, county, nation, method
) -> None:
    path = tmp_path / "tabeller.xlsx"
    write_tables("xlsx", tables_of("NO", language), path)
    sheets = workbook_text(path)
    assert list(sheets) == ["undersokelse", method]
    table = sheets["undersokelse"]
    levels = [row[0] for row in table[2:]]
    assert levels[1:3] == [county, county]
    assert table[-1][:3] == [nation, "NO", nation]  # its code, as the units' are "NO-…"
    said = " ".join(str(cell) for rows in sheets.values() for row in rows for cell in row)
    assert "Vestvågøy (NO-1860)" in said  # the unit compared, in the county's row
    assert nation in " ".join(str(c) for row in sheets[method] for c in row)
    found = [word for word in SWEDISH_WORDS if re.search(rf"\b{word}\b", said)]
    assert found == []


@pytest.mark.parametrize(
    ("language", "share", "suppressed", "yes_or_no"),
    [("sv", "Andel", "Undertryckt", "Nej"), ("en", "Share", "Suppressed", "No"),
     ("nb", "Andel", "Skjult", "Nei")],
)  # fmt: skip
def test_a_swedish_workbook_in_each_language(
    tmp_path, language, share, suppressed, yes_or_no
) -> None:
    path = tmp_path / "tabeller.xlsx"
    write_tables("xlsx", tables_of("SE", language), path)
    table = workbook_text(path)["undersokelse"]
    header = table[1]
    assert share in header
    assert table[2][header.index(suppressed)] == yes_or_no
    assert table[-1][0] == words.words_for(language).level("riket", "SE")
    assert table[3][0] == words.words_for(language).level("lan", "SE")


def test_every_languages_table_words_have_the_swedish_fields_and_keys() -> None:
    """A translator may reorder a text's fields, not drop one; every heading, level and
    country is in every language."""

    def shape(value: object) -> object:
        if isinstance(value, str):
            return sorted(re.findall(r"{\w+}", value))
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        if isinstance(value, tuple):
            return [shape(item) for item in value]
        return value

    for field in dataclasses.fields(words.TableWords):
        if field.name == "language":
            continue
        swedish = shape(getattr(words.SWEDISH, field.name))
        for other in (words.ENGLISH, words.NORWEGIAN):
            assert shape(getattr(other, field.name)) == swedish, (other.language, field.name)


def test_a_language_code_finds_its_words() -> None:
    assert words.words_for("en-gb") is words.ENGLISH
    assert words.words_for("nb") is words.NORWEGIAN
    assert words.words_for("fr") is words.SWEDISH
    assert replace(words.SWEDISH).level("lan", "NO") == "Fylke"
