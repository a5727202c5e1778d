"""Benchmark: case systems delivering follow-up registrations over the API, to gunicorn on
PostgreSQL.

Run: .venv/bin/python benchmarks/api_ingest.py [--records 100000] [--batch 10000]
                                               [--workers 2] [--units 1]
It creates a fresh PostgreSQL database on 127.0.0.1:5432 (trust auth), runs `nuso init`, opens
the 2026 period of `insatsuppfoljning`, creates an API key for the units with `nuso apinyckel`,
starts gunicorn (`nuso.web.gunicorn`, --workers) and posts made-up records over HTTP in
batches: per child a decision and, in the same batch, its follow-up or closing (so that every
follow-up is linked), some answers given as labels. With --units N, N clients post at once,
one unit each. Prints each batch's time, the total and records per second (target, issue 19:
>= 2 000 records/s for 100 000 records in batches of 10 000), then the time to send the first
batch again (nothing added). The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

from nuso.core.intake.personal_numbers import PersonalNumber

SERVER = "postgresql://postgres@127.0.0.1:5432"
PORT = 8766
UNITS = ["1780", "1281", "0180", "1480"]  # Karlstad, Lund, Stockholm, Göteborg
RISKS = ["ingen_lag", "nagot_forhojd", "Hög risk", "mycket_hog"]
INTERVENTIONS = ["kontaktperson", "Kontaktfamilj", "familjehem", "hvb", "annan_oppenvard"]


def environment(database: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUSO_")}
    env |= {"DATABASE_URL": f"{SERVER}/{database}", "NUSO_DATA_DIR": str(data_dir),
            "NUSO_SECRET_KEY": "benchmark-secret-key-0123456789abcdefghij",
            "NUSO_PSEUDONYM_KEY": "benchmark-pseudonym-key-0123456789abcdefgh",
            "NUSO_API_CALLS_PER_MINUTE": "1000"}  # fmt: skip
    return env


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def records(count: int, seed: int, unit: str) -> list[dict[str, Any]]:
    """Two records per child: the decision, then its follow-up or closing."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    made: list[dict[str, Any]] = []
    for child in range(count // 2):
        born = dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(14 * 365))
        number = PersonalNumber(born, rng.randrange(1000)).formatted("long")
        decided = dt.date(2026, 1, 2) + dt.timedelta(days=rng.randrange(150))
        age = decided.year - born.year - ((decided.month, decided.day) < (born.month, born.day))
        intervention = rng.choice(INTERVENTIONS)
        case = f"{unit}-{child}"
        made.append({
            "id": f"{case}-beslut", "personnummer": number, "tillfalle": "beslut",
            "beslutsdatum": decided.isoformat(), "alder": age,
            "ursprung": rng.choice(["svenskfodd", "utlandsfodd", "vet_ej"]),
            "ensamkommande": rng.random() < 0.05,
            "utsatthet_hemmet": rng.sample(["fysiskt_vald", "Psykiskt våld", "familjekonflikt",
                                            "brister_i_omsorg"], rng.randrange(3)),
            "riskbedomning": rng.choice(RISKS), "insatstyp": intervention,
            "samtal_med_barnet": ["enskilt"], "sip": rng.choice([True, False, "vet_ej"]),
            "skolsituation": "nar_kunskapskraven",
        })  # fmt: skip
        later = min(decided + dt.timedelta(days=30 + rng.randrange(200)), dt.date(2026, 11, 30))
        closing = rng.random() < 0.5
        made.append({
            "id": f"{case}-{'avslut' if closing else 'uppfoljning'}", "personnummer": number,
            "tillfalle": "avslut" if closing else "uppfoljning",
            ("avslutsdatum" if closing else "uppfoljningsdatum"): later.isoformat(),
            "riskbedomning": rng.choice(RISKS), "beslutsdatum": decided.isoformat(),
            "insatstyp": intervention,
            **({"maluppfyllelse": rng.choice(["helt", "delvis", "inte"])} if closing else {}),
        })  # fmt: skip
    return made


