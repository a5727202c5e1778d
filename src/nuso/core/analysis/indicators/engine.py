"""Every table of a study at every level, disclosure-controlled, with each unit compared with
its municipality group and size band (both without the unit itself) and with the nation.

Output is tidy long format, one frame per table: tabell, niva, enhet, period, the table's
dimensions, antal, total, andel, ki_lag, ki_hog, jamforelse, p_varde, signifikant,
undertryckt, vagledning. A comparison row shows the reference's figures (niva = the
reference level, enhet = its code) and names the compared unit in `jamforelse`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from nuso.core.analysis.indicators import guidance
from nuso.core.analysis.indicators.counting import COUNT, NATION, count_table
from nuso.core.analysis.indicators.disclosure import AtomSystem, Key, Suppression, suppress
from nuso.core.analysis.indicators.regression_table import logistic_table
from nuso.core.analysis.statistics import (
    benjamini_hochberg,
    chi_square_p,
    compare_shares,
    wilson_interval,
)
from nuso.core.harmonise.table_definitions import TableDefinition

COMPARISON_LEVELS = ("kommungrupp", "storleksgrupp", "riket")
WHOLE_DISTRIBUTION = "samtliga"  # dimension value of a row testing the whole distribution
RESULT_COLUMNS = ("antal", "total", "andel", "ki_lag", "ki_hog", "jamforelse", "p_varde",
                  "signifikant", "undertryckt", "vagledning", "oddskvot")  # fmt: skip


@dataclass(frozen=True)
class StudyInput:
    tables: tuple[TableDefinition, ...]
    frame: pl.DataFrame  # see nuso.core.analysis.indicators.frame
    categories: dict[str, tuple[str, ...]]  # dimension -> codes, in codebook order
    labels: dict[str, dict[str, str]]  # dimension -> code -> label
    names: dict[tuple[str, str], str]  # (level, code) -> name
    multi_valued: frozenset[str]
    titles: dict[str, str] = field(default_factory=dict)  # dimension -> heading

    @property
    def tables_by_name(self) -> dict[str, TableDefinition]:
        return {table.name: table for table in self.tables}


@dataclass
class Results:
    tables: dict[str, pl.DataFrame]
    definitions: dict[str, TableDefinition]
    suppression: Suppression | None
    source: StudyInput
    counties: dict[str, str] = field(default_factory=dict)  # unit -> county code
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """A value derived from these results, made once (results never change: new data
        gives new results)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def national(self) -> dict[str, pl.DataFrame]:
        """The national tables: every level above the unit, without unit comparisons."""
        plain = (pl.col("niva") != "kommun") & pl.col("jamforelse").is_null()
        return {name: rows.filter(plain) for name, rows in self.tables.items()}

    @property
    def periods(self) -> list[str]:
        """The periods with records, oldest first."""
        return self.memo(  # type: ignore[no-any-return]
            ("periods",), lambda: sorted(self.source.frame["period"].unique().to_list())
        )

    def for_unit(self, code: str) -> dict[str, pl.DataFrame]:
        """What a unit's users see: its own rows, its comparisons and its county."""
        return self.memo(("unit", code), lambda: self._for_unit(code))  # type: ignore[no-any-return]

    def _for_unit(self, code: str) -> dict[str, pl.DataFrame]:
        county = self.counties.get(code)
        mine = (
            ((pl.col("niva") == "kommun") & (pl.col("enhet") == code))
            | (pl.col("jamforelse") == code)
            | ((pl.col("niva") == "lan") & (pl.col("enhet") == county))
        )
        return {
            name: rows.filter(mine | (pl.col("tabell") == name) & (pl.col("niva") == NATION)
                              & pl.col("jamforelse").is_null())
            for name, rows in self.tables.items()
        }  # fmt: skip


