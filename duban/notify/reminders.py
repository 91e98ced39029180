"""What is due, and for whom: the reminders of one day, read from the 待办 querysets.

- reports due within ``DUBAN_REMIND_DAYS`` days, and overdue, in open periods: the lead unit's
  operators (``report_due``, ``report_overdue``);
- contributions requested in open periods, and overdue: the responsible units' operators
  (``contribution_requested``, ``contribution_overdue``);
- refinements to write (newest plan, no refinement or a draft): the lead unit's operators;
- milestones of submitted or accepted refinements, not yet reached in a report, due within the
  window or overdue (for 30 days): the milestone's unit, else the lead unit
  (``milestone_due``, ``milestone_overdue``);
- rectification items the office returned (退回整改) and the unit has not reported again: the
  owner unit's operators, once per return (``item_returned``);
- for the office, one summary per open period past its due date: how many reports are missing
  (``reports_overdue``).

Every reminder carries a key (kind, subject, due date). A notification item is unique per
person and key, so a reminder reaches each person once, however often ``duban remind`` runs; a
due date moved by the office makes a new reminder. Titles name what is due, the period by its
label (2023年第1季度) and the task by its number (第1项任务); bodies the task's short text too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from duban.accounts.permissions import users_acting_for, users_with
from duban.core import clock
from duban.core.formatting import format_cn_date, shorten
from duban.core.permissions import Action, actor
from duban.directory.reach import UnitRef
from duban.inspections.models import ItemState, RectificationItem
from duban.ledger.models import AssignmentRole, Task, reaches, unit_of
from duban.reporting.models import Milestone, Period, PeriodState, Report, ReviewState
from duban.reporting.services.announcements import task_name
from duban.reporting.services.periods import period_label
from duban.reporting.services.todo import Kind, querysets

MILESTONE_OVERDUE_DAYS = 30  # older overdue milestones are not reminded on a first run


@dataclass(frozen=True)
class Reminder:
    kind: str
    key: str  # kind, subject and due date: the same reminder always has the same key
    user: Any
    unit_id: int | None  # the recipient's unit (a group robot sends once per unit)
    title: str
    body: str
    link: str
    task: Task | None = None
    due_on: date | None = None


def remind_days() -> int:
    return int(settings.NOTIFY_REMIND_DAYS)


def date_text(value: date) -> str:
    if (translation.get_language() or "").startswith("zh"):
        return format_cn_date(value)
    return value.isoformat()


def _title(what: str, task: Task | None = None, period: str = "") -> str:
    """``报送即将截止 · 2023年第1季度 · 第1项任务``: what, the period's label, the task's number."""
    number = _("Task %(number)s") % {"number": task.number} if task is not None else ""
    return " · ".join(part for part in (what, period, number) if part)


def compute(today: date | None = None) -> list[Reminder]:
    """Every reminder due on ``today`` (local date by default), in the office's language."""
    today = today or clock.today()
    with translation.override(settings.LANGUAGE_CODE):
        return list(_compute(today))


def _compute(today: date) -> Iterator[Reminder]:
    labels = {period.pk: period_label(period) for period in Period.objects.all()}
    operators = users_acting_for().select_related("membership__unit")
    for user in operators.order_by("pk"):
        yield from _for_operator(user, today, labels)
    office = users_with(Action.MANAGE_LEDGER).select_related("membership")
    yield from _for_office(list(office.order_by("pk")), today)


def _for_operator(user: Any, today: date, labels: dict[int, str]) -> Iterator[Reminder]:
    unit = unit_of(actor(user))  # a unit's operator acts for the unit
    unit_id = unit.id
    window = today + timedelta(days=remind_days())
    found = querysets(user)
    for task in found[Kind.REPORTS_TO_WRITE].select_related("plan"):
        due: date = task.due_on
        period_id: int = task.period_id
        label = labels[period_id]
        link = reverse("reporting:report", args=[task.pk, period_id])
        if today > due:
            kind, title = "report_overdue", _("Report overdue")
            body = _("%(task)s — the %(period)s report was due on %(due)s (%(days)s days ago).")
        elif due <= window:
            kind, title = "report_due", _("Report due soon")
            body = _("%(task)s — the %(period)s report is due on %(due)s (in %(days)s days).")
        else:
            continue
        yield Reminder(
            kind=kind,
            key=f"{kind}:t{task.pk}:p{period_id}:{due.isoformat()}",
            user=user,
            unit_id=unit_id,
            title=_title(title, task, label),
            body=body
            % {
                "task": task_name(task),
                "period": label,
                "due": date_text(due),
                "days": abs((due - today).days),
            },
            link=link,
            task=task,
            due_on=due,
        )
    for task in found[Kind.CONTRIBUTIONS].select_related("plan"):
        due = task.due_on
        period_id = task.period_id
        label = labels[period_id]
        if today > due:
            kind, title = "contribution_overdue", _("Contribution overdue")
            body = _("%(task)s — your contribution to the %(period)s report was due on %(due)s.")
        else:
            kind, title = "contribution_requested", _("Contribution requested")
            body = _(
                "%(task)s — the lead unit needs your contribution to the %(period)s report "
                "by %(due)s."
            )
        yield Reminder(
            kind=kind,
            key=f"{kind}:t{task.pk}:p{period_id}:{due.isoformat()}",
            user=user,
            unit_id=unit_id,
            title=_title(title, task, label),
            body=body % {"task": task_name(task), "period": label, "due": date_text(due)},
            link=reverse("reporting:contribution_edit", args=[task.pk, period_id]),
            task=task,
            due_on=due,
        )
    for task in found[Kind.REFINEMENTS_TO_WRITE].select_related("plan"):
        yield Reminder(
            kind="refinement_to_write",
            key=f"refinement_to_write:t{task.pk}",
            user=user,
            unit_id=unit_id,
            title=_title(_("Refinement to write"), task),
            body=_("%(task)s — break the task down into milestones and quarterly progress.")
            % {"task": task_name(task)},
            link=reverse("reporting:refinement", args=[task.pk]),
            task=task,
        )
    yield from _milestones(user, unit, today, window)
    yield from _returned_items(user, unit_id)


