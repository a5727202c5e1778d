"""Django's makemessages, also finding the messages nuso.core marks with `said` (core knows
no Django, so it cannot call gettext_noop: nuso.core.collection.messages)."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=said"]
