"""Row downloads too large to write within a request (Excel and SPSS of tens of thousands of
rows and more: the nation's 440 000 referral rows) are prepared in the background; the request
is answered at once with a page that says so and offers the file when it is ready.

The work runs in a thread of the web worker that was asked (the writing is Polars, zlib and
ReadStat, mostly outside the interpreter's lock, so the worker goes on serving). Its state is
kept in the shared data directory (`NUSO_DATA_DIR/nedladdningar/`), so that any worker can
answer the page's questions and serve the file: one JSON file per download (whose it is, what
it holds, how far it got) and the file itself, each written whole or not at all. A download is
named by a digest of the user, the study, the unit, the format and the data version: asking
again (in any worker) finds the same one rather than starting another, and new data makes a
new one. Only the user who asked gets its page and file, and only while their scope still
allows those rows; anyone else gets a 404, as for a unit outside their scope. A file is removed
`NUSO_PREPARED_DOWNLOADS_KEEP` seconds after it was written.

A worker that dies mid-way (restarted, killed) leaves a download that is no longer written:
one whose writer's process is gone, or that has not moved for `STALLED` seconds, counts as
failed, and asking again starts it anew.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.http import Http404
from django.utils import translation

from nuso.analysis import store
from nuso.analysis.service import data_version
from nuso.core.outputs.registry import EVERY_UNIT, ROWS, file_name, write_rows
from nuso.core.whole_files import written_whole
from nuso.portal import language
from nuso.portal.access import Scope
from nuso.reports.service import DeckRequest, every_deck, write_decks, zipped
from nuso.studies.models import Study
from nuso.units.models import Unit

FOLDER = "nedladdningar"
logger = logging.getLogger(__name__)
STALLED = 600  # seconds without progress: the writer is gone
PREPARING, READY, FAILED = "forbereds", "klar", "misslyckades"
DECKS = "rapporter"  # every results deck of a study, zipped (analysts)


@dataclass(frozen=True)
class Prepared:
    """A download being prepared or ready, as its JSON file holds it."""

    key: str
    user: int
    study: str
    unit: str | None  # None: every unit (analysts)
    format: str
    rows: int  # what it will hold
    written: int  # rows written so far (Excel tells as it goes)
    state: str
    asked: float  # when it was asked for (time.time())
    moved: float  # when it last made progress
    host: str
    pid: int
    kind: str = ROWS  # ROWS, or DECKS: `rows` and `written` then count decks

    @property
    def name(self) -> str:
        """The file name the user gets."""
        if self.kind == DECKS:
            return f"nuso-{self.study}-{EVERY_UNIT}-{DECKS}.zip"
        return file_name(self.study, self.unit or EVERY_UNIT, ROWS, self.format)

    @property
    def failed(self) -> bool:
        return self.state == FAILED or (self.state == PREPARING and not self._writer_alive())

    def _writer_alive(self) -> bool:
        if time.time() - self.moved > STALLED:
            return False
        if self.host != socket.gethostname():
            return True  # another host's process: only the time tells
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def folder() -> Path:
    path = Path(settings.NUSO_DATA_DIR) / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def request(scope: Scope, study: Study, unit: Unit | None, format_: str, rows: int) -> Prepared:
    """The download of these rows for this user: the one already asked for (being prepared
    or ready), or a new one started in the background, headed in the page's language (the
    background thread has none of its own). The caller has checked the scope."""
    remove_expired()
    version, words = data_version(study).tag, language.code()
    key = store.digest(
        (scope.user.pk, study.slug, unit.code if unit else None, format_, version, words)
    )
    existing = read(key)
    if existing is not None and not existing.failed:
        return existing
    now, code = time.time(), unit.code if unit else None
    prepared = Prepared(key, scope.user.pk, study.slug, code, format_, rows, 0, PREPARING, now,
                        now, socket.gethostname(), os.getpid())  # fmt: skip
    try:
        _create(prepared, replacing=existing is not None)
    except FileExistsError:  # another worker started it a moment ago
        return read(key) or prepared
    _in_background(lambda: _prepare(prepared, scope, study, unit, words))
    return prepared


def request_decks(scope: Scope, study: Study) -> Prepared:
    """Every unit's, county's and the nation's deck of the study, zipped: prepared in the
    background as a row download is (analysts only: the county and national decks are), in
    the page's language (the background thread has none of its own)."""
    if not scope.is_analyst:
        raise Http404("Rapporterna är för analytiker.")
    remove_expired()
    version, words = data_version(study).tag, language.code()
    key = store.digest((scope.user.pk, study.slug, DECKS, version, words))
    existing = read(key)
    if existing is not None and not existing.failed:
        return existing
    decks = every_deck(study, None, None, words)
    now = time.time()
    prepared = Prepared(key, scope.user.pk, study.slug, None, "zip", len(decks), 0, PREPARING,
                        now, now, socket.gethostname(), os.getpid(), DECKS)  # fmt: skip
    try:
        _create(prepared, replacing=existing is not None)
    except FileExistsError:
        return read(key) or prepared
    _in_background(lambda: _prepare_decks(prepared, decks))
    return prepared


