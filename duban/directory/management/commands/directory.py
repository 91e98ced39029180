"""``duban directory load FILE``: fill the directory from a JSON file ('demo': Yanshi District).

Loading is idempotent, so an office can keep one file, add to it and load it again; a file
with any problem is refused whole (nothing written) with exit status 2.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.commands import DubanCommand
from duban.directory.files import DEMO_FILE, DirectoryFileError, read_directory_file
from duban.directory.services import load_directory


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Manage the unit directory: duban directory load FILE")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="load")
        load = actions.add_parser(
            "load", help=_("create the units, aliases, groups and leaders of a directory file")
        )
        load.add_argument(
            "file",
            help=_("the directory file (JSON); 'demo' loads the Yanshi District demo directory"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self.load(DEMO_FILE if options["file"] == "demo" else Path(options["file"]))

    def load(self, path: Path) -> None:
        try:
            with transaction.atomic():
                counts = load_directory(read_directory_file(path))
        except DirectoryFileError as exc:
            raise self.fail("%(error)s", error=exc) from exc
        message = _(
            "Loaded %(file)s: created %(units)s units, %(aliases)s aliases, %(groups)s groups "
            "and %(leaders)s leaders."
        )
        self.stdout.write(message % {"file": path.name, **counts})
        if not any(counts.values()):
            self.stdout.write(
                _("Nothing new: the directory already had every unit, alias, group and leader.")
            )
