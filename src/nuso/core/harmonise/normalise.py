"""Normalising raw values before they are looked up: the first step of harmonisation.

Two raw values that differ only in case, white space, Unicode form, Swedish diacritics,
punctuation, a meaningless area prefix (B/U, BoU, B&U, Barn/ungdom, BoF, …) or a trailing age
range ("0-12 år") get the same key. PM #4 traced most of the 76 spellings of two referral
types to exactly these differences. What the key throws away is only what carries no meaning
for the category; the raw value itself is always kept beside it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Area prefixes case systems put before values (PM #4). Matched on the folded text, whole
# words only, so "Bostadslöshet" keeps its B and "Barnets hälsa" its "barn".
AREA_PREFIXES = (
    "barn och unga",
    "barn/ungdom",
    "barn/unga",
    "barn:",
    "bou",
    "b/u",
    "b&u",
    "bu",
    "bof",
    "ifo",
    "b",
)
PREFIX = re.compile(
    r"^(?:(?:" + "|".join(re.escape(p) for p in AREA_PREFIXES) + r")(?:\s*[-:–—]\s*|\s+))+"
)
# What case systems write where nothing is known: no value, never a category to review. (The
# codebook's "unknown or unreadable: empty code, never a guess", spec/categories.md.)
MISSING_MARKERS = frozenset(
    {
        "okant", "okand", "uppgift saknas", "saknas", "ej angivet", "ej angiven", "ej ifylld",
        "ingen uppgift", "vet ej", "uppgift finns ej", "null", "none",
        "ej kant", "ej registrerat", "oklart",
        # Norwegian (bokmål and nynorsk): SSB's "Uoppgitt", case systems' "Ukjent"
        "uoppgitt", "ukjent", "ukjend", "ikke oppgitt", "ikkje oppgitt", "ikke registrert",
        "ikkje registrert", "ikke kjent", "ikkje kjent",
    }
)  # fmt: skip
# Letters that do not decompose: Norwegian and Danish ø is the ö that folds to o, æ is written
# ae where a system has no æ.
UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae"})
AGE_RANGE = re.compile(r"\s*\(?\b\d{1,2}\s*[-–—]\s*\d{1,2}\s*(?:år|ar)?\)?\s*$")
NON_WORD = re.compile(r"[^\w§]+")


def fold(text: str) -> str:
    """Lower case, NFKC, no diacritics (ø as o, æ as ae), single spaces."""
    lower = unicodedata.normalize("NFKC", text).casefold().translate(UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", lower)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


@lru_cache(maxsize=1 << 16)
def normalise(raw: str) -> str:
    """The lookup key of a raw value (see the module doc); '' for a blank value. Cached: an
    export repeats the same few hundred values thousands of times."""
    text = fold(raw)
    previous = None
    # Until nothing changes: prefixes and ranges stack ("B/U BoU Anmälan 0-12 år"), and
    # folding punctuation can bare another prefix ("B - B/U …"). A fixed point makes the
    # key of a key the key itself.
    while previous != text:
        previous = text
        text = PREFIX.sub("", text)
        text = AGE_RANGE.sub("", text)
        text = " ".join(NON_WORD.sub(" ", text).split())
    return text