def compute(study: StudyInput, threshold: int | None) -> Results:
    """All tables; `threshold` None means unsuppressed (analysts only)."""
    counted = {
        table.name: count_table(study.frame, table, study.categories, study.multi_valued)
        for table in study.tables
        if table.kind != "logistic"
    }
    national = {name: cells.filter(pl.col("niva") != "kommun") for name, cells in counted.items()}
    views = {
        name: _unit_views(study.frame, study.tables_by_name[name], cells)
        for name, cells in counted.items()
    }
    if threshold is not None:
        national, scopes = _suppress_national(study, national, threshold)
        views = {name: _forced(rows, national[name], study.tables_by_name[name])
                 for name, rows in views.items()}  # fmt: skip
        views, unit_scopes = _suppress_units(study, views, threshold)
        summary: Suppression | None = _combined(scopes, unit_scopes)
    else:
        national = {name: _flags(rows, None) for name, rows in national.items()}
        views = {name: _flags(rows, None) for name, rows in views.items()}
        summary = None
    tables: dict[str, pl.DataFrame] = {}
    for table in study.tables:
        if table.kind == "logistic":
            tables[table.name] = logistic_table(study.frame, table)
        else:
            tables[table.name] = _table_rows(study, table, national[table.name], views[table.name])
    counties = dict(study.frame.select("enhet", "lan").unique("enhet").iter_rows())
    return Results(tables, {t.name: t for t in study.tables}, summary, study, counties)


def _in_order(rows: pl.DataFrame) -> pl.DataFrame:
    """The cells in one order, whatever order counting and joining left them in. Secondary
    suppression breaks ties by the order in which the atoms are registered, and the same data
    must always be suppressed the same way: two publications of it hiding different cells
    could be combined to find what each hides."""
    return rows.sort([c for c in rows.columns if c not in ("antal", "total")], nulls_last=True)


def _unit_views(frame: pl.DataFrame, table: TableDefinition, cells: pl.DataFrame) -> pl.DataFrame:
    """What one unit is compared with, as cells of its own: the unit (niva kommun), its
    municipality group and its size band, both without the unit. `jamforelse` names the
    unit."""
    keys = ["period", *table.dimension_columns, "mangd"]
    attributes = frame.select(
        "enhet", *(pl.col(level).alias(f"_{level}") for level in ("kommungrupp", "storleksgrupp"))
    ).unique("enhet")
    unit = cells.filter(pl.col("niva") == "kommun").join(attributes, on="enhet", how="left")
    parts = [
        unit.select("niva", "enhet", *keys, "antal", "total", pl.col("enhet").alias("jamforelse"))
    ]
    for level in ("kommungrupp", "storleksgrupp"):
        group = cells.filter(pl.col("niva") == level).select(
            pl.col("enhet").alias(f"_{level}"), *keys,
            pl.col("antal").alias("g_antal"), pl.col("total").alias("g_total"),
        )  # fmt: skip
        parts.append(
            unit.join(group, on=[f"_{level}", *keys], how="inner").select(
                pl.lit(level).alias("niva"),
                pl.col(f"_{level}").alias("enhet"),
                *keys,
                (pl.col("g_antal") - pl.col("antal")).alias("antal"),
                (pl.col("g_total") - pl.col("total")).alias("total"),
                pl.col("enhet").alias("jamforelse"),
            )
        )
    return pl.concat(parts)


# --- disclosure scopes -------------------------------------------------------------------


def _suppress_national(
    study: StudyInput, national: dict[str, pl.DataFrame], threshold: int
) -> tuple[dict[str, pl.DataFrame], list[Suppression]]:
    """The national tables (every level above the unit) as one publication: the levels'
    cells add up to the nation along each grouping."""
    national = {name: _in_order(rows) for name, rows in national.items()}
    system, positions = _atoms(study, national)
    _partition_equations(system)
    result = suppress(system, threshold)
    hidden = np.array(result.hidden, dtype=bool)
    return {n: _flags(rows, (positions[n], hidden)) for n, rows in national.items()}, [result]


def _suppress_units(
    study: StudyInput, views: dict[str, pl.DataFrame], threshold: int
) -> tuple[dict[str, pl.DataFrame], list[Suppression]]:
    """Each unit's view as a publication of its own: what its users see of it and of the
    rest of its group and size band. (The county and the nation come from the national
    tables, suppressed there.)"""
    by_unit = {
        name: _in_order(rows).partition_by("jamforelse", as_dict=True, maintain_order=True)
        for name, rows in views.items()
    }
    units = sorted({key[0] for parts in by_unit.values() for key in parts})
    flagged: dict[str, list[pl.DataFrame]] = {name: [] for name in views}
    results = []
    for unit in units:
        mine = {name: parts[(unit,)] for name, parts in by_unit.items() if (unit,) in parts}
        system, positions = _atoms(study, mine)
        result = suppress(system, threshold, _forced_atoms(mine, positions))
        results.append(result)
        hidden = np.array(result.hidden, dtype=bool)
        for name, rows in mine.items():
            flagged[name].append(_flags(rows, (positions[name], hidden)))
    return {name: pl.concat(parts) if parts else _flags(views[name], None)
            for name, parts in flagged.items()}, results  # fmt: skip


