"""A column mapped or unmapped by hand in the portal's import report: the stored file is read
again from its cells, without a new upload, as `nuso import --kolumn` reads the file itself;
the choice is remembered for the unit's later deliveries. And the same choice given with an
upload."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client

from nuso.accounts.models import User
from nuso.audit.models import AuditEntry
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.report import ImportReport
from nuso.intake.models import ColumnMapping, ImportBatch, ReviewItem

from .records import stored_records
from .test_portal import log_in, make_user

IMPORT = ("--study", "aktualiseringar", "--period", "2023")


@pytest.fixture
def analyst(nuso) -> User:
    nuso("init")
    return make_user("analytikern", User.Role.ANALYST, [])


def number(year: int, serial: int) -> str:
    return PersonalNumber(dt.date(year, 3, 14), serial).ten_digits


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def change(client: Client, batch: ImportBatch, header: str, target: str, sheet: str = "") -> str:
    """The column changed in the import report; the page shown afterwards."""
    response = client.post(
        f"/portal/arbetsyta/inlasningar/{batch.pk}/kolumn/",
        {"flik": sheet, "kolumn": header, "variabel": target},
    )
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def column(batch: ImportBatch, header: str):
    batch.refresh_from_db()
    report = ImportReport.from_json(batch.report)
    return next(c for c in report.columns if c.header == header)


def values(variable: str) -> list[object]:
    return [record.values.get(variable) for record in stored_records()]


def test_a_column_unmapped_and_mapped_again_in_the_portal_reads_the_stored_file_again(
    nuso, analyst, client, tmp_path
) -> None:
    path = write(tmp_path, "Karlstad 2023.csv", [
        "Kön;Kategori;Åtgärd",
        "F;Anmälan;Utredning inleds", "P;Ansökan;Utredning inleds ej",
        "P;Anmälan;Ingen utredning", "F;Anmälan;Utredning inleds",
        "P;Anmälan;Utredning inleds", "F;Ansökan;Utredning inleds",
    ])  # fmt: skip
    nuso("import", str(path), *IMPORT)
    as_imported = stored_records()
    batch = ImportBatch.objects.get()
    log_in(client, analyst)
    page = client.get(f"/portal/arbetsyta/inlasningar/{batch.pk}/").content.decode()
    assert 'aria-label="Tolka kolumnen Kategori som"' in page
    shown = change(client, batch, "Kategori", "")
    assert "„Kategori“ tolkas nu som ingen variabel: 6 av 6 poster ändrades" in shown
    assert values("aktualiseringstyp") == [None] * 6
    assert column(batch, "Kategori").how == "okänd: avmappad för hand"
    assert column(batch, "Kategori").sample == ("Anmälan", "Ansökan")  # as an unknown column
    assert "aktualiseringstyp" not in ImportReport.from_json(batch.report).values
    assert ImportBatch.objects.count() == 1  # no new delivery: the stored one read again
    assert ColumnMapping.objects.get().target == ""
    assert AuditEntry.objects.filter(action="import.column", actor=analyst).count() == 1
    # mapped again, the records are what the import made, value for value
    change(client, batch, "Kategori", "aktualiseringstyp")
    again = stored_records()
    assert [r.values for r in again] == [r.values for r in as_imported]
    assert column(batch, "Kategori").how == "hand: mappad för hand"
    listed = ImportReport.from_json(batch.report).values["aktualiseringstyp"]
    assert {(v.raw, v.code, v.occurrences) for v in listed} == {
        ("Anmälan", "anmalan", 4), ("Ansökan", "ansokan", 2)
    }  # fmt: skip
    # the unit's next delivery keeps the latest choice
    rows = ["Kön;Kategori;Åtgärd", *["F;Anmälan;Ny"] * 6]
    later = write(tmp_path, "Karlstad 2023 rättad.csv", rows)
    nuso("import", str(later), *IMPORT)
    latest = ImportBatch.objects.get(status="imported")
    assert latest.file_name == later.name
    assert column(latest, "Kategori").how.startswith("hand")


def test_an_unknown_column_mapped_in_the_portal_is_decided_and_waits_where_it_must(
    nuso, analyst, client, tmp_path
) -> None:
    path = write(tmp_path, "Karlstad 2023.csv", [
        "Kön;Ärendeklass;Åtgärd", "F;Anmälan;Utredning inleds", "P;Qwfp zxcv;Ingen",
    ])  # fmt: skip
    nuso("import", str(path), *IMPORT)
    batch = ImportBatch.objects.get()
    assert column(batch, "Ärendeklass").variable is None
    log_in(client, analyst)
    shown = change(client, batch, "Ärendeklass", "aktualiseringstyp")
    assert "1 väntar på granskning" in shown
    assert values("aktualiseringstyp") == ["anmalan", None]
    assert ReviewItem.objects.filter(raw_example="Qwfp zxcv").exists()
    batch.refresh_from_db()
    assert batch.rows_pending_review == 1
    assert ImportReport.from_json(batch.report).pending["aktualiseringstyp"] == {"Qwfp zxcv": 1}


def test_what_only_the_identity_number_gives_is_kept_or_the_change_refused(
    nuso, analyst, client, tmp_path
) -> None:
    girl, boy = number(2012, 2), number(2015, 1)  # even ninth digit: a girl
    path = write(tmp_path, "Karlstad 2023.csv", [
        "Personnummer;Född;Orsak;Kön",
        f"{girl};saknas;Våld i hemmet;F", f"{boy};saknas;Våld i hemmet;P",
    ])  # fmt: skip
    nuso("import", str(path), *IMPORT)
    batch = ImportBatch.objects.get()
    assert values("alder") == [11, 8]  # from the numbers: "Född" holds no dates
    log_in(client, analyst)
    # Age is decided again when the birth-date column goes; the numbers' ages stay.
    change(client, batch, "Född", "")
    assert values("alder") == [11, 8]
    assert {r.values["aldersgrupp"] for r in stored_records()} == {"9-11", "6-8"}
    # Without the sex column the import would take sex from the numbers, which are not
    # stored: the change is refused, and nothing changes.
    shown = change(client, batch, "Kön", "")
    assert "skulle ta bort kön för 2 poster som har personnummer" in shown
    assert values("kon") == ["flicka", "pojke"]
    assert column(batch, "Kön").variable == "kon"
    # The identity number's column is read only while the file is in hand.
    shown = change(client, batch, "Personnummer", "")
    assert "kan inte ändras i efterhand" in shown
    assert re.search(r"<th scope=\"row\">Personnummer</th>.*?läses bara ur filen", shown, re.S)


def test_a_replaced_delivery_and_other_users_cannot_be_changed(
    nuso, analyst, client, tmp_path
) -> None:
    from nuso.units.models import Unit

    first = write(tmp_path, "Karlstad 2023.csv", ["Kön;Kategori;Åtgärd", "F;Anmälan;Ny"])
    nuso("import", str(first), *IMPORT)
    old = ImportBatch.objects.get()
    later = write(tmp_path, "Karlstad 2023 rättad.csv", ["Kön;Kategori;Åtgärd", "P;Ansökan;Ny"])
    nuso("import", str(later), *IMPORT)
    old.refresh_from_db()
    assert old.status == "replaced"
    municipal = make_user("kommunen", User.Role.MUNICIPAL, [Unit.objects.get(code="1780")])
    log_in(client, municipal)
    url = f"/portal/arbetsyta/inlasningar/{old.pk}/kolumn/"
    assert client.post(url, {"kolumn": "Kategori", "variabel": ""}).status_code == 403
    client.logout()
    log_in(client, analyst)
    report = client.get(f"/portal/arbetsyta/inlasningar/{old.pk}/").content.decode()
    assert "Tolka som" not in report
    shown = change(client, old, "Kategori", "")
    assert "Leveransen är inte den gällande" in shown
    assert not ColumnMapping.objects.exists()


def test_column_choices_given_with_an_upload_are_applied_and_remembered(
    analyst, client, tmp_path
) -> None:
    path = write(tmp_path, "Karlstad 2023.csv", ["Kön;Ärendeklass;Åtgärd", "F;Anmälan;Ny"])
    log_in(client, analyst)
    form = {"delstudie": "aktualiseringar", "period": "2023"}
    with path.open("rb") as handle:
        page = client.post("/portal/arbetsyta/las-in/",
                           {**form, "filer": handle, "kolumner": "Ärendeklass=typen"})  # fmt: skip
    assert "Kolumnval &#x27;Ärendeklass=typen&#x27;: okänd variabel &#x27;typen&#x27;" in (
        page.content.decode()
    )
    assert not ImportBatch.objects.exists()
    chosen = "Ärendeklass=aktualiseringstyp\n"
    with path.open("rb") as handle:
        client.post("/portal/arbetsyta/las-in/", {**form, "filer": handle, "kolumner": chosen})
    assert values("aktualiseringstyp") == ["anmalan"]
    assert ColumnMapping.objects.get().header == "Ärendeklass"


def test_ages_read_from_numbers_that_mostly_fail_the_check_are_kept_too(
    nuso, analyst, client, tmp_path
) -> None:
    """Decision 0027: such numbers have no pseudonym, and their ages are not stored as
    numbers either; a column change that reads age again keeps them, as for valid ones."""
    wrong = [number(2012, serial) for serial in range(2, 24, 2)]  # eleven girls
    wrong = [ten[:-1] + str((int(ten[-1]) + 1) % 10) for ten in wrong]  # check digits off
    path = write(tmp_path, "Karlstad 2023.csv", [
        "Personnummer;Född;Orsak", *(f"{ten};saknas;Våld i hemmet" for ten in wrong),
    ])  # fmt: skip
    nuso("import", str(path), *IMPORT)
    batch = ImportBatch.objects.get()
    assert values("alder") == [11] * len(wrong)  # from the numbers' dates, unchecked
    log_in(client, analyst)
    change(client, batch, "Född", "")
    assert values("alder") == [11] * len(wrong)


def test_a_type_given_by_the_sheets_name_comes_back_when_a_column_is_unmapped(
    nuso, analyst, client, tmp_path
) -> None:
    import xlsxwriter

    path = tmp_path / "Karlstad 2023.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name in ("Anmälningar", "Ansökningar"):
        sheet = book.add_worksheet(name)
        for at, row in enumerate([["Kön", "Ålder", "Handläggare"], ["F", "12", "AB"],
                                  ["P", "9", "CD"]]):  # fmt: skip
            sheet.write_row(at, 0, row)
    book.close()
    nuso("import", str(path), *IMPORT)
    batch = ImportBatch.objects.get()
    assert values("aktualiseringstyp") == ["anmalan", "anmalan", "ansokan", "ansokan"]
    log_in(client, analyst)
    report = client.get(f"/portal/arbetsyta/inlasningar/{batch.pk}/").content.decode()
    assert report.count("Namnet ger aktualiseringstyp på varje rad") == 2  # each sheet says so
    change(client, batch, "Handläggare", "aktualiseringstyp", "Ansökningar")  # a mistake,
    assert values("aktualiseringstyp") == ["anmalan", "anmalan", None, None]
    change(client, batch, "Handläggare", "", "Ansökningar")  # then undone
    assert values("aktualiseringstyp") == ["anmalan", "anmalan", "ansokan", "ansokan"]


def test_a_decision_told_across_columns_is_read_so_again_when_one_part_is_unmapped(
    nuso, analyst, client, tmp_path
) -> None:
    decisions = [("2023-01-11", "", "", ""), ("", "2023-01-09", "", ""),
                 ("", "", "utredning", ""), ("", "", "insats", ""),
                 ("", "", "", "Hänvisad till BUP"), ("2023-02-01", "", "", ""),
                 ("", "2023-02-03", "", ""), ("", "", "ärende", ""),
                 ("", "", "", "Överlämnad till annan kommun"), ("2023-03-01", "", "", ""),
                 ("", "2023-03-02", "", ""), ("", "", "", "Annan åtgärd")]  # fmt: skip
    path = write(tmp_path, "Karlstad 2023.csv", [
        "Kön;Ålder;Beslut att inleda utredning (datum);Beslut att inte inleda utredning "
        "(datum);Påförd pågående;Övrig åtgärd;Handläggare",
        *(f"F;12;{';'.join(row)};AB" for row in decisions),
    ])  # fmt: skip
    nuso("import", str(path), *IMPORT)
    batch = ImportBatch.objects.get()
    expected = ["utredning_inleds", "utredning_inleds_ej", "pafors_pagaende_utredning",
                "pafors_pagaende_insats", "annan_atgard", "utredning_inleds",
                "utredning_inleds_ej", "pafors_pagaende_arende", "annan_atgard",
                "utredning_inleds", "utredning_inleds_ej", "annan_atgard"]  # fmt: skip
    assert values("atgard") == expected
    assert column(batch, "Påförd pågående").variable == "atgard"
    log_in(client, analyst)
    change(client, batch, "Övrig åtgärd", "")  # the other parts are read as before
    assert values("atgard") == [
        None if row[3] else code for row, code in zip(decisions, expected, strict=True)
    ]
    change(client, batch, "Övrig åtgärd", "atgard")  # by hand: its cells are values beside
    assert values("atgard") == expected
