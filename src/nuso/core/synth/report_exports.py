"""`nuso synth meldinger`: Norwegian municipalities' exports of reports to child welfare
services, one file per municipality and year, and the facit.

Five export styles of the Norwegian case systems (the wording of their headers and cells as
their users describe them; no vendor documentation is public): Familia's report generator
(xlsx with title rows, "11 - Skole" code-and-label cells, date cells shown DD.MM.YYYY) and its
CSV extract (`;`, Latin-1, bare codes), Visma Flyt Barnevern's report (xlsx, labels only, in
Nynorsk where the municipality writes Nynorsk, several contents on lines of one cell) and CSV
(`;`, UTF-8 with BOM, older SSB wordings, a municipality-number column), and a municipality's
own extract of its SSB delivery (the XML schema's element names, codes, ISO dates). Each
municipality adds its own habits: the separator between code and label, upper case, typing
errors in hand-written contents, and, in a few weeks after a list changed, the old list.
Identity numbers are valid fødselsnummer and D-nummer (python-stdnum's check digits), in an
identity column and, now and then, a sibling's in a comment. The same seed gives the same
bytes (nuso.core.synth.writers).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nuso.core.harmonise.normalise import fold
from nuso.core.synth.dialects import choose, typo
from nuso.core.synth.referral_exports import EXPORT_FOLDER, FACIT_FILE, unique_name
from nuso.core.synth.render import Cell, Sheet
from nuso.core.synth.report_words import FREE_TEXT, OLD_LIST_DAYS, codebook, label_of
from nuso.core.synth.reports import (
    CONCEPTS,
    UNITS,
    YEARS,
    NorwegianUnit,
    Report,
    draw_reports,
    groups,
    identity_number,
    list_index,
)
from nuso.core.synth.writers import write_csv, write_xlsx

DEFAULT_SEED = 2024
DEFAULT_ROWS = 6_000
FACIT_COLUMNS = (
    "fil", "flik", "rad", "kommunkod", "kon", "alder", "meldingsdato", "melder", "saksinnhold",
    "saksinnhold_gruppe", "konklusjon", "utfall", "konklusjonsdato", "undersokelse_konklusjon",
    "undersokelse_utfall", "kon_original", "melder_original", "saksinnhold_original",
    "konklusjon_original", "undersokelse_konklusjon_original",
)  # fmt: skip


@dataclass(frozen=True)
class Style:
    """A case system's export: its format, columns and headers, and how it writes values."""

    name: str
    file_format: str  # xlsx | csv
    columns: tuple[str, ...]
    headers: dict[str, str]
    values: str  # code_label | code | label
    sex: tuple[str, str]  # boy, girl
    content_separator: str
    dates: str  # cell | text | iso
    file_name: str
    csv_delimiter: str = ";"
    csv_encoding: str = "utf-8"
    title_rows: bool = False
    nynorsk_headers: dict[str, str] | None = None
    free_text: float = 0.0  # share of contents typed in the caseworker's words


