"""What the platform wrote, as text to search: files and bytes decoded by what they are (a zip's
members, Parquet, Arrow, SPSS, NumPy, our own pickles), besides the bytes read as UTF-8."""

from __future__ import annotations

import dataclasses
import html
import io
import pickle  # only the platform's own files, written by this test's run
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import polars as pl
import pyreadstat


def texts_in(place: str, data: bytes) -> Iterator[tuple[str, str]]:
    """(place, text) for bytes: the bytes themselves, and what they hold decoded."""
    yield place, data.decode("utf-8", "replace")
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                inner = archive.read(member)
                yield f"{place}/{member}", html.unescape(inner.decode("utf-8", "replace"))
                yield from texts_in(f"{place}/{member}", inner)
    elif data.startswith(b"PAR1"):
        yield f"{place} (parquet)", frame_text(pl.read_parquet(io.BytesIO(data)))
    elif data.startswith(b"ARROW1"):
        yield f"{place} (arrow)", frame_text(pl.read_ipc(io.BytesIO(data)))
    elif data.startswith((b"$FL2", b"$FL3")):
        yield f"{place} (spss)", spss_text(data)
    elif data.startswith(b"\x93NUMPY"):
        yield f"{place} (numpy)", repr(np.load(io.BytesIO(data), allow_pickle=False).tolist())
    elif data.startswith(b"\x80") and place.endswith((".pickle", ".pkl")):
        yield f"{place} (pickle)", " ".join(strings_in(pickle.loads(data)))


def files_in(folder: Path) -> Iterator[tuple[str, str]]:
    """Each file's name and content under a folder."""
    for path in sorted(folder.rglob("*")):
        yield f"name of {path}", str(path.relative_to(folder))
        if path.is_file():
            yield from texts_in(str(path), path.read_bytes())


def frame_text(frame: pl.DataFrame) -> str:
    return f"{frame.columns} {frame.rows()}"


def spss_text(data: bytes) -> str:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "rader.sav"
        path.write_bytes(data)
        frame, meta = pyreadstat.read_sav(str(path))
    labels = (meta.column_names, meta.column_labels, meta.variable_value_labels)
    return f"{frame.to_csv()} {labels}"


def strings_in(value: Any, depth: int = 0) -> Iterator[str]:
    """Every text inside an object: frames, mappings, sequences, dataclasses, objects."""
    if depth > 30:
        return
    deeper = depth + 1
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        yield value.decode("utf-8", "replace")
    elif isinstance(value, pl.DataFrame):
        yield frame_text(value)
    elif isinstance(value, pl.Series):
        yield repr(value.to_list())
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings_in(key, deeper)
            yield from strings_in(item, deeper)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings_in(item, deeper)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings_in(getattr(value, field.name), deeper)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        yield from strings_in(vars(value), deeper)
    else:
        yield repr(value)
