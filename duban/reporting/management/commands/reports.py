"""``duban reports``: the quarterly report workbook from the console.

``duban reports template --unit 发改委 --period 2023Q1 -o 发改委.xlsx`` writes a unit's template;
``duban reports import FILE --period 2023Q1 [--unit 发改委] [--submit] [--confirm-warnings]``
reads a filled-in one back: every problem is listed ("第5行「完成进度%」列：…") with exit
status 2 and nothing written, else each filled row becomes a new draft version of its report
(submitted with ``--submit``); a row saying what its saved draft says is left as it is (未变化).
Figures more than three times their target or lower than the previous quarter's are refused
unless ``--confirm-warnings`` says they were checked (已核实超常数据). The console acts as
the system unless ``--user NAME`` names the account to act as (its permissions then apply, and
the audit trail names it).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from duban.audit.context import acting_as
from duban.audit.signals import record_export
from duban.core.commands import DubanCommand
from duban.directory.models import Unit
from duban.directory.services import DirectoryIndex
from duban.reporting.models import Period
from duban.reporting.services.periods import PeriodError, find_period
from duban.reporting.services.report_import import (
    ImportRejected,
    import_reports,
    unchanged_message,
)
from duban.reporting.services.report_template import report_template


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("The quarterly report workbook: duban reports template | import")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="template|import")
        template = actions.add_parser("template", help=_("write a unit's report template"))
        template.add_argument("--unit", required=True, help=_("the unit (name or alias)"))
        template.add_argument("--period", required=True, help=_("the period, e.g. 2023Q1"))
        template.add_argument("-o", "--output", help=_("the file to write (default: its name)"))
        imported = actions.add_parser("import", help=_("import a filled-in report template"))
        imported.add_argument("file", help=_("the filled-in template (.xlsx)"))
        imported.add_argument("--period", required=True, help=_("the period, e.g. 2023Q1"))
        imported.add_argument("--unit", help=_("the unit the template must be for"))
        imported.add_argument(
            "--submit", action="store_true", help=_("submit the reports (default: drafts)")
        )
        imported.add_argument(
            "--confirm-warnings",
            action="store_true",
            help=_("the unusual figures were checked: import them"),
        )
        for sub in (template, imported):
            sub.add_argument("--user", help=_("act as this account (default: the system)"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options.get("user"))
        period = self._period(options["period"])
        with acting_as(user):
            try:
                if options["action"] == "template":
                    self.template(period, self._unit(options["unit"]), user, options["output"])
                else:
                    unit = self._unit(options["unit"]) if options["unit"] else None
                    self.import_file(
                        Path(options["file"]),
                        period,
                        unit,
                        user,
                        options["submit"],
                        confirm_warnings=options["confirm_warnings"],
                    )
            except PermissionDenied as exc:
                message = _("%(user)s may not do this.")
                raise self.fail(message, user=options.get("user")) from exc

    def template(self, period: Period, unit: Unit, user: Any, output: str | None) -> None:
        content, filename = report_template(period=period, unit=unit, user=user)
        path = Path(output or filename)
        path.write_bytes(content)
        # An export from the console is recorded as one from the page is (docs/audit.md).
        filters = {"period": period.code, "unit": unit.name}
        record_export(None, period, file=path.name, filters=filters)
        self.stdout.write(_("Wrote %(file)s.") % {"file": path})

    def import_file(
        self,
        path: Path,
        period: Period,
        unit: Unit | None,
        user: Any,
        submit: bool,
        *,
        confirm_warnings: bool = False,
    ) -> None:
        if not path.is_file():
            raise self.fail(_("File not found: %(file)s. Check the path and try again."), file=path)
        try:
            done = import_reports(
                data=path.read_bytes(),
                filename=path.name,
                period=period,
                user=user,
                unit=unit,
                submit=submit,
                confirm_warnings=confirm_warnings,
            )
        except ImportRejected as exc:
            heading = _("%(file)s was not imported; nothing was changed:") % {"file": path.name}
            raise self.fail("%(error)s", error="\n".join([heading, *exc.problems])) from exc
        if not done:
            self.stdout.write(_("The workbook has no filled-in row: nothing was imported."))
            return
        written = [item.task.number for item in done if item.changed]
        same = [item.task.number for item in done if not item.changed]
        if written:
            message = (
                _("Submitted the reports of %(count)s tasks (%(numbers)s).")
                if submit
                else _("Saved the reports of %(count)s tasks as drafts (%(numbers)s).")
            )
            self.stdout.write(message % {"count": len(written), "numbers": "、".join(written)})
        if same:
            self.stdout.write(unchanged_message(same))

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise self.fail(_("There is no account %(user)s."), user=username)
        return user

    def _period(self, code: str) -> Period:
        try:
            return find_period(code)
        except PeriodError as exc:
            raise self.fail("%(error)s", error=exc) from exc

    def _unit(self, name: str) -> Unit:
        resolution = DirectoryIndex.load().resolve(name)
        if resolution.unit_id is None:
            raise self.fail(_("There is no unit %(name)s."), name=name)
        return Unit.objects.get(pk=resolution.unit_id)
