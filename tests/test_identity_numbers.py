"""Identity numbers where the cells' masking did not look (issue 16, item 2): in a file's name,
its sheets' names and its headers, in numbers a spreadsheet stored as numbers, and in what a
user gives the import. Each is masked where it enters, and reaches no batch, block, report,
audit entry, export or printed line in clear."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
from django.conf import settings

from nuso.audit.models import AuditEntry
from nuso.core.intake import blocks
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.pseudonyms import pseudonym
from nuso.core.intake.records import ZEROS_PUT_BACK
from nuso.intake.models import ColumnMapping, ImportBatch, RecordBlock
from nuso.studies.models import CodebookVersion, ValueMapping

from .identity_corpus import HEADER, VALUES, Numbers, clear_numbers, write_xlsx
from .records import stored_records

IMPORT = ("--study", "aktualiseringar", "--period", "2023")
PSEUDONYM = re.compile(r"\[pnr:[0-9a-f]{16}\]")


@pytest.fixture
def initialised(nuso):
    nuso("init")
    return nuso


def rows_of(numbers: Numbers, count: int = 3) -> list[list[object]]:
    return [[numbers.plain(), *VALUES[i % len(VALUES)]] for i in range(count)]


def stored_texts() -> dict[str, str]:
    """What the import stored, by place: batches (with their reports), blocks (their sheets,
    column names and cells) and the audit log."""
    batches = ImportBatch.objects.values_list("file_name", "report")
    entries = AuditEntry.objects.values_list("action", "details")
    texts = {"batches": repr(list(batches)), "audit": repr(list(entries))}
    for block in RecordBlock.objects.all():
        frame = blocks.decode(bytes(block.data))
        texts[f"block {block.pk}"] = f"{block.sheet} {frame.columns} {frame.rows()}"
    return texts


def export(nuso, folder: Path) -> str:
    path = folder / "export.csv"
    nuso("export", "--study", "aktualiseringar", "--format", "csv", "--output", str(path))
    return path.read_text("utf-8")


def test_a_header_with_an_identity_number_is_masked_in_the_block_report_and_rapport(
    initialised, tmp_path
) -> None:
    numbers = Numbers(seed=1)
    header = f"Anteckning {numbers.en_dash()}"
    path = write_xlsx(
        tmp_path / "Karlstad 2023.xlsx", {"Data": [[*HEADER, header], *rows_of(numbers)]}
    )
    result = initialised("import", str(path), *IMPORT, "--rapport")
    assert result.exit_code == 0, result.out
    assert clear_numbers({"out": result.out, **stored_texts()}, numbers) == []
    (column,) = [
        c for c in ImportBatch.objects.get().report["kolumner"] if "Anteckning" in c["kolumn"]
    ]
    assert PSEUDONYM.fullmatch(column["kolumn"].removeprefix("Anteckning "))
    assert column["tolkas_som"] == "(okänd)"  # read as written: the pseudonym's 'pnr' is no word
    frame = blocks.decode(bytes(RecordBlock.objects.get().data))
    assert blocks.CELL + column["kolumn"] in frame.columns
    token = column["kolumn"].removeprefix("Anteckning ")
    assert token in result.out  # printed as it is, not read as markup


def test_a_sheet_name_with_an_identity_number_is_masked_where_it_is_stored_and_exported(
    initialised, tmp_path
) -> None:
    numbers = Numbers(seed=2)
    sheet = f"Barn {numbers.dotted()}"
    path = write_xlsx(tmp_path / "Karlstad 2023.xlsx", {sheet: [HEADER, *rows_of(numbers)]})
    result = initialised("import", str(path), *IMPORT, "--rapport")
    exported = export(initialised, tmp_path)
    texts = {"out": result.out, "export": exported, **stored_texts()}
    assert clear_numbers(texts, numbers) == []
    stored = RecordBlock.objects.get().sheet
    assert PSEUDONYM.fullmatch(stored.removeprefix("Barn "))
    assert ImportBatch.objects.get().report["flikar"][0]["flik"] == stored
    assert set(pl.read_csv(tmp_path / "export.csv")["flik"]) == {stored}


def test_sheets_that_masking_makes_alike_stay_apart(initialised, tmp_path) -> None:
    """Two mistyped numbers are both '[pnr:ogiltigt]': the sheets keep their own names."""
    sheets = {f"Barn 121212-121{i}": [HEADER, ["", *VALUES[0]]] for i in (3, 4)}
    initialised("import", str(write_xlsx(tmp_path / "Karlstad.xlsx", sheets)), *IMPORT)
    stored = sorted(RecordBlock.objects.values_list("sheet", flat=True))
    assert stored == ["Barn [pnr:ogiltigt] (1)", "Barn [pnr:ogiltigt] (2)"]


def test_a_file_name_with_an_identity_number_is_masked_in_the_batch_report_audit_and_export(
    initialised, tmp_path
) -> None:
    numbers = Numbers(seed=3)
    path = write_xlsx(
        tmp_path / f"Karlstad {numbers.spaced()}.xlsx", {"Data": [HEADER, *rows_of(numbers)]}
    )
    result = initialised("import", str(path), *IMPORT, "--rapport")
    assert result.exit_code == 0, result.out
    exported = export(initialised, tmp_path)
    texts = {"out": result.out, "export": exported, **stored_texts()}
    assert clear_numbers(texts, numbers) == []
    batch = ImportBatch.objects.get()
    assert PSEUDONYM.fullmatch(batch.file_name.removeprefix("Karlstad ").removesuffix(".xlsx"))
    assert batch.unit.code == "1780"  # the unit is still read from the name
    assert batch.report["fil"] == batch.file_name
    assert AuditEntry.objects.get(action="import.file").details["file"] == batch.file_name
    assert batch.file_name in result.out


def test_a_refused_file_is_named_masked_and_so_are_its_problems(initialised, tmp_path) -> None:
    numbers = Numbers(seed=4)
    path = tmp_path / f"Karlstad {numbers.plain()}.xlsx"
    path.write_bytes(b"not a workbook")
    unit_column = tmp_path / "Enkät.csv"
    unit_column.write_text(
        f"Kommun;Kön;Åtgärd\nKarlstad;F;Ny utredning\n{numbers.en_dash()};P;Ny utredning\n"
    )
    result = initialised("import", str(path), str(unit_column), *IMPORT)
    assert result.exit_code == 1
    assert clear_numbers({"out": result.out + result.err, **stored_texts()}, numbers) == []
    assert ImportBatch.objects.filter(status="failed").count() == 2
    assert "Ingen kommun eller stadsdel känns igen i kolumnen 'Kommun' ('[pnr:" in result.out


def test_what_a_user_gives_the_import_is_masked(initialised, tmp_path) -> None:
    """--kommun, --period and --kolumn are masked as a file's texts are; a header named in
    --kolumn is the header the import sees, masked alike."""
    numbers = Numbers(seed=5)
    header = f"Anteckning {numbers.plain()}"
    path = write_xlsx(tmp_path / "Karlstad.xlsx", {"Data": [[*HEADER, header], *rows_of(numbers)]})
    refused = initialised("import", str(path), *IMPORT, "--kommun", numbers.en_dash())
    bad_period = initialised(
        "import", str(path), "--study", "aktualiseringar", "--period", numbers.dotted()
    )
    chosen = initialised("import", str(path), *IMPORT, "--kolumn", f"{header}=", "--rapport")
    assert (refused.exit_code, bad_period.exit_code, chosen.exit_code) == (1, 1, 0)
    printed = {f"out {i}": r.out + r.err for i, r in enumerate((refused, bad_period, chosen))}
    mappings = repr(list(ColumnMapping.objects.values_list("header", "header_key", "headers")))
    texts = {**printed, "mappings": mappings, **stored_texts()}
    assert clear_numbers(texts, numbers) == []
    mapping = ColumnMapping.objects.get()
    (column,) = [c for c in ImportBatch.objects.get(status="imported").report["kolumner"]
                 if c["kolumn"] == mapping.header]  # fmt: skip
    assert column["hur"] == "okänd: avmappad för hand"


def test_numbers_stored_as_numbers_are_identity_numbers_with_their_zeros(
    initialised, tmp_path
) -> None:
    """An identity-number column kept as numbers by a spreadsheet (0908092794 as 908092794,
    and 0001051234 as 1051234): each number is the child's, pseudonymised as the whole number,
    giving the child's age, and the report says how many were read so. Elsewhere a number stored
    so is masked when it is valid."""
    born = [dt.date(2009, 8, 9), dt.date(2005, 1, 30), dt.date(2000, 1, 5)]
    children = [PersonalNumber(date, 279) for date in born]
    sibling = PersonalNumber(dt.date(2007, 3, 3), 101)
    rows = [
        [int(child.ten_digits), *VALUES[i], int(sibling.ten_digits)]
        for i, child in enumerate(children)
    ]
    path = write_xlsx(tmp_path / "Karlstad.xlsx", {"Data": [[*HEADER, "Syskon"], *rows]})
    result = initialised("import", str(path), *IMPORT, "--rapport")
    key = settings.NUSO_PSEUDONYM_KEY
    records = stored_records()
    assert [r.pseudonym for r in records] == [
        pseudonym(child.formatted("long_plain"), key) for child in children
    ]
    assert [r.values["alder"] for r in records] == [13, 18, 23]  # on the referral dates
    assert {r.decisions["alder"]["method"] for r in records} == {"derived"}
    syskon = f"[pnr:{pseudonym(sibling.formatted('long_plain'), key)}]"
    assert {r.raw["Syskon"] for r in records} == {syskon}
    assert ImportBatch.objects.get().report["flaggor"][ZEROS_PUT_BACK] == 3
    assert ZEROS_PUT_BACK in result.out
    digits = [child.ten_digits.lstrip("0") for child in [*children, sibling]]
    texts = repr([(r.raw, r.values, r.decisions) for r in records]) + result.out
    assert not [d for d in digits if d in texts]


def test_the_review_queue_shows_a_masked_value_as_it_is(initialised, tmp_path) -> None:
    """A pseudonym in a raw value is printed, not read as Rich markup (it vanished)."""
    numbers = Numbers(seed=6)
    reason = f"Xyzzy {numbers.en_dash()}"
    (tmp_path / "Karlstad.csv").write_text(f"Kön;Orsak;Åtgärd\nF;{reason};Ny utredning\n")
    initialised("import", str(tmp_path / "Karlstad.csv"), *IMPORT)
    shown = initialised("review", "--study", "aktualiseringar")
    assert PSEUDONYM.search(shown.out), shown.out
    assert clear_numbers({"review": shown.out}, numbers) == []


def test_a_decisions_file_names_a_raw_value_as_the_queue_shows_it_or_in_clear(
    initialised, tmp_path
) -> None:
    """A decision written with the number in clear decides the masked value, and stores and
    prints no number: the raw value is masked where it enters, as the cells were."""
    numbers = Numbers(seed=7)
    reason = f"Xyzzy {numbers.en_dash()}"
    (tmp_path / "Karlstad.csv").write_text(f"Kön;Orsak;Åtgärd\nF;{reason};Ny utredning\n")
    initialised("import", str(tmp_path / "Karlstad.csv"), *IMPORT)
    decisions = tmp_path / "beslut.csv"
    decisions.write_text(f"rått värde;variabel;kod\n{reason};orsaker;\n", "utf-8")
    shown = initialised("review", "--decisions", str(decisions))
    assert shown.exit_code == 0, shown.out + shown.err
    assert "1 poster omharmoniserade" in shown.out
    mappings = repr(list(ValueMapping.objects.values_list("raw_key", "raw_example", "code")))
    versions = repr(list(CodebookVersion.objects.values_list("note", flat=True)))
    texts = {"out": shown.out, "mappings": mappings, "versions": versions, **stored_texts()}
    assert clear_numbers(texts, numbers) == []
