"""``duban summary [--json] [--as-of DATE]``: the plan at a glance, for scripts and monitoring.

``--json`` prints ``plan_summary`` as it is (keys in docs/summary.md); otherwise a short table
in the user's language: tasks by light and by status, reports by period and state, the open
督办/催办 notices and the open rectification items.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext as _

from duban.core.commands import DubanCommand
from duban.core.formatting import format_cn_date, format_table
from duban.dashboards.services import NoPlan, plan_summary
from duban.inspections.models import ItemState
from duban.ledger.models import TaskStatus
from duban.lights.display import colour_label
from duban.reporting.models import PeriodState, ReviewState
from duban.supervision.models import NoticeLevel, NoticeState


class Command(DubanCommand):
    help = "The plan at a glance: tasks by light and status, reports, open notices and items."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument(
            "--as-of", metavar="YYYY-MM-DD", help="the date of the lights (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"].strip())
            except ValueError:
                message = _("“%(value)s” is not a date; write it as 2023-08-15.")
                raise self.fail(message, value=options["as_of"]) from None
        try:
            summary = plan_summary(as_of)
        except NoPlan:
            raise self.fail(_("There is no plan yet: import a notice first.")) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.table(summary))

    def table(self, summary: dict[str, Any]) -> str:
        as_of = dt.date.fromisoformat(summary["as_of"])
        tasks, notices, items = summary["tasks"], summary["notices"], summary["rectification"]
        lines = [
            _("%(title)s, as of %(date)s")
            % {"title": summary["plan"]["title"], "date": format_cn_date(as_of)},
            "",
            _("Tasks: %(total)s") % {"total": tasks["total"]},
        ]
        rows = [[colour_label(key), str(count)] for key, count in tasks["by_light"].items()]
        rows += [
            [str(TaskStatus(key).label), str(count)] for key, count in tasks["by_status"].items()
        ]
        lines += [format_table(rows), ""]
        header = [_("Period"), _("Period state")]
        header += [str(ReviewState(state).label) for state in ReviewState.values]
        header.append(_("Not submitted"))
        rows = [header]
        for period in summary["reports"].values():
            rows.append(
                [period["label"], str(PeriodState(period["state"]).label)]
                + [str(period[state]) for state in ReviewState.values]
                + [str(period["missing"])]
            )
        lines += [_("Reports:"), format_table(rows), ""]
        lines.append(
            _("Open notices: %(open)s (%(overdue)s past their reply date)")
            % {"open": notices["open"], "overdue": notices["overdue"]}
        )
        rows = [[str(NoticeLevel(key).label), str(n)] for key, n in notices["by_level"].items()]
        rows += [[str(NoticeState(key).label), str(n)] for key, n in notices["by_state"].items()]
        lines += [format_table(rows), ""]
        lines.append(
            _("Open rectification items: %(open)s (%(overdue)s past their deadline)")
            % {"open": items["open"], "overdue": items["overdue"]}
        )
        rows = [[str(ItemState(key).label), str(n)] for key, n in items["by_state"].items()]
        lines.append(format_table(rows))
        return "\n".join(lines)
