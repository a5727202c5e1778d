"""Golden dumps: what the platform stores and publishes for a fixed input, as SHA-256 digests,
so that a refactoring can show that behaviour is unchanged byte for byte.

Run: .venv/bin/python scripts/golden_dump.py --out DIR [--seed 4711] [--database URL]

Generates the national synthetic referral set (seed 4711 by default, cached in DIR/input) and
the closed-investigation survey, imports both under a fixed pseudonym key into a fresh
embedded data directory (or the empty PostgreSQL database given), and dumps:
- records: every current record of every study with all its parts (values, decisions,
  sources, raw cells), sorted by unit, period, file, sheet and row;
- batches: unit, period, file, status, counts and the stored report;
- review items: variable, key, example, occurrences, units, suggestions and status;
- the export (CSV) and the tables (JSON), national and for Karlstad (1780);
then applies three review decisions (one national, two for single units) and dumps again.
Prints one digest per dump and writes the dumps themselves to DIR/dumps/ for diffing.
Compare two runs with `diff DIR1/digests.txt DIR2/digests.txt`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

PERIOD_OF_SURVEY = "2023-10-01--2024-03-31"
KEY = "golden-dump-" + "0123456789" * 4
DUMP = r"""
import json, sys
from pathlib import Path
import polars as pl
from nuso.core.intake import blocks
from nuso.intake.models import ImportBatch, ReviewItem
from nuso.intake.record_frames import record_frame
from nuso.studies.models import Study
out = Path(sys.argv[-1])
parts = (blocks.VALUE, blocks.METHOD, blocks.CONFIDENCE, blocks.SOURCE, blocks.CELL)
for study in Study.objects.order_by("slug"):
    frame = record_frame(study, parts=parts)
    if frame.height:
        keys = [c for c in ("unit", "period", "file", "sheet", "row") if c in frame.columns]
        frame = frame.sort(keys).select(sorted(frame.columns))
        frame.write_ndjson(out / f"records-{study.slug}.ndjson")
batches = [
    [b.study.slug, b.unit.code if b.unit else "", b.period, b.file_name, b.status, b.rows_read,
     b.rows_imported, b.rows_skipped, b.rows_pending_review, b.report]
    for b in ImportBatch.objects.order_by("study__slug", "unit__code", "period", "file_name", "id")
]
(out / "batches.json").write_text(json.dumps(batches, sort_keys=True, ensure_ascii=False, indent=1))
items = [
    [i.study.slug, i.variable, i.raw_key, i.raw_example, i.occurrences, i.units, i.suggestions,
     i.status]
    for i in ReviewItem.objects.order_by("study__slug", "variable", "raw_key")
]
(out / "review.json").write_text(json.dumps(items, sort_keys=True, ensure_ascii=False, indent=1))
"""


def nuso(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "nuso", *args]  # our own program, our own arguments
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(args[:3])} failed:\n{done.stderr[-3000:]}")


def dump(env: dict[str, str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    code = DUMP.replace("sys.argv[-1]", repr(str(folder)))
    nuso(env, "manage", "shell", "-c", code)
    nuso(env, "export", "--study", "aktualiseringar", "--format", "csv", "--output",
         str(folder / "export.csv"))  # fmt: skip
    for study in ("aktualiseringar", "avslutade_utredningar"):
        nuso(env, "tables", "--study", study, "--format", "json", "--output",
             str(folder / f"tables-{study}.json"))  # fmt: skip
        nuso(env, "tables", "--study", study, "--kommun", "1780", "--format", "json",
             "--output", str(folder / f"tables-{study}-1780.json"))  # fmt: skip


def decide_three(env: dict[str, str], folder: Path) -> None:
    """One national decision and two for single units, from the head of the queue."""
    review = sorted(__import__("json").loads((folder / "review.json").read_text()))
    pending = [item for item in review if item[7] == "pending" and item[0] == "aktualiseringar"]
    rows = ["rått värde,variabel,kod,omfattning"]
    codes = {"aktualiseringstyp": "anmalan", "orsaker": "ovrigt", "atgard": "annan_atgard"}
    for n, (_, variable, _, example, _, units, _, _) in enumerate(pending[:3]):
        scope = "nationell" if n == 0 or not units else units[0]
        rows.append(f'"{example}",{variable},{codes.get(variable, "ovrigt")},{scope}')
    decisions = folder.parent / "decisions.csv"
    decisions.write_text("\n".join(rows) + "\n", encoding="utf-8")
    nuso(env, "review", "--decisions", str(decisions))


def digests(folder: Path) -> list[str]:
    return [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder.parent)}"
        for path in sorted(folder.iterdir())
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", default="4711")
    parser.add_argument("--database", default="")
    options = parser.parse_args()
    out = options.out.resolve()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUSO_") and k != "DATABASE_URL"}
    env |= {"NUSO_DATA_DIR": str(out / "data"), "NUSO_PSEUDONYM_KEY": KEY, "NUSO_SECRET_KEY": KEY}
    if options.database:
        env["DATABASE_URL"] = options.database
    for stale in (out / "data", out / "dumps"):
        shutil.rmtree(stale, ignore_errors=True)
    inputs = out / "input"
    if not inputs.exists():
        nuso(env, "synth", "aktualiseringar", "--national", "--seed", options.seed,
             "--out", str(inputs / "referrals"))  # fmt: skip
        nuso(env, "synth", "avslutade_utredningar", "--seed", options.seed,
             "--out", str(inputs / "survey"))  # fmt: skip
    nuso(env, "init")
    nuso(env, "import", str(inputs / "referrals" / "exporter"), "--study", "aktualiseringar",
         "--period", "2023")  # fmt: skip
    nuso(env, "import", str(inputs / "survey" / "exporter"), "--study", "avslutade_utredningar",
         "--period", PERIOD_OF_SURVEY)  # fmt: skip
    dump(env, out / "dumps" / "1-imported")
    decide_three(env, out / "dumps" / "1-imported")
    dump(env, out / "dumps" / "2-after-decisions")
    lines = digests(out / "dumps" / "1-imported") + digests(out / "dumps" / "2-after-decisions")
    (out / "digests.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
