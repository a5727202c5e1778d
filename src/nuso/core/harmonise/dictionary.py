"""Study data dictionaries: the variables of a study, from which import mapping, forms,
validation and analysis follow. Studies are data; adding one needs no Python code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

import yaml

from nuso.core.countries import COUNTRIES, NORWAY, SWEDEN
from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.codebook import Codebook
from nuso.core.harmonise.computed_variables import (
    CaseSpec,
    ComputedVariable,
    StudyFacts,
    is_computed,
    parse_case,
    parse_computed,
    stored_case,
    stored_computed,
)
from nuso.core.harmonise.dictionary_shape import shape_problems
from nuso.core.harmonise.form_spec import (
    AnswerCheck,
    FormSpec,
    Question,
    checks_problems,
    question,
    shown_if_problems,
    study_form,
)
from nuso.core.harmonise.table_definitions import Factor, Outcome, TableDefinition, parse_tables

VARIABLE_TYPES = frozenset({"category", "categories", "integer", "date", "boolean", "text"})
CATEGORICAL_TYPES = frozenset({"category", "categories"})


@dataclass(frozen=True)
class StudyVariable:
    name: str
    label: str
    type: str
    codebook: str | None = None  # a codebook variable holding the categories ...
    categories: dict[str, str] = field(default_factory=dict)  # ... or the study's own
    required: bool = True
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    aliases: tuple[str, ...] = ()  # column headers that mean this variable
    form: Question = field(default_factory=Question)  # how a web form asks it
    # the date variable whose day selects the codes in force, for codes with validity
    # dates (default: the record's date; nuso.core.harmonise.in_force)
    dated_by: str | None = None


@dataclass(frozen=True)
class SourceColumn:
    """A column that is no variable itself but feeds one (an identity number gives sex and
    age) or names the unit."""

    role: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DerivedVariable:
    name: str
    label: str
    source: str
    codebook: str | None = None
    attribute: str | None = None  # derive from a codebook attribute of the source's code
    multiple: bool = False  # from a multi-valued variable: the attribute of each of its codes

    @property
    def type(self) -> str:
        return "categories" if self.multiple else "category"


@dataclass(frozen=True)
class StudyDictionary:
    slug: str
    number: int
    name: str
    description: str
    source: str
    variables: tuple[StudyVariable, ...]
    derived: tuple[DerivedVariable, ...] = ()
    source_columns: tuple[SourceColumn, ...] = ()
    tables: tuple[TableDefinition, ...] = ()
    form: FormSpec = field(default_factory=FormSpec)  # the web form's sections, occasions, checks
    # derived variables computed with the tables (nuso.core.harmonise.computed_variables)
    computed: tuple[ComputedVariable, ...] = ()
    case: CaseSpec | None = None  # what makes records one case, followed over time
    # the country whose units report to the study: a study's figures are one country's
    country: str = SWEDEN

    def variable(self, name: str) -> StudyVariable:
        return next(variable for variable in self.variables if variable.name == name)

    def as_data(self) -> dict[str, Any]:
        """A JSON-ready form, as stored with the study. A variable's own categories are
        stored as [code, label] pairs: their order is the order they are asked and shown in,
        and PostgreSQL's jsonb keeps no order of an object's keys."""
        data = asdict(self)
        for variable in data["variables"]:
            variable["categories"] = [list(pair) for pair in variable["categories"].items()]
        return data


def parse_dictionary(data: Any, codebook: Codebook, source: str) -> StudyDictionary:
    """A study dictionary checked against the codebook; InputError lists every problem, each
    naming its key (`variables.alder.type`)."""
    shape = shape_problems(data, source)
    if shape:
        raise InputError(shape)
    problems: list[Problem] = []
    form = study_form(data.get("form"), source, problems)
    variables = tuple(
        _variable(spec, codebook, form, source, problems) for spec in data["variables"]
    )
    problems += _form_problems(variables, form, codebook, source)
    problems += _dated_by_problems(variables, source)
    entries = data.get("derived", [])
    derived = tuple(
        _derived(spec, variables, codebook, source, problems)
        for spec in entries
        if not is_computed(spec)
    )
    facts = _facts(data, variables, codebook, source)
    facts.case = parse_case(data.get("case"), facts)
    computed = tuple(parse_computed(spec, facts) for spec in entries if is_computed(spec))
    problems += facts.problems
    names = [v.name for v in variables] + [d.name for d in derived] + [c.name for c in computed]
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(
            Problem("duplicate-variable", "Variabeln finns två gånger.", source, column=name)
        )
    written = data.get("country", SWEDEN)
    country = NORWAY if written is False else str(written).upper()  # YAML 1.1 reads NO as false
    if country not in COUNTRIES:
        message = f"Okänt land; ange en av {', '.join(COUNTRIES)}."
        problems.append(Problem("bad-country", message, source, column="country", value=country))
    codes = dict(facts.codes) | _derived_codes(derived, computed, facts.codes, codebook)
    tables = _tables(data.get("tables"), variables, (*derived, *computed), codes, source, problems)
    if problems:
        raise InputError(problems)
    return StudyDictionary(
        slug=str(data["slug"]),
        number=int(data.get("number", 0)),
        name=str(data.get("name", data["slug"])),
        description=str(data.get("description", "")),
        source=str(data.get("source", "export")),
        variables=variables,
        derived=derived,
        source_columns=tuple(
            SourceColumn(
                role=str(spec["role"]),
                label=str(spec.get("label", spec["role"])),
                aliases=tuple(str(a) for a in spec.get("aliases", ())),
            )
            for spec in data.get("source_columns", [])
        ),
        tables=tables,
        form=form,
        computed=computed,
        case=facts.case,
        country=country,
    )


def _facts(
    data: dict[str, Any], variables: tuple[StudyVariable, ...], codebook: Codebook, source: str
) -> StudyFacts:
    """What computed variables and the case are checked against: each variable's type, the
    codes of those with codes, the source columns' roles."""
    codes: dict[str, tuple[str, ...]] = {}
    for variable in variables:
        if variable.categories:
            codes[variable.name] = tuple(variable.categories)
        elif variable.codebook in codebook.variables:
            entries = codebook.variables[variable.codebook].codes
            codes[variable.name] = tuple(entry.code for entry in entries)
        elif variable.type == "boolean":
            codes[variable.name] = ("ja", "nej")
    roles = frozenset(str(c.get("role")) for c in data.get("source_columns", []))
    return StudyFacts(source, {v.name: v.type for v in variables}, codes, roles)


