"""When an import starts worker processes."""

from __future__ import annotations

from pathlib import Path

from nuso.core.import_workers import MIN_BYTES_FOR_WORKERS, Delivery, workers_worth_starting


def deliveries(*sizes: int) -> list[Delivery]:
    return [Delivery(Path(f"{i}.csv"), b"x" * size, "") for i, size in enumerate(sizes)]


def test_a_small_import_runs_in_the_importing_process() -> None:
    """Starting workers costs about 2 s; a few small files take a tenth of that in process."""
    assert workers_worth_starting(deliveries(1_000, 2_000), configured=4) == 1
    assert workers_worth_starting(deliveries(MIN_BYTES_FOR_WORKERS - 1), configured=4) == 1


def test_a_large_import_gets_the_configured_workers() -> None:
    half = MIN_BYTES_FOR_WORKERS // 2
    assert workers_worth_starting(deliveries(half, half), configured=2) == 2
    assert workers_worth_starting(deliveries(half, half), configured=1) == 1
