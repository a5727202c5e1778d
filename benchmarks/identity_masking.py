"""Benchmark: masking identity numbers in many cells at once, in one process (CPU time, best of N).

Run: .venv/bin/python benchmarks/identity_masking.py [--seed 4711] [--repeat 5]
Prints the time `nuso.core.intake.masking.masked_texts` takes over every distinct text of the
national referral set's columns that may hold a number (as the import masks them), and over
90 000 identity-number cells of made-up Swedish numbers against 90 000 Norwegian ones (plain,
with a space or a dash, and some stored as numbers without their leading zero), with what the
records then read from each row's number (birth date, sex). No real person's number: the
Norwegian ones are made with python-stdnum's check digits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stdnum.no import fodselsnummer

from nuso.core.intake.masking import masked_texts
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.pseudonyms import born_of, may_hold_numbers, sex_of
from nuso.core.intake.reading import read_file
from nuso.core.synth.referral_exports import write_referral_exports

KEY = "benchmark-" + "0123456789" * 4
TODAY = dt.date(2026, 12, 3)
CELLS = 90_000


def best(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def national_texts(seed: int) -> set[str]:
    """The distinct texts of the national set's columns that may hold a number."""
    with tempfile.TemporaryDirectory() as folder:
        write_referral_exports(Path(folder), national=True, seed=seed)
        columns = []
        for path in sorted((Path(folder) / "exporter").iterdir()):
            for sheet in read_file(path).sheets:
                width = max((len(row) for row in sheet.rows), default=0)
                columns += [
                    [r[c] if c < len(r) else None for r in sheet.rows] for c in range(width)
                ]
    return {cell for column in columns if may_hold_numbers(column) for cell in column if cell}


def norwegian_cells(rng: random.Random) -> set[str]:
    cells: set[str] = set()
    while len(cells) < CELLS:
        born = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(6000))
        nine = f"{born:%d%m%y}{rng.randrange(500, 1000):03d}"
        first = fodselsnummer.calc_check_digit1(nine)
        number = nine + first + fodselsnummer.calc_check_digit2(nine + first)
        if len(number) == 11:
            separator = rng.choice(["", " ", "-"])
            stored = number[0] == "0" and rng.random() < 0.5  # kept as a number: ten digits
            cells.add(number[1:] if stored else f"{number[:6]}{separator}{number[6:]}")
    return cells


def swedish_cells(rng: random.Random) -> set[str]:
    cells: set[str] = set()
    while len(cells) < CELLS:
        born = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(6000))
        style = rng.choice(["long", "long_plain", "short"])
        cells.add(PersonalNumber(born, rng.randrange(1000)).formatted(style))
    return cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=4711)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    repeat = arguments.repeat
    texts = national_texts(arguments.seed)
    seconds = best(lambda: masked_texts(texts, KEY, TODAY), repeat)
    print(f"national set: {len(texts)} distinct texts that may hold numbers: {seconds:.2f} s")
    rng = random.Random(20)  # noqa: S311 - made-up numbers, not secrets
    for country, cells in (("Swedish", swedish_cells(rng)), ("Norwegian", norwegian_cells(rng))):
        found = masked_texts(cells, KEY, TODAY)
        canonicals = [m.canonical for m in found.values() if m.canonical]
        masking = best(lambda cells=cells: masked_texts(cells, KEY, TODAY), repeat)
        reading = best(lambda c=canonicals: [(born_of(n), sex_of(n)) for n in c], repeat)
        print(f"{CELLS} {country} identity cells ({len(canonicals)} valid): masked "
              f"{masking:.2f} s, birth date and sex read {reading:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
