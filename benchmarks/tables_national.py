"""Benchmark: every table for every unit on the national synthetic sets, and one unit's
comparison set once the tables are computed (what the portal calls).

Run: .venv/bin/python benchmarks/tables_national.py [--data-dir DIR]
Without --data-dir it runs `nuso demo` into a fresh embedded data directory first (generating
and importing the national referral set, 220 000 rows, and the survey, 21 858 rows). Then, in
this process (cold: nothing cached):
- the time to load each study's records and compute all its tables for all units, levels and
  comparisons, disclosure-controlled (target for both studies together: <= 30 s), after
  emptying the installation's store of computed tables;
- for every unit, the time to get its full comparison set again, warm: the cache check against
  the database plus selecting its rows (target <= 200 ms), as p50 / p95 / max;
- the time another process takes to read them from that store;
- the peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def prepare(data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUSO_") and k != "DATABASE_URL"}
    env["NUSO_DATA_DIR"] = str(data_dir)
    start = time.perf_counter()
    command = [sys.executable, "-m", "nuso", "demo", "--no-serve"]  # prepare, then stop
    subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
    print(
        f"nuso demo (generate and import both national sets): {time.perf_counter() - start:.1f} s"
    )


def measure(data_dir: Path) -> None:
    os.environ["NUSO_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "nuso.settings"
    import django

    django.setup()
    from nuso.analysis import service, store
    from nuso.analysis.service import study_tables
    from nuso.studies.models import Study

    # Cold means computed: `nuso demo` has already stored the tables it printed key figures
    # from, and reading those back (what another process does) is measured on its own below.
    store.clear()
    total = 0.0
    for study in Study.objects.order_by("-number"):
        start = time.perf_counter()
        results = study_tables(study)
        seconds = time.perf_counter() - start
        total += seconds
        rows = sum(frame.height for frame in results.tables.values())
        units = sorted(results.counties)
        summary = results.suppression
        print(f"{study.slug}: all tables, {len(units)} units, {rows:,} rows in {seconds:.1f} s "
              f"(suppressed {summary.primary:,} primary + {summary.secondary:,} secondary of "
              f"{summary.cells:,} counts)")  # fmt: skip
        timings = []
        for code in units:
            start = time.perf_counter()
            study_tables(study).for_unit(code)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(f"  one unit's comparison set, warm: p50 {statistics.median(timings):.0f} ms, "
              f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms")  # fmt: skip
    print(f"both studies, all tables: {total:.1f} s (target <= 30 s)")
    service._cache.clear()  # as a process that did not compute them
    start = time.perf_counter()
    for study in Study.objects.order_by("-number"):
        study_tables(study)
    print(f"both studies read back from the shared store: {time.perf_counter() - start:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, help="an embedded data directory with data")
    data_dir = parser.parse_args().data_dir
    if data_dir is not None:
        measure(data_dir)
        return
    with tempfile.TemporaryDirectory() as folder:
        prepare(Path(folder) / "data")
        measure(Path(folder) / "data")


if __name__ == "__main__":
    main()
