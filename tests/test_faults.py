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
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from nuso.audit.services import Actor
from nuso.core.synth.referral_exports import write_referral_exports
from nuso.intake.models import ImportBatch, RecordBlock
from nuso.intake.services import import_paths
from nuso.studies.models import Study
from nuso.units.models import Unit

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
    for name in ("a", "b"):
        path = write_karlstad(tmp_path, name, rows=20000)
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


def test_a_delivery_stored_after_the_command_started_was_stored_beside_it(nuso, tmp_path) -> None:
    """The other run may store its delivery before this one has even set Django up (seen
    under load): what counts is when the user started the command, not when it was ready."""
    nuso("init")
    started = timezone.now()
    other, this = (write_karlstad(tmp_path, name, rows=6) for name in ("a", "b"))
    assert nuso("import", str(other), *IMPORT).exit_code == 0  # stored before `this` is ready
    outcome, = import_paths([this], study_slug="aktualiseringar", period="2023",
                            actor=Actor.command_line(), started=started)  # fmt: skip
    assert "medan den här inläsningen pågick" in outcome.message
    replaced = ImportBatch.objects.get(status="replaced")
    assert f"nuso batches restore {replaced.pk}" in outcome.message


def test_a_command_started_is_its_process_launch_for_the_first_command_only() -> None:
    """A shell's `nuso import` counts from the launch of its process, before Django was set
    up; a later command in the same process (as in the tests) from its own call."""
    script = (
        "import time; from nuso.cli import main as cli; launched = cli._LAUNCHES[0]; "
        "time.sleep(0.3); cli.main(['--version']); first = cli.command_started(); "
        "time.sleep(0.3); cli.main(['--version']); later = cli.command_started(); "
        "print(first == launched, (later - launched).total_seconds() >= 0.6)"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert ran.stdout.split()[-2:] == ["True", "True"], ran


@pytest.mark.django_db
def test_the_database_holds_one_current_delivery_per_unit_and_period(nuso) -> None:
    """Of two first deliveries stored at once neither found a current one to lock; the
    unit's row is locked now, and the database refuses a second current delivery besides."""
    nuso("init")
    study, unit = Study.objects.get(slug="aktualiseringar"), Unit.objects.get(code="1780")
    fields = {"study": study, "unit": unit, "period": "2023", "actor": "cli:test",
              "status": ImportBatch.Status.IMPORTED}  # fmt: skip
    ImportBatch.objects.create(file_name="a.csv", content_hash="a" * 64, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportBatch.objects.create(file_name="b.csv", content_hash="b" * 64, **fields)
    fields["period"] = "2024"  # another period has its own current delivery
    ImportBatch.objects.create(file_name="b.csv", content_hash="b" * 64, **fields)


def write_karlstad(folder: Path, name: str, rows: int) -> Path:
    path = folder / f"Karlstad 2023 {name}.csv"
    lines = [f"{'FP'[i % 2]};Anmälan;Skolproblem;Utredning inleds;{name}{i}" for i in range(rows)]
    path.write_text("\n".join(["Kön;Typ;Orsak;Åtgärd;Anteckning", *lines]) + "\n", "utf-8")
    return path


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
