"""A task's report for a period: read it, write it, submit it, review it, compare versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.core.files import UploadRejected
from duban.core.permissions import Action, can, check
from duban.ledger.display import format_number
from duban.ledger.models import Task, TaskStatus

from ..forms.reports import ReportForm, ReviewForm
from ..models import Period, PeriodState, Report, ReviewState
from ..services import reports as services
from ..services.contributions import contribution_status
from ..services.guide import guide_for
from ..services.versions import compare
from .common import page, task_and_period


def _report_url(task: Task, period: Period) -> str:
    return reverse("reporting:report", args=[task.pk, period.pk])


def _target_rows(task: Task, report: Report | None) -> list[dict[str, Any]]:
    values = {v.target_id: v.value for v in report.target_values.all()} if report else {}
    return [
        {
            "target": target,
            "value": None if values.get(target.pk) is None else format_number(values[target.pk]),
        }
        for target in task.targets.order_by("position")
    ]


def _report_context(request: HttpRequest, task: Task, period: Period) -> dict[str, Any]:
    report = services.report_for(task, period)
    user = request.user
    progress, derived = services.effective_progress(report) if report else (None, False)
    reviewable = (
        report is not None
        and report.state == ReviewState.SUBMITTED
        and can(user, Action.REVIEW, task)
    )
    author = can(user, Action.REPORT, task)
    if report is None:
        writable = author and period.state == PeriodState.OPEN
    else:
        writable = can(user, Action.CHANGE, report)  # the author's, while open and not submitted
    contributors = contribution_status(task, period)
    return {
        "task": task,
        "period": period,
        "report": report,
        "progress": progress,
        "derived": derived,
        "targets": _target_rows(task, report),
        "milestones": list(report.milestones_reached.order_by("position")) if report else [],
        "evidence": list(report.evidence.order_by("uploaded_at", "pk")) if report else [],
        "author": author,
        "writable": writable,
        "submittable": writable and report is not None and bool(report.progress_text),
        "review_form": (
            ReviewForm(initial={"version": report.version}) if report and reviewable else None
        ),
        "contributed": [row for row in contributors if row.submitted],
        "missing": [row for row in contributors if not row.submitted],
        "versions": report.versions.count() if report else 0,
    }


@require_GET
def report(request: HttpRequest, task_pk: int, period_pk: int) -> HttpResponse:
    task, period = task_and_period(task_pk, period_pk)
    check(request.user, Action.VIEW, task)
    return page(request, "report.html", _report_context(request, task, period))


def _refused(request: HttpRequest, task: Task, period: Period, error: str) -> HttpResponse:
    """The report page with the reason a change was refused (409: nothing was written)."""
    context = _report_context(request, task, period)
    context["error"] = error
    return page(request, "report.html", context, status=409)


def _form(task: Task, report: Report | None, *args: Any) -> ReportForm:
    """The author's form for the report as it is saved (``args``: the POST and its files)."""
    return ReportForm(
        *args,
        initial=ReportForm.initial_for(report),
        targets=list(task.targets.order_by("position")),
        milestones=services.milestones_of(task),
        report=report,
    )


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, task_pk: int, period_pk: int) -> HttpResponse:
    task, period = task_and_period(task_pk, period_pk)
    check(request.user, Action.REPORT, task)
    report = services.report_for(task, period)
    try:
        services.check_writable(period, report)
    except services.NotEditable as exc:
        if request.method == "POST":
            return _refused(request, task, period, str(exc))
        messages.error(request, str(exc))
        return redirect(_report_url(task, period))
    # Beside the inputs: the period before's figures and the quarter's planned 形象进度.
    guide = guide_for(task, period)
    if request.method == "GET":
        form = _form(task, report)
        context = {"task": task, "period": period, "report": report, "form": form, "guide": guide}
        return page(request, "report_edit.html", context)
    form = _form(task, report, request.POST, request.FILES)
    context = {"task": task, "period": period, "report": report, "form": form, "guide": guide}
    if not form.is_valid():
        return page(request, "report_edit.html", context, status=400)
    submit = "submit" in request.POST
    try:
        saved = services.save_report(
            task=task,
            period=period,
            user=request.user,
            data=form.report_input(),
            version=form.cleaned_data["version"],
            files=form.cleaned_data["attachments"],
            remove_evidence=[e.pk for e in form.cleaned_data.get("remove", [])],
            submit=submit,
        )
    except services.StaleReport as exc:
        return _stale(request, task, period, form, exc)
    except UploadRejected as exc:
        form.add_error("attachments", str(exc))
        return page(request, "report_edit.html", context, status=400)
    except services.NotEditable as exc:
        return _refused(request, task, period, str(exc))
    except services.FiguresUnconfirmed as exc:  # shown with the box to confirm them
        form.ask_to_confirm(exc.notes)
        return page(request, "report_edit.html", context, status=400)
    except services.ReportingError as exc:
        form.add_error(None, str(exc))
        return page(request, "report_edit.html", context, status=400)
    if submit:
        messages.success(request, _("The report is submitted to the supervision office."))
    else:
        message = _("The report is saved as version %(version)s.")
        messages.success(request, message % {"version": saved.version})
    return redirect(_report_url(task, period))


