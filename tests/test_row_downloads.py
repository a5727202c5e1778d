"""Row downloads that do not hold a web worker (issue 17, item 8): a large Excel or SPSS
download is answered at once with a page that says the file is being prepared and then offers
it, to the user who asked only; CSV is sent as it is read, a unit at a time."""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import zipfile

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from nuso.accounts.models import User
from nuso.audit.models import AuditEntry
from nuso.portal import prepared
from nuso.units.models import Unit

from .conftest import import_synthetic_referrals, log_in_with_code, make_user

PASSWORD = "ett långt lösenord 42"
NATIONAL = "/portal/riket/aktualiseringar/rader"
FORMULA = "=HYPERLINK(x) Karlstad 2024.csv"  # a file name a spreadsheet would run


@pytest.fixture
def rows(nuso, tmp_path, settings, monkeypatch):
    """Four units' referrals, and Karlstad's of 2024 in a file whose name a spreadsheet
    would run as a formula; any download of more than 100 rows prepared; the background work
    held back until the test runs it."""
    import_synthetic_referrals(nuso, tmp_path / "syntes", seed=9, units=4, rows=1200)
    formula = tmp_path / FORMULA
    lines = ["F;Skolk;Ny utredning"] * 4
    formula.write_text("Kön;Orsak;Åtgärd\n" + "\n".join(lines) + "\n", "utf-8")
    arguments = ("--study", "aktualiseringar", "--period", "2024", "--kommun", "1780")
    outcome = nuso("import", str(formula), *arguments)
    assert outcome.exit_code == 0, outcome.out
    shutil.rmtree(prepared.folder())  # other tests' downloads
    settings.NUSO_ROWS_AT_ONCE = 100
    held: list = []
    monkeypatch.setattr(prepared, "_in_background", held.append)
    units = list(Unit.objects.filter(batches__blocks__isnull=False).distinct().order_by("code"))
    return units, held


def user(name: str, role: str, units: list[Unit]):
    from django.test import Client

    return log_in_with_code(Client(), make_user(name, role, units), PASSWORD)


