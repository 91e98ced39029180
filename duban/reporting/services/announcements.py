"""What the reporting workflows tell people (``duban.core.events``; notify listens).

- a report or a refinement returned by the office: the task's lead unit(s);
- a report or a refinement submitted: the office;
- a period opened: each unit with work in it, once — the reports it writes as lead unit and
  the contributions it is asked for as responsible unit (there is no separate "request" step:
  a period's opening is the request).

The workflows call these inside their transaction, so a rolled-back step tells nobody. Texts
are written in the office's language (``LANGUAGE_CODE``); tasks are named by number and short
text, periods by their label (2023年第1季度), dates as 2023年3月31日.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from duban.accounts.permissions import users_acting_for
from duban.core.events import Event, announce
from duban.core.formatting import format_cn_date, shorten
from duban.directory.models import Unit
from duban.directory.reach import UnitRef, units_of_group
from duban.ledger.models import Assignment, AssignmentRole, Task, reaches

from ..models import Period, Refinement, Report, SlotUnit
from . import periods  # (periods announces an opening: its module, not its names, at import)

SHOWN_NUMBERS = 10  # a period's announcement names at most this many task numbers per list


def lead_unit_ids(task: Task) -> tuple[int, ...]:
    """The units a task's lead assignments reach: named, through a group, or behind an open
    placeholder (the units that may report on it and refine it)."""
    found: set[int] = set()
    leads = Assignment.objects.filter(task=task, role=AssignmentRole.LEAD).select_related("group")
    for assignment in leads:
        if assignment.unit_id is not None:
            found.add(assignment.unit_id)
        elif assignment.group is not None and assignment.group.is_open:
            slots = SlotUnit.objects.filter(assignment=assignment)
            found.update(slots.values_list("unit_id", flat=True))
        elif assignment.group is not None:
            found.update(units_of_group(assignment.group).values_list("pk", flat=True))
    return tuple(sorted(found))


def task_name(task: Task) -> str:
    return _("Task %(number)s: %(text)s") % {"number": task.number, "text": shorten(task.text, 60)}


def title(what: str, task: Task | None = None, period: Period | None = None) -> str:
    """``报告被退回 · 2023年第1季度 · 第1项任务``: what happened, the period, the task's number."""
    parts = [what, periods.period_label(period) if period is not None else ""]
    parts.append(_("Task %(number)s") % {"number": task.number} if task is not None else "")
    return " · ".join(part for part in parts if part)


def _comment(text: str) -> str:
    text = text.strip().rstrip("。.！!；; \n")
    return shorten(text, 200)


def report_returned(report: Report) -> None:
    task, period = report.task, report.period
    with translation.override(settings.LANGUAGE_CODE):
        announce(
            Event(
                kind="report_returned",
                key=f"report_returned:r{report.pk}:v{report.version}",
                title=title(_("Report returned"), task, period),
                body=_(
                    "%(task)s — the office returned the %(period)s report. Comment: %(comment)s. "
                    "Correct it and submit it again (due %(due)s)."
                )
                % {
                    "task": task_name(task),
                    "period": periods.period_label(period),
                    "comment": _comment(report.review_comment),
                    "due": format_cn_date(period.due_on),
                },
                link=reverse("reporting:report", args=[task.pk, period.pk]),
                unit_ids=lead_unit_ids(task),
                task_id=task.pk,
                due_on=period.due_on,
            )
        )


def report_submitted(report: Report) -> None:
    task, period = report.task, report.period
    with translation.override(settings.LANGUAGE_CODE):
        body = _("%(task)s — the %(period)s report is submitted and waits for review.")
        if report.days_late:
            body = _(
                "%(task)s — the %(period)s report is submitted, %(days)s days late, and waits "
                "for review."
            )
        announce(
            Event(
                kind="report_submitted",
                key=f"report_submitted:r{report.pk}:v{report.version}",
                title=title(_("Report submitted"), task, period),
                body=body
                % {
                    "task": task_name(task),
                    "period": periods.period_label(period),
                    "days": report.days_late,
                },
                link=reverse("reporting:report", args=[task.pk, period.pk]),
                to_office=True,
                task_id=task.pk,
            )
        )