def _stale(
    request: HttpRequest,
    task: Task,
    period: Period,
    form: ReportForm,
    error: services.StaleReport,
) -> HttpResponse:
    """Refuse a save made from an old version: the user's text, and a fresh form beside it."""
    mine = form.cleaned_data
    statuses = dict(TaskStatus.choices)
    context = {
        "task": task,
        "period": period,
        "report": error.current,
        "form": _form(task, error.current),
        "guide": guide_for(task, period),
        "stale": str(error),
        "mine": {
            "status": statuses.get(mine["status"], ""),
            "progress": mine.get("progress"),
            "progress_text": mine.get("progress_text", ""),
            "problems": mine.get("problems", ""),
            "next_steps": mine.get("next_steps", ""),
            "targets": [(t, mine.get(f"target_{t.pk}")) for t in form.targets],
            "files": [f.name for f in mine.get("attachments", [])],
        },
    }
    return page(request, "report_edit.html", context, status=409)


def _the_report(task: Task, period: Period) -> Report:
    report = services.report_for(task, period)
    if report is None:
        raise Http404(_("This report has not been written yet."))
    return report


@require_POST
def report_submit(request: HttpRequest, task_pk: int, period_pk: int) -> HttpResponse:
    task, period = task_and_period(task_pk, period_pk)
    check(request.user, Action.REPORT, task)
    report = _the_report(task, period)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.submit_report(report=report, user=request.user, version=version)
    except services.ReportingError as exc:
        return _refused(request, task, period, str(exc))
    messages.success(request, _("The report is submitted to the supervision office."))
    return redirect(_report_url(task, period))


@require_POST
def report_review(request: HttpRequest, task_pk: int, period_pk: int) -> HttpResponse:
    task, period = task_and_period(task_pk, period_pk)
    check(request.user, Action.REVIEW, task)
    report = _the_report(task, period)
    form = ReviewForm(request.POST)
    decision = request.POST.get("decision")
    if not form.is_valid() or decision not in ("accept", "return"):
        return _refused(request, task, period, _("The review could not be read; try again."))
    accepting = decision == "accept"
    review = services.accept_report if accepting else services.return_report
    try:
        review(
            report=report,
            user=request.user,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
    except services.ReportingError as exc:
        context = _report_context(request, task, period)
        context["error"] = str(exc)
        if context["review_form"] is not None:
            context["review_form"] = form  # the comment typed so far stays
        conflict = isinstance(exc, services.NotEditable | services.StaleReport)
        return page(request, "report.html", context, status=409 if conflict else 400)
    if accepting:
        messages.success(request, _("The report is accepted."))
    else:
        messages.success(request, _("The report is returned to the unit."))
    return redirect(_report_url(task, period))


@require_GET
def report_versions(request: HttpRequest, task_pk: int, period_pk: int) -> HttpResponse:
    task, period = task_and_period(task_pk, period_pk)
    check(request.user, Action.VIEW, task)
    report = _the_report(task, period)
    versions = list(report.versions.select_related("created_by").order_by("number"))
    if not versions:  # a report is always saved with its first version
        raise Http404(_("This report has not been written yet."))
    by_number = {v.number: v for v in versions}

    def chosen(name: str, default: int) -> int:
        try:
            number = int(request.GET.get(name, ""))
        except ValueError:
            return default
        return number if number in by_number else default

    right = chosen("b", versions[-1].number)
    left = chosen("a", versions[-2].number if len(versions) > 1 else right)
    context = {
        "task": task,
        "period": period,
        "report": report,
        "versions": versions,
        "left": by_number[left],
        "right": by_number[right],
        "rows": compare(by_number[left], by_number[right]),
    }
    return page(request, "report_versions.html", context)
