"""``duban restore FILE``: an archive of ``duban backup`` into an empty installation.

The archive is read whole and checked against its manifest before anything is written; the
database must have no tables and the upload folder no files (a new data directory, or a new
PostgreSQL database, after ``createdb`` and before ``duban migrate``). Each file is checked as
it is written, every table's row count at the end (duban/core/backup.py, docs/operations.md).
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import backup
from duban.core.commands import DubanCommand
from duban.core.formatting import format_cn_datetime


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Restore a backup archive into an empty data directory and database.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help=_("the archive written by duban backup"))
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("only verify the archive against its manifest; restore nothing"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["file"])
        try:
            if options["check"]:
                manifest = backup.verify(archive)
                self.stdout.write(
                    _("%(file)s is complete: every member matches the manifest.")
                    % {"file": archive.name}
                )
                return
            connections.close_all()  # the restore writes through its own connections
            manifest = backup.restore(archive)
        except backup.BackupError as exc:
            raise self.fail("%(error)s", error=exc) from None
        except OSError as exc:
            raise self.fail(
                _("The backup could not be restored: %(error)s"), error=exc.strerror or exc
            ) from None
        files = sum(1 for name in manifest["members"] if name.startswith(backup.MEDIA_PREFIX))
        self.stdout.write(
            _(
                "Restored %(file)s (made %(made)s): %(tables)s tables and %(files)s files, each "
                "checked against the manifest. Run duban migrate if duban was upgraded since."
            )
            % {
                "file": archive.name,
                "made": format_cn_datetime(
                    timezone.localtime(datetime.fromisoformat(manifest["created_at"]))
                ),
                "tables": len(manifest["tables"]),
                "files": files,
            }
        )
