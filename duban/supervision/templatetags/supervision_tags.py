"""The supervision panel of the task page: notices, extension requests, 约谈 notes and the
escalation suggestions the office may confirm."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef, Q

from duban.core import clock
from duban.core.permissions import Action, can
from duban.ledger.models import Task
from duban.reporting.models import Period
from duban.reporting.services.periods import period_label

from ..escalation import suggestions
from ..models import ExtensionRequest, ExtensionState, Notice, Summons
from ..services.notices import is_overdue, light_events

register = template.Library()


@register.filter
def period_name(period: Period | None) -> str:
    """A period in words (2023年第1季度), never its code."""
    return period_label(period) if period is not None else ""


PANEL_LIMIT = 20


@register.inclusion_tag("supervision/_panel.html", takes_context=True)
def supervision_panel(context: dict[str, Any], task: Task) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    # One query says whether the user sees the task and what there is to show; a task without
    # any supervision (most of them) costs nothing more: the task page has a query budget.
    found = (
        Task.objects.filter(pk=task.pk)
        .restrict(user, Action.VIEW)
        .annotate(
            has_notices=Exists(Notice.objects.filter(task=OuterRef("pk"))),
            has_period_notices=Exists(Notice.tasks.through.objects.filter(task_id=OuterRef("pk"))),
            has_extensions=Exists(ExtensionRequest.objects.filter(task=OuterRef("pk"))),
            has_summonses=Exists(Summons.objects.filter(task=OuterRef("pk"))),
        )
        .values("has_notices", "has_period_notices", "has_extensions", "has_summonses")
        .first()
    )
    if found is None:
        return {"hidden": True}
    today = clock.today()
    office = can(user, Action.REVIEW, task)
    notices: list[Notice] = []
    if found["has_notices"] or found["has_period_notices"]:
        listing = Notice.tasks.through.objects.filter(notice_id=OuterRef("pk"), task_id=task.pk)
        notices = list(
            Notice.objects.restrict(user, Action.VIEW)
            .filter(Q(task=task) | Q(Exists(listing)))
            .select_related("unit", "period")
            .order_by("-issued_at", "-pk")[:PANEL_LIMIT]
        )
    extensions: list[ExtensionRequest] = []
    if found["has_extensions"]:
        extensions = list(
            ExtensionRequest.objects.restrict(user, Action.VIEW)
            .filter(task=task)
            .select_related("milestone", "requested_by", "decided_by")
            .order_by("-requested_at", "-pk")[:PANEL_LIMIT]
        )
    summonses: list[Summons] = []
    if found["has_summonses"]:
        summonses = list(
            Summons.objects.restrict(user, Action.VIEW).filter(task=task)[:PANEL_LIMIT]
        )
    return {
        "hidden": False,
        "task": task,
        "request": request,
        "office": office,
        "lead": can(user, Action.REPORT, task),
        "notices": [(n, is_overdue(n, today)) for n in notices],
        "extensions": extensions,
        "pending": ExtensionState.PENDING,
        "summonses": summonses,
        "suggestions": suggestions(light_events(task)) if office else [],
    }
