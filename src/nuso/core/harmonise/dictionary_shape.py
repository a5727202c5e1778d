"""The shape a study dictionary must have before its content can be checked: the keys it
needs, lists where lists belong, a slug that can be a web address. A dictionary is written by
hand (`nuso study add FIL.yaml`), so each problem names the key where it is, the way YAML
paths are written: `variables[2].type`, or `variables.alder.type` once the variable has a
name."""

from __future__ import annotations

import re
from typing import Any

from nuso.core.errors import Problem

SLUG = re.compile(r"^[a-z0-9_-]{1,60}$")
LISTS = {  # list key -> the key each entry needs
    "variables": "name",
    "derived": "name",
    "source_columns": "role",
    "tables": "name",
}


def shape_problems(data: Any, source: str) -> list[Problem]:
    """Every problem of shape; none means the content can be read."""
    if not isinstance(data, dict):
        message = "Datadefinitionen ska vara nycklar med värden (slug, name, variables …)."
        return [Problem("bad-dictionary", message, source)]
    found = [*_slug_problems(data, source), *_number_problems(data, source)]
    if not data.get("variables"):
        found.append(_problem("missing-key", "Nyckeln saknas: delstudiens variabler.", source,
                              "variables"))  # fmt: skip
    for key, needed in LISTS.items():
        found += _list_problems(data.get(key), key, needed, source)
    return found


def _problem(code: str, message: str, source: str, key: str, value: Any = None) -> Problem:
    return Problem(code, message, source, column=key, value=None if value is None else str(value))


def _slug_problems(data: dict[str, Any], source: str) -> list[Problem]:
    slug = data.get("slug")
    if slug is None or slug == "":
        return [_problem("missing-key", "Nyckeln saknas: delstudiens kortnamn.", source, "slug")]
    if not isinstance(slug, str) or not SLUG.match(slug):
        message = "Kortnamnet får bara ha a–z, 0–9, - och _ (högst 60 tecken)."
        return [_problem("bad-slug", message, source, "slug", slug)]
    return []


def _number_problems(data: dict[str, Any], source: str) -> list[Problem]:
    number = data.get("number", 0)
    if not _is(number, int) or not 0 <= number < 32768:
        message = "Delstudiens nummer ska vara ett heltal från 0."
        return [_problem("bad-number", message, source, "number", number)]
    return []


def _list_problems(entries: Any, key: str, needed: str, source: str) -> list[Problem]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        return [_problem("bad-list", "Ska vara en lista (rader som börjar med -).", source, key)]
    found = []
    for position, entry in enumerate(entries):
        place = f"{key}[{position}]"
        if not isinstance(entry, dict):
            found.append(_problem("bad-entry", "Ska vara nycklar med värden.", source, place))
        elif not entry.get(needed):
            found.append(
                _problem("missing-key", f"Nyckeln saknas: {needed}.", source, f"{place}.{needed}")
            )
        else:
            found += _field_problems(entry, f"{key}.{entry[needed]}", source)
    return found


FIELD_SHAPES = {  # key -> (the types it may have, what to write)
    "categories": (dict, "koder med etiketter (kod: Etikett)"),
    "aliases": (list, "en lista av rubriker"),
    "min": (int, "ett heltal"),
    "max": (int, "ett heltal"),
    "required": (bool, "true eller false"),
    "dimensions": (list, "en lista av variabler"),
    "factors": (list, "en lista av faktorer"),
    "steps": (list, "en lista av steg"),
}


def _field_problems(entry: dict[str, Any], place: str, source: str) -> list[Problem]:
    found = []
    for key, (kind, wanted) in FIELD_SHAPES.items():
        value = entry.get(key)
        if value is not None and not _is(value, kind):
            found.append(_problem("bad-value", f"Ska vara {wanted}.", source, f"{place}.{key}"))
    return found


def _is(value: Any, kind: type) -> bool:
    """isinstance, except that true and false are no integers here (as they are in Python)."""
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))
