"""The ledger's light filter (``/ledger/?light=red``), registered with ``duban.ledger.facets``
in ``LightsConfig.ready()``: the ledger lists, counts and exports by the colour it shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duban.ledger.facets import TaskFacet
from duban.ledger.models import Plan, Task

from .rules import Colour
from .services import PLAN_LIGHTS, Light, lights_for


def plan_colours(plan: Plan) -> Mapping[int, str]:
    """``{task id: colour}`` of every task of the plan, from its kept lights (no query when
    nothing changed, worked out once per change: ``duban.lights.services.PLAN_LIGHTS``)."""
    return PLAN_LIGHTS.derived(plan.pk, "colours", _colours)


def _colours(lights: Mapping[int, Light]) -> dict[int, str]:
    return {pk: str(light.colour) for pk, light in lights.items()}


def task_colours(tasks: QuerySet[Task], user: Any = None) -> Mapping[int, str]:
    """``{task id: colour}`` of the colour shown (an office override included), in the fixed
    number of queries of ``lights_for`` plus one for the tasks; the same for whoever sees the
    task (``user``)."""
    found = list(tasks.select_related("plan", "refinement", "light_override"))
    return {pk: str(light.colour) for pk, light in lights_for(found).items()}


LIGHT_FACET = TaskFacet(
    name="light",
    label=_("Traffic light"),
    any_label=_("All lights"),
    choices=(
        (Colour.GREEN.value, _("Green light")),
        (Colour.YELLOW.value, _("Yellow light")),
        (Colour.RED.value, _("Red light")),
        (Colour.NONE.value, _("No light yet")),
    ),
    classify=task_colours,
    classify_plan=plan_colours,
)
