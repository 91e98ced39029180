"""The quarterly 进展情况汇总表 of a period: one row per task the person may see, for
duban.exports.progress_summary to write as .xlsx, .docx and PDF (the summary itself is plain
data, duban.exports.progress_summary_model: gathering it imports no document library).

Each row is the task as the ledger has it (序号, 任务, 牵头领导, 牵头单位, 责任单位 as the notice
wrote them) and what its lead unit reported **for this period**: 进展情况, 存在问题, 下步打算 and
the progress of the period's report as last submitted — the report itself when it is submitted
or accepted, else (returned, or being rewritten as a draft) the last submitted or accepted
version of it (ReportVersion); a report never submitted leaves the row "未报送".

The light is the task's light **as of the period's due date, or today if that comes first**
(a summary drawn up in the middle of a round shows today's lights, one drawn up later shows the
lights the round closed with). The lights are computed by duban.lights (``lights_for``),
which is above reporting and cannot be imported here: its ledger row annotator
(``duban.ledger.rows.annotate_rows``) is called with the clock pinned to that day. The lines
under the title say which day that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, check
from duban.exports.progress_summary_model import COLUMNS, ProgressSummary, SummaryRow
from duban.ledger.models import Task
from duban.ledger.queries import Directory, with_details
from duban.ledger.rows import TaskRow, annotate_rows, build_rows

from ..models import Period, Report, ReportVersion, ReviewState
from .latest import _derived_progress
from .periods import period_label

COMMITTED = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
SUBMITTED_ACTIONS = ("submit", "accept")  # ReportVersion.data["action"] of a submitted state


@dataclass(frozen=True)
class Reported:
    """What a task's report for the period said when it was last submitted."""

    progress_text: str
    problems: str
    next_steps: str
    progress: int | None


def lights_as_of(period: Period) -> date:
    """The day the summary's lights are computed for: the due date, or today if earlier."""
    return min(period.due_on, clock.today())


def _reported(period: Period, task_ids: list[int]) -> dict[int, Reported]:
    """``{task id: Reported}`` for the tasks whose period report was ever submitted (at most
    three queries: the reports, the target values of those without a stated progress, the
    versions of those not submitted now)."""
    reports = list(Report.objects.filter(period=period, task_id__in=task_ids))
    found: dict[int, Reported] = {}
    current = [r for r in reports if r.state in COMMITTED]
    derived = _derived_progress([r for r in current if r.progress is None])
    for report in current:
        found[report.task_id] = Reported(
            progress_text=report.progress_text,
            problems=report.problems,
            next_steps=report.next_steps,
            progress=report.progress if report.progress is not None else derived.get(report.pk),
        )
    rewritten = {r.pk: r.task_id for r in reports if r.state not in COMMITTED}
    if rewritten:
        versions = ReportVersion.objects.filter(report_id__in=list(rewritten)).order_by("number")
        for version in versions:  # the last submitted one of each report wins
            data: dict[str, Any] = version.data or {}
            if data.get("action") not in SUBMITTED_ACTIONS:
                continue
            progress = data.get("progress")
            if progress is None:
                progress = data.get("derived_progress")
            found[rewritten[version.report_id]] = Reported(
                progress_text=str(data.get("progress_text") or ""),
                problems=str(data.get("problems") or ""),
                next_steps=str(data.get("next_steps") or ""),
                progress=progress if isinstance(progress, int) else None,
            )
    return found


def _row(row: TaskRow, reported: Reported | None) -> SummaryRow:
    light = row.light
    colour = str(light.colour) if light is not None else ""
    cells = {
        "number": row.task.number,
        "task": row.task.text,
        "leaders": "、".join(leader.name for leader in row.leaders),
        "lead_units": "、".join(entry.name for entry in row.lead),
        "responsible_units": "、".join(entry.name for entry in row.responsible),
        "progress_text": reported.progress_text if reported else _("Not submitted"),
        "problems": reported.problems if reported else "",
        "next_steps": reported.next_steps if reported else "",
        "progress": f"{reported.progress}%" if reported and reported.progress is not None else "",
        "light": str(light.label) if light is not None else "",
    }
    return SummaryRow(cells=cells, colour=colour if colour in ("red", "yellow", "green") else "")


def progress_summary(period: Period, user: Any) -> ProgressSummary:
    """The summary of ``period`` over the tasks ``user`` may see (PermissionDenied for whoever
    may not see the period; ``None`` is the console)."""
    check(user, Action.VIEW, period)
    plan = period.plan
    seen = Task.objects.all() if user is None else Task.objects.restrict(user)
    tasks = with_details(seen.filter(plan=period.plan_id).order_by("position"))
    rows = build_rows(tasks, Directory.load())
    as_of = lights_as_of(period)
    with clock.pinned(as_of):
        annotate_rows(rows)  # each task's light as of that day (duban.lights)
    reported = _reported(period, [row.task.pk for row in rows])
    label = period_label(period)
    notes = [
        _("Plan: %(title)s") % {"title": f"《{plan.title}》"},
        _("Reports due on %(date)s") % {"date": format_cn_date(period.due_on)},
        _("Lights as of %(date)s") % {"date": format_cn_date(as_of)},
        _("Drawn up on %(date)s") % {"date": format_cn_date(clock.today())},
    ]
    return ProgressSummary(
        title=_("Progress of the key tasks, %(period)s") % {"period": label},
        rows=[_row(row, reported.get(row.task.pk)) for row in rows],
        notes=notes,
        headers={column.key: _(column.header) for column in COLUMNS},
        sheet_name=label,
    )


def summary_filename(period: Period, suffix: str) -> str:
    """``2023年第2季度重点任务进展情况汇总表.xlsx``."""
    name = _("Progress of the key tasks, %(period)s") % {"period": period_label(period)}
    return f"{name}.{suffix}"
