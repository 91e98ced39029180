"""``duban files clean [--delete]``: the uploaded files nothing refers to any more.

Lists every file under ``MEDIA_ROOT`` that no row names (left by a crash between writing a file
and committing its row, or by a restore of an older database); only with ``--delete`` does it
remove them (a dry run by default; ``--dry-run`` says so explicitly). Files written in the last
hour are left alone: their save may still be running.
Rows whose file is missing are listed too, and kept: they record what was uploaded.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext as _

from duban.core import files
from duban.core.commands import DubanCommand


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Uploaded files: duban files clean [--delete]")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="clean")
        clean = actions.add_parser(
            "clean", help=_("list files that no record refers to; --delete removes them")
        )
        how = clean.add_mutually_exclusive_group()
        how.add_argument(
            "--delete", action="store_true", help=_("remove the files listed (older than an hour)")
        )
        how.add_argument(
            "--dry-run", action="store_true", help=_("only list them, remove nothing (the default)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = not options["delete"]
        found = files.clean(dry_run=dry_run)
        line = _("Orphan file: %(name)s") if dry_run else _("Removed orphan file: %(name)s")
        for name in found.files:
            self.stdout.write(line % {"name": name})
        for missing in found.missing:
            self.stdout.write(
                _("Missing file of %(model)s %(pk)s: %(name)s")
                % {"model": missing.model, "pk": missing.pk, "name": missing.name}
            )
        if dry_run:
            summary = _(
                "%(files)s orphan files (nothing removed; duban files clean --delete removes "
                "them), %(missing)s missing files."
            )
        else:
            summary = _("%(files)s orphan files removed, %(missing)s missing files.")
        self.stdout.write(summary % {"files": len(found.files), "missing": len(found.missing)})
