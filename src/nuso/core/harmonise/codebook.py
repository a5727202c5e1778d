"""The national codebook: versioned categories that harmonised values are coded into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Any

import yaml

from nuso.core.errors import InputError, Problem


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def spellings(self) -> list[str]:
        """Everything known to be written for this code: its code, label, synonyms and the
        terms of every source."""
        terms = self.attributes.get("terms") or {}
        return [
            self.code,
            self.label,
            *self.attributes.get("synonyms", ()),
            *(term for source in terms.values() for term in source),
        ]

    @property
    def valid_from(self) -> dt.date:
        """The first day the code is in force (`valid_from`; without one, always was)."""
        given = self.attributes.get("valid_from")
        return dt.date.fromisoformat(given) if given else dt.date.min

    @property
    def valid_to(self) -> dt.date:
        """The last day the code is in force (`valid_to`; without one, still is)."""
        given = self.attributes.get("valid_to")
        return dt.date.fromisoformat(given) if given else dt.date.max

    def in_force(self, start: dt.date, end: dt.date) -> bool:
        """Whether the code is in force on some day from `start` to `end`."""
        return self.valid_from <= end and start <= self.valid_to


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    codes: tuple[Code, ...]
    multiple: bool = False

    def code(self, code: str) -> Code:
        return next(entry for entry in self.codes if entry.code == code)

    @property
    def code_set(self) -> frozenset[str]:
        return frozenset(entry.code for entry in self.codes)

    @cached_property
    def dated(self) -> bool:
        """Whether any code has a validity period: only then does a value's date matter."""
        return any(
            "valid_from" in entry.attributes or "valid_to" in entry.attributes
            for entry in self.codes
        )

    def in_force(self, start: dt.date, end: dt.date) -> frozenset[str]:
        """The codes in force on some day from `start` to `end` (a day: start == end)."""
        return frozenset(entry.code for entry in self.codes if entry.in_force(start, end))

    def lists(self) -> list[tuple[dt.date, dt.date]]:
        """The spans over which the list of codes in force stays the same, in order: what a
        dated value can be read against."""
        bounds = sorted(
            {entry.valid_from for entry in self.codes if entry.valid_from != dt.date.min}
            | {
                entry.valid_to + dt.timedelta(days=1)
                for entry in self.codes
                if entry.valid_to != dt.date.max
            }
        )
        starts = [dt.date.min, *bounds]
        ends = [*(bound - dt.timedelta(days=1) for bound in bounds), dt.date.max]
        return list(zip(starts, ends, strict=True))


@dataclass(frozen=True)
class Codebook:
    version: int
    title: str
    variables: dict[str, Variable]


