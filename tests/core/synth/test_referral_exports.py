"""The synthetic referral exports on a small set: reproducible, messy in every dialect, and
with a facit that points at the right cells of files the readers open."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path

import polars as pl

from nuso.core.intake.personal_numbers import age_on, luhn_digit
from nuso.core.synth.referral_exports import write_referral_exports
from nuso.core.synth.referrals import generate_referrals
from nuso.core.synth.units import select_units

from .conftest import Workbook

PN = re.compile(r"\b(\d{2})?(\d{6})-?(\d{4})\b")


def digests(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_referral_exports(tmp_path / "a", seed=3, unit_count=9, rows=900)
    write_referral_exports(tmp_path / "b", seed=3, unit_count=9, rows=900)
    write_referral_exports(tmp_path / "c", seed=4, unit_count=9, rows=900)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    assert digests(tmp_path / "a") != digests(tmp_path / "c")


def test_every_data_row_is_in_the_facit(small_set) -> None:
    result, facit = small_set
    assert facit.height == result.rows == 2400
    assert set(facit["fil"]) == {p.name for p in result.files}
    assert facit.select("fil", "flik", "rad").is_duplicated().sum() == 0


def test_facit_points_at_the_cells_the_files_hold(small_set) -> None:
    result, facit = small_set
    folder = result.files[0].parent
    for file, rows in facit.group_by("fil"):
        book = Workbook(folder / str(file[0]))
        for row in rows.iter_rows(named=True):
            cells = book.row(row["flik"] or "", int(row["rad"]))
            for column in ("kon_original", "aktualiseringstyp_original", "atgard_original"):
                if row[column]:
                    assert row[column] in cells, (row["fil"], row["rad"], column)


def test_the_small_set_shows_every_kind_of_mess(small_set) -> None:
    result, facit = small_set
    suffixes = Counter(p.suffix for p in result.files)
    assert set(suffixes) == {".xlsx", ".xls", ".csv"}
    raw = [p.read_bytes() for p in result.files if p.suffix == ".csv"]
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw)  # UTF-8 with BOM
    assert any(b";" in data.split(b"\r\n")[0] for data in raw)  # semicolon-separated
    assert any(b"\xe4" in data or b"\xf6" in data for data in raw)  # Windows-1252 ä/ö
    sheets = {name for p in result.files if p.suffix == ".xlsx" for name in Workbook(p).sheets}
    assert {"Kv1 2023", "Jan-jun", "Sammanställning"} <= sheets
    assert facit.filter(pl.col("orsaker") == "")["fil"].n_unique() >= 1  # units without reasons
    assert facit.filter(pl.col("orsaker").str.contains(r"\|"))["fil"].n_unique() >= 1


def test_title_and_total_rows_are_not_data(small_set) -> None:
    result, facit = small_set
    folder = result.files[0].parent
    titled = [p for p in result.files if p.suffix in {".xlsx", ".xls"}]
    for path in titled:
        book = Workbook(path)
        data_rows = facit.filter(pl.col("fil") == path.name)
        for sheet, rows in book.sheets.items():
            marked = set(data_rows.filter(pl.col("flik") == sheet)["rad"].cast(int))
            for number, cells in enumerate(rows, start=1):
                is_total = cells and str(cells[0]).startswith(
                    ("Totalt", "Aktualiseringar", "Utsökt")
                )
                if is_total:
                    assert number not in marked, (path.name, sheet, number)
    assert folder.exists()


def test_identity_numbers_are_valid_and_agree_with_the_row(small_set) -> None:
    result, facit = small_set
    checked = 0
    for path in result.files:
        book = Workbook(path)
        header_pn = None
        rows = facit.filter(pl.col("fil") == path.name)
        for row in rows.iter_rows(named=True):
            cells = book.row(row["flik"] or "", int(row["rad"]))
            for cell in cells:
                match = PN.fullmatch(str(cell).strip())
                if not match:
                    continue
                digits = match[2] + match[3]
                assert luhn_digit(digits[:9]) == int(digits[9])
                sex = "pojke" if int(digits[8]) % 2 else "flicka"
                assert sex == row["kon"]
                header_pn = header_pn or cell
                checked += 1
    assert checked > 100


def test_ages_agree_with_birth_dates(small_set) -> None:
    result, facit = small_set
    for path in result.files:
        if path.suffix != ".csv":
            continue
        book = Workbook(path)
        header = book.sheets[""][0]
        if "Födelsedatum" not in header or "Datum" not in " ".join(header):
            continue
        born, when = (
            header.index("Födelsedatum"),
            next(
                i for i, h in enumerate(header) if "atum" in h and i != header.index("Födelsedatum")
            ),
        )
        for row in facit.filter(pl.col("fil") == path.name).iter_rows(named=True):
            cells = book.row("", int(row["rad"]))
            age = age_on(dt.date.fromisoformat(cells[born]), dt.date.fromisoformat(cells[when]))
            assert age == int(row["alder"])


def test_another_year_has_the_same_units_and_other_referrals_in_that_year(tmp_path: Path) -> None:
    """A trend needs the same units in each period: another year keeps the units, their sizes
    and export formats, with other referrals dated in that year; the published year is
    unchanged by the option."""
    first = write_referral_exports(tmp_path / "2023", seed=3, unit_count=6, rows=600)
    write_referral_exports(tmp_path / "same", seed=3, unit_count=6, rows=600, year=2023)
    later = write_referral_exports(tmp_path / "2024", seed=3, unit_count=6, rows=600, year=2024)
    assert digests(tmp_path / "2023") == digests(tmp_path / "same")
    facits = [pl.read_csv(r.facit, infer_schema_length=0) for r in (first, later)]
    assert [sorted(f["kommunkod"].unique()) for f in facits] == [
        sorted(facits[0]["kommunkod"].unique())
    ] * 2
    assert [p.suffix for p in first.files] == [p.suffix for p in later.files]
    assert [p.name.replace("2023", "2024") for p in first.files] == [p.name for p in later.files]
    assert facits[0]["orsaker"].to_list() != facits[1]["orsaker"].to_list()
    units = select_units(3, 6, 600, national=False)
    for year in (2023, 2024):
        referrals = generate_referrals(units, 3, year)
        assert {r.referral_date.year for rs in referrals.values() for r in rs} == {year}
