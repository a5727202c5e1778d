from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from nuso.cli.base import DefinitionFileCommand, existing_file, file_arguments
from nuso.cli.status import number

DESCRIPTION = (
    "Läser en ändrad codebook.yaml och jämför den med kodboken i bruk: nya, borttagna och "
    "omdöpta koder, ändrade synonymer och regler. Borttagna koder omkodas enligt filens avsnitt "
    "crosswalk (kod: ny_kod, eller en lista vid delning); en borttagen kod utan omkodning "
    "skickar sina värden till granskning. Sedan skapas en ny version, alla poster harmoniseras "
    "om och ändringen loggas."
)


class Command(DefinitionFileCommand):
    help = (
        "Inför en ändrad kodbok som en ny version: visar skillnaden mot kodboken i bruk, "
        "harmoniserar om alla poster och loggar ändringen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = DESCRIPTION
        file_arguments(parser, "FIL.yaml", "Den ändrade kodboken.",
                       "Visa bara skillnaden; inget sparas.")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.services import Actor
        from nuso.intake.codebook_change import (
            CodebookChangeError,
            apply_codebook_change,
            read_codebook_change,
        )
        from nuso.studies.codebooks import prepare_suggestion_models

        path = existing_file(options["file"])
        change = read_codebook_change(path)
        console = self.console()
        if change.diff.empty:
            console.print(f"{path.name} är samma kodbok som version {change.in_force}; "
                          "inget att göra.")  # fmt: skip
            return
        heading = (f"Kodboken i bruk är version {change.in_force}. Ändringar i {path.name} "
                   f"(filens version {change.codebook.version}):")  # fmt: skip
        applied = self.shown_then_applied(
            [heading, *change.lines()], options["dry_run"],
            lambda: apply_codebook_change(change, Actor.command_line()), CodebookChangeError,
        )  # fmt: skip
        if applied is None:
            return
        records = applied.records
        console.print(
            f"Kodbok version {applied.version} skapad. {number(records.records)} poster "
            f"omharmoniserade, {number(records.changed)} med ändrade värden; "
            f"granskningsbeslut: {applied.carried} förda till nya koder, {applied.retired} "
            f"tillbaka till granskning; {number(applied.waiting)} värden väntar på granskning."
        )
        trained = prepare_suggestion_models()
        if trained:
            console.print(f"Förslagsmodeller tränade för den nya kodboken: {trained}.")
