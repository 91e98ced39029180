"""What the report pages share: finding the task and period, rendering."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from duban.ledger.models import Task

from ..models import Period
from ..services.periods import period_label


def task_and_period(task_pk: int, period_pk: int) -> tuple[Task, Period]:
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_pk)
    period = get_object_or_404(Period, pk=period_pk, plan_id=task.plan_id)
    return task, period


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    period = context.get("period")
    if isinstance(period, Period):
        context.setdefault("period_label", period_label(period))
    context.setdefault("nav", "ledger")
    context.setdefault("max_upload_mb", settings.DUBAN_MAX_UPLOAD_BYTES // 2**20)
    return render(request, f"reporting/reports/{template}", context, status=status)
