"""A responsible unit's contribution to a task's report for a period."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duban.core.files import UploadRejected
from duban.core.permissions import Action, actor, can, check

from ..forms.reports import ContributionForm
from ..models import PeriodState
from ..services import contributions as services
from ..services.reports import NotEditable, ReportingError
from .common import page, task_and_period


@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, task_pk: int, period_pk: int) -> HttpResponse:
    task, period = task_and_period(task_pk, period_pk)
    check(request.user, Action.CONTRIBUTE, task)
    contribution = services.contribution_for(task, period, actor(request.user).unit_id)
    if contribution is None:
        writable = period.state == PeriodState.OPEN
    else:
        writable = can(request.user, Action.CHANGE, contribution)
    initial: dict[str, Any] = {"version": contribution.version if contribution else 0}
    if contribution is not None:
        initial.update(text=contribution.text, figures=contribution.figures)
    context: dict[str, Any] = {
        "task": task,
        "period": period,
        "contribution": contribution,
        "writable": writable,
        "evidence": list(contribution.evidence.all()) if contribution else [],
    }
    if request.method == "GET":
        context["form"] = ContributionForm(initial=initial)
        return page(request, "contribution.html", context)
    form = ContributionForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return page(request, "contribution.html", context, status=400)
    submit = "submit" in request.POST
    try:
        services.save_contribution(
            task=task,
            period=period,
            user=request.user,
            text=form.cleaned_data["text"],
            figures=form.cleaned_data["figures"],
            version=form.cleaned_data["version"],
            files=form.cleaned_data["attachments"],
            submit=submit,
        )
    except UploadRejected as exc:
        form.add_error("files", str(exc))
        return page(request, "contribution.html", context, status=400)
    except (NotEditable, services.StaleContribution) as exc:
        context.update(error=str(exc), mine=form.cleaned_data)
        context["form"] = ContributionForm(initial=initial)
        return page(request, "contribution.html", context, status=409)
    except ReportingError as exc:
        form.add_error(None, str(exc))
        return page(request, "contribution.html", context, status=400)
    if submit:
        messages.success(request, _("The contribution is submitted to the lead unit."))
    else:
        messages.success(request, _("The contribution is saved."))
    return redirect(reverse("reporting:contribution_edit", args=[task.pk, period.pk]))
