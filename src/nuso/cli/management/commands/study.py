from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from nuso.cli.base import DefinitionFileCommand, existing_file, file_arguments


class Command(DefinitionFileCommand):
    help = "Delstudier: lägg till en ny delstudie från dess datadefinition (YAML)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        add = actions.add_parser(
            "add",
            help="Lägg till en delstudie från en datadefinition.",
            description=(
                "Läser en datadefinition (slug, number, name, variables, derived, "
                "source_columns, tables; se src/nuso/core/data/studies/) och kontrollerar den "
                "mot kodboken i bruk. Varje fel anger nyckeln det gäller. Delstudiens filer kan "
                "sedan läsas in med nuso import --study KORTNAMN, utan kodändring."
            ),
        )
        file_arguments(add, "FIL.yaml", "Datadefinitionen.", "Kontrollera bara; inget sparas.")

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.audit.services import Actor
        from nuso.studies.services import add_study, read_study_file

        path = existing_file(options["file"])
        dictionary = read_study_file(path)
        console = self.console()
        summary = (
            f"delstudie {dictionary.number} {dictionary.slug} ({dictionary.name}): "
            f"{len(dictionary.variables)} variabler, {len(dictionary.tables)} tabeller"
        )
        if options["dry_run"]:
            console.print(f"Kontrollerad: {summary}. Inget sparat (--dry-run).", markup=False)
            return
        add_study(dictionary, Actor.command_line(), path.name)
        console.print(f"Tillagd: {summary}. Läs in med nuso import --study {dictionary.slug}.",
                      markup=False)  # fmt: skip
