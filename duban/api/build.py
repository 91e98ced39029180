"""Model rows turned into the API's plain dictionaries (shaped as ``schemas``), in batches.

A list of tasks costs a fixed number of queries however many tasks it holds: the tasks with
their area, plan, refinement and light override (one), their assignments, leaders and targets
(``duban.ledger.queries.with_details``: three), the directory when a group is named, the lights
and the latest reports through the annotators the ledger's rows use
(``duban.lights.services.attach_lights``, ``duban.reporting.services.latest.attach_latest``).
Labels are translated once per list, not once per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from duban.directory.models import Unit, UnitKind
from duban.ledger.models import AssignmentRole, Plan, Task, TaskStatus
from duban.ledger.queries import Directory, with_details
from duban.lights.display import colour_label, describe
from duban.lights.services import Light, attach_lights
from duban.reporting.models import (
    Contribution,
    Period,
    PeriodKind,
    PeriodState,
    Report,
    ReviewState,
)
from duban.reporting.services.latest import Latest, attach_latest
from duban.reporting.services.periods import period_label
from duban.supervision.models import Notice, NoticeLevel, NoticeState


@dataclass
class _Row:
    """What the lights' and reporting's row annotators fill in (``attach_lights``,
    ``attach_latest``): the same batches the ledger's rows get, kept current per plan."""

    task: Task
    light: Light | None = None
    latest: Latest | None = None


def labels(choices: Any) -> dict[str, str]:
    """``{stored value: label}`` of a choices class, translated now (once per list)."""
    return {value: str(label) for value, label in choices.choices}


