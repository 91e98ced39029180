"""Pages of the refinement workflow: authenticate, read the form, call
duban.reporting.services.refinement, render. Permissions are asked with ``@requires`` (and
``can`` in the services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.core.permissions import Action, requires
from duban.ledger.models import Task
from duban.ledger.queries import with_details

from ..forms.refinement import (
    BaseMilestoneFormSet,
    RefinementForm,
    milestone_formset,
    place_milestone_problems,
)
from ..models import ReviewState
from ..services import refinement as workflow
from ..services.refinement_rules import Problem
from ..services.refinement_summary import QUARTER_LABELS, summarize


def _task(pk: int) -> Task:
    """The task with what the pages show of it (``@requires`` has checked the user may)."""
    return get_object_or_404(with_details(Task.objects.select_related("plan")), pk=pk)


def _panel_url(task: Task) -> str:
    return reverse("ledger:task", args=[task.pk]) + "#refinement"


def _warn(request: HttpRequest, warnings: list[Problem]) -> None:
    for warning in warnings:
        messages.warning(request, warning.message)


@require_GET
@requires(Action.VIEW, Task)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(pk)
    context = {"nav": "ledger", "task": task, "summary": summarize(task, request.user)}
    return render(request, "reporting/refinement/detail.html", context)


@require_http_methods(["GET", "POST"])
@requires(Action.REFINE, Task)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(pk)
    if request.method == "POST":
        return _save(request, task)
    current = workflow.refinement_of(task)
    if current is not None and current.state not in workflow.EDITABLE:
        messages.info(
            request,
            _("The refinement is %(state)s and cannot be changed now.")
            % {"state": current.get_state_display()},
        )
        return redirect(_panel_url(task))
    saved = workflow.input_from(task, current)
    version = current.version if current else 0
    form = RefinementForm(task=task, initial=RefinementForm.initial_for(saved, version))
    return _render_edit(request, task, form, milestone_formset(task, initial=saved.milestones))


def _save(request: HttpRequest, task: Task) -> HttpResponse:
    """Save (and with ``action=submit`` submit); a refusal shows the user's input back. A POST
    is never turned away for the state alone: the service refuses it, keeping the input."""
    form = RefinementForm(request.POST, task=task)
    formset = milestone_formset(task, request.POST)
    valid = form.is_valid()
    if not (formset.is_valid() and valid):
        return _render_edit(request, task, form, formset, status=400)
    rows = formset.milestones()
    submit = request.POST.get("action") == "submit"
    try:
        saved_refinement = workflow.save_refinement(
            task=task,
            user=request.user,
            version=form.cleaned_data["version"],
            data=form.to_input([milestone for _index, milestone in rows]),
            submit=submit,
        )
    except workflow.InvalidRefinement as error:
        form.place(place_milestone_problems(formset, [i for i, _m in rows], error.errors))
        return _render_edit(request, task, form, formset, status=400)
    except (workflow.StaleRefinement, workflow.WrongState) as error:
        return _refused(request, task, formset, error)
    _warn(request, saved_refinement.warnings)
    if submit:
        messages.success(request, _("The refinement was submitted to the supervision office."))
    else:
        messages.success(request, _("The refinement was saved as a draft."))
    return redirect(_panel_url(task))


def _refused(
    request: HttpRequest,
    task: Task,
    formset: BaseMilestoneFormSet,
    error: workflow.RefinementError,
) -> HttpResponse:
    """Show the user's input back with the latest saved version next to it. Saving again
    (now from the latest version) replaces it: the user has seen what it was."""
    messages.error(request, str(error))
    latest = workflow.refinement_of(task)
    data = request.POST.copy()
    data["version"] = str(latest.version if latest else 0)
    form = RefinementForm(data, task=task)
    form.is_valid()
    return _render_edit(
        request, task, form, formset, status=409, latest=summarize(task, request.user)
    )


def _render_edit(
    request: HttpRequest,
    task: Task,
    form: RefinementForm,
    formset: BaseMilestoneFormSet,
    *,
    status: int = 200,
    latest: Any = None,
) -> HttpResponse:
    current = workflow.refinement_of(task)  # the office's comment, when it came back returned
    returned = current is not None and current.state == ReviewState.RETURNED
    context = {
        "nav": "ledger",
        "task": task,
        "comment": current.review_comment if returned and current is not None else "",
        "form": form,
        "formset": formset,
        "latest": latest,
        "quarter_labels": QUARTER_LABELS,
    }
    return render(request, "reporting/refinement/edit.html", context, status=status)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # never a version: refused as stale


@require_POST
@requires(Action.REFINE, Task)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(pk)
    try:
        saved = workflow.submit_refinement(task=task, user=request.user, version=_version(request))
    except workflow.InvalidRefinement as error:
        for problem in error.errors:
            messages.error(request, problem.message)
        return redirect("reporting:refinement_edit", pk=task.pk)
    except workflow.RefinementError as error:
        messages.error(request, str(error))
        return redirect(_panel_url(task))
    _warn(request, saved.warnings)
    messages.success(request, _("The refinement was submitted to the supervision office."))
    return redirect(_panel_url(task))


@require_POST
@requires(Action.REVIEW, Task)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The office approves (``decision=approve``), returns or reopens (a comment is required)."""
    task = _task(pk)
    decision = request.POST.get("decision")
    steps: dict[str, tuple[Callable[..., Any], str]] = {
        "approve": (workflow.approve_refinement, _("The refinement was approved.")),
        "return": (workflow.return_refinement, _("The refinement was returned to the lead unit.")),
        "reopen": (workflow.reopen_refinement, _("The refinement was reopened for the lead unit.")),
    }
    if decision not in steps:
        return HttpResponse(status=400)
    step, done = steps[decision]
    comment = request.POST.get("comment", "")
    try:
        step(task=task, user=request.user, version=_version(request), comment=comment)
    except workflow.InvalidRefinement as error:
        context = {
            "nav": "ledger",
            "task": task,
            "summary": summarize(task, request.user),
            "comment": comment,
            "comment_errors": [problem.message for problem in error.errors],
        }
        return render(request, "reporting/refinement/detail.html", context, status=400)
    except workflow.RefinementError as error:
        messages.error(request, str(error))
        return redirect("reporting:refinement", pk=task.pk)
    messages.success(request, done)
    return redirect(_panel_url(task))
