"""Importing a filled-in report template: every cell checked, then all rows or none.

``import_reports`` reads the workbook of ``reports_template.report_template`` back and checks,
before writing anything: that it is a duban template for this unit and period, that the period
is open, and on every row the task (identified by its hidden, checksummed identifier: unknown,
of another plan, not led by the unit, given twice, its 序号 changed), the status (one of the
four), the progress (a whole number from 0 to 100, or empty), the texts (at most ``MAX_TEXT``
characters), every target value (a number), that the report is not already submitted or
accepted, and that the user may report on the task. Every target value is read and checked by
the report form's rule (``figures.read_figure``, ``reports.check_figures``): a plain,
non-negative number, no exponent notation; a value more than three times its target or lower
than the previous quarter's submitted one is a warning, refused unless ``confirm_warnings``
(已核实超常数据, ``--confirm-warnings``) accepts it. Any problem or unconfirmed warning raises
``ImportRejected`` listing them all in the workbook's order and nothing is written.

Otherwise every filled row is saved, in one transaction, as a new draft version of its report
(``submit=True`` submits them as well); the unit then reviews and submits its drafts in the
browser. Rows left entirely empty (no status, progress, text or target value) are skipped, and
so is a row that says exactly what its saved draft says (``Imported.changed`` is False: 未变化):
uploading the same workbook twice writes no new version.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.permissions import Action, actor, can, check
from duban.directory.models import Unit
from duban.ledger.models import Target, Task, TaskStatus

from ..models import EDITABLE, Period, PeriodState, Report
from . import excel
from .report_template import describe, headers, lead_tasks, sign, status_labels
from .reports import MAX_TEXT, ReportingError, ReportInput, check_figures, save_report

N_ = excel.N_
ROW_FIELDS = ("status", "progress", "progress_text", "problems", "next_steps")


class ImportRejected(ReportingError):
    """A workbook that was not imported; ``problems`` lists every reason, in order."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Imported:
    task: Task
    report: Report
    changed: bool = True  # False: the row said what the saved report says; nothing written


@dataclass
class _Row:
    """One task's row of the first sheet, read and checked, with its target values."""

    source: excel.Row
    task: Task
    values: dict[str, Any] = field(default_factory=dict)  # parsed ROW_FIELDS
    targets: dict[int, Decimal | None] = field(default_factory=dict)
    target_rows: dict[int, excel.Row] = field(default_factory=dict)  # where each value was
    confirmed: bool = False  # its unusual figures were checked (已核实超常数据)

    @property
    def filled(self) -> bool:
        given = any(self.source.values.get(key) not in (None, "") for key in ROW_FIELDS)
        return given or any(value is not None for value in self.targets.values())

    def report_input(self) -> ReportInput:
        return ReportInput(
            status=self.values["status"],
            progress=self.values.get("progress"),
            progress_text=self.values.get("progress_text", ""),
            problems=self.values.get("problems", ""),
            next_steps=self.values.get("next_steps", ""),
            target_values=self.targets,
            confirmed=self.confirmed,
        )

    def same_as(self, report: Report | None) -> bool:
        """Whether the row says exactly what ``report`` (saved) says."""
        if report is None:
            return False
        data = self.report_input()
        mine = (data.status, data.progress, data.progress_text, data.problems, data.next_steps)
        saved = (report.status, report.progress, report.progress_text, report.problems)
        if mine != (*saved, report.next_steps):
            return False
        stored = {tv.target_id: tv.value for tv in report.target_values.all()}
        return all(stored.get(pk) == value for pk, value in self.targets.items())


class _Problems(list[excel.Problem]):
    def add(self, row: excel.Row, column: str, message: str, **params: Any) -> None:
        self.append(excel.Problem(message, params, row.sheet, row.row, column))


