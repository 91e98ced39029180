"""The plan at a glance (``duban summary --json``) and the cockpit's figures, through the API.

The summary counts a whole plan, so it is for those who see every task of the plan (the office,
viewers); the cockpit's figures are for those who open the cockpit (the office, leaders,
viewers: ``duban.dashboards.cockpit.opens_cockpit``), over the tasks they may see, exactly as
/cockpit/data.json gives them.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from duban.dashboards.cockpit import cockpit_for, opens_cockpit
from duban.dashboards.services import plan_summary
from duban.ledger.models import Plan, Task
from duban.ledger.queries import choose_plan

from ..schemas import CockpitOut, SummaryOut
from .common import READ_ERRORS, reads_ledger
from .ledger import Id

router = Router(tags=["Figures"])


def _plan(plan: int | None) -> tuple[Plan | None, list[Plan]]:
    chosen, plans = choose_plan(str(plan) if plan is not None else None)
    if chosen is None and plan is not None:
        raise Http404
    return chosen, plans


@router.get(
    "/summary/",
    response={200: SummaryOut, **READ_ERRORS},
    summary="The plan at a glance",
    description="What `duban summary --json` prints (docs/summary.md): tasks by light and "
    "status, reports by period and state, open notices and rectification items. For those "
    "who see every task of the plan.",
)
def summary(
    request: HttpRequest,
    plan: int | None = Id("The plan (default: the newest)"),
    as_of: datetime.date | None = Query(
        None, description="The date of the lights and overdue counts (default: today)"
    ),
) -> dict[str, Any]:
    reads_ledger(request)
    chosen, _plans = _plan(plan)
    if chosen is None:
        raise Http404
    tasks = Task.objects.filter(plan=chosen)
    if Task.objects.restrict(request.user).filter(plan=chosen).count() != tasks.count():
        raise PermissionDenied(
            _("The summary counts the whole plan: it is for those who see every task of it.")
        )
    return plan_summary(as_of=as_of, plan=chosen)


@router.get(
    "/cockpit/",
    response={200: CockpitOut, **READ_ERRORS},
    summary="The cockpit's figures",
    description="The charts of the cockpit as data (docs/cockpit.md), over the tasks the person "
    "may see; a leader's own tasks by default (scope=mine), the whole plan with scope=all.",
)
def cockpit(
    request: HttpRequest,
    plan: int | None = Id("The plan (default: the newest)"),
    scope: Literal["mine", "all"] | None = Query(None, description="A leader's tasks, or all"),
) -> dict[str, Any]:
    reads_ledger(request)
    if not opens_cockpit(request.user):
        raise PermissionDenied(
            _(
                "The cockpit is for the office, leaders and viewers; "
                "a unit's tasks are on its home page."
            )
        )
    chosen, plans = _plan(plan)
    board = cockpit_for(request.user, chosen, plans, scope or "", str(plan or ""))
    return board.as_json()
