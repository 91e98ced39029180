"""The period 催办: one 催办 notice per unit listing every report it still owes for a period.

- ``missing_by_unit(period)`` (the preview): the tasks of the period's plan whose report for the
  period is missing — not written, a draft, or returned and not submitted again (neither
  submitted nor accepted) — gathered per lead unit. A task reaches its lead units as
  ``duban.directory.reach`` says (named, through a group that stands for them, named behind an
  open placeholder): a task led by two units is listed for both. Units with nothing missing are
  not listed.
- ``press_period(...)`` (the confirmation): in ONE transaction, one notice (level 催办, its own
  发文字号 偃督办〔2023〕N号, ``period`` set, the missing tasks in ``tasks``) to each chosen unit,
  each announced to the unit (``notice_issued``); all or nothing.

**No duplicates on the same day.** A unit is skipped when every report it is missing is already
listed in a period 催办 it was sent *today* for the same period (whatever that notice's state);
``UnitMissing.already_pressed`` says so in the preview. Re-running the batch the same day
therefore presses only units with a report missing that today's notices did not list — and then
the new notice lists all its missing reports. On a later day the batch presses everyone again
(that is a new 催办). Concurrent runs on one period are serialised by locking the period row.

Only an open period is pressed for (a planned period asks nothing yet; in a closed one no report
can be written any more). The office does it (``Action.MANAGE_LEDGER``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, check
from duban.directory.models import Unit
from duban.directory.reach import units_of_group
from duban.ledger.models import Assignment, AssignmentRole, Task
from duban.reporting.models import Period, PeriodState, Report, ReviewState, SlotUnit

from ..models import Notice, NoticeLevel
from . import events
from .circulars import period_words
from .notices import SupervisionError, check_notice_text, create_notice

DONE = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
# The requirement the office starts from (the notice's text: a Chinese official document).
DEFAULT_REQUIREMENT = "请立即在督办系统中补报上述重点任务的进展情况，并书面说明逾期未报送的原因。"
DEFAULT_REPLY_DAYS = 3

# How the notice words the state a missing report was found in.
STATE_WORDS: dict[str | None, str] = {
    None: "未填报",
    ReviewState.DRAFT: "已填写但未提交",
    ReviewState.RETURNED: "退回后未重新报送",
}


@dataclass
class MissingReport:
    task: Task
    state: str | None  # the report's state: None (not written), draft or returned

    @property
    def words(self) -> str:
        """How the notice's text words it (未填报, 已填写但未提交, 退回后未重新报送)."""
        return STATE_WORDS.get(self.state, STATE_WORDS[None])

    @property
    def label(self) -> str:
        """The report's state as pages show it."""
        return str(ReviewState(self.state).label) if self.state else _("Not written")


@dataclass
class UnitMissing:
    """One unit's missing reports for the period, and its period 催办 of today."""

    unit: Unit
    missing: list[MissingReport] = field(default_factory=list)
    pressed_today: list[Notice] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [m.task for m in self.missing]

    @property
    def already_pressed(self) -> bool:
        """Every missing report is listed in a period 催办 the unit was sent today."""
        listed = {task.pk for notice in self.pressed_today for task in notice.tasks.all()}
        return all(task.pk in listed for task in self.tasks)


