"""Synthetic sets generated once per test session, and a reader for their cells that uses the
same libraries users' tools and our import use (calamine via fastexcel; csv)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import fastexcel
import polars as pl
import pytest

from nuso.core.intake.reading import read_delimited
from nuso.core.synth.investigations import write_investigation_survey
from nuso.core.synth.referral_exports import write_referral_exports


@pytest.fixture(scope="session")
def small_set(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synth-small")
    result = write_referral_exports(out, seed=11, unit_count=16, rows=2400)
    return result, pl.read_csv(result.facit, infer_schema_length=0).fill_null("")


@pytest.fixture(scope="session")
def national_set(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synth-national")
    result = write_referral_exports(out, national=True)
    return result, pl.read_csv(result.facit, infer_schema_length=0).fill_null("")


@pytest.fixture(scope="session")
def survey(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synth-survey")
    result = write_investigation_survey(out)
    return result, pl.read_csv(result.survey), pl.read_csv(result.facit)


class Workbook:
    """Cells of one export by (sheet, 1-based row), as a spreadsheet program shows them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheets: dict[str, list[list[str]]] = {}
        if path.suffix == ".csv":
            self.sheets[""] = read_delimited(path.read_bytes())
        else:
            reader = fastexcel.read_excel(str(path))
            for name in reader.sheet_names:
                frame = reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
                self.sheets[name] = [["" if v is None else v for v in row] for row in frame.rows()]

    def row(self, sheet: str, number: int) -> list[str]:
        return self.sheets[sheet][number - 1]

    def sheet_names(self) -> Iterator[str]:
        return iter(self.sheets)
