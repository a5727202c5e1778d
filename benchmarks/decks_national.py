"""Benchmark: every results deck of both studies on the national synthetic sets (issue 18:
decks for all units with data, both studies, in <= 60 s on this machine).

Run: .venv/bin/python benchmarks/decks_national.py [--data-dir DIR]
Without --data-dir it runs `nuso demo --no-serve` into a fresh embedded data directory first
(the national referral set, 220 000 rows from 97 units, and the survey, 21 858 rows), which
also computes and stores the tables. Then, in this process, for each study:
- the time to read its tables from the store (what `nuso report` does first);
- the time to write every unit's deck (as `nuso report --alla`, without counties and the
  nation), and per deck the median and the slowest;
- then the counties' and the nation's decks;
and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from tables_national import prepare


def measure(data_dir: Path, output: Path) -> None:
    os.environ["NUSO_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "nuso.settings"
    import django

    django.setup()
    from nuso.analysis.service import study_tables
    from nuso.reports.service import every_deck, write_deck_file
    from nuso.studies.models import Study

    every_unit = 0.0
    for study in Study.objects.order_by("number"):
        start = time.perf_counter()
        study_tables(study)
        print(f"{study.slug}: tables read in {time.perf_counter() - start:.1f} s")
        requests = every_deck(study, None, "kommungrupp")
        units = [r for r in requests if r.unit is not None]
        folder = output / study.slug
        timings = [_timed(write_deck_file, r, folder) for r in units]
        every_unit += sum(timings)
        print(f"  {len(units)} units' decks in {sum(timings):.1f} s: per deck median "
              f"{statistics.median(timings):.2f} s, slowest {max(timings):.2f} s")  # fmt: skip
        rest = [r for r in requests if r.unit is None]
        seconds = sum(_timed(write_deck_file, r, folder) for r in rest)
        print(f"  {len(rest) - 1} counties' and the nation's decks in {seconds:.1f} s")
    print(f"every unit's deck, both studies: {every_unit:.1f} s (target <= 60 s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


def _timed(work: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    work(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="A data directory `nuso demo` prepared.")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nuso-bench-decks-"))
    if args.data_dir is None:
        prepare(data_dir)
    with tempfile.TemporaryDirectory(prefix="nuso-decks-") as output:
        measure(data_dir, Path(output))


if __name__ == "__main__":
    main()
