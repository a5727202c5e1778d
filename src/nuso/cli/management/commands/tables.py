from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nuso.cli.base import NusoCommand, language_argument
from nuso.cli.status import number
from nuso.core.outputs.registry import TABLES, formats


class Command(NusoCommand):
    help = (
        "Skriver delstudiens tabeller i långt format: riket, län, kommungrupper och "
        "kommunstorlekar, eller en kommuns jämförelser (--kommun); röjandeskyddade om inte "
        "--unsuppressed anges."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--study", required=True, metavar="DELSTUDIE", help="T.ex. aktualiseringar."
        )
        parser.add_argument(
            "--kommun", metavar="KOD", help="En kommuns eller stadsdels tabeller och jämförelser."
        )
        parser.add_argument("--period", metavar="PERIOD", help="Bara denna period.")
        parser.add_argument(
            "--format", choices=formats(TABLES), help="Filformat (annars från filnamnet)."
        )
        parser.add_argument(
            "--output", required=True, type=Path, metavar="FIL", help="Filen att skriva."
        )
        language_argument(parser, "filens ord och vägledning")
        parser.add_argument(
            "--unsuppressed",
            action="store_true",
            help="Utan röjandeskydd, med alla enheter: endast för analytiker (loggas).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import translation

        with translation.override(options["sprak"]):
            self.write(options)

    def write(self, options: dict[str, Any]) -> None:
        from django.conf import settings

        from nuso.analysis.service import data_version, study_tables
        from nuso.audit.services import Actor, log
        from nuso.core.outputs.registry import write_tables
        from nuso.core.outputs.tables import TableSet
        from nuso.studies.models import Study
        from nuso.units.services import find_unit

        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            known = ", ".join(Study.objects.values_list("slug", flat=True))
            raise CommandError(f"Okänd delstudie {options['study']!r}; finns: {known}.")
        output: Path = options["output"]
        format_ = options["format"] or output.suffix.lower().lstrip(".")
        if format_ not in formats(TABLES):
            known = "|".join(formats(TABLES))
            raise CommandError(f"Ange --format {known} (filnamnet säger inte vilket).")
        try:
            unit = find_unit(options["kommun"]) if options["kommun"] else None
        except LookupError as error:
            raise CommandError(str(error)) from error
        results = study_tables(study, options["period"], unsuppressed=options["unsuppressed"])
        if unit is not None:
            tables = results.for_unit(unit.code)
        elif options["unsuppressed"]:
            tables = results.tables
        else:
            tables = results.national()
        if not any(rows.height for rows in tables.values()):
            raise CommandError(
                f"Inga inlästa poster för {study.slug}"
                + (f" period {options['period']}" if options["period"] else "")
                + "; läs in data med nuso import först."
            )
        min_count = None if options["unsuppressed"] else int(settings.NUSO_MIN_CELL_COUNT)
        described = data_version(study).described
        made = TableSet(tables, results.source, min_count, title=study.name, version=described,
                        language=options["sprak"])  # fmt: skip
        rows = write_tables(format_, made, output)
        log(Actor.command_line(), "tables.write", unit=unit, study=study.slug,
            unsuppressed=options["unsuppressed"], rows=rows, file=str(output))  # fmt: skip
        self._report(results, tables, output, rows)

    def _report(self, results: Any, tables: dict[str, Any], output: Path, rows: int) -> None:
        console = self.console()
        console.print(f"{number(rows)} rader i {len(tables)} tabeller skrivna till {output}.")
        summary = results.suppression
        if summary is None:
            console.print("[yellow]Ej röjandeskyddade: endast för analytiker.[/yellow]")
        else:
            console.print(
                f"Röjandeskydd: {number(summary.primary)} små värden undertryckta, "
                f"{number(summary.secondary)} till för att de inte ska kunna räknas fram."
            )
