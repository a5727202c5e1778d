"""Results decks and tables workbooks of Norwegian units: the nation is Norge, the comparison
group the fylke, and nothing Swedish (no riket, län, SKR groups); a fylke's deck; the
language asked for. The Norwegian study is the small one of the tests (`conftest`)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from pptx import Presentation
from python_calamine import CalamineWorkbook

from .conftest import NORWEGIAN_UNITS, import_norwegian_reports
from .test_reports import all_text, titles

STUDY = "meldinger_prove"
SWEDISH = ("Riket", "riket", "Län", "län", "Kommungrupp", "kommungrupp", "SKR", "Sverige")


@pytest.fixture
def norwegian(nuso, tmp_path):
    import_norwegian_reports(nuso, tmp_path / "meldinger")
    return nuso


def report(nuso, folder: Path, *args: str) -> Path:
    result = nuso("report", "--study", STUDY, *args, "--output", str(folder))
    assert result.exit_code == 0, result.err
    (path,) = folder.glob("*.pptx")
    return path


def swedish_words(lines: list[str]) -> list[str]:
    said = "\n".join(lines)
    return [word for word in SWEDISH if re.search(rf"\b{word}\b", said)]


def series_names(path: Path) -> list[list[str]]:
    """Each chart's series, slide by slide."""
    return [[series.name for series in shape.chart.plots[0].series]
            for slide in Presentation(str(path)).slides
            for shape in slide.shapes if shape.has_chart]  # fmt: skip


def test_a_norwegian_units_deck_compares_it_with_its_fylke_and_norway(norwegian, tmp_path):
    path = report(norwegian, tmp_path / "ut", "--kommun", "NO-1860")
    assert path.name == f"{STUDY}_NO-1860_2024.pptx"
    lines = all_text(path)
    assert lines[1] == ("Resultat för 2024 jämfört med fylket Nordland (utom Vestvågøy) och Norge")
    charts = series_names(path)
    assert charts[0] == ["Vestvågøy", "Norge"]  # the key figure over time
    assert all(names == ["Vestvågøy", "Fylket Nordland (utom Vestvågøy)", "Norge"]
               for names in charts[1:])  # fmt: skip
    # the fylke's figures are there: Nordland without Vestvågøy, as the engine counted them
    fylke = "Fylket Nordland (utom Vestvågøy): 37,7\u00a0%"
    assert any(line.startswith("Andel meldinger som fører til undersøkelse – Vestvågøy: ")
               and fylke in line for line in lines)  # fmt: skip
    assert any("högre än fylket Nordland (utom Vestvågøy)" in line for line in lines)
    # the reference's share follows its name in words, never in a second pair of brackets
    assert not any(re.search(r"\)\s*\(\d", line) for line in lines)
    assert any(re.search(r"mot \d+,\d\u00a0% i (fylket Nordland|Norge)", line) for line in lines)
    assert "Om metoden" in titles(path)
    assert any("Jämförelsegruppen (fylket, eller kommunerna" in line for line in lines)
    assert swedish_words(lines) == []


def test_a_norwegian_unit_has_no_municipality_group_and_its_key_is_its_own(
    norwegian, tmp_path
) -> None:
    asked = ("report", "--study", STUDY, "--output", str(tmp_path / "ut"))
    refused = norwegian(*asked, "--kommun", "NO-1860", "--jamfor", "kommungrupp")
    assert refused.exit_code == 1
    assert (
        "Vestvågøy kan inte jämföras med kommungrupp; välj lan, storleksgrupp, riket."
        in refused.err
    )
    laxa = norwegian(*asked, "--kommun", "1860")
    assert laxa.exit_code == 1
    assert "Laxå (1860) är inte en enhet i meldinger_proves land" in laxa.err
    compared = report(norwegian, tmp_path / "riket", "--kommun", "Vestvågøy", "--jamfor", "riket")
    assert series_names(compared)[1] == ["Vestvågøy", "Norge"]
    assert swedish_words(all_text(compared)) == []


def test_a_fylkes_deck_shows_it_against_norway_with_its_own_units(norwegian, tmp_path) -> None:
    path = report(norwegian, tmp_path / "ut", "--lan", "18")
    assert path.name == f"{STUDY}_NO-18.pptx"
    lines = all_text(path)
    assert lines[:2] == [
        "Meldinger: Nordland",
        "Resultat 2024 jämfört med Norge, och spridningen mellan dess kommuner",
    ]
    assert series_names(path)[0] == ["Nordland", "Norge"]
    said = " ".join(lines)
    nordland = {"Bodø", "Narvik", "Vestvågøy", "Vågan"}
    others = {name for name, *_ in NORWEGIAN_UNITS.values()} - nordland
    assert all(name in said for name in nordland)
    assert not any(name in said for name in others)
    assert swedish_words(lines) == []
    assert report(norwegian, tmp_path / "nyckel", "--lan", "NO-18").name == path.name
    unknown = norwegian("report", "--study", STUDY, "--lan", "17", "--output", str(tmp_path))
    assert "Okänt län eller fylke '17' i meldinger_prove" in unknown.err  # Värmland is Swedish


