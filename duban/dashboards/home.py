"""The home page: the person's day, read from the apps below and asked of the permission rule.

What each person sees follows from what they may see and do (``restrict``, ``can``, the
``Actor``), never from a role:

- **待办** (``duban.core.todo``): for whoever reads the ledger, what is waiting, by section;
- **lights**: how many of the tasks the person sees (of the newest plan) are green, yellow, red
  or without a light yet, each a link to the ledger filtered by that light (``?light=``): the
  office's whole ledger, a leader's or a unit's own tasks;
- **own tasks**, for whoever does not read every task (a leader, a unit's operator): each with
  its light, the progress of its latest submitted report and its current report (period,
  state, date), and what falls due next (the current period's report or contribution, a
  milestone of the refinement, the deadline); for a unit, whether it leads the task;
- **督办/催办**: the open notices the person sees (and how many are overdue); the ones the person
  must answer (``Action.REPLY``: a unit's) listed with their reply dates;
- **the current period**: for whoever reviews reports, how far the latest open period is;
- **entry points**: for the administrators (who read no business data), their own pages.

``home_for(user)`` costs a fixed number of queries whatever the number of tasks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.permissions import Action, actor, can
from duban.core.todo import Todo, todo_for
from duban.ledger.models import AssignmentRole, Plan, Task, TaskStatus
from duban.ledger.queries import choose_plan
from duban.lights.rules import SEVERITY, Colour
from duban.lights.services import Light, lights_for
from duban.reporting.models import (
    Contribution,
    Milestone,
    Period,
    PeriodState,
    Report,
    ReviewState,
)
from duban.reporting.services.latest import Latest, latest_for
from duban.reporting.services.periods import period_label
from duban.supervision.models import OPEN_STATES, Notice, NoticeState

COMMITTED = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
# Not closed yet: waiting for the unit's reply (issued, signed for) or the office's (replied).
OPEN_NOTICES = (NoticeState.ISSUED, NoticeState.SIGNED, NoticeState.REPLIED)
LIGHT_ORDER = (Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NONE)


@dataclass(frozen=True)
class LightCount:
    colour: str
    count: int
    url: str


@dataclass(frozen=True)
class Due:
    """What falls due next on a task: when, what, and whether it is already past."""

    on: date
    what: str
    overdue: bool


@dataclass
class TaskLine:
    task: Task
    light: Light | None
    latest: Latest | None
    due: Due | None = None
    role: str = ""  # a unit's: 牵头单位 or 责任单位


@dataclass
class PeriodProgress:
    """How far the latest open period is among the tasks the person sees."""

    period: Period
    label: str
    total: int
    by_state: dict[str, int]

    @property
    def written(self) -> int:
        return sum(self.by_state.values())

    @property
    def done(self) -> int:
        return sum(self.by_state.get(state, 0) for state in COMMITTED)

    @property
    def missing(self) -> int:
        return self.total - self.done

    def count(self, state: str) -> int:
        return self.by_state.get(state, 0)


@dataclass(frozen=True)
class Entry:
    label: str
    url: str
    text: str


@dataclass
class Home:
    reads_ledger: bool = False
    plan: Plan | None = None
    todo: Todo | None = None
    lights: list[LightCount] = field(default_factory=list)
    tasks: list[TaskLine] | None = None  # None: the person reads every task (no own list)
    unit_home: bool = False  # the own tasks are a unit's (lead or responsible)
    notices_open: int = 0
    notices_overdue: int = 0
    to_answer: list[tuple[Notice, bool]] = field(default_factory=list)  # (notice, overdue)
    period: PeriodProgress | None = None
    entries: list[Entry] = field(default_factory=list)

    @property
    def tasks_total(self) -> int:
        return sum(light.count for light in self.lights)


def home_for(user: Any) -> Home:
    """Everything the home page shows ``user`` (see the module's docstring)."""
    home = Home(reads_ledger=can(user, Action.READ_LEDGER))
    if not home.reads_ledger:
        home.entries = _entries(user)  # the administrators' pages (the navigation has the rest)
        return home
    home.todo = todo_for(user)
    plan, _plans = choose_plan(None)
    home.plan = plan
    _notices(user, home)
    if plan is None:
        return home
    who = actor(user)
    visible = Task.objects.restrict(user).filter(plan=plan)
    tasks = list(
        visible.select_related("plan", "area", "refinement", "light_override").order_by("position")
    )
    lights = lights_for(tasks)
    home.lights = _light_counts(lights.values())
    if not who.reads_all:
        home.unit_home = who.unit_id is not None
        home.tasks = _own_tasks(user, tasks, lights, unit_id=who.unit_id)
    if can(user, Action.MANAGE_LEDGER):
        home.period = _period_progress(plan, visible, len(tasks))
    return home


def _entries(user: Any) -> list[Entry]:
    """The pages of what the person manages at all (the administrators' work)."""
    entries = []
    if can(user, Action.MANAGE_USERS):
        entries.append(
            Entry(
                _("User management"),
                reverse("accounts:users"),
                _("Create accounts, reset passwords, lock and unlock them."),
            )
        )
    if can(user, Action.MANAGE_SETTINGS):
        entries.append(
            Entry(
                _("Channels"),
                reverse("notify:channels"),
                _("Set up e-mail, DingTalk and WeCom notifications and see what was sent."),
            )
        )
    if can(user, Action.READ_AUDIT):
        entries.append(
            Entry(
                _("Audit trail"),
                reverse("audit:events"),
                _("Read who did what and when, and export it."),
            )
        )
    return entries


def ledger_url(colour: str) -> str:
    return f"{reverse('ledger:tasks')}?light={colour}"


def _light_counts(lights: Iterable[Light]) -> list[LightCount]:
    found = Counter(str(light.colour) for light in lights)
    return [
        LightCount(str(colour), found.get(str(colour), 0), ledger_url(str(colour)))
        for colour in LIGHT_ORDER
        if colour != Colour.NONE or found.get(str(colour))
    ]


def _notices(user: Any, home: Home) -> None:
    today = clock.today()
    seen = Notice.objects.restrict(user, Action.VIEW).filter(state__in=OPEN_NOTICES)
    counts = seen.order_by().values("state", "reply_due")
    for row in counts:
        home.notices_open += 1
        if row["state"] in OPEN_STATES and row["reply_due"] < today:
            home.notices_overdue += 1
    answer: QuerySet[Notice] = (
        Notice.objects.restrict(user, Action.REPLY)
        .filter(state__in=OPEN_STATES)
        .select_related("task")
        .order_by("reply_due", "pk")
    )
    home.to_answer = [(notice, notice.reply_due < today) for notice in answer]


def _own_tasks(
    user: Any, tasks: list[Task], lights: dict[int, Light], *, unit_id: int | None
) -> list[TaskLine]:
    """The person's tasks, worst light first, then by what falls due first."""
    latest = latest_for(tasks)
    ids = [task.pk for task in tasks]
    if unit_id is not None:
        leads = set(
            Task.objects.restrict(user, Action.REPORT)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
    else:
        leads = set(ids)  # a leader follows the lead unit's reports
    dues = _next_dues(tasks, leads, unit_id)
    lines = []
    for task in tasks:
        role = ""
        if unit_id is not None:
            role = str(
                AssignmentRole.LEAD.label if task.pk in leads else AssignmentRole.RESPONSIBLE.label
            )
        lines.append(
            TaskLine(task, lights.get(task.pk), latest.get(task.pk), dues.get(task.pk), role)
        )

    def order(line: TaskLine) -> tuple[int, date, int]:
        colour = line.light.colour if line.light is not None else Colour.NONE
        due = line.due.on if line.due is not None else date.max
        return (-SEVERITY[Colour(colour)], due, line.task.position)

    return sorted(lines, key=order)


def _next_dues(tasks: list[Task], leads: set[int], unit_id: int | None) -> dict[int, Due]:
    """What falls due first on each task: the current period's report (for the tasks the unit
    leads, and a leader's) or contribution (the tasks it is responsible for), a milestone of the
    refinement not reached yet, the deadline of a task not completed. Five queries at most."""
    if not tasks:
        return {}
    today = clock.today()
    ids = [task.pk for task in tasks]
    candidates: dict[int, list[tuple[date, str]]] = defaultdict(list)
    periods = list(
        Period.objects.filter(plan_id__in={t.plan_id for t in tasks}, state=PeriodState.OPEN)
    )
    if periods:
        reported = set(
            Report.objects.filter(
                task_id__in=ids, period__in=periods, state__in=COMMITTED
            ).values_list("task_id", "period_id")
        )
        contributed: set[tuple[int, int]] = set()
        if unit_id is not None and set(ids) - leads:
            contributed = set(
                Contribution.objects.filter(
                    task_id__in=ids,
                    period__in=periods,
                    unit_id=unit_id,
                    state=ReviewState.SUBMITTED,
                ).values_list("task_id", "period_id")
            )
        for task in tasks:
            for period in periods:
                if period.plan_id != task.plan_id or task.status == TaskStatus.DONE:
                    continue
                label = period_label(period)
                if task.pk in leads and (task.pk, period.pk) not in reported:
                    candidates[task.pk].append(
                        (period.due_on, _("%(period)s report") % {"period": label})
                    )
                elif task.pk not in leads and (task.pk, period.pk) not in contributed:
                    candidates[task.pk].append(
                        (period.due_on, _("%(period)s contribution") % {"period": label})
                    )
    milestones = list(
        Milestone.objects.filter(
            refinement__task_id__in=ids, refinement__state__in=COMMITTED
        ).select_related("refinement")
    )
    if milestones:
        reached = set(
            Report.milestones_reached.through.objects.filter(
                milestone_id__in=[m.pk for m in milestones]
            )
            .exclude(report__state=ReviewState.DRAFT)
            .values_list("milestone_id", flat=True)
        )
        for milestone in milestones:
            if milestone.pk not in reached:
                candidates[milestone.refinement.task_id].append(
                    (milestone.due_on, _("Milestone: %(what)s") % {"what": milestone.description})
                )
    for task in tasks:
        if task.deadline is not None and task.status != TaskStatus.DONE:
            candidates[task.pk].append((task.deadline, _("Deadline")))
    dues = {}
    for task_id, found in candidates.items():
        on, what = min(found, key=lambda pair: pair[0])
        dues[task_id] = Due(on, what, on < today)
    return dues


def _period_progress(plan: Plan, visible: QuerySet[Task], total: int) -> PeriodProgress | None:
    """The latest open period of the plan and its reports by state, among ``visible``."""
    period = (
        Period.objects.filter(plan=plan, state=PeriodState.OPEN).order_by("-due_on", "-pk").first()
    )
    if period is None:
        return None
    by_state = {
        row["state"]: row["n"]
        for row in Report.objects.filter(period=period, task__in=visible.values("pk"))
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
    }
    return PeriodProgress(period, period_label(period), total, by_state)