def _forced(views: pl.DataFrame, national: pl.DataFrame, table: TableDefinition) -> pl.DataFrame:
    """Marks the cells of a group without the unit whose whole group is hidden in the
    national tables: the unit's users know their own counts, so publishing the rest of the
    group would give the whole group away (and with it what it protects)."""
    keys = ["niva", "enhet", "period", *table.dimension_columns, "mangd"]
    flags = national.select(
        *keys,
        pl.col("antal_dold").alias("tvingad_antal"),
        pl.col("total_dold").alias("tvingad_total"),
    )
    joined = views.join(flags, on=keys, how="left")
    own = pl.col("niva") == "kommun"
    return joined.with_columns(
        (pl.col("tvingad_antal").fill_null(False) & ~own).alias("tvingad_antal"),
        (pl.col("tvingad_total").fill_null(False) & ~own).alias("tvingad_total"),
    )


def _combined(*groups: list[Suppression]) -> Suppression:
    results = [result for group in groups for result in group]
    return Suppression(
        hidden=[],
        primary=sum(r.primary for r in results),
        secondary=sum(r.secondary for r in results),
        cells=sum(len(r.hidden) for r in results),
    )


def _forced_atoms(tables: dict[str, pl.DataFrame], positions: dict[str, np.ndarray]) -> list[int]:
    forced: list[int] = []
    for name, rows in tables.items():
        places = positions[name]
        antal = rows["tvingad_antal"].to_numpy()
        total = rows["tvingad_total"].to_numpy()
        forced += places[antal, 0].tolist() + [p for p in places[antal, 2].tolist() if p >= 0]
        forced += places[total, 1].tolist()
    return forced


def _flags(rows: pl.DataFrame, found: tuple[np.ndarray, np.ndarray] | None) -> pl.DataFrame:
    if found is None:
        return rows.with_columns(
            pl.lit(False).alias("antal_dold"), pl.lit(False).alias("total_dold")
        )
    positions, hidden = found
    complement = np.where(positions[:, 2] >= 0, hidden[positions[:, 2]], False)
    return rows.with_columns(
        pl.Series("antal_dold", hidden[positions[:, 0]] | complement),
        pl.Series("total_dold", hidden[positions[:, 1]]),
    )


def _atoms(
    study: StudyInput, tables: dict[str, pl.DataFrame]
) -> tuple[AtomSystem, dict[str, np.ndarray]]:
    """Registers every published count as an atom, and the sums within each level as
    equations. Returns, per table, the atom positions of each row's antal, total and
    complement."""
    system = AtomSystem()
    positions: dict[str, np.ndarray] = {}
    shares: set[tuple[int, int, int]] = set()
    for name, cells in tables.items():
        dimensions = study.tables_by_name[name].dimensions
        within = study.tables_by_name[name].within
        rows = cells.select("niva", "enhet", "period", *dimensions, "mangd",
                            "antal", "total").iter_rows()  # fmt: skip
        found = []
        for niva, enhet, period, *rest in rows:
            *values, mangd, antal, total = rest
            conditions = tuple(sorted(zip(dimensions, values, strict=True)))
            place = (period, niva, enhet)
            if mangd == COUNT:
                count = system.atom((COUNT, "", *place, conditions), antal)
                # the total of a distribution within a filter is the filter's own count
                kept = tuple(c for c in conditions if c[0] == within)
                margin = system.atom((COUNT, "", *place, kept), total)
                found.append((count, margin, -1))
            else:
                yes = system.atom(("ja", mangd, *place, conditions), antal)
                known = system.atom(("kand", mangd, *place, conditions), total)
                no = system.atom(("nej", mangd, *place, conditions), total - antal)
                shares.add((known, yes, no))
                found.append((yes, known, no))
        positions[name] = np.array(found, dtype=np.int64).reshape(-1, 3)
    for known, yes, no in sorted(shares):
        system.equations.append((known, [yes, no]))
    _dimension_equations(system, study.multi_valued)
    return system, positions


