"""Benchmark: a social worker's registration form under load, served by 2 gunicorn workers on
PostgreSQL: the form page (GET) and the draft saved as it is typed (POST of the whole form,
as the page's script sends it), each requested by several simulated workers at once.

Run: .venv/bin/python benchmarks/forms_load.py [--requests 400] [--concurrency 4]
It creates a fresh PostgreSQL database on 127.0.0.1:5432 (trust auth), runs `nuso init`,
opens a collection period of the follow-up study, creates a social worker with a confirmed
authenticator and one draft per simulated worker, starts gunicorn (2 workers), logs in with a
one-time code, warms both workers, then times the requests from this process. Target (issue
19): p95 < 150 ms for both. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from portal_load import admin, environment, log_in

PORT = 8766
SETUP = """
import base64, json, sys
import django
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from nuso.accounts.models import User
from nuso.audit.services import Actor
from nuso.collection import services
from nuso.studies.models import Study
from nuso.units.models import Unit
study = Study.objects.get(slug="insatsuppfoljning")
services.open_period(study, "2026", Actor.command_line())
user = User.objects.create_user("bench", password="benchmark lösenord 42", role="handlaggare")
user.units.set([Unit.objects.get(code="1780")])
device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
drafts = [services.start(user, study, "1780", "beslut").pk for _ in range(int(sys.argv[1]))]
print(json.dumps({"username": "bench", "password": "benchmark lösenord 42",
                  "totp_secret": base64.b32encode(bytes.fromhex(device.key)).decode(),
                  "drafts": drafts}))
"""

ANSWERS = {
    "beslutsdatum": "2026-03-02", "alder": "10", "ursprung": "svenskfodd", "kon": "flicka",
    "ensamkommande": "nej", "riskbedomning": "hog", "insatstyp": "familjehem",
    "utsatthet_hemmet": ["fysiskt_vald", "familjekonflikt"], "samtal_med_barnet": ["enskilt"],
    "sip": "ja", "halsoundersokning": "ja", "skolsituation": "nar_kunskapskraven",
}  # fmt: skip


def timed(request: urllib.request.Request) -> tuple[float, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own server)
        response.read()
        return time.perf_counter() - start, int(response.status)


def run(make, count: int, concurrency: int) -> tuple[list[float], list[int]]:
    """`count` requests from `concurrency` threads; each thread makes its own (its draft)."""
    waits: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        for at in range(count // concurrency):
            wait, status = timed(make(number, at))
            with lock:
                waits.append(wait)
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(waits), statuses


def summary(name: str, waits: list[float], statuses: list[int], seconds: float) -> str:
    def at(share: float) -> float:
        return waits[min(len(waits) - 1, int(share * len(waits)))] * 1000

    bad = sum(1 for s in statuses if s != 200)
    return (f"{name}: {len(waits)} requests in {seconds:.1f} s ({len(waits) / seconds:.0f}/s); "
            f"p50 {at(0.5):.0f} ms, p95 {at(0.95):.0f} ms (target < 150 ms), "
            f"p99 {at(0.99):.0f} ms; non-200 {bad}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    options = parser.parse_args()
    database = f"nuso_forms_{int(time.time())}"
    admin(f'CREATE DATABASE "{database}"')
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = environment(database, Path(folder))
            subprocess.run([sys.executable, "-m", "nuso", "init"], env=env, check=True,
                           capture_output=True)  # fmt: skip
            made = subprocess.run(  # noqa: S603
                [sys.executable, "-c", SETUP, str(options.concurrency)],
                env={**env, "DJANGO_SETTINGS_MODULE": "nuso.settings"},
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            account = json.loads(made.stdout.strip().splitlines()[-1])
            gunicorn = Path(sys.executable).with_name("gunicorn")
            server = subprocess.Popen(  # noqa: S603
                [str(gunicorn), "-c", "python:nuso.web.gunicorn", "nuso.wsgi:application",
                 "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
                env=env,
            )  # fmt: skip
            time.sleep(3)
            base = f"http://127.0.0.1:{PORT}"
            cookie = log_in(base, account)
            csrf = next(
                p.split("=", 1)[1] for p in cookie.split("; ") if p.startswith("csrftoken=")
            )
            drafts = account["drafts"]

            def page(number: int, at: int) -> urllib.request.Request:
                url = f"{base}/registrera/{drafts[number]}/"
                return urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310

            def save(number: int, at: int) -> urllib.request.Request:
                fields = [("_fragor", name) for name in ANSWERS]
                for name, value in ANSWERS.items():
                    for each in value if isinstance(value, list) else [value]:
                        fields.append((name, each))
                fields.append(("alder", str(8 + at % 3)))  # a change each time
                data = urllib.parse.urlencode(fields).encode()
                url = f"{base}/registrera/{drafts[number]}/spara.json"
                headers = {"Cookie": cookie, "X-CSRFToken": csrf, "Referer": base}
                return urllib.request.Request(url, data, headers)  # noqa: S310

            run(page, 4 * options.concurrency, options.concurrency)  # warm both workers
            run(save, 4 * options.concurrency, options.concurrency)
            print(f"2 gunicorn workers on PostgreSQL; {options.concurrency} workers at once")
            for name, make in (("form page (GET)", page), ("draft save (POST)", save)):
                start = time.perf_counter()
                waits, statuses = run(make, options.requests, options.concurrency)
                print("  " + summary(name, waits, statuses, time.perf_counter() - start))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
