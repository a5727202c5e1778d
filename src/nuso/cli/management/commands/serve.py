from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from nuso.cli.base import NusoCommand


class Command(NusoCommand):
    help = (
        "Startar webbappen på 127.0.0.1 (utvecklingsserver för en dator; för servrar: "
        "gunicorn, se README)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port (standard: 8000).")

    def handle(self, *args: Any, **options: Any) -> None:
        from nuso.analysis.service import warm_up_in_background

        port = options["port"]
        warm_up_in_background()  # so that the first visitor need not wait for the tables
        self.console().print(f"NUSO körs på http://127.0.0.1:{port}/ – avsluta med Ctrl+C.")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
