"""Computed tables shared by every process of an installation: the web server's workers and
the `nuso` commands.

Computing a national study's tables takes seconds (about 11 s for the referral set) and each
web worker is its own process. Without sharing, every worker would compute the same tables
after each import or review decision, all at once, inside requests (and a web server kills a
worker whose request runs past its timeout). So the first process that needs the tables for
the current data takes a lock, computes them and writes them to the data directory; processes
that need them meanwhile wait on the lock and then read the file (a fraction of a second).

The files are pickles of the engine's results, in the owner-only data directory next to the
database they are computed from; they are only ever read back by this module. A file whose key
no longer matches the data is never read again. So once a study's tables of new data are
written, every file of the study computed from other data (of any kind: the disclosure-
controlled tables, the analysts', a period's) is removed, and so is a temporary file that a
writer killed mid-write left behind: the folder holds the tables of the current data and, only
while they are computed, those of the data before (docs/settings.md says how large that is).
A reader that opened a file before it was removed reads it whole (POSIX unlink); one that asks
for it afterwards computes. `nuso init` (run at every upgrade) empties the folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import pickle  # our own files, in the owner-only data directory
import shutil
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from nuso.core.analysis.indicators.engine import Results
from nuso.core.whole_files import written_whole

FOLDER = "tabeller"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TablesKind:
    """Which tables: a study's, of one period or all (None), and the suppression threshold
    (None: unsuppressed, for analysts)."""

    study: str
    period: str | None
    threshold: int | None


def folder() -> Path:
    path = Path(settings.NUSO_DATA_DIR) / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:16]


def path_of(kind: TablesKind, version: Hashable) -> Path:
    """`kind` is what is computed, `version` the data it is from."""
    return folder() / f"{kind.study}-{digest(kind)}-{digest(version)}.pickle"


def shared(kind: TablesKind, version: Hashable, compute: Callable[[], Results]) -> Results:
    """The results of `kind` for this data version: read from the store, or computed once
    (under a lock per study) and stored."""
    path = path_of(kind, version)
    results = read(path)
    if results is not None:
        return results
    waiting_since = time.time()
    with locked(folder() / f"{kind.study}.lock"):
        results = read(path)  # another process may have written it while this one waited
        if results is None:
            results = compute()
            try:
                write(path, results)
                remove_older(path, kind.study, waiting_since)
            except OSError as error:  # the store saves time; without it the results still hold
                logger.warning("Tabellerna kunde inte sparas i %s: %s", path.parent, error)
    return results


def read(path: Path) -> Results | None:
    try:
        with path.open("rb") as handle:
            results = pickle.load(handle)  # noqa: S301 - written by write() below
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or outdated file is computed again
        path.unlink(missing_ok=True)
        return None
    return results if isinstance(results, Results) else None


def write(path: Path, results: Results) -> None:
    """Atomically: a reader sees the whole file or none."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # `nuso init` may have emptied it
    # Named after the file: a temporary file of a writer that was killed is found by its study.
    with written_whole(path) as temporary, temporary.open("wb") as handle:
        pickle.dump(without_memo(results), handle, protocol=pickle.HIGHEST_PROTOCOL)


def without_memo(results: Results) -> Results:
    """The results as computed, without what a process derived from them since."""
    return Results(
        results.tables, results.definitions, results.suppression, results.source,
        results.counties,
    )  # fmt: skip


def remove_older(current: Path, study: str, since: float) -> None:
    """After `current` was written (under the study's lock): the study's files computed from
    other data, and temporary files of its writers that died (every writer of the study holds
    the lock, so no other is writing now). A file written since `since` (while this process
    waited for the lock: of later data) stays."""
    parts_of_current = _parts(current.name)
    assert parts_of_current is not None
    version = parts_of_current[2]
    for other in current.parent.iterdir():
        parts = _parts(other.name)
        if other == current or parts is None or parts[0] != study:
            continue
        if parts[2] == version and other.suffix == ".pickle":
            continue  # another kind of the current data
        with suppress(FileNotFoundError):
            if other.suffix == ".tmp" or other.stat().st_mtime < since:
                other.unlink()


def _parts(name: str) -> tuple[str, str, str] | None:
    """A stored file's study, kind and version digests (a temporary file's are of the file it
    was to become); None for another file (the lock files)."""
    stem = name.split(".", 1)[0]
    if not (name.endswith(".pickle") or name.endswith(".tmp")) or stem.count("-") < 2:
        return None
    study, kind, version = stem.rsplit("-", 2)
    return study, kind, version


@contextmanager
def locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clear() -> None:
    """Remove every stored result (after an upgrade the engine may compute differently)."""
    path = Path(settings.NUSO_DATA_DIR) / FOLDER
    if path.exists():
        shutil.rmtree(path)
