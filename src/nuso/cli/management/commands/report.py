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
        which.add_argument("--lan", metavar="KOD", help="Ett läns rapport (länets enheter).")
        which.add_argument("--riket", action="store_true", help="Rikets rapport.")
        which.add_argument(
            "--alla", action="store_true",
            help="En rapport för varje enhet och län med uppgifter, och rikets, i en zip.",
        )  # fmt: skip
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
        from nuso.reports.service import write_decks, zipped
        from nuso.studies.models import Study

        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            known = ", ".join(Study.objects.values_list("slug", flat=True))
            raise CommandError(f"Okänd delstudie {options['study']!r}; kända: {known}.")
        requests = self.requests(study, options)
        folder, console = options["output"], self.console()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Skriver rapporter", total=len(requests))
            written = write_decks(requests, folder, lambda path: progress.advance(task))
        paths = written.paths
        if not paths:
            raise CommandError(" ".join(written.skipped) or "Ingen rapport att skriva.")
        if options["alla"]:
            paths.append(zipped(paths, folder / f"{study.slug}_alla_rapporter.zip"))
        for path in paths:
            console.print(f"Skrev {path}", markup=False, highlight=False)
        for why in written.skipped:
            console.print(f"Ingen rapport: {why}", markup=False, highlight=False)
        log(Actor.command_line(), "report.decks", study=study.slug, decks=len(requests),
            folder=str(folder))  # fmt: skip

    def requests(self, study: Any, options: dict[str, Any]) -> list[Any]:
        from nuso.reports.service import DeckRequest, every_deck
        from nuso.units.models import County
        from nuso.units.services import find_unit

        period, comparison = options["period"], options["jamfor"]
        if options["alla"]:
            return every_deck(study, period, comparison)
        if options["riket"]:
            return [DeckRequest(study, period=period)]
        if options["lan"]:
            county = County.objects.filter(code=options["lan"].zfill(2)).first()
            if county is None:
                raise CommandError(f"Okänt län {options['lan']!r}; ange länskoden, t.ex. 17.")
            return [DeckRequest(study, county=county, period=period)]
        try:
            unit = find_unit(options["kommun"])
        except LookupError as error:
            raise CommandError(str(error)) from error
        return [DeckRequest(study, unit=unit, period=period, comparison=comparison)]
