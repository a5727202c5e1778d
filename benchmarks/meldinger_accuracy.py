"""Benchmark: the synthetic Norwegian report set harmonised by the import's own interpreter,
in this process and without a database, scored against its facit.

Run: .venv/bin/python benchmarks/meldinger_accuracy.py [--seed 2024] [--rows 6000] [--dir D]

Writes the set (`nuso synth meldinger`) unless --dir holds one, then reads every file of
every year as `nuso import DIR/exporter/<year> --study meldinger --period <year>` reads it
(nuso.core.intake.delivery.FileInterpreter: the layout, the unit from the file name or the
municipality-number column among the 20 Norwegian units, identity numbers masked, the values
harmonised against the lists in force), with no review decisions, and prints per variable
the coverage (share of the facit's rows given a value) and precision (share of given values
that are right; contents and groups compare as sets), as shared/heldout-dev/score.py
measures them, and rows lost or invented. The full import into a database needs Norwegian
units (the country of a unit); this measures the same interpretation before that exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

import polars as pl

from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.core.intake import blocks
from nuso.core.intake.delivery import FileInterpreter, ImportPlan, Interpreted, LearnedMappings
from nuso.core.intake.unit_names import UnitIndex, UnitRef
from nuso.core.synth.report_exports import write_report_exports
from nuso.core.synth.reports import UNITS, YEARS

KEY = ["fil", "flik", "rad"]
SINGLE = ["kon", "alder", "melder", "konklusjon", "utfall", "undersokelse_konklusjon",
          "undersokelse_utfall"]  # fmt: skip
MULTI = ["saksinnhold", "saksinnhold_gruppe"]


def interpreted(folder: Path, year: int) -> pl.DataFrame:
    codebook = shipped_codebook()
    dictionary = {d.slug: d for d in shipped_dictionaries(codebook)}["meldinger"]
    plan = ImportPlan(
        study="meldinger", period=str(year), period_middle=dt.date(year, 7, 1),
        codebook_version=codebook.version, dictionary=dictionary, codebook=codebook,
        learned=LearnedMappings(), units=UnitIndex([UnitRef(u.code, u.name) for u in UNITS]),
        unit_hint=None, pseudonym_key="benchmark-" + "0" * 40,
    )  # fmt: skip
    reader = FileInterpreter(plan)
    frames = []
    for path in sorted(folder.iterdir()):
        outcome = reader.attempt(path, path.read_bytes())
        if not isinstance(outcome, Interpreted):
            print(f"refused {path.name}: {outcome.problems}")
            continue
        for part in outcome.parts:
            for block in part.blocks:
                frame = blocks.decode(block.data)
                frames.append(rows_of(frame, path.name, block.sheet))
    return pl.concat(frames, how="diagonal_relaxed")


def rows_of(frame: pl.DataFrame, file: str, sheet: str) -> pl.DataFrame:
    values = []
    for name in SINGLE + MULTI:
        column = pl.col(blocks.VALUE + name)
        if name in MULTI:
            column = column.list.sort().list.join("|")
        values.append(column.cast(pl.String).alias(name))
    return frame.select(
        pl.lit(file).alias("fil"), pl.lit(sheet).alias("flik"),
        pl.col(blocks.ROW).cast(pl.Int64).alias("rad"), *values,
    )  # fmt: skip


def score(facit: pl.DataFrame, given: pl.DataFrame) -> None:
    joined = facit.join(given, on=KEY, how="left", suffix="_x")
    print(f"rows {facit.height}, lost {facit.height - facit.join(given, on=KEY, how='semi').height}"
          f", invented {given.join(facit, on=KEY, how='anti').height}")  # fmt: skip
    for name in SINGLE + MULTI:
        truth, got = pl.col(name), pl.col(name + "_x")
        if name in MULTI:
            truth = truth.str.split("|").list.sort().list.join("|")
        rows = joined.filter(pl.col(name).fill_null("") != "")
        coded = rows.filter(got.fill_null("") != "")
        right = coded.filter(got == truth)
        print(f"{name:24} rows {rows.height:5}  coverage {100 * coded.height / rows.height:6.2f} %"
              f"  precision {100 * right.height / max(coded.height, 1):6.2f} %"
              f"  ({coded.height - right.height} wrong)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    out = args.dir or Path(tempfile.mkdtemp(prefix="meldinger-"))
    if not (out / "facit.csv").is_file():
        write_report_exports(out, seed=args.seed, rows=args.rows)
    facit = pl.read_csv(out / "facit.csv", infer_schema_length=0).with_columns(
        pl.col("flik").fill_null(""), pl.col("rad").cast(pl.Int64)
    )
    given = pl.concat(
        [interpreted(out / "exporter" / str(year), year) for year in YEARS],
        how="diagonal_relaxed",
    )
    score(facit, given)


if __name__ == "__main__":
    main()
