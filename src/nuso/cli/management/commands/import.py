from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError, CommandParser
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from nuso.cli.base import NusoCommand, shown
from nuso.cli.status import number

if TYPE_CHECKING:  # services are imported in handle: `nuso import --help` needs no database
    from nuso.core.intake.report import ImportReport
    from nuso.intake.services import FileOutcome


class Command(NusoCommand):
    help = (
        "Läser in kommunernas exportfiler (xlsx, xls, ods, csv) och harmoniserar dem till den "
        "nationella kodboken. En fil i taget: en felaktig fil stoppar inte de andra."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", type=Path, metavar="SÖKVÄG", help="Filer eller kataloger."
        )
        parser.add_argument(
            "--study", required=True, metavar="DELSTUDIE", help="T.ex. aktualiseringar."
        )
        parser.add_argument("--period", required=True, metavar="PERIOD", help="T.ex. 2023.")
        parser.add_argument(
            "--kommun",
            metavar="KOD",
            help="Kommun eller stadsdel (kod eller namn) för alla filerna.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Läs och rapportera, spara inget."
        )
        parser.add_argument("--rapport", action="store_true", help="Visa hela rapporten per fil.")
        parser.add_argument(
            "--ersatt", action="store_true",
            help="Ersätt en enhets tidigare leverans även med långt färre rader (utan detta "
            "hålls en sådan leverans tillbaka). Den ersatta går att återställa.",
        )  # fmt: skip
        parser.add_argument(
            "--mycket-dolda-flikar", action="store_true", dest="very_hidden",
            help="Läs även flikar som inte går att visa i Excel (mycket dolda); filer som "
            "redan lästs in läses om.",
        )  # fmt: skip
        parser.add_argument(
            "--kolumn", action="append", default=[], metavar='"RUBRIK=VARIABEL"',
            help="Läs kolumnen med denna rubrik som variabeln (tom: som ingen variabel). "
            "Filer som redan lästs in läses om; valet gäller enhetens senare leveranser.",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.services import Actor
        from nuso.cli.main import command_started
        from nuso.core.intake.import_workers import files_in
        from nuso.intake.services import ImportRefusedError, import_paths

        console = self.console()
        paths = options["paths"]
        total = len(files_in(paths))
        if total == 0:
            raise CommandError("Inga filer att läsa in (xlsx, xlsm, xls, ods, csv, txt).")
        columns = self.columns(options["study"], options["kolumn"])  # checked before reading
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Läser in", total=total)
            try:
                outcomes = import_paths(
                    paths,
                    columns=columns,
                    study_slug=options["study"],
                    period=options["period"],
                    actor=Actor.command_line(),
                    unit_hint=options["kommun"],
                    dry_run=options["dry_run"],
                    confirmed_replace=options["ersatt"],
                    progress=lambda outcome: progress.advance(task),
                    very_hidden_sheets=options["very_hidden"],
                    started=command_started(),
                )
            except ImportRefusedError as error:
                raise CommandError(str(error)) from error
        self.summary(outcomes, options["rapport"])
        self.workload(options["study"], [o.report for o in outcomes if o.report])
        failed = [o for o in outcomes if o.failed]
        held = [o for o in outcomes if o.held]
        problems = []
        if failed:
            problems.append(f"{len(failed)} av {len(outcomes)} filer kunde inte läsas in")
        if held:
            problems.append(
                f"{len(held)} av {len(outcomes)} filer hölls tillbaka (de skulle ersätta en "
                "enhets data med långt färre rader)"
            )
        if problems:
            raise CommandError("; ".join(problems) + " (se ovan).")

    def summary(self, outcomes: list[FileOutcome], full: bool) -> None:
        from nuso.core.intake.report import FileStatus

        console = self.console()
        table = Table(
            "Fil", "Status", "Enhet", "Rader", "Överhoppade", "Att granska", title="Inläsning"
        )
        for outcome in outcomes:
            rows = outcome.report.rows if outcome.report else None
            table.add_row(
                shown(outcome.file), outcome.status.value, shown(outcome.unit),
                number(rows.imported) if rows else "",
                str(sum(rows.skipped.values())) if rows else "",
                str(rows.pending) if rows else "",
            )  # fmt: skip
        console.print(table)
        for outcome in outcomes:
            file = shown(outcome.file)
            if outcome.message:
                console.print(f"[bold]{file}[/bold]: {escape(outcome.message)}")
            for note in outcome.report.notes if outcome.report else ():
                console.print(f"[bold]{file}[/bold]: {escape(note.describe(file=False))}")
            if outcome.report and outcome.report.column_suggestions:
                self.offer(outcome.file, outcome.report.column_suggestions)
            if full and outcome.report:
                self.details(outcome.report)
        done = [o for o in outcomes if o.status == FileStatus.IMPORTED]
        imported = sum(o.report.rows.imported for o in done if o.report and o.report.rows)
        console.print(
            f"Totalt {number(imported)} rader inlästa från {len(done)} av {len(outcomes)} filer."
        )

    def offer(self, file: str, suggestions: Mapping[str, str]) -> None:
        """Another unit's hand choices for a file with the same headers, as a command."""
        choices = escape(" ".join(f'--kolumn "{h}={v}"' for h, v in suggestions.items()))
        self.console().print(
            f"[bold]{shown(file)}[/bold]: en annan enhet med samma rubriker valde kolumnerna "
            f"för hand; läs in igen med {shown(choices)} för att göra likadant."
        )

    def columns(self, study_slug: str, texts: list[str]) -> dict[str, str]:
        """The --kolumn choices, checked against the study's dictionary."""
        from nuso.core.errors import InputError
        from nuso.core.harmonise.dictionary import dictionary_from_stored
        from nuso.intake.columns import parse_choices
        from nuso.studies.models import Study

        study = Study.objects.filter(slug=study_slug).first()
        if not texts or study is None:
            return {}
        try:
            return parse_choices(texts, dictionary_from_stored(study.dictionary))
        except InputError as error:
            raise CommandError(str(error)) from error

    def workload(self, study_slug: str, reports: list[ImportReport]) -> None:
        """What the analyst must decide for this delivery, per harmonised variable."""
        from nuso.cli.workload import workload_table
        from nuso.core.harmonise.workload import TARGET, workloads_of
        from nuso.intake.workload import harmonised_variables

        names = harmonised_variables(study_slug)
        decided = {name: sum(r.decided_values(name) for r in reports) for name in names}
        pending: dict[str, Counter[str]] = {name: Counter() for name in names}
        for report in reports:
            for name in names:
                pending[name].update(report.pending.get(name, {}))
        workloads = workloads_of(names, decided, pending)
        if not any(w.values for w in workloads):
            return
        self.console().print(workload_table(workloads, TARGET))

    def details(self, report: ImportReport) -> None:
        from nuso.core.intake.report import methods_used

        console = self.console()
        unit = report.unit
        assert unit is not None  # a file read has its unit
        console.print(
            f"\n[bold]{shown(report.file)}[/bold] → {unit.code} {unit.name} ({unit.source.value})"
        )
        # The texts come from the file: shown as they are, never read as Rich markup (a
        # pseudonym '[pnr:…]' would be taken for a style and vanish).
        columns = Table("Flik", "Kolumn", "Tolkas som", "Hur", "Exempel")
        for column in report.columns:
            sample = ", ".join(column.sample)
            columns.add_row(
                shown(column.sheet), shown(column.header), column.shown_variable,
                shown(column.how), shown(sample),
            )  # fmt: skip
        console.print(columns)
        for variable, values in report.values.items():
            listing = Table("Rått värde", "Blev", "Metod", "Antal", title=variable)
            for value in values[:15]:
                listing.add_row(shown(value.raw), value.code, value.method, str(value.occurrences))
            console.print(listing)
        if report.flags:
            flags = Table("Flagga", "Rader", title="Flaggor")
            for flag, count in sorted(report.flags.items(), key=lambda item: -item[1]):
                flags.add_row(escape(flag), number(count))
            console.print(flags)
        legend = methods_used(report)
        if legend:
            console.print("Metod: " + "; ".join(f"{method} = {text}" for method, text in legend))
