"""Benchmark: import a national synthetic referral set and compare the export with its facit.

Run: .venv/bin/python benchmarks/import_national.py [--seed 4711] [--database URL] [--repeat N]
                                                    [--workers N[,N…]]
Generates the set (a seed the harmonisation was not tuned on), imports it with `nuso import`
into a fresh embedded data directory (or the empty PostgreSQL database given), exports it
with `nuso export`, and prints:
- automatic decision rates and error rates per variable (targets: >= 99.5 % of sex, type and
  action and >= 97 % of reason values decided; <= 0.5 % of automatic decisions wrong),
- rows lost and title/total rows read as data (target: zero),
- the import's wall time (target <= 60 s) against merely reading the same files with calamine
  into Polars frames (target: <= 3x that); with several --workers settings (1,auto), each
  one's, imported in turn within each run so that a noisy machine treats them alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from nuso.core.intake.reading import read_text
from nuso.core.synth.referral_exports import write_referral_exports

VARIABLES = {"kon": "kon", "aktualiseringstyp": "aktualiseringstyp", "atgard": "atgard"}


def nuso(data_dir: Path, *args: str, database: str = "", workers: str = "") -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUSO_") and k != "DATABASE_URL"}
    env["NUSO_DATA_DIR"] = str(data_dir)
    if workers:
        env["NUSO_IMPORT_WORKERS"] = workers
    if database:  # a server: its keys come from the environment
        env["DATABASE_URL"] = database
        env["NUSO_SECRET_KEY"] = env["NUSO_PSEUDONYM_KEY"] = "benchmark-" + "0123456789" * 4
    start = time.perf_counter()
    command = [sys.executable, "-m", "nuso", *args]  # our own program, our own arguments
    subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - start


def read_only(files: list[Path]) -> float:
    """Merely reading every file into Polars frames: calamine for sheets, Polars for text."""
    start = time.perf_counter()
    for path in files:
        if path.suffix == ".csv":
            sheet = read_text(path.name, path.read_bytes()).sheets[0]
            pl.DataFrame(sheet.rows[1:], orient="row")
        else:
            workbook = CalamineWorkbook.from_path(str(path))
            for name in workbook.sheet_names:
                rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                pl.DataFrame([[str(c) for c in row] for row in rows], orient="row")
    return time.perf_counter() - start


def import_once(data: Path, folder: Path, database: str, workers: str) -> float:
    arguments = ("--study", "aktualiseringar", "--period", "2023")
    return nuso(data, "import", str(folder), *arguments, database=database, workers=workers)


def compare(facit: pl.DataFrame, export: pl.DataFrame) -> None:
    joined = facit.join(export, on=["fil", "flik", "rad"], how="left", suffix="_imp")
    lost = joined.filter(pl.col("kommunkod_imp").is_null()).height
    extra = export.join(facit, on=["fil", "flik", "rad"], how="anti").height
    print(
        f"rows: facit {facit.height}, exported {export.height}, lost {lost}, "
        f"read but not data {extra}"
    )
    for variable in VARIABLES:
        given = joined.filter(pl.col(f"{variable}_original") != "")
        decided = given.filter(pl.col(f"{variable}_imp").is_not_null())
        wrong = decided.filter(pl.col(f"{variable}_imp") != pl.col(variable)).height
        print(f"{variable}: {decided.height / given.height:.4%} decided automatically, "
              f"{wrong / max(decided.height, 1):.4%} of those wrong ({wrong} rows)")  # fmt: skip
    reasons(joined)


def reasons(joined: pl.DataFrame) -> None:
    given = joined.filter(pl.col("orsaker") != "")
    truth = given["orsaker"].str.split("|").to_list()
    got = given["orsaker_imp"].fill_null("").str.split("|").to_list()
    values = sum(len(t) for t in truth)
    decided = sum(len([g for g in gs if g]) for gs in got)
    wrong = sum(len({g for g in gs if g} - set(t)) for t, gs in zip(truth, got, strict=True))
    pending_rows = given.filter(pl.col("granskning").fill_null("").str.contains("orsaker")).height
    print(
        f"orsaker: {decided / values:.4%} of {values} reason values decided automatically, "
        f"{wrong / max(decided, 1):.4%} of those wrong ({wrong}); "
        f"{pending_rows} rows wait for review"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=4711)
    parser.add_argument(
        "--database",
        default="",
        help="an empty PostgreSQL database (postgresql://…) instead of the embedded SQLite",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="import this many times into fresh data directories (SQLite only), reading alone "
        "before each, and compare the medians: on a shared machine one run can be 40 %% off",
    )
    parser.add_argument(
        "--workers",
        default="",
        help="NUSO_IMPORT_WORKERS for the import (default: the setting's own, auto); several, "
        "comma-separated (1,auto), are imported in turn in each run, to compare them fairly",
    )
    arguments = parser.parse_args()
    seed, database, repeat = arguments.seed, arguments.database, arguments.repeat
    workers = arguments.workers.split(",")
    if repeat < 1:
        parser.error("--repeat takes 1 or more")
    if database and (repeat > 1 or len(workers) > 1):
        parser.error("--repeat and several --workers need the embedded SQLite: a server "
                     "database is imported once")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        result = write_referral_exports(root / "files", national=True, seed=seed)
        files = sorted((root / "files" / "exporter").iterdir())
        print(f"seed {seed}: {len(files)} files, {result.rows} rows")
        readings: list[float] = []
        imports: dict[str, list[float]] = {setting: [] for setting in workers}
        for run in range(1, repeat + 1):
            readings.append(read_only(files))
            for setting in workers:
                data = root / f"data{run}-{setting or 'default'}"
                nuso(data, "init", database=database)
                seconds = import_once(data, root / "files" / "exporter", database, setting)
                imports[setting].append(seconds)
                print(
                    f"run {run}, workers {setting or 'default'}: import {seconds:.1f} s, "
                    f"reading alone {readings[-1]:.1f} s, ratio {seconds / readings[-1]:.1f}x"
                )
        nuso(
            data,
            "export",
            "--study",
            "aktualiseringar",
            "--format",
            "csv",
            "--output",
            str(root / "export.csv"),
            database=database,
        )
        median = "median " if repeat > 1 else ""
        baseline = statistics.median(readings)
        for setting, times in imports.items():
            seconds = statistics.median(times)
            print(
                f"workers {setting or 'default'}: {median}import {seconds:.1f} s; {median}reading "
                f"the files alone {baseline:.1f} s; ratio {seconds / baseline:.1f}x"
            )
        facit = pl.read_csv(result.facit, infer_schema_length=0).fill_null("")
        export = pl.read_csv(root / "export.csv", infer_schema_length=0)
        compare(facit, export.with_columns(pl.col("flik").fill_null("")))


if __name__ == "__main__":
    main()
