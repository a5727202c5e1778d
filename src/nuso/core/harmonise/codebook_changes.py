"""What a changed codebook changes, and where the codes it removes go.

A revised codebook.yaml is compared with the version in force, code by code: codes added,
removed, relabelled, their synonyms and keyword rules, other attributes and their order.
Only what a version stores is compared (codes with labels and attributes): a variable's own
label and whether it is multi-valued come from the study dictionaries.

The crosswalk says, for every code of the version in force, which codes of the new version
it became: a kept code itself, a removed code what the file's `crosswalk:` section names (one
code for a rename, several for a split; a merge is several removed codes naming the same new
one), and a removed code the section does not name nothing, which sends its values to review
(docs/harmonisation.md):

    crosswalk:
      orsak:
        ovrigt: annat                         # renamed
        brister_i_omsorg: [omsorg, tillsyn]   # split
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.codebook import Code, Codebook

Crosswalk = dict[str, dict[str, list[str]]]  # variable -> code in force -> codes it became
LISTED_ATTRIBUTES = ("synonyms", "rules")  # compared item by item, the others whole

CHANGE_KINDS = {  # kind -> how a change of it is told (Swedish)
    "added": "ny kod",
    "removed": "borttagen kod",
    "label": "ny etikett",
    "synonyms": "synonymer ändrade",
    "rules": "regler ändrade",
    "attributes": "egenskaper ändrade",
    "order": "ny ordning",
}


@dataclass(frozen=True)
class CodeChange:
    variable: str
    code: str  # empty for a change of the variable's order
    kind: str  # a key of CHANGE_KINDS
    before: Any = None
    after: Any = None

    def describe(self) -> str:
        head = f"{self.variable}: {CHANGE_KINDS[self.kind]}"
        if self.kind == "order":
            return f"{head} ({', '.join(self.after)})"
        head = f"{head} {self.code}"
        if self.kind == "added":
            return f"{head} ({self.after!r})"
        if self.kind == "removed":
            return f"{head} ({self.before!r})"
        if self.kind in LISTED_ATTRIBUTES:
            return f"{head}: {_listed(self.before, self.after)}"
        return f"{head}: {self.before!r} → {self.after!r}"

    def as_data(self) -> dict[str, Any]:
        return {"variabel": self.variable, "kod": self.code, "ändring": self.kind,
                "före": self.before, "efter": self.after}  # fmt: skip


def _listed(before: tuple[str, ...], after: tuple[str, ...]) -> str:
    """'+ new, − gone' for two lists of synonyms or rules."""
    added = [f"+ {item!r}" for item in after if item not in before]
    removed = [f"− {item!r}" for item in before if item not in after]
    return ", ".join(added + removed) or "samma, i ny ordning"


@dataclass(frozen=True)
class CodebookDiff:
    """What a new codebook changes in the one in force; empty when nothing."""

    added_variables: tuple[str, ...] = ()
    removed_variables: tuple[str, ...] = ()
    changes: tuple[CodeChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added_variables or self.removed_variables or self.changes)

    def removed_codes(self) -> list[CodeChange]:
        return [change for change in self.changes if change.kind == "removed"]

    def lines(self) -> list[str]:
        """The difference for people, one change a line."""
        return [
            *(f"ny variabel {name}" for name in self.added_variables),
            *(f"borttagen variabel {name}" for name in self.removed_variables),
            *(change.describe() for change in self.changes),
        ]

    def as_data(self) -> dict[str, Any]:
        return {"nya_variabler": list(self.added_variables),
                "borttagna_variabler": list(self.removed_variables),
                "ändringar": [change.as_data() for change in self.changes]}  # fmt: skip


def compare(old: Codebook, new: Codebook) -> CodebookDiff:
    changes: list[CodeChange] = []
    for name in sorted(old.variables.keys() & new.variables.keys()):
        changes += _variable_changes(name, old.variables[name].codes, new.variables[name].codes)
    return CodebookDiff(
        added_variables=tuple(sorted(new.variables.keys() - old.variables.keys())),
        removed_variables=tuple(sorted(old.variables.keys() - new.variables.keys())),
        changes=tuple(changes),
    )


def _variable_changes(name: str, old: tuple[Code, ...], new: tuple[Code, ...]) -> list[CodeChange]:
    before, after = {c.code: c for c in old}, {c.code: c for c in new}
    changes = [
        CodeChange(name, c.code, "added", after=c.label) for c in new if c.code not in before
    ]
    changes += [
        CodeChange(name, c.code, "removed", before=c.label) for c in old if c.code not in after
    ]
    for code in (c.code for c in new if c.code in before):
        changes += _code_changes(name, before[code], after[code])
    kept_old = [c.code for c in old if c.code in after]
    kept_new = [c.code for c in new if c.code in before]
    if kept_old != kept_new:
        changes.append(CodeChange(name, "", "order", tuple(kept_old), tuple(kept_new)))
    return changes


def _code_changes(variable: str, old: Code, new: Code) -> list[CodeChange]:
    changes = []
    if old.label != new.label:
        changes.append(CodeChange(variable, new.code, "label", old.label, new.label))
    for key in LISTED_ATTRIBUTES:
        was, now = _texts(old.attributes.get(key)), _texts(new.attributes.get(key))
        if was != now:
            changes.append(CodeChange(variable, new.code, key, was, now))
    rest_old, rest_new = _other_attributes(old), _other_attributes(new)
    if rest_old != rest_new:
        changes.append(CodeChange(variable, new.code, "attributes", rest_old, rest_new))
    return changes


def _texts(items: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in items or ())


def _other_attributes(code: Code) -> dict[str, Any]:
    return {k: v for k, v in code.attributes.items() if k not in LISTED_ATTRIBUTES}


# --- the crosswalk ---


def crosswalk(old: Codebook, new: Codebook, declared: Any, source: str) -> Crosswalk:
    """Every code in force of the variables kept, and the codes it became: itself when kept,
    else what the file's `crosswalk` section (`declared`) names, else none. InputError names
    each key of the section that is wrong."""
    named = _declared(old, new, declared, source)
    return {
        name: {
            code.code: [code.code] if code.code in new.variables[name].code_set
            else named.get(name, {}).get(code.code, [])
            for code in old.variables[name].codes
        }
        for name in old.variables
        if name in new.variables
    }  # fmt: skip


def _declared(old: Codebook, new: Codebook, declared: Any, source: str) -> Crosswalk:
    problems: list[Problem] = []

    def problem(key: str, message: str, value: Any = None) -> None:
        shown = None if value is None else str(value)
        problems.append(Problem("bad-crosswalk", message, source, column=key, value=shown))

    if declared is None:
        return {}
    if not isinstance(declared, dict):
        problem("crosswalk", "Ska vara variabler med borttagna koder och vad de blev.")
        raise InputError(problems)
    found: Crosswalk = {}
    for variable, codes in declared.items():
        key = f"crosswalk.{variable}"
        if variable not in old.variables or variable not in new.variables:
            problem(key, "Variabeln finns inte i både kodboken i bruk och den nya.")
        elif not isinstance(codes, dict):
            problem(key, "Ska vara borttagna koder och vad var och en blev.")
        else:
            found[variable] = _targets(old, new, variable, codes, problem)
    if problems:
        raise InputError(problems)
    return found


def _targets(
    old: Codebook,
    new: Codebook,
    variable: str,
    codes: dict[Any, Any],
    problem: Callable[..., None],
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for code, targets in codes.items():
        key = f"crosswalk.{variable}.{code}"
        listed = targets if isinstance(targets, list) else [] if targets is None else [targets]
        wanted = [str(target) for target in listed]
        if str(code) not in old.variables[variable].code_set:
            problem(key, "Koden finns inte i kodboken i bruk.", code)
        elif str(code) in new.variables[variable].code_set:
            problem(key, "Koden finns kvar i den nya kodboken; bara borttagna koder omkodas.")
        for target in wanted:
            if target not in new.variables[variable].code_set:
                problem(key, "Koden den blev finns inte i den nya kodboken.", target)
        found[str(code)] = wanted
    return found


def renamed(walk: Crosswalk) -> dict[str, dict[str, str]]:
    """The removed codes that became exactly one other code: a decision made in review for
    such a code holds for that code (a split asks the reviewer again)."""
    return {
        variable: {old: new[0] for old, new in codes.items() if len(new) == 1 and new[0] != old}
        for variable, codes in walk.items()
    }