def _dimension_equations(system: AtomSystem, multi_valued: frozenset[str]) -> None:
    """The categories of a single-valued dimension add up to the margin without it."""
    groups: dict[Key, list[Key]] = defaultdict(list)
    for key in system.index:
        counted_set, outcome, period, niva, enhet, conditions = key
        for position, (dimension, _) in enumerate(conditions):
            if dimension in multi_valued:
                continue
            margin = conditions[:position] + conditions[position + 1 :]
            groups[(counted_set, outcome, period, niva, enhet, margin, dimension)].append(key)
    for (counted_set, outcome, period, niva, enhet, margin, _), parts in groups.items():
        system.equation((counted_set, outcome, period, niva, enhet, margin), parts)


def _partition_equations(system: AtomSystem) -> None:
    """Counties, municipality groups and size bands each add up to the nation (where they
    cover every unit: a unit without a group leaves that grouping's sum short)."""
    levels: dict[Key, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
    for key in system.index:
        counted_set, outcome, period, niva, _, conditions = key
        if niva != NATION:
            levels[(counted_set, outcome, period, conditions)][niva].append(key)
    for (counted_set, outcome, period, conditions), by_level in levels.items():
        nation = (counted_set, outcome, period, NATION, NATION, conditions)
        if nation not in system.index:
            continue
        total = system.values[system.index[nation]]
        for parts in by_level.values():
            if sum(system.values[system.index[p]] for p in parts) == total:
                system.equation(nation, parts)


# --- rows ----------------------------------------------------------------------------------


def _table_rows(
    study: StudyInput, table: TableDefinition, national: pl.DataFrame, views: pl.DataFrame
) -> pl.DataFrame:
    units = views.filter(pl.col("niva") == "kommun").drop("jamforelse")
    levels = _shares(pl.concat([units, national], how="diagonal_relaxed")).with_columns(
        pl.lit(None, pl.String).alias("jamforelse"),
        pl.lit(None, pl.Float64).alias("p_varde"),
        pl.lit(None, pl.Boolean).alias("signifikant"),
        pl.lit(None, pl.String).alias("vagledning"),
    )
    parts = [levels]
    if table.compare:
        references = {
            level: _reference(views, national, level, table) for level in COMPARISON_LEVELS
        }
        parts += [_comparisons(study, table, joined, level) for level, joined in references.items()]
        if table.kind == "distribution" and not set(table.dimensions) & study.multi_valued:
            parts += [_distribution_tests(study, table, joined, level)
                      for level, joined in references.items()]  # fmt: skip
    rows = pl.concat([_publishable(part) for part in parts if part.height], how="diagonal_relaxed")
    return rows.with_columns(pl.lit(table.name).alias("tabell"), pl.lit(None, pl.Float64)
                             .alias("oddskvot")).select(
        "tabell", "niva", "enhet", "period", *table.dimension_columns, *RESULT_COLUMNS
    )  # fmt: skip


def _shares(cells: pl.DataFrame) -> pl.DataFrame:
    antal, total = cells["antal"].to_numpy(), cells["total"].to_numpy()
    low, high = wilson_interval(antal, total)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, antal / np.maximum(total, 1), np.nan)
    return cells.with_columns(
        pl.Series("andel", share).fill_nan(None),
        pl.Series("ki_lag", low).fill_nan(None),
        pl.Series("ki_hog", high).fill_nan(None),
    )


def _publishable(rows: pl.DataFrame) -> pl.DataFrame:
    """Hidden counts and everything built on them become empty; `undertryckt` says so."""
    hidden_share = pl.col("antal_dold") | pl.col("total_dold")
    return rows.with_columns(
        pl.when(pl.col("antal_dold")).then(None).otherwise(pl.col("antal")).alias("antal"),
        pl.when(pl.col("total_dold")).then(None).otherwise(pl.col("total")).alias("total"),
        *(
            pl.when(hidden_share).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("andel", "ki_lag", "ki_hog")
        ),
        hidden_share.alias("undertryckt"),
    )


