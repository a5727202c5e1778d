from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from nuso.cli.base import DefinitionFileCommand, existing_file, file_arguments
from nuso.cli.status import number

ADD = (
    "Läser en datadefinition (slug, number, name, variables, derived, source_columns, case, "
    "tables; se src/nuso/core/data/studies/) och kontrollerar den mot kodboken i bruk. Varje "
    "fel anger nyckeln det gäller. Delstudiens filer kan sedan läsas in med nuso import "
    "--study KORTNAMN, utan kodändring."
)
UPDATE = (
    "Läser en ändrad datadefinition för en befintlig delstudie och visar skillnaden mot den "
    "sparade. Sedan sparas den, en ny kodboksversion skapas, delstudiens poster harmoniseras "
    "om och ändringen loggas med definitionen som den var. En variabels typ kan inte ändras "
    "och egna kategorier kan inte tas bort när delstudien har poster."
)


class Command(DefinitionFileCommand):
    help = "Delstudier: lägg till en ny delstudie eller ändra en datadefinition (YAML)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        add = actions.add_parser("add", help="Lägg till en delstudie.", description=ADD)
        file_arguments(add, "FIL.yaml", "Datadefinitionen.", "Kontrollera bara; inget sparas.")
        update = actions.add_parser("update", help="Ändra en delstudies datadefinition.",
                                    description=UPDATE)  # fmt: skip
        file_arguments(update, "FIL.yaml", "Den ändrade datadefinitionen.",
                       "Visa bara skillnaden; inget sparas.")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        path = existing_file(options["file"])
        if options["action"] == "add":
            self.add(path, options["dry_run"])
        else:
            self.update(path, options["dry_run"])

    def add(self, path: Path, dry_run: bool) -> None:
        from nuso.audit.services import Actor
        from nuso.studies.services import add_study, read_study_file

        dictionary = read_study_file(path)
        console = self.console()
        summary = (
            f"delstudie {dictionary.number} {dictionary.slug} ({dictionary.name}): "
            f"{len(dictionary.variables)} variabler, {len(dictionary.tables)} tabeller"
        )
        if dry_run:
            console.print(f"Kontrollerad: {summary}. Inget sparat (--dry-run).", markup=False)
            return
        add_study(dictionary, Actor.command_line(), path.name)
        console.print(f"Tillagd: {summary}. Läs in med nuso import --study {dictionary.slug}.",
                      markup=False)  # fmt: skip

    def update(self, path: Path, dry_run: bool) -> None:
        from nuso.audit.services import Actor
        from nuso.intake.codebook_change import CodebookChangeError
        from nuso.intake.study_change import apply_study_change, read_study_change

        change = read_study_change(path)
        console = self.console()
        slug = change.dictionary.slug
        if not change.changes:
            console.print(f"{path.name} är samma datadefinition som den sparade för {slug}; "
                          "inget att göra.")  # fmt: skip
            return
        applied = self.shown_then_applied(
            [f"Ändringar i datadefinitionen för {slug}:", *(c.describe() for c in change.changes)],
            dry_run, lambda: apply_study_change(change, Actor.command_line()), CodebookChangeError,
        )  # fmt: skip
        if applied is None:
            return
        console.print(f"Sparad; kodbok version {applied.version}: "
                      f"{number(applied.records.records)} poster omharmoniserade, "
                      f"{number(applied.records.changed)} med ändrade värden.")  # fmt: skip
