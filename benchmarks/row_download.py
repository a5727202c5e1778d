"""Benchmark: the analysts' download of every referral row (2023 and 2024, 440 000 rows) from
gunicorn (2 workers, or --workers), while a light page is asked for every 100 ms.

Run: .venv/bin/python benchmarks/row_download.py [--data-dir DIR] [--formats xlsx,csv,sav]
                                                  [--workers 2] [--threads 1]
Without --data-dir it generates both national referral sets (`nuso synth`'s national set for
2023 and 2024) and imports them into a fresh embedded data directory (a few minutes); with
one, it uses (or first fills) that directory. It creates an analyst with a one-time-code
device, starts gunicorn (`nuso.web.gunicorn`'s settings), waits until the workers have the
tables ready, logs in over HTTP, and then, for each format:
- asks for /portal/riket/aktualiseringar/rader.FORMAT: the time to the answer (a page saying
  the file is being prepared, for Excel and SPSS; the first bytes, for CSV),
- for a prepared file, asks the page's status every 0.5 s until it is ready, then fetches it,
- the time from asking to having the whole file, its size and rows (Excel read back),
while a second thread asks for /portal/tabeller/aktualiseringar/version.json (a light,
logged-in page) every 100 ms and records how long each answer took. Printed: the longest and
the 95th percentile of those waits during the download, and the same for 5 s before it.

Targets (issue 17, item 8): the national rows as Excel in <= 30 s; no request to the web
server waits more than a second meanwhile.
"""

from __future__ import annotations

import argparse
import base64
import http.cookiejar
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
ANALYST = {"username": "benchmark-analytiker", "password": "ett långt lösenord för mätning"}
STUDY = "aktualiseringar"


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUSO_")}
    env.pop("DATABASE_URL", None)
    env["NUSO_DATA_DIR"] = str(data_dir)
    return env


def nuso(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "nuso", *args]  # our own program, our own arguments
    subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603


def fill(data_dir: Path) -> None:
    """Both national referral sets generated and imported, unless there already."""
    env = environment(data_dir)
    if (data_dir / "nuso.sqlite3").exists():
        return
    from nuso.core.synth.referral_exports import write_referral_exports

    nuso(env, "init")
    for year in ("2023", "2024"):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            result = write_referral_exports(Path(folder), national=True, year=int(year))
            nuso(env, "import", str(Path(folder) / "exporter"), "--study", STUDY, "--period", year)
            print(f"{year}: {result.rows} rows generated and imported in "
                  f"{time.perf_counter() - start:.0f} s")  # fmt: skip


