"""Scoring a harmonised export against a facit written apart from the project: per variable
the share of rows given a code (coverage) and the share of given codes that are right
(precision), rows lost and rows invented. The same measures as shared/heldout-dev/score.py,
by which the project is judged; reasons compare as sets."""

from __future__ import annotations

from pathlib import Path

import polars as pl

VARIABLES = ("kon", "alder", "aktualiseringstyp", "orsaker", "atgard", "atgardsgrupp")
KEY = ["fil", "flik", "rad"]


def load(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema_length=0)
    return frame.with_columns(pl.col("flik").fill_null(""), pl.col("rad").cast(pl.Int64))


def as_set(column: pl.Expr) -> pl.Expr:
    listed = column.fill_null("").str.split("|")
    return listed.list.eval(pl.element().filter(pl.element() != "")).list.sort().list.join("|")


def score(facit: Path, export: Path) -> dict[str, dict[str, float]]:
    truth, given = load(facit), load(export).select(KEY + list(VARIABLES))
    joined = truth.join(given, on=KEY, how="left", suffix="_x")
    scores: dict[str, dict[str, float]] = {
        "rader": {
            "förlorade": truth.height - truth.join(given, on=KEY, how="semi").height,
            "påhittade": given.join(truth, on=KEY, how="anti").height,
        }
    }
    for name in VARIABLES:
        right, got = pl.col(name), pl.col(f"{name}_x")
        if name == "orsaker":
            right, got = as_set(right), as_set(got)
        rows = joined.filter(right.fill_null("") != "")
        coded = rows.filter(got.fill_null("") != "")
        scores[name] = {
            "rader": rows.height,
            "täckning": coded.height / rows.height if rows.height else 1.0,
            "precision": coded.filter(got == right).height / coded.height if coded.height else 1.0,
        }
    scores["orsaker"]["påhittade"] = joined.filter(
        (pl.col("orsaker").fill_null("") == "") & (pl.col("orsaker_x").fill_null("") != "")
    ).height
    return scores


def merged_by_case(facit: Path, export_file: Path, case_column: str, out: Path) -> Path:
    """A facit with one line per referral where its author wrote one per row of a file in
    long format (a referral's other fields repeated on each of its reasons' rows), as the
    author says such a file is to be scored by a tool that merges them: the rows of one case
    number (`case_column`, wherever they stand) are its first row's, with every row's
    reasons."""
    import csv

    with export_file.open(encoding="cp1252", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    at = lines[0].index(case_column)
    case_of = {number: line[at] for number, line in enumerate(lines, 1) if len(line) > at}
    truth = pl.read_csv(facit, infer_schema_length=0)
    merged: list[dict[str, str | None]] = []
    heads: dict[str, dict[str, str | None]] = {}  # the file's first row of each case number
    for row in truth.iter_rows(named=True):
        if row["fil"] != export_file.name:
            merged.append(row)
            continue
        head = heads.get(case_of[int(row["rad"])])
        if head is None:
            heads[case_of[int(row["rad"])]] = head = dict(row)
            merged.append(head)
            continue
        reasons = [r for r in (head["orsaker"] or "").split("|") if r]
        more = [r for r in (row["orsaker"] or "").split("|") if r and r not in reasons]
        head["orsaker"] = "|".join(reasons + more) or None
    pl.DataFrame(merged, schema=truth.schema).write_csv(out)
    return out
