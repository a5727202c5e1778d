"""Export dialects: how a case-management system, and a municipality's local habits on top of
it, write a referral export. A `UnitStyle` holds every concrete choice for one unit, so that
rendering a row is a lookup plus row-level noise (typos, stray spaces, mixed spellings).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np

from nuso.core.synth import vocabulary as vocab

ASCII_FOLD = str.maketrans("åäöÅÄÖéÉ", "aaoAAOeE")


@dataclass(frozen=True)
class System:
    """A case-management system's export: format, layout and default vocabulary habits."""

    name: str
    file_format: str  # xlsx | xls | csv
    columns: tuple[str, ...]  # logical columns in order; "orsak" expands per reason mode
    sex_style: str | None  # key of vocab.SEX_WORDS; None: sex only in the personal number
    age_style: str  # number | years_text | birth_date | birth_year | personal_number
    csv_delimiter: str = ","
    csv_encoding: str = "utf-8-sig"
    title_rows: bool = False
    total_row: bool = False
    sheets: str = "single"  # single | quarters | halves
    summary_sheet: bool = False
    dates_as_text: bool = False
    personal_number_style: str = "short"
    multi_reason: str = "separator"  # separator | columns
    reason_separator: str = ", "
    case: str = "as_is"  # as_is | lower | upper | ascii_upper
    typo_rate: float = 0.0005  # reasons typed by hand; most systems offer a list
    blank_row_rate: float = 0.0
    comment_pn_rate: float = 0.0
    file_names: tuple[str, ...] = ("{code}_{name}_aktualiseringar_{year}",)
    weight: float = 1.0


SYSTEMS: tuple[System, ...] = (
    System(
        "A",
        "xlsx",
        ("id", "datum", "kon", "alder", "typ", "orsak", "atgard"),
        sex_style="FP",
        age_style="number",
        title_rows=True,
        total_row=True,
        sheets="quarters",
        file_names=("Aktualiseringar {name} {year}", "{code}_{name}_aktualiseringar_{year}"),
        weight=3.0,
    ),
    System(
        "B",
        "csv",
        ("personnummer", "datum", "typ", "orsak", "atgard"),
        sex_style=None,
        age_style="personal_number",
        csv_delimiter=";",
        csv_encoding="cp1252",
        dates_as_text=True,
        reason_separator=", ",
        file_names=("{slug}-{code}-{year}", "{code} {name} aktualiseringar"),
        weight=2.0,
    ),
    System(
        "C",
        "xlsx",
        ("kon", "alder", "datum", "typ", "orsak", "atgard", "kommentar"),
        sex_style="words",
        age_style="years_text",
        multi_reason="columns",
        file_names=("{name} {year}", "Aktualiseringar_{name}_{year}_slutlig"),
        weight=2.0,
    ),
    System(
        "D",
        "csv",
        ("id", "fodelsedatum", "kon", "datum", "typ", "orsak", "atgard"),
        sex_style="adult_words",
        age_style="birth_date",
        csv_delimiter=",",
        csv_encoding="utf-8-sig",
        dates_as_text=True,
        reason_separator=" - ",
        case="lower",
        file_names=("aktualiseringar_{slug}_{year}",),
        weight=1.5,
    ),
    System(
        "E",
        "xls",
        ("fodelsear", "kon", "typ", "orsak", "atgard"),
        sex_style="KM",
        age_style="birth_year",
        title_rows=True,
        case="ascii_upper",
        file_names=("Export BoU {year} {name}",),
        weight=0.8,
    ),
    System(
        "F",
        "xlsx",
        ("personnummer", "datum", "kon", "typ", "orsak", "atgard", "kommentar"),
        sex_style="words_mixed",
        age_style="personal_number",
        sheets="halves",
        summary_sheet=True,
        personal_number_style="long",
        reason_separator="; ",
        comment_pn_rate=0.03,
        file_names=("{code}_{name}_BoU_{year}",),
        weight=1.5,
    ),
    System(
        "G",
        "csv",
        ("kommun", "kon", "alder", "datum", "typ", "orsak", "atgard"),
        sex_style="fp",
        age_style="number",
        csv_delimiter="\t",
        csv_encoding="utf-8",
        dates_as_text=True,
        file_names=("export_aktualiseringar_{year}_{index}",),
        weight=1.0,
    ),
    System(
        "H",
        "xlsx",
        ("datum", "kon", "alder", "typ", "orsak", "atgard", "kommentar"),
        sex_style="mixed_letters",
        age_style="number",
        title_rows=True,
        total_row=True,
        typo_rate=0.006,
        blank_row_rate=0.004,
        comment_pn_rate=0.01,
        file_names=("{name}_aktualiseringar_{year}", "Aktualiseringar {year} {name}"),
        weight=1.2,
    ),
)
SYSTEMS_BY_NAME = {system.name: system for system in SYSTEMS}
MULTI_REASON_SYSTEMS = ("B", "C", "D", "F")


