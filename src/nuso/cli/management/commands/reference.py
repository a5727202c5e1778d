from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from rich.table import Table

from nuso.cli.base import NusoCommand, existing_file, file_arguments


class Command(NusoCommand):
    help = "Referensdata: kommuner, län, folkmängd och kommungrupper."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        listing = actions.add_parser("list", help="Lista kommunerna (och stadsdelarna).")
        listing.add_argument(
            "--stadsdelar",
            action="store_true",
            help="Ta med stadsdelar som rapporterar själva (Stockholm, Göteborg).",
        )
        listing.add_argument(
            "--format",
            choices=["table", "csv"],
            default="table",
            help="Utformat (standard: table).",
        )
        listing.add_argument(
            "--land",
            choices=["SE", "NO"],
            default="SE",
            help="Vilket lands kommuner (standard: SE).",
        )
        load = actions.add_parser(
            "load",
            help="Uppdatera från en nyare tabell (CSV) från SCB eller SKR.",
            description=(
                "Läser en CSV med kolumnen kommunkod och en eller flera av kommun, lan_kod, "
                "folkmangd, folkmangd_ar, kommungrupp. Hela filen kontrolleras först; finns "
                "något fel ändras ingenting."
            ),
        )
        file_arguments(load, "FIL.csv", "Tabellen att läsa in.",
                       "Kontrollera och visa ändringar utan att spara.")  # fmt: skip
        load.add_argument(
            "--land",
            choices=["SE", "NO"],
            default="SE",
            help="Vilket lands kommuner tabellen gäller (standard: SE). För Norge: SSB:s "
            "kolumner kommunenummer, kommune, fylkesnummer, folkemengde, år.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self.list_units(options["format"], options["stadsdelar"], options["land"])
        else:
            self.load(options["file"], options["land"], dry_run=options["dry_run"])

    def list_units(self, format_: str, with_districts: bool, country: str) -> None:
        from nuso.units.services import LIST_COLUMNS, reference_rows

        rows = reference_rows(with_districts=with_districts, country=country)
        if format_ == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=LIST_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            return
        table = Table(
            "Kod", "Namn", "Län", "Folkmängd", "Grupp", "Storlek", title=f"{len(rows)} enheter"
        )
        for row in rows:
            population = f"{row['folkmangd']:,}".replace(",", " ") if row["folkmangd"] else ""
            table.add_row(
                row["kommunkod"],
                row["kommun"],
                row["lan"],
                population,
                row["kommungrupp"],
                row["kommunstorlek"],
            )
        self.console().print(table)

    def load(self, path: Path, country: str, dry_run: bool) -> None:
        from nuso.audit.services import Actor
        from nuso.units.services import apply_reference_update, read_reference_update

        update = read_reference_update(existing_file(path), country)
        console = self.console()
        if update.ignored_columns:
            console.print(f"Okända kolumner lämnas orörda: {', '.join(update.ignored_columns)}")
        if dry_run:
            columns = ", ".join(update.column_names[field] for field in sorted(update.fields))
            console.print(
                f"Kontrollerad: {len(update.changes)} kommuner, kolumner: {columns}. "
                "Inget sparat (--dry-run)."
            )
            return
        summary = apply_reference_update(update, Actor.command_line())
        console.print(
            f"Inläst från {path.name}: {summary.updated} kommuner ändrade, "
            f"{summary.unchanged} oförändrade."
        )
