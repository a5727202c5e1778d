"""The suggestion models learn review decisions once the decisions are committed (one rolled
back teaches nothing). `nuso.intake.decisions.decide` asks for it with `after_commit`; no
caller of it needs to remember.

How the training runs depends on the caller: by default in a background thread, so that a
reviewer's next decision in the web does not wait for it (one training at a time: decisions
committed while it trains make it train once more, not once each). A batch of decisions in
one thread (`nuso review --decisions`) can ask for one training at its end instead, in the
foreground, and say how many models it trained. Any process that misses a model trains it
anyway: this only moves the training out of the next import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, transaction

from nuso.studies.codebooks import prepare_suggestion_models


def after_commit() -> None:
    """The models learn the current transaction's decisions once it commits."""
    transaction.on_commit(requested)


def requested() -> None:
    """A decision was committed: train now in the background, or at the end of the batch."""
    batch = getattr(BATCHES, "current", None)
    if batch is not None:
        batch.requested = True
    else:
        BACKGROUND.start()


class Background:
    """One training thread at a time; a request while it trains makes it train once more."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = False
        self.again = False
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        with self.lock:
            if self.running:
                self.again = True
                return
            self.running = True
            self.thread = threading.Thread(target=self.run, name="nuso-models", daemon=True)
            self.thread.start()

    def run(self) -> None:
        try:
            while True:
                prepare_suggestion_models()
                with self.lock:  # a request from now on starts a thread of its own
                    if not self.again:
                        self.running = False
                        return
                    self.again = False
        except BaseException:
            with self.lock:  # the next decision starts a training again
                self.running = self.again = False
            raise
        finally:
            connections.close_all()  # this thread's own

    def wait(self) -> None:
        """Until the training asked for so far is done."""
        while (thread := self.thread) is not None and thread.is_alive():
            thread.join()


BACKGROUND = Background()


@dataclass
class Batch:
    requested: bool = False


BATCHES = threading.local()  # the batch of decisions running in each thread


@contextmanager
def once_at_the_end(trained: Callable[[int], None]) -> Iterator[None]:
    """The decisions committed inside are learned once, when the block ends (also by an
    error: the decisions before it stand); `trained` is told how many models that took."""
    batch = BATCHES.current = Batch()
    try:
        yield
    finally:
        BATCHES.current = None
        if batch.requested:
            trained(prepare_suggestion_models())
