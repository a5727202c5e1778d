"""The synthetic Norwegian report set: reproducible to the byte, and its facit says what each
data row of each file holds, in codes valid on the report's date."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest
from stdnum.no import fodselsnummer

from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.intake.reading import read_file
from nuso.core.synth.report_exports import STYLES, UNIT_STYLES, write_report_exports
from nuso.core.synth.reports import UNITS

ROWS = 1_200
ORIGINALS = {  # facit column -> the style's column holding it
    "kon_original": "kon",
    "melder_original": "melder",
    "saksinnhold_original": "innhold",
    "konklusjon_original": "konklusjon",
}
CODEBOOK = shipped_codebook()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("meldinger")
    write_report_exports(out, seed=11, rows=ROWS)
    return out


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def facit(folder: Path) -> pl.DataFrame:
    return pl.read_csv(folder / "facit.csv", infer_schema_length=0).with_columns(
        pl.col("flik").fill_null(""), pl.col("rad").cast(pl.Int64)
    )


def test_the_same_seed_writes_the_same_bytes(written: Path, tmp_path: Path) -> None:
    write_report_exports(tmp_path, seed=11, rows=ROWS)
    assert digests(tmp_path) == digests(written)


def test_twenty_units_three_years_and_vestvagoy_among_them(written: Path) -> None:
    truth = facit(written)
    assert truth["kommunkod"].n_unique() == len(UNITS) == 20
    assert "1860" in truth["kommunkod"].to_list()  # Sweden's Laxå has the same code
    years = truth["meldingsdato"].str.slice(0, 4).unique().sort().to_list()
    assert years == ["2024", "2025", "2026"]
    assert len(list((written / "exporter").rglob("*.*"))) == 60
    investigated = (truth["utfall"] == "undersokelse").mean()
    assert 0.38 <= investigated <= 0.52  # SSB: 40–50 % of reports


def test_each_facit_row_is_a_data_row_with_its_raw_values(written: Path) -> None:
    truth = facit(written)
    for unit in UNITS:
        style = STYLES[UNIT_STYLES[unit.code]]
        own = truth.filter(pl.col("kommunkod") == unit.code)
        for name in own["fil"].unique().to_list():
            path = next((written / "exporter").rglob(name))
            sheet = read_file(path).sheets[0]
            at = {name: style.columns.index(key) for name, key in ORIGINALS.items()}
            for row in own.filter(pl.col("fil") == name).iter_rows(named=True):
                cells = sheet.rows[row["rad"] - 1]
                for original, column in at.items():
                    assert (cells[column] or "") == row[original], (name, row["rad"], original)


def test_the_codes_are_of_the_list_in_force_on_the_date(written: Path) -> None:
    truth = facit(written)
    saksinnhold = CODEBOOK.variables["no_saksinnhold"]
    melder = CODEBOOK.variables["no_melder"]
    for row in truth.iter_rows(named=True):
        day = dt.date.fromisoformat(row["meldingsdato"])
        assert set(row["saksinnhold"].split("|")) <= saksinnhold.in_force(day, day)
        assert row["melder"] in melder.in_force(day, day)
        groups = {saksinnhold.code(c).attributes["group"] for c in row["saksinnhold"].split("|")}
        assert set(row["saksinnhold_gruppe"].split("|")) == groups


def test_identity_numbers_are_valid_and_agree_with_the_row(written: Path) -> None:
    """Fødselsnummer and D-nummer with valid check digits, their birth date the child's
    age at the report and their individual number's third digit odd for a boy."""
    path = next((written / "exporter" / "2024").glob("Meldinger Oslo*"))
    sheet = read_file(path).sheets[0]
    truth = facit(written).filter(pl.col("fil") == path.name)
    numbers = 0
    for row in truth.iter_rows(named=True):
        number = str(sheet.rows[row["rad"] - 1][1])
        assert fodselsnummer.is_valid(number), number
        assert (int(number[8]) % 2 == 1) == (row["kon"] == "pojke")
        numbers += 1
    assert numbers == truth.height > 0


def test_vestvagoy_has_a_fylke_to_compare_with() -> None:
    """A unit is compared with the rest of its fylke, and a rest of one municipality is
    hidden (it would be that one's figures): the demo's Norwegian manager, of Vestvågøy,
    needs at least two other units in Nordland to see a fylke's figures."""
    counties = [unit.county for unit in UNITS]
    vestvagoy = next(unit for unit in UNITS if unit.code == "1860")
    assert counties.count(vestvagoy.county) - 1 >= 2
