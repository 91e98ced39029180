"""Reports and contributions through the API.

Reading: the reports and contributions of the tasks the person may see. Writing: the lead
unit's operator writes a task's report for an open period, changes it while it is a draft or
returned, and submits it to the office — through the same service as the report page
(``duban.reporting.services.reports``): the same checks of the figures, the same optimistic
lock (``version``), the same versions kept, the same notifications.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from duban.core.permissions import Action
from duban.ledger.models import Task
from duban.reporting.models import Contribution, Period, Report
from duban.reporting.services.reports import ReportInput, save_report, submit_report

from .. import build
from ..schemas import (
    ContributionOut,
    Page,
    ReportCreate,
    ReportIn,
    ReportOut,
    ReportUpdate,
    VersionIn,
)
from .common import READ_ERRORS, WRITE_ERRORS, PathId, one, page, reads_ledger
from .ledger import Id, Limit, Offset

router = Router(tags=["Reports"])

StateValue = Literal["draft", "submitted", "accepted", "returned"]


def _report(pk: int) -> dict[str, Any]:
    return build.report_items(build.reports_with_details(Report.objects.filter(pk=pk)))[0]


def _task_and_period(request: HttpRequest, task_id: int, period_id: int) -> tuple[Task, Period]:
    """The task (404, or 403 if the person may not see it) and its plan's period (404)."""
    task = one(request, Task.objects.select_related("plan"), task_id, Action.VIEW)
    period = get_object_or_404(Period, pk=period_id, plan_id=task.plan_id)
    return task, period


def _input(data: ReportIn) -> ReportInput:
    values: dict[int, Decimal | None] = {item.target: item.value for item in data.target_values}
    return ReportInput(
        status=data.status,
        progress=data.progress,
        progress_text=data.progress_text,
        problems=data.problems,
        next_steps=data.next_steps,
        target_values=values,
        confirmed=data.confirmed,
    )


@router.get(
    "/reports/",
    response={200: Page[ReportOut], **READ_ERRORS},
    summary="Reports",
    description="The reports of the tasks the person may see.",
)
def reports(
    request: HttpRequest,
    plan: int | None = Id("Only this plan's"),
    period: int | None = Id("Only this period's"),
    task: int | None = Id("Only this task's"),
    state: StateValue | None = Query(None, description="Only reports in this state"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    reads_ledger(request)
    found: QuerySet[Report] = Report.objects.restrict(request.user)
    if plan is not None:
        found = found.filter(period__plan_id=plan)
    if period is not None:
        found = found.filter(period_id=period)
    if task is not None:
        found = found.filter(task_id=task)
    if state is not None:
        found = found.filter(state=state)
    found = build.reports_with_details(found.order_by("period__due_on", "task__position", "pk"))
    return page(found, limit, offset, build.report_items)


@router.get(
    "/reports/{report_id}/",
    response={200: ReportOut, **READ_ERRORS},
    summary="One report",
    description="A report of a task the person may see.",
)
def report_detail(request: HttpRequest, report_id: int = PathId()) -> dict[str, Any]:
    one(request, Report.objects.all(), report_id)
    return _report(report_id)


@router.post(
    "/reports/",
    response={201: ReportOut, **WRITE_ERRORS},
    summary="Write a report",
    description="The lead unit writes its report on a task for an open period: saved as a "
    "draft, or submitted to the office at once (submit). A report the task already has for "
    "that period is changed with PUT.",
)
def report_create(request: HttpRequest, payload: ReportCreate) -> Status[dict[str, Any]]:
    task, period = _task_and_period(request, payload.task, payload.period)
    existing = Report.objects.filter(task=task, period=period).values_list("pk", flat=True).first()
    if existing is not None:
        message = _("The task has a report for this period already (%(id)s): change it with PUT.")
        raise HttpError(409, message % {"id": existing})
    report = save_report(
        task=task,
        period=period,
        user=request.user,
        data=_input(payload),
        version=0,
        submit=payload.submit,
        source="api",
    )
    return Status(201, _report(report.pk))


@router.put(
    "/reports/{report_id}/",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="Change a report",
    description="The lead unit changes its draft or returned report (every field, as on the "
    "form), and may submit it at once; version is the report's version the change starts from.",
)
def report_update(
    request: HttpRequest, payload: ReportUpdate, report_id: int = PathId()
) -> dict[str, Any]:
    report = one(request, Report.objects.select_related("task", "period"), report_id)
    save_report(
        task=report.task,
        period=report.period,
        user=request.user,
        data=_input(payload),
        version=payload.version,
        submit=payload.submit,
        source="api",
    )
    return _report(report.pk)


@router.post(
    "/reports/{report_id}/submit/",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="Submit a report",
    description="The lead unit submits its draft or returned report to the office for review.",
)
def report_submit(
    request: HttpRequest, report_id: int = PathId(), payload: VersionIn | None = None
) -> dict[str, Any]:
    report = one(request, Report.objects.select_related("task", "period"), report_id)
    version = payload.version if payload is not None else None
    submit_report(report=report, user=request.user, version=version)
    return _report(report.pk)


@router.get(
    "/contributions/",
    response={200: Page[ContributionOut], **READ_ERRORS},
    summary="Contributions",
    description="The responsible units' contributions to the reports of the tasks the person "
    "may see.",
)
def contributions(
    request: HttpRequest,
    period: int | None = Id("Only this period's"),
    task: int | None = Id("Only this task's"),
    unit: int | None = Id("Only this unit's"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    reads_ledger(request)
    found = Contribution.objects.restrict(request.user).select_related("period", "unit")
    if period is not None:
        found = found.filter(period_id=period)
    if task is not None:
        found = found.filter(task_id=task)
    if unit is not None:
        found = found.filter(unit_id=unit)
    found = found.order_by("period__due_on", "task__position", "unit__name", "pk")
    return page(found, limit, offset, build.contribution_items)


@router.get(
    "/contributions/{contribution_id}/",
    response={200: ContributionOut, **READ_ERRORS},
    summary="One contribution",
    description="A contribution to the report of a task the person may see.",
)
def contribution_detail(request: HttpRequest, contribution_id: int = PathId()) -> dict[str, Any]:
    found = one(request, Contribution.objects.select_related("period", "unit"), contribution_id)
    return build.contribution_items([found])[0]