def _reference(
    views: pl.DataFrame, national: pl.DataFrame, level: str, table: TableDefinition
) -> pl.DataFrame:
    """Each unit's cells beside a reference: its group or size band without it (from the
    unit's view), or the nation (from the national tables: shown whole, and tested against
    the rest of the country)."""
    keys = ["period", *table.dimension_columns, "mangd"]
    unit = views.filter(pl.col("niva") == "kommun")
    renamed = (
        pl.col("enhet").alias("ref_enhet"),
        pl.col("antal").alias("ref_antal"), pl.col("total").alias("ref_total"),
        pl.col("antal_dold").alias("ref_antal_dold"), pl.col("total_dold").alias("ref_total_dold"),
    )  # fmt: skip
    if level == NATION:
        reference = national.filter(pl.col("niva") == NATION).select(*keys, *renamed)
        joined = unit.join(reference, on=keys, how="inner")
        rest_antal = pl.col("ref_antal") - pl.col("antal")
        rest_total = pl.col("ref_total") - pl.col("total")
    else:
        reference = views.filter(pl.col("niva") == level).select("jamforelse", *keys, *renamed)
        joined = unit.join(reference, on=["jamforelse", *keys], how="inner")
        rest_antal, rest_total = pl.col("ref_antal"), pl.col("ref_total")
    return joined.with_columns(
        rest_antal.alias("test_antal"), rest_total.alias("test_total")
    ).with_columns(
        (~(
            pl.col("antal_dold") | pl.col("total_dold") | pl.col("ref_antal_dold")
            | pl.col("ref_total_dold") | (pl.col("total") < guidance.MIN_COMPARABLE)
            | (pl.col("test_total") <= 0)
        )).alias("provbar")
    )  # fmt: skip


def _comparisons(
    study: StudyInput, table: TableDefinition, joined: pl.DataFrame, level: str
) -> pl.DataFrame:
    if joined.is_empty():
        return joined
    p_raw = _p_values(joined)
    group = ["jamforelse", "period", *(["steg"] if table.kind == "funnel" else [])]
    adjusted = _adjust_by_group(joined.select(group), p_raw)
    joined = joined.with_columns(pl.Series("p_varde", adjusted).fill_nan(None))
    return _comparison_rows(study, table, joined, level)


def _p_values(joined: pl.DataFrame) -> np.ndarray:
    p = np.full(joined.height, np.nan)
    mask = joined["provbar"].to_numpy()
    if mask.any():
        p[mask] = compare_shares(
            *(joined[c].to_numpy()[mask] for c in ("antal", "total", "test_antal", "test_total"))
        )
    return p