def yaml_document(text: str, source: str) -> Any:
    """A YAML file's content; InputError with the line where it cannot be read."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        message = f"Filen går inte att läsa som YAML: {problem}."
        raise InputError([Problem("bad-yaml", message, source, row=row)]) from None


def parse_codebook(text: str, source: str = "codebook.yaml") -> Codebook:
    """A codebook from its YAML text; InputError lists every structural problem."""
    data = yaml_document(text, source)
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        message = "Kodboken saknar versionsnummer."
        raise InputError([Problem("bad-codebook", message, file=source, column="version")])
    specs = data.get("variables") or {}
    if not isinstance(specs, dict):
        message = "Ska vara variabler med sina koder (namn: {codes: [...]})."
        raise InputError([Problem("bad-codebook", message, file=source, column="variables")])
    variables = {}
    for name, spec in specs.items():
        variable = _parse_variable(str(name), spec, source, problems)
        if variable is not None:
            variables[variable.name] = variable
            problems += _unknown_sources(variable, set(data.get("sources") or {}), source)
    if not variables:
        problems.append(Problem("bad-codebook", "Kodboken har inga variabler.", file=source))
    if problems:
        raise InputError(problems)
    return Codebook(version=data["version"], title=str(data.get("title", "")), variables=variables)


def _parse_variable(name: str, spec: Any, source: str, problems: list[Problem]) -> Variable | None:
    entries = spec.get("codes") if isinstance(spec, dict) else None
    key = f"variables.{name}.codes"
    if not entries or not isinstance(entries, list):
        message = "Variabeln saknar koder (en lista)."
        problems.append(Problem("bad-variable", message, source, column=key))
        return None
    codes: list[Code] = []
    for position, entry in enumerate(entries):
        fields = entry if isinstance(entry, dict) else {}
        code, label = str(fields.get("code", "")), str(fields.get("label", ""))
        if not code or not label or code in {c.code for c in codes}:
            message = "Varje kod behöver en unik kod och en etikett."
            place = f"{key}[{position}]"
            problems.append(Problem("bad-code", message, source, column=place, value=code))
            continue
        attributes = {k: v for k, v in fields.items() if k not in {"code", "label"}}
        place = f"{key}[{position}]"
        attributes.update(_validity(attributes, source, place, problems))
        codes.append(Code(code=code, label=label, attributes=attributes))
    problems += _unknown_successors(codes, source, key)
    label = str(spec.get("label", name))
    return Variable(name, label, tuple(codes), multiple=bool(spec.get("multiple", False)))


def _unknown_successors(codes: list[Code], source: str, key: str) -> list[Problem]:
    """`replaced_by` lists codes of the same variable (kept as text: YAML may give numbers)."""
    known = {entry.code for entry in codes}
    found = []
    for position, entry in enumerate(codes):
        successors = entry.attributes.get("replaced_by")
        if successors is None:
            continue
        place = f"{key}[{position}].replaced_by"
        if not isinstance(successors, list):
            message = "replaced_by ska vara en lista av koder."
            found.append(Problem("bad-code", message, source, column=place, value=str(successors)))
            continue
        entry.attributes["replaced_by"] = named = [str(code) for code in successors]
        found += [
            Problem("bad-code", "Koden finns inte i variabeln.", source, column=place, value=code)
            for code in named
            if code not in known
        ]
    return found


def _validity(
    attributes: dict[str, Any], source: str, place: str, problems: list[Problem]
) -> dict[str, str]:
    """A code's `valid_from` and `valid_to` as ISO dates (YAML may give them as dates, the
    database keeps text); a problem for a date that cannot be read or an end before the
    start."""
    found: dict[str, str] = {}
    for key in ("valid_from", "valid_to"):
        given = attributes.get(key)
        if given is None:
            continue
        try:
            day = given if isinstance(given, dt.date) else dt.date.fromisoformat(str(given))
        except ValueError:
            message = "Ska vara ett datum ÅÅÅÅ-MM-DD."
            problems.append(Problem("bad-date", message, source, column=f"{place}.{key}",
                                    value=str(given)))  # fmt: skip
            continue
        found[key] = day.isoformat()
    if found.get("valid_from", "") > found.get("valid_to", "9999"):
        message = "Koden upphör innan den börjar gälla (valid_to före valid_from)."
        problems.append(Problem("bad-date", message, source, column=f"{place}.valid_to",
                                value=found["valid_to"]))  # fmt: skip
    return found


def _unknown_sources(variable: Variable, sources: set[str], file: str) -> list[Problem]:
    """Every term must name a source listed under `sources`: where a wording comes from is
    what makes it a term and not a guess."""
    return [
        Problem(
            "unknown-source",
            f"Termerna för koden {code.code!r} anger en källa som inte finns under sources.",
            file,
            column=variable.name,
            value=str(name),
        )
        for code in variable.codes
        for name in (code.attributes.get("terms") or {})
        if name not in sources
    ]


def shipped_text() -> str:
    """The codebook this release ships (nuso/core/data/codebook.yaml)."""
    return resources.files("nuso.core").joinpath("data", "codebook.yaml").read_text("utf-8")


def shipped_codebook() -> Codebook:
    return parse_codebook(shipped_text())
