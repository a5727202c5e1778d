"""What a changed study dictionary changes, and which changes the study's stored records
cannot follow.

Records keep each variable's value typed as the dictionary said when they were stored, and
the values of a study's own categories as the codes it had then. So on a study with records
a variable's type cannot change, and none of its own category codes can go: those records
would hold what the dictionary no longer describes. Everything else can: a variable added
(earlier records have no value for it), removed (its stored values are no longer read),
given other aliases, labels, ranges, another codebook variable (its values are decided
again), derived variables and tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.dictionary import StudyDictionary, StudyVariable

FIELD_NAMES = {  # a variable's field -> how it is told (Swedish)
    "label": "etikett",
    "type": "typ",
    "codebook": "kodboksvariabel",
    "required": "obligatorisk",
    "min": "min",
    "max": "max",
    "unit": "enhet",
    "aliases": "rubriker",
}
STUDY_FIELDS = {"name": "namn", "number": "nummer", "description": "beskrivning",
                "source": "källa"}  # fmt: skip


@dataclass(frozen=True)
class DictionaryChange:
    key: str  # where, as the file's keys: variables.alder.max, tables.form
    text: str  # what, for people

    def describe(self) -> str:
        return f"{self.key}: {self.text}"


def compare_dictionaries(old: StudyDictionary, new: StudyDictionary) -> list[DictionaryChange]:
    """Every change, study fields first, then variables, derived variables, source columns
    and tables; empty when none."""
    changes = [
        DictionaryChange(key, f"{getattr(old, key)!r} → {getattr(new, key)!r}")
        for key in STUDY_FIELDS
        if getattr(old, key) != getattr(new, key)
    ]
    before, after = {v.name: v for v in old.variables}, {v.name: v for v in new.variables}
    changes += _named(before, after, "variables", lambda v: f"typ {v.type}")
    for name in (n for n in after if n in before):
        changes += _variable_changes(before[name], after[name])
    derived: tuple[Any, Any] = ((*old.derived, *old.computed), (*new.derived, *new.computed))
    for key, was, now in (("derived", *derived), ("tables", old.tables, new.tables)):
        named_before = {item.name: item for item in was}
        named_after = {item.name: item for item in now}
        changes += _named(named_before, named_after, key, lambda item: "")
        changes += [
            DictionaryChange(f"{key}.{name}", "ändrad")
            for name, item in named_after.items()
            if name in named_before and asdict(item) != asdict(named_before[name])
        ]
    if old.source_columns != new.source_columns:
        changes.append(DictionaryChange("source_columns", "ändrade"))
    if old.case != new.case:
        changes.append(DictionaryChange("case", f"{old.case!r} → {new.case!r}"))
    return changes


def _named(
    before: dict[str, Any], after: dict[str, Any], key: str, what: Callable[[Any], str]
) -> list[DictionaryChange]:
    added = [DictionaryChange(f"{key}.{n}", f"ny {what(a)}".strip()) for n, a in after.items()
             if n not in before]  # fmt: skip
    removed = [DictionaryChange(f"{key}.{n}", "borttagen") for n in before if n not in after]
    kept_before, kept_after = [n for n in before if n in after], [n for n in after if n in before]
    order = [DictionaryChange(key, f"ny ordning ({', '.join(kept_after)})")]
    return added + removed + (order if kept_before != kept_after else [])


def _variable_changes(old: StudyVariable, new: StudyVariable) -> list[DictionaryChange]:
    key = f"variables.{new.name}"
    changes = [
        DictionaryChange(f"{key}.{field}", f"{FIELD_NAMES[field]} "
                         + _change(getattr(old, field), getattr(new, field)))
        for field in FIELD_NAMES
        if getattr(old, field) != getattr(new, field)
    ]  # fmt: skip
    was, now = old.categories, new.categories
    for code in sorted(was.keys() | now.keys()):
        place = f"{key}.categories.{code}"
        if code not in was:
            changes.append(DictionaryChange(place, f"ny kategori ({now[code]!r})"))
        elif code not in now:
            changes.append(DictionaryChange(place, "borttagen kategori"))
        elif was[code] != now[code]:
            changes.append(DictionaryChange(place, f"etikett {was[code]!r} → {now[code]!r}"))
    return changes


def _change(before: Any, after: Any) -> str:
    """'before → after'; for lists what was added and removed."""
    if isinstance(before, tuple) and isinstance(after, tuple):
        added = [f"+ {item!r}" for item in after if item not in before]
        removed = [f"− {item!r}" for item in before if item not in after]
        return ", ".join(added + removed) or "samma, i ny ordning"
    return f"{before!r} → {after!r}"


def refuse_what_records_cannot_follow(
    old: StudyDictionary, new: StudyDictionary, source: str
) -> None:
    """InputError naming each type change and each own category removed."""
    problems = []
    after = {v.name: v for v in new.variables}
    for variable in old.variables:
        now = after.get(variable.name)
        if now is None:
            continue
        key = f"variables.{variable.name}"
        if now.type != variable.type:
            message = "Typen kan inte ändras när delstudien har poster; lägg till en ny variabel."
            problems.append(Problem("type-in-use", message, source, column=f"{key}.type",
                                    value=now.type))  # fmt: skip
        for code in sorted(variable.categories.keys() - now.categories.keys()):
            message = "Kategorin kan inte tas bort när delstudien har poster."
            problems.append(Problem("category-in-use", message, source,
                                    column=f"{key}.categories", value=code))  # fmt: skip
    if problems:
        raise InputError(problems)
