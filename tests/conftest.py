"""Shared fixtures: running the `nuso` command in-process and as a fresh process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from nuso.cli.main import main
from nuso.config import SETTINGS
from nuso.core.intake.personal_numbers import PersonalNumber

# Property tests check what holds, not how fast: no deadline per example, which on a busy
# machine (CI beside other work) failed examples that took 330 ms instead of 200.
hypothesis_settings.register_profile("nuso", deadline=None)
hypothesis_settings.load_profile("nuso")


@dataclass
class Result:
    exit_code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def in_the_default_language():
    """Every test starts in the portal's default language: the language middleware activates
    a request's language in the thread, and a test that calls the services directly after a
    bokmål page would otherwise get bokmål messages."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.activate("sv")


@pytest.fixture
def nuso(capsys: pytest.CaptureFixture[str], db: None, monkeypatch: pytest.MonkeyPatch):
    """Run `nuso ARGS` in this process, on the test database.

    The console is as wide as a wide terminal, so that tables do not fold their cells at a
    width that depends on the length of ids (batch numbers grow with the tests run before)."""
    monkeypatch.setenv("COLUMNS", "250")

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def clean_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a new user: no NUSO settings but a private data directory."""
    names = {setting.name for setting in SETTINGS}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in names
        and key.removesuffix("_FILE") not in names
        and key != "DJANGO_SETTINGS_MODULE"
    }
    env["NUSO_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


@pytest.fixture
def nuso_process(tmp_path: Path):
    """Run `nuso ARGS` as a separate process on an empty embedded data directory."""
    data_dir = tmp_path / "nuso-data"

    def run(*args: str, **env: str) -> Result:
        completed = subprocess.run(
            [sys.executable, "-m", "nuso", *args],
            env=clean_environment(data_dir, **env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    run.data_dir = data_dir  # type: ignore[attr-defined]
    return run


def log_in_with_code(client: Any, user: Any, password: str) -> Any:
    """The two-step login as a user does it: password, then the current TOTP code of the
    user's authenticator (created here when the user has none)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="default", confirmed=True
    )
    step = {"login_view-current_step": "auth", "auth-username": user.get_username()}
    first = client.post("/account/login/", {**step, "auth-password": password})
    assert first.status_code == 200, first.status_code
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    second = client.post("/account/login/", {"login_view-current_step": "token",
                         "token-otp_token": f"{code:06d}"})  # fmt: skip
    assert second.status_code == 302, second.content.decode()[:2000]
    return client


def make_user(name: str, role: str, units: list[Any]) -> Any:
    """A user of the role with the units, a long password and a confirmed authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nuso.accounts.models import User

    user = User.objects.create_user(name, password="ett långt lösenord 42", role=role)
    user.units.set(units)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def import_synthetic_referrals(nuso: Any, folder: Path, seed: int, units: int, rows: int) -> None:
    """`nuso init`, then a small synthetic referral set imported as municipalities' files."""
    from nuso.core.synth.referral_exports import write_referral_exports

    nuso("init")
    result = write_referral_exports(folder, seed=seed, unit_count=units, rows=rows)
    outcome = nuso("import", str(result.files[0].parent), "--study", "aktualiseringar",
                   "--period", "2023")  # fmt: skip
    assert outcome.exit_code == 0, outcome.out


def identity_number(born: dt.date, serial: int) -> str:
    """A made-up, valid personnummer (the check digit computed): no real person's."""
    return PersonalNumber(born, serial).formatted("long")


@pytest.fixture
def follow_up(nuso: Any) -> dict[str, Any]:
    from nuso.audit.services import Actor
    from nuso.collection.services import open_period
    from nuso.studies.models import Study
    from nuso.units.models import Unit

    assert nuso("init").exit_code == 0
    study = Study.objects.get(slug="insatsuppfoljning")
    period = open_period(study, "2026", Actor.command_line())
    karlstad, lund = Unit.objects.get(code="1780"), Unit.objects.get(code="1281")
    worker = make_user("handlaggare_karlstad", "handlaggare", [karlstad])
    other = make_user("handlaggare_lund", "handlaggare", [lund])
    return {"study": study, "period": period, "unit": karlstad, "worker": worker,
            "other": other, "other_unit": lund}  # fmt: skip


