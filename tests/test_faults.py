"""Faults while importing: the storage full (a clear message, nothing of the file stored, what
was stored before untouched, the run goes on), and the importing process killed (kill -9)
mid-run: no batch stored in part, and the same command afterwards completes the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper

from nuso.core.synth.referral_exports import write_referral_exports
from nuso.intake.models import ImportBatch, RecordBlock

from .records import stored_records

IMPORT = ("--study", "aktualiseringar", "--period", "2023")


def whole(batch: ImportBatch) -> bool:
    """A batch with all its records: its blocks hold the rows it says it imported."""
    return sum(b.rows for b in RecordBlock.objects.filter(batch=batch)) == batch.rows_imported


@pytest.mark.django_db(transaction=True)
def test_a_full_database_refuses_the_file_clearly_and_keeps_what_it_had(nuso, tmp_path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page limit stands in for a full disk; PostgreSQL has none")
    nuso("init")
    exports = write_referral_exports(tmp_path / "filer", seed=3, unit_count=4, rows=4000)
    first = exports.files[0]
    assert nuso("import", str(first), *IMPORT).exit_code == 0
    before = stored_records()
    with connection.cursor() as cursor:
        # pages freed by the tests before are reused before the file grows: without them,
        # the file has only the few pages below to grow by
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {pages + 20}")  # a few pages left
    result = nuso("import", str(first.parent), *IMPORT)
    assert result.exit_code == 1
    assert "Databasen är full" in result.out
    assert "Traceback" not in result.err
    assert stored_records()[: len(before)] == before  # the earlier delivery untouched
    assert all(whole(batch) for batch in ImportBatch.objects.filter(status="imported"))


def command_environment(data_dir: Path) -> dict[str, str]:
    """The test database and keys, for a `nuso` process of its own."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings['NAME']}"
    else:
        host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
        url = f"postgresql://{settings['USER']}@{host}:{port}/{settings['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "NUSO_DATA_DIR": str(data_dir)}


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_run_leaves_no_partial_batch_and_completes_when_rerun(
    nuso, tmp_path
) -> None:
    nuso("init")
    exports = write_referral_exports(tmp_path / "filer", seed=8, unit_count=12, rows=24000)
    folder = exports.files[0].parent
    files = sorted(p for p in folder.iterdir() if p.is_file())
    command = [sys.executable, "-m", "nuso", "import", str(folder), *IMPORT]
    environment = command_environment(tmp_path / "data")
    connection.close()  # the command's process writes; this one only reads, later
    running = subprocess.Popen(command, env=environment, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    while ImportBatch.objects.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(running.pid, signal.SIGKILL)  # the command and its worker processes
    running.wait()
    stored = ImportBatch.objects.count()
    assert 2 <= stored < len(files), "killed before the end of the run"
    assert all(whole(batch) for batch in ImportBatch.objects.all())
    rerun = subprocess.run(command, env=environment, capture_output=True, text=True,
                           check=False, timeout=600)  # fmt: skip
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "redan inläst" in rerun.stdout  # what the killed run stored is kept, not repeated
    batches = ImportBatch.objects.filter(status="imported")
    assert batches.count() == len(files)
    assert all(whole(batch) for batch in batches)
    assert sum(b.rows_imported for b in batches) == exports.rows


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_unit_at_once_one_wins_and_the_other_is_told(nuso, tmp_path) -> None:
    """Two analysts' commands for the same unit and period, started together: both files are
    read; the delivery stored last replaces the other, and its user is told so."""
    nuso("init")
    environment = command_environment(tmp_path / "data")
    commands = []
    for name in ("Karlstad 2023 a.csv", "Karlstad 2023 b.csv"):
        path = tmp_path / name
        rows = [
            f"{'FP'[i % 2]};Anmälan;Skolproblem;Utredning inleds;{name}{i}" for i in range(20000)
        ]
        path.write_text("\n".join(["Kön;Typ;Orsak;Åtgärd;Anteckning", *rows]) + "\n", "utf-8")
        commands.append([sys.executable, "-m", "nuso", "import", str(path), *IMPORT])
    connection.close()
    running = [subprocess.Popen(c, env=environment, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for c in commands]  # fmt: skip
    outputs = [process.communicate(timeout=600) for process in running]
    assert [process.returncode for process in running] == [0, 0], outputs
    told = [out for out, _ in outputs if "medan den här inläsningen pågick" in out]
    assert len(told) == 1, outputs
    current = ImportBatch.objects.get(status="imported")
    other = ImportBatch.objects.get(status="replaced")
    said = " ".join(told[0].split())  # as one line, whatever width the console folded at
    assert current.file_name in said
    assert f"nuso batches restore {other.pk}" in said


@pytest.mark.parametrize(
    ("failure", "status", "words"),
    [
        (OperationalError("server closed the connection unexpectedly"), 503, "otillgänglig"),
        (ValueError("a bug"), 500, "Något gick fel"),
    ],
)
def test_a_database_that_does_not_answer_gives_a_clear_page_not_a_crash(
    client, db, monkeypatch, failure, status, words
) -> None:
    """While PostgreSQL restarts, a request gets a Swedish 503 with Retry-After (the next
    one reconnects); any other unhandled error a Swedish 500. Neither page asks the database
    anything (it does not answer)."""

    def fail(*args, **kwargs):
        raise failure

    client.raise_request_exception = False
    with monkeypatch.context() as patch:  # undone before the test database is torn down
        patch.setattr(CursorWrapper, "execute", fail)
        response = client.get("/")
    assert response.status_code == status
    page = response.content.decode()
    assert words in page
    assert 'lang="sv"' in page
    assert "Traceback" not in page
    assert "Server Error" not in page
    assert (response.get("Retry-After") == "10") == (status == 503)