def tasks_with_details(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """What a task item shows, loaded in a fixed number of queries."""
    return with_details(tasks.select_related("plan", "refinement", "light_override"))


def plan_item(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "doc_number": plan.doc_number,
        "issuer": plan.issuer,
        "signed_on": plan.signed_on,
    }


def unit_items(units: Iterable[Unit]) -> list[dict[str, Any]]:
    kinds = labels(UnitKind)
    return [
        {
            "id": unit.pk,
            "name": unit.name,
            "full_name": unit.full_name,
            "kind": unit.kind,
            "kind_label": kinds.get(unit.kind, unit.kind),
            "code": unit.code,
            "active": unit.active,
            "aliases": [alias.name for alias in unit.aliases.all()],
        }
        for unit in units
    ]


def _light(light: Light | None) -> dict[str, Any] | None:
    if light is None:
        return None
    return {
        "colour": str(light.colour),
        "label": colour_label(light.colour),
        "computed": str(light.computed),
        "overridden": light.overridden,
        "reasons": [describe(reason) for reason in light.reasons],
    }


def _latest(latest: Latest | None) -> dict[str, Any] | None:
    if latest is None:
        return None
    return {
        "period": latest.period.code if latest.period is not None else None,
        "period_label": latest.period_label,
        "state": latest.state or None,
        "state_label": latest.state_label,
        "at": latest.on,
        "days_late": latest.days_late,
        "progress": latest.progress,
        "progress_period": latest.progress_period,
        "progress_text": latest.progress_text,
    }


def task_items(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Task items of tasks loaded with ``tasks_with_details``."""
    if not tasks:
        return []
    statuses = labels(TaskStatus)
    roles = labels(AssignmentRole)
    rows = attach_latest(attach_lights([_Row(task) for task in tasks]))
    lights = {row.task.pk: row.light for row in rows}
    latest = {row.task.pk: row.latest for row in rows}
    directory = None
    if any(a.group_id is not None for task in tasks for a in task.assignments.all()):
        directory = Directory.load()
    items = []
    for task in tasks:
        area = task.area
        assignments = []
        for assignment in task.assignments.all():
            members: list[dict[str, Any]] = []
            if assignment.group_id is not None and directory is not None:
                members = [
                    {"id": unit.pk, "name": unit.name}
                    for unit in directory.expansion(assignment.group_id)
                ]
            assignments.append(
                {
                    "role": assignment.role,
                    "role_label": roles.get(assignment.role, assignment.role),
                    "name": assignment.name,
                    "unit": assignment.unit_id,
                    "group": assignment.group_id,
                    "members": members,
                }
            )
        items.append(
            {
                "id": task.pk,
                "plan": task.plan_id,
                "number": task.number,
                "text": task.text,
                "area": (
                    {"id": area.pk, "number": area.number, "title": area.title}
                    if area is not None
                    else None
                ),
                "deadline": task.deadline,
                "status": task.status,
                "status_label": statuses.get(task.status, task.status),
                "leaders": [
                    {"id": link.leader_id, "name": link.leader.name}
                    for link in task.task_leaders.all()
                ],
                "assignments": assignments,
                "targets": [
                    {
                        "id": target.pk,
                        "label": target.label,
                        "op": target.op,
                        "value": float(target.value),
                        "value_max": float(target.value_max)
                        if target.value_max is not None
                        else None,
                        "unit": target.unit,
                        "source": target.source,
                    }
                    for target in task.targets.all()
                ],
                "light": _light(lights.get(task.pk)),
                "latest_report": _latest(latest.get(task.pk)),
            }
        )
    return items


def period_items(periods: Iterable[Period]) -> list[dict[str, Any]]:
    states = labels(PeriodState)
    return [
        {
            "id": period.pk,
            "plan": period.plan_id,
            "code": period.code,
            "label": period_label(period),
            "kind": period.kind if period.kind in PeriodKind.values else PeriodKind.QUARTER,
            "quarter": period.quarter,
            "opens_on": period.opens_on,
            "due_on": period.due_on,
            "state": period.state,
            "state_label": states.get(period.state, period.state),
        }
        for period in periods
    ]


def report_items(reports: Iterable[Report]) -> list[dict[str, Any]]:
    """Reports loaded with their period and target values (``reports_with_details``)."""
    states = labels(ReviewState)
    return [
        {
            "id": report.pk,
            "task": report.task_id,
            "period": report.period_id,
            "period_code": report.period.code,
            "state": report.state,
            "state_label": states.get(report.state, report.state),
            "status": report.status,
            "progress": report.progress,
            "progress_text": report.progress_text,
            "problems": report.problems,
            "next_steps": report.next_steps,
            "target_values": [
                {"target": value.target_id, "value": float(value.value)}
                for value in report.target_values.all()
            ],
            "submitted_at": report.submitted_at,
            "days_late": report.days_late,
            "review_comment": report.review_comment,
            "reviewed_at": report.reviewed_at,
            "version": report.version,
        }
        for report in reports
    ]


def reports_with_details(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("period").prefetch_related("target_values")


def contribution_items(contributions: Iterable[Contribution]) -> list[dict[str, Any]]:
    states = labels(ReviewState)
    return [
        {
            "id": c.pk,
            "task": c.task_id,
            "period": c.period_id,
            "period_code": c.period.code,
            "unit": {"id": c.unit_id, "name": c.unit.name},
            "state": c.state,
            "state_label": states.get(c.state, c.state),
            "text": c.text,
            "figures": c.figures,
            "submitted_at": c.submitted_at,
        }
        for c in contributions
    ]


def notices_with_details(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    return notices.select_related("unit").prefetch_related("co_units", "tasks")


def notice_items(notices: Iterable[Notice]) -> list[dict[str, Any]]:
    levels, states = labels(NoticeLevel), labels(NoticeState)
    items = []
    for notice in notices:
        listed = [notice.task_id] if notice.task_id is not None else []
        listed += [task.pk for task in notice.tasks.all() if task.pk not in listed]
        items.append(
            {
                "id": notice.pk,
                "doc_number": notice.doc_number,
                "level": notice.level,
                "level_label": levels.get(notice.level, notice.level),
                "state": notice.state,
                "state_label": states.get(notice.state, notice.state),
                "task": notice.task_id,
                "period": notice.period_id,
                "tasks": listed,
                "unit": {"id": notice.unit_id, "name": notice.unit.name},
                "co_units": [{"id": u.pk, "name": u.name} for u in notice.co_units.all()],
                "problem": notice.problem,
                "requirement": notice.requirement,
                "reply_due": notice.reply_due,
                "issuer": notice.issuer,
                "issued_at": notice.issued_at,
                "signed_at": notice.signed_at,
                "reply_text": notice.reply_text,
                "replied_at": notice.replied_at,
                "office_comment": notice.office_comment,
                "closed_at": notice.closed_at,
                "parent": notice.parent_id,
            }
        )
    return items
