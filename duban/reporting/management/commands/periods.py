"""``duban periods``: a plan's reporting periods from the console.

``duban periods list [--year 2023]``, ``duban periods create --year 2023 [--year-end-due
2023-12-20]``, ``duban periods open 2023Q1``, ``duban periods close 2023Q1``; the console acts
as the system (the audit trail records the changes without a user).
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from duban.audit.context import acting_as
from duban.core.commands import DubanCommand
from duban.core.formatting import format_cn_date, format_table
from duban.ledger.models import Plan
from duban.reporting.models import Period
from duban.reporting.services import periods as services


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Reporting periods: duban periods list | create | open | close")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="list|create|open|close"
        )
        listing = actions.add_parser("list", help=_("list a plan's periods"))
        listing.add_argument("--year", type=int, help=_("the plan's year (default: the newest)"))
        create = actions.add_parser("create", help=_("create the four quarters and the year-end"))
        create.add_argument("--year", type=int, help=_("the plan's year (default: the newest)"))
        create.add_argument(
            "--year-end-due", type=date.fromisoformat, help=_("due date of the year-end report")
        )
        for name, text in (("open", _("open a period")), ("close", _("close a period"))):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("code", help=_("the period, e.g. 2023Q1"))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        with acting_as(None):
            try:
                if action in ("open", "close"):
                    period = services.find_period(options["code"])
                    change = services.open_period if action == "open" else services.close_period
                    change(period=period, user=None)
                    done = (
                        _("Period %(code)s is open.")
                        if action == "open"
                        else _("Period %(code)s is closed.")
                    )
                    self.stdout.write(done % {"code": period.code})
                    return
                plan = self._plan(options.get("year"))
                if action == "create":
                    services.create_standard_periods(
                        plan=plan, user=None, year_end_due=options.get("year_end_due")
                    )
                self._list(plan)
            except services.PeriodError as exc:
                raise self.fail("%(error)s", error=exc) from exc

    def _plan(self, year: int | None) -> Plan:
        plans = Plan.objects.order_by("-year", "-pk")
        plan = (plans.filter(year=year) if year else plans).first()
        if plan is None:
            raise self.fail(_("There is no plan for %(year)s.") % {"year": year or "—"})
        return plan

    def _list(self, plan: Plan) -> None:
        found = list(Period.objects.filter(plan=plan).order_by("due_on", "code"))
        if not found:
            self.stdout.write(_("The plan has no reporting period yet: duban periods create"))
            return
        rows = [[_("Reporting period"), _("Opens on"), _("Due on"), _("State")]]
        rows += [
            [
                p.code,
                format_cn_date(p.opens_on),
                format_cn_date(p.due_on),
                str(p.get_state_display()),
            ]
            for p in found
        ]
        self.stdout.write(format_table(rows))
