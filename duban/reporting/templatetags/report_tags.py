"""The reports panel of the task page: each period's report, what the user may do with it.

Two queries in all (may the user see the task; the periods with their report and the count
of contributions), one more for a responsible unit's own contributions: the ledger holds the
task page to a small, fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from duban.core.permissions import Action, actor, can
from duban.ledger.models import AssignmentRole, Target, Task

from ..models import EDITABLE, Contribution, Period, PeriodState, Report, ReviewState, SlotUnit
from ..services.contributions import expected_contributors
from ..services.periods import period_label
from ..services.report_template import target_goal

register = template.Library()


def _periods(task: Task) -> list[tuple[Period, Report | None, int]]:
    """The plan's periods, each with this task's report (or None) and its contributions."""
    reports = Report.objects.filter(task=task, period=OuterRef("pk"))
    submitted = (
        Contribution.objects.filter(task=task, period=OuterRef("pk"), state=ReviewState.SUBMITTED)
        .values("period")
        .annotate(count=Count("pk"))
        .values("count")
    )
    found: QuerySet[Any] = (  # periods annotated with the task's report
        Period.objects.filter(plan_id=task.plan_id)
        .annotate(
            report_id=Subquery(reports.values("pk")[:1]),
            report_state=Subquery(reports.values("state")[:1]),
            report_days_late=Subquery(reports.values("days_late")[:1]),
            contributed=Coalesce(Subquery(submitted, output_field=IntegerField()), 0),
        )
        .order_by("due_on", "code")
    )
    rows: list[tuple[Period, Report | None, int]] = []
    for period in found:
        report = None
        if period.report_id is not None:
            report = Report(
                pk=period.report_id,
                task=task,
                period=period,
                state=period.report_state,
                days_late=period.report_days_late or 0,
            )
        rows.append((period, report, period.contributed))
    return rows


def _expected(context: dict[str, Any], task: Task) -> int:
    """How many units should contribute, from the task page's row when it has one."""
    row = context.get("row")
    if row is None or getattr(row, "task", None) != task:
        return len(expected_contributors(task))
    leads = {entry.unit_id for entry in row.lead if entry.unit_id}
    units: set[int] = set()
    slots = False
    for entry in row.responsible:
        if entry.unit_id:
            units.add(entry.unit_id)
        elif entry.is_open:
            slots = True
        else:
            units.update(pk for pk, _name in entry.members)
    if slots:
        named = SlotUnit.objects.filter(
            assignment__task=task, assignment__role=AssignmentRole.RESPONSIBLE
        )
        units.update(named.values_list("unit_id", flat=True))
    return len(units - leads)


@register.inclusion_tag("reporting/_reports_panel.html", takes_context=True)
def reports_panel(context: dict[str, Any], task: Task) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not can(user, Action.VIEW, task):
        return {"hidden": True}
    periods = _periods(task)
    author = can(user, Action.REPORT, task)
    reviewer = can(user, Action.REVIEW, task)
    contributor = can(user, Action.CONTRIBUTE, task)
    unit_id = actor(user).unit_id
    own = (
        {c.period_id: c for c in Contribution.objects.filter(task=task, unit_id=unit_id)}
        if contributor and unit_id is not None and periods
        else {}
    )
    rows = []
    for period, report, contributed in periods:
        is_open = period.state == PeriodState.OPEN
        rows.append(
            {
                "period": period,
                "label": period_label(period),
                "report": report,
                "write": author and is_open and (report is None or report.state in EDITABLE),
                "review": reviewer and report is not None and report.state == ReviewState.SUBMITTED,
                "contribute": contributor and (is_open or period.pk in own),
                "own": own.get(period.pk),
                "contributed": contributed,
            }
        )
    return {
        "task": task,
        "rows": rows,
        "expected": _expected(context, task) if periods else 0,
        "manage": can(user, Action.MANAGE_LEDGER),
        "request": request,
    }


@register.filter
def goal(target: Target) -> str:
    """``{{ target|goal }}`` → ≥16个, 2—3个, 294亿元: the target as the notice sets it."""
    return target_goal(target) + target.unit
