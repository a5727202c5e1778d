from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.progress import Progress

from nuso.cli.base import NusoCommand


class Command(NusoCommand):
    help = (
        "Skriver resultatrapporter som PowerPoint: en enhets resultat mot jämförelsegruppen "
        "och riket, med diagram som går att redigera."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--study", required=True, metavar="DELSTUDIE", help="T.ex. aktualiseringar."
        )
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--kommun", metavar="KOD", help="En kommuns eller stadsdels rapport.")
        which.add_argument(
            "--alla", action="store_true", help="En rapport för varje enhet med uppgifter."
        )
        parser.add_argument("--period", metavar="PERIOD", help="Standard: den senaste.")
        parser.add_argument(
            "--jamfor", choices=["kommungrupp", "storleksgrupp", "riket"],
            default="kommungrupp", help="Jämförelsegrupp (standard kommungrupp).",
        )  # fmt: skip
        parser.add_argument(
            "--output", required=True, type=Path, metavar="KATALOG", help="Katalogen att skriva i."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.services import Actor, log
        from nuso.reports.service import (
            DeckRequest,
            ReportError,
            units_with_data,
            write_decks,
            zipped,
        )
        from nuso.studies.models import Study
        from nuso.units.services import find_unit

        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            known = ", ".join(Study.objects.values_list("slug", flat=True))
            raise CommandError(f"Okänd delstudie {options['study']!r}; kända: {known}.")
        try:
            units = [find_unit(options["kommun"])] if options["kommun"] else units_with_data(study)
        except LookupError as error:
            raise CommandError(str(error)) from error
        requests = [
            DeckRequest(study, unit, options["period"], options["jamfor"]) for unit in units
        ]
        folder, console = options["output"], self.console()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Skriver rapporter", total=len(requests))
            try:
                paths = write_decks(requests, folder, lambda path: progress.advance(task))
            except ReportError as error:
                raise CommandError(str(error)) from error
        if options["alla"]:
            paths.append(zipped(paths, folder / f"{study.slug}_alla_rapporter.zip"))
        for path in paths:
            console.print(f"Skrev {path}", markup=False, highlight=False)
        log(Actor.command_line(), "report.decks", study=study.slug, decks=len(requests),
            folder=str(folder))  # fmt: skip
