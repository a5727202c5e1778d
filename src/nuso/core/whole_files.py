"""Files written whole or not at all, for files other processes may read at any moment (the
table store, prepared downloads, suggestion models)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` to write; it replaces `path` when the block ends
    without an error and is removed otherwise, so that a reader sees the whole new file or
    the one before. It is named after `path` (`NAME.XXXX.tmp`): one left by a writer that
    was killed is found by the name of what it was to become."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