def _derived_codes(
    derived: tuple[DerivedVariable, ...], computed: tuple[ComputedVariable, ...],
    codes: Mapping[str, tuple[str, ...]], codebook: Codebook,
) -> dict[str, tuple[str, ...]]:  # fmt: skip
    found = {
        item.name: tuple(code.code for code in codebook.variables[item.codebook].codes)
        for item in derived
        if item.codebook in codebook.variables
    }
    for item in computed:
        source = codes.get(item.sources[0], ()) if item.sources else ()
        found[item.name] = tuple(item.labels(dict.fromkeys(source, "")))
    return found


def _form_problems(
    variables: tuple[StudyVariable, ...], form: FormSpec, codebook: Codebook, source: str
) -> list[Problem]:
    """The form's references: conditions on other variables' answers, checks' variables."""
    by_name = {variable.name: variable for variable in variables}
    codes = {
        name: tuple(c.code for c in variable.codes) for name, variable in codebook.variables.items()
    }
    found = checks_problems(form, by_name, source)
    for variable in variables:
        found += shown_if_problems(variable.name, variable.form, by_name, source, codes)
    return found


def _dated_by_problems(variables: tuple[StudyVariable, ...], source: str) -> list[Problem]:
    dates = {variable.name for variable in variables if variable.type == "date"}
    return [
        Problem("bad-dated-by", "Ska vara en datumvariabel i delstudien.", source,
                column=f"variables.{variable.name}.dated_by", value=variable.dated_by)
        for variable in variables
        if variable.dated_by is not None and variable.dated_by not in dates
    ]  # fmt: skip


def _tables(
    specs: Any,
    variables: tuple[StudyVariable, ...],
    derived: tuple[DerivedVariable | ComputedVariable, ...],
    codes: dict[str, tuple[str, ...]],
    source: str,
    problems: list[Problem],
) -> tuple[TableDefinition, ...]:
    types = {v.name: v.type for v in variables} | {
        d.name: d.type if isinstance(d, DerivedVariable) else "category" for d in derived
    }
    try:
        return parse_tables(specs, types, source, codes)
    except InputError as error:
        problems.extend(error.problems)
        return ()


def _variable(
    spec: dict[str, Any], codebook: Codebook, form: FormSpec, source: str,
    problems: list[Problem],
) -> StudyVariable:  # fmt: skip
    name = str(spec.get("name", ""))
    variable = StudyVariable(
        name=str(spec.get("name", "")),
        label=str(spec.get("label", spec.get("name", ""))),
        type=str(spec.get("type", "")),
        codebook=spec.get("codebook"),
        categories={str(k): str(v) for k, v in (spec.get("categories") or {}).items()},
        required=bool(spec.get("required", True)),
        min=spec.get("min"),
        max=spec.get("max"),
        unit=spec.get("unit"),
        aliases=tuple(str(alias) for alias in spec.get("aliases", ())),
        form=question(spec.get("form"), name, form, source, problems),
        dated_by=None if spec.get("dated_by") is None else str(spec["dated_by"]),
    )
    key = f"variables.{variable.name}"
    if variable.type not in VARIABLE_TYPES:
        message = f"Okänd variabeltyp; ange en av {', '.join(sorted(VARIABLE_TYPES))}."
        problems.append(
            Problem("bad-type", message, source, column=f"{key}.type", value=variable.type)
        )
    if variable.type in CATEGORICAL_TYPES and bool(variable.codebook) == bool(variable.categories):
        message = "En kategorivariabel behöver antingen codebook eller categories."
        problems.append(Problem("bad-categories", message, source, column=key))
    if variable.codebook and variable.codebook not in codebook.variables:
        message = "Variabeln pekar på en kodboksvariabel som inte finns."
        problem = Problem(
            "unknown-codebook", message, source, column=f"{key}.codebook", value=variable.codebook
        )
        problems.append(problem)
    return variable


