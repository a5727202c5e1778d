from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.progress import Progress

from nuso.cli.base import NusoCommand, language_argument


class Command(NusoCommand):
    help = (
        "Skriver resultatrapporter som PowerPoint: en enhets resultat mot jämförelsegruppen "
        "och riket (Norge för en norsk enhet), med diagram som går att redigera."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--study", required=True, metavar="DELSTUDIE", help="T.ex. aktualiseringar."
        )
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--kommun", metavar="KOD", help="En kommuns eller stadsdels rapport.")
        which.add_argument(
            "--lan", metavar="KOD",
            help="Ett läns eller fylkes rapport (dess enheter); koden i delstudiens land.",
        )  # fmt: skip
        which.add_argument("--riket", action="store_true", help="Rikets rapport.")
        which.add_argument(
            "--alla", action="store_true",
            help="En rapport för varje enhet och län med uppgifter, och rikets, i en zip.",
        )  # fmt: skip
        parser.add_argument("--period", metavar="PERIOD", help="Standard: den senaste.")
        parser.add_argument(
            "--jamfor", choices=["kommungrupp", "lan", "storleksgrupp", "riket"],
            help="Jämförelsegrupp (standard: kommungrupp i Sverige, fylket (lan) i Norge).",
        )  # fmt: skip
        language_argument(parser, "rapporterna")
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
        from nuso.units.services import find_unit

        period, comparison, language = options["period"], options["jamfor"], options["sprak"]
        if options["alla"]:
            return every_deck(study, period, comparison, language)
        if options["riket"]:
            return [DeckRequest(study, period=period, language=language)]
        if options["lan"]:
            return [DeckRequest(study, county=self.county(study, options["lan"]), period=period,
                                language=language)]  # fmt: skip
        try:
            unit = find_unit(options["kommun"])
        except LookupError as error:
            raise CommandError(str(error)) from error
        if unit.country != study.country:
            raise CommandError(
                f"{unit.name} ({unit.code}) är inte en enhet i {study.slug}s land; ange "
                "enhetens nyckel, t.ex. NO-1860 för en norsk kommun."
            )
        return [DeckRequest(study, unit=unit, period=period, comparison=comparison,
                            language=language)]  # fmt: skip

    def county(self, study: Any, written: str) -> Any:
        """A county of the study's country by its code ("17", or "18" and "NO-18" for
        Nordland in a Norwegian study)."""
        from nuso.core.countries import split_key, unit_key
        from nuso.units.models import County

        country, code = split_key(written)
        if country != study.country and written.strip().upper() == code.upper():
            country = study.country  # a bare code is of the study's country
        key = unit_key(country, code.zfill(2)) if code.isdigit() else written.strip()
        county = County.objects.filter(code=key, country=study.country).first()
        if county is None:
            raise CommandError(
                f"Okänt län eller fylke {written!r} i {study.slug}; ange koden, t.ex. 17 "
                "(Värmland) eller, i en norsk delstudie, 18 (Nordland)."
            )
        return county