# A small Norwegian study (country NO) for the tests of what Norwegian units get, until a
# Norwegian study ships: the shape of a study of reports to the child welfare services, its
# categories its own (bokmål labels), so that it needs no Norwegian codebook.
NORWEGIAN_STUDY = """\
slug: meldinger_prove
number: 90
name: Meldinger
description: Meldinger til barnevernstjenesten (en prøvestudie for testene).
country: NO
source: export
period: calendar_year
variables:
  - name: kjonn
    label: Kjønn
    type: category
    aliases: [kjønn]
    categories: {jente: Jente, gutt: Gutt}
  - {name: alder, label: Alder, type: integer, min: 0, max: 17, aliases: [alder]}
  - name: melder
    label: Melder
    type: category
    aliases: [melder]
    categories: {skole: Skole, politi: Politi, helsestasjon: Helsestasjon, foreldre: Foreldre}
  - name: utfall
    label: Utfall av meldingen
    type: category
    aliases: [utfall]
    categories: {undersokelse: Undersøkelse, henlagt: Henlagt}
derived:
  - {name: aldersgrupp, label: Aldersgruppe, from: alder, codebook: aldersgrupp}
tables:
  - name: undersokelse
    title: Andel meldinger som fører til undersøkelse
    kind: share
    outcome:
      {name: undersokelse, label: Fører til undersøkelse, variable: utfall, values: [undersokelse]}
    sentence: "fører {andel} av meldingene til undersøkelse"
    key_figure: Andel meldinger som fører til undersøkelse
  - {name: melder, title: Melder, kind: distribution, dimensions: [melder]}
  - {name: kjonn, title: Kjønn, kind: distribution, dimensions: [kjonn]}
  - {name: aldersgrupp, title: Aldersgruppe, kind: distribution, dimensions: [aldersgrupp]}
  - name: undersokelse_per_melder
    title: Andel som fører til undersøkelse per melder
    kind: share
    dimensions: [melder]
    outcome:
      {name: undersokelse, label: Fører til undersøkelse, variable: utfall, values: [undersokelse]}
"""
# national code: (name, reports a year, share leading to an investigation); three fylker
NORWEGIAN_UNITS = {
    "1804": ("Bodø", 120, 0.40), "1806": ("Narvik", 60, 0.45), "1860": ("Vestvågøy", 110, 0.62),
    "1865": ("Vågan", 40, 0.40), "5501": ("Tromsø", 100, 0.42), "0301": ("Oslo", 150, 0.38),
}  # fmt: skip


def import_norwegian_reports(nuso: Any, folder: Path, seed: int = 1) -> None:
    """`nuso init`, the small Norwegian study added, and synthetic reports of its units for
    2023 and 2024 (1 160 rows) imported as the units' files."""
    import random

    assert nuso("init").exit_code == 0
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meldinger.yaml").write_text(NORWEGIAN_STUDY, "utf-8")
    added = nuso("study", "add", str(folder / "meldinger.yaml"))
    assert added.exit_code == 0, added.err
    rng = random.Random(seed)
    for period in ("2023", "2024"):
        for name, count, rate in NORWEGIAN_UNITS.values():
            rows = ["Kjønn;Alder;Melder;Utfall"] + [
                f"{rng.choice(('Jente', 'Gutt'))};{rng.randrange(18)};"
                f"{rng.choices(('Skole', 'Politi', 'Helsestasjon', 'Foreldre'), (4, 3, 2, 1))[0]};"
                f"{'Undersøkelse' if rng.random() < rate else 'Henlagt'}"
                for _ in range(count)
            ]
            export = folder / period / f"{name} {period}.csv"
            export.parent.mkdir(exist_ok=True)
            export.write_text("\n".join(rows) + "\n", "utf-8")
        imported = nuso("import", str(folder / period), "--study", "meldinger_prove",
                        "--period", period)  # fmt: skip
        assert imported.exit_code == 0, imported.out + imported.err