def test_every_deck_of_a_norwegian_study(norwegian, tmp_path) -> None:
    folder = tmp_path / "ut"
    result = norwegian("report", "--study", STUDY, "--alla", "--output", str(folder))
    assert result.exit_code == 0, result.err
    decks = sorted(path.name for path in folder.glob("*.pptx"))
    assert len(decks) == len(NORWEGIAN_UNITS) + 3 + 1  # the units, Oslo, Nordland, Troms; Norge
    assert f"{STUDY}_riket.pptx" in decks  # the file's name has the key, not a name
    nation = folder / f"{STUDY}_riket.pptx"
    assert titles(nation)[0] == "Meldinger: Norge"
    said = all_text(nation)
    # a chart's subtitle: Norway's units have size bands from SSB's population
    assert "Norge och kommuner efter storlek, 2024" in said
    assert swedish_words(all_text(nation)) == []
    with zipfile.ZipFile(folder / f"{STUDY}_alla_rapporter.zip") as archive:
        assert sorted(archive.namelist()) == decks


def test_a_norwegian_units_workbook_names_its_fylke_and_norway(norwegian, tmp_path) -> None:
    path = tmp_path / "tabeller.xlsx"
    result = norwegian("tables", "--study", STUDY, "--kommun", "NO-1860", "--output", str(path))
    assert result.exit_code == 0, result.err
    book = CalamineWorkbook.from_path(str(path))
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    table = sheets["undersokelse"]
    header = table[1]
    rows = {(row[0], row[header.index("Namn")]) for row in table[2:]}
    assert {("Kommun", "Vestvågøy"), ("Fylke", "Nordland"), ("Norge", "Norge")} <= rows
    compared = [row for row in table[2:] if row[header.index("Jämförs med")]]
    assert {row[0] for row in compared} == {"Fylke", "Kommunstorlek", "Norge"}
    said = [str(cell) for rows in sheets.values() for row in rows for cell in row]
    assert swedish_words(said) == []


SWEDISH_SENTENCES = ("jämfört", "och", "skillnad", "säkerställd", "Underlag", "undertryckt",
                     "anteckningarna", "Det här sticker ut", "Om metoden")  # fmt: skip


@pytest.mark.parametrize(
    ("language", "subtitle", "standing_out", "locale"),
    [("nb", "Resultater for 2024 sammenlignet med Nordland fylke (utenom Vestvågøy) og Norge",
      "Dette skiller seg ut", "nb-NO"),
     ("en", "Results for 2024 compared with the county of Nordland (excluding Vestvågøy) and "
      "Norway", "What stands out", "en-GB")],
)  # fmt: skip
def test_a_norwegian_units_deck_in_bokmal_and_in_english(
    norwegian, tmp_path, language, subtitle, standing_out, locale
) -> None:
    path = report(norwegian, tmp_path / "ut", "--kommun", "NO-1860", "--sprak", language)
    lines = all_text(path)
    assert lines[1] == subtitle
    assert standing_out in titles(path)
    assert Presentation(str(path)).core_properties.language == locale
    # a share of all reports has one comparison, told as one (not as a distribution's test)
    assert not any(line.startswith(("Fordelingen av andel", "The distribution of andel"))
                   for line in lines)  # fmt: skip
    said = "\n".join(lines)
    found = [text for text in (*SWEDISH, *SWEDISH_SENTENCES) if re.search(rf"\b{text}\b", said)]
    if language == "nb":  # "Om metoden" is bokmål too
        found.remove("Om metoden")
    assert found == []


