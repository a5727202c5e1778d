"""Benchmark: how long `nuso synth ... --national` takes for both studies, and peak memory.

Run: .venv/bin/python benchmarks/synth_national.py [--repeat N]
Prints one line per run; record the figures and the machine in docs/benchmarks.md.
Goal (issue 3): the referral set in under 60 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import platform
import resource
import tempfile
import time
from pathlib import Path

from nuso.core.synth.investigations import write_investigation_survey
from nuso.core.synth.referral_exports import write_referral_exports


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(f"machine: {machine()}")
    for run in range(1, repeat + 1):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            result = write_referral_exports(Path(folder) / "aktualiseringar", national=True)
            referrals = time.perf_counter() - start
            size = sum(p.stat().st_size for p in result.files) / 1e6
            start = time.perf_counter()
            write_investigation_survey(Path(folder) / "utredningar")
            survey = time.perf_counter() - start
        print(
            f"run {run}: aktualiseringar {result.rows} rows, {len(result.files)} files, "
            f"{size:.0f} MB in {referrals:.1f} s ({result.rows / referrals:,.0f} rows/s); "
            f"avslutade_utredningar 21858 rows in {survey:.1f} s"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
