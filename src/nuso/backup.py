"""Backup and restore of an installation's database (`nuso backup`, `nuso restore`).

SQLite: SQLite's online backup API copies the database page by page under its own locks, so a
backup taken while the portal serves and an import writes is consistent (a copy of the file
would not be). PostgreSQL: pg_dump's custom format, restored with pg_restore; pg_dump takes a
consistent snapshot too. The computed tables and trained suggestion models in the data
directory are caches, made again from the database, and are not part of a backup.

The pseudonym key (NUSO_PSEUDONYM_KEY) is deliberately not in a backup: a backup and its key
kept apart mean a stolen backup cannot be linked to identity numbers. Restored on an
installation with another key, stored pseudonyms no longer match new deliveries' for the same
child; a backup therefore records the key's fingerprint (a keyed hash of a fixed text, which
discloses nothing of the key), and restore refuses a backup made under another key unless told.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = 1
MANIFEST = "nuso-backup.json"
DATABASE = "databas"  # the member holding the database: a SQLite file or a pg_dump archive


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why, in Swedish."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    engine: str  # sqlite | postgresql
    size: int  # bytes of the database member


def key_fingerprint(key: str) -> str:
    """What tells two pseudonym keys apart without saying anything of either."""
    return hmac.new(key.encode(), b"nuso-backup-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Säkerhetskopiering stöds för SQLite och PostgreSQL, inte {vendor}.")
    return vendor


def backup(target: Path) -> BackupInfo:
    """The database copied, consistently, into `target` (a zip with a manifest)."""
    if target.exists():
        raise BackupError(f"{target} finns redan; välj ett nytt filnamn.")
    kind = engine()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / DATABASE
        if kind == "sqlite":
            sqlite_backup(copy)
        else:
            pg_dump(copy)
        manifest = {
            "format": FORMAT,
            "databas": kind,
            "nyckel": key_fingerprint(settings.NUSO_PSEUDONYM_KEY),
            "migreringar": applied_migrations(),
        }
        partial = target.with_name(target.name + ".delvis")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            archive.write(copy, DATABASE)
        os.chmod(partial, 0o600)  # it holds everything the database holds
        partial.rename(target)  # a backup interrupted leaves no file that looks whole
        return BackupInfo(target, kind, copy.stat().st_size)


def sqlite_backup(copy: Path) -> None:
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    with sqlite3.connect(copy) as destination:
        source.backup(destination)
    destination.close()


def applied_migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def restore(source: Path, other_key: bool = False) -> dict[str, Any]:
    """The database replaced by the backup's; its manifest. Every other process using the
    database (the portal, an import) must be stopped first."""
    manifest, kind = read_manifest(source), engine()
    if manifest.get("databas") != kind:
        raise BackupError(
            f"Säkerhetskopian är av en {manifest.get('databas')}-databas; den här "
            f"installationen använder {kind}."
        )
    if manifest.get("nyckel") != key_fingerprint(settings.NUSO_PSEUDONYM_KEY) and not other_key:
        raise BackupError(
            "Säkerhetskopian gjordes med en annan pseudonymnyckel (NUSO_PSEUDONYM_KEY) än den "
            "som gäller nu: nya leveranser skulle få andra pseudonymer än de återställda för "
            "samma barn. Sätt den nyckel som gällde, eller återställ med --annan-nyckel."
        )
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(source) as archive:
            archive.extract(DATABASE, folder)
        copy = Path(folder) / DATABASE
        connections.close_all()
        if kind == "sqlite":
            sqlite_restore(copy)
        else:
            pg_restore(copy)
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(source) as archive:
            manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
            archive.getinfo(DATABASE)
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise BackupError(f"{source.name} är ingen säkerhetskopia från nuso backup.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source.name} har ett okänt format ({manifest.get('format')}).")
    return manifest


def sqlite_restore(copy: Path) -> None:
    """The live database overwritten page by page from the copy, under SQLite's locks."""
    target = Path(connection.settings_dict["NAME"])
    with sqlite3.connect(copy) as source, sqlite3.connect(target) as destination:
        source.backup(destination)
    source.close()
    destination.close()


def pg_arguments() -> tuple[list[str], dict[str, str]]:
    """The connection as pg_dump and pg_restore take it, the password in the environment."""
    database = connection.settings_dict
    arguments = [f"--dbname={database['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments.append(f"{option}={database[key]}")
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, environment


def pg_dump(copy: Path) -> None:
    run(["pg_dump", "--format=custom", "--no-owner", f"--file={copy}"])


def pg_restore(copy: Path) -> None:
    run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(copy)])


def run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} finns inte på den här datorn; installera PostgreSQL:s klientprogram "
            "(Debian: postgresql-client) i samma version som servern."
        )
    arguments, environment = pg_arguments()
    # The program is ours (pg_dump or pg_restore) and the arguments come from the settings.
    done = subprocess.run(  # noqa: S603
        [*command, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} misslyckades: {done.stderr.strip()[:2000]}")