def import_reports(
    *,
    data: bytes,
    filename: str,
    period: Period,
    user: Any,
    unit: Unit | None = None,
    submit: bool = False,
    confirm_warnings: bool = False,
) -> list[Imported]:
    """Write the workbook's reports as drafts (or submitted), or ImportRejected and nothing.

    ``confirm_warnings``: the unusual figures were checked (已核实超常数据) and are taken."""
    read = excel.read_workbook(data)
    sheet = str(read.meta.get("reports_sheet", ""))
    problems = _Problems(read.problems)
    file_unit = None if problems else _check_heading(read.meta, period, unit, problems)
    if problems or file_unit is None:
        raise ImportRejected([describe(p, sheet) for p in problems])
    who = actor(user)
    if user is not None and not (who.active and who.unit_id == file_unit.pk):
        check(user, Action.MANAGE_LEDGER)  # the office imports any unit's workbook
    tasks = {task.pk: task for task in lead_tasks(period.plan, file_unit)}
    rows = _read_rows(read.report_rows, tasks, period, file_unit, problems)
    _read_targets(read.target_rows, tasks, rows, problems)
    reports = {r.task_id: r for r in Report.objects.filter(period=period, task__in=tasks)}
    chosen = [row for row in rows.values() if row.filled]
    unchanged = {
        row.task.pk for row in chosen if not submit and row.same_as(reports.get(row.task.pk))
    }
    warned = False
    for row in chosen:
        _check_row(row, reports.get(row.task.pk), user, submit, problems)
        if row.task.pk not in unchanged:
            row.confirmed = confirm_warnings
            report = reports.get(row.task.pk)
            warned |= _check_figures(row, period, report, confirm_warnings, problems)
    if problems:
        problems.sort(key=lambda p: (p.sheet != sheet, p.row or 0))
        hint = []
        if warned:
            hint = [
                _(
                    "If these figures are right, tick “%(confirm)s” (at the console: "
                    "--confirm-warnings) and upload the file again."
                )
                % {"confirm": _("I have checked the unusual figures")}
            ]
        raise ImportRejected([*(describe(p, sheet) for p in problems), *hint])
    with transaction.atomic():
        return [
            Imported(row.task, reports[row.task.pk], changed=False)
            if row.task.pk in unchanged
            else Imported(
                row.task,
                save_report(
                    task=row.task,
                    period=period,
                    user=user,
                    data=row.report_input(),
                    version=None,
                    submit=submit,
                    source=f"excel:{filename}",
                    on_behalf=True,
                ),
            )
            for row in chosen
        ]


def unchanged_message(numbers: list[str]) -> str:
    """未变化: the tasks whose rows said what their saved reports say (nothing written)."""
    message = _(
        "Unchanged: the reports of tasks %(numbers)s are the same as those saved; no new version "
        "was written."
    )
    return message % {"numbers": "、".join(numbers)}


def _check_figures(
    row: _Row, period: Period, report: Report | None, confirmed: bool, problems: _Problems
) -> bool:
    """The figures' errors, and their warnings unless confirmed (now, or already on the saved
    report); whether any warning was refused."""
    _columns, columns = headers()
    known = report.confirmed_warnings if report is not None else []
    warned = False
    for note in check_figures(row.task, period, row.targets):
        if note.warning and (confirmed or note.stored() in known):
            continue
        warned |= note.warning
        problems.add(row.target_rows[note.target_id], columns["value"], note.text)
    return warned


def _check_heading(
    meta: dict[str, Any], period: Period, unit: Unit | None, problems: _Problems
) -> Unit | None:
    unit_id = meta.get("unit")
    file_unit = Unit.objects.filter(pk=unit_id).first() if isinstance(unit_id, int) else None
    if file_unit is None or (unit is not None and unit != file_unit):
        message = N_("This template is for %(file_unit)s, not for %(unit)s.")
        names = {"file_unit": meta.get("unit_name", "?"), "unit": unit.name if unit else "?"}
        problems.append(excel.Problem(message, names))
    if meta.get("period") != period.code or meta.get("plan") != period.plan_id:
        message = N_("This template is for the period %(file_period)s, not for %(period)s.")
        codes = {"file_period": meta.get("period", "?"), "period": period.code}
        problems.append(excel.Problem(message, codes))
    if period.state != PeriodState.OPEN:
        message = N_("Period %(code)s is not open: reports cannot be imported.")
        problems.append(excel.Problem(message, {"code": period.code}))
    return file_unit


def _task_of(
    row: excel.Row, tasks: dict[int, Task], period: Period, unit: Unit, problems: _Problems
) -> Task | None:
    try:
        task_id = excel.read_token(row.values.get("token"), sign, "task")
    except excel.CellError as exc:
        problems.add(row, "", exc.message, **exc.params)
        return None
    task = tasks.get(task_id)
    if task is None:
        other = Task.objects.filter(pk=task_id, plan=period.plan).first()
        if other is None:
            problems.add(row, "", N_("the task is not in this plan"))
        else:
            message = N_("task %(number)s is not led by %(unit)s")
            problems.add(row, "", message, number=other.number, unit=unit.name)
    return task


