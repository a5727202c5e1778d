"""Strict settings: every bad value stops start-up with a message naming the variable."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from nuso import config
from nuso.config import SettingsError
from nuso.core.intake.limits import ReadLimits

KEY = "k" * 40


def env_for(tmp_path: Path, **values: str) -> dict[str, str]:
    base = {"NUSO_DATA_DIR": str(tmp_path), "NUSO_SECRET_KEY": KEY, "NUSO_PSEUDONYM_KEY": KEY}
    base.update(values)
    return base


def test_defaults_give_embedded_sqlite_in_data_dir(tmp_path: Path) -> None:
    loaded = config.load(env_for(tmp_path))
    assert loaded.embedded
    assert loaded.database["NAME"] == str(tmp_path / "nuso.sqlite3")
    assert loaded.debug is False
    assert loaded.allowed_hosts == ("localhost", "127.0.0.1")
    assert loaded.log_level == "INFO"
    assert loaded.min_cell_count == 5
    assert loaded.import_workers == max(1, min(os.cpu_count() or 1, 32))  # auto: one per core


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("NUSO_DEBUG", "maybe", "NUSO_DEBUG='maybe'"),
        ("NUSO_DEBUG", "", "NUSO_DEBUG=''"),
        ("NUSO_LOG_LEVEL", "LOUD", "NUSO_LOG_LEVEL='LOUD'"),
        ("NUSO_MIN_CELL_COUNT", "1", "NUSO_MIN_CELL_COUNT='1'"),
        ("NUSO_MIN_CELL_COUNT", "fem", "NUSO_MIN_CELL_COUNT='fem'"),
        ("NUSO_IMPORT_WORKERS", "0", "NUSO_IMPORT_WORKERS='0'"),
        ("NUSO_IMPORT_WORKERS", "alla", "NUSO_IMPORT_WORKERS='alla'"),
        ("NUSO_ALLOWED_HOSTS", "a,,b", "NUSO_ALLOWED_HOSTS"),
        ("DATABASE_URL", "mysql://root@localhost/nuso", "'mysql' stöds inte"),
        ("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/", "saknar databasnamn"),
        ("NUSO_SECRET_KEY", "short", "NUSO_SECRET_KEY är för kort"),
        ("NUSO_PSEUDONYM_KEY", "short", "NUSO_PSEUDONYM_KEY är för kort"),
        ("NUSO_DATA_DIR", " ", "NUSO_DATA_DIR är tom"),
        ("NUSO_IMPORT_MAX_MB", "0", "NUSO_IMPORT_MAX_MB='0'"),
        ("NUSO_IMPORT_MAX_RATIO", "1", "NUSO_IMPORT_MAX_RATIO='1' är inget heltal från 2"),
        ("NUSO_IMPORT_MAX_CELLS", "många", "NUSO_IMPORT_MAX_CELLS='många'"),
    ],
)
def test_it_rejects_bad_values_naming_the_variable(
    tmp_path: Path, name: str, value: str, fragment: str
) -> None:
    with pytest.raises(SettingsError, match=fragment.replace("(", r"\(")):
        config.load(env_for(tmp_path, **{name: value}))


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("Ja", True), ("0", False)])
def test_booleans_accept_common_words(tmp_path: Path, raw: str, expected: bool) -> None:
    assert config.load(env_for(tmp_path, NUSO_DEBUG=raw)).debug is expected


def test_postgresql_url_is_parsed_with_options(tmp_path: Path) -> None:
    url = "postgresql://nuso:hemligt@db.internal:5433/nuso?sslmode=require"
    loaded = config.load(env_for(tmp_path, DATABASE_URL=url))
    assert not loaded.embedded
    assert loaded.database["HOST"] == "db.internal"
    assert loaded.database["PORT"] == 5433
    assert loaded.database["OPTIONS"] == {"sslmode": "require"}


def test_servers_must_bring_their_own_keys(tmp_path: Path) -> None:
    env = env_for(tmp_path, DATABASE_URL="postgresql://postgres@127.0.0.1/nuso")
    del env["NUSO_SECRET_KEY"]
    with pytest.raises(SettingsError, match="NUSO_SECRET_KEY saknas"):
        config.load(env)


def test_secrets_can_come_from_files(tmp_path: Path) -> None:
    key_path = tmp_path / "secret.txt"
    key_path.write_text("f" * 40 + "\n")
    env = env_for(tmp_path, NUSO_SECRET_KEY_FILE=str(key_path))
    del env["NUSO_SECRET_KEY"]
    assert config.load(env).secret_key == "f" * 40


def test_a_secret_given_twice_is_refused(tmp_path: Path) -> None:
    env = env_for(tmp_path, NUSO_SECRET_KEY_FILE=str(tmp_path / "x"))
    with pytest.raises(SettingsError, match="antingen NUSO_SECRET_KEY eller"):
        config.load(env)


def test_a_missing_secret_file_is_named(tmp_path: Path) -> None:
    env = env_for(tmp_path, NUSO_PSEUDONYM_KEY_FILE=str(tmp_path / "missing"))
    del env["NUSO_PSEUDONYM_KEY"]
    with pytest.raises(SettingsError, match="NUSO_PSEUDONYM_KEY_FILE: kan inte läsa"):
        config.load(env)


def test_embedded_keys_are_generated_once_owner_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {"NUSO_DATA_DIR": str(data_dir)}
    config.prepare_embedded(env)
    first = config.load(env)
    config.prepare_embedded(env)
    second = config.load(env)
    assert first.secret_key == second.secret_key
    assert first.pseudonym_key != first.secret_key
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("secret_key", "pseudonym_key"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600


def test_embedded_without_keys_asks_for_init(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="kör `nuso init`"):
        config.load({"NUSO_DATA_DIR": str(tmp_path)})


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    env = {"NUSO_DATA_DIR": str(tmp_path)}
    config.prepare_embedded(env)
    os.chmod(tmp_path / "secret_key", 0o644)
    with pytest.raises(SettingsError, match="chmod 600"):
        config.load(env)


def test_nothing_is_generated_for_servers(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    config.prepare_embedded(
        {"NUSO_DATA_DIR": str(data_dir), "DATABASE_URL": "postgresql://postgres@h/nuso"}
    )
    assert not data_dir.exists()


def test_import_workers_may_be_set() -> None:
    assert config.parse_import_workers("NUSO_IMPORT_WORKERS", " 3 ") == 3
    assert config.parse_import_workers("NUSO_IMPORT_WORKERS", "AUTO") >= 1


def test_the_import_limits_default_to_their_documented_values(tmp_path: Path) -> None:
    assert config.load(env_for(tmp_path)).import_limits == ReadLimits()
    given = config.load(env_for(tmp_path, NUSO_IMPORT_MAX_CELLS="5 000 000"))
    assert given.import_limits.max_cells == 5_000_000
