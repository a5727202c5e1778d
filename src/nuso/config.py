"""Settings read from the environment, parsed strictly.

Every setting is declared once in SETTINGS, with its default and help; docs/settings.md is
checked against this table by a test. A bad value raises SettingsError naming the variable, so
start-up stops with a message instead of running half-configured.

This module imports no Django: the `nuso` command parses the configuration (and prepares the
embedded data directory) before Django starts, and nuso.settings turns it into Django settings.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import dj_database_url

from nuso.core.intake.limits import ReadLimits

SECRET_FILE_MODE = 0o600
DATA_DIR_MODE = 0o700
MIN_KEY_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "ja", "sant"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "nej", "falskt"})


class SettingsError(Exception):
    """A setting has a value NUSO cannot use; the message names the variable."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    secret: bool = False  # may also be given as NAME_FILE (a path to a file holding the value)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "NUSO_DATA_DIR",
        "./nuso-data",
        "Folder for the embedded SQLite database and the generated keys (created with "
        "owner-only permissions).",
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///$NUSO_DATA_DIR/nuso.sqlite3",
        "Database: `sqlite:///PATH` or `postgresql://USER:PASSWORD@HOST:PORT/NAME` "
        "(query parameters such as `?sslmode=require` are passed on).",
        secret=True,
    ),
    Setting(
        "NUSO_SECRET_KEY",
        "generated in NUSO_DATA_DIR (SQLite only)",
        "Django's signing key, at least 32 characters. Required for PostgreSQL deployments; "
        "with the embedded SQLite default it is generated on first run.",
        secret=True,
    ),
    Setting(
        "NUSO_PSEUDONYM_KEY",
        "generated in NUSO_DATA_DIR (SQLite only)",
        "Key of the HMAC pseudonyms that replace personal identity numbers, at least 32 "
        "characters. Keep it secret, outside the database, and never change it: the same child "
        "gets the same pseudonym only under the same key.",
        secret=True,
    ),
    Setting("NUSO_DEBUG", "false", "Django debug mode. Never on a server."),
    Setting(
        "NUSO_ALLOWED_HOSTS",
        "localhost,127.0.0.1",
        "Comma-separated host names the web app answers to.",
    ),
    Setting("NUSO_LOG_LEVEL", "INFO", "Log level: DEBUG, INFO, WARNING or ERROR."),
    Setting(
        "NUSO_HTTPS",
        "false",
        "true when the portal is served over HTTPS (behind a proxy that sets "
        "X-Forwarded-Proto): secure cookies, HSTS and redirects to HTTPS. Always true on a server.",
    ),
    Setting(
        "NUSO_MIN_CELL_COUNT",
        "5",
        "Disclosure control: the smallest count shown to municipal users; counts from 1 to "
        "one less are suppressed (with secondary suppression). An integer from 2 to 100.",
    ),
    Setting(
        "NUSO_IMPORT_WORKERS",
        "auto",
        "Processes that interpret files while `nuso import` stores them: `auto` (one per "
        "core) or 1 to 32; 1 interprets in the importing process, as do imports under 4 MB.",
    ),
    Setting(
        "NUSO_IMPORT_MAX_MB",
        "1024",
        "The most a delivered file may hold, in MB: a text file's size, a spreadsheet's parts "
        "unpacked. A larger file is refused before it is read.",
    ),
    Setting(
        "NUSO_IMPORT_MAX_RATIO",
        "100",
        "How many times its packed size a spreadsheet's part (over 1 MB) may unpack to; sheets "
        "unpack to about 10, zip bombs to hundreds or more.",
    ),
    Setting(
        "NUSO_IMPORT_MAX_CELLS",
        "20000000",
        "The most cells a sheet may span (rows × columns, from A1), checked before it is read.",
    ),
    Setting("NUSO_IMPORT_MAX_ROWS", "1048576", "The most rows a sheet or text file may have."),
    Setting("NUSO_IMPORT_MAX_COLUMNS", "16384", "The most columns a sheet or text file may have."),
    Setting(
        "NUSO_IMPORT_MAX_CELL_CHARS",
        "131072",
        "The most characters in one cell of a text file (.csv, .txt).",
    ),
    Setting(
        "NUSO_API_CALLS_PER_MINUTE",
        "60",
        "The most calls one API key may make in a minute (a batch of up to 10 000 records is "
        "one call); more are answered 429 with Retry-After.",
    ),
)