def _prepare_decks(prepared: Prepared, decks: list[DeckRequest]) -> None:
    """Writes each deck into a folder of its own, then the zip, telling how many are done."""
    target = folder() / f"{prepared.key}.zip"
    done = []

    def progress(path: Path | None) -> None:
        done.append(path)
        _save(replace(prepared, written=len(done), moved=time.time()))

    try:
        with tempfile.TemporaryDirectory(dir=folder()) as work:
            zipped(write_decks(decks, Path(work), progress).paths, target)
        _save(replace(prepared, written=len(done), state=READY, moved=time.time()))
    except Exception:
        logger.exception("Rapporterna %s kunde inte förberedas.", prepared.key)
        _save(replace(prepared, state=FAILED, moved=time.time()))


def _prepare(prepared: Prepared, scope: Scope, study: Study, unit: Unit | None, words: str) -> None:
    """Writes the file (in a thread of its own), telling its JSON how far it got."""
    target = folder() / f"{prepared.key}.{prepared.format}"

    def progress(written: int) -> None:
        _save(replace(prepared, written=written, moved=time.time()))

    try:
        with translation.override(words):
            rows_asked = scope.row_download(study, unit, prepared.format)
        with written_whole(target) as temporary:
            rows = write_rows(prepared.format, rows_asked, temporary, progress)
        _save(replace(prepared, rows=rows, written=rows, state=READY, moved=time.time()))
    except Exception:
        logger.exception("Nedladdningen %s kunde inte förberedas.", prepared.key)
        _save(replace(prepared, state=FAILED, moved=time.time()))


def _in_background(work: Callable[[], None]) -> None:
    """Runs `work` in a thread of this process (the tests hold it back or run it at once)."""

    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name="nuso-nedladdning", daemon=True).start()


def owned(scope: Scope, key: str) -> Prepared:
    """The user's own download, while their scope allows its rows; a 404 otherwise (also
    for another user's: its existence is not confirmed)."""
    remove_expired()
    prepared = read(key) if key.isalnum() else None
    if prepared is None or prepared.user != scope.user.pk:
        raise Http404("Nedladdningen finns inte.")
    if prepared.unit is None and not scope.is_analyst:
        raise Http404("Nedladdningen finns inte.")
    if prepared.unit is not None:
        scope.unit(prepared.unit)  # a 404 outside the scope
    return prepared


def file_of(prepared: Prepared) -> Path:
    path = folder() / f"{prepared.key}.{prepared.format}"
    if prepared.state != READY or not path.exists():
        raise Http404("Filen är inte klar.")
    return path


def read(key: str) -> Prepared | None:
    try:
        stored = json.loads((folder() / f"{key}.json").read_text("utf-8"))
        return Prepared(**stored)
    except (FileNotFoundError, ValueError, TypeError):
        return None


def _create(prepared: Prepared, replacing: bool) -> None:
    """The JSON file of a new download; FileExistsError when another worker made it first
    (a failed one is replaced)."""
    path = folder() / f"{prepared.key}.json"
    if replacing:
        _save(prepared)
        return
    with path.open("x", encoding="utf-8") as handle:
        json.dump(asdict(prepared), handle)


def _save(prepared: Prepared) -> None:
    """Atomically: a reader sees the whole file or the one before."""
    path = folder() / f"{prepared.key}.json"
    with written_whole(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        json.dump(asdict(prepared), handle)


def remove_expired() -> None:
    """Every download and file untouched for `NUSO_PREPARED_DOWNLOADS_KEEP` seconds (a
    ready one since it was written), and what a writer killed mid-way left behind. Called
    whenever a download is asked for or looked at: a listing of a small folder."""
    keep = int(settings.NUSO_PREPARED_DOWNLOADS_KEEP)
    now = time.time()
    for path in folder().iterdir():
        with suppress(FileNotFoundError):
            if now - path.stat().st_mtime > keep:  # a JSON being written moves as it goes
                if path.is_dir():  # decks being written by a writer that was killed
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink()