def test_a_norwegian_manager_downloads_the_deck_and_workbook_in_bokmal(
    norwegian, tmp_path, client
) -> None:
    """The portal's language for a Norwegian unit's user is bokmål: so are its files."""
    from nuso.accounts.models import User
    from nuso.units.models import Unit

    from .conftest import log_in_with_code, make_user
    from .test_reports import PASSWORD

    user = make_user("leder", User.Role.MUNICIPAL, [Unit.objects.get(code="NO-1860")])
    log_in_with_code(client, user, PASSWORD)
    files = {}
    for suffix in ("pptx", "xlsx"):
        response = client.get(f"/portal/enhet/NO-1860/{STUDY}/tabeller.{suffix}")
        assert response.status_code == 200
        files[suffix] = tmp_path / f"nedlastet.{suffix}"
        files[suffix].write_bytes(b"".join(response.streaming_content))
    lines = all_text(files["pptx"])
    assert lines[1] == (
        "Resultater for 2024 sammenlignet med Nordland fylke (utenom Vestvågøy) og Norge"
    )
    assert "Dette skiller seg ut" in titles(files["pptx"])
    book = CalamineWorkbook.from_path(str(files["xlsx"]))
    table = book.get_sheet_by_name("undersokelse").to_python()
    assert {"Antall", "Andel", "Sammenlignet med", "Skjult"} <= set(table[1])
    assert {row[0] for row in table[2:]} == {"Kommune", "Fylke", "Kommunestørrelse", "Norge"}
    method = " ".join(str(c) for row in book.get_sheet_by_name("Om metoden").to_python()
                      for c in row)  # fmt: skip
    assert "Sammenligningsgruppen (fylket, eller kommunene av samme størrelse)" in method


def test_a_norwegian_units_deck_in_bokmal_renders_in_libreoffice(norwegian, tmp_path) -> None:
    from .test_reports import rendered

    path = report(norwegian, tmp_path / "ut", "--kommun", "NO-1860", "--sprak", "nb")
    text, pages = rendered(path, tmp_path)
    assert len(pages) > 5
    for words in ("Meldinger: Vestvågøy", "Nordland fylke (utenom Vestvågøy)", "Norge",
                  "Dette skiller seg ut", "Om metoden", "95 %"):  # fmt: skip
        assert words in text, words


def test_a_fylkes_units_are_drawn_as_points_in_libreoffice(norwegian, tmp_path) -> None:
    """The units' spread is a scatter chart: LibreOffice drew none of its points while they
    were the chart's first series."""
    from PIL import Image

    from .test_reports import rendered

    path = report(norwegian, tmp_path / "ut", "--lan", "18")
    at = next(i for i, title in enumerate(titles(path)) if title.endswith("mellan enheter"))
    _, pages = rendered(path, tmp_path, resolution=40)
    image = Image.open(pages[at]).convert("RGB")
    inch = image.width / 13.333
    plot = image.crop((int(0.4 * inch), int(1.6 * inch), int(8.9 * inch), int(6.2 * inch)))
    near = np.abs(np.asarray(plot, dtype=int) - (0x1F, 0x4E, 0x79)).max(axis=2) < 40
    assert near.sum() > 20  # four units' circles in the units' colour (the legend is below)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_guidance_in_downloaded_tables_is_in_the_pages_language(
    norwegian, client, settings, language
) -> None:
    """Every guidance sentence of the CSV, JSON and workbook is composed in the language the
    tables were asked for, as on the dashboard: none is the engine's Swedish."""
    import io
    import json

    import polars as pl

    from nuso.accounts.models import User
    from nuso.core.analysis.indicators import guidance
    from nuso.units.models import Unit

    from .conftest import log_in_with_code, make_user
    from .test_reports import PASSWORD

    wording = {"nb": guidance.NORWEGIAN, "en": guidance.ENGLISH}[language]
    openings = tuple(
        template.split("{")[0]
        for template in (wording.too_few, wording.nothing_to_compare, wording.compared,
                         wording.distribution_too_few, wording.distribution_differs)
    )  # fmt: skip
    user = make_user("leder", User.Role.MUNICIPAL, [Unit.objects.get(code="NO-1860")])
    log_in_with_code(client, user, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    files = {}
    for suffix in ("csv", "json", "xlsx"):
        response = client.get(f"/portal/enhet/NO-1860/{STUDY}/tabeller.{suffix}")
        assert response.status_code == 200
        files[suffix] = b"".join(response.streaming_content)
    sentences = {
        "csv": pl.read_csv(io.BytesIO(files["csv"]), infer_schema_length=0)["vagledning"]
        .drop_nulls()
        .to_list(),
        "json": [row["vagledning"] for table in json.loads(files["json"])["tabeller"]
                 for row in table["rader"] if row.get("vagledning")],
        "xlsx": _workbook_guidance(files["xlsx"]),
    }  # fmt: skip
    for suffix, said in sentences.items():
        assert said, suffix
        assert [s for s in said if not s.startswith(openings)] == [], suffix
        assert not [s for s in said if re.search(r"jämfört|säkerställ|Skillnaden|riket", s)]


def _workbook_guidance(content: bytes) -> list[str]:
    book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(content))
    said = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        if len(rows) < 2:
            continue
        header = [str(cell) for cell in rows[1]]
        guidance_columns = [i for i, h in enumerate(header) if h in ("Veiledning", "Guidance")]
        said += [str(row[i]) for row in rows[2:] for i in guidance_columns if row[i]]
    return said