def test_a_large_excel_download_is_answered_at_once_with_a_notice(rows) -> None:
    _, held = rows
    analyst = user("analytikern", User.Role.ANALYST, [])
    response = analyst.get(f"{NATIONAL}.xlsx")
    assert response.status_code == 302  # not the file: the page of its preparation
    page_address = response["Location"]
    assert re.fullmatch(r"/portal/nedladdning/[0-9a-f]+/", page_address)
    assert len(held) == 1  # the writing was handed to the background
    page = analyst.get(page_address).content.decode()
    assert "Filen förbereds …" in page
    assert "1\u00a0204 rader som XLSX" in page
    assert "portal/prepared.js" in page
    assert "Ladda om sidan om en stund för att hämta filen." in page  # without JavaScript
    status = analyst.get(page_address + "status.json").json()
    assert status["state"] == "forbereds"
    assert analyst.get(page_address + "fil").status_code == 404  # not ready yet
    assert analyst.get(f"{NATIONAL}.xlsx")["Location"] == page_address  # asked again: the same
    assert len(held) == 1
    assert not AuditEntry.objects.filter(action="portal.download_rows").exists()
    analyst.post("/i18n/setlang/", {"language": "en", "next": page_address})
    english = analyst.get(page_address).content.decode()
    assert "The file is being prepared …" in english
    assert "1,204 rows as XLSX" in english
    analyst.post("/i18n/setlang/", {"language": "sv", "next": page_address})

    held.pop()()  # the background work
    assert analyst.get(page_address + "status.json").json()["state"] == "klar"
    page = analyst.get(page_address).content.decode()
    assert "Filen är klar." in page
    assert f'href="{page_address}fil"' in page
    assert "portal/prepared.js" not in page
    response = analyst.get(page_address + "fil")
    assert response.status_code == 200
    assert "nuso-aktualiseringar-alla-rader.xlsx" in response["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    read = sheet.get_sheet_by_name("Rader").to_python()
    assert len(read) == 1 + 1204
    header = read[0]
    assert "'" + FORMULA in {row[header.index("Fil")] for row in read[1:]}  # neutralised
    assert not any(re.search(r"\d{6}-?\d{4}", str(cell)) for row in read for cell in row)
    entry = AuditEntry.objects.filter(action="portal.download_rows").latest("id")
    assert entry.details == {"study": "aktualiseringar", "format": "xlsx", "rows": 1204,
                             "units": "alla", "forberedd": True}  # fmt: skip


def test_a_prepared_file_is_its_owners_only(rows) -> None:
    units, held = rows
    own = f"/portal/enhet/{units[0].code}/aktualiseringar/rader.xlsx"
    owner = user("kommunen", User.Role.MUNICIPAL, [units[0]])
    page_address = owner.get(own)["Location"]
    held.pop()()
    assert owner.get(page_address + "fil").status_code == 200
    others = [user("grannen", User.Role.MUNICIPAL, [units[1]]),
              user("analytikern", User.Role.ANALYST, [])]  # fmt: skip
    for other in others:  # neither another unit's user nor an analyst: it is not theirs
        for address in (page_address, page_address + "status.json", page_address + "fil"):
            assert other.get(address).status_code == 404, address
    User.objects.get(username="kommunen").units.set([units[1]])  # no longer in their scope
    assert owner.get(page_address + "fil").status_code == 404
    assert owner.get(page_address).status_code == 404


def test_a_small_download_is_written_at_once(rows, settings) -> None:
    _, held = rows
    settings.NUSO_ROWS_AT_ONCE = 20_000
    analyst = user("analytikern", User.Role.ANALYST, [])
    response = analyst.get(f"{NATIONAL}.sav")
    assert response.status_code == 200
    assert not held


def test_prepared_files_are_removed_after_a_while(rows, settings) -> None:
    _, held = rows
    analyst = user("analytikern", User.Role.ANALYST, [])
    page_address = analyst.get(f"{NATIONAL}.xlsx")["Location"]
    held.pop()()
    key = page_address.split("/")[-2]
    written = sorted(p.name for p in prepared.folder().iterdir())
    assert written == [f"{key}.json", f"{key}.xlsx"]
    long_ago = time.time() - settings.NUSO_PREPARED_DOWNLOADS_KEEP - 1
    for path in prepared.folder().iterdir():
        os.utime(path, (long_ago, long_ago))
    assert analyst.get(page_address + "fil").status_code == 404
    assert not (prepared.folder() / f"{key}.xlsx").exists()
    assert not (prepared.folder() / f"{key}.json").exists()


def test_a_download_whose_writer_died_can_be_asked_for_again(rows) -> None:
    _, held = rows
    analyst = user("analytikern", User.Role.ANALYST, [])
    page_address = analyst.get(f"{NATIONAL}.xlsx")["Location"]
    key = page_address.split("/")[-2]
    held.clear()  # the worker was restarted: the work never ran
    gone = prepared.read(key)
    assert gone is not None
    prepared._save(prepared.replace(gone, pid=2**22 + 1))  # a process that does not exist
    page = analyst.get(page_address).content.decode()
    assert "Filen kunde inte förberedas." in page
    assert analyst.get(page_address + "status.json").json()["state"] == "misslyckades"
    assert analyst.get(f"{NATIONAL}.xlsx")["Location"] == page_address
    assert len(held) == 1  # started anew
    held.pop()()
    assert analyst.get(page_address + "fil").status_code == 200


def test_csv_is_sent_as_it_is_read_a_unit_at_a_time(rows, monkeypatch) -> None:
    from nuso.portal import access

    units, held = rows
    read: list[str] = []
    record_frame = access.record_frame

    def counted(study, unit=None, **options):
        read.append(unit.code if unit else "alla")
        return record_frame(study, unit, **options)

    monkeypatch.setattr(access, "record_frame", counted)
    analyst = user("analytikern", User.Role.ANALYST, [])
    response = analyst.get(f"{NATIONAL}.csv")
    assert response.status_code == 200
    assert not held  # CSV is never prepared
    assert "nuso-aktualiseringar-alla-rader.csv" in response["Content-Disposition"]
    parts = iter(response.streaming_content)
    first = next(parts)
    assert read == [units[0].code]  # the first unit's rows sent before the others are read
    body = first + b"".join(parts)
    assert read == [unit.code for unit in units]
    assert body.startswith("\ufeffkommunkod,fil,flik,rad".encode())
    frame = pl.read_csv(io.BytesIO(body), infer_schema_length=0)
    assert frame.height == 1204
    assert frame["kommunkod"].to_list() == sorted(frame["kommunkod"].to_list())
    assert "'" + FORMULA in set(frame["fil"])  # neutralised
    entry = AuditEntry.objects.filter(action="portal.download_rows").latest("id")
    assert entry.details["rows"] == 1204


def test_every_deck_is_prepared_in_the_background_for_analysts_only(rows) -> None:
    """The national page's link: each unit's, county's and the nation's deck, written in
    the background with the decks counted as they are done, then one zip."""
    units, held = rows
    analyst = user("analytikern", User.Role.ANALYST, [])
    national = analyst.get("/portal/riket/aktualiseringar/").content.decode()
    assert "/portal/riket/aktualiseringar/rapporter.zip" in national
    response = analyst.get("/portal/riket/aktualiseringar/rapporter.zip")
    assert response.status_code == 302
    page_address = response["Location"]
    counties = {unit.county.code for unit in units}
    decks = len(units) + len(counties) + 1
    page = analyst.get(page_address).content.decode()
    assert f"{decks} resultatrapporter (PowerPoint) i en zip-fil" in page
    assert '<progress id="framsteg"' in page
    (work,) = held
    work()  # the background writing, run here
    status = analyst.get(page_address + "status.json").json()
    assert (status["state"], status["written"], status["rows"]) == ("klar", decks, decks)
    response = analyst.get(page_address + "fil")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
    assert len(names) == decks
    assert "aktualiseringar_riket.pptx" in names
    assert AuditEntry.objects.filter(action="portal.download_decks").count() == 1
    municipal = user("kommunen", User.Role.MUNICIPAL, units[:1])
    assert municipal.get("/portal/riket/aktualiseringar/rapporter.zip").status_code in (403, 404)
    assert municipal.get(page_address).status_code == 404  # another user's download