@dataclass
class PressResult:
    issued: list[Notice] = field(default_factory=list)
    already_pressed: list[Unit] = field(default_factory=list)  # skipped: pressed today
    nothing_missing: list[Unit] = field(default_factory=list)  # chosen, but nothing owed now

    @property
    def reports(self) -> int:
        return sum(notice.tasks.count() for notice in self.issued)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def missing_by_unit(period: Period, today: dt.date | None = None) -> list[UnitMissing]:
    """Per lead unit (in the directory's order), the reports of ``period`` it still owes."""
    today = today or clock.today()
    states = dict(Report.objects.filter(period=period).values_list("task_id", "state"))
    missing = [
        MissingReport(task, states.get(task.pk))
        for task in Task.objects.filter(plan_id=period.plan_id).order_by("position")
        if states.get(task.pk) not in DONE
    ]
    if not missing:
        return []
    by_task = {m.task.pk: m for m in missing}
    leads = list(
        Assignment.objects.filter(task__in=list(by_task), role=AssignmentRole.LEAD)
        .select_related("unit", "group")
        .order_by("task__position", "position")
    )
    slots: dict[int, list[Unit]] = {}
    for slot in SlotUnit.objects.filter(assignment__in=leads).select_related("unit"):
        slots.setdefault(slot.assignment_id, []).append(slot.unit)
    expansions: dict[int, list[Unit]] = {}
    found: dict[int, UnitMissing] = {}

    def add(unit: Unit, report: MissingReport) -> None:
        entry = found.setdefault(unit.pk, UnitMissing(unit))
        if report not in entry.missing:
            entry.missing.append(report)

    for assignment in leads:
        report = by_task[assignment.task_id]
        units: list[Unit] = []
        if assignment.unit is not None:
            units = [assignment.unit]
        elif assignment.group is not None:
            units = list(slots.get(assignment.pk, []))
            group = assignment.group
            if not group.is_open:
                if group.pk not in expansions:
                    expansions[group.pk] = list(units_of_group(group))
                units += expansions[group.pk]
        for unit in units:
            add(unit, report)
    for entry in found.values():
        entry.missing.sort(key=lambda m: m.task.position)
    start, end = _day_bounds(today)
    for notice in (
        Notice.objects.filter(
            period=period, unit_id__in=list(found), issued_at__gte=start, issued_at__lt=end
        )
        .prefetch_related("tasks")
        .order_by("serial")
    ):
        found[notice.unit_id].pressed_today.append(notice)
    in_order = Unit.objects.filter(pk__in=list(found)).values_list("pk", flat=True)
    return [found[pk] for pk in in_order]  # in the directory's order


def problem_text(period: Period, entry: UnitMissing, today: dt.date) -> str:
    """截至2023年4月5日，你单位牵头的3项重点任务2023年第一季度进展情况尚未报送（…）：第1项未填报，…"""
    states = "，".join(f"第{m.task.number}项{m.words}" for m in entry.missing)
    return (
        f"截至{format_cn_date(today)}，你单位牵头的{len(entry.missing)}项重点任务"
        f"{period_words(period)}进展情况尚未报送（应于{format_cn_date(period.due_on)}前报送）："
        f"{states}。"
    )


def check_pressable(period: Period) -> None:
    if period.state != PeriodState.OPEN:
        raise SupervisionError(
            _("Only the reports of an open period can be pressed for: this period is %(state)s.")
            % {"state": period.get_state_display()}
        )


def press_period(
    *,
    period: Period,
    reply_due: dt.date,
    requirement: str,
    user: Any,
    units: Iterable[int] | None = None,
) -> PressResult:
    """One 催办 per unit of ``units`` (default: every unit with a missing report) that owes a
    report of ``period`` and was not pressed today for all of them; in one transaction."""
    check(user, Action.MANAGE_LEDGER)
    check_pressable(period)
    check_notice_text(NoticeLevel.URGE, "-", requirement, reply_due)
    chosen = None if units is None else set(units)
    if chosen is not None and not chosen:
        raise SupervisionError(_("Choose at least one unit."))
    result = PressResult()
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        check_pressable(period)
        today = clock.today()
        entries = missing_by_unit(period, today)
        if chosen is not None:
            owing = {entry.unit.pk for entry in entries}
            result.nothing_missing = list(Unit.objects.filter(pk__in=chosen - owing))
            entries = [entry for entry in entries if entry.unit.pk in chosen]
        for entry in entries:
            if entry.already_pressed:
                result.already_pressed.append(entry.unit)
                continue
            notice = create_notice(
                period=period,
                tasks=entry.tasks,
                unit=entry.unit,
                level=NoticeLevel.URGE,
                problem=problem_text(period, entry, today),
                requirement=requirement,
                reply_due=reply_due,
                user=user,
            )
            events.notice_issued(notice)
            result.issued.append(notice)
    return result
