"""One variable told across several columns: a decision written where it belongs.

Case systems and hand-kept lists often give the action after an assessment not as one column
but as a column per kind of decision, one of them filled in each row:

- a date or a tick under a header that is a value ("Beslut att inleda utredning (datum)",
  "Inleda utredning?" with Ja/Nej);
- a header that a cell completes ("Påförd pågående" with "utredning", "insats");
- a note under a header that is a value ("Övrig åtgärd" with "Hänvisad till BUP");
- beside them, perhaps, a column whose cells are values themselves.

Each such column is a part of the variable (`Column.part`, its kind). A row's value is the
text its filled parts compose, the harmoniser then decides it like any other spelling. Where
several parts are filled the most telling one speaks: a tick or date under a value, then a
value or a completed header, then a "Nej" under a value (the decision not taken), then a note
under a value ("Nej" with a note in "Övrig åtgärd" is a decision not to investigate, with a
referral elsewhere noted).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nuso.core.harmonise.normalise import fold
from nuso.core.intake.dates import parse_date

MARKS = frozenset({"x", "1", "ja", "j", "*", "✓", "✔", "yes"})  # a ticked box in a list
UNMARKS = frozenset({"nej", "n", "0", "no", "-"})  # a box left empty, written out
PART_RULE = "en del av variabeln i flera kolumner"  # how the report names a part
# The kinds of part, as the report says them, and the rank of what each composes (lower
# speaks first where a row fills several).
MARK, VALUE, COMPLETES, NOTE = "kryss eller datum", "värde", "rubriken fortsätter", "anteckning"
NEGATIVE_RANK = 3  # "Nej" under a value: after every positive part, before a note
RANKS = {MARK: 1, VALUE: 2, COMPLETES: 2, NOTE: 4}
DECIDING = 2  # the ranks of a decision itself
KINDS = tuple(RANKS)
DECIDING_SHARE = 0.8  # of a column's distinct values that must decide, alone or completed
MIN_VALUES = 3  # a column with fewer values in the sample says too little to be a part
MAX_DISTINCT = 40  # values of a column tried with its header: enough to tell, and quick
MARK_SHARE = 0.9  # of a column's values that are ticks, dates or "Nej", in a column of ticks
NEGATIONS = frozenset({"inte", "ej", "ingen", "inga"})  # a header that says "not"
MAX_OVERLAP = 0.05  # of the rows with a part filled that may fill two decisions

Decides = Callable[[str], bool]


def part_kind(header: str, sample: Sequence[str], decides: Decides) -> str:
    """What kind of part a column would be of a variable whose spellings `decides` knows,
    or "" when it is none: its header and its values (the sample's, stripped) tell."""
    if len(sample) < MIN_VALUES:
        return ""
    header_decides = decides(header)
    ticks = sum(1 for value in sample if is_mark(value) or is_unmark(value))
    if header_decides and ticks >= MARK_SHARE * len(sample):
        return MARK
    if header_decides:
        return NOTE
    distinct = sorted(set(sample))[:MAX_DISTINCT]
    alone = deciding(distinct, decides)
    completed = deciding([f"{header} {value}" for value in distinct], decides)
    # "utredning" alone is an investigation opened, under "Påförd pågående" one it joined:
    # where the header makes more of the values decide, it is part of what they say.
    if completed > alone and completed >= DECIDING_SHARE * len(distinct):
        return COMPLETES
    return VALUE if alone >= DECIDING_SHARE * len(distinct) else ""


def deciding(texts: Sequence[str], decides: Decides) -> int:
    return sum(1 for text in texts if decides(text))


def is_mark(value: str) -> bool:
    """A tick, "Ja", or a date (a decision column's date says the decision was taken)."""
    return fold(value) in MARKS or parse_date(value) is not None


def is_unmark(value: str) -> bool:
    return fold(value) in UNMARKS


def composed(kind: str, header: str, value: str | None) -> tuple[int, str] | None:
    """What a part's cell says, with its rank; None for an empty cell, and for what says
    nothing of the decision: a word that is no tick in a column of ticks ("avvaktar"), a
    "-" under a note's header, a "Nej" under a header that already says "not"."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if is_unmark(value) and kind != VALUE:
        if kind == NOTE or negated(header):
            return None
        return NEGATIVE_RANK, f"inte {header}"  # "Nej" under "Inleda utredning?"
    if kind == MARK:
        return (RANKS[MARK], header) if is_mark(value) else None
    if kind == NOTE:
        return RANKS[NOTE], header
    if kind == COMPLETES:
        return RANKS[COMPLETES], f"{header} {value}"
    return RANKS[VALUE], value


def as_value(cell: str | None) -> tuple[int, str] | None:
    """A cell of a column mapped to the variable beside its parts, ranked as a value."""
    return (RANKS[VALUE], cell.strip()) if cell and cell.strip() else None


def negated(header: str) -> bool:
    return bool(NEGATIONS.intersection(fold(header).split()))


def spoken(row: Sequence[tuple[int, str] | None]) -> str | None:
    """The text of the row's most telling filled part, or None: none filled, or two of the
    same rank that say different things (as two different boxes ticked)."""
    filled = [part for part in row if part is not None]
    if not filled:
        return None
    best = min(rank for rank, _ in filled)
    said = {text for rank, text in filled if rank == best}
    return said.pop() if len(said) == 1 else None


def exclusive(parts: Sequence[Sequence[tuple[int, str] | None]]) -> bool:
    """Whether the rows mostly fill one decision at most (a tick or date, a value, a
    completed header; a "Nej" or a note beside one is no second decision): parts that are
    filled together in many rows are separate facts (a decision and its date), not one told
    apart."""
    rows = [row for row in zip(*parts, strict=True) if any(row)]
    if not rows:
        return False
    overlapping = sum(1 for row in rows if sum(1 for p in row if p and p[0] <= DECIDING) >= 2)
    return overlapping <= MAX_OVERLAP * len(rows)


def kind_of_rule(rule: str) -> str:
    """The kind of part a report's rule names ("" for a column that is none)."""
    _, found, kind = rule.partition(f"{PART_RULE}: ")
    return kind if found and kind in KINDS else ""