def _derived(
    spec: dict[str, Any],
    variables: tuple[StudyVariable, ...],
    codebook: Codebook,
    source: str,
    problems: list[Problem],
) -> DerivedVariable:
    source_type = next((v.type for v in variables if v.name == spec.get("from")), "")
    derived = DerivedVariable(
        name=str(spec.get("name", "")),
        label=str(spec.get("label", spec.get("name", ""))),
        source=str(spec.get("from", "")),
        codebook=spec.get("codebook"),
        attribute=spec.get("attribute"),
        multiple=source_type == "categories" and spec.get("attribute") is not None,
    )
    key = f"derived.{derived.name}"
    if derived.source not in {variable.name for variable in variables}:
        message = "Den härledda variabeln utgår från en variabel som inte finns."
        problems.append(
            Problem("unknown-source", message, source, column=f"{key}.from", value=derived.source)
        )
    if derived.codebook and derived.codebook not in codebook.variables:
        message = "Den härledda variabeln pekar på en kodboksvariabel som inte finns."
        problems.append(
            Problem(
                "unknown-codebook",
                message,
                source,
                column=f"{key}.codebook",
                value=derived.codebook,
            )
        )
    return derived


def dictionary_from_stored(data: dict[str, Any]) -> StudyDictionary:
    """The dictionary back from its stored form (`StudyDictionary.as_data`)."""
    return StudyDictionary(
        slug=data["slug"],
        number=data["number"],
        name=data["name"],
        description=data["description"],
        source=data["source"],
        variables=tuple(
            StudyVariable(
                **{
                    **v,
                    "categories": dict(v.get("categories") or {}),  # pairs, or (before) a dict
                    "aliases": tuple(v.get("aliases", ())),
                    "form": _stored_question(v.get("form")),
                }
            )
            for v in data["variables"]
        ),
        derived=tuple(DerivedVariable(**d) for d in data.get("derived", ())),
        source_columns=tuple(
            SourceColumn(**{**c, "aliases": tuple(c.get("aliases", ()))})
            for c in data.get("source_columns", ())
        ),
        tables=tuple(_stored_table(t) for t in data.get("tables", ())),
        form=_stored_form(data.get("form")),
        country=data.get("country", SWEDEN),  # stored before countries: Swedish
        computed=tuple(stored_computed(c) for c in data.get("computed", ())),
        case=stored_case(data.get("case")),
    )


def _stored_question(data: dict[str, Any] | None) -> Question:
    """A variable's form as stored; a dictionary stored before forms existed has none."""
    if not data:
        return Question()
    shown = tuple((str(v), tuple(a)) for v, a in data.get("shown_if", ()))
    return Question(**{**data, "shown_if": shown, "occasions": tuple(data.get("occasions", ()))})


def _stored_form(data: dict[str, Any] | None) -> FormSpec:
    if not data:
        return FormSpec()
    checks = tuple(AnswerCheck(c["kind"], tuple(c["variables"]), c["message"])
                   for c in data.get("checks", ()))  # fmt: skip
    return FormSpec(
        tuple(data.get("sections", ())), tuple(data.get("occasions", ())), checks,
        follow_up_days=int(data.get("follow_up_days", 0)),
    )  # fmt: skip


def _stored_table(data: dict[str, Any]) -> TableDefinition:
    return TableDefinition(
        **{
            **data,
            "dimensions": tuple(data.get("dimensions", ())),
            "where": tuple((str(v), str(code)) for v, code in data.get("where", ())),
            "outcomes": tuple(
                Outcome(**{**o, "values": tuple(o["values"])}) for o in data.get("outcomes", ())
            ),
            "factors": tuple(
                Factor(**{**f, "present_unless": tuple(f.get("present_unless", ()))})
                for f in data.get("factors", ())
            ),
        }
    )


def shipped_dictionaries(codebook: Codebook) -> list[StudyDictionary]:
    folder = resources.files("nuso.core").joinpath("data", "studies")
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".yaml")), key=lambda e: e.name
    )
    return [
        parse_dictionary(yaml.safe_load(entry.read_text("utf-8")), codebook, entry.name)
        for entry in files
    ]
