"""The plan at a glance: ``plan_summary`` counts what scripts and monitoring ask about.

One dictionary, plain JSON types (its keys are documented in docs/summary.md):

- ``plan``: the plan summarised (the newest unless one is given): id, title, doc_number, year;
- ``as_of``: the date the lights and the overdue counts are computed for (ISO), by default
  today as duban takes it (``DUBAN_TODAY`` when set);
- ``tasks``: ``total``, ``by_light`` (green, yellow, red, none: the colour shown, an office
  override included) and ``by_status`` (not_started, in_progress, done, lagging);
- ``reports``: by period code, the period's ``state`` and ``due_on``, its reports by state
  (draft, submitted, accepted, returned) and ``missing`` (tasks with no submitted or accepted
  report: no report, a draft or a returned one);
- ``notices``: the 督办/催办 not closed yet (issued, signed for, replied): ``open``,
  ``by_level``, ``by_state`` and ``overdue`` (issued or signed, the reply date before as_of);
- ``rectification``: the rectification items not closed: ``open``, ``by_state`` and
  ``overdue`` (their deadline before as_of).

Counts are those of the database now; only the lights and the overdue counts depend on as_of.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Q

from duban.core import clock
from duban.inspections.models import ItemState, RectificationItem
from duban.ledger.models import Plan, TaskStatus
from duban.lights.rules import Colour
from duban.lights.services import lights_for
from duban.reporting.models import Report, ReviewState
from duban.reporting.services.periods import period_label
from duban.supervision.models import OPEN_STATES, Notice, NoticeLevel, NoticeState

COLOURS = [Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NONE]
OPEN_NOTICE_STATES = [NoticeState.ISSUED, NoticeState.SIGNED, NoticeState.REPLIED]
OPEN_ITEM_STATES = [s for s in ItemState.values if s != ItemState.CLOSED]
DONE_REPORTS = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)


class NoPlan(LookupError):
    """There is no plan to summarise."""


def newest_plan() -> Plan | None:
    return Plan.objects.order_by("-year", "-created_at", "-pk").first()


def _counts(found: Counter[str], keys: list[str]) -> dict[str, int]:
    return {key: found.get(key, 0) for key in keys}


def plan_summary(as_of: dt.date | None = None, plan: Plan | None = None) -> dict[str, Any]:
    """The plan at a glance on ``as_of`` (default: today); ``NoPlan`` when there is none."""
    as_of = as_of or clock.today()
    plan = plan or newest_plan()
    if plan is None:
        raise NoPlan()
    tasks = list(plan.tasks.select_related("plan", "light_override"))
    lights = lights_for(tasks, today=as_of)
    by_light = Counter(str(light.colour) for light in lights.values())
    by_status = Counter(str(task.status) for task in tasks)

    reports: dict[str, Any] = {}
    states = Counter(
        (period_id, state)
        for period_id, state in Report.objects.filter(period__plan=plan).values_list(
            "period_id", "state"
        )
    )
    for period in plan.periods.order_by("due_on", "code"):
        counts = {state: states.get((period.pk, state), 0) for state in ReviewState.values}
        done = sum(counts[state] for state in DONE_REPORTS)
        reports[period.code] = {
            "label": period_label(period),
            "state": str(period.state),
            "due_on": period.due_on.isoformat(),
            **counts,
            "missing": len(tasks) - done,
        }

    on_plan = Q(task__plan=plan) | Q(period__plan=plan)  # a period 催办 is on no one task
    notices = Notice.objects.filter(on_plan, state__in=OPEN_NOTICE_STATES)
    open_notices = list(notices.values_list("level", "state", "reply_due"))
    items = RectificationItem.objects.filter(task__plan=plan, state__in=OPEN_ITEM_STATES)
    open_items = list(items.values_list("state", "deadline"))
    return {
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "doc_number": plan.doc_number,
            "year": plan.year,
        },
        "as_of": as_of.isoformat(),
        "tasks": {
            "total": len(tasks),
            "by_light": _counts(by_light, [str(c) for c in COLOURS]),
            "by_status": _counts(by_status, list(TaskStatus.values)),
        },
        "reports": reports,
        "notices": {
            "open": len(open_notices),
            "by_level": _counts(
                Counter(level for level, _s, _d in open_notices), NoticeLevel.values
            ),
            "by_state": _counts(
                Counter(state for _l, state, _d in open_notices), list(OPEN_NOTICE_STATES)
            ),
            "overdue": sum(
                1 for _l, state, due in open_notices if state in OPEN_STATES and due < as_of
            ),
        },
        "rectification": {
            "open": len(open_items),
            "by_state": _counts(Counter(state for state, _d in open_items), OPEN_ITEM_STATES),
            "overdue": sum(1 for _s, deadline in open_items if deadline < as_of),
        },
    }
