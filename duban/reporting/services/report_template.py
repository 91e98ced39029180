"""The Excel template of a unit and a period, in duban's terms (the workbook is written by
duban.exports.report_template_xlsx and read back by excel.py).

``report_template`` writes one row per task the unit leads (by name or through a group that
stands for it) and one row per quantitative target of those tasks, filled with the drafts
already written; rows of reports already submitted or accepted are left empty, locked and
marked. ``describe`` turns a problem found on import into the sentence people read
("第5行「完成进度%」列：…").

Who may: the office (``Action.MANAGE_LEDGER``) for every unit, and a unit's own operators for
their unit. The console (``user=None``) may too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from duban.core.lazy import LazyModule
from duban.core.permissions import Action, actor, check
from duban.directory.models import Unit
from duban.directory.reach import UnitRef
from duban.exports import report_template_model as template_model
from duban.ledger.display import OP_SYMBOLS, target_amount
from duban.ledger.models import AssignmentRole, Plan, Target, Task, TaskStatus, reaches

from ..models import EDITABLE, Period, Report
from . import excel
from .periods import period_label

if TYPE_CHECKING:
    from duban.exports import report_template_xlsx as template_xlsx
else:
    # The writer imports openpyxl: loaded for the first template downloaded (duban/core/lazy.py).
    template_xlsx = LazyModule("duban.exports.report_template_xlsx")


def sign(value: str) -> str:
    return salted_hmac("duban.reporting.services.excel", value).hexdigest()[:10]


def lead_tasks(plan: Plan, unit: Unit) -> list[Task]:
    """The plan's tasks the unit leads, by name or through a group standing for it."""
    condition = reaches(UnitRef.of(unit), AssignmentRole.LEAD)
    targets = Prefetch("targets", queryset=Target.objects.order_by("position"))
    found = Task.objects.filter(plan=plan).filter(condition).prefetch_related(targets)
    return list(found.order_by("position"))


def headers() -> tuple[dict[str, str], dict[str, str]]:
    reports = {
        "number": _("No."),
        "text": _("Key task"),
        "status": _("Status"),
        "progress": _("Progress %"),
        "progress_text": _("Progress made"),
        "problems": _("Problems"),
        "next_steps": _("Next steps"),
        "token": _("Task identifier (do not change)"),
    }
    targets = {
        "number": _("No."),
        "label": _("Measure"),
        "goal": _("Goal"),
        "unit": _("Unit of measure"),
        "value": _("Value this period"),
        "token": _("Target identifier (do not change)"),
    }
    return reports, targets


def report_template(*, period: Period, unit: Unit, user: Any) -> tuple[bytes, str]:
    """The workbook's bytes and its file name (``发改委2023年第1季度进展报送表.xlsx``)."""
    who = actor(user)
    if user is not None and not (who.active and who.unit_id == unit.pk):
        check(user, Action.MANAGE_LEDGER)  # the office's for every unit
    tasks = lead_tasks(period.plan, unit)
    reports = {
        r.task_id: r
        for r in Report.objects.filter(period=period, task__in=tasks).prefetch_related(
            "target_values"
        )
    }
    statuses = dict(TaskStatus.choices)
    report_lines, target_lines = [], []
    for task in tasks:
        report = reports.get(task.pk)
        writable = report is None or report.state in EDITABLE
        cells: dict[str, Any] = {"number": number_cell(task.number), "text": task.text}
        if report is not None and writable:
            cells.update(
                status=str(statuses[report.status]),
                progress=report.progress,
                progress_text=report.progress_text,
                problems=report.problems,
                next_steps=report.next_steps,
            )
        comment = "" if writable else _("This report is submitted; this row is not imported.")
        token = template_model.make_token(task.pk, sign, "task")
        report_lines.append(template_model.Line(token, cells, comment))
        values = {tv.target_id: tv.value for tv in report.target_values.all()} if report else {}
        for target in task.targets.all():
            value = values.get(target.pk) if writable else None
            target_cells = {
                "number": number_cell(task.number),
                "label": target.label,
                "goal": target_goal(target),
                "unit": target.unit,
                "value": None if value is None else float(value),
            }
            token = template_model.make_token(target.pk, sign, "target")
            target_lines.append(template_model.Line(token, target_cells, comment))
    label = period_label(period)
    report_headers, target_headers = headers()
    template = template_model.Template(
        reports=template_model.Sheet(
            _("Progress reports"),
            _("%(unit)s: key-task progress report, %(period)s") % {"unit": unit, "period": label},
            _(
                "Fill in the white cells. Status: choose from the list. Progress: a whole number "
                "from 0 to 100, or leave it empty to have it worked out from the targets. Target "
                "values go on the sheet “%(sheet)s”. Rows left empty are not imported."
            )
            % {"sheet": _("Target values")},
            report_headers,
        ),
        targets=template_model.Sheet(
            _("Target values"),
            _("%(unit)s: target values, %(period)s") % {"unit": unit, "period": label},
            _("Write the value each target has reached in the column “%(column)s”.")
            % {"column": target_headers["value"]},
            target_headers,
        ),
        statuses=[str(label) for label in statuses.values()],
        report_lines=report_lines,
        target_lines=target_lines,
        meta={
            "plan": period.plan_id,
            "period": period.code,
            "unit": unit.pk,
            "unit_name": unit.name,
            "status_error": _("Choose a status from the list."),
            "progress_error": _("A whole number from 0 to 100."),
            "value_error": _("A number, zero or more."),
        },
    )
    filename = _("%(unit)s %(period)s report.xlsx") % {"unit": unit.name, "period": label}
    return template_xlsx.build_template(template), filename


def number_cell(number: str) -> int | str:
    return int(number) if number.isdigit() else number


def target_goal(target: Target) -> str:
    prefix = OP_SYMBOLS[target.op] if target.op in (">=", "<=") else ""
    return prefix + target_amount(target.op, target.value, target.value_max, "")


def status_labels() -> dict[str, str]:
    """Label → status in every language duban speaks, and the stored values themselves."""
    labels = {value: value for value in TaskStatus.values}
    for language in ("en", "zh-hans"):
        with override(language):
            labels.update({str(label): value for value, label in TaskStatus.choices})
    return labels


def describe(problem: excel.Problem, reports_sheet: str = "") -> str:
    """One problem as a person reads it: ``第5行「完成进度%」列：…``."""
    text = _(problem.message) % problem.params if problem.params else _(problem.message)
    if problem.row is None:
        return text
    params = {"row": problem.row, "column": problem.column, "sheet": problem.sheet, "error": text}
    if problem.sheet and problem.sheet != reports_sheet:
        if problem.column:
            return _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(error)s") % params
        return _("Sheet “%(sheet)s”, row %(row)s: %(error)s") % params
    if problem.column:
        return _("Row %(row)s, column “%(column)s”: %(error)s") % params
    return _("Row %(row)s: %(error)s") % params
