"""Derived variables computed when the tables are, not at import: groups of a variable's
categories, the time between two dates in bands, and (results over time) what the other
records of the same case say.

A study's `derived:` list holds two sorts. One with `from` is decided at import from one
variable of the record and stored with it (`aldersgrupp` from `alder`; `DerivedVariable` in
nuso.core.harmonise.dictionary). One with a key below is computed from the stored values each
time the tables are (nuso.core.analysis.indicators.computed), so that changing it needs no
re-harmonisation, and so that it can read the other records of the record's case:

- `groups_of: V`, `groups: {code: {label, codes: [V's codes]}}`: the group of V's code;
- `months_between: [A, B]` or `days_between: [A, B]`, `bands: [{code, label, from}, …]`: the
  band of the time from date A to date B of the record, in whole months (as an age counts
  years) or days; a band reaches from its `from` to the next band's;
- `value_of: V`, `at: O`: V as recorded at occasion O of the record's case, on every record
  of the case;
- `change_of: V`, `between: [O1, O2]`, `order: [V's codes, lowest first]`: on a record at
  O2, whether V is lower (`lagre`), unchanged (`oforandrad`) or higher (`hogre`) than at O1
  of its case.

A case is the records of one unit with the same child (the keyed pseudonym) and the same
values of the study's `case.key` variables; `case.occasion` names the variable that says which
occasion a record is of. Every problem names the study's file and the key
(`derived.riskforandring.order`, `case.occasion`), like the rest of the dictionary's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from nuso.core.errors import Problem

KINDS = ("groups_of", "months_between", "days_between", "value_of", "change_of")
ACROSS_CASE = frozenset({"value_of", "change_of"})
PARAMETERS = {  # kind -> the keys it takes beside name, label and itself
    "groups_of": {"groups"},
    "months_between": {"bands"},
    "days_between": {"bands"},
    "value_of": {"at"},
    "change_of": {"between", "order"},
}
CHANGES = {"lagre": "Lägre", "oforandrad": "Oförändrad", "hogre": "Högre"}
CASE_KEYS = frozenset({"occasion", "key"})
SINGLE_VALUED = frozenset({"category", "integer", "date", "boolean", "text"})
IDENTITY_ROLE = "personnummer"  # the source column whose pseudonym follows a child


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    start: int  # `from`: the band holds start up to the next band's start


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class CaseSpec:
    """What makes records one case: besides the unit and the child's pseudonym, the same
    values of `key`; `occasion` is the variable saying which occasion a record is of."""

    occasion: str
    key: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComputedVariable:
    name: str
    label: str
    kind: str  # one of KINDS
    sources: tuple[str, ...]  # the variable, or the two dates, it is computed from
    occasions: tuple[str, ...] = ()  # value_of: (at,); change_of: (earlier, later)
    order: tuple[str, ...] = ()  # change_of: the codes, lowest first
    bands: tuple[Band, ...] = ()
    groups: tuple[Group, ...] = ()

    @property
    def across_case(self) -> bool:
        return self.kind in ACROSS_CASE

    def labels(self, source_labels: Mapping[str, str]) -> dict[str, str]:
        """Its codes and their labels; `source_labels` are those of the variable it is
        computed from (value_of keeps them)."""
        if self.kind == "groups_of":
            return {group.code: group.label for group in self.groups}
        if self.kind == "change_of":
            return dict(CHANGES)
        if self.kind == "value_of":
            return dict(source_labels)
        return {band.code: band.label for band in self.bands}


def is_computed(spec: Mapping[str, Any]) -> bool:
    return any(kind in spec for kind in KINDS)


@dataclass
class StudyFacts:
    """What the checks look up: each variable's type and the codes of those with codes
    (booleans: ja/nej), the source columns' roles and the study's case."""

    source: str
    types: Mapping[str, str]
    codes: Mapping[str, tuple[str, ...]]
    roles: frozenset[str]
    case: CaseSpec | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, code: str, key: str, message: str, value: Any = None) -> None:
        shown = None if value is None else str(value)
        self.problems.append(Problem(code, message, self.source, column=key, value=shown))

    def coded(self, name: Any, key: str, types: frozenset[str] = frozenset({"category"})) -> bool:
        if self.types.get(str(name)) not in types or str(name) not in self.codes:
            kinds = " eller ".join(sorted(types))
            message = f"Ska vara en variabel i delstudien av typen {kinds}."
            self.problem("bad-derived", key, message, name)
            return False
        return True


def parse_case(spec: Any, facts: StudyFacts) -> CaseSpec | None:
    """The study's `case:`; None (with a problem) when it cannot be used."""
    if spec is None:
        return None
    if not isinstance(spec, Mapping):
        facts.problem("bad-case", "case", "case ska vara en tabell med occasion och key.")
        return None
    for unknown in sorted(set(spec) - CASE_KEYS):
        facts.problem("bad-case", f"case.{unknown}", "Okänd nyckel; ange occasion och key.")
    occasion, key = spec.get("occasion"), spec.get("key") or []
    found = len(facts.problems)
    if facts.types.get(str(occasion)) != "category" or str(occasion) not in facts.codes:
        message = "Tillfället ska vara en kategorivariabel i delstudien (ett tillfälle per post)."
        facts.problem("bad-case", "case.occasion", message, occasion)
    if not isinstance(key, list):
        facts.problem("bad-case", "case.key", "key ska vara en lista av variabler.")
        key = []
    for name in key:
        if facts.types.get(str(name)) not in SINGLE_VALUED:
            message = "Ska vara en envärd variabel i delstudien."
            facts.problem("bad-case", "case.key", message, name)
    if IDENTITY_ROLE not in facts.roles:
        message = ("Ett fall följer ett barn med dess pseudonym: delstudien behöver en "
                   f"källkolumn med rollen {IDENTITY_ROLE}.")  # fmt: skip
        facts.problem("bad-case", "case", message)
    if len(facts.problems) > found:
        return None
    return CaseSpec(str(occasion), tuple(str(name) for name in key))


