"""Records stored column-wise: a block holds the records of one sheet of a delivered file, one
row per source row, as an Arrow IPC document (decision 0011).

Every record keeps its row number, the child's pseudonym (when the row had an identity
number), whether a value waits for review, the codebook version it was harmonised under, and
for each variable of the study its value and how it was decided; and every raw cell of the row
(identity numbers already replaced). The columns:

| column | type | what |
|---|---|---|
| `row` | UInt32 | the 1-based row a spreadsheet program shows (for text files the line) |
| `pseudonym` | String | the child's keyed pseudonym; null without an identity number |
| `pending` | Boolean | a value of the row waits for review |
| `codebook` | Int32 | the codebook version the values were decided under |
| `value:V` | by V's type | variable V's value; null when unknown or pending |
| `method:V` | String | how V was decided (exact, rule, fuzzy, model, manual, pending …) |
| `confidence:V` | Float64 | how sure, 0–1 |
| `source:V` | String | the raw text V was decided from (several cells joined by `|`) |
| `cell:H` | String | the raw cell under header H (a repeated header gets its column number) |

Derived variables (age group, action group) have only their `value:` column. The value and
decision columns follow the study's dictionary, so every block of a study has them all,
with the same types, whatever its file held; the cell columns are the file's own.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import polars as pl

from nuso.core.harmonise.dictionary import StudyDictionary

LAYOUT = 1  # stored with each block: a later layout can still read this one

ROW, PSEUDONYM, PENDING, CODEBOOK = "row", "pseudonym", "pending", "codebook"
VALUE, METHOD, CONFIDENCE, SOURCE, CELL = "value:", "method:", "confidence:", "source:", "cell:"
DECISION_PREFIXES = (METHOD, CONFIDENCE, SOURCE)

VALUE_TYPES: dict[str, pl.DataType] = {
    "category": pl.String(),
    "categories": pl.List(pl.String()),
    "integer": pl.Int64(),
    "boolean": pl.Boolean(),
    "date": pl.String(),  # ISO 8601
    "text": pl.String(),
}
RECORD_TYPES: dict[str, pl.DataType] = {
    ROW: pl.UInt32(),
    PSEUDONYM: pl.String(),
    PENDING: pl.Boolean(),
    CODEBOOK: pl.Int32(),
}
DECISION_TYPES: dict[str, pl.DataType] = {
    METHOD: pl.String(),
    CONFIDENCE: pl.Float64(),
    SOURCE: pl.String(),
}


def value_types(dictionary: StudyDictionary) -> dict[str, pl.DataType]:
    """Each variable's value type; derived variables are codes (lists of codes when derived
    from each code of a multi-valued variable)."""
    types = {variable.name: VALUE_TYPES[variable.type] for variable in dictionary.variables}
    return types | {derived.name: VALUE_TYPES[derived.type] for derived in dictionary.derived}


def schema(dictionary: StudyDictionary) -> dict[str, pl.DataType]:
    """Every column of a study's blocks but the raw cells, in the order stored."""
    columns = dict(RECORD_TYPES)
    for name, kind in value_types(dictionary).items():
        columns[VALUE + name] = kind
    for variable in dictionary.variables:
        columns |= {prefix + variable.name: kind for prefix, kind in DECISION_TYPES.items()}
    return columns


def empty(dictionary: StudyDictionary) -> pl.DataFrame:
    return pl.DataFrame(schema=schema(dictionary))


def variables_of(frame: pl.DataFrame | pl.Schema, prefix: str) -> list[str]:
    """The names after `prefix` of the frame's columns with it, in order."""
    names = frame.columns if isinstance(frame, pl.DataFrame) else frame.names()
    return [name.removeprefix(prefix) for name in names if name.startswith(prefix)]


def encode(frame: pl.DataFrame) -> bytes:
    """A block as stored: an Arrow IPC file, compressed (records repeat their codes and
    spellings). Arrow rather than Parquet: half the time to write for a block of a thousand
    rows and fifty columns, where Parquet's work per column dominates (decision 0011)."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def decode(data: bytes, columns: Iterable[str] | None = None) -> pl.DataFrame:
    """A stored block, or only the given columns of it (those it has)."""
    if columns is None:
        return pl.read_ipc(io.BytesIO(data))
    present = set(pl.read_ipc_schema(io.BytesIO(data)))
    wanted = [c for c in columns if c in present]
    return pl.read_ipc(io.BytesIO(data), columns=wanted)