def _same_number(value: Any, number: str) -> bool:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip() == number


def _read_rows(
    source: list[excel.Row],
    tasks: dict[int, Task],
    period: Period,
    unit: Unit,
    problems: _Problems,
) -> dict[int, _Row]:
    columns, _target_columns = headers()
    labels = status_labels()
    shown = [str(label) for label in TaskStatus.labels]
    readers = {
        "status": lambda v: None if v in (None, "") else excel.read_status(v, labels, shown),
        "progress": excel.read_progress,
        "progress_text": lambda v: excel.read_text(v, MAX_TEXT),
        "problems": lambda v: excel.read_text(v, MAX_TEXT),
        "next_steps": lambda v: excel.read_text(v, MAX_TEXT),
    }
    rows: dict[int, _Row] = {}
    for row in source:
        empty = all(row.values.get(key) in (None, "") for key in ROW_FIELDS)
        # An empty row is only an error if the second sheet gives its task values.
        task = _task_of(row, tasks, period, unit, _Problems() if empty else problems)
        if task is None:
            continue
        if task.pk in rows:
            problems.add(row, "", N_("task %(number)s appears twice"), number=task.number)
            continue
        if not _same_number(row.values.get("number"), task.number):
            message = N_("“%(value)s” does not match the row's task (task %(number)s)")
            value = row.values.get("number") or ""
            problems.add(row, columns["number"], message, value=value, number=task.number)
        checked = _Row(row, task)
        for key, read in readers.items():
            try:
                checked.values[key] = read(row.values.get(key))
            except excel.CellError as exc:
                problems.add(row, columns[key], exc.message, **exc.params)
        rows[task.pk] = checked
    return rows


def _read_targets(
    source: list[excel.Row], tasks: dict[int, Task], rows: dict[int, _Row], problems: _Problems
) -> None:
    _columns, columns = headers()
    targets = {t.pk: t for t in Target.objects.filter(task__in=list(tasks.values()))}
    for row in source:
        if row.values.get("value") in (None, ""):
            target = None
            with contextlib.suppress(excel.CellError):
                target = targets.get(excel.read_token(row.values.get("token"), sign, "target"))
            if target is not None and target.task_id in rows:
                rows[target.task_id].targets[target.pk] = None  # a value cleared
                rows[target.task_id].target_rows[target.pk] = row
            continue
        try:
            target = targets.get(excel.read_token(row.values.get("token"), sign, "target"))
        except excel.CellError as exc:
            problems.add(row, "", exc.message, **exc.params)
            continue
        if target is None:
            problems.add(row, "", N_("the target is not one of this unit's tasks"))
            continue
        try:
            value = excel.read_number(row.values.get("value"), target.label)
        except excel.CellError as exc:
            problems.add(row, columns["value"], exc.message, **exc.params)
            continue
        owner = rows.get(target.task_id)
        if owner is not None:
            owner.targets[target.pk] = value
            owner.target_rows[target.pk] = row
        else:
            message = N_("task %(number)s has no row on the first sheet")
            problems.add(row, "", message, number=tasks[target.task_id].number)


def _check_row(
    row: _Row, report: Report | None, user: Any, submit: bool, problems: _Problems
) -> None:
    columns, _target_columns = headers()
    number = row.task.number
    if report is not None and report.state not in EDITABLE:
        message = N_("the report of task %(number)s is %(state)s and cannot be changed")
        problems.add(row.source, "", message, number=number, state=report.get_state_display())
        return
    if user is not None and not (
        can(user, Action.REPORT, row.task) or can(user, Action.MANAGE_LEDGER)
    ):
        problems.add(row.source, "", N_("you may not report on task %(number)s"), number=number)
    if row.values.get("status") is None and row.source.values.get("status") in (None, ""):
        problems.add(row.source, columns["status"], N_("choose a status from the list"))
    if submit and not row.values.get("progress_text"):
        message = N_("write the progress made before submitting")
        problems.add(row.source, columns["progress_text"], message)