def parse_computed(spec: Mapping[str, Any], facts: StudyFacts) -> ComputedVariable:
    """One computed entry of `derived:`; its problems are added to `facts`."""
    name = str(spec.get("name", ""))
    place = f"derived.{name}"
    kinds = [kind for kind in KINDS if kind in spec]
    kind = kinds[0]
    if len(kinds) > 1 or "from" in spec or "codebook" in spec:
        message = f"Ange ett sätt att härleda: from eller en av {', '.join(KINDS)}."
        facts.problem("bad-derived", place, message, ", ".join(kinds))
    allowed = {"name", "label", kind, *PARAMETERS[kind]}
    for unknown in sorted(set(spec) - allowed - {"from", "codebook", *KINDS}):
        message = f"Okänd nyckel; {kind} tar {', '.join(sorted(PARAMETERS[kind]))}."
        facts.problem("bad-derived", f"{place}.{unknown}", message)
    variable = ComputedVariable(name, str(spec.get("label", name)), kind, ())
    if kind == "groups_of":
        return _groups_of(spec, variable, facts)
    if kind in ("months_between", "days_between"):
        return _time_between(spec, variable, facts)
    if facts.case is None:
        message = "Att jämföra en posts fall kräver att delstudien anger case (occasion, key)."
        facts.problem("bad-derived", f"{place}.{kind}", message)
    if kind == "value_of":
        return _value_of(spec, variable, facts)
    return _change_of(spec, variable, facts)


def _groups_of(spec: Mapping[str, Any], variable: ComputedVariable, facts: StudyFacts
               ) -> ComputedVariable:  # fmt: skip
    place, source = f"derived.{variable.name}", spec["groups_of"]
    known = facts.coded(source, f"{place}.groups_of")
    groups, seen = [], set()
    raw = spec.get("groups")
    if not isinstance(raw, Mapping) or not raw:
        message = "groups ska vara grupper med etikett och koder: kod: {label: …, codes: […]}."
        facts.problem("bad-derived", f"{place}.groups", message)
        raw = {}
    for code, group in raw.items():
        key = f"{place}.groups.{code}"
        if not isinstance(group, Mapping) or not isinstance(group.get("codes"), list):
            facts.problem("bad-derived", key, "Gruppen behöver label och en lista codes.")
            continue
        codes = tuple(str(c) for c in group["codes"])
        for member in codes:
            if known and member not in facts.codes[str(source)]:
                facts.problem("bad-derived", key, "Koden finns inte i variabeln.", member)
            elif member in seen:
                facts.problem("bad-derived", key, "Koden finns i två grupper.", member)
            seen.add(member)
        groups.append(Group(str(code), str(group.get("label", code)), codes))
    return _with(variable, sources=(str(source),), groups=tuple(groups))


