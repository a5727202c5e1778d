"""The `nuso` command as a user meets it."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.conf import settings

from nuso.audit.models import AuditEntry
from nuso.cli.main import command_names
from nuso.core.harmonise.codebook import shipped_codebook
from nuso.core.harmonise.dictionary import shipped_dictionaries
from nuso.intake.models import ImportBatch
from nuso.studies.models import CodebookEntry, CodebookVersion, Study
from nuso.units.models import County, Unit

EXPECTED_COMMANDS = {
    "apinyckel",
    "codebook",
    "demo",
    "init",
    "reference",
    "serve",
    "study",
    "synth",
    "tables",
}


def table_counts() -> dict[str, int]:
    models = (County, Unit, Study, CodebookVersion, CodebookEntry, ImportBatch)
    return {model.__name__: model.objects.count() for model in models}


def test_help_lists_every_command(nuso) -> None:
    result = nuso("--help")
    assert result.exit_code == 0
    assert set(command_names()) >= EXPECTED_COMMANDS
    listed = {line.split()[0] for line in result.out.splitlines() if line.startswith("  ")}
    assert listed == set(command_names()) | {"manage"}


@pytest.mark.parametrize("name", sorted(EXPECTED_COMMANDS))
def test_every_command_has_swedish_help(nuso, name: str) -> None:
    result = nuso(name, "--help")
    assert result.exit_code == 0
    assert f"användning: nuso {name}" in result.out
    assert "flaggor:" in result.out


@pytest.mark.parametrize("args", [("--help",), ("import", "--help"), ("tables", "-h")])
def test_help_works_on_a_new_machine_and_creates_nothing(nuso_process, args) -> None:
    """As a separate process, before any data directory exists: the help of every command
    is loaded with Django's models, and asking for it must not create the data directory."""
    result = nuso_process(*args)
    assert result.exit_code == 0, result.err
    assert "användning: nuso" in result.out
    assert not nuso_process.data_dir.exists()


@pytest.mark.parametrize("args", [("import",), ("synth", "aktualiseringar", "--national")])
def test_a_missing_argument_is_a_usage_message_not_a_traceback(nuso, args) -> None:
    result = nuso(*args)
    assert result.exit_code == 2
    assert "saknas" in result.err
    assert "Traceback" not in result.err


def test_ctrl_c_says_in_swedish_what_was_kept(nuso, monkeypatch) -> None:
    """An interrupted command ends with a message and the shell's code for Ctrl+C, not a
    traceback; an import keeps the files stored before it was stopped."""
    from nuso.cli import main

    def interrupted(name: str, rest: list[str]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(main, "run_command", interrupted)
    result = nuso("import", "filer", "--study", "aktualiseringar", "--period", "2023")
    assert result.exit_code == 130
    assert "avbrutet" in result.err
    assert "Traceback" not in result.err


def test_an_unknown_command_says_so(nuso) -> None:
    result = nuso("imprt")
    assert result.exit_code == 2
    assert "okänt kommando 'imprt'" in result.err


def test_init_twice_leaves_one_copy_of_everything(nuso) -> None:
    assert nuso("init").exit_code == 0
    first = table_counts()
    assert nuso("init").exit_code == 0
    assert table_counts() == first
    # Sweden's municipalities and Stockholm's and Göteborg's districts; Norway's municipalities
    assert first["Unit"] == 290 + 23 + 357
    assert Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY, country="SE").count() == 290
    assert Unit.objects.filter(country="NO").count() == 357
    assert first["County"] == 21 + 15
    assert first["Study"] == len(shipped_dictionaries(shipped_codebook()))  # every shipped study
    assert first["CodebookVersion"] == 1


