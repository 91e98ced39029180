"""``duban backup [DIR]``: one archive of the database, the uploaded files and the secret key.

The database is copied consistently while duban runs (SQLite's online backup API, or
``pg_dump`` in one snapshot); the archive's manifest holds the sha256 of every member and the
row count of every table (duban/core/backup.py, docs/operations.md).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from duban.core import backup
from duban.core.commands import DubanCommand


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Back up the database, the uploaded files and the secret key into one archive.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            help=_("folder to write the archive to (default: DATA_DIR/backups)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"]) if options["directory"] else None
        if directory is not None and directory.exists() and not directory.is_dir():
            raise self.fail(_("%(path)s is not a folder."), path=directory)
        try:
            path = backup.create(directory)
        except backup.BackupError as exc:
            raise self.fail("%(error)s", error=exc) from None
        except OSError as exc:
            raise self.fail(
                _("The backup could not be written: %(error)s"), error=exc.strerror or exc
            ) from None
        manifest = backup.verify(path)
        files = sum(1 for name in manifest["members"] if name.startswith(backup.MEDIA_PREFIX))
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            _("Backup written: %(path)s (%(tables)s tables, %(rows)s rows, %(files)s files).")
            % {"path": path, "tables": len(manifest["tables"]), "rows": rows, "files": files}
        )