def _milestones(user: Any, unit: UnitRef, today: date, window: date) -> Iterator[Reminder]:
    """Milestones of the unit's own, and those without a unit of the tasks the unit leads (by
    name, through a group, or named behind an open placeholder: ``reaches``)."""
    unit_id = unit.id
    lead = Task.objects.filter(reaches(unit, AssignmentRole.LEAD)).values("pk")
    milestones = (
        Milestone.objects.filter(
            Q(unit_id=unit_id) | Q(unit__isnull=True, refinement__task__in=lead),
            refinement__state__in=(ReviewState.SUBMITTED, ReviewState.ACCEPTED),
            due_on__lte=window,
            due_on__gte=today - timedelta(days=MILESTONE_OVERDUE_DAYS),
        )
        .exclude(pk__in=Report.milestones_reached.through.objects.values("milestone_id"))
        .select_related("refinement__task")
        .order_by("due_on", "pk")
    )
    for milestone in milestones:
        task = milestone.refinement.task
        overdue = today > milestone.due_on
        kind = "milestone_overdue" if overdue else "milestone_due"
        title = _("Milestone overdue") if overdue else _("Milestone due soon")
        body = (
            _("%(task)s — milestone “%(what)s” was due on %(due)s.")
            if overdue
            else _("%(task)s — milestone “%(what)s” is due on %(due)s.")
        )
        yield Reminder(
            kind=kind,
            key=f"{kind}:m{milestone.pk}:{milestone.due_on.isoformat()}",
            user=user,
            unit_id=unit_id,
            title=_title(title, task),
            body=body
            % {
                "task": task_name(task),
                "what": milestone.description,
                "due": date_text(milestone.due_on),
            },
            link=reverse("reporting:refinement", args=[task.pk]),
            task=task,
            due_on=milestone.due_on,
        )


def _returned_items(user: Any, unit_id: int | None) -> Iterator[Reminder]:
    """整改事项被退回: each rectification item the office returned to the unit and not yet
    reported again, once per return (the key counts the returns)."""
    items = (
        RectificationItem.objects.restrict(user, Action.REPLY)
        .filter(state=ItemState.RETURNED)
        .select_related("task")
        .order_by("deadline", "pk")
    )
    for item in items:
        text = shorten(item.text, 40)
        reason = shorten(item.return_reason.rstrip("。.！!；; \n"), 200)
        yield Reminder(
            kind="item_returned",
            key=f"item_returned:i{item.pk}:r{item.times_returned}",
            user=user,
            unit_id=unit_id,
            title=_title(_("Rectification item returned"), item.task),
            body=_(
                "%(task)s — the office returned the rectification report on “%(item)s”. "
                "Reason: %(reason)s. Report again (deadline %(due)s)."
            )
            % {
                "task": task_name(item.task),
                "item": text,
                "reason": reason,
                "due": date_text(item.deadline),
            },
            link=reverse("inspections:item", args=[item.pk]),
            task=item.task,
            due_on=item.deadline,
        )


def _for_office(office: list[Any], today: date) -> Iterator[Reminder]:
    if not office:
        return
    periods = Period.objects.filter(state=PeriodState.OPEN, due_on__lt=today).select_related("plan")
    for period in periods:
        done = Report.objects.filter(
            period=period, state__in=(ReviewState.SUBMITTED, ReviewState.ACCEPTED)
        ).values("task_id")
        missing = period.plan.tasks.exclude(pk__in=done).count()
        if not missing:
            continue
        label = period_label(period)
        for user in office:
            membership = getattr(user, "membership", None)
            yield Reminder(
                kind="reports_overdue",
                key=f"reports_overdue:p{period.pk}:{period.due_on.isoformat()}",
                user=user,
                unit_id=membership.unit_id if membership is not None else None,
                title=_title(_("Reports overdue"), period=label),
                body=_("%(period)s: %(count)s reports were due on %(due)s and are not submitted.")
                % {"period": label, "count": missing, "due": date_text(period.due_on)},
                link=reverse("reporting:period_reports", args=[period.pk]),
                due_on=period.due_on,
            )
