"""Django's makemessages, plus ``--keyword`` for extra xgettext markers.

duban's pure modules mark strings with ``N_`` (see duban/intake/errors.py) so that they need
no Django import; xgettext only extracts them when told the keyword.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--keyword",
            action="append",
            default=[],
            metavar="NAME",
            help="also extract strings marked with NAME(...) (repeatable), e.g. --keyword=N_",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.xgettext_options = [
            *self.xgettext_options,
            *(f"--keyword={name}" for name in options["keyword"]),
        ]
        super().handle(*args, **options)