def post(base: str, key: str, unit: str, batch: list[dict[str, Any]]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 (our own http://127.0.0.1 server)
        f"{base}/api/v1/studier/insatsuppfoljning/enheter/{unit}/poster",
        data=json.dumps({"poster": batch}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
        return json.loads(response.read())


def deliver(base: str, key: str, unit: str, made: list[dict[str, Any]], size: int,
            times: list[tuple[str, float, dict[str, Any]]]) -> None:  # fmt: skip
    for start in range(0, len(made), size):
        began = time.perf_counter()
        answer = post(base, key, unit, made[start : start + size])
        times.append((unit, time.perf_counter() - began, answer))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--units", type=int, default=1)
    options = parser.parse_args()
    database = f"nuso_bench_api_{int(time.time())}"
    admin(f'CREATE DATABASE "{database}"')
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = environment(database, Path(folder))
            nuso = [sys.executable, "-m", "nuso"]
            subprocess.run([*nuso, "init"], env=env, check=True, capture_output=True)  # noqa: S603
            opening = (
                "from nuso.audit.services import Actor; from nuso.studies.models import Study; "
                "from nuso.collection.services import open_period; open_period(Study.objects"
                ".get(slug='insatsuppfoljning'), '2026', Actor.command_line())"
            )
            subprocess.run([*nuso, "manage", "shell", "-c", opening], env=env, check=True)  # noqa: S603
            units = UNITS[: options.units]
            made = subprocess.run(  # noqa: S603
                [*nuso, "apinyckel", "skapa", "--namn", "benchmark", "--studie",
                 "insatsuppfoljning", *[a for unit in units for a in ("--kommun", unit)]],
                env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            key = made.stdout.strip().splitlines()[-1]
            gunicorn = Path(sys.executable).with_name("gunicorn")
            server = subprocess.Popen(  # noqa: S603
                [str(gunicorn), "-c", "python:nuso.web.gunicorn", "nuso.wsgi:application",
                 "--workers", str(options.workers), "--bind", f"127.0.0.1:{PORT}",
                 "--log-level", "warning"],
                env=env,
            )  # fmt: skip
            time.sleep(4)
            base = f"http://127.0.0.1:{PORT}"
            per_unit = options.records // len(units)
            data = {unit: records(per_unit, seed=at, unit=unit) for at, unit in enumerate(units)}
            times: list[tuple[str, float, dict[str, Any]]] = []
            began = time.perf_counter()
            clients = [
                threading.Thread(
                    target=deliver, args=(base, key, unit, data[unit], options.batch, times)
                )
                for unit in units
            ]
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            total = time.perf_counter() - began
            for unit, seconds, answer in times:
                print(
                    f"  unit {unit}: {answer['mottagna']} records in {seconds:.2f} s "
                    f"({answer['mottagna'] / seconds:.0f}/s): new {answer['nya']}, "
                    f"refused {answer['avvisade']}, awaiting review {answer['granskas']}"
                )
            sent = sum(answer["mottagna"] for _, _, answer in times)
            taken = sum(answer["nya"] for _, _, answer in times)
            linked = sum(
                1
                for _, _, answer in times
                for o in answer["poster"]
                if o.get("beslut") == "kopplad"
            )
            print(f"{sent} records in {len(times)} calls of {options.batch} over HTTP, "
                  f"{len(units)} client(s), {options.workers} gunicorn workers, PostgreSQL: "
                  f"{total:.1f} s, {sent / total:.0f} records/s (target >= 2000); "
                  f"{taken} stored, {linked} follow-ups linked")  # fmt: skip
            first = units[0]
            began = time.perf_counter()
            again = post(base, key, first, data[first][: options.batch])
            print(f"the first batch sent again: {time.perf_counter() - began:.2f} s, "
                  f"unchanged {again['oforandrade']}, new {again['nya']}")  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
