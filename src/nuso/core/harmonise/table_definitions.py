"""Table definitions, read from a study's data dictionary (`tables:`), so that a new study
or indicator needs no Python code.

Kinds:
- `distribution`: how the records spread over the categories of one or two variables
  (`antal` = records in the cell, `total` = all records of the unit and period).
- `share`: the share of records meeting an `outcome` (`antal`), of those whose outcome is
  known (`total`), overall or by one or two variables.
- `funnel`: several outcomes (`steps`) by the same variables; each step is a share of all
  records with the step known, and the step's name is the table's `steg` column.
- `logistic`: odds ratios of an outcome on several factors, nationally.

Any kind may count only some records: `where: {variable: value}` keeps the records whose
single-valued variable has that value (`where: {tillfalle: avslut}`: closings only). One value
per variable, so that a filtered count is the same count as the cell of a table broken down
by the variable, and disclosure control knows it as one (nuso.core.analysis.indicators.
disclosure).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nuso.core.errors import InputError, Problem

KINDS = frozenset({"distribution", "share", "funnel", "logistic"})
UNIT_ATTRIBUTES = ("storleksgrupp", "kommungrupp")  # dimensions taken from the unit


@dataclass(frozen=True)
class Outcome:
    """Records whose `variable` takes one of `values` (booleans as "ja"/"nej")."""

    name: str
    label: str
    variable: str
    values: tuple[str, ...]

    @property
    def key(self) -> str:
        """Identifies the counted set whatever table shows it (disclosure control)."""
        return f"{self.variable}∈{{{','.join(sorted(self.values))}}}"


@dataclass(frozen=True)
class Factor:
    """A regression factor: a category variable against its reference level, or (with
    `present_unless`) whether a multi-valued variable holds anything but those values."""

    variable: str
    reference: str | None = None
    present_unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableDefinition:
    name: str
    title: str
    kind: str
    dimensions: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    factors: tuple[Factor, ...] = ()
    compare: bool = True
    sentence: str = ""  # guidance template; see nuso.core.analysis.indicators.guidance
    key_figure: str = ""  # a label when the table's national figure is a key figure
    within: str | None = None  # shares within each value of this dimension (a filter)
    view_of: str | None = None  # this table is `view_of` filtered by `within`
    where: tuple[tuple[str, str], ...] = ()  # (variable, value): only the records with these

    @property
    def dimension_columns(self) -> tuple[str, ...]:
        return (*(("steg",) if self.kind == "funnel" else ()), *self.dimensions)


@dataclass
class _Checker:
    source: str
    variables: dict[str, str]  # name -> type
    codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # name -> its codes
    problems: list[Problem] = field(default_factory=list)

    def problem(self, table: str, message: str, value: Any = None, key: str = "") -> None:
        column = f"tables.{table}.{key}" if key else f"tables.{table}"
        self.problems.append(Problem("bad-table", message, self.source, column=column, value=value))


def parse_tables(
    specs: Any, variables: dict[str, str], source: str,
    codes: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[TableDefinition, ...]:  # fmt: skip
    """Table definitions checked against the study's variables (name -> type, derived
    variables included) and, where given, their codes; InputError lists every problem."""
    units = dict.fromkeys(UNIT_ATTRIBUTES, "category")
    checker = _Checker(source, {**variables, **units}, codes or {})
    tables = tuple(_table(spec, checker) for spec in specs or ())
    names = [table.name for table in tables]
    for table in tables:
        if table.view_of and (table.view_of not in names or not table.within):
            checker.problem(table.name, "view_of behöver en tabell i delstudien och within.",
                            table.view_of)  # fmt: skip
    for name in {name for name in names if names.count(name) > 1}:
        checker.problem(name, "Tabellnamnet finns två gånger.")
    if checker.problems:
        raise InputError(checker.problems)
    return tables


def _table(spec: dict[str, Any], checker: _Checker) -> TableDefinition:
    name = str(spec.get("name", ""))
    kind = str(spec.get("kind", ""))
    if kind not in KINDS:
        checker.problem(name, f"Okänd tabelltyp; ange en av {', '.join(sorted(KINDS))}.", kind)
    dimensions = tuple(str(d) for d in spec.get("dimensions", ()))
    for dimension in dimensions:
        if dimension not in checker.variables:
            checker.problem(name, "Dimensionen är ingen variabel i delstudien.", dimension)
    if kind == "distribution" and not 1 <= len(dimensions) <= 2:
        checker.problem(name, "En fördelning har en eller två dimensioner.")
    outcomes = _outcomes(spec, name, kind, checker)
    return TableDefinition(
        name=name,
        title=str(spec.get("title", name)),
        kind=kind,
        dimensions=dimensions,
        outcomes=outcomes,
        factors=tuple(_factor(f, name, checker) for f in spec.get("factors", ())),
        compare=bool(spec.get("compare", kind != "logistic")),
        sentence=str(spec.get("sentence", "")),
        key_figure=str(spec.get("key_figure", "")),
        within=_within(spec, name, dimensions, checker),
        view_of=None if spec.get("view_of") is None else str(spec["view_of"]),
        where=_where(spec, name, dimensions, checker),
    )


def _where(
    spec: dict[str, Any], table: str, dimensions: tuple[str, ...], checker: _Checker
) -> tuple[tuple[str, str], ...]:
    """`where: {variable: value}`: one value of a single-valued variable of the study that
    is none of the table's dimensions (a list of one value is read as the value)."""
    where = spec.get("where")
    if where is None:
        return ()
    if not isinstance(where, dict) or not where:
        checker.problem(
            table, "where ska vara variabler med ett värde: {variabel: värde}.", key="where"
        )
        return ()
    found = []
    for variable, wanted in where.items():
        value = wanted[0] if isinstance(wanted, list) and len(wanted) == 1 else wanted
        kind = checker.variables.get(str(variable))
        if kind is None or kind == "categories" or variable in UNIT_ATTRIBUTES:
            message = "where gäller en envärd variabel i delstudien."
            checker.problem(table, message, variable, "where")
        elif variable in dimensions:
            message = "where kan inte gälla en av tabellens dimensioner."
            checker.problem(table, message, variable, "where")
        elif isinstance(value, (list, dict)) or value is None:
            message = ("where tar ett värde per variabel (flera värden vore en summa som "
                       "röjandekontrollen inte känner).")  # fmt: skip
            checker.problem(table, message, f"{variable}: {wanted}", "where")
        elif str(variable) in checker.codes and _value_text(value) not in checker.codes[variable]:
            message = "where anger en kod som variabeln inte har."
            checker.problem(table, message, f"{variable}: {value}", "where")
        else:
            found.append((str(variable), _value_text(value)))
    return tuple(sorted(found))


