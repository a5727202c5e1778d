"""Interpreting an import's files in worker processes, in file order.

Reading, locating, pseudonymising and harmonising a file is pure Python work that holds the
interpreter lock; a national import is mostly that. Worker processes interpret the next files
while the importing process stores the ones before them, so the cores work side by side. The
results come back in file order: a later file for the same unit still replaces an earlier one,
and the same file twice is still imported once.

Workers start from a fresh interpreter (forkserver, else spawn), never by forking the importing
process: it may hold threads (a progress bar) and database connections that a fork would copy.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import forkserver
from pathlib import Path

from nuso.core.errors import Problem
from nuso.core.intake.delivery import (
    FileInterpreter,
    ImportPlan,
    ImportRefusedError,
    Interpreted,
    Refused,
)
from nuso.core.intake.reading import SUPPORTED_SUFFIXES

# Files handed out ahead of the one being stored, per worker: enough to keep every worker busy
# while the importing process stores, few enough to bound the results held in memory.
AHEAD_PER_WORKER = 8

# Files smaller than this in all are interpreted in the importing process: starting the
# workers would cost more than they save.
MIN_BYTES_FOR_WORKERS = 4_000_000

_interpreter: FileInterpreter | None = None  # one per worker process, for the whole run

# Allocations between collections of young objects in a worker (Python's default: 700).
YOUNG_COLLECTION_AFTER = 50_000


@dataclass(frozen=True)
class Delivery:
    """A file to interpret: its content as read (and hashed) by the importing process."""

    path: Path
    data: bytes
    content_hash: str


def start_worker(plan: ImportPlan) -> None:
    global _interpreter
    _interpreter = FileInterpreter(plan)
    # Interpreting a file allocates millions of small lists, tuples and dicts that live until
    # the file is done, and Python's collector looks at the young ones every 700 allocations:
    # a sixth of a worker's time. Less often, and never at what is loaded by now (the code,
    # the plan), costs nothing here: a worker lives for one import.
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, *gc.get_threshold()[1:])


def interpret_in_worker(path: Path, data: bytes) -> Interpreted | Refused:
    assert _interpreter is not None, "start_worker runs first"
    return _interpreter.attempt(path, data)


def files_in(paths: Iterable[Path]) -> list[Path]:
    """The files to import: each file given, and every supported file in each folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            found.append(path)
    return found


def workers_worth_starting(deliveries: list[Delivery], configured: int) -> int:
    """The configured number of workers for a large import, none for a small one."""
    size = sum(len(delivery.data) for delivery in deliveries)
    return configured if size >= MIN_BYTES_FOR_WORKERS else 1


def start_server_early(paths: Iterable[Path]) -> None:
    """Start the server the workers are forked from now, for an import large enough to use
    workers: it loads the interpreting code (about 0.4 s) while the importing process starts
    Django and reads the files, side by side on two cores. Later pools use the same server."""
    files = [path for path in files_in(path for path in paths if path.exists()) if path.is_file()]
    if sum(path.stat().st_size for path in files) < MIN_BYTES_FOR_WORKERS:
        return
    if worker_context().get_start_method() == "forkserver":
        forkserver.ensure_running()


def interpreted_in_order(
    deliveries: list[Delivery], plan: ImportPlan, workers: int
) -> Generator[tuple[Delivery, Interpreted | Refused], None, None]:
    """Each delivery with its interpretation, in the order given. With one worker, or one
    file, in this process: starting processes costs more than it saves."""
    if workers <= 1 or len(deliveries) <= 1:
        interpreter = FileInterpreter(plan)
        for delivery in deliveries:
            yield delivery, interpreter.attempt(delivery.path, delivery.data)
        return
    yield from in_worker_processes(deliveries, plan, min(workers, len(deliveries)))


def in_worker_processes(
    deliveries: list[Delivery], plan: ImportPlan, workers: int
) -> Generator[tuple[Delivery, Interpreted | Refused], None, None]:
    pool = ProcessPoolExecutor(
        workers, mp_context=worker_context(), initializer=start_worker, initargs=(plan,)
    )
    try:
        waiting = iter(deliveries)
        ahead: deque[tuple[Delivery, Future[Interpreted | Refused]]] = deque()

        def hand_out(count: int) -> None:
            for delivery in itertools.islice(waiting, count):
                future = pool.submit(interpret_in_worker, delivery.path, delivery.data)
                ahead.append((delivery, future))

        hand_out(workers * AHEAD_PER_WORKER)
        while ahead:
            delivery, future = ahead.popleft()
            hand_out(1)
            try:
                result = future.result()
            except BrokenProcessPool as error:
                raise ImportRefusedError([worker_lost(delivery)]) from error
            yield delivery, result
    finally:
        # Also when the caller stops early (an error while storing): no work left behind.
        pool.shutdown(wait=True, cancel_futures=True)


def worker_lost(delivery: Delivery) -> Problem:
    message = (
        "en arbetsprocess avbröts oväntat (slut på minne?). Filerna före den är inlästa; kör "
        "samma kommando igen (inlästa filer hoppas över), vid behov med NUSO_IMPORT_WORKERS=1."
    )
    return Problem("worker-lost", message, file=delivery.path.name)


def worker_context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # The server imports the interpreting code once, and each worker is forked from it.
        # Not scikit-learn: the suggestion models come trained from the installation's
        # store (nuso.core.harmonise.suggest), and a worker that must train one imports it itself.
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")