def refinement_returned(refinement: Refinement, *, reopened: bool = False) -> None:
    task = refinement.task
    with translation.override(settings.LANGUAGE_CODE):
        what = _("Refinement reopened") if reopened else _("Refinement returned")
        announce(
            Event(
                kind="refinement_returned",
                key=f"refinement_returned:t{task.pk}:v{refinement.version}",
                title=title(what, task),
                body=_(
                    "%(task)s — the office returned the refinement. Comment: %(comment)s. "
                    "Correct it and submit it again."
                )
                % {"task": task_name(task), "comment": _comment(refinement.review_comment)},
                link=reverse("reporting:refinement", args=[task.pk]),
                unit_ids=lead_unit_ids(task),
                task_id=task.pk,
            )
        )


def refinement_submitted(refinement: Refinement) -> None:
    task = refinement.task
    with translation.override(settings.LANGUAGE_CODE):
        announce(
            Event(
                kind="refinement_submitted",
                key=f"refinement_submitted:t{task.pk}:v{refinement.version}",
                title=title(_("Refinement submitted"), task),
                body=_("%(task)s — the lead unit submitted its refinement for review.")
                % {"task": task_name(task)},
                link=reverse("reporting:refinement", args=[task.pk]),
                to_office=True,
                task_id=task.pk,
            )
        )


def _numbers(tasks: list[Task]) -> str:
    shown = [task.number for task in tasks[:SHOWN_NUMBERS]]
    text = _(", ").join(shown)
    return text + "…" if len(tasks) > SHOWN_NUMBERS else text


def period_opened(period: Period) -> None:
    """Tell each unit with operators what the period asks of it, once per period (reopening a
    closed period tells nobody again): the reports it writes, the contributions it gives."""
    unit_ids = set(users_acting_for().values_list("membership__unit_id", flat=True))
    tasks = Task.objects.filter(plan_id=period.plan_id).order_by("position")
    with translation.override(settings.LANGUAGE_CODE):
        label = periods.period_label(period)
        for unit in Unit.objects.filter(pk__in=unit_ids).order_by("pk"):
            ref = UnitRef.of(unit)
            lead = list(tasks.filter(reaches(ref, AssignmentRole.LEAD)))
            asked = list(
                tasks.filter(reaches(ref, AssignmentRole.RESPONSIBLE)).exclude(
                    reaches(ref, AssignmentRole.LEAD)
                )
            )
            if not lead and not asked:
                continue
            if lead and asked:
                body = _(
                    "Due on %(due)s. Reports to write as lead unit: %(lead)s (tasks "
                    "%(lead_numbers)s). Contributions requested as responsible unit: %(asked)s "
                    "(tasks %(asked_numbers)s)."
                )
            elif lead:
                body = _(
                    "Due on %(due)s. Reports to write as lead unit: %(lead)s (tasks "
                    "%(lead_numbers)s)."
                )
            else:
                body = _(
                    "Due on %(due)s. Contributions requested as responsible unit: %(asked)s "
                    "(tasks %(asked_numbers)s)."
                )
            values = {
                "due": format_cn_date(period.due_on),
                "lead": len(lead),
                "lead_numbers": _numbers(lead),
                "asked": len(asked),
                "asked_numbers": _numbers(asked),
            }
            announce(
                Event(
                    kind="period_opened",
                    key=f"period_opened:p{period.pk}:u{unit.pk}",
                    title=_("%(period)s reporting has opened") % {"period": label},
                    body=body % values,
                    link=reverse("reporting:todo"),
                    unit_ids=(unit.pk,),
                    due_on=period.due_on,
                )
            )