HEADERS_FAMILIA = {
    "id": "Saksnr", "fnr": "Fødselsnummer", "kon": "Kjønn", "alder": "Alder",
    "dato": "Mottatt dato", "melder": "Melder", "innhold": "Saksinnhold",
    "konklusjon": "Konklusjon", "konklusjonsdato": "Konklusjonsdato",
    "undersokelse": "Konklusjon undersøkelse", "undersokelse_slutt": "Undersøkelse avsluttet",
    "merknad": "Merknad",
}  # fmt: skip
STYLES = {
    "familia_xlsx": Style(
        "familia_xlsx", "xlsx",
        ("id", "fnr", "kon", "alder", "dato", "melder", "innhold", "konklusjon",
         "konklusjonsdato", "undersokelse", "undersokelse_slutt"),
        HEADERS_FAMILIA, "code_label", ("Gutt", "Jente"), "; ", "cell",
        "Meldinger {name} {year}", title_rows=True,
    ),
    "familia_csv": Style(
        "familia_csv", "csv",
        ("fnr", "kon", "alder", "dato", "melder", "innhold", "konklusjon", "konklusjonsdato",
         "undersokelse", "undersokelse_slutt", "merknad"),
        {**HEADERS_FAMILIA, "fnr": "Fnr", "dato": "Meldingsdato",
         "undersokelse": "Undersøkelse konklusjon", "undersokelse_slutt": "Undersøkelse sluttdato"},
        "code", ("G", "J"), ",", "text", "{code}_{slug}_meldinger_{year}",
        csv_encoding="latin-1",
    ),
    "visma_xlsx": Style(
        "visma_xlsx", "xlsx",
        ("fodt", "kon", "dato", "melder", "innhold", "konklusjon", "konklusjonsdato",
         "undersokelse", "undersokelse_slutt", "merknad"),
        {"fodt": "Fødselsdato", "kon": "Kjønn", "dato": "Mottatt", "melder": "Melders rolle",
         "innhold": "Bekymring", "konklusjon": "Vurdering av melding",
         "konklusjonsdato": "Dato konkludert", "undersokelse": "Utfall undersøkelse",
         "undersokelse_slutt": "Undersøkelse avsluttet", "merknad": "Kommentar"},
        "label", ("Gutt", "Jente"), "\n", "cell", "Visma rapport meldinger {year} {name}",
        nynorsk_headers={"fodt": "Fødd", "dato": "Motteke dato", "melder": "Meldar",
                         "innhold": "Saksinnhald", "konklusjon": "Konklusjon meldinga",
                         "undersokelse": "Konklusjon undersøking",
                         "undersokelse_slutt": "Undersøking avslutta"},
    ),
    "visma_csv": Style(
        "visma_csv", "csv",
        ("kommune", "fnr", "kon", "alder", "dato", "melder", "innhold", "konklusjon",
         "konklusjonsdato", "undersokelse", "undersokelse_slutt"),
        {"kommune": "Kommunenummer", "fnr": "Personnummer", "kon": "Kjønn", "alder": "Alder",
         "dato": "Meldingsdato", "melder": "Melder", "innhold": "Saksinnhold",
         "konklusjon": "Konklusjon melding", "konklusjonsdato": "Konklusjonsdato",
         "undersokelse": "Konklusjon undersøkelse",
         "undersokelse_slutt": "Dato undersøkelse avsluttet"},
        "label", ("Mann", "Kvinne"), " | ", "text", "meldinger_{slug}_{year}",
        csv_encoding="utf-8-sig", free_text=0.2,
    ),
    "ssb_uttrekk": Style(
        "ssb_uttrekk", "csv",
        ("fnr", "fodt", "kon", "dato", "melder", "innhold", "konklusjon", "konklusjonsdato"),
        {"fnr": "Fodselsnummer", "fodt": "Fodseldato", "kon": "Kjonn", "dato": "StartDato",
         "melder": "Melder", "innhold": "Saksinnhold", "konklusjon": "Konklusjon",
         "konklusjonsdato": "SluttDato"},
        "code", ("1", "2"), "|", "iso", "SSB-uttrekk {name} {year}", csv_delimiter=",",
    ),
}  # fmt: skip
UNIT_STYLES = {
    "0301": "familia_xlsx", "5001": "familia_xlsx", "4204": "familia_xlsx",
    "5501": "familia_xlsx", "4003": "familia_xlsx", "1833": "familia_xlsx",
    "1103": "familia_csv", "3105": "familia_csv", "5601": "familia_csv", "1860": "familia_csv",
    "4601": "visma_xlsx", "1508": "visma_xlsx", "4621": "visma_xlsx", "1520": "visma_xlsx",
    "1806": "visma_xlsx", "3201": "visma_csv", "3301": "visma_csv", "3905": "visma_csv",
    "1804": "ssb_uttrekk", "1865": "ssb_uttrekk",
}  # fmt: skip
CODE_SEPARATORS = (" - ", " - ", " – ", ": ", " ")
# Units that kept the list before a change for a few weeks (OLD_LIST_DAYS): their values
# then are of another period and wait for review; the facit keeps the true code.
OLD_LIST_UNITS = frozenset({"3105", "1508"})
SPLIT_HENLAGT = frozenset({"5", "6", "7", "8", "9", "10"})
TYPO_RATE = 0.004  # contents written by hand in Visma's free-text field


@dataclass(frozen=True)
class UnitHabits:
    code_separator: str
    upper: bool
    older_labels: bool  # SSB's 2021–2022 wordings where they differ
    comment_rate: float


