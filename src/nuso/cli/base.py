"""The base of every `nuso` subcommand: Swedish errors, no Django-internal options in --help.

Subcommand modules import services inside `handle`, so that `nuso X --help` works before any
database or key exists.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar, cast

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from nuso.core.errors import InputError, Problem
from nuso.core.printable import printable, printable_lines

T = TypeVar("T")


LANGUAGES = ("sv", "en", "nb")  # of the files people read (workbook, decks): settings.LANGUAGES


def language_argument(parser: Any, what: str) -> None:
    """`--sprak`: the language of what the command writes for people (its own messages stay
    Swedish)."""
    parser.add_argument(
        "--sprak", choices=LANGUAGES, default="sv",
        help=f"Språket i {what}: sv (svenska, standard), en (engelska) eller nb (norska, bokmål).",
    )  # fmt: skip


class NusoCommand(BaseCommand):
    suppressed_base_arguments = {
        "--settings",
        "--pythonpath",
        "--traceback",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }
    requires_system_checks: list[str] = []
    base_help = {
        "--version": "Visa versionen och avsluta.",
        "--verbosity": "Hur mycket som skrivs ut: 0 minst, 3 mest.",
    }

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        for flag in args:
            if flag in self.base_help and kwargs.get("help") is not argparse.SUPPRESS:
                kwargs["help"] = self.base_help[flag]
        super().add_base_argument(parser, *args, **kwargs)

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except InputError as error:
            self.stderr.write(f"Fel: {len(error.problems)} problem hittades:")
            for problem in error.problems:
                self.stderr.write(f"  - {self.describe(problem)}")
            sys.exit(1)
        except CommandError as error:
            self.stderr.write(f"Fel: {error}")
            sys.exit(error.returncode)

    def describe(self, problem: Problem) -> str:
        return problem.describe()

    def console(self) -> Console:
        """A Rich console writing to this command's stdout (tests capture it)."""
        return SafeConsole(file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True)


class SafeConsole(Console):
    """A console that prints no control character of the text it is given (a file's name
    or a cell may hold escape sequences); the colours it adds itself are unaffected."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(printable_lines(text), **options)


def shown(text: str) -> str:
    """Text from a file (its name, a sheet, a header, a value) for Rich markup: on one line,
    without control characters, its brackets no markup ('[/bold]' in a name is printed)."""
    return escape(printable(text))


def file_arguments(parser: Any, metavar: str, help_: str, dry_run: str) -> None:
    """The file a command reads, and --dry-run: check and show, save nothing."""
    parser.add_argument("file", type=Path, metavar=metavar, help=help_)
    parser.add_argument("--dry-run", action="store_true", help=dry_run)


def existing_file(path: Path) -> Path:
    if not path.is_file():
        raise CommandError(f"Filen {path} finns inte.")
    return path


class DefinitionFileCommand(NusoCommand):
    """A command that reads a codebook or study dictionary (YAML): a problem's place is the
    key it is under (`variables.alder.type`), not a column."""

    def describe(self, problem: Problem) -> str:
        place = [
            problem.file,
            f"rad {problem.row}" if problem.row is not None else None,
            f"nyckel {problem.column!r}" if problem.column else None,
            f"värde {problem.value!r}" if problem.value is not None else None,
        ]
        return ", ".join(part for part in place if part) + f": {problem.message}"

    def shown_then_applied(
        self,
        lines: list[str],
        dry_run: bool,
        apply: Callable[[], T],
        refused: type[Exception],
    ) -> T | None:
        """The changes a file makes, one a line (a heading ends with ':'), then applied
        unless --dry-run; a change refused on applying is a command error."""
        console = self.console()
        for line in lines:
            console.print(line if line.endswith(":") else f"  {line}", markup=False)
        if dry_run:
            console.print("Inget sparat (--dry-run).")
            return None
        try:
            return apply()
        except refused as error:
            raise CommandError(str(error)) from error