# The import's limits: each setting, the ReadLimits field it sets, and its smallest value.
IMPORT_LIMITS = {
    "NUSO_IMPORT_MAX_MB": ("max_mb", 1),
    "NUSO_IMPORT_MAX_RATIO": ("max_ratio", 2),
    "NUSO_IMPORT_MAX_CELLS": ("max_cells", 1),
    "NUSO_IMPORT_MAX_ROWS": ("max_rows", 1),
    "NUSO_IMPORT_MAX_COLUMNS": ("max_columns", 1),
    "NUSO_IMPORT_MAX_CELL_CHARS": ("max_cell_chars", 1),
}


@dataclass(frozen=True)
class Config:
    data_dir: Path
    database: dict[str, Any]
    secret_key: str
    pseudonym_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    log_level: str
    min_cell_count: int
    https: bool
    import_workers: int
    import_limits: ReadLimits
    api_calls_per_minute: int

    @property
    def embedded(self) -> bool:
        """True for the zero-set-up SQLite default, which looks after itself."""
        return is_sqlite(self.database)


# --- parsers: each takes (name, raw text) and returns a value or raises SettingsError ---


def parse_bool(name: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{name}={raw!r} är inte sant eller falskt: ange true eller false.")


def parse_hosts(name: str, raw: str) -> tuple[str, ...]:
    hosts = tuple(h.strip() for h in raw.split(","))
    if not hosts or any(not h or " " in h for h in hosts):
        raise SettingsError(
            f"{name}={raw!r} är ingen kommaseparerad lista av värdnamn, t.ex. "
            "'nuso.example.se,localhost'."
        )
    return hosts


def parse_log_level(name: str, raw: str) -> str:
    level = raw.strip().upper()
    if level not in LOG_LEVELS:
        raise SettingsError(
            f"{name}={raw!r} är ingen loggnivå: ange en av {', '.join(LOG_LEVELS)}."
        )
    return level


def parse_min_cell_count(name: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if not 2 <= value <= 100:
        raise SettingsError(f"{name}={raw!r} är inget heltal från 2 till 100, t.ex. 5.")
    return value


def parse_import_workers(name: str, raw: str) -> int:
    text = raw.strip().lower()
    if text == "auto":
        return max(1, min(os.cpu_count() or 1, 32))
    value = int(text) if text.isdigit() else 0
    if not 1 <= value <= 32:
        raise SettingsError(f"{name}={raw!r} är varken auto eller ett heltal från 1 till 32.")
    return value


def parse_whole_number(name: str, raw: str, smallest: int) -> int:
    text = raw.strip().replace("_", "").replace(" ", "")
    value = int(text) if text.isdigit() else 0
    if value < smallest:
        raise SettingsError(f"{name}={raw!r} är inget heltal från {smallest} och uppåt.")
    return value


def import_limits_of(environ: Mapping[str, str]) -> ReadLimits:
    values = {
        field: parse(environ, name, partial(parse_whole_number, smallest=smallest))
        for name, (field, smallest) in IMPORT_LIMITS.items()
    }
    return ReadLimits(**values)


def parse_database_url(name: str, raw: str) -> dict[str, Any]:
    scheme = raw.split(":", 1)[0].lower()
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise SettingsError(
            f"{name}: databastypen {scheme!r} stöds inte; använd sqlite:///SÖKVÄG eller "
            "postgresql://ANVÄNDARE@VÄRD:PORT/DATABAS."
        )
    try:
        database: dict[str, Any] = dict(dj_database_url.parse(raw))
    except ValueError as error:
        raise SettingsError(f"{name}: kan inte tolka adressen ({error}).") from error
    if not database.get("NAME"):
        raise SettingsError(f"{name}: adressen saknar databasnamn eller filsökväg.")
    return database


def parse_key(name: str, raw: str) -> str:
    key = raw.strip()
    if len(key) < MIN_KEY_LENGTH:
        raise SettingsError(f"{name} är för kort: minst {MIN_KEY_LENGTH} tecken krävs.")
    return key


# --- reading ---


def is_sqlite(database: Mapping[str, Any]) -> bool:
    return str(database.get("ENGINE", "")).endswith("sqlite3")


def read_value(environ: Mapping[str, str], setting: Setting) -> str | None:
    """The raw value of a setting: NAME, else the file named by NAME_FILE (secrets only)."""
    value = environ.get(setting.name)
    file_name = environ.get(f"{setting.name}_FILE") if setting.secret else None
    if value is not None and file_name is not None:
        raise SettingsError(f"Ange antingen {setting.name} eller {setting.name}_FILE, inte båda.")
    if file_name is not None:
        return read_secret_file(f"{setting.name}_FILE", Path(file_name))
    return value


def read_secret_file(name: str, path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise SettingsError(f"{name}: kan inte läsa {path} ({error.strerror}).") from error


def get(environ: Mapping[str, str], name: str) -> str | None:
    return read_value(environ, SETTINGS_BY_NAME[name])


def parse(environ: Mapping[str, str], name: str, parser: Callable[[str, str], Any]) -> Any:
    """Parse a setting's value, or its documented default when it is unset."""
    raw = get(environ, name)
    return parser(name, SETTINGS_BY_NAME[name].default if raw is None else raw)


def data_dir_of(environ: Mapping[str, str]) -> Path:
    raw = get(environ, "NUSO_DATA_DIR")
    if raw is not None and not raw.strip():
        raise SettingsError("NUSO_DATA_DIR är tom: ange en katalog, t.ex. ./nuso-data.")
    return Path(raw or SETTINGS_BY_NAME["NUSO_DATA_DIR"].default).expanduser().resolve()


def database_of(environ: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    raw = get(environ, "DATABASE_URL")
    if raw is None or not raw.strip():
        raw = f"sqlite:///{data_dir / 'nuso.sqlite3'}"
    return parse_database_url("DATABASE_URL", raw)


def key_file(data_dir: Path, name: str) -> Path:
    return data_dir / name.removeprefix("NUSO_").lower()


def key_of(environ: Mapping[str, str], name: str, data_dir: Path, embedded: bool) -> str:
    """A key from the environment, else (embedded default only) from the data directory."""
    raw = get(environ, name)
    if raw is not None:
        return parse_key(name, raw)
    path = key_file(data_dir, name)
    if not embedded:
        raise SettingsError(
            f"{name} saknas. En server (PostgreSQL) läser nyckeln från miljön eller från en fil "
            f"via {name}_FILE; generera en med: python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'"
        )
    if not path.exists():
        raise SettingsError(f"{name}: nyckelfilen {path} saknas; kör `nuso init`.")
    check_owner_only(path)
    return parse_key(name, read_secret_file(name, path))


def check_owner_only(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SettingsError(
            f"{path} kan läsas av andra än ägaren (rättigheter {mode:o}); kör: chmod 600 {path}"
        )


def load(environ: Mapping[str, str] | None = None) -> Config:
    """The whole configuration, or SettingsError for the first bad value."""
    env = os.environ if environ is None else environ
    data_dir = data_dir_of(env)
    database = database_of(env, data_dir)
    embedded = is_sqlite(database)
    return Config(
        data_dir=data_dir,
        database=database,
        secret_key=key_of(env, "NUSO_SECRET_KEY", data_dir, embedded),
        pseudonym_key=key_of(env, "NUSO_PSEUDONYM_KEY", data_dir, embedded),
        debug=parse(env, "NUSO_DEBUG", parse_bool),
        allowed_hosts=parse(env, "NUSO_ALLOWED_HOSTS", parse_hosts),
        log_level=parse(env, "NUSO_LOG_LEVEL", parse_log_level),
        min_cell_count=parse(env, "NUSO_MIN_CELL_COUNT", parse_min_cell_count),
        https=parse(env, "NUSO_HTTPS", parse_bool),
        import_workers=parse(env, "NUSO_IMPORT_WORKERS", parse_import_workers),
        import_limits=import_limits_of(env),
        api_calls_per_minute=parse(
            env, "NUSO_API_CALLS_PER_MINUTE", partial(parse_whole_number, smallest=1)
        ),
    )


def prepare_embedded(environ: Mapping[str, str] | None = None) -> None:
    """Create the data directory, generated keys and owner-only database file of the embedded
    SQLite default.

    Called by the `nuso` command before Django starts; servers (PostgreSQL) get nothing
    generated, their keys come from the environment.
    """
    env = os.environ if environ is None else environ
    data_dir = data_dir_of(env)
    database = database_of(env, data_dir)
    if not is_sqlite(database):
        return
    data_dir.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
    for name in ("NUSO_SECRET_KEY", "NUSO_PSEUDONYM_KEY"):
        if get(env, name) is None:
            write_new_key(key_file(data_dir, name))
    if database["NAME"] != ":memory:":
        descriptor = create_private_file(Path(database["NAME"]))
        if descriptor is not None:
            os.close(descriptor)


def write_new_key(path: Path) -> None:
    """Write a fresh random key readable by the owner only; never overwrite an existing one."""
    fd = create_private_file(path)
    if fd is not None:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")


def create_private_file(path: Path) -> int | None:
    """Create an empty owner-only file and return its open descriptor, or None if it exists.

    SQLite keeps the mode of an existing database file (and gives its WAL files the same), so
    creating the database file this way keeps the data owner-only too."""
    path.parent.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_FILE_MODE)
    except FileExistsError:
        return None


SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}