@dataclass(frozen=True)
class SynthResult:
    files: list[Path]
    facit: Path
    rows: int
    units: int


def habits(unit_index: int, seed: int) -> UnitHabits:
    rng = np.random.default_rng([seed, 43, unit_index])
    return UnitHabits(
        code_separator=choose(rng, CODE_SEPARATORS),
        upper=bool(rng.random() < 0.15),
        older_labels=bool(rng.random() < 0.4),
        comment_rate=float(rng.choice([0.0, 0.02, 0.05])),
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


class ReportRenderer:
    """One report as the cells of its export row, and the raw values the facit keeps."""

    def __init__(self, unit: NorwegianUnit, style: Style, habit: UnitHabits, seed: int) -> None:
        self.unit, self.style, self.habit = unit, style, habit
        self.rng = np.random.default_rng([seed, 47, int(unit.code)])
        self.nynorsk = unit.nynorsk and style.values == "label"

    def header(self) -> list[Cell]:
        own = self.style.nynorsk_headers if self.unit.nynorsk else None
        return [(own or {}).get(c, self.style.headers[c]) for c in self.style.columns]

    def value(self, variable: str, code: str, day: dt.date) -> str:
        """A code as the style writes it; on a unit's first weeks of a new list, the old."""
        code = self.stale(variable, code, day)
        if self.style.values == "code":
            return code
        text = label_of(variable, code, self.nynorsk, self.habit.older_labels)
        if self.style.values == "code_label":
            text = f"{code}{self.habit.code_separator}{text}"
        return text.upper() if self.habit.upper else text

    def stale(self, variable: str, code: str, day: dt.date) -> str:
        if self.unit.code not in OLD_LIST_UNITS or day.timetuple().tm_yday > OLD_LIST_DAYS:
            return code
        if variable == "no_melding_konklusjon" and day.year == 2026 and code in SPLIT_HENLAGT:
            return "1"  # the 2025 list's Henlagt
        if variable == "no_melder" and day.year == 2025 and code in {"24", "25"}:
            return "15"
        return code

    def date(self, day: dt.date | None) -> Cell:
        if day is None:
            return None
        if self.style.dates == "cell":
            return day
        return day.isoformat() if self.style.dates == "iso" else day.strftime("%d.%m.%Y")

    def content(self, report: Report) -> str:
        values = [self.content_value(report, concept) for concept in report.concepts]
        values = list(dict.fromkeys(values))  # two concepts of one code are written once
        if self.style.values == "label":
            values = [typo(self.rng, v) if self.rng.random() < TYPO_RATE else v for v in values]
        return self.style.content_separator.join(values)

    def content_value(self, report: Report, concept: str) -> str:
        """A concept as its code in the report's list, or in the caseworker's words."""
        if concept in FREE_TEXT and self.rng.random() < self.style.free_text:
            return choose(self.rng, FREE_TEXT[concept])
        return self.value("no_saksinnhold", concept_code(concept, report.date), report.date)

    def row(self, report: Report) -> tuple[list[Cell], dict[str, str]]:
        boy, girl = self.style.sex
        raw = {
            "kon": boy if report.boy else girl,
            "melder": self.value("no_melder", report.reporter, report.date),
            "innhold": self.content(report),
            "konklusjon": self.value("no_melding_konklusjon", report.conclusion, report.date),
            "undersokelse": "",
        }
        if report.investigation and report.investigation_end:
            raw["undersokelse"] = self.value(
                "no_undersokelse_konklusjon", report.investigation, report.investigation_end
            )
        cells = {
            "id": int(self.rng.integers(100_000, 999_999)),
            "fnr": report.identity,
            "fodt": self.date(report.birth),
            "kommune": self.unit.code,
            "alder": report.age,
            "dato": self.date(report.date),
            "konklusjonsdato": self.date(report.concluded),
            "undersokelse_slutt": self.date(report.investigation_end),
            "merknad": self.comment(report),
            **{key: (value or None) for key, value in raw.items()},
        }
        return [cells[column] for column in self.style.columns], raw

    def comment(self, report: Report) -> str | None:
        """Free text, where a sibling's identity number slips in now and then."""
        if self.rng.random() >= self.habit.comment_rate:
            return None
        born = report.birth - dt.timedelta(days=int(self.rng.integers(400, 3000)))
        number = identity_number(self.rng, born, bool(self.rng.random() < 0.5), False)
        return choose(self.rng, (f"Søsken {number} har egen sak", f"Se også sak for {number}"))


def concept_code(concept: str, day: dt.date) -> str:
    return str(CONCEPTS[concept][2][list_index(day)])


def render_file(
    unit: NorwegianUnit, year: int, reports: list[Report], file_name: str, seed: int, index: int
) -> tuple[list[Sheet], list[dict[str, Any]]]:
    style = STYLES[UNIT_STYLES[unit.code]]
    renderer = ReportRenderer(unit, style, habits(index, seed), seed + year)
    sheet_name = "Meldinger" if style.file_format == "xlsx" else ""
    rows: list[list[Cell]] = []
    if style.title_rows:
        rows += [[f"Meldinger {unit.name} 01.01.{year}–31.12.{year}"],
                 ["Utskrift 15.01.2027"], []]  # fmt: skip
    rows.append(renderer.header())
    facit = []
    for report in reports:
        cells, raw = renderer.row(report)
        rows.append(cells)
        given = "undersokelse" in style.columns
        facit.append(facit_row(report, raw, file_name, sheet_name, len(rows), given))
    return [Sheet(sheet_name, rows)], facit


GROUPS = groups()
GROUP_ORDER = [g.code for g in codebook().variables["no_saksinnhold_gruppe"].codes]


def facit_row(
    report: Report, raw: dict[str, str], file_name: str, sheet: str, row: int, outcome: bool
) -> dict[str, Any]:
    """The truth of a data row; an investigation's outcome only where the file has one."""
    content_groups = {GROUPS["no_saksinnhold"][code] for code in report.content}
    ended = report.investigation if outcome else None
    return {
        "fil": file_name, "flik": sheet, "rad": row, "kommunkod": report.unit.code,
        "kon": report.sex, "alder": report.age, "meldingsdato": report.date.isoformat(),
        "melder": report.reporter, "saksinnhold": "|".join(report.content),
        "saksinnhold_gruppe": "|".join(g for g in GROUP_ORDER if g in content_groups),
        "konklusjon": report.conclusion,
        "utfall": GROUPS["no_melding_konklusjon"][report.conclusion],
        "konklusjonsdato": report.concluded.isoformat(),
        "undersokelse_konklusjon": ended or "",
        "undersokelse_utfall": GROUPS["no_undersokelse_konklusjon"][ended] if ended else "",
        "kon_original": raw["kon"], "melder_original": raw["melder"],
        "saksinnhold_original": raw["innhold"], "konklusjon_original": raw["konklusjon"],
        "undersokelse_konklusjon_original": raw["undersokelse"] if outcome else "",
    }  # fmt: skip


def write_report_exports(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    rows: int = DEFAULT_ROWS,
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    """One export per unit and year in out_dir/exporter/<year>/, and out_dir/facit.csv."""
    reports = draw_reports(seed, rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    used: set[str] = set()
    total = 0
    with (out_dir / FACIT_FILE).open("w", encoding="utf-8", newline="") as handle:
        facit = csv.DictWriter(handle, fieldnames=FACIT_COLUMNS, lineterminator="\n")
        facit.writeheader()
        for year in YEARS:
            folder = out_dir / EXPORT_FOLDER / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            for index, unit in enumerate(UNITS):
                style = STYLES[UNIT_STYLES[unit.code]]
                stem = style.file_name.format(
                    name=unit.name, slug=slug(unit.name), code=unit.code, year=year
                )
                file_name = unique_name(stem, style.file_format, used)
                sheets, rows_of = render_file(
                    unit, year, reports[(unit.code, year)], file_name, seed, index
                )
                path = folder / file_name
                if style.file_format == "xlsx":
                    write_xlsx(path, sheets, date_format="dd.mm.yyyy")
                else:
                    write_csv(path, sheets, style.csv_delimiter, style.csv_encoding)
                facit.writerows(rows_of)
                files.append(path)
                total += len(rows_of)
                if progress is not None:
                    progress(file_name)
    return SynthResult(files, out_dir / FACIT_FILE, total, len(UNITS))
