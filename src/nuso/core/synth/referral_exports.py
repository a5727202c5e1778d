"""`nuso synth aktualiseringar`: a set of municipal referral exports and its facit."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nuso.core.synth import calibration as cal
from nuso.core.synth.dialects import SYSTEMS_BY_NAME, unit_style
from nuso.core.synth.referrals import generate_referrals
from nuso.core.synth.render import FacitRow, facit_records, name_parts, render_unit
from nuso.core.synth.units import select_units
from nuso.core.synth.writers import write_csv, write_xls, write_xlsx

FACIT_FILE = "facit.csv"
EXPORT_FOLDER = "exporter"  # beside the facit, so that importing this folder reads exports only
FACIT_COLUMNS = (
    "fil", "flik", "rad", "kommunkod", "kon", "alder", "aktualiseringstyp", "orsaker", "atgard",
    "atgardsgrupp", "kon_original", "aktualiseringstyp_original", "orsak_original",
    "atgard_original",
)  # fmt: skip
DEFAULT_SEED = 2023
SMALL_UNITS, SMALL_ROWS = 8, 2_000


@dataclass(frozen=True)
class SynthResult:
    files: list[Path]
    facit: Path
    rows: int
    units: int
    unique_raw: dict[str, int]  # distinct raw spellings, as PM #4 counted them


@dataclass
class RawCounter:
    """Distinct raw spellings per variable (what the researchers had to recode by hand)."""

    types: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    reason_values: set[str] = field(default_factory=set)
    reason_cells: set[str] = field(default_factory=set)
    units_with_several_reasons: set[str] = field(default_factory=set)
    units_without_reasons: set[str] = field(default_factory=set)

    def add(self, rows: list[FacitRow]) -> None:
        for row in rows:
            self.types.add(row.raw["typ"])
            self.actions.add(row.raw["atgard"])
            if row.reason_values:
                self.reason_values.update(row.reason_values)
                self.reason_cells.add(row.raw["orsak"])
            if len(row.reasons) > 1:
                self.units_with_several_reasons.add(row.unit_code)
            if not row.reasons:
                self.units_without_reasons.add(row.unit_code)

    def counts(self) -> dict[str, int]:
        return {
            "aktualiseringstyp": len(self.types),
            "atgard": len(self.actions),
            "orsak_varden": len(self.reason_values),
            "orsak_celler": len(self.reason_cells),
            "enheter_flera_orsaker": len(self.units_with_several_reasons),
            "enheter_utan_orsak": len(self.units_without_reasons),
        }


def write_referral_exports(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    national: bool = False,
    unit_count: int | None = None,
    rows: int | None = None,
    year: int = cal.PERIOD_YEAR,
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    """Write one export per unit into out_dir/exporter, and out_dir/facit.csv: the referrals
    of `year` (the same units and export formats whatever the year)."""
    if national:
        unit_count, rows = cal.NATIONAL_UNITS, cal.NATIONAL_REFERRALS
    unit_count = unit_count or SMALL_UNITS
    rows = rows or SMALL_ROWS
    if rows < unit_count:
        raise ValueError(f"Antalet rader ({rows}) måste vara minst antalet enheter ({unit_count}).")
    (out_dir / EXPORT_FOLDER).mkdir(parents=True, exist_ok=True)
    units = select_units(seed, unit_count, rows, national)
    referrals = generate_referrals(units, seed, year)
    files: list[Path] = []
    used: set[str] = set()
    counter = RawCounter()
    with (out_dir / FACIT_FILE).open("w", encoding="utf-8", newline="") as handle:
        facit = csv.DictWriter(handle, fieldnames=FACIT_COLUMNS, lineterminator="\n")
        facit.writeheader()
        for unit in units:
            system = SYSTEMS_BY_NAME[unit.system]
            style = unit_style(system, unit.reason_mode, seed, unit.index, name_parts(unit, year))
            file_name = unique_name(style.file_stem, system.file_format, used)
            sheets, facit_rows = render_unit(unit, style, referrals[unit.index], file_name, seed)
            path = out_dir / EXPORT_FOLDER / file_name
            if system.file_format == "xlsx":
                write_xlsx(path, sheets)
            elif system.file_format == "xls":
                write_xls(path, sheets)
            else:
                write_csv(path, sheets, system.csv_delimiter, system.csv_encoding)
            facit.writerows(facit_records(facit_rows))
            counter.add(facit_rows)
            files.append(path)
            if progress is not None:
                progress(file_name)
    return SynthResult(files, out_dir / FACIT_FILE, rows, len(units), counter.counts())


def unique_name(stem: str, extension: str, used: set[str]) -> str:
    name, counter = f"{stem}.{extension}", 2
    while name.lower() in used:
        name, counter = f"{stem} ({counter}).{extension}", counter + 1
    used.add(name.lower())
    return name
