"""The office's pages of the traffic lights: the thresholds, and a task's manual override.

Only the office may use them (the thresholds: ``Action.MANAGE_LEDGER``; an override: whoever
may change the task, ``Action.CHANGE``); everyone else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from duban.core.permissions import Action, requires
from duban.ledger.models import Task

from .forms import OverrideForm, SettingsForm
from .models import LightOverride, LightSettings
from .rules import Rules
from .services import remove_override, set_override


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_LEDGER)
def settings_view(request: HttpRequest) -> HttpResponse:
    current = LightSettings.current()
    form = SettingsForm(instance=current)
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=current)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.pk = 1
            saved.updated_by = request.user
            saved.save()
            messages.success(request, _("The traffic-light settings are saved."))
            return redirect("lights:settings")
        status = 400
    context = {"nav": "ledger", "form": form, "defaults": Rules()}
    return render(request, "lights/settings.html", context, status=status)


def _task_url(task: Task) -> str:
    return reverse("ledger:task", args=[task.pk]) + "#light"


@require_http_methods(["GET", "POST"])
@requires(Action.CHANGE, Task)
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form; POST: set the task's colour with a reason (required)."""
    task = get_object_or_404(Task, pk=pk)
    current = LightOverride.objects.filter(task=task).first()
    initial = {"colour": current.colour, "reason": current.reason} if current else {}
    form = OverrideForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = OverrideForm(request.POST)
        if form.is_valid() and form.cleaned_data["reason"].strip():
            set_override(
                request.user, task, form.cleaned_data["colour"], form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The light of task %(number)s is set by hand.") % {"number": task.number}
            )
            return redirect(_task_url(task))
        if form.is_valid():
            form.add_error("reason", _("Say why the light is set by hand."))
        status = 400
    context = {"nav": "ledger", "task": task, "form": form, "current": current}
    return render(request, "lights/override.html", context, status=status)


@require_POST
@requires(Action.CHANGE, Task)
def override_remove(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task, pk=pk)
    if remove_override(request.user, task):
        messages.success(
            request,
            _("The light of task %(number)s follows the rules again.") % {"number": task.number},
        )
    return redirect(_task_url(task))
