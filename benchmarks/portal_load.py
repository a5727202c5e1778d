"""Benchmark: the municipal dashboard under load, served by 2 gunicorn workers on PostgreSQL
with both national synthetic sets loaded, measured by ApacheBench (`ab`, Debian's
apache2-utils) from a second process.

Run: .venv/bin/python benchmarks/portal_load.py [--requests 600] [--concurrency 4]
It creates a fresh PostgreSQL database on 127.0.0.1:5432 (trust auth), runs `nuso init` and
`nuso demo --no-serve` there (generating and importing both national sets, creating the demo
accounts), starts gunicorn, logs in as the demo municipal user with a one-time code, warms
both workers, then lets `ab` request the dashboard. Targets (issue 6): p95 <= 300 ms and
>= 30 requests/s. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import base64
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
from django_otp.oath import totp

SERVER = "postgresql://postgres@127.0.0.1:5432"
PORT = 8765


def environment(database: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUSO_")}
    env |= {"DATABASE_URL": f"{SERVER}/{database}", "NUSO_DATA_DIR": str(data_dir),
            "NUSO_SECRET_KEY": "benchmark-secret-key-0123456789abcdefghij",
            "NUSO_PSEUDONYM_KEY": "benchmark-pseudonym-key-0123456789abcdefgh"}  # fmt: skip
    return env


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def log_in(base: str, account: dict[str, str]) -> str:
    """The two-step login over HTTP; returns the Cookie header of the verified session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(fields: dict[str, str]) -> str:
        token = next(c.value for c in jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(f"{base}/account/login/", data, {"Referer": base})  # noqa: S310  (our own http://127.0.0.1 server)
        return opener.open(request).read().decode()

    opener.open(f"{base}/account/login/").read()
    post({"login_view-current_step": "auth", "auth-username": account["username"],
          "auth-password": account["password"]})  # fmt: skip
    key = base64.b32decode(account["totp_secret"])
    post({"login_view-current_step": "token", "token-otp_token": f"{totp(key):06d}"})
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def status_of(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def users_with_think_time(url: str, cookie: str, users: int, seconds: int) -> None:
    """Users who read what they asked for: each asks, waits for the page, reads it for 5-15 s
    (uniform), asks again. Prints p50/p95/p99 of the waits and the errors."""
    import random
    import threading

    waits: list[float] = []
    errors: list[int] = []
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def user(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 (think times, not secrets)
        time.sleep(rng.uniform(0, 10))  # users arrive over the first ten seconds
        while time.perf_counter() < stop:
            start = time.perf_counter()
            status = status_of(url, cookie)
            with lock:
                waits.append(time.perf_counter() - start)
                if status != 200:
                    errors.append(status)
            time.sleep(rng.uniform(5, 15))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(waits)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    print(f"{users} users reading 5-15 s between pages for {seconds} s: {len(waits)} requests "
          f"({len(waits) / seconds:.1f}/s); p50 {at(0.5):.0f} ms, p95 {at(0.95):.0f} ms "
          f"(target <= 300 ms), p99 {at(0.99):.0f} ms; errors {len(errors)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--restart-postgres", action="store_true",
        help="restart the PostgreSQL server (pg_ctlcluster) while the load runs, then check "
        "that requests recover without restarting the workers",
    )  # fmt: skip
    parser.add_argument(
        "--users", type=int, default=0,
        help="instead of ab: this many simulated users, each asking the page, then reading "
        "it for a random 5-15 s, for --seconds",
    )  # fmt: skip
    parser.add_argument("--seconds", type=int, default=90)
    options = parser.parse_args()
    if shutil.which("ab") is None:
        sys.exit("ab is missing: apt-get install apache2-utils")
    database = f"nuso_bench_{int(time.time())}"
    admin(f'CREATE DATABASE "{database}"')
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = environment(database, Path(folder))
            nuso = [sys.executable, "-m", "nuso"]
            subprocess.run([*nuso, "init"], env=env, check=True, capture_output=True)  # noqa: S603
            start = time.perf_counter()
            subprocess.run([*nuso, "demo", "--no-serve"], env=env, check=True, capture_output=True)  # noqa: S603
            print(
                f"nuso demo on PostgreSQL (both national sets): {time.perf_counter() - start:.0f} s"
            )
            accounts = json.loads((Path(folder) / "demo-users.json").read_text("utf-8"))
            municipal = next(a for a in accounts if a["role"] == "kommun")
            gunicorn = Path(sys.executable).with_name("gunicorn")
            server = subprocess.Popen(  # noqa: S603
                [str(gunicorn), "-c", "python:nuso.web.gunicorn", "nuso.wsgi:application",
                 "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
                env=env,
            )  # fmt: skip
            time.sleep(3)
            base = f"http://127.0.0.1:{PORT}"
            cookie = log_in(base, municipal)
            url = f"{base}/portal/enhet/{municipal['units'][0]}/aktualiseringar/"
            warm = ["ab", "-n", "8", "-c", "2", "-C", cookie, url]  # both workers cache the tables
            subprocess.run(warm, capture_output=True, check=True)  # noqa: S603
            load = ["ab", "-n", str(options.requests), "-c", str(options.concurrency), "-C",
                    cookie, url]  # fmt: skip
            if options.users:
                users_with_think_time(url, cookie, options.users, options.seconds)
                return
            if options.restart_postgres:
                load[1:1] = ["-l", "-r"]  # error pages differ in length; go on after errors
                workers = worker_pids(server.pid)
                running = subprocess.Popen(load, stdout=subprocess.PIPE, text=True)  # noqa: S603
                time.sleep(2)
                restarted = time.perf_counter()
                subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)  # noqa: S607
                print(f"PostgreSQL restarted in {time.perf_counter() - restarted:.1f} s "
                      "while the load ran")  # fmt: skip
                result = running.communicate()[0]
                statuses = sorted({status_of(url, cookie) for _ in range(20)})
                same = "the same" if worker_pids(server.pid) == workers else "CHANGED"
                print(f"  after the restart: 20 requests, statuses {statuses}; workers {same}")
            else:
                result = subprocess.run(load, capture_output=True, text=True, check=True).stdout  # noqa: S603
            failed = re.search(r"Failed requests:\s+(\d+)", result)
            non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", result)
            rate = re.search(r"Requests per second:\s+([\d.]+)", result)
            p95 = re.search(r"\s95%\s+(\d+)", result)
            p50 = re.search(r"\s50%\s+(\d+)", result)
            size = re.search(r"Document Length:\s+(\d+)", result)
            print(f"dashboard {url.removeprefix(base)}: {options.requests} requests, "
                  f"concurrency {options.concurrency}, {size and size[1]} bytes each")  # fmt: skip
            p99 = re.search(r"\s99%\s+(\d+)", result)
            print(f"  {rate and rate[1]} requests/s (target >= 30); p50 {p50 and p50[1]} ms, "
                  f"p95 {p95 and p95[1]} ms (target <= 300 ms), p99 {p99 and p99[1]} ms; failed "
                  f"{failed and failed[1]}, non-2xx {non_2xx[1] if non_2xx else 0}")  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
