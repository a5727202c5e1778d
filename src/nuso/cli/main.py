"""The `nuso` command: prepares the configuration, starts Django and runs a subcommand.

Subcommands are Django management commands in nuso.cli.management.commands; `nuso manage ...`
reaches Django's own (createsuperuser, shell, ...). On the embedded SQLite default the data
directory, keys and database are created on first use, so any command works on a new machine.
"""

from __future__ import annotations

import datetime as dt

# When the process was launched, taken before anything slow is imported: two commands
# started together can be far apart by the time each has set Django up (see command_started).
_LAUNCHES = [dt.datetime.now(dt.UTC)]
_STARTED: dict[str, dt.datetime] = {}

import os  # noqa: E402 - after the launch time, on purpose
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

from django.core.management import find_commands, load_command_class  # noqa: E402

from nuso import __version__, config  # noqa: E402
from nuso.cli import swedish_argparse  # noqa: E402

COMMANDS_DIR = Path(__file__).parent / "management"
HELP_FLAGS = frozenset({"-h", "--help"})
INTERRUPTED = (
    "nuso: avbrutet. Det som hann sparas finns kvar (en inläsning sparar fil för fil); "
    "kör samma kommando igen för resten: filer som redan är inlästa hoppas över."
)


def command_names() -> list[str]:
    return sorted(find_commands(str(COMMANDS_DIR)))


def usage() -> str:
    lines = [
        "användning: nuso KOMMANDO [flaggor]",
        "",
        "NUSO – nationell uppföljning av socialtjänstens omställning.",
        "",
        "kommandon:",
    ]
    for name in command_names():
        summary = load_command_class("nuso.cli", name).help.split("\n", 1)[0]
        lines.append(f"  {name:<12}{summary}")
    lines.append(f"  {'manage':<12}Djangos egna kommandon, t.ex. `nuso manage createsuperuser`")
    lines += ["", "Se `nuso KOMMANDO --help` för varje kommando. Inställningar: docs/settings.md."]
    return "\n".join(lines)


def start_django(command: str) -> None:
    """Validate settings, prepare the embedded default and set Django up."""
    import django

    config.prepare_embedded()
    settings = config.load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nuso.settings")
    django.setup()
    if settings.embedded and command not in {"init", "manage"}:
        from nuso.bootstrap import initialise, needs_initialisation

        if needs_initialisation():
            print("nuso: ny databas – skapar den och läser in referensdata …", file=sys.stderr)
            initialise()


def start_django_for_help() -> None:
    """Set Django up to load a command's help without touching any data: no data directory,
    key or database is created, so `nuso import --help` works on a new machine. The keys are
    throw-away values; nothing is read or written with them before the process ends."""
    import secrets

    import django

    for name in ("NUSO_SECRET_KEY", "NUSO_PSEUDONYM_KEY"):
        if name not in os.environ and f"{name}_FILE" not in os.environ:
            os.environ[name] = secrets.token_urlsafe(48)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nuso.settings")
    django.setup()


def command_started() -> dt.datetime:
    """When the user started the running command: a delivery another run stores after this
    moment was stored while this command ran (`nuso import` tells so). For the first command
    of a process (a shell's `nuso import …`) it is the process's launch; for later ones (tests
    run many in one process) the moment `main` was called."""
    return _STARTED.get("command") or dt.datetime.now(dt.UTC)


def main(argv: Sequence[str] | None = None) -> int:
    _STARTED["command"] = _LAUNCHES.pop() if _LAUNCHES else dt.datetime.now(dt.UTC)
    args = list(sys.argv[1:] if argv is None else argv)
    swedish_argparse.install()
    if not args or args[0] in HELP_FLAGS | {"help"}:
        start_django_for_help()
        print(usage())
        return 0
    if args[0] == "--version":
        print(f"nuso {__version__}")
        return 0
    name, rest = args[0], args[1:]
    if name != "manage" and name not in command_names():
        print(f"nuso: okänt kommando {name!r}. Se `nuso --help`.", file=sys.stderr)
        return 2
    try:
        if HELP_FLAGS.intersection(rest):
            start_django_for_help()
        else:
            if name == "import":  # its workers' server starts while Django does
                from nuso.core.intake.import_workers import start_server_early

                start_server_early(Path(arg) for arg in rest if not arg.startswith("-"))
            start_django(name)
    except config.SettingsError as error:
        print(f"nuso: fel i inställningarna: {error}", file=sys.stderr)
        return 2
    return run(name, rest)


def run(name: str, rest: list[str]) -> int:
    try:
        if name == "manage":
            from django.core.management import execute_from_command_line

            execute_from_command_line(["nuso manage", *rest])
        else:
            run_command(name, rest)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130  # as a shell reports a program stopped by Ctrl+C
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error of ours. Point stdout at
        # devnull so that Python's exit-time flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return 0


def run_command(name: str, rest: list[str]) -> None:
    """Parse and execute one subcommand. Like Django's run_from_argv, but without closing the
    database connections afterwards: the process ends anyway, and in-process callers (tests,
    `nuso demo` running other commands) keep their connection."""
    command = load_command_class("nuso.cli", name)
    # As in Django's run_from_argv: a usage error prints the usage and exits 2 instead of
    # raising CommandError with a traceback.
    command._called_from_command_line = True  # type: ignore[attr-defined]
    options = vars(command.create_parser("nuso", name).parse_args(rest))
    args = options.pop("args", ())
    command.execute(*args, **options)


if __name__ == "__main__":
    sys.exit(main())
