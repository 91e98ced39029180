"""``duban import FILE``: put a notice into the ledger from the console.

Names the directory does not know stop the import until the person says what they are
(``--map 缙氏镇=缑氏镇`` or ``--create-unit 某单位``); a revised notice for a plan already in the
ledger shows what would change and applies it only when confirmed (``--yes`` or a "y").

``duban import --template [PATH]`` writes the blank Excel ledger template instead (for a notice
no parser reads: typed into it, it is imported like any notice).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.commands import DubanCommand
from duban.directory.models import UnitKind
from duban.directory.services import DirectoryIndex
from duban.intake.errors import IntakeError
from duban.intake.pipeline import parse_upload
from duban.intake.services import change_entries, refs_for, remember_choices, to_notice
from duban.intake.template import template_name, write_template
from duban.ledger.models import Plan
from duban.ledger.services import Notice, PlanDiff, import_plan, prepare_import


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Import a task-split notice into the ledger (a revised notice updates its plan).")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", help=_("the notice file"))
        parser.add_argument(
            "--template",
            nargs="?",
            const="",
            metavar="PATH",
            help=_(
                "write the blank Excel ledger template (default ./%(name)s) for a notice that "
                "cannot be read, instead of importing"
            )
            % {"name": template_name(_)},
        )
        parser.add_argument(
            "--force", action="store_true", help=_("let --template overwrite an existing file")
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="NAME=UNIT",
            help=_("treat a name the directory does not know as this unit or group"),
        )
        parser.add_argument(
            "--create-unit",
            action="append",
            default=[],
            metavar="NAME",
            help=_("create a new unit for a name the directory does not know"),
        )
        parser.add_argument(
            "--kind",
            default=UnitKind.DEPARTMENT,
            choices=UnitKind.values,
            help=_("kind of the units --create-unit creates"),
        )
        parser.add_argument("--yes", action="store_true", help=_("apply changes without asking"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("show what would change, change nothing")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"] is not None:
            self._write_template(options["template"], options["force"])
            return
        if not options["file"]:
            raise self.fail(
                _("Name the notice file to import, or write the template with --template.")
            )
        path = Path(options["file"])
        if not path.is_file():
            raise self.fail(_("File not found: %(file)s. Check the path and try again."), file=path)
        data = path.read_bytes()
        try:
            notice = to_notice(
                parse_upload(data, path.name, max_bytes=settings.DUBAN_MAX_UPLOAD_BYTES)
            )
        except IntakeError as exc:
            raise self.fail(_("%(file)s: %(error)s"), file=path.name, error=exc.render(_)) from exc
        if notice.document.year is None:
            raise self.fail(_("The notice states no year; the plan's year is needed."))
        index = DirectoryIndex.load()
        choices = self._choices(options, index)
        names = notice.unit_names()
        refs = refs_for(names, index, choices)
        unresolved = [n for n in names if n not in refs]
        if unresolved:
            raise self.fail(self._unresolved_message(unresolved, index))
        prepared = prepare_import(notice, refs)  # the diff, computed once: shown, then applied
        plan, diff = prepared.plan, prepared.diff
        if plan is not None:
            if diff.empty:
                remember_choices(choices)
                self.stdout.write(
                    _("No changes: %(title)s is already in the ledger.") % {"title": plan.title}
                )
                return
            self.stdout.write(describe_diff(diff, notice, plan))
            if options["dry_run"] or not self._confirmed(options):
                self.stdout.write(_("Nothing was changed."))
                if not options["dry_run"]:
                    sys.exit(1)
                return
        elif options["dry_run"]:
            self.stdout.write(
                _("Would create a plan with %(count)s tasks.") % {"count": len(notice.tasks)}
            )
            return
        with transaction.atomic():  # a name mapped to a unit becomes its alias (--map)
            remember_choices(choices)
            outcome = import_plan(prepared, source_name=path.name, data=data, user=None)
        verb = _("Created") if outcome.created else _("Updated")
        self.stdout.write(
            _("%(verb)s plan “%(title)s”: %(tasks)s tasks in %(areas)s areas.")
            % {
                "verb": verb,
                "title": outcome.plan.title,
                "tasks": outcome.plan.tasks.count(),
                "areas": outcome.plan.areas.count(),
            }
        )

    def _write_template(self, wanted: str, force: bool) -> None:
        path = Path(wanted or template_name(_))
        if path.is_dir():
            path = path / template_name(_)
        if path.exists() and not force:
            raise self.fail(
                _(
                    "%(file)s already exists; nothing was written. Name another file, or add "
                    "--force."
                ),
                file=path,
            )
        try:
            path.write_bytes(write_template(_))
        except OSError as exc:
            raise self.fail(
                _("Cannot write %(file)s: %(error)s"), file=path, error=exc.strerror or exc
            ) from exc
        self.stdout.write(
            _(
                "Wrote the Excel ledger template to %(file)s. Type the notice's tasks into it, "
                "one a row, then import it: duban import %(file)s"
            )
            % {"file": path.resolve()}
        )

    def _choices(self, options: dict[str, Any], index: DirectoryIndex) -> dict[str, str]:
        choices: dict[str, str] = {}
        for mapping in options["map"]:
            name, sep, target = mapping.partition("=")
            resolution = index.resolve(target.strip()) if sep else None
            if resolution is None or not resolution.resolved:
                raise self.fail(
                    _("--map %(mapping)s: “%(target)s” is not a unit or group in the directory."),
                    mapping=mapping,
                    target=target,
                )
            if resolution.unit_id is not None:
                choices[name.strip()] = f"unit:{resolution.unit_id}"
            else:
                choices[name.strip()] = f"group:{resolution.group_id}"
        for name in options["create_unit"]:
            choices[name.strip()] = f"new:{options['kind']}"
        return choices

    def _unresolved_message(self, names: list[str], index: DirectoryIndex) -> str:
        lines = [_("These names are not in the unit directory; nothing was imported:")]
        for name in names:
            candidates = "、".join(candidate for _pk, candidate in index.candidates(name))
            lines.append(
                f"  {name}"
                + (_(" (closest: %(names)s)") % {"names": candidates} if candidates else "")
            )
        example = names[0]
        lines.append(
            _("Say what each is (--map %(name)s=<unit> or --create-unit %(name)s) and run again.")
            % {"name": example}
        )
        return "\n".join(lines)

    def _confirmed(self, options: dict[str, Any]) -> bool:
        if options["yes"]:
            return True
        if not sys.stdin.isatty():
            self.stdout.write(_("Run again with --yes to apply these changes."))
            return False
        answer = input(_("Apply these changes? [y/N] "))
        return answer.strip().lower() in ("y", "yes", "是")


def describe_diff(diff: PlanDiff, notice: Notice, plan: Plan) -> str:
    """What a revised notice changes, one line per task, for the console."""
    lines = [_("Changes to “%(title)s”:") % {"title": plan.title}]
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for entry in change_entries(diff, notice):
        line = f"  {marks[entry.kind]} {entry.number}. {entry.text[:40]}"
        if entry.fields:
            line += "  ← " + "、".join(entry.fields)
        lines.append(line)
    if diff.document:
        lines.append(
            _("  ~ document details changed: %(fields)s") % {"fields": "、".join(diff.document)}
        )
    if diff.areas:
        lines.append(_("  ~ area titles changed"))
    lines.append(
        _("%(added)s added, %(removed)s removed, %(changed)s changed, %(unchanged)s unchanged.")
        % diff.summary()
    )
    return "\n".join(lines)
