from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nuso.cli.base import NusoCommand

DESCRIPTION = (
    "Kopierar databasen, medan portalen och inläsningar är igång, till en fil (SQLite med "
    "SQLite:s säkerhetskopiering, PostgreSQL med pg_dump). Pseudonymnyckeln ingår inte: "
    "spara NUSO_PSEUDONYM_KEY för sig, på annat ställe än kopian. Beräknade tabeller och "
    "förslagsmodeller görs om och ingår inte heller."
)


class Command(NusoCommand):
    help = "Säkerhetskopierar databasen till en fil (återställs med nuso restore)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = DESCRIPTION
        parser.add_argument("file", type=Path, metavar="FIL", help="Kopian, t.ex. nuso.backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.services import Actor, log
        from nuso.backup import BackupError, backup

        try:
            done = backup(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        log(Actor.command_line(), "backup.made", file=done.path.name, engine=done.engine,
            bytes=done.size)  # fmt: skip
        self.console().print(
            f"Säkerhetskopia: {done.path} ({done.engine}, {done.size / 1e6:.1f} MB). "
            "Pseudonymnyckeln ingår inte: spara NUSO_PSEUDONYM_KEY för sig.",
            markup=False,
        )
