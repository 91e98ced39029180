"""``duban serve``: the web server for trying duban out and for small offices.

It is Django's runserver (single process, threaded) without the code reloader. Production
installations put a WSGI server in front of ``duban.wsgi`` instead; see README.md.
It does not migrate: upgrading the database is a deliberate step (``duban migrate``).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve duban over HTTP (Django's runserver, no auto-reload unless --reload)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr",
            default="127.0.0.1:8000",
            help="address:port to listen on (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="restart when source files change (development only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # /static/ is served from STATIC_ROOT (see duban/urls.py), so refresh it first.
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("runserver", options["addr"], use_reloader=options["reload"])
