from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from rich.table import Table

from nuso.cli.base import NusoCommand, shown


class Command(NusoCommand):
    help = "API-nycklar för verksamhetssystem: skapa, lista, återkalla."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        create = actions.add_parser(
            "skapa",
            help="Skapa en nyckel för en integration (visas en gång).",
            description=(
                "Skapar en nyckel för ett verksamhetssystems integration, för de enheter och "
                "delstudier som anges. Nyckeln skrivs ut en gång och sparas bara som sin "
                "SHA-256: spara den direkt i integrationens hemlighetshantering."
            ),
        )
        create.add_argument("--namn", required=True, help="Integrationens namn.")
        create.add_argument(
            "--kommun", action="append", required=True, metavar="KOD",
            help="Enhetens kod (kommun- eller stadsdelskod); upprepa för flera.",
        )  # fmt: skip
        create.add_argument(
            "--studie", action="append", required=True, metavar="DELSTUDIE",
            help="Delstudien, t.ex. insatsuppfoljning; upprepa för flera.",
        )  # fmt: skip
        listing = actions.add_parser("lista", help="Lista nycklarna (aldrig själva nyckeln).")
        listing.add_argument(
            "--alla", action="store_true", help="Ta med återkallade nycklar."
        )  # fmt: skip
        revoke = actions.add_parser("aterkalla", help="Återkalla en nyckel.")
        revoke.add_argument("prefix", metavar="BÖRJAN", help="Nyckelns början, som listan visar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "skapa":
            self.create(options["namn"], options["kommun"], options["studie"])
        elif options["action"] == "lista":
            self.list_tokens(options["alla"])
        else:
            self.revoke(options["prefix"])

    def create(self, name: str, unit_codes: list[str], study_slugs: list[str]) -> None:
        from nuso.audit.services import Actor
        from nuso.collection.tokens import TokenError, create_token
        from nuso.core.countries import canonical_key
        from nuso.studies.models import Study
        from nuso.units.models import Unit

        unit_codes = [canonical_key(code) for code in unit_codes]
        units = list(Unit.objects.filter(code__in=unit_codes))
        studies = list(Study.objects.filter(slug__in=study_slugs))
        if unknown := sorted(set(unit_codes) - {u.code for u in units}):
            raise CommandError(f"Okänd enhet: {', '.join(unknown)}.")
        if unknown := sorted(set(study_slugs) - {s.slug for s in studies}):
            known = ", ".join(Study.objects.order_by("number").values_list("slug", flat=True))
            raise CommandError(f"Okänd delstudie: {', '.join(unknown)}; kända: {known}.")
        try:
            made = create_token(name, units, studies, Actor.command_line())
        except TokenError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Nyckel skapad: {made.token.name} ({made.token.prefix}…)")
        self.stdout.write("Nyckeln visas bara nu. Spara den i integrationens hemligheter:")
        self.stdout.write(made.key)

    def list_tokens(self, with_revoked: bool) -> None:
        from nuso.collection.tokens import tokens

        found = tokens() if with_revoked else tokens().filter(revoked_at__isnull=True)
        table = Table(
            "Början", "Namn", "Enheter", "Delstudier", "Skapad", "Senast använd", "Återkallad",
            title=f"{len(found)} nycklar",
        )  # fmt: skip
        for token in found:
            table.add_row(
                f"{token.prefix}…",
                shown(token.name),
                ", ".join(sorted(u.code for u in token.units.all())),
                ", ".join(sorted(s.slug for s in token.studies.all())),
                when(token.created_at),
                when(token.last_used_at),
                when(token.revoked_at),
            )
        self.console().print(table)

    def revoke(self, prefix: str) -> None:
        from nuso.audit.services import Actor
        from nuso.collection.tokens import TokenError, revoke_token, token_by_prefix

        try:
            token = token_by_prefix(prefix)
            revoke_token(token, Actor.command_line())
        except TokenError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Återkallad: {token.name} ({token.prefix}…)")


def when(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""