def _within(
    spec: dict[str, Any], table: str, dimensions: tuple[str, ...], checker: _Checker
) -> str | None:
    within = spec.get("within")
    if within is None:
        return None
    if within not in dimensions or checker.variables.get(str(within)) == "categories":
        checker.problem(table, "within måste vara en av tabellens envärda dimensioner.", within)
    return str(within)


def _outcomes(
    spec: dict[str, Any], table: str, kind: str, checker: _Checker
) -> tuple[Outcome, ...]:
    if kind in ("share", "logistic"):
        raw = [spec.get("outcome")]
    elif kind == "funnel":
        raw = list(spec.get("steps") or [])
    else:
        return ()
    outcomes = []
    for item in raw:
        if not isinstance(item, dict) or item.get("variable") not in checker.variables:
            checker.problem(table, "Utfallet behöver en variabel i delstudien.", item)
            continue
        values = item.get("values", [True])
        outcomes.append(
            Outcome(
                name=str(item.get("name", item["variable"])),
                label=str(item.get("label", item.get("name", item["variable"]))),
                variable=str(item["variable"]),
                values=tuple(_value_text(v) for v in values),
            )
        )
    if not outcomes:
        checker.problem(table, "Tabellen behöver ett utfall (outcome eller steps).")
    return tuple(outcomes)


def _factor(spec: Any, table: str, checker: _Checker) -> Factor:
    if not isinstance(spec, dict) or spec.get("variable") not in checker.variables:
        checker.problem(table, "En faktor behöver en variabel i delstudien.", spec)
        return Factor("")
    return Factor(
        variable=str(spec["variable"]),
        reference=None if spec.get("reference") is None else str(spec["reference"]),
        present_unless=tuple(str(v) for v in spec.get("present_unless", ())),
    )


def _value_text(value: Any) -> str:
    """Outcome values as they appear in the analysis frame: booleans as ja/nej."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)
