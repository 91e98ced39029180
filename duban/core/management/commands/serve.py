"""``duban serve``: the web server, production-ready as it starts (docs/deploy.md).

It refreshes the static files (collectstatic: hashed names, gzip and brotli copies), then
replaces itself with gunicorn set up for duban (duban/core/server_gunicorn.py): a worker per
core of four threads, the application loaded once and shared, an access log in the data
directory. ``--dev`` runs Django's development server instead, restarting when a source file
changes.
It does not migrate: upgrading the database is a deliberate step (``duban migrate``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from duban.core.commands import DubanCommand
from duban.core.server_gunicorn import ServeOptions, default_workers, exec_server


class Command(DubanCommand):
    help = (
        "Serve duban over HTTP with gunicorn (workers from the core count, access log in "
        "the data directory); --dev: Django's development server with auto-reload."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr",
            default="127.0.0.1:8000",
            help="address:port to listen on (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="worker processes (default DUBAN_WEB_WORKERS, else one per core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            help="threads per worker (default DUBAN_WEB_THREADS, 4)",
        )
        parser.add_argument(
            "--access-log",
            metavar="FILE",
            help="the access log (default DATA_DIR/logs/access.log; 'off': none)",
        )
        parser.add_argument(
            "--access-log-stdout",
            action="store_true",
            help="also print each request's access-log line on standard output",
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server, restarting when source files change",
        )
        parser.add_argument("--reload", action="store_true", help="the same as --dev")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"]
        if workers is None:
            workers = settings.WEB_WORKERS or default_workers()  # DUBAN_WEB_WORKERS, 0: cores
        threads = options["threads"]
        if threads is None:
            threads = settings.WEB_THREADS
        if workers < 1 or threads < 1:
            raise self.fail(_("--workers and --threads take a whole number from 1 up."))
        # Unlike duban's other commands, serve checks the configuration before it starts
        # (call_command skips it unless asked, as for any command).
        if not options.get("skip_checks"):
            self.check()
        # Pages name static files by the hashes in STATIC_ROOT's manifest: refresh it first.
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["dev"] or options["reload"]:
            call_command("runserver", options["addr"], use_reloader=True)
            return
        exec_server(
            ServeOptions(
                bind=options["addr"],
                workers=workers,
                threads=threads,
                access_log=_access_log(options["access_log"]),
                access_log_stdout=options["access_log_stdout"],
                **_log_rotation(),
            )
        )


def _access_log(value: str | None) -> Path | None:
    if value == "off":
        return None
    if value:
        return Path(value).resolve()
    if "file" not in settings.LOGGING["handlers"]:  # LOG_DIR is not writable (`duban check`)
        return None
    return settings.LOG_DIR / "access.log"


def _log_rotation() -> dict[str, int]:
    """The access log rotates like duban.log (DUBAN_LOG_MAX_MB, DUBAN_LOG_BACKUPS)."""
    file = settings.LOGGING["handlers"].get("file", {})
    return {
        "log_max_bytes": file.get("maxBytes", 10 * 1024 * 1024),
        "log_backups": file.get("backupCount", 10),
    }
