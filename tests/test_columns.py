"""Columns mapped by hand (`nuso import --kolumn "RUBRIK=VARIABEL"`): the file is read again
with the choice, the unit's later deliveries keep it, and another unit whose file has the same
headers is offered it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nuso.audit.models import AuditEntry
from nuso.core.intake.report import ImportReport
from nuso.intake.models import ColumnMapping, ImportBatch

from .records import stored_records

IMPORT = ("--study", "aktualiseringar", "--period", "2023")
HEADER = "Kön;Kategori;Åtgärd\n"  # "Kategori" holds referral types: read so by its content
ROWS = [
    "F;Anmälan;Utredning inleds", "P;Ansökan;Utredning inleds ej", "P;Anmälan;Ingen utredning",
    "F;Anmälan;Utredning inleds", "P;Anmälan;Utredning inleds", "F;Ansökan;Utredning inleds",
]  # fmt: skip


@pytest.fixture
def initialised(nuso):
    nuso("init")
    return nuso


def delivery(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text(HEADER + "\n".join(rows) + "\n", "utf-8")
    return path


def kategori(batch: ImportBatch) -> str:
    report = ImportReport.from_json(batch.report)
    return next(column.how for column in report.columns if column.header == "Kategori")


def test_a_column_unmapped_by_hand_is_read_again_and_stays_so_for_the_unit(
    initialised, tmp_path
) -> None:
    first = delivery(tmp_path, "Karlstad 2023.csv", ROWS)
    initialised("import", str(first), *IMPORT)
    assert {r.values["aktualiseringstyp"] for r in stored_records()} == {"anmalan", "ansokan"}
    result = initialised("import", str(first), *IMPORT, "--kolumn", "Kategori=")
    assert result.exit_code == 0, result.out + result.err
    assert "redan" not in result.out  # the same file is read again, not skipped
    current = ImportBatch.objects.get(status="imported")
    assert kategori(current) == "okänd: avmappad för hand"
    assert {r.values.get("aktualiseringstyp") for r in stored_records(current)} == {None}
    assert AuditEntry.objects.filter(action="import.column").count() == 1
    # a later delivery of the same unit, without --kolumn, keeps the choice
    later = delivery(tmp_path, "Karlstad 2023 rättad.csv", ROWS[:4])
    initialised("import", str(later), *IMPORT)
    latest = ImportBatch.objects.get(status="imported")
    assert latest.file_name == later.name
    assert kategori(latest) == "okänd: avmappad för hand"


def test_a_choice_is_offered_to_another_unit_with_the_same_headers(initialised, tmp_path) -> None:
    karlstad = delivery(tmp_path, "Karlstad 2023.csv", ROWS)
    initialised("import", str(karlstad), *IMPORT, "--kolumn", "Kategori=")
    arvika = delivery(tmp_path, "Arvika 2023.csv", ROWS[1:])
    result = initialised("import", str(arvika), *IMPORT)
    assert '--kolumn "Kategori="' in result.out  # offered, not applied
    batch = ImportBatch.objects.get(unit__code="1784")
    assert ImportReport.from_json(batch.report).column_suggestions == {"Kategori": ""}
    assert kategori(batch).startswith("innehåll")


def test_a_column_mapped_by_hand_says_so(initialised, tmp_path) -> None:
    path = tmp_path / "Karlstad 2023.csv"
    path.write_text("Kön;Ärendeklass;Åtgärd\nF;Anmälan;Utredning inleds\n", "utf-8")
    initialised("import", str(path), *IMPORT, "--kolumn", "Ärendeklass=aktualiseringstyp")
    (record,) = stored_records()
    assert record.values["aktualiseringstyp"] == "anmalan"
    report = ImportReport.from_json(ImportBatch.objects.get().report)
    assert [c.how for c in report.columns if c.header == "Ärendeklass"] == ["hand: mappad för hand"]
    assert ColumnMapping.objects.get().target == "aktualiseringstyp"


def test_a_choice_naming_no_variable_is_a_clear_error(initialised, tmp_path) -> None:
    path = delivery(tmp_path, "Karlstad 2023.csv", ROWS)
    result = initialised("import", str(path), *IMPORT, "--kolumn", "Kategori=typen")
    assert result.exit_code == 1
    assert "okänd variabel 'typen'" in result.err
    assert "Kategori=typen" in result.err
    assert not ImportBatch.objects.exists()


def test_unknown_columns_come_first_in_the_report_with_their_repeated_values(
    initialised, tmp_path
) -> None:
    """Values written more than once show (a team, a category); names and free text, each
    written once, stay in the stored cells."""
    path = tmp_path / "Karlstad 2023.csv"
    rows = ["F;Team Norr;Anna A;Utredning inleds", "P;Team Norr;Berit B;Utredning inleds",
            "P;Team Syd;Cecilia C;Utredning inleds"]  # fmt: skip
    path.write_text("Kön;Grupp;Namn;Åtgärd\n" + "\n".join(rows) + "\n", "utf-8")
    initialised("import", str(path), *IMPORT)
    report = ImportReport.from_json(ImportBatch.objects.get().report)
    unknown = [(c.header, c.sample) for c in report.columns if c.variable is None]
    assert [c.variable is None for c in report.columns[:2]] == [True, True]
    assert dict(unknown)["Namn"] == ()
    assert dict(unknown)["Grupp"] == ("Team Norr",)
