from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nuso.cli.base import NusoCommand
from nuso.cli.status import number
from nuso.core.outputs.registry import ROWS, formats


class Command(NusoCommand):
    help = (
        "Exporterar en delstudies harmoniserade poster: en rad per källrad, med koder och råvärden."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--study", required=True, metavar="DELSTUDIE", help="T.ex. aktualiseringar."
        )
        parser.add_argument("--format", choices=formats(ROWS), default="csv", help="Filformat.")
        parser.add_argument(
            "--output", required=True, type=Path, metavar="FIL", help="Filen att skriva."
        )
        parser.add_argument("--kommun", metavar="KOD", help="Bara denna kommun eller stadsdel.")

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.services import Actor, log
        from nuso.core.outputs.registry import write_rows
        from nuso.intake.export import export_rows
        from nuso.studies.models import Study
        from nuso.units.services import find_unit

        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            known = ", ".join(Study.objects.values_list("slug", flat=True))
            raise CommandError(f"Okänd delstudie {options['study']!r}; kända: {known}.")
        unit = None
        if options["kommun"]:
            try:
                unit = find_unit(options["kommun"])
            except LookupError as error:
                raise CommandError(str(error)) from error
        rows = write_rows(options["format"], export_rows(study, unit), options["output"])
        log(Actor.command_line(), "export.rows", unit=unit, study=study.slug,
            rows=rows, file=str(options["output"]))  # fmt: skip
        self.console().print(f"{number(rows)} rader skrivna till {options['output']}.")
