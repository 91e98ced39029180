"""``{% light_panel task %}`` on the task page, ``{% light_dot light %}`` in ledger rows."""

from __future__ import annotations

from typing import Any

from django import template

from duban.core import clock
from duban.core.permissions import Action, can
from duban.ledger.models import Task

from ..display import colour_label, describe, light_title, override_text
from ..forms import OverrideForm
from ..rules import milestone_colour
from ..services import Light, current_rules, light_for

register = template.Library()


@register.inclusion_tag("lights/_light_panel.html", takes_context=True)
def light_panel(context: dict[str, Any], task: Task) -> dict[str, Any]:
    """The task's light, every reason in words, and the override form for the office.

    The task page has already checked that the user may see the task; load the task with
    ``select_related("plan", "refinement", "light_override")`` and this costs two queries
    (settings, periods with reports) for an unrefined task.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    light = light_for(task)
    # Who may set the light by hand: whoever may change the task, i.e. the office (asked as the
    # capability, which costs no query; the override's own pages ask ``Action.CHANGE``).
    office = can(user, Action.MANAGE_LEDGER)
    form = None
    if office:
        initial = {}
        if light.override is not None:
            initial = {"colour": light.override.colour, "reason": light.override.reason}
        form = OverrideForm(initial=initial)
    return {
        "task": task,
        "light": light,
        "label": colour_label(light.colour),
        "computed_label": colour_label(light.computed),
        "reasons": [(reason.colour, describe(reason)) for reason in light.reasons],
        "override_text": override_text(light.override.reason) if light.override else "",
        "office": office,
        "form": form,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("lights/_light_dot.html")
def light_dot(light: Light | None) -> dict[str, Any]:
    return {"light": light, "title": light_title(light)}


@register.filter
def light_label(colour: str) -> str:
    return colour_label(colour)


@register.simple_tag
def milestone_lights(lines: Any) -> list[tuple[Any, str]]:
    """``{% milestone_lights summary.milestones as rows %}``: each line of a refinement's
    milestones (duban.reporting.services.refinement_summary) with the milestone's own light,
    green once reached, red past its date, yellow close to it (the thresholds kept: no query)."""
    lines = list(lines or ())
    if not lines:
        return []
    rules = current_rules()
    today = clock.today()
    return [
        (line, str(milestone_colour(line.milestone.due_on, line.reached, today, rules)))
        for line in lines
    ]