def test_reference_list_csv_holds_290_municipalities(nuso) -> None:
    nuso("init")
    result = nuso("reference", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert result.exit_code == 0
    assert list(rows[0]) == [
        "kommunkod", "kommun", "lan_kod", "lan", "folkmangd", "folkmangd_ar", "kommungrupp",
        "kommunstorlek", "land",
    ]  # fmt: skip
    assert len(rows) == 290
    karlstad = next(row for row in rows if row["kommunkod"] == "1780")
    assert karlstad["kommun"] == "Karlstad"
    assert karlstad["lan"] == "Värmlands län"
    assert karlstad["kommungrupp"] == "B3"
    assert karlstad["kommunstorlek"] == "40k_100k"
    assert sum(int(row["folkmangd"]) for row in rows) == 10_587_710  # SCB's national total


def test_reference_list_can_include_city_districts(nuso) -> None:
    nuso("init")
    result = nuso("reference", "list", "--format", "csv", "--stadsdelar")
    rows = {row["kommunkod"]: row for row in csv.DictReader(io.StringIO(result.out))}
    assert len(rows) == 313
    assert rows["0180-02"]["kommun"] == "Spånga-Tensta"
    assert rows["0180-02"]["lan"] == "Stockholms län"
    assert rows["1480-01"]["kommunstorlek"] == "over_100k"  # Göteborg's, lacking its own


def test_reference_table_shows_the_count(nuso) -> None:
    nuso("init")
    result = nuso("reference", "list")
    assert "290 enheter" in result.out
    assert "Karlstad" in result.out


def test_reference_load_updates_and_logs(nuso, tmp_path) -> None:
    nuso("init")
    table = tmp_path / "scb-2025.csv"
    table.write_text("kommunkod;folkmangd;folkmangd_ar\n1780;99 123;2025\n", encoding="utf-8")
    result = nuso("reference", "load", str(table))
    assert result.exit_code == 0, result.err
    assert "1 kommuner ändrade" in result.out
    karlstad = Unit.objects.get(code="1780")
    assert (karlstad.population, karlstad.population_year) == (99_123, 2025)
    entry = AuditEntry.objects.get(action="reference.load")
    assert entry.details["changed_codes"] == ["1780"]
    assert entry.actor_label.startswith("cli:")


def test_reference_load_with_errors_changes_nothing(nuso, tmp_path) -> None:
    nuso("init")
    table = tmp_path / "blandat.csv"
    table.write_text("kommunkod,folkmangd\n1780,1\n0000,5\n1784,-3\n", encoding="utf-8")
    result = nuso("reference", "load", str(table))
    assert result.exit_code == 1
    assert "blandat.csv, rad 3, kolumn 'kommunkod', värde '0000'" in result.err
    assert "blandat.csv, rad 4, kolumn 'folkmangd', värde '-3'" in result.err
    assert Unit.objects.get(code="1780").population == 98_084  # the valid row was not applied
    assert not AuditEntry.objects.exists()


def test_reference_load_dry_run_saves_nothing(nuso, tmp_path) -> None:
    nuso("init")
    table = tmp_path / "grupper.csv"
    table.write_text("kommunkod,kommungrupp\n1780,A1\n", encoding="utf-8")
    result = nuso("reference", "load", str(table), "--dry-run")
    assert "Inget sparat" in result.out
    assert Unit.objects.get(code="1780").municipality_group == "B3"


def test_init_does_not_undo_a_newer_reference_load(nuso, tmp_path) -> None:
    nuso("init")
    table = tmp_path / "ny.csv"
    table.write_text("kommunkod,folkmangd,folkmangd_ar,kommungrupp\n1780,100500,2026,A1\n")
    nuso("reference", "load", str(table))
    nuso("init")
    karlstad = Unit.objects.get(code="1780")
    assert (karlstad.population, karlstad.municipality_group) == (100_500, "A1")
    assert karlstad.size_band == "over_100k"


def test_demo_imports_synthetic_data_and_reports_key_figures(nuso) -> None:
    result = nuso("demo", "--liten", "--no-serve")
    assert result.exit_code == 0, result.err
    assert "Kommuner" in result.out
    assert "290" in result.out
    assert f"version {shipped_codebook().version}" in result.out
    registered = re.search(r"Registrerade (\d+) uppföljningar av insatser via API:t", result.out)
    assert registered, result.out
    from nuso.collection.models import Registration

    count = int(registered[1])
    assert count == Registration.objects.filter(status="submitted").count() > 0
    records = f"{15_000 + count:,}".replace(",", "\u00a0")  # two years of 6 000, survey 3 000
    assert re.search(rf"Poster +{records} *\n", result.out), result.out
    assert "Andel avslutade insatser där risken var lägre än vid beslutet (2026): " in result.out
    assert "Andel aktualiseringar som leder till utredning (2023): " in result.out
    assert "Andel aktualiseringar som leder till utredning (2024): " in result.out
    assert "Andel utredningar med biståndsbeslutad insats" in result.out
    again = nuso("demo", "--liten", "--no-serve")  # a second run imports nothing more
    assert re.search(rf"Poster +{records} *\n", again.out), again.out
    assert "Registrerade" not in again.out
    accounts = json.loads((settings.NUSO_DATA_DIR / "demo-users.json").read_text("utf-8"))
    assert {a["role"] for a in accounts} == {"kommun", "handlaggare", "analytiker", "administrator"}
    assert set(accounts[0]) == {"username", "password", "totp_secret", "role", "units"}
    for account in accounts:  # whole, though the output is no terminal (not wrapped or cut)
        assert len(account["totp_secret"]) == 32
        assert account["totp_secret"] in result.out.split()
        assert account["password"] in result.out.split()
    assert again.out.count(accounts[0]["password"]) == 1  # the same accounts again
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username=accounts[0]["username"]).delete()
    repaired = nuso("demo", "--liten", "--no-serve")  # an account without its device is remade
    assert accounts[0]["password"] not in repaired.out
    assert TOTPDevice.objects.filter(
        user__username=accounts[0]["username"], name="default"
    ).exists()


def test_demo_accounts_print_their_secrets_whole_on_a_narrow_output_that_is_no_terminal() -> None:
    import io

    from nuso.cli.base import SafeConsole
    from nuso.cli.management.commands.demo import print_accounts

    output = io.StringIO()
    console = SafeConsole(file=output, width=30, highlight=False, soft_wrap=True)
    assert not console.is_terminal
    secret, password = "5TS45IRIBX3JAWJPNCHSHIH37FSPDZO4", "a-b_[bold]c" + "x" * 30
    accounts = [{"username": "demo-analytiker", "password": password, "totp_secret": secret,
                 "role": "analytiker", "units": []}]  # fmt: skip
    print_accounts(console, accounts)
    lines = output.getvalue().splitlines()
    assert f"    TOTP-hemlighet: {secret}" in lines
    assert f"    lösenord: {password}" in lines


def test_synth_writes_exports_and_facit(nuso, tmp_path) -> None:
    out = tmp_path / "syntes"
    result = nuso(
        "synth", "aktualiseringar", "--out", str(out), "--municipalities", "4", "--rows", "200"
    )
    assert result.exit_code == 0, result.err
    assert "4 exportfiler i" in result.out
    assert "Hur rörigt det blev" in result.out
    # the exports apart from the facit, so that importing their folder reads exports only
    assert len(list((out / "exporter").iterdir())) == 4
    assert sorted(p.name for p in out.iterdir()) == ["exporter", "facit.csv"]


def test_synth_refuses_rows_with_national(nuso, tmp_path) -> None:
    result = nuso("synth", "aktualiseringar", "--out", str(tmp_path), "--national", "--rows", "9")
    assert result.exit_code == 1
    assert "--rows kan inte kombineras med --national" in result.err