def _time_between(spec: Mapping[str, Any], variable: ComputedVariable, facts: StudyFacts
                  ) -> ComputedVariable:  # fmt: skip
    place = f"derived.{variable.name}"
    dates = spec[variable.kind]
    if (not isinstance(dates, list) or len(dates) != 2 or dates[0] == dates[1]
            or any(facts.types.get(str(d)) != "date" for d in dates)):  # fmt: skip
        message = "Ange två olika datumvariabler i delstudien: [från, till]."
        facts.problem("bad-derived", f"{place}.{variable.kind}", message, dates)
        dates = ["", ""]
    return _with(variable, sources=tuple(str(d) for d in dates), bands=_bands(spec, place, facts))


def _bands(spec: Mapping[str, Any], place: str, facts: StudyFacts) -> tuple[Band, ...]:
    raw = spec.get("bands")
    if not isinstance(raw, list) or not raw:
        message = "bands ska vara en lista av intervall: {code: …, label: …, from: …}."
        facts.problem("bad-derived", f"{place}.bands", message)
        return ()
    bands: list[Band] = []
    for position, band in enumerate(raw):
        key = f"{place}.bands[{position}]"
        start = band.get("from") if isinstance(band, Mapping) else None
        if not isinstance(band, Mapping) or not band.get("code"):
            facts.problem("bad-derived", key, "Intervallet behöver code, label och from.")
        elif not isinstance(start, int) or isinstance(start, bool) or start < 0:
            facts.problem("bad-derived", f"{key}.from", "from ska vara ett heltal från 0.", start)
        elif bands and start <= bands[-1].start:
            message = "Intervallen ska komma i stigande ordning efter from."
            facts.problem("bad-derived", f"{key}.from", message, start)
        elif any(str(band["code"]) == earlier.code for earlier in bands):
            facts.problem("bad-derived", f"{key}.code", "Koden finns två gånger.", band["code"])
        else:
            bands.append(Band(str(band["code"]), str(band.get("label", band["code"])), start))
    return tuple(bands)


def _value_of(spec: Mapping[str, Any], variable: ComputedVariable, facts: StudyFacts
              ) -> ComputedVariable:  # fmt: skip
    place, source = f"derived.{variable.name}", spec["value_of"]
    facts.coded(source, f"{place}.value_of", frozenset({"category", "boolean"}))
    at = str(spec.get("at", ""))
    _occasions([at], f"{place}.at", facts)
    return _with(variable, sources=(str(source),), occasions=(at,))


def _change_of(spec: Mapping[str, Any], variable: ComputedVariable, facts: StudyFacts
               ) -> ComputedVariable:  # fmt: skip
    place, source = f"derived.{variable.name}", spec["change_of"]
    known = facts.coded(source, f"{place}.change_of")
    between = spec.get("between")
    if not isinstance(between, list) or len(between) != 2 or between[0] == between[1]:
        message = "Ange två olika tillfällen: [tidigare, senare]."
        facts.problem("bad-derived", f"{place}.between", message, between)
        between = []
    _occasions([str(o) for o in between], f"{place}.between", facts)
    order = spec.get("order")
    if not isinstance(order, list) or len(order) < 2 or len(set(map(str, order))) < len(order):
        message = "order ska vara minst två olika koder, den lägsta först."
        facts.problem("bad-derived", f"{place}.order", message)
        order = []
    for code in order:
        if known and str(code) not in facts.codes[str(source)]:
            facts.problem("bad-derived", f"{place}.order", "Koden finns inte i variabeln.", code)
    return _with(variable, sources=(str(source),), occasions=tuple(str(o) for o in between),
                 order=tuple(str(code) for code in order))  # fmt: skip


def _occasions(occasions: list[str], key: str, facts: StudyFacts) -> None:
    if facts.case is None:
        return
    known = facts.codes.get(facts.case.occasion, ())
    for occasion in occasions:
        if occasion not in known:
            message = f"Okänt tillfälle; delstudiens tillfällen: {', '.join(known)}."
            facts.problem("bad-derived", key, message, occasion)


def _with(variable: ComputedVariable, **changes: Any) -> ComputedVariable:
    return replace(variable, **changes)


def stored_computed(data: Mapping[str, Any]) -> ComputedVariable:
    """A computed variable back from its stored form (dataclasses.asdict)."""
    return ComputedVariable(
        name=data["name"], label=data["label"], kind=data["kind"],
        sources=tuple(data["sources"]), occasions=tuple(data.get("occasions", ())),
        order=tuple(data.get("order", ())),
        bands=tuple(Band(**band) for band in data.get("bands", ())),
        groups=tuple(Group(**{**g, "codes": tuple(g["codes"])}) for g in data.get("groups", ())),
    )  # fmt: skip


def stored_case(data: Mapping[str, Any] | None) -> CaseSpec | None:
    return None if not data else CaseSpec(data["occasion"], tuple(data.get("key", ())))
