"""The inspections panel of the task page, and the nav link's permission filter.

One query for a task no inspection found anything on, two otherwise (the task's findings with
their inspection, the items with their unit), whatever the number: a fixed query budget.
"""

from __future__ import annotations

from typing import Any

from django import template

from duban.core.permissions import Action, actor, can
from duban.ledger.models import Task

from ..models import Finding, RectificationItem
from ..views import with_lights

register = template.Library()


@register.filter
def opens_inspections(user: Any) -> bool:
    """``user|opens_inspections``: the office and the units see the 专项督查 link (leaders and
    viewers find the inspections of their tasks on the task pages)."""
    who = actor(user)
    return who.reads_business and (who.manages or who.unit_id is not None)


@register.inclusion_tag("inspections/_panel.html", takes_context=True)
def inspection_panel(context: template.Context, task: Task) -> dict[str, Any]:
    user = context["request"].user
    findings = list(
        Finding.objects.restrict(user, Action.VIEW)
        .filter(task=task)
        .select_related("inspection")
        .order_by("found_on", "pk")
    )
    if not findings:  # every item hangs on a finding: nothing more to ask
        return {"task": task, "findings": [], "items": [], "hidden": True}
    items = with_lights(
        RectificationItem.objects.restrict(user, Action.VIEW)
        .filter(task=task)
        .select_related("unit")
    )
    by_finding: dict[int, list[Any]] = {}
    for item in items:
        by_finding.setdefault(item.finding_id, []).append(item)
    for finding in findings:
        finding.shown_items = by_finding.get(finding.pk, [])  # type: ignore[attr-defined]
    return {
        "task": task,
        "findings": findings,
        "items": items,
        "hidden": not findings and not items,
        "manage": can(user, Action.MANAGE_LEDGER),
    }
