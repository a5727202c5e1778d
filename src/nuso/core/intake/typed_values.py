"""Values of a study's own variables, as a survey's fixed answers give them: its own
categories (by code or label; several in one cell for a multi-valued variable), booleans,
integers, dates and text. A value outside its definition is kept raw and flagged, not queued
for review."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from nuso.core.harmonise.dictionary import StudyVariable
from nuso.core.harmonise.normalise import normalise
from nuso.core.intake.dates import parse_date_cell
from nuso.core.intake.outcomes import Outcome

INTEGER = re.compile(r"^\s*(\d{1,3})(?:[.,]0+)?\s*(?:år|ar)?\s*$", re.IGNORECASE)


def typed_outcome(variable: StudyVariable, raws: tuple[str, ...]) -> Outcome:
    try:
        value = typed_value(variable, list(raws))
    except ValueError:
        return Outcome(variable.name, flags=(f"okänt värde i {variable.name}: {'|'.join(raws)!r}",))
    decision = {"method": "exact", "confidence": 1.0, "raw": "|".join(raws)}
    flags: tuple[str, ...] = ()
    if variable.type == "integer" and isinstance(value, int):
        low, high = variable.min, variable.max
        if (low is not None and value < low) or (high is not None and value > high):
            flags = (f"{variable.name} {value} utanför {low}–{high}",)
    return Outcome(variable.name, value, decision, flags=flags)


TRUE_WORDS = frozenset({"1", "ja", "j", "yes", "true", "sant", "x"})
FALSE_WORDS = frozenset({"0", "nej", "n", "no", "false", "falskt"})
MULTI_SEPARATORS = re.compile(r"\s*[|;]\s*")


def typed_value(variable: StudyVariable, raws: list[str]) -> Any:
    """The value of a non-codebook variable; ValueError when the raw text does not fit."""
    raw = raws[0].strip()
    if variable.type == "boolean":
        word = normalise(raw)
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(raw)
    if variable.type == "integer":
        match = INTEGER.match(raw)
        if not match:
            raise ValueError(raw)
        return int(match[1])
    if variable.type == "date":
        date = parse_date_cell(raw)
        if date is None:
            raise ValueError(raw)
        return date.isoformat()
    if variable.type == "category":
        return own_category(variable, raw)
    if variable.type == "categories":
        parts = [p for cell in raws for p in MULTI_SEPARATORS.split(cell) if p.strip()]
        return [own_category(variable, part) for part in parts]
    return raw


def own_category(variable: StudyVariable, raw: str) -> str:
    code = category_index(tuple(variable.categories.items())).get(normalise(raw))
    if code is None:
        raise ValueError(raw)
    return code


@lru_cache(maxsize=256)
def category_index(categories: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """A study variable's codes by the normalised code and label; the first one listed wins,
    as a scan in order would."""
    index: dict[str, str] = {}
    for code, label in categories:
        index.setdefault(normalise(code), code)
        index.setdefault(normalise(label), code)
    return index


def own_categories_recogniser(variable: StudyVariable) -> Callable[[str], bool]:
    """A test of whether a cell holds a study variable's own categories (by code or label;
    every part of a multi-valued cell): what maps a column by its content."""
    index = category_index(tuple(variable.categories.items()))
    multi = variable.type == "categories"

    def recognises(cell: str) -> bool:
        parts = [p for p in MULTI_SEPARATORS.split(cell) if p.strip()] if multi else [cell]
        return bool(parts) and all(normalise(part) in index for part in parts)

    return recognises
