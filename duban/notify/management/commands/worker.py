"""``duban worker``: the background worker that sends notifications (django-tasks' db_worker).

``duban worker`` runs until stopped (systemd keeps it alive); ``--once`` runs every task that
is due and exits (for cron, or a quick check).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.utils.translation import gettext as _

from duban.core.commands import DubanCommand


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Run the background worker that sends notifications.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help=_("run the tasks that are due, then exit")
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help=_("seconds between looks at the queue when it is empty (default 5)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0:
            raise self.fail(_("The interval must be above zero."))
        call_command(
            "db_worker",
            queue_name="*",
            interval=options["interval"],
            batch=options["once"],
            reload=False,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )
