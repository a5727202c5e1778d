"""Score an export of the study meldinger against the synthetic set's facit with the
development set's own scorer, shared/heldout-dev/score.py, unchanged.

Run: .venv/bin/python benchmarks/score_meldinger.py FACIT.csv EXPORT.csv [SCORE.py]

score.py knows the referral study's variable names (kon, alder, aktualiseringstyp, orsaker,
atgard, atgardsgrupp; orsaker compared as sets). Both files are copied with the Norwegian
variables in those places, in two passes: (melder, saksinnhold, konklusjon, utfall), then
(melder, saksinnhold_gruppe, undersokelse_konklusjon, undersokelse_utfall); each result is
printed under its own name.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import polars as pl

SCORE = Path(__file__).resolve().parents[2] / "shared" / "heldout-dev" / "score.py"
PASSES = (
    {"melder": "aktualiseringstyp", "saksinnhold": "orsaker", "konklusjon": "atgard",
     "utfall": "atgardsgrupp"},
    {"melder": "aktualiseringstyp", "saksinnhold_gruppe": "orsaker",
     "undersokelse_konklusjon": "atgard", "undersokelse_utfall": "atgardsgrupp"},
)  # fmt: skip


def renamed(path: Path, names: dict[str, str], folder: Path) -> str:
    frame = pl.read_csv(path, infer_schema_length=0)
    keep = [c for c in frame.columns if c not in names.values() or c in names]
    frame = frame.select(keep).rename({k: v for k, v in names.items() if k in frame.columns})
    out = folder / path.name
    frame.write_csv(out)
    return str(out)


def main() -> None:
    facit, export = Path(sys.argv[1]), Path(sys.argv[2])
    spec = importlib.util.spec_from_file_location(
        "score", sys.argv[3] if len(sys.argv) > 3 else SCORE
    )
    assert spec is not None
    assert spec.loader is not None
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    for names in PASSES:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "facit").mkdir()
            result = score.score(
                renamed(facit, names, folder / "facit"), renamed(export, names, folder)
            )
        back = {v: k for k, v in names.items()}
        for key, value in result.items():
            print(back.get(key, key), value)


if __name__ == "__main__":
    main()
