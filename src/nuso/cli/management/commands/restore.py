from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nuso.cli.base import NusoCommand

DESCRIPTION = (
    "Ersätter hela databasen med en säkerhetskopia från nuso backup. Stoppa portalen och "
    "inläsningar först. Därefter körs nuso init (en äldre kopia migreras) och de beräknade "
    "tabellerna görs om. Kopian måste vara gjord med samma pseudonymnyckel som gäller nu."
)


class Command(NusoCommand):
    help = "Återställer databasen från en säkerhetskopia (nuso backup)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = DESCRIPTION
        parser.add_argument("file", type=Path, metavar="FIL", help="Säkerhetskopian.")
        parser.add_argument(
            "--ersatt", action="store_true",
            help="Bekräfta att allt i databasen nu ersätts av kopians innehåll.",
        )  # fmt: skip
        parser.add_argument(
            "--annan-nyckel", action="store_true",
            help="Återställ även en kopia gjord med en annan pseudonymnyckel.",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.services import Actor, log
        from nuso.backup import BackupError, read_manifest, restore
        from nuso.bootstrap import initialise

        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"{source} finns inte.")
        try:
            read_manifest(source)
            if not options["ersatt"]:
                raise CommandError(
                    "Allt i databasen ersätts av kopians innehåll. Stoppa portalen och "
                    "inläsningar, och kör igen med --ersatt."
                )
            restore(source, other_key=options["annan_nyckel"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        initialise()
        log(Actor.command_line(), "backup.restored", file=source.name)
        self.console().print(f"Databasen återställd från {source}.", markup=False)
