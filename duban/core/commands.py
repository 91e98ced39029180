"""What every duban console command shares: errors in the user's language, exit status 2.

Django prints a failed command as "CommandError: …" with the class name; an office clerk
should read "错误：…" and nothing else, and scripts should see exit status 2 for bad input.
Called from code (``call_command``), the CommandError still propagates.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

BAD_INPUT = 2


class DubanCommand(BaseCommand):
    # The product's own commands skip Django's system checks: they cost time on every run and
    # print configuration warnings (a pinned DUBAN_TODAY) in the middle of the command's own
    # output. `duban check` and `duban serve` still run them.
    requires_system_checks: tuple[str, ...] = ()
    _from_console = False

    def run_from_argv(self, argv: list[str]) -> None:
        self._from_console = "--traceback" not in argv
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self._from_console:
                raise
            self.stderr.write(_("Error: %(error)s") % {"error": exc})
            sys.exit(exc.returncode)

    def fail(self, template: str, **params: Any) -> CommandError:
        """The error to raise for input the user must fix (exit status 2)."""
        return CommandError(template % params if params else template, returncode=BAD_INPUT)