def _adjust_by_group(groups: pl.DataFrame, p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg within each unit's comparisons of one table (and funnel step)."""
    ids = groups.select(pl.struct(groups.columns).rank("dense").alias("g"))["g"].to_numpy()
    adjusted = np.full(p_values.shape, np.nan)
    order = np.argsort(ids, kind="stable")
    boundaries = np.flatnonzero(np.diff(ids[order])) + 1
    for segment in np.split(order, boundaries):
        adjusted[segment] = benjamini_hochberg(p_values[segment])
    return adjusted


def _comparison_rows(
    study: StudyInput, table: TableDefinition, joined: pl.DataFrame, level: str
) -> pl.DataFrame:
    shown_antal, shown_total = joined["ref_antal"].to_numpy(), joined["ref_total"].to_numpy()
    low, high = wilson_interval(shown_antal, shown_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        shown_share = np.where(shown_total > 0, shown_antal / np.maximum(shown_total, 1), np.nan)
    frame = joined.with_columns(
        pl.Series("ref_andel", shown_share).fill_nan(None),
        pl.Series("ki_lag", low).fill_nan(None),
        pl.Series("ki_hog", high).fill_nan(None),
    )
    sentences = _sentences(study, table, frame, level)
    return frame.select(
        pl.lit(level).alias("niva"),
        pl.col("ref_enhet").alias("enhet"),
        "period", *table.dimension_columns, "mangd",
        pl.col("ref_antal").alias("antal"),
        pl.col("ref_total").alias("total"),
        pl.col("ref_andel").alias("andel"),
        "ki_lag", "ki_hog",
        pl.col("enhet").alias("jamforelse"),
        "p_varde",
        pl.col("p_varde").lt(guidance.SIGNIFICANCE_LEVEL).alias("signifikant"),
        pl.Series("vagledning", sentences, pl.String),
        pl.col("ref_antal_dold").alias("antal_dold"),
        pl.col("ref_total_dold").alias("total_dold"),
    )  # fmt: skip


def _sentences(
    study: StudyInput, table: TableDefinition, frame: pl.DataFrame, level: str
) -> list[str]:
    columns = table.dimension_columns
    step_labels = {outcome.name: outcome.label for outcome in table.outcomes}
    out = []
    for row in frame.select(
        "enhet", "ref_enhet", *columns, "antal", "total", "ref_andel", "ref_total",
        "p_varde", "provbar", "antal_dold", "total_dold", "ref_antal_dold", "ref_total_dold",
    ).iter_rows(named=True):  # fmt: skip
        unit_name = study.names.get(("kommun", row["enhet"]), row["enhet"])
        unit_hidden = row["antal_dold"] or row["total_dold"]
        reference_hidden = row["ref_antal_dold"] or row["ref_total_dold"]
        subject = {
            name: (step_labels if name == "steg" else study.labels.get(name, {})).get(
                row[name], row[name]
            )
            for name in columns
        }
        comparison = guidance.Comparison(
            unit_name=unit_name,
            reference_phrase=_reference_phrase(study, level, row["ref_enhet"], unit_name),
            share=None if unit_hidden or not row["total"] else row["antal"] / row["total"],
            reference_share=None if reference_hidden else row["ref_andel"],
            unit_total=None if unit_hidden else row["total"],
            reference_total=None if reference_hidden else row["ref_total"],
            p_value=row["p_varde"] if row["provbar"] else None,
            subject=subject,
        )
        out.append(guidance.sentence(table.sentence, comparison))
    return out


def _reference_phrase(study: StudyInput, level: str, code: str, unit_name: str) -> str:
    if level == NATION:
        return "i riket"
    name = study.names.get((level, code), code)
    if level == "kommungrupp":
        return f"i kommungruppen {name} (utom {unit_name})"
    return f"i kommuner med {guidance.lower_first(name)} (utom {unit_name})"


def _distribution_tests(
    study: StudyInput, table: TableDefinition, joined: pl.DataFrame, level: str
) -> pl.DataFrame:
    """One row per unit testing its whole distribution against the reference (chi-square);
    its dimension columns say `samtliga`."""
    rows = []
    within = [table.within] if table.within else []
    keys = ["enhet", "period", "ref_enhet", *within]
    ordered = joined.sort(keys)
    starts = ordered.select(pl.struct(keys).rle_id().alias("g"))["g"].to_numpy()
    bounds = np.flatnonzero(np.diff(starts)) + 1
    columns = {c: ordered[c].to_numpy() for c in ("antal", "test_antal", "total", "ref_total")}
    hidden_any = (ordered["antal_dold"] | ordered["ref_antal_dold"]).to_numpy()
    total_hidden = ordered["total_dold"].to_numpy()
    ref_hidden = ordered["ref_total_dold"].to_numpy()
    labels = ordered.select(keys).to_numpy()
    for segment in np.split(np.arange(ordered.height), bounds):
        if segment.size == 0:
            continue
        first = segment[0]
        code, period, reference, *kept = labels[first]
        total = int(columns["total"][first])
        too_few = bool(hidden_any[segment].any()) or total < guidance.MIN_COMPARABLE
        p = float("nan")
        if not too_few:
            p = chi_square_p(columns["antal"][segment], columns["test_antal"][segment])
        rows.append({
            "niva": level, "enhet": reference, "period": period,
            **dict.fromkeys(table.dimension_columns, WHOLE_DISTRIBUTION),
            **dict(zip(within, kept, strict=True)),
            "antal": total, "total": int(columns["ref_total"][first]),
            "andel": None, "ki_lag": None, "ki_hog": None,
            "jamforelse": code, "p_varde": None if np.isnan(p) else p,
            "signifikant": guidance.is_significant(p),
            "vagledning": _distribution_sentence(study, table, code, level, reference, p, too_few),
            "antal_dold": bool(total_hidden[first]),
            "total_dold": bool(ref_hidden[first]),
        })  # fmt: skip
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


def _distribution_sentence(
    study: StudyInput, table: TableDefinition, code: str, level: str, reference: str,
    p: float, too_few: bool,
) -> str:  # fmt: skip
    unit_name = study.names.get(("kommun", code), code)
    if too_few:
        return f"I {unit_name} är antalet för litet för att jämföra fördelningen."
    phrase = _reference_phrase(study, level, reference, unit_name)
    subject = f"Fördelningen av {guidance.lower_first(table.title)} i {unit_name}"
    if guidance.is_significant(p):
        return f"{subject} skiljer sig statistiskt säkerställt från den {phrase}."
    return f"{subject} skiljer sig inte statistiskt säkerställt från den {phrase}."