def analyst_secret(data_dir: Path) -> str:
    """The benchmark's analyst (made once), its authenticator's secret in base32."""
    script = (
        "import django, base64; django.setup()\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        "from nuso.accounts.models import User\n"
        f"user = User.objects.filter(username={ANALYST['username']!r}).first()\n"
        f"user = user or User.objects.create_user({ANALYST['username']!r}, "
        f"password={ANALYST['password']!r}, role=User.Role.ANALYST)\n"
        "device = TOTPDevice.objects.filter(user=user, name='default').first() or "
        "TOTPDevice.objects.create(user=user, name='default', confirmed=True)\n"
        "print(base64.b32encode(device.bin_key).decode())\n"
    )
    env = environment(data_dir) | {"DJANGO_SETTINGS_MODULE": "nuso.settings"}
    done = subprocess.run([sys.executable, "-c", script], env=env, check=True,  # noqa: S603
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


class Session:
    """A logged-in session over HTTP (the two-step login, as portal_load.py does it)."""

    def __init__(self, secret: str) -> None:
        from django_otp.oath import totp

        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.login = urllib.request.build_opener(cookies)  # follows the login's redirects
        self.opener = urllib.request.build_opener(cookies, NoRedirect)
        self.login.open(f"{BASE}/account/login/").read()
        self.post({"login_view-current_step": "auth", "auth-username": ANALYST["username"],
                   "auth-password": ANALYST["password"]})  # fmt: skip
        code = f"{totp(base64.b32decode(secret)):06d}"
        self.post({"login_view-current_step": "token", "token-otp_token": code})

    def post(self, fields: dict[str, str]) -> None:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(f"{BASE}/account/login/", data, {"Referer": BASE})  # noqa: S310  (our own http://127.0.0.1 server)
        self.login.open(request).read()

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with self.opener.open(f"{BASE}{path}") as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as answer:
            return answer.code, dict(answer.headers), answer.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Probe(threading.Thread):
    """Asks for a light page every 100 ms; keeps (time asked, seconds to the answer)."""

    def __init__(self, session: Session) -> None:
        super().__init__(daemon=True)
        self.session, self.waits, self.stopping = session, [], threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            asked = time.perf_counter()
            status, _, _ = self.session.get(f"/portal/tabeller/{STUDY}/version.json")
            assert status == 200, status
            self.waits.append((asked, time.perf_counter() - asked))
            self.stopping.wait(max(0.0, 0.1 - (time.perf_counter() - asked)))

    def between(self, start: float, end: float) -> str:
        waits = sorted(w for asked, w in self.waits if start <= asked <= end)
        if not waits:
            return "no answers"
        p95 = waits[min(len(waits) - 1, int(0.95 * len(waits)))]
        return (f"{len(waits)} answers, longest {waits[-1]:.2f} s, p95 {p95:.2f} s, "
                f"median {statistics.median(waits):.3f} s")  # fmt: skip


def download(session: Session, format_: str) -> tuple[float, float, bytes]:
    """Asks for every row in the format; returns the seconds to the answer (the first bytes
    of a CSV, the page of a prepared file) and to the whole file, and the file."""
    path = f"/portal/riket/{STUDY}/rader.{format_}"
    start = time.perf_counter()
    if format_ == "csv":
        with session.opener.open(f"{BASE}{path}") as streamed:
            first = streamed.read(1)
            answered = time.perf_counter() - start
            body = first + streamed.read()
        return answered, time.perf_counter() - start, body
    status, headers, body = session.get(path)
    answered = time.perf_counter() - start
    if status == 200:  # written within the request (a small file, or the code before 2026-12)
        return answered, answered, body
    assert status == 302, (status, headers)
    page = headers["Location"]
    while (state := json.loads(session.get(page + "status.json")[2])["state"]) == "forbereds":
        time.sleep(0.5)
    assert state == "klar", state
    status, _, body = session.get(page + "fil")
    assert status == 200, status
    return answered, time.perf_counter() - start, body


def rows_in(format_: str, body: bytes) -> int:
    if format_ == "xlsx":
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0)
        return len(sheet.to_python()) - 1
    if format_ == "csv":
        return body.count(b"\n") - 1
    return -1  # SPSS: not read back here


def wait_for_tables(session: Session, server: subprocess.Popen[bytes]) -> float:
    """Until both workers' start-up computation of the tables is over (the store has them
    and each worker has read them): seconds waited."""
    start = time.perf_counter()
    for query in ("", "?riket=1"):
        address = f"/portal/tabeller/{STUDY}/version.json{query}"
        while json.loads(session.get(address)[2])["version"] is None:
            assert server.poll() is None, "gunicorn stopped"
            time.sleep(1)
    time.sleep(10)  # the other worker reads them from the store
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--formats", default="xlsx,csv,sav")
    parser.add_argument("--workers", default="2", help="gunicorn's workers: with 1, the light "
                        "page is asked of the very worker that serves the download")  # fmt: skip
    parser.add_argument("--threads", default="1", help="gunicorn's threads per worker (more "
                        "than 1: gthread workers, which serve a stream in a thread)")  # fmt: skip
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = options.data_dir or Path(folder) / "data"
        fill(data_dir)
        secret = analyst_secret(data_dir)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(  # noqa: S603
            [str(gunicorn), "-c", "python:nuso.web.gunicorn", "nuso.wsgi:application",
             "--workers", options.workers, "--threads", options.threads,
             "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
            env=environment(data_dir),
        )  # fmt: skip
        try:
            time.sleep(3)
            session = Session(secret)
            print(f"tables ready in both workers after {wait_for_tables(session, server):.0f} s")
            probe = Probe(Session(secret))
            probe.start()
            for format_ in options.formats.split(","):
                time.sleep(5)
                before = time.perf_counter()
                answered, whole, body = download(session, format_)
                end = time.perf_counter()
                print(f"{format_}: answered in {answered:.2f} s, whole file after {whole:.1f} s, "
                      f"{len(body) / 1e6:.1f} MB, {rows_in(format_, body)} rows")  # fmt: skip
                print(f"  light page meanwhile: {probe.between(before, end)}")
                print(f"  light page in the 5 s before: {probe.between(before - 5, before)}")
            probe.stopping.set()
            probe.join()
            load = os.getloadavg()
            print(f"load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} "
                  f"({os.cpu_count()} cores)")  # fmt: skip
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