@dataclass
class UnitStyle:
    """Every concrete choice for one unit's export."""

    system: System
    reason_mode: str  # none | single | multi
    headers: dict[str, str]
    sex_words: dict[str, tuple[str, ...]]
    type_words: dict[str, tuple[str, ...]]  # code -> words for (age-split) rows
    type_age_split: tuple[tuple[str, int, int], ...]
    reason_words: dict[str, tuple[str, ...]]
    action_words: dict[str, tuple[str, ...]]
    file_stem: str
    case: str
    extra: dict[str, object] = field(default_factory=dict)

    def apply_case(self, text: str) -> str:
        return apply_case(text, self.case)


def apply_case(text: str, case: str) -> str:
    if case == "lower":
        return text.lower()
    if case == "upper":
        return text.upper()
    if case == "ascii_upper":
        return text.translate(ASCII_FOLD).upper()
    return text


def choose(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def pick_words(rng: np.random.Generator, pool: tuple[str, ...], low: int, high: int) -> list[str]:
    count = int(rng.integers(low, high + 1))
    order = rng.permutation(len(pool))[: min(count, len(pool))]
    return [pool[i] for i in order]


@dataclass(frozen=True)
class SystemVocabulary:
    reasons: dict[str, list[str]]
    actions: dict[str, list[str]]
    types: dict[str, list[str]]
    reason_prefix: str
    action_prefix: str
    type_prefix: str


def system_vocabulary(system: System, seed: int) -> SystemVocabulary:
    """The wordings a system ships with, the same for every unit that runs it."""
    rng = np.random.default_rng([seed, 7, ord(system.name)])
    return SystemVocabulary(
        reasons={c: pick_words(rng, words, 1, 2) for c, words in vocab.REASON_WORDS.items()},
        actions={c: pick_words(rng, words, 1, 1) for c, words in vocab.ACTION_WORDS.items()},
        types={c: pick_words(rng, words, 1, 1) for c, words in vocab.TYPE_WORDS.items()},
        reason_prefix=choose(rng, vocab.REASON_PREFIXES),
        action_prefix=choose(rng, vocab.ACTION_PREFIXES),
        type_prefix=choose(rng, ("", "", "B ", "B/U ", "BoU ")),
    )


def local_words(
    rng: np.random.Generator, base: list[str], pool: tuple[str, ...], change: float
) -> list[str]:
    """A unit's own wordings: the system's, sometimes replaced or joined by another."""
    words = list(base)
    if rng.random() < change:
        words[0] = choose(rng, pool)
    if rng.random() < change / 2:
        words.append(choose(rng, pool))
    return list(dict.fromkeys(words))


def unit_style(
    system: System, reason_mode: str, seed: int, unit_index: int, name_parts: dict[str, str]
) -> UnitStyle:
    rng = np.random.default_rng([seed, 11, unit_index])
    shipped = system_vocabulary(system, seed)
    case = system.case if rng.random() < 0.8 else choose(rng, ("as_is", "lower", "upper"))
    prefix = shipped.reason_prefix if rng.random() < 0.75 else choose(rng, vocab.REASON_PREFIXES)
    action_prefix = shipped.action_prefix if rng.random() < 0.8 else ""
    type_prefix = shipped.type_prefix if rng.random() < 0.85 else choose(rng, ("", "B/U "))
    reasons = {
        code: tuple(prefix + w for w in local_words(rng, words, vocab.REASON_WORDS[code], 0.35))
        for code, words in shipped.reasons.items()
    }
    actions = {
        code: tuple(
            action_prefix + w for w in local_words(rng, words, vocab.ACTION_WORDS[code], 0.25)
        )
        for code, words in shipped.actions.items()
    }
    types = {
        code: tuple(type_prefix + w for w in local_words(rng, words, vocab.TYPE_WORDS[code], 0.08))
        for code, words in shipped.types.items()
    }
    age_split = (
        vocab.AGE_SPLITS[int(rng.integers(len(vocab.AGE_SPLITS)))] if rng.random() < 0.1 else ()
    )
    headers = {column: choose(rng, names) for column, names in vocab.HEADERS.items()}
    if system.sex_style in {"FP", "fp", "mixed_letters"} and rng.random() < 0.15:
        headers["kon"] = choose(rng, ("Kategori", "Klienttyp", "Grupp"))  # content tells, not name
    stem = choose(rng, system.file_names).format(index=unit_index + 1, **name_parts)
    return UnitStyle(
        system=system,
        reason_mode=reason_mode,
        headers=headers,
        sex_words=vocab.SEX_WORDS[system.sex_style] if system.sex_style else {},
        type_words=types,
        type_age_split=age_split,
        reason_words=reasons,
        action_words=actions,
        file_stem=stem,
        case=case,
    )


TYPO_KINDS = ("drop", "swap", "double", "fold", "space")


def typo(rng: np.random.Generator, text: str) -> str:
    """One realistic slip of the keyboard that leaves the word recognisable."""
    letters = [i for i, char in enumerate(text) if char.isalpha()]
    if len(letters) < 5:
        return text
    kind = choose(rng, TYPO_KINDS)
    i = letters[int(rng.integers(1, len(letters) - 1))]
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "fold":
        folded = unicodedata.normalize("NFKD", text)
        return "".join(c for c in folded if not unicodedata.combining(c))
    return text.replace(" ", "  ", 1) if " " in text else text + " "
