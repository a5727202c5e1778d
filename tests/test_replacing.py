"""A delivery that would replace a unit's data with nothing, or with far less, is held back
until confirmed (`--ersatt`, the portal's box); a replaced delivery can be brought back into
use (`nuso batches restore`, the portal's import report), decided under the codebook in
force."""

from __future__ import annotations

from pathlib import Path

import pytest

from nuso.accounts.models import User
from nuso.audit.models import AuditEntry
from nuso.intake.models import ImportBatch

from .records import stored_records
from .test_portal import log_in, make_user

IMPORT = ("--study", "aktualiseringar", "--period", "2023")
HEADER = "Kön;Typ;Orsak;Åtgärd"
ROWS = [f"{'FP'[i % 2]};Anmälan;Skolproblem;Utredning inleds" for i in range(6)]


@pytest.fixture
def initialised(nuso):
    nuso("init")
    return nuso


def write(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", "utf-8")
    return path


def current() -> ImportBatch:
    return ImportBatch.objects.get(status="imported")


def test_a_header_only_file_is_held_back_and_nothing_is_lost(initialised, tmp_path) -> None:
    first = write(tmp_path, "Karlstad 2023.csv", ROWS)
    initialised("import", str(first), *IMPORT)
    empty = write(tmp_path, "Karlstad 2023 ny.csv", [])
    result = initialised("import", str(empty), *IMPORT)
    assert result.exit_code == 1
    assert "hålls tillbaka" in result.out
    assert "Karlstad: leveransen har 0 rader men skulle ersätta 6 rader för 2023" in result.out
    assert "läs in filen igen med --ersatt" in result.out
    assert "1 av 1 filer hölls tillbaka" in result.err
    assert len(stored_records(current())) == 6
    assert current().file_name == first.name
    assert ImportBatch.objects.count() == 1  # nothing stored of the held file
    assert AuditEntry.objects.filter(action="import.held").count() == 1


def test_half_or_more_goes_through_and_less_only_when_confirmed(initialised, tmp_path) -> None:
    initialised("import", str(write(tmp_path, "Karlstad 2023.csv", ROWS)), *IMPORT)
    half = write(tmp_path, "Karlstad 2023 b.csv", ROWS[:3])
    assert initialised("import", str(half), *IMPORT, "--kommun", "1780").exit_code == 0
    assert current().file_name == half.name
    one = write(tmp_path, "Karlstad 2023 c.csv", ROWS[:1])
    assert initialised("import", str(one), *IMPORT, "--kommun", "1780").exit_code == 1
    assert current().file_name == half.name
    confirmed = initialised("import", str(one), *IMPORT, "--kommun", "1780", "--ersatt")
    assert confirmed.exit_code == 0, confirmed.err
    assert current().file_name == one.name


def test_a_replaced_delivery_is_restored_under_the_codebook_in_force(initialised, tmp_path) -> None:
    rows = [*ROWS[:5], "F;Anmälan;Qwfpgj;Utredning inleds"]  # one value waits for review
    first = write(tmp_path, "Karlstad 2023.csv", rows)
    initialised("import", str(first), *IMPORT)
    old = current()
    empty = write(tmp_path, "Karlstad 2023 ny.csv", [])
    assert initialised("import", str(empty), *IMPORT, "--ersatt").exit_code == 0
    assert stored_records(current()) == []
    # decided while the delivery holding the value was replaced
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("rått värde,variabel,kod\nQwfpgj,orsaker,skolproblem\n", "utf-8")
    assert initialised("review", "--decisions", str(decisions)).exit_code == 0
    listed = initialised("batches", "list", "--kommun", "1780").out
    assert "Ersatt (av" in listed
    result = initialised("batches", "restore", str(old.pk))
    assert result.exit_code == 0, result.err
    said = " ".join(result.out.split())  # as one line, whatever width the console folded at
    assert f"Leverans {old.pk} (Karlstad 2023.csv, 6 poster) är i bruk igen" in said
    assert current().pk == old.pk
    restored = stored_records(current())
    assert [r.values["orsaker"] for r in restored] == [["skolproblem"]] * 6
    assert not any(r.pending_review for r in restored)
    assert AuditEntry.objects.filter(action="import.restore").count() == 1
    again = initialised("batches", "restore", str(old.pk))
    assert again.exit_code == 1
    assert "inte ersatt: bara en ersatt leverans kan återställas" in again.err


def test_the_portal_holds_back_confirms_and_restores(initialised, client, tmp_path) -> None:
    analyst = make_user("analytikern", User.Role.ANALYST, [])
    log_in(client, analyst)
    form = {"delstudie": "aktualiseringar", "period": "2023"}

    def upload(path: Path, **more: str) -> str:
        with path.open("rb") as handle:
            page = client.post("/portal/arbetsyta/las-in/", {**form, **more, "filer": handle})
        return page.content.decode()

    upload(write(tmp_path, "Karlstad 2023.csv", ROWS))
    old = current()
    empty = write(tmp_path, "Karlstad 2023 ny.csv", [])
    page = upload(empty)
    assert "<td>hålls tillbaka</td>" in page
    assert "leveransen har 0 rader men skulle ersätta 6 rader" in page
    assert current().pk == old.pk
    assert "<td>inläst</td>" in upload(empty, ersatt="ja")
    assert current().file_name == empty.name
    report = client.get(f"/portal/arbetsyta/inlasningar/{old.pk}/").content.decode()
    assert "Återställ den här leveransen" in report
    response = client.post(f"/portal/arbetsyta/inlasningar/{old.pk}/aterstall/")
    shown = client.get(response["Location"]).content.decode()
    assert "Leveransen är i bruk igen (6 poster)" in shown
    assert current().pk == old.pk
