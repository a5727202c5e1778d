"""When an import starts worker processes."""

from __future__ import annotations

from pathlib import Path

from nuso.core.intake import import_workers
from nuso.core.intake.import_workers import MIN_BYTES_FOR_WORKERS, Delivery, workers_worth_starting


def deliveries(*sizes: int) -> list[Delivery]:
    return [Delivery(Path(f"{i}.csv"), b"x" * size, "") for i, size in enumerate(sizes)]


def test_a_small_import_runs_in_the_importing_process() -> None:
    """Starting workers costs more than a few small files take in process."""
    assert workers_worth_starting(deliveries(1_000, 2_000), configured=4) == 1
    assert workers_worth_starting(deliveries(MIN_BYTES_FOR_WORKERS - 1), configured=4) == 1


def test_a_large_import_gets_the_configured_workers() -> None:
    half = MIN_BYTES_FOR_WORKERS // 2
    assert workers_worth_starting(deliveries(half, half), configured=2) == 2
    assert workers_worth_starting(deliveries(half, half), configured=1) == 1


def test_the_worker_server_starts_early_only_for_an_import_that_will_use_it(
    tmp_path: Path, monkeypatch
) -> None:
    """`nuso import` starts the server while Django starts, when its files are large enough
    for workers: the arguments that are no files (the study, the period) are passed over."""
    started: list[bool] = []
    monkeypatch.setattr(import_workers.forkserver, "ensure_running", lambda: started.append(True))
    folder = tmp_path / "exporter"
    folder.mkdir()
    (folder / "a.csv").write_bytes(b"x" * 600)
    (folder / "b.xlsx").write_bytes(b"x" * 600)
    (folder / "notes.docx").write_bytes(b"x" * 5_000)  # not an export: does not count
    monkeypatch.setattr(import_workers, "MIN_BYTES_FOR_WORKERS", 1_000)
    import_workers.start_server_early([folder / "a.csv", Path("aktualiseringar"), Path("2023")])
    assert started == []
    import_workers.start_server_early([folder, Path("aktualiseringar"), Path("2023")])
    assert started == [True]
