from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.markup import escape
from rich.table import Table

from nuso.cli.base import NusoCommand

COLUMNS = {  # accepted headers of a decisions file, Swedish or English
    "raw": ("rått värde", "rått_värde", "ratt_varde", "raw value", "raw_value", "raw"),
    "variable": ("variabel", "variable"),
    "code": ("kod", "code"),
    "scope": ("omfattning", "scope"),
}
NATIONAL = {"", "nationell", "national", "riket", "alla"}


class Command(NusoCommand):
    help = (
        "Granskningskön: råvärden som inte kunde avgöras, efter hur ofta de förekommer. "
        "Beslut tas interaktivt eller från en CSV-fil och harmoniserar om berörda poster."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--study", default="aktualiseringar", metavar="DELSTUDIE", help="Delstudie."
        )
        parser.add_argument(
            "--variable", metavar="VARIABEL", help="Bara denna variabel, t.ex. orsaker."
        )
        parser.add_argument(
            "--limit", type=int, default=30, help="Visa högst så många (standard 30)."
        )
        parser.add_argument(
            "--decisions", type=Path, metavar="FIL.csv",
            help="Besluta från en CSV med kolumnerna rått värde, variabel, kod, omfattning "
            "(nationell eller en kommunkod).",
        )  # fmt: skip
        parser.add_argument("--interactive", action="store_true", help="Besluta ett värde i taget.")

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.studies.models import Study

        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            raise CommandError(f"Okänd delstudie {options['study']!r}.")
        if not (options["decisions"] or options["interactive"]):
            self.listing(study, options["variable"], options["limit"])
            return
        from nuso.studies.retraining import once_at_the_end

        # The suggestion models learn the decisions once, at the end (also after a bad row:
        # the decisions before it stand), rather than after each or in the next import.
        with once_at_the_end(self.trained):
            if options["decisions"]:
                self.from_file(study, options["decisions"])
            else:
                self.interactive(study, options["variable"])

    def trained(self, models: int) -> None:
        if models:
            self.console().print(f"Förslagsmodeller omtränade med de nya besluten: {models}.")

    def pending(self, study: Any, variable: str | None) -> Any:
        from nuso.intake.models import ReviewItem

        items = ReviewItem.objects.filter(study=study, status=ReviewItem.Status.PENDING)
        return items.filter(variable=variable) if variable else items

    def listing(self, study: Any, variable: str | None, limit: int) -> None:
        items = self.pending(study, variable).order_by("-occurrences", "raw_key")
        table = Table(
            "Variabel",
            "Rått värde",
            "Antal",
            "Enheter",
            "Förslag",
            title=f"{items.count()} värden att granska",
        )
        for item in items[:limit]:
            suggestions = ", ".join(f"{s['code']} ({s['score']:.0%})" for s in item.suggestions)
            units = ", ".join(item.units[:4]) + (" …" if len(item.units) > 4 else "")
            table.add_row(  # a raw value as it is, not read as markup ('[pnr:…]' would vanish)
                item.variable, escape(item.raw_example), str(item.occurrences), units, suggestions
            )
        self.console().print(table)
        self.workload(study)

    def workload(self, study: Any) -> None:
        from nuso.cli.workload import workload_table
        from nuso.core.harmonise.workload import TARGET
        from nuso.intake.workload import queue_workload

        self.console().print(workload_table(queue_workload(study), TARGET))

    def from_file(self, study: Any, path: Path) -> None:
        from nuso.audit.services import Actor

        if not path.is_file():
            raise CommandError(f"Filen {path} finns inte.")
        rows = list(csv.DictReader(path.open(encoding="utf-8-sig"), delimiter=sniff(path)))
        columns = self.columns(rows[0].keys() if rows else [], path)
        actor = Actor.command_line()
        for number, row in enumerate(rows, start=2):
            values = {name: (row.get(column) or "").strip() for name, column in columns.items()}
            self.apply(study, values, actor, f"{path.name}, rad {number}")

    def columns(self, headers: Any, path: Path) -> dict[str, str]:
        folded = {h.strip().lower(): h for h in headers}
        found = {
            name: next((folded[a] for a in aliases if a in folded), "")
            for name, aliases in COLUMNS.items()
        }
        missing = [
            COLUMNS[name][0] for name, column in found.items() if not column and name != "scope"
        ]
        if missing:
            raise CommandError(
                f"{path.name}: kolumnerna {', '.join(missing)} saknas i rubrikraden."
            )
        return {name: column for name, column in found.items() if column}

    def apply(self, study: Any, values: dict[str, str], actor: Any, where: str) -> None:
        from nuso.core.countries import canonical_key
        from nuso.intake.decisions import RawValue, ReviewDecisionError, decide
        from nuso.units.models import Unit

        scope = values.get("scope", "")
        unit = None
        if scope.lower() not in NATIONAL:
            unit = Unit.objects.filter(code=canonical_key(scope)).first()
            if unit is None:
                raise CommandError(
                    f"{where}: okänd omfattning {scope!r}; ange nationell eller en kommunkod."
                )
        try:
            value = RawValue(study, values["variable"], values["raw"])
            result = decide(value, values["code"], unit, actor)
        except (ReviewDecisionError, KeyError) as error:
            raise CommandError(f"{where}: {error}") from error
        self.console().print(
            f"{result.raw!r} → {values['code'] or '(okänt)'}: kodbok v{result.version}, "
            f"{result.records_updated} poster omharmoniserade.",
            markup=False,
        )

    def interactive(self, study: Any, variable: str | None) -> None:
        from nuso.audit.services import Actor

        actor = Actor.command_line()
        console = self.console()
        for item in list(self.pending(study, variable).order_by("-occurrences")):
            console.print(
                f"\n[bold]{escape(item.raw_example)}[/bold] ({item.variable}, "
                f"{item.occurrences} gånger, {', '.join(item.units)})"
            )
            for number, suggestion in enumerate(item.suggestions, start=1):
                console.print(f"  {number}: {suggestion['code']} ({suggestion['score']:.0%})")
            answer = input(
                "Nummer, kod, - för okänt, tomt för att hoppa över, q för att sluta: "
            ).strip()
            if answer == "q":
                return
            if not answer:
                continue
            code = "" if answer == "-" else answer
            if answer.isdigit() and 1 <= int(answer) <= len(item.suggestions):
                code = item.suggestions[int(answer) - 1]["code"]
            values = {"raw": item.raw_example, "variable": item.variable, "code": code}
            try:
                self.apply(study, values, actor, "svaret")
            except CommandError as error:
                console.print(f"Fel: {error}")


def sniff(path: Path) -> str:
    first = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","
